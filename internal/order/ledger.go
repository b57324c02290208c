package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/ledger"
)

// The money events of an order, posted to the ledger (package ledger, whose
// documentation has the table of what each posts) in the transaction of the
// event: a payment captured or cash collected, a parcel delivered, cancelled
// or returned after payment, a refund. Every transaction that changes an
// order's parcels or payment first takes the order's row lock (lockOrder),
// before any other row of the order: they run one at a time per order, so
// what a posting reads of the ledger and of the parcels cannot change before
// it commits (a collection recorded while a parcel is being delivered, a
// refund while a parcel is cancelled), and none holds a row another waits
// for while waiting for the order.

// Ledger transaction kinds posted by orders.
const (
	LedgerCaptured  = "payment.captured"
	LedgerCollected = "cod.collected"
	LedgerDelivered = "sale.delivered"
	LedgerCancelled = "sale.cancelled"
	LedgerReturned  = "sale.returned"
	LedgerRefunded  = "payment.refunded"
)

// lockOrder takes the order's row lock for the rest of tx (PostgreSQL; on
// SQLite the single writer already runs one transaction at a time).
func lockOrder(ctx context.Context, tx db.Querier, orderID int64) error {
	if tx.Dialect() != db.Postgres {
		return nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM orders WHERE id = ? FOR NO KEY UPDATE`, orderID).Scan(&id)
	if err != nil {
		return fmt.Errorf("lock order %d: %w", orderID, err)
	}
	return nil
}

// settlesFromSale marks the channels (the physical shops) whose settlement
// delay starts at the sale, not at delivery: sales_channels.settles_from.
const settlesFromSale = "sale"

// postPaid books an order's money coming in: a card payment captured
// (method cmi or stripe, into its clearing account) or cash on delivery
// collected (into each parcel's carrier's account). Each parcel is booked as
// it stands: delivered ones due from their delivery (every one from the
// sale in a physical shop, where the customer leaves with it), cancelled ones
// owed back (by card) or left out (cash: the carrier never collected them),
// returned ones owed back but their shipping.
func (s *Service) postPaid(ctx context.Context, tx db.Querier, orderID int64, method string) error {
	var number, channel, currency, from string
	var placed time.Time
	var hours int
	err := tx.QueryRowContext(ctx, `SELECT o.number, o.channel, o.currency, o.created_at, c.settlement_hours, c.settles_from FROM orders o
		JOIN sales_channels c ON c.code = o.channel WHERE o.id = ?`, orderID).Scan(&number, &channel, &currency, &placed, &hours, &from)
	if err != nil {
		return fmt.Errorf("post payment: %w", err)
	}
	type parcel struct {
		id, vendorID                int64
		kind, carrier               string
		status                      Status
		items, shipping, commission int64
	}
	rows, err := tx.QueryContext(ctx, `SELECT vo.id, vo.vendor_id, v.kind, vo.status, vo.carrier_code, vo.items_amount, vo.shipping_amount
		FROM vendor_orders vo JOIN vendors v ON v.id = vo.vendor_id WHERE vo.order_id = ? ORDER BY vo.id`, orderID)
	if err != nil {
		return fmt.Errorf("post payment: %w", err)
	}
	var parcels []parcel
	at := map[int64]int{}
	for rows.Next() {
		var p parcel
		if err := rows.Scan(&p.id, &p.vendorID, &p.kind, &p.status, &p.carrier, &p.items, &p.shipping); err != nil {
			rows.Close()
			return fmt.Errorf("post payment: %w", err)
		}
		at[p.id] = len(parcels)
		parcels = append(parcels, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("post payment: %w", err)
	}
	// The commission is priced by the rules in force when the order was
	// placed, line by line (each line's product category).
	rates, err := ledger.RatesAt(ctx, tx, placed)
	if err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT ol.vendor_order_id, ol.line_amount, COALESCE(p.category_id, 0) FROM order_lines ol
		LEFT JOIN products p ON p.id = ol.product_id WHERE ol.order_id = ?`, orderID)
	if err != nil {
		return fmt.Errorf("post payment: %w", err)
	}
	for rows.Next() {
		var vo, amount, category int64
		if err := rows.Scan(&vo, &amount, &category); err != nil {
			rows.Close()
			return fmt.Errorf("post payment: %w", err)
		}
		p := &parcels[at[vo]]
		rate, ok := rates.Rate(p.kind, category, channel)
		if !ok {
			rows.Close()
			return fmt.Errorf("post payment: no commission rule for order %s", number)
		}
		p.commission += ledger.Commission(amount, rate)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("post payment: %w", err)
	}
	delivered, err := deliveredAt(ctx, tx, orderID)
	if err != nil {
		return err
	}
	var entries []ledger.Entry
	for _, p := range parcels {
		sale := ledger.Sale{VendorID: p.vendorID, Currency: currency, Items: p.items, Shipping: p.shipping, Commission: p.commission,
			Carrier: p.carrier, Paid: ledger.Clearing(method)}
		if method == COD {
			sale.Paid = ledger.COD(p.carrier)
		}
		switch p.status {
		case Cancelled:
			if method != COD {
				entries = append(entries, sale.Cancelled()...)
			}
		case Returned, Refunded:
			entries = append(entries, sale.Returned()...)
		default:
			switch {
			case from == settlesFromSale: // a shop's sale: due from the sale, the customer left with it
				sale.DueAt = ledger.DueAt(placed, hours)
			case p.status == Delivered || p.status == Completed || p.status == ReturnRequested:
				sale.DueAt = ledger.DueAt(delivered[p.id], hours)
			}
			entries = append(entries, sale.Entries()...)
		}
	}
	kind := LedgerCaptured
	if method == COD {
		kind = LedgerCollected
	}
	_, err = ledger.Post(ctx, tx, ledger.Transaction{Kind: kind, Reference: number, Document: number, At: s.now().UTC(), Entries: entries})
	return err
}

