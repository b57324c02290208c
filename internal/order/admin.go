package order

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
	"souk/internal/text"
)

// The operators' view of orders across vendors: the list with its
// filters, an order's payment history, and the operator's moves and
// cancellations, each recorded in the audit log in the transaction of the
// change.

// Methods are the ways to pay an order may have used.
var Methods = []string{COD, CMI, Stripe}

// AdminFilter narrows the operators' list of orders. Zero values do not
// filter.
type AdminFilter struct {
	Status     Status    // the customer order's status
	VendorID   int64     // orders with a parcel of this vendor
	Method     string    // one of Methods
	From, To   time.Time // placed in [From, To)
	Q          string    // the start of an order or parcel number, or part of the customer's e-mail
	CustomerID int64     // orders of this account
	Page       int       // from 1
	PerPage    int       // 1..100, default 20
}

// OrderPage is one page of the operators' order list. Each order carries
// its parcels (without lines) and its payment, not its events.
type OrderPage struct {
	Orders  []Order
	Total   int
	Page    int
	PerPage int
}

// AdminOrders lists orders across vendors, newest first; operators only
// (errs.Forbidden). A status or method souk does not know is errs.Invalid.
func (s *Service) AdminOrders(ctx context.Context, by auth.User, f AdminFilter) (OrderPage, error) {
	if !by.IsOperator() {
		return OrderPage{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	bad := errs.Fields{}
	if f.Status != "" && !f.Status.Valid() {
		bad.Add("status", "field.enum")
	}
	if f.Method != "" && !slices.Contains(Methods, f.Method) {
		bad.Add("method", "field.enum")
	}
	if err := bad.Err(); err != nil {
		return OrderPage{}, err
	}
	f.Page = max(f.Page, 1)
	if f.PerPage < 1 {
		f.PerPage = 20
	}
	f.PerPage = min(f.PerPage, 100)
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.VendorID != 0 {
		add("EXISTS (SELECT 1 FROM vendor_orders vo WHERE vo.order_id = orders.id AND vo.vendor_id = ?)", f.VendorID)
	}
	if f.Method != "" {
		add("payment_method = ?", f.Method)
	}
	if !f.From.IsZero() {
		add("created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("created_at < ?", f.To.UTC())
	}
	if f.CustomerID != 0 {
		add("user_id = ?", f.CustomerID)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		number := db.LikeEscape(strings.ToUpper(q)) + "%"
		email := "%" + db.LikeEscape(strings.ToLower(q)) + "%"
		add(`(number LIKE ? ESCAPE '\' OR LOWER(email) LIKE ? ESCAPE '\'
			OR EXISTS (SELECT 1 FROM vendor_orders vo WHERE vo.order_id = orders.id AND vo.number LIKE ? ESCAPE '\'))`,
			number, email, number)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	q := s.db.Read()
	page := OrderPage{Page: f.Page, PerPage: f.PerPage, Orders: []Order{}}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM orders`+cond, args...).Scan(&page.Total); err != nil {
		return OrderPage{}, fmt.Errorf("list orders: %w", err)
	}
	rows, err := q.QueryContext(ctx, orderSelect+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return OrderPage{}, fmt.Errorf("list orders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return OrderPage{}, fmt.Errorf("list orders: %w", err)
		}
		page.Orders = append(page.Orders, o)
	}
	if err := rows.Err(); err != nil {
		return OrderPage{}, fmt.Errorf("list orders: %w", err)
	}
	rows.Close()
	return page, s.outlines(ctx, q, page.Orders)
}

// outlines fills the parcels (without lines) and the payment of orders,
// one query each.
func (s *Service) outlines(ctx context.Context, q db.Querier, orders []Order) error {
	if len(orders) == 0 {
		return nil
	}
	at := make(map[int64]int, len(orders))
	ids := make([]any, len(orders))
	for i, o := range orders {
		at[o.ID], ids[i] = i, o.ID
	}
	in := "(" + db.Placeholders(len(ids)) + ")"
	rows, err := q.QueryContext(ctx, `SELECT vo.order_id, vo.id, vo.number, vo.vendor_id, v.slug, vo.status, vo.carrier_code,
		vo.tracking_number, vo.items_amount, vo.shipping_amount FROM vendor_orders vo JOIN vendors v ON v.id = vo.vendor_id
		WHERE vo.order_id IN `+in+` ORDER BY vo.id`, ids...)
	if err != nil {
		return fmt.Errorf("list orders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var orderID int64
		v := VendorOrder{Items: money.Dirhams(0), Shipping: money.Dirhams(0), VAT: money.Dirhams(0)}
		if err := rows.Scan(&orderID, &v.ID, &v.Number, &v.VendorID, &v.VendorSlug, &v.Status, &v.Carrier, &v.Tracking,
			&v.Items.Amount, &v.Shipping.Amount); err != nil {
			return fmt.Errorf("list orders: %w", err)
		}
		o := &orders[at[orderID]]
		o.Vendors = append(o.Vendors, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list orders: %w", err)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT order_id, id, method, status, amount, refunded_amount, currency, reference
		FROM payments WHERE order_id IN `+in, ids...)
	if err != nil {
		return fmt.Errorf("list orders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var orderID int64
		var p Payment
		if err := rows.Scan(&orderID, &p.ID, &p.Method, &p.Status, &p.Amount.Amount, &p.Refunded.Amount, &p.Amount.Currency,
			&p.Reference); err != nil {
			return fmt.Errorf("list orders: %w", err)
		}
		p.Refunded.Currency = p.Amount.Currency
		orders[at[orderID]].Payment = p
	}
	return rows.Err()
}

// CustomerOrderCounts says how many orders each of the accounts ids has
// placed (0 for none); operators only.
func (s *Service) CustomerOrderCounts(ctx context.Context, by auth.User, ids []int64) (map[int64]int, error) {
	if !by.IsOperator() {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	out := make(map[int64]int, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i], out[id] = id, 0
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT user_id, COUNT(*) FROM orders WHERE user_id IN (`+db.Placeholders(len(ids))+`)
		GROUP BY user_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("count orders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("count orders: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// PaymentEvent is one thing a payment provider (or the operator, for cash
// on delivery) told about a payment.
type PaymentEvent struct {
	Source, Kind, Detail string
	Amount               money.Money
	At                   time.Time
}

// RefundRecord is one refund made on a payment.
type RefundRecord struct {
	Amount      money.Money
	Reason      string
	Reference   string // the provider's refund id, when it made one
	ActorUserID int64
	At          time.Time
}

// PaymentHistory is what happened to an order's payment, oldest first, and
// what may still be refunded.
type PaymentHistory struct {
	Events     []PaymentEvent
	Refunds    []RefundRecord
	Refundable money.Money // zero unless the payment is captured
}

// PaymentHistory reads the events and refunds of an order's payment;
// operators only (errs.Forbidden), errs.NotFound for no such order.
func (s *Service) PaymentHistory(ctx context.Context, by auth.User, idOrNumber string) (PaymentHistory, error) {
	if !by.IsOperator() {
		return PaymentHistory{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	o, err := s.Get(ctx, by, idOrNumber)
	if err != nil {
		return PaymentHistory{}, err
	}
	cur := o.Payment.Amount.Currency
	h := PaymentHistory{Refundable: money.Money{Currency: cur}}
	q := s.db.Read()
	if o.Payment.Status == PaymentCaptured {
		h.Refundable.Amount = o.Payment.Amount.Amount - o.Payment.Refunded.Amount
		// Cash on delivery: what the carrier collected, its cancelled
		// parcels left out (the ledger's count).
		if n, err := refundable(ctx, q, o.Number, o.PaymentMethod, cur); err != nil {
			return PaymentHistory{}, fmt.Errorf("payment history: %w", err)
		} else if n >= 0 {
			h.Refundable.Amount = min(h.Refundable.Amount, n)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT source, kind, detail, amount, created_at FROM payment_events WHERE payment_id = ? ORDER BY id`,
		o.Payment.ID)
	if err != nil {
		return PaymentHistory{}, fmt.Errorf("payment history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e := PaymentEvent{Amount: money.Money{Currency: cur}}
		if err := rows.Scan(&e.Source, &e.Kind, &e.Detail, &e.Amount.Amount, &e.At); err != nil {
			return PaymentHistory{}, fmt.Errorf("payment history: %w", err)
		}
		h.Events = append(h.Events, e)
	}
	if err := rows.Err(); err != nil {
		return PaymentHistory{}, fmt.Errorf("payment history: %w", err)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT amount, reason, reference, COALESCE(actor_user_id, 0), created_at FROM refunds
		WHERE payment_id = ? ORDER BY id`, o.Payment.ID)
	if err != nil {
		return PaymentHistory{}, fmt.Errorf("payment history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r := RefundRecord{Amount: money.Money{Currency: cur}}
		if err := rows.Scan(&r.Amount.Amount, &r.Reason, &r.Reference, &r.ActorUserID, &r.At); err != nil {
			return PaymentHistory{}, fmt.Errorf("payment history: %w", err)
		}
		h.Refunds = append(h.Refunds, r)
	}
	return h, rows.Err()
}

// NextStatuses are the statuses the state machine lets a vendor order go
// to from from, in the machine's order.
func NextStatuses(from Status) []Status { return slices.Clone(transitions[from]) }

// OperatorMove moves the parcel vendorOrderID of order idOrNumber to to, as
// the state machine allows (errs.Conflict "order.bad_transition"
// otherwise, or "order.changed_meanwhile" when someone moved it first),
// with the audit entry in the same transaction. Shipping needs a tracking
// number. Operators only (errs.Forbidden); a parcel of another order is
// errs.NotFound.
func (s *Service) OperatorMove(ctx context.Context, by auth.User, idOrNumber string, vendorOrderID int64, to Status, note, tracking string) (Order, error) {
	if !by.IsOperator() {
		return Order{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	note, tracking = text.Clean(note), text.Clean(tracking)
	f := errs.Fields{}
	if !to.Valid() {
		f.Add("to", "field.enum")
	}
	if p := text.Check(note, false, 500); p != "" {
		f.Add("note", p)
	}
	if p := text.Check(tracking, to == Shipped, 60); p != "" {
		f.Add("tracking_number", p)
	}
	if err := f.Err(); err != nil {
		return Order{}, err
	}
	o, err := s.Get(ctx, by, idOrNumber)
	if err != nil {
		return Order{}, err
	}
	i := slices.IndexFunc(o.Vendors, func(v VendorOrder) bool { return v.ID == vendorOrderID })
	if i < 0 {
		return Order{}, errs.NotFoundE("order")
	}
	v := o.Vendors[i]
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := s.move(ctx, tx, o.ID, v.ID, v.Status, to, actorOf(by), by.ID, note, tracking); err != nil {
			return err
		}
		after := map[string]any{"status": to, "note": note}
		if tracking != "" {
			after["tracking"] = tracking
		}
		return audit.Record(ctx, tx, by, "order.move", "vendor_order", v.ID,
			map[string]any{"status": v.Status, "tracking": v.Tracking}, after, s.now().UTC())
	})
	if err != nil {
		return Order{}, fmt.Errorf("move order: %w", err)
	}
	return s.load(ctx, s.db.Read(), fmt.Sprint(o.ID))
}

// OperatorCancel cancels every parcel of an order that is not cancelled
// yet, all or none in one transaction (a shipped parcel cannot be: errs.
// Conflict "order.bad_transition"), with the reason in the order's history,
// the audit log and the customer's e-mail. The stock comes back; money
// already captured is refunded separately. Operators only.
func (s *Service) OperatorCancel(ctx context.Context, by auth.User, idOrNumber, reason string) (Order, error) {
	if !by.IsOperator() {
		return Order{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	reason = text.Clean(reason)
	if p := text.Check(reason, true, 500); p != "" {
		return Order{}, errs.Fields{"reason": p}.Err()
	}
	o, err := s.Get(ctx, by, idOrNumber)
	if err != nil {
		return Order{}, err
	}
	if o.Status == Cancelled {
		return Order{}, errs.E(errs.Conflict, "payment.order_cancelled")
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		for _, v := range o.Vendors {
			if v.Status == Cancelled {
				continue
			}
			if err := s.move(ctx, tx, o.ID, v.ID, v.Status, Cancelled, actorOf(by), by.ID, reason, ""); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, by, "order.cancel", "order", o.ID, map[string]any{"status": o.Status},
			map[string]any{"status": Cancelled, "reason": reason}, s.now().UTC())
	})
	if err != nil {
		return Order{}, fmt.Errorf("cancel order: %w", err)
	}
	return s.load(ctx, s.db.Read(), fmt.Sprint(o.ID))
}
