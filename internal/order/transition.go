package order

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/text"
)

// Actor names who made a change when it was not a signed-in person.
const (
	ActorSystem = "system"
	ActorCMI    = "cmi"
	ActorStripe = "stripe"
)

// mayMove says whether by may move a vendor order of vendorID, in an order
// placed by customer, from → to.
func mayMove(by auth.User, customer, vendorID int64, from, to Status) bool {
	switch {
	case by.IsOperator():
		return true
	case by.IsVendorUser() && by.VendorID == vendorID:
		return to == Confirmed || to == Packed || to == Shipped || to == Delivered || to == Returned ||
			(to == Cancelled && from != Shipped)
	case by.ID != 0 && by.ID == customer:
		return (to == Cancelled && (from == Placed || from == Confirmed)) || to == ReturnRequested
	}
	return false
}

func actorOf(by auth.User) string {
	switch {
	case by.IsOperator():
		return "operator"
	case by.IsVendorUser():
		return "vendor"
	case by.ID != 0:
		return "customer"
	}
	return ActorSystem
}

// Move changes a vendor order's status as the state machine allows and by
// may: the vendor packs and ships its own orders (with a tracking number),
// the customer cancels before packing or asks to return, the operator does
// anything allowed. Cancelling gives the stock back. The customer order's
// status follows its least advanced vendor order.
func (s *Service) Move(ctx context.Context, by auth.User, vendorOrderID int64, to Status, note, tracking string) (Order, error) {
	note, tracking = text.Clean(note), text.Clean(tracking)
	f := errs.Fields{}
	if p := text.Check(note, false, 500); p != "" {
		f.Add("note", p)
	}
	if p := text.Check(tracking, false, 60); p != "" {
		f.Add("tracking_number", p)
	}
	if err := f.Err(); err != nil {
		return Order{}, err
	}
	var orderID int64
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		var vendorID, customer sql.NullInt64
		var from Status
		err := tx.QueryRowContext(ctx, `SELECT vo.order_id, vo.vendor_id, vo.status, o.user_id FROM vendor_orders vo
			JOIN orders o ON o.id = vo.order_id WHERE vo.id = ?`, vendorOrderID).Scan(&orderID, &vendorID, &from, &customer)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundE("order")
		}
		if err != nil {
			return err
		}
		seen := by.IsOperator() || (by.IsVendorUser() && by.VendorID == vendorID.Int64) || (by.ID != 0 && by.ID == customer.Int64)
		if !seen {
			return errs.NotFoundE("order")
		}
		if !mayMove(by, customer.Int64, vendorID.Int64, from, to) {
			return errs.E(errs.Forbidden, "error.forbidden")
		}
		if to == Shipped && tracking == "" {
			return errs.Fields{"tracking_number": "field.required"}.Err()
		}
		return s.move(ctx, tx, orderID, vendorOrderID, from, to, actorOf(by), by.ID, note, tracking)
	})
	if err != nil {
		return Order{}, fmt.Errorf("move order: %w", err)
	}
	return s.load(ctx, s.db.Read(), fmt.Sprint(orderID))
}

