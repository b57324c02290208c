package order

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
	"souk/internal/text"
)

// A vendor's parcels as its portal works through them: the list by what
// there is to do (one query a page, however many parcels), one parcel with
// its history, and shipping it with the carrier it is handed to.

// ParcelRow is one parcel in a vendor's list.
type ParcelRow struct {
	ID            int64
	Number        string
	OrderNumber   string
	Status        Status
	PlacedAt      time.Time
	City          string // the delivery address's: a morocco.Cities code in Morocco
	Country       string
	Items         int         // quantities added up
	Amount        money.Money // the lines, VAT included, shipping not (what the vendor sold)
	Collect       money.Money // what the carrier collects on cash on delivery (lines and shipping); zero otherwise
	PaymentMethod string
}

// ParcelFilter narrows a vendor's parcel list.
type ParcelFilter struct {
	Status Status // "" for every status
	Before int64  // only parcels with a smaller id: the next page; 0 for the newest
	Limit  int    // default 30, at most 100
}

// ParcelList lists a vendor's parcels, newest first: its own people and
// operators; another vendor's people get errs.NotFound.
func (s *Service) ParcelList(ctx context.Context, by auth.User, vendorID int64, f ParcelFilter) ([]ParcelRow, error) {
	if err := ownVendor(by, vendorID); err != nil {
		return nil, err
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, errs.Fields{"status": "field.enum"}.Err()
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 30
	}
	where, args := `vo.vendor_id = ?`, []any{vendorID}
	if f.Status != "" {
		where, args = where+` AND vo.status = ?`, append(args, f.Status)
	}
	if f.Before > 0 {
		where, args = where+` AND vo.id < ?`, append(args, f.Before)
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT vo.id, vo.number, o.number, vo.status, o.created_at, o.ship_city, o.ship_country,
		(SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.vendor_order_id = vo.id),
		vo.items_amount, vo.shipping_amount, o.currency, o.payment_method
		FROM vendor_orders vo JOIN orders o ON o.id = vo.order_id
		WHERE `+where+` ORDER BY vo.id DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("list parcels: %w", err)
	}
	defer rows.Close()
	var out []ParcelRow
	for rows.Next() {
		var p ParcelRow
		var shipping int64
		var cur string
		if err := rows.Scan(&p.ID, &p.Number, &p.OrderNumber, &p.Status, &p.PlacedAt, &p.City, &p.Country, &p.Items,
			&p.Amount.Amount, &shipping, &cur, &p.PaymentMethod); err != nil {
			return nil, fmt.Errorf("list parcels: %w", err)
		}
		p.Amount.Currency = cur
		p.Collect = money.Money{Currency: cur}
		if p.PaymentMethod == COD && p.Status != Cancelled {
			p.Collect.Amount = p.Amount.Amount + shipping
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ParcelCounts is how many parcels a vendor has in each status: its own
// people and operators.
func (s *Service) ParcelCounts(ctx context.Context, by auth.User, vendorID int64) (map[Status]int, error) {
	if err := ownVendor(by, vendorID); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT status, COUNT(*) FROM vendor_orders WHERE vendor_id = ? GROUP BY status`, vendorID)
	if err != nil {
		return nil, fmt.Errorf("count parcels: %w", err)
	}
	defer rows.Close()
	out := map[Status]int{}
	for rows.Next() {
		var st Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count parcels: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

// ParcelDetail is one parcel with what its vendor needs to prepare, send
// and invoice it.
type ParcelDetail struct {
	Parcel
	OrderID   int64
	Email     string
	Locale    string    // the customer's language
	Events    []Event   // this parcel's status changes, oldest first
	VATByRate []VATLine // this parcel's VAT by rate, its shipping included
}

// Parcel returns one vendor order for its vendor's people and operators;
// anyone else gets errs.NotFound, as for a parcel that does not exist.
func (s *Service) Parcel(ctx context.Context, by auth.User, id int64) (ParcelDetail, error) {
	var orderID, vendorID int64
	err := s.db.Read().QueryRowContext(ctx, `SELECT order_id, vendor_id FROM vendor_orders WHERE id = ?`, id).Scan(&orderID, &vendorID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !handlesParcels(by, vendorID)) {
		return ParcelDetail{}, errs.NotFoundE("order")
	}
	if err != nil {
		return ParcelDetail{}, fmt.Errorf("read parcel: %w", err)
	}
	o, err := s.load(ctx, s.db.Read(), fmt.Sprint(orderID))
	if err != nil {
		return ParcelDetail{}, err
	}
	for _, v := range o.Vendors {
		if v.ID != id {
			continue
		}
		d := ParcelDetail{OrderID: o.ID, Email: o.Email, Locale: o.Locale,
			Parcel: Parcel{VendorOrder: v, OrderNumber: o.Number, PlacedAt: o.CreatedAt, Address: o.Address, Phone: o.Phone,
				PaymentMethod: o.PaymentMethod, PaymentStatus: o.Payment.Status, Collect: money.Money{Currency: v.Items.Currency}}}
		if o.PaymentMethod == COD && v.Status != Cancelled {
			d.Collect.Amount = v.Items.Amount + v.Shipping.Amount
		}
		for _, e := range o.Events {
			if e.VendorOrderID == id || e.VendorOrderID == 0 {
				d.Events = append(d.Events, e)
			}
		}
		d.VATByRate = Order{Vendors: []VendorOrder{v}}.VATBreakdown()
		return d, nil
	}
	return ParcelDetail{}, errs.NotFoundE("order")
}

// handlesParcels: the vendor's own people and operators.
func handlesParcels(by auth.User, vendorID int64) bool {
	return by.IsOperator() || (by.IsVendorUser() && by.VendorID == vendorID)
}

// Ship moves a packed parcel to shipped with its tracking number, handed to
// carrier (a code; "" keeps the one chosen at checkout). A cash-on-delivery
// parcel needs a carrier that collects cash. As for Move, the vendor's own
// people and operators may; others get errs.NotFound (or errs.Forbidden),
// a parcel that is not packed errs.Conflict, a missing tracking number or
// a carrier that cannot take the parcel names the field
// (tracking_number, carrier). A changed carrier is in the audit log; the
// move is in the order's history.
func (s *Service) Ship(ctx context.Context, by auth.User, vendorOrderID int64, carrier, tracking, note string) (Order, error) {
	carrier, tracking, note = text.Clean(carrier), text.Clean(tracking), text.Clean(note)
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
	carriers, err := s.shipping.Carriers(ctx)
	if err != nil {
		return Order{}, err
	}
	var orderID int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		var vendorID, customer sql.NullInt64
		var from Status
		var current, method string
		err := tx.QueryRowContext(ctx, `SELECT vo.order_id, vo.vendor_id, vo.status, vo.carrier_code, o.user_id, o.payment_method
			FROM vendor_orders vo JOIN orders o ON o.id = vo.order_id WHERE vo.id = ?`, vendorOrderID).Scan(&orderID, &vendorID, &from,
			&current, &customer, &method)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundE("order")
		}
		if err != nil {
			return err
		}
		if !handlesParcels(by, vendorID.Int64) {
			return errs.NotFoundE("order")
		}
		if err := lockOrder(ctx, tx, orderID); err != nil {
			return err
		}
		if !mayMove(by, customer.Int64, vendorID.Int64, from, Shipped) {
			return errs.E(errs.Forbidden, "error.forbidden")
		}
		if !CanMove(from, Shipped) {
			return &errs.Error{Code: errs.Conflict, Message: "order.bad_transition", Args: map[string]any{"from": string(from), "to": string(Shipped)}}
		}
		if tracking == "" {
			f.Add("tracking_number", "field.required")
		}
		if carrier == "" {
			carrier = current
		}
		if carrier != current {
			found := false
			for _, c := range carriers {
				if c.Code != carrier || !c.Active {
					continue
				}
				found = true
				if method == COD && !c.CollectsCOD {
					f.Add("carrier", "field.carrier_no_cod")
				}
			}
			if !found {
				f.Add("carrier", "field.enum")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if carrier != current {
			if _, err := tx.ExecContext(ctx, `UPDATE vendor_orders SET carrier_code = ? WHERE id = ? AND status = ?`,
				carrier, vendorOrderID, from); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, by, "vendor_order.carrier", "vendor_order", vendorOrderID,
				map[string]any{"carrier": current}, map[string]any{"carrier": carrier}, s.now()); err != nil {
				return err
			}
		}
		return s.move(ctx, tx, orderID, vendorOrderID, from, Shipped, actorOf(by), by.ID, note, tracking)
	})
	if err != nil {
		return Order{}, fmt.Errorf("ship order: %w", err)
	}
	return s.load(ctx, s.db.Read(), fmt.Sprint(orderID))
}
