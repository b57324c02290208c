package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"souk/internal/db"
)

// check runs the consistency checks after the attacks: through the API
// (every order the client saw, the stock of what it bought), souk's own
// `souk ledger check`, and read-only SQL when the database is at hand.
func (h *harness) check(ctx context.Context) []Check {
	h.shop.mu.Lock()
	orders := append([]*placed(nil), h.shop.orders...)
	lost := append([]*purchase(nil), h.shop.lost...)
	h.shop.mu.Unlock()

	checks := []Check{h.checkOrders(ctx, h.client, orders), h.checkStock(ctx, h.client, orders, lost)}
	if h.o.DB != nil {
		checks = append(checks, h.checkDatabase(ctx, orders, lost)...)
	}
	if h.o.LedgerCheck != nil {
		checks = append(checks, ledgerCheck(ctx, h.o.LedgerCheck))
	}
	return checks
}

// checkOrders reads back every order the client saw placed, with its
// signed link as the customer would: it must exist, hold the line bought,
// charge what checkout said, and a card paid must be captured.
func (h *harness) checkOrders(ctx context.Context, client *http.Client, orders []*placed) Check {
	c := Check{Name: "orders the client saw exist as placed", OK: true}
	var mu sync.Mutex
	var problems []string
	parallel(orders, 8, func(o *placed) {
		var got struct {
			Number string `json:"number"`
			Status string `json:"status"`
			Total  struct {
				Amount int64 `json:"amount"`
			} `json:"total"`
			Payment struct {
				Method string `json:"method"`
				Status string `json:"status"`
			} `json:"payment"`
			VendorOrders []struct {
				Lines []struct {
					Variant  string `json:"variant"`
					Quantity int    `json:"quantity"`
				} `json:"lines"`
			} `json:"vendor_orders"`
		}
		err := getJSON(ctx, client, h.o.URL+"/api/v1/orders/"+url.PathEscape(o.Number)+"?token="+url.QueryEscape(o.Token), &got)
		var lines []string
		for _, vo := range got.VendorOrders {
			for _, l := range vo.Lines {
				lines = append(lines, fmt.Sprintf("%s×%d", l.Variant, l.Quantity))
			}
		}
		wantStatus, wantPayment := "confirmed", "pending"
		switch {
		case o.Method == "cmi" && o.Paid:
			wantPayment = "captured"
		case o.Method == "cmi":
			wantStatus = "placed"
		}
		var problem string
		switch {
		case err != nil:
			problem = err.Error()
		case got.Number != o.Number || got.Total.Amount != o.Total:
			problem = fmt.Sprintf("reads as %s for %d, checkout said %d", got.Number, got.Total.Amount, o.Total)
		case strings.Join(lines, " ") != fmt.Sprintf("%s×%d", o.Line.SKU, o.Qty):
			problem = fmt.Sprintf("holds %v, want %s×%d", lines, o.Line.SKU, o.Qty)
		case got.Payment.Method != o.Method || got.Payment.Status != wantPayment:
			problem = fmt.Sprintf("payment %s %s, want %s %s", got.Payment.Method, got.Payment.Status, o.Method, wantPayment)
		case got.Status != wantStatus && !(o.Method == "cod" && got.Status == "placed"): // placed: cash orders confirmed by phone
			problem = fmt.Sprintf("is %s, want %s", got.Status, wantStatus)
		}
		if problem != "" {
			mu.Lock()
			problems = append(problems, o.Number+" "+problem)
			mu.Unlock()
		}
	})
	c.Detail = fmt.Sprintf("%d orders read back", len(orders))
	if len(problems) > 0 {
		c.OK = false
		c.Detail += ": " + summarize(problems)
	}
	return c
}

// checkStock reads the stock of every variant bought: what went is what
// the orders the client saw took, plus at most what the unanswered
// checkouts asked for.
func (h *harness) checkStock(ctx context.Context, client *http.Client, orders []*placed, lost []*purchase) Check {
	c := Check{Name: "stock gone = stock in the client's orders", OK: true}
	sold, maybe := map[*stockLine]int{}, map[*stockLine]int{}
	for _, o := range orders {
		sold[o.Line] += o.Qty
	}
	for _, p := range lost {
		maybe[p.line] += p.qty
	}
	lines := linesOf(sold, maybe)
	var mu sync.Mutex
	var problems []string
	parallel(lines, 8, func(l *stockLine) {
		var p item
		err := getJSON(ctx, client, h.o.URL+"/api/v1/products/"+url.PathEscape(l.Product), &p)
		now := -1
		for _, v := range p.Variants {
			if v.SKU == l.SKU {
				now = v.Stock
			}
		}
		var problem string
		switch gone := l.Before - now; {
		case err != nil:
			problem = err.Error()
		case now < 0:
			problem = "variant gone"
		case gone < sold[l] || gone > sold[l]+maybe[l]:
			problem = fmt.Sprintf("%d gone (%d → %d), %d sold", gone, l.Before, now, sold[l])
			if maybe[l] > 0 {
				problem += fmt.Sprintf(" and up to %d in unanswered checkouts", maybe[l])
			}
		}
		if problem != "" {
			mu.Lock()
			problems = append(problems, l.Product+"/"+l.SKU+": "+problem)
			mu.Unlock()
		}
	})
	c.Detail = fmt.Sprintf("%d variants bought", len(lines))
	if len(problems) > 0 {
		c.OK = false
		c.Detail += ": " + summarize(problems)
	}
	return c
}

