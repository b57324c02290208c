package order

import (
	"context"
	"fmt"
	"time"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/money"
)

// Parcel is a vendor order as its vendor sees it: what to pack and where to
// send it, and whether the carrier collects cash. The vendor sees its own
// part of the order only.
type Parcel struct {
	VendorOrder
	OrderNumber   string
	PlacedAt      time.Time
	Address       Address
	Phone         string
	PaymentMethod string
	PaymentStatus string
	// Collect is what the carrier collects for this parcel on a cash-on-
	// delivery order (its lines and shipping); zero otherwise.
	Collect money.Money
}

// VendorOrders lists a vendor's parcels, newest first, optionally in one
// status: a vendor's users see their own vendor's, operators any vendor's
// (vendorID 0: all vendors).
func (s *Service) VendorOrders(ctx context.Context, by auth.User, vendorID int64, status Status, limit int) ([]Parcel, error) {
	switch {
	case by.IsVendorUser():
		if vendorID != 0 && vendorID != by.VendorID {
			return nil, errs.E(errs.Forbidden, "error.forbidden")
		}
		vendorID = by.VendorID
	case !by.IsOperator():
		if by.ID == 0 {
			return nil, errs.E(errs.Unauthorized, "error.unauthorized")
		}
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	if status != "" {
		if !status.Valid() {
			return nil, errs.Fields{"status": "field.enum"}.Err()
		}
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	where, args := `WHERE 1 = 1`, []any{}
	if vendorID != 0 {
		where, args = where+` AND vo.vendor_id = ?`, append(args, vendorID)
	}
	if status != "" {
		where, args = where+` AND vo.status = ?`, append(args, status)
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT vo.order_id, vo.id FROM vendor_orders vo `+where+` ORDER BY vo.id DESC LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list vendor orders: %w", err)
	}
	type pair struct{ order, vo int64 }
	var found []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.order, &p.vo); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list vendor orders: %w", err)
		}
		found = append(found, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list vendor orders: %w", err)
	}
	out := make([]Parcel, 0, len(found))
	for _, p := range found {
		o, err := s.load(ctx, s.db.Read(), fmt.Sprint(p.order))
		if err != nil {
			return nil, err
		}
		for _, v := range o.Vendors {
			if v.ID != p.vo {
				continue
			}
			parcel := Parcel{VendorOrder: v, OrderNumber: o.Number, PlacedAt: o.CreatedAt, Address: o.Address, Phone: o.Phone,
				PaymentMethod: o.PaymentMethod, PaymentStatus: o.Payment.Status, Collect: money.Dirhams(0)}
			if o.PaymentMethod == COD && v.Status != Cancelled {
				parcel.Collect.Amount = v.Items.Amount + v.Shipping.Amount
			}
			out = append(out, parcel)
		}
	}
	return out, nil
}
