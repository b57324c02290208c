package order

import (
	"context"
	"fmt"
	"strings"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/notify"
)

// draft builds the order a checkout will insert, every amount computed.
func (s *Service) draft(c Cart, parcels []parcel, in CheckoutInput, key string, by auth.User, st Settings) Order {
	now := s.now().UTC()
	customer := c.UserID // the cart's customer; a guest cart is the signed-in buyer's, if any
	if customer == 0 {
		customer = by.ID
	}
	o := Order{Number: newOrderNumber(now), Status: Placed, UserID: customer, Channel: c.Channel, Locale: in.Locale,
		Email: in.Email, Phone: in.Phone, Address: in.Address, PaymentMethod: in.PaymentMethod,
		Items: money.Dirhams(0), Shipping: money.Dirhams(0), VAT: money.Dirhams(0), CreatedAt: now,
		cartID: c.ID, idempotencyKey: key}
	if in.PaymentMethod == COD && !st.CODConfirmation {
		o.Status = Confirmed
	}
	if in.PaymentMethod != COD {
		hold := now.Add(st.CardHold)
		o.HoldUntil = &hold
	}
	for i := range parcels {
		p := &parcels[i]
		v := VendorOrder{Number: fmt.Sprintf("%s-%d", o.Number, i+1), VendorID: p.group.VendorID, VendorSlug: p.group.VendorSlug, Status: o.Status,
			Carrier: p.quote.Carrier, Items: money.Dirhams(0), Shipping: money.Dirhams(p.quote.Amount),
			VAT: money.Dirhams(vatIncluded(p.quote.Amount, ShippingVATBP)), WeightGrams: p.group.WeightGrams}
		for _, li := range p.group.Lines {
			l := c.Lines[li]
			title, _, _ := i18n.Pick(l.Titles, in.Locale)
			if l.Label != "" {
				title += " — " + l.Label
			}
			ol := OrderLine{ProductID: l.ProductID, VariantID: l.VariantID, SKU: l.SKU, Title: title, Quantity: l.Quantity,
				Unit: l.Price, Total: l.Total, VATRateBP: l.VATRateBP, WeightGrams: l.WeightGrams * l.Quantity, VAT: money.Dirhams(vatIncluded(l.Total.Amount, l.VATRateBP))}
			v.Lines = append(v.Lines, ol)
			v.Items.Amount += ol.Total.Amount
			v.VAT.Amount += ol.VAT.Amount
		}
		o.Vendors = append(o.Vendors, v)
		o.Items.Amount += v.Items.Amount
		o.Shipping.Amount += v.Shipping.Amount
		o.VAT.Amount += v.VAT.Amount
	}
	o.Total = money.Dirhams(o.Items.Amount + o.Shipping.Amount)
	o.Payment = Payment{Method: in.PaymentMethod, Status: PaymentPending, Amount: o.Total, Refunded: money.Dirhams(0), Reference: o.Number}
	return o
}

// orderRows are a drafted order's rows below the order itself, each keyed
// by its vendor order's number (the ids come from the insert), and the
// events they record.
type orderRows struct {
	customer                any // the customer's user id, or nil for a guest
	vendors, lines, history [][]any
	events                  []Event
}

func rowsOf(o *Order) orderRows {
	r := orderRows{}
	if o.UserID != 0 {
		r.customer = o.UserID
	}
	for _, v := range o.Vendors {
		r.vendors = append(r.vendors, []any{v.VendorID, v.Number, string(v.Status), v.Carrier, v.Items.Amount, v.Shipping.Amount,
			v.VAT.Amount, v.WeightGrams, o.CreatedAt})
		for _, l := range v.Lines {
			r.lines = append(r.lines, []any{v.Number, l.ProductID, l.VariantID, l.SKU, l.Title, l.Quantity, l.Unit.Amount,
				l.VATRateBP, l.Total.Amount, l.VAT.Amount, l.WeightGrams})
		}
		r.events = append(r.events, Event{To: Placed, Actor: "customer", ActorUserID: o.UserID, At: o.CreatedAt})
		r.history = append(r.history, []any{v.Number, "", string(Placed), r.customer, "customer", o.CreatedAt})
		if o.Status == Confirmed {
			r.events = append(r.events, Event{From: Placed, To: Confirmed, Actor: ActorSystem, At: o.CreatedAt})
			r.history = append(r.history, []any{v.Number, string(Placed), string(Confirmed), nil, ActorSystem, o.CreatedAt})
		}
	}
	return r
}

// written fills in the ids an insert gave: the vendor orders' by number.
func (r orderRows) written(o *Order, ids map[string]int64) {
	for i := range o.Vendors {
		o.Vendors[i].ID = ids[o.Vendors[i].Number]
	}
	o.Events = r.events
	for i, e := range r.history {
		o.Events[i].VendorOrderID = ids[e[0].(string)]
	}
}