// checkDatabase asks souk's database itself (read only): no stock below
// zero, the orders placed during the run are those the client saw (plus at
// most the unanswered checkouts), each complete, each card paid captured,
// and the stock taken from each variant is exactly what its order lines say.
func (h *harness) checkDatabase(ctx context.Context, orders []*placed, lost []*purchase) []Check {
	q := h.o.DB.Read()
	fail := func(name string, err error) []Check { return []Check{{Name: name, Detail: err.Error()}} }
	var negative int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM variants WHERE stock < 0`).Scan(&negative); err != nil {
		return fail("database", err)
	}
	var placedN, incomplete, captured int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM orders WHERE id > ?`, h.ordersBefore).Scan(&placedN); err != nil {
		return fail("database", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM orders o WHERE o.id > ? AND (
		NOT EXISTS (SELECT 1 FROM vendor_orders v WHERE v.order_id = o.id)
		OR NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)
		OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id))`, h.ordersBefore).Scan(&incomplete); err != nil {
		return fail("database", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id
		WHERE o.id > ? AND p.method = 'cmi' AND p.status = 'captured'`, h.ordersBefore).Scan(&captured); err != nil {
		return fail("database", err)
	}
	paid := 0
	for _, o := range orders {
		if o.Paid {
			paid++
		}
	}
	checks := []Check{
		{Name: "no variant below zero stock", OK: negative == 0, Detail: fmt.Sprintf("%d variants below zero", negative)},
		{Name: "orders in the database = orders the client saw", OK: placedN >= len(orders) && placedN <= len(orders)+len(lost),
			Detail: fmt.Sprintf("%d placed during the run, %d seen by the client, %d checkouts unanswered or refused", placedN, len(orders), len(lost))},
		{Name: "every order complete", OK: incomplete == 0,
			Detail: fmt.Sprintf("%d orders without a parcel, a line or a payment", incomplete)},
		{Name: "every card paid captured", OK: captured == paid, Detail: fmt.Sprintf("%d captured, %d paid by the client", captured, paid)},
	}

	sold := map[*stockLine]int{}
	for _, o := range orders {
		sold[o.Line] += o.Qty
	}
	maybe := map[*stockLine]int{}
	for _, p := range lost {
		maybe[p.line] += p.qty
	}
	stock := Check{Name: "stock taken = quantities in the orders (no oversell)", OK: true}
	var problems []string
	lines := linesOf(sold, maybe)
	for _, l := range lines {
		var now, inOrders int
		if err := q.QueryRowContext(ctx, `SELECT x.stock FROM variants x JOIN products p ON p.id = x.product_id
			WHERE p.slug = ? AND x.sku = ?`, l.Product, l.SKU).Scan(&now); err != nil {
			return append(checks, Check{Name: stock.Name, Detail: err.Error()})
		}
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l
			JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id
			WHERE o.id > ? AND o.status <> 'cancelled' AND p.slug = ? AND l.sku = ?`, h.ordersBefore, l.Product, l.SKU).Scan(&inOrders); err != nil {
			return append(checks, Check{Name: stock.Name, Detail: err.Error()})
		}
		if gone := l.Before - now; gone != inOrders {
			problems = append(problems, fmt.Sprintf("%s/%s: %d gone, %d in orders", l.Product, l.SKU, gone, inOrders))
		}
	}
	stock.Detail = fmt.Sprintf("%d variants", len(lines))
	if len(problems) > 0 {
		stock.OK = false
		stock.Detail += ": " + summarize(problems)
	}
	return append(checks, stock)
}

// ledgerCheck runs `souk ledger check --json` and reads its report.
func ledgerCheck(ctx context.Context, run func(context.Context) ([]byte, error)) Check {
	c := Check{Name: "souk ledger check"}
	out, err := run(ctx)
	var r struct {
		Transactions int      `json:"transactions"`
		Entries      int      `json:"entries"`
		Problems     []string `json:"problems"`
	}
	if jerr := json.Unmarshal(out, &r); jerr != nil {
		c.Detail = fmt.Sprintf("unreadable report (%v): %s", err, strings.TrimSpace(string(out)))
		return c
	}
	c.OK = err == nil && len(r.Problems) == 0
	c.Detail = fmt.Sprintf("%d journal transactions, %d entries", r.Transactions, r.Entries)
	if !c.OK {
		c.Detail += fmt.Sprintf(" (%v): %s", err, summarize(r.Problems))
	}
	return c
}

// lastOrderID is the newest order before the run: the run's orders come after.
func lastOrderID(ctx context.Context, d *db.DB) (int64, error) {
	var id int64
	err := d.Read().QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM orders`).Scan(&id)
	return id, err
}

func linesOf(sets ...map[*stockLine]int) []*stockLine {
	seen := map[*stockLine]bool{}
	var out []*stockLine
	for _, s := range sets {
		for l := range s {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Product+out[i].SKU < out[j].Product+out[j].SKU })
	return out
}

// parallel calls fn on every element, n at a time.
func parallel[T any](xs []T, n int, fn func(T)) {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, x := range xs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(x)
		}()
	}
	wg.Wait()
}

// summarize names the first few problems and counts the rest.
func summarize(problems []string) string {
	sort.Strings(problems)
	if len(problems) <= 5 {
		return strings.Join(problems, "; ")
	}
	return strings.Join(problems[:5], "; ") + fmt.Sprintf("; and %d more", len(problems)-5)
}
