package crashtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"souk/internal/db"
)

// stored is an order as the database holds it.
type stored struct {
	id                          int64
	method, status, payment     string
	lines, held                 map[int64]int // held: in parcels not cancelled
	parcels, cancelled          int
	captured, takenBack, events int
}

// check compares what the clients were told with what souk kept: through
// the API while souk still runs, then in the database once it has stopped,
// and with `souk ledger check`.
func check(t *testing.T, d *db.DB, n *node, c *client, s *shop, rec *record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if len(rec.orders) < 10 {
		t.Errorf("only %d orders were placed: the load did not run", len(rec.orders))
	}
	if rec.interrupted.Load() == 0 {
		t.Error("no request was cut by a kill: the test proved nothing")
	}
	if last := rec.latest.Load(); last != int64(n.starts) {
		t.Errorf("no order was placed after the last restart (start %d); the last came from start %d", n.starts, last)
	}
	for _, f := range rec.cbFailures {
		t.Errorf("souk answered FAILURE to a valid callback, which CMI leaves to manual handling: %s", f)
	}
	for _, e := range rec.first5xx {
		t.Logf("5xx answer (sent again): %s", e)
	}

	api := problems{t: t, what: "through the API"}
	for number, o := range rec.orders {
		a, err := c.call(ctx, "GET", fmt.Sprintf("/api/v1/orders/%d", o.id), nil, c.operator())
		if err != nil {
			t.Fatal(err)
		}
		var v orderView
		if a.status != http.StatusOK || json.Unmarshal(a.body, &v) != nil {
			api.add("order %s through the API: %d %s", number, a.status, a.body)
			continue
		}
		lines, err := v.lines(s)
		status, payment := o.want()
		switch {
		case err != nil:
			api.add("%v", err)
		case v.Number != number || !equal(lines, o.lines):
			api.add("order %d through the API is %s with lines %v; the client was told %s with %v", o.id, v.Number, lines, number, o.lines)
		case v.Status != status || v.Payment.Status != payment:
			api.add("order %s through the API: %s, payment %s; want %s, payment %s", number, v.Status, v.Payment.Status, status, payment)
		}
	}
	api.done()
	n.stop()

	got := storedOrders(t, d)
	kept := problems{t: t, what: "in the database"}
	for number, o := range rec.orders {
		g, ok := got[number]
		if !ok {
			kept.add("order %s (%s, %v) was confirmed to its client and is not in the database", number, o.method, o.lines)
			continue
		}
		status, payment := o.want()
		cancelled, captured, takenBack, events := 0, 0, 0, 0
		if o.cancelled {
			cancelled = o.parcels
		}
		if o.paid != nil {
			events = 1 // one notification, however often it was posted
			if *o.paid {
				captured = 1
				if o.cancelled {
					takenBack = o.parcels
				}
			}
		}
		switch {
		case g.id != o.id || g.method != o.method:
			kept.add("order %s: id %d paid by %s in the database; the client was told id %d paid by %s", number, g.id, g.method, o.id, o.method)
		case len(g.lines) == 0:
			kept.add("order %s has no lines", number)
		case !equal(g.lines, o.lines) || g.parcels != o.parcels:
			kept.add("order %s holds %v in %d parcels; the client was told %v in %d", number, g.lines, g.parcels, o.lines, o.parcels)
		case g.status != status || g.payment != payment:
			kept.add("order %s is %s, payment %s; want %s, payment %s", number, g.status, g.payment, status, payment)
		case g.cancelled != cancelled:
			kept.add("order %s: %d of %d parcels cancelled, cancelled for its client: %v", number, g.cancelled, g.parcels, o.cancelled)
		case g.captured != captured || g.events != events || g.takenBack != takenBack:
			kept.add("order %s (paid: %v, cancelled: %v): %d payment.captured and %d sale.cancelled postings, %d callbacks recorded; want %d, %d, %d",
				number, describe(o.paid), o.cancelled, g.captured, g.takenBack, g.events, captured, takenBack, events)
		}
	}
	for number, g := range got {
		if _, ok := rec.orders[number]; !ok {
			kept.add("order %s (%s, %s, %v) is in the database, but no client was told of it", number, g.method, g.status, g.lines)
		}
	}
	kept.done()

	// Stock: what each variant had, less what live orders hold, is what it
	// has: no unit sold twice, none held without an order, none lost.
	held := map[int64]int{}
	for _, g := range got {
		for v, q := range g.held {
			held[v] += q
		}
	}
	soldOut := 0
	for _, p := range s.products {
		var stock int
		if err := d.Read().QueryRowContext(ctx, `SELECT stock FROM variants WHERE id = ?`, p.variant).Scan(&stock); err != nil {
			t.Fatal(err)
		}
		if stock < 0 || p.stock-held[p.variant] != stock {
			t.Errorf("%s: %d units at the start, %d held by orders, %d left (want %d)", p.slug, p.stock, held[p.variant], stock, p.stock-held[p.variant])
		}
		if stock == 0 {
			soldOut++
		}
	}
	if soldOut == 0 && len(rec.orders) >= 200 { // the scarce ones hold 20 and 30 units
		t.Error("no product sold out: the scarce ones should have")
	}
	each(t, d, `SELECT idempotency_key, COUNT(*) FROM orders GROUP BY idempotency_key HAVING COUNT(*) > 1`,
		func(scan func(...any) error) error {
			var key string
			var orders int
			if err := scan(&key, &orders); err != nil {
				return err
			}
			t.Errorf("%d orders share the Idempotency-Key %s", orders, key)
			return nil
		})
	var orphans int
	if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM vendor_orders vo
		WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.vendor_order_id = vo.id)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans > 0 {
		t.Errorf("%d parcels have no lines", orphans)
	}

	// Nothing but the captures and the take-backs above is in the book.
	postings, books := 0, 0
	for _, g := range got {
		postings += g.captured + g.takenBack
	}
	if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_transactions`).Scan(&books); err != nil {
		t.Fatal(err)
	}
	if books != postings {
		t.Errorf("the ledger holds %d transactions, the orders' captures and cancellations %d", books, postings)
	}
	if out, err := n.command("ledger", "check"); err != nil {
		t.Errorf("souk ledger check: %v\n%s", err, out)
	}
}

// problems reports the first few problems of one kind and counts the
// rest, so that a broken invariant neither buries the others nor floods
// the output.
type problems struct {
	t    *testing.T
	what string
	n    int
}

func (p *problems) add(format string, args ...any) {
	p.t.Helper()
	if p.n++; p.n <= 20 {
		p.t.Errorf(format, args...)
	}
}

func (p *problems) done() {
	p.t.Helper()
	if p.n > 20 {
		p.t.Errorf("%d more problems %s", p.n-20, p.what)
	}
}

// want is the order's status and its payment's once everything the client
// did is applied.
func (o *placed) want() (status, payment string) {
	switch {
	case o.cancelled && o.paid != nil && *o.paid:
		return "cancelled", "captured" // the money is owed back: a refund is an operator's act
	case o.cancelled:
		return "cancelled", "cancelled"
	case o.paid == nil:
		return o.status, "pending"
	case *o.paid:
		return "confirmed", "captured"
	}
	return "placed", "failed"
}

func describe(paid *bool) string {
	if paid == nil {
		return "cash"
	}
	return fmt.Sprint(*paid)
}

// storedOrders reads every order with its lines, parcels, payment,
// callbacks and ledger postings.
func storedOrders(t *testing.T, d *db.DB) map[string]*stored {
	t.Helper()
	out := map[string]*stored{}
	byID := map[int64]*stored{}
	each(t, d, `SELECT o.id, o.number, o.payment_method, o.status, p.status,
		(SELECT COUNT(*) FROM payment_events e WHERE e.payment_id = p.id),
		(SELECT COUNT(*) FROM ledger_transactions x WHERE x.kind = 'payment.captured' AND x.reference = o.number),
		(SELECT COUNT(*) FROM ledger_transactions x WHERE x.kind = 'sale.cancelled' AND x.document = o.number)
		FROM orders o LEFT JOIN payments p ON p.order_id = o.id`, func(scan func(...any) error) error {
		g := &stored{lines: map[int64]int{}, held: map[int64]int{}}
		var number string
		var payment *string
		if err := scan(&g.id, &number, &g.method, &g.status, &payment, &g.events, &g.captured, &g.takenBack); err != nil {
			return err
		}
		if payment != nil {
			g.payment = *payment
		}
		out[number], byID[g.id] = g, g
		return nil
	})
	each(t, d, `SELECT l.order_id, l.variant_id, l.quantity, vo.status FROM order_lines l
		JOIN vendor_orders vo ON vo.id = l.vendor_order_id`, func(scan func(...any) error) error {
		var order, variant int64
		var quantity int
		var status string
		if err := scan(&order, &variant, &quantity, &status); err != nil {
			return err
		}
		byID[order].lines[variant] += quantity
		if status != "cancelled" {
			byID[order].held[variant] += quantity
		}
		return nil
	})
	each(t, d, `SELECT order_id, status FROM vendor_orders`, func(scan func(...any) error) error {
		var order int64
		var status string
		if err := scan(&order, &status); err != nil {
			return err
		}
		byID[order].parcels++
		if status == "cancelled" {
			byID[order].cancelled++
		}
		return nil
	})
	return out
}

// each runs a read-only query and hands every row to fn.
func each(t *testing.T, d *db.DB, query string, fn func(scan func(...any) error) error) {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