// insertOrder writes a drafted order, its vendor orders, lines, events and
// payment, and the customer's e-mail, in tx; ids are filled in.
func (s *Service) insertOrder(ctx context.Context, tx db.Querier, o *Order) error {
	r := rowsOf(o)
	var ids map[string]int64
	var err error
	if tx.Dialect() == db.Postgres {
		ids, err = insertOrderOnce(ctx, tx, o, r)
	} else {
		ids, err = insertOrderRows(ctx, tx, o, r)
	}
	if err != nil {
		return err
	}
	r.written(o, ids)
	return s.tell(ctx, tx, *o, "placed")
}

// placePipelined is the transaction of checkout sent to PostgreSQL in one
// round trip (db.Pipeline): the cart marked ordered, the order with all its
// rows, the e-mail, the stock — the same statements, in the same order, as
// the transaction, where each waits for the one before. The cart and the
// stock are checked with db.FailUnless, so any shortfall rolls it all back.
func (s *Service) placePipelined(ctx context.Context, cartID string, o *Order, takes []catalog.Take) error {
	r := rowsOf(o)
	mail, err := notify.EnqueueStatement(s.now().UTC(), s.mail(*o, "placed"))
	if err != nil {
		return err
	}
	results, err := s.db.Pipeline(ctx,
		db.Statement{Query: `WITH c AS (UPDATE carts SET status = 'ordered', updated_at = ? WHERE id = ? AND status = 'open' RETURNING id) ` +
			db.FailUnless(`(SELECT COUNT(*) FROM c) = 1`), Args: []any{o.CreatedAt, cartID}},
		orderStatement(o, r),
		mail,
		catalog.ReserveAll(takes))
	if err != nil {
		return err
	}
	ids, err := orderStatementIDs(o, results[1])
	if err != nil {
		return err
	}
	r.written(o, ids)
	return nil
}

// orderColumns and orderValues are an order's row.
const orderColumns = `number, cart_id, idempotency_key, user_id, channel, locale, email, phone, ship_name, ship_line1,
	ship_line2, ship_city, ship_region, ship_postal_code, ship_country, status, payment_method, items_amount,
	shipping_amount, vat_amount, total_amount, currency, hold_until, created_at, updated_at`

func orderValues(o *Order, customer any) []any {
	a := o.Address
	return []any{o.Number, o.cartID, o.idempotencyKey, customer, o.Channel, o.Locale, o.Email, o.Phone, a.Name, a.Line1,
		a.Line2, a.City, a.Region, a.PostalCode, a.Country, string(o.Status), o.PaymentMethod, o.Items.Amount,
		o.Shipping.Amount, o.VAT.Amount, o.Total.Amount, o.Total.Currency, o.HoldUntil, o.CreatedAt, o.CreatedAt}
}