// move makes one checked transition in tx: the conditional UPDATE on the
// current status makes a concurrent second move of the same order lose.
// It takes the order's lock first, and posts the move's money, if any, to
// the ledger.
func (s *Service) move(ctx context.Context, tx db.Querier, orderID, vendorOrderID int64, from, to Status, actor string, actorUser int64, note, tracking string) error {
	if !CanMove(from, to) {
		return &errs.Error{Code: errs.Conflict, Message: "order.bad_transition", Args: map[string]any{"from": string(from), "to": string(to)}}
	}
	if err := lockOrder(ctx, tx, orderID); err != nil {
		return err
	}
	now := s.now().UTC()
	set, args := `status = ?, updated_at = ?`, []any{to, now}
	if tracking != "" {
		set, args = set+`, tracking_number = ?`, append(args, tracking)
	}
	res, err := tx.ExecContext(ctx, `UPDATE vendor_orders SET `+set+` WHERE id = ? AND status = ?`, append(args, vendorOrderID, from)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return &errs.Error{Code: errs.Conflict, Message: "order.changed_meanwhile"}
	}
	var user any
	if actorUser != 0 {
		user = actorUser
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO order_events (order_id, vendor_order_id, from_status, to_status, actor_user_id,
		actor, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orderID, vendorOrderID, from, to, user, actor, note, now); err != nil {
		return err
	}
	if to == Cancelled {
		if err := releaseLines(ctx, tx, vendorOrderID); err != nil {
			return err
		}
	}
	if err := s.postMove(ctx, tx, vendorOrderID, to, now); err != nil {
		return err
	}
	return s.summarise(ctx, tx, orderID, actor, to)
}

// releaseLines gives a cancelled vendor order's stock back.
func releaseLines(ctx context.Context, tx db.Querier, vendorOrderID int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT variant_id, quantity FROM order_lines WHERE vendor_order_id = ?`, vendorOrderID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var takes []catalog.Take
	for rows.Next() {
		var t catalog.Take
		if err := rows.Scan(&t.VariantID, &t.Quantity); err != nil {
			return err
		}
		takes = append(takes, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	return catalog.Release(ctx, tx, takes)
}

// summarise sets the customer order's status from its vendor orders, ends a
// pending payment when everything is cancelled, and tells the customer of
// shipping and delivery.
func (s *Service) summarise(ctx context.Context, tx db.Querier, orderID int64, actor string, to Status) error {
	rows, err := tx.QueryContext(ctx, `SELECT status FROM vendor_orders WHERE order_id = ?`, orderID)
	if err != nil {
		return err
	}
	defer rows.Close()
	status, seen := Cancelled, false
	for rows.Next() {
		var st Status
		if err := rows.Scan(&st); err != nil {
			return err
		}
		if st == Cancelled {
			continue
		}
		if !seen || progress[st] < progress[status] {
			status, seen = st, true
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	var before Status
	if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = ?`, orderID).Scan(&before); err != nil {
		return err
	}
	if before == status {
		return nil
	}
	now := s.now().UTC()
	if _, err := tx.ExecContext(ctx, `UPDATE orders SET status = ?, updated_at = ? WHERE id = ?`, status, now, orderID); err != nil {
		return err
	}
	if status == Cancelled {
		if _, err := tx.ExecContext(ctx, `UPDATE payments SET status = 'cancelled', updated_at = ? WHERE order_id = ? AND status IN ('pending', 'failed')`,
			now, orderID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET hold_until = NULL WHERE id = ?`, orderID); err != nil {
			return err
		}
	}
	switch status {
	case Shipped, Delivered, Cancelled:
		o, err := s.load(ctx, tx, fmt.Sprint(orderID))
		if err != nil {
			return err
		}
		return s.tell(ctx, tx, o, string(status))
	}
	return nil
}

// CancelOrder cancels every vendor order of an order that can still be
// cancelled: the customer before packing, the operator until shipping.
func (s *Service) CancelOrder(ctx context.Context, by auth.User, idOrNumber, note string) (Order, error) {
	o, err := s.Get(ctx, by, idOrNumber)
	if err != nil {
		return Order{}, err
	}
	for _, v := range o.Vendors {
		if v.Status == Cancelled {
			continue
		}
		if _, err := s.Move(ctx, by, v.ID, Cancelled, note, ""); err != nil {
			return Order{}, err
		}
	}
	return s.load(ctx, s.db.Read(), fmt.Sprint(o.ID))
}

// ConfirmOrder confirms every placed vendor order of an order (the
// operator's phone check of a cash-on-delivery order); operators only.
func (s *Service) ConfirmOrder(ctx context.Context, by auth.User, idOrNumber, note string) (Order, error) {
	if !by.IsOperator() {
		return Order{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	o, err := s.Get(ctx, by, idOrNumber)
	if err != nil {
		return Order{}, err
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		for _, v := range o.Vendors {
			if v.Status == Placed {
				if err := s.move(ctx, tx, o.ID, v.ID, Placed, Confirmed, "operator", by.ID, note, ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return Order{}, fmt.Errorf("confirm order: %w", err)
	}
	return s.load(ctx, s.db.Read(), fmt.Sprint(o.ID))
}

// CancelByLink cancels an order for the holder of its signed link (a
// guest's order, the link in every e-mail), as its customer may: while
// every part of it is still placed or confirmed.
func (s *Service) CancelByLink(ctx context.Context, idOrNumber, token, note string) (Order, error) {
	o, err := s.OrderByLink(ctx, idOrNumber, token)
	if err != nil {
		return Order{}, err
	}
	note = text.Clean(note)
	if p := text.Check(note, false, 500); p != "" {
		return Order{}, errs.Fields{"note": p}.Err()
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		for _, v := range o.Vendors {
			switch v.Status {
			case Cancelled:
				continue
			case Placed, Confirmed:
			default:
				return errs.E(errs.Forbidden, "error.forbidden")
			}
			if err := s.move(ctx, tx, o.ID, v.ID, v.Status, Cancelled, "customer", o.UserID, note, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Order{}, fmt.Errorf("cancel order: %w", err)
	}
	return s.load(ctx, s.db.Read(), fmt.Sprint(o.ID))
}
