package order

import (
	"context"
	"fmt"
	"time"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/money"
)

// A vendor's sales, as its portal shows them: what sold today, this week
// and this month, day by day, and each sale as it happens. A sale is a
// vendor order (the vendor's share of a customer order) that was not
// cancelled; its amount is the items' price, VAT included, shipping not.

// Sale is one vendor order in the vendor's sales feed.
type Sale struct {
	ID      int64 // increasing: the live feed asks for what came after the last one it saw
	Number  string
	Channel string
	Status  Status
	Items   money.Money
	Lines   int // number of items (quantities added up)
	At      time.Time
}

// DaySales is one day of a vendor's sales, in Casablanca's calendar.
type DaySales struct {
	Day    time.Time // midnight in Africa/Casablanca
	Amount money.Money
	Orders int
}

// SalesSummary is the portal dashboard's figures.
type SalesSummary struct {
	Today, Week, Month money.Money // since midnight, since Monday, since the 1st (Casablanca)
	OrdersToday        int
	Waiting            int        // parcels to confirm, pack or ship
	Days               []DaySales // the last 30 days, oldest first, every day present
}

// ownVendor checks that by may read vendorID's sales: its own people and
// operators.
func ownVendor(by auth.User, vendorID int64) error {
	switch {
	case by.ID == 0:
		return errs.E(errs.Unauthorized, "error.unauthorized")
	case by.IsOperator():
		return nil
	case by.IsVendorUser() && by.VendorID == vendorID:
		return nil
	case by.IsVendorUser():
		return errs.NotFoundE("vendor")
	}
	return errs.E(errs.Forbidden, "error.forbidden")
}

// Sales lists a vendor's sales newest first: the latest limit, or, with
// afterID, only those after it (the live feed polls with the last ID it
// showed).
func (s *Service) Sales(ctx context.Context, by auth.User, vendorID, afterID int64, limit int) ([]Sale, error) {
	if err := ownVendor(by, vendorID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 30
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT vo.id, vo.number, o.channel, vo.status, vo.items_amount, o.currency,
		(SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.vendor_order_id = vo.id), vo.created_at
		FROM vendor_orders vo JOIN orders o ON o.id = vo.order_id
		WHERE vo.vendor_id = ? AND vo.id > ? AND vo.status <> 'cancelled'
		ORDER BY vo.id DESC LIMIT ?`, vendorID, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("sales: %w", err)
	}
	defer rows.Close()
	var out []Sale
	for rows.Next() {
		var sl Sale
		var cur string
		if err := rows.Scan(&sl.ID, &sl.Number, &sl.Channel, &sl.Status, &sl.Items.Amount, &cur, &sl.Lines, &sl.At); err != nil {
			return nil, fmt.Errorf("sales: %w", err)
		}
		sl.Items.Currency = cur
		out = append(out, sl)
	}
	return out, rows.Err()
}

// Summary is a vendor's dashboard figures at now.
func (s *Service) Summary(ctx context.Context, by auth.User, vendorID int64, now time.Time) (SalesSummary, error) {
	if err := ownVendor(by, vendorID); err != nil {
		return SalesSummary{}, err
	}
	local := now.In(casablanca)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, casablanca)
	first := today.AddDate(0, 0, -29)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	month := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, casablanca)
	from := first
	if month.Before(from) {
		from = month
	}
	sum := SalesSummary{Today: money.Dirhams(0), Week: money.Dirhams(0), Month: money.Dirhams(0)}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT items_amount, created_at FROM vendor_orders
		WHERE vendor_id = ? AND created_at >= ? AND status <> 'cancelled'`, vendorID, from.UTC())
	if err != nil {
		return sum, fmt.Errorf("sales summary: %w", err)
	}
	defer rows.Close()
	byDay := map[time.Time]*DaySales{}
	for d := first; !d.After(today); d = d.AddDate(0, 0, 1) {
		sum.Days = append(sum.Days, DaySales{Day: d, Amount: money.Dirhams(0)})
	}
	for i := range sum.Days {
		byDay[sum.Days[i].Day] = &sum.Days[i]
	}
	for rows.Next() {
		var amount int64
		var at time.Time
		if err := rows.Scan(&amount, &at); err != nil {
			return sum, fmt.Errorf("sales summary: %w", err)
		}
		at = at.In(casablanca)
		day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, casablanca)
		if d := byDay[day]; d != nil {
			d.Amount.Amount += amount
			d.Orders++
		}
		if !at.Before(today) {
			sum.Today.Amount += amount
			sum.OrdersToday++
		}
		if !at.Before(monday) {
			sum.Week.Amount += amount
		}
		if !at.Before(month) {
			sum.Month.Amount += amount
		}
	}
	if err := rows.Err(); err != nil {
		return sum, fmt.Errorf("sales summary: %w", err)
	}
	err = s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM vendor_orders WHERE vendor_id = ? AND status IN ('placed', 'confirmed', 'packed')`,
		vendorID).Scan(&sum.Waiting)
	if err != nil {
		return sum, fmt.Errorf("sales summary: %w", err)
	}
	return sum, nil
}

// OpenParcels counts the parcels waiting to be confirmed, packed or
// shipped across every vendor: operators only.
func (s *Service) OpenParcels(ctx context.Context, by auth.User) (int, error) {
	if !by.IsOperator() {
		return 0, errs.E(errs.Forbidden, "error.forbidden")
	}
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM vendor_orders WHERE status IN ('placed', 'confirmed', 'packed')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("open parcels: %w", err)
	}
	return n, nil
}