// insertOrderRows inserts an order table by table (SQLite: statements
// cost no round trip). It returns the vendor orders' ids by number.
func insertOrderRows(ctx context.Context, tx db.Querier, o *Order, r orderRows) (map[string]int64, error) {
	vendorRows, lineRows, eventRows := r.vendors, r.lines, r.history
	if err := tx.QueryRowContext(ctx, `INSERT INTO orders (`+orderColumns+`) VALUES (`+db.Placeholders(25)+`) RETURNING id`,
		orderValues(o, r.customer)...).Scan(&o.ID); err != nil {
		return nil, err
	}
	rows := make([][]any, len(vendorRows))
	for i, r := range vendorRows {
		rows[i] = append([]any{o.ID}, append(r, r[len(r)-1])...)
	}
	got, err := db.InsertRows(ctx, tx, "vendor_orders", []string{"order_id", "vendor_id", "number", "status", "carrier_code",
		"items_amount", "shipping_amount", "vat_amount", "weight_grams", "created_at", "updated_at"}, rows, "id", "number")
	if err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	for _, r := range got {
		ids[db.String(r[1])] = db.Int64(r[0])
	}
	rows = rows[:0]
	for _, r := range lineRows {
		rows = append(rows, append([]any{o.ID, ids[r[0].(string)]}, r[1:]...))
	}
	if _, err := db.InsertRows(ctx, tx, "order_lines", []string{"order_id", "vendor_order_id", "product_id", "variant_id",
		"sku", "title", "quantity", "unit_amount", "vat_rate_bp", "line_amount", "vat_amount", "weight_grams"}, rows); err != nil {
		return nil, err
	}
	rows = nil
	for _, r := range eventRows {
		rows = append(rows, []any{o.ID, ids[r[0].(string)], r[1], r[2], r[3], r[4], "", r[5]})
	}
	if _, err := db.InsertRows(ctx, tx, "order_events", []string{"order_id", "vendor_order_id", "from_status", "to_status",
		"actor_user_id", "actor", "note", "created_at"}, rows); err != nil {
		return nil, err
	}
	p := &o.Payment
	err = tx.QueryRowContext(ctx, `INSERT INTO payments (order_id, method, status, amount, currency, reference, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, o.ID, p.Method, p.Status, p.Amount.Amount, p.Amount.Currency,
		p.Reference, o.CreatedAt, o.CreatedAt).Scan(&p.ID)
	return ids, err
}

// insertOrderOnce inserts an order and everything of it in one statement
// (PostgreSQL): one round trip instead of five, at 500 orders a second.
func insertOrderOnce(ctx context.Context, tx db.Querier, o *Order, r orderRows) (map[string]int64, error) {
	st := orderStatement(o, r)
	rows, err := tx.QueryContext(ctx, st.Query, st.Args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var got [][]any
	for rows.Next() {
		var orderID, paymentID, vendorOrderID int64
		var number string
		if err := rows.Scan(&orderID, &paymentID, &vendorOrderID, &number); err != nil {
			return nil, err
		}
		got = append(got, []any{orderID, paymentID, vendorOrderID, number})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return orderStatementIDs(o, got)
}

// orderStatement is PostgreSQL's data-modifying WITH that inserts the order,
// its vendor orders, lines, events and payment; its rows are (order id,
// payment id, vendor order id, vendor order number), one per vendor order.
func orderStatement(o *Order, r orderRows) db.Statement {
	var args []any
	values := func(rows [][]any, types ...string) string {
		var b strings.Builder
		for i, r := range rows {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString("CAST(? AS " + types[j] + ")")
				args = append(args, v)
			}
			b.WriteByte(')')
		}
		return b.String()
	}
	args = append(args, orderValues(o, r.customer)...)
	query := `WITH o AS (INSERT INTO orders (` + orderColumns + `) VALUES (` + db.Placeholders(25) + `) RETURNING id),
	vo AS (INSERT INTO vendor_orders (order_id, vendor_id, number, status, carrier_code, items_amount, shipping_amount,
			vat_amount, weight_grams, created_at, updated_at)
		SELECT o.id, x.vendor_id, x.number, x.status, x.carrier, x.items, x.shipping, x.vat, x.weight, x.at, x.at
		FROM o CROSS JOIN (VALUES ` + values(r.vendors, "BIGINT", "TEXT", "TEXT", "TEXT", "BIGINT", "BIGINT", "BIGINT", "INTEGER", "TIMESTAMPTZ") + `)
			AS x (vendor_id, number, status, carrier, items, shipping, vat, weight, at)
		RETURNING id, number),
	ln AS (INSERT INTO order_lines (order_id, vendor_order_id, product_id, variant_id, sku, title, quantity, unit_amount,
			vat_rate_bp, line_amount, vat_amount, weight_grams)
		SELECT o.id, vo.id, x.product_id, x.variant_id, x.sku, x.title, x.quantity, x.unit, x.rate, x.total, x.vat, x.weight
		FROM o CROSS JOIN (VALUES ` + values(r.lines, "TEXT", "BIGINT", "BIGINT", "TEXT", "TEXT", "INTEGER", "BIGINT", "INTEGER", "BIGINT", "BIGINT", "INTEGER") + `)
			AS x (number, product_id, variant_id, sku, title, quantity, unit, rate, total, vat, weight)
		JOIN vo ON vo.number = x.number),
	ev AS (INSERT INTO order_events (order_id, vendor_order_id, from_status, to_status, actor_user_id, actor, note, created_at)
		SELECT o.id, vo.id, x.from_status, x.to_status, x.actor_user, x.actor, '', x.at
		FROM o CROSS JOIN (VALUES ` + values(r.history, "TEXT", "TEXT", "TEXT", "BIGINT", "TEXT", "TIMESTAMPTZ") + `)
			AS x (number, from_status, to_status, actor_user, actor, at)
		JOIN vo ON vo.number = x.number),
	p AS (INSERT INTO payments (order_id, method, status, amount, currency, reference, created_at, updated_at)
		SELECT o.id, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ) FROM o RETURNING id)
	SELECT o.id, p.id, vo.id, vo.number FROM o CROSS JOIN p CROSS JOIN vo`
	pay := &o.Payment
	args = append(args, pay.Method, pay.Status, pay.Amount.Amount, pay.Amount.Currency, pay.Reference, o.CreatedAt, o.CreatedAt)
	return db.Statement{Query: query, Args: args}
}

// orderStatementIDs reads orderStatement's rows into o (its id and its
// payment's) and returns the vendor orders' ids by number.
func orderStatementIDs(o *Order, rows [][]any) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, r := range rows {
		o.ID, o.Payment.ID = db.Int64(r[0]), db.Int64(r[1])
		ids[db.String(r[3])] = db.Int64(r[2])
	}
	if len(ids) != len(o.Vendors) {
		return nil, fmt.Errorf("insert order: %d vendor orders written of %d", len(ids), len(o.Vendors))
	}
	return ids, nil
}