// deliveredAt is when each parcel of an order was delivered.
func deliveredAt(ctx context.Context, tx db.Querier, orderID int64) (map[int64]time.Time, error) {
	rows, err := tx.QueryContext(ctx, `SELECT vendor_order_id, created_at FROM order_events
		WHERE order_id = ? AND to_status = 'delivered' AND vendor_order_id IS NOT NULL`, orderID)
	if err != nil {
		return nil, fmt.Errorf("delivery times: %w", err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var t time.Time
		if err := rows.Scan(&id, &t); err != nil {
			return nil, fmt.Errorf("delivery times: %w", err)
		}
		if t.After(out[id]) {
			out[id] = t
		}
	}
	return out, rows.Err()
}

// postMove books a parcel's move when it moves money: delivered (its
// earning falls due after the channel's delay), cancelled or returned
// after payment (its sale is taken back, owed to the customer). A parcel
// whose order was not paid holds nothing, and posts nothing.
func (s *Service) postMove(ctx context.Context, tx db.Querier, vendorOrderID int64, to Status, now time.Time) error {
	var kind string
	switch to {
	case Delivered:
		kind = LedgerDelivered
	case Cancelled:
		kind = LedgerCancelled
	case Returned:
		kind = LedgerReturned
	default:
		return nil
	}
	var number, parcel string
	var vendorID int64
	var hours int
	err := tx.QueryRowContext(ctx, `SELECT o.number, vo.number, vo.vendor_id, c.settlement_hours FROM vendor_orders vo
		JOIN orders o ON o.id = vo.order_id JOIN sales_channels c ON c.code = o.channel WHERE vo.id = ?`, vendorOrderID).
		Scan(&number, &parcel, &vendorID, &hours)
	if err != nil {
		return fmt.Errorf("post %s: %w", kind, err)
	}
	lines, err := ledger.Lines(ctx, tx, number)
	if err != nil || len(lines) == 0 {
		return err
	}
	var entries []ledger.Entry
	switch to {
	case Delivered:
		entries = ledger.Deliver(lines, vendorID, ledger.DueAt(now, hours))
	case Cancelled:
		entries = ledger.TakeBack(lines, vendorID, true)
	case Returned:
		entries = ledger.TakeBack(lines, vendorID, false)
	}
	_, err = ledger.Post(ctx, tx, ledger.Transaction{Kind: kind, Reference: parcel, Document: number, At: now, Entries: entries})
	return err
}

// errNotPosted: the order's payment is not in the ledger (it was taken
// before the ledger existed), so its refunds are not either.
var errNotPosted = errors.New("payment not in the ledger")

// refundLines reads what an order's ledger holds for a refund in tx:
// errNotPosted when its payment was never posted.
func refundLines(ctx context.Context, q db.Querier, number, method string) ([]ledger.Line, error) {
	kind := LedgerCaptured
	if method == COD {
		kind = LedgerCollected
	}
	posted, err := ledger.Posted(ctx, q, kind, number)
	if err != nil {
		return nil, err
	}
	if !posted {
		return nil, errNotPosted
	}
	return ledger.Lines(ctx, q, number)
}

// postRefund books a refund of amount: what the order owes the customer
// first, then every line of its sales in proportion; the money leaves the
// card's clearing account, or the bank for cash on delivery.
func (s *Service) postRefund(ctx context.Context, tx db.Querier, number, method, currency string, refundID, amount int64, now time.Time) error {
	lines, err := refundLines(ctx, tx, number, method)
	if errors.Is(err, errNotPosted) {
		return nil
	}
	if err != nil {
		return err
	}
	from := ledger.Clearing(method)
	if method == COD {
		from = ledger.Bank
	}
	entries, err := ledger.Refund(lines, currency, amount, from)
	if errors.Is(err, ledger.ErrRefundTooLarge) {
		return &errs.Error{Code: errs.Conflict, Message: "order.changed_meanwhile", Err: err}
	}
	if err != nil {
		return err
	}
	_, err = ledger.Post(ctx, tx, ledger.Transaction{Kind: LedgerRefunded, Reference: fmt.Sprintf("%s/%d", number, refundID),
		Document: number, At: now, Entries: entries})
	return err
}

// refundable is how much of an order's payment the ledger can still give
// back (what it owes the customer and what its sales hold), or -1 when the
// payment is not in the ledger.
func refundable(ctx context.Context, q db.Querier, number, method, currency string) (int64, error) {
	lines, err := refundLines(ctx, q, number, method)
	if errors.Is(err, errNotPosted) {
		return -1, nil
	}
	if err != nil {
		return 0, err
	}
	return ledger.Refundable(lines, currency), nil
}
