package order

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
)

// Order is a customer order: what was bought from whom, where it goes, how
// it is paid, and everything that happened to it.
type Order struct {
	ID            int64
	Number        string
	Status        Status
	UserID        int64
	Channel       string
	Locale        string
	Email         string
	Phone         string
	Address       Address
	PaymentMethod string
	Items         money.Money // lines, VAT included
	Shipping      money.Money // VAT included
	VAT           money.Money // inside Items and Shipping
	Total         money.Money
	HoldUntil     *time.Time // an unpaid card order gives its stock back then
	CreatedAt     time.Time
	Vendors       []VendorOrder
	Payment       Payment
	Events        []Event

	cartID         string
	idempotencyKey string
}

// VendorOrder is the part of an order one vendor ships.
type VendorOrder struct {
	ID          int64
	Number      string
	VendorID    int64
	VendorSlug  string
	Status      Status
	Carrier     string
	Tracking    string
	Items       money.Money
	Shipping    money.Money
	VAT         money.Money
	WeightGrams int
	Lines       []OrderLine
}

// OrderLine is one variant sold, as it was sold.
type OrderLine struct {
	ID          int64
	ProductID   int64
	VariantID   int64
	SKU         string
	Title       string
	Quantity    int
	Unit        money.Money
	Total       money.Money
	VATRateBP   int
	VAT         money.Money
	WeightGrams int
}

// Payment is an order's payment and where it stands: pending, authorised,
// captured, failed, refunded (in full) or cancelled.
type Payment struct {
	ID           int64
	Method       string
	Status       string
	Amount       money.Money
	Refunded     money.Money
	Reference    string // CMI oid, Stripe PaymentIntent id; the order number for cash on delivery
	ClientSecret string // Stripe: what the browser confirms the payment with
}

// Event is one status change.
type Event struct {
	VendorOrderID int64
	From, To      Status
	Actor         string
	ActorUserID   int64
	Note          string
	At            time.Time
}

// VATLine is one rate of an order's VAT breakdown.
type VATLine struct {
	RateBP int
	Gross  money.Money // VAT included
	VAT    money.Money
}

// VATBreakdown sums the order's VAT by rate, shipping included, lowest rate first.
func (o Order) VATBreakdown() []VATLine {
	by := map[int]*VATLine{}
	var rates []int
	add := func(rate int, gross, vat int64) {
		l, ok := by[rate]
		if !ok {
			l = &VATLine{RateBP: rate, Gross: money.Dirhams(0), VAT: money.Dirhams(0)}
			by[rate] = l
			rates = append(rates, rate)
		}
		l.Gross.Amount += gross
		l.VAT.Amount += vat
	}
	for _, v := range o.Vendors {
		for _, l := range v.Lines {
			add(l.VATRateBP, l.Total.Amount, l.VAT.Amount)
		}
		if v.Shipping.Amount > 0 {
			add(ShippingVATBP, v.Shipping.Amount, vatIncluded(v.Shipping.Amount, ShippingVATBP))
		}
	}
	slices.Sort(rates)
	out := make([]VATLine, 0, len(rates))
	for _, r := range rates {
		out = append(out, *by[r])
	}
	return out
}

// canSeeOrder: the customer who placed it and operators; a guest's order
// is reached through its signed link (Service.OrderByLink).
func canSeeOrder(by auth.User, o Order) bool {
	return by.IsOperator() || (by.ID != 0 && o.UserID == by.ID)
}

// Get finds an order by id or number for by.
func (s *Service) Get(ctx context.Context, by auth.User, idOrNumber string) (Order, error) {
	o, err := s.load(ctx, s.db.Read(), idOrNumber)
	if err != nil {
		return Order{}, err
	}
	if !canSeeOrder(by, o) {
		return Order{}, errs.NotFoundE("order")
	}
	return o, nil
}

const orderSelect = `SELECT id, number, status, user_id, channel, locale, email, phone, ship_name, ship_line1, ship_line2,
	ship_city, ship_region, ship_postal_code, ship_country, payment_method, items_amount, shipping_amount, vat_amount,
	total_amount, currency, hold_until, created_at, cart_id, idempotency_key FROM orders`

func scanOrder(r interface{ Scan(...any) error }) (Order, error) {
	var o Order
	var user sql.NullInt64
	var hold sql.NullTime
	var cur string
	err := r.Scan(&o.ID, &o.Number, &o.Status, &user, &o.Channel, &o.Locale, &o.Email, &o.Phone, &o.Address.Name,
		&o.Address.Line1, &o.Address.Line2, &o.Address.City, &o.Address.Region, &o.Address.PostalCode, &o.Address.Country,
		&o.PaymentMethod, &o.Items.Amount, &o.Shipping.Amount, &o.VAT.Amount, &o.Total.Amount, &cur, &hold, &o.CreatedAt,
		&o.cartID, &o.idempotencyKey)
	o.UserID = user.Int64
	o.Items.Currency, o.Shipping.Currency, o.VAT.Currency, o.Total.Currency = cur, cur, cur, cur
	if hold.Valid {
		t := hold.Time
		o.HoldUntil = &t
	}
	return o, err
}

// load reads a whole order through q.
func (s *Service) load(ctx context.Context, q db.Querier, idOrNumber string) (Order, error) {
	query, arg := orderSelect+` WHERE number = ?`, any(idOrNumber)
	if id, err := strconv.ParseInt(idOrNumber, 10, 64); err == nil {
		query, arg = orderSelect+` WHERE id = ?`, id
	}
	o, err := scanOrder(q.QueryRowContext(ctx, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, errs.NotFoundE("order")
	}
	if err != nil {
		return Order{}, fmt.Errorf("read order: %w", err)
	}
	return o, s.details(ctx, q, &o)
}

// orderForCart finds the order placed from a cart, if any (and by may see
// the cart).
func (s *Service) orderForCart(ctx context.Context, by auth.User, cartID string) (Order, bool, error) {
	if !validCartID(cartID) {
		return Order{}, false, errs.NotFoundE("cart")
	}
	o, err := scanOrder(s.db.Read().QueryRowContext(ctx, orderSelect+` WHERE cart_id = ?`, cartID))
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, false, nil
	}
	if err != nil {
		return Order{}, false, fmt.Errorf("read order: %w", err)
	}
	if o.UserID != 0 && o.UserID != by.ID {
		return Order{}, false, errs.NotFoundE("cart")
	}
	return o, true, s.details(ctx, s.db.Read(), &o)
}

// details fills an order's vendor orders, lines, payment and events.
func (s *Service) details(ctx context.Context, q db.Querier, o *Order) error {
	rows, err := q.QueryContext(ctx, `SELECT vo.id, vo.number, vo.vendor_id, v.slug, vo.status, vo.carrier_code, vo.tracking_number,
		vo.items_amount, vo.shipping_amount, vo.vat_amount, vo.weight_grams
		FROM vendor_orders vo JOIN vendors v ON v.id = vo.vendor_id WHERE vo.order_id = ? ORDER BY vo.id`, o.ID)
	if err != nil {
		return fmt.Errorf("read vendor orders: %w", err)
	}
	defer rows.Close()
	index := map[int64]int{}
	o.Vendors = o.Vendors[:0]
	for rows.Next() {
		v := VendorOrder{Items: money.Dirhams(0), Shipping: money.Dirhams(0), VAT: money.Dirhams(0)}
		if err := rows.Scan(&v.ID, &v.Number, &v.VendorID, &v.VendorSlug, &v.Status, &v.Carrier, &v.Tracking,
			&v.Items.Amount, &v.Shipping.Amount, &v.VAT.Amount, &v.WeightGrams); err != nil {
			return fmt.Errorf("read vendor orders: %w", err)
		}
		index[v.ID] = len(o.Vendors)
		o.Vendors = append(o.Vendors, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read vendor orders: %w", err)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT id, vendor_order_id, product_id, variant_id, sku, title, quantity, unit_amount,
		vat_rate_bp, line_amount, vat_amount, weight_grams FROM order_lines WHERE order_id = ? ORDER BY id`, o.ID)
	if err != nil {
		return fmt.Errorf("read order lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l := OrderLine{Unit: money.Dirhams(0), Total: money.Dirhams(0), VAT: money.Dirhams(0)}
		var vo int64
		if err := rows.Scan(&l.ID, &vo, &l.ProductID, &l.VariantID, &l.SKU, &l.Title, &l.Quantity, &l.Unit.Amount,
			&l.VATRateBP, &l.Total.Amount, &l.VAT.Amount, &l.WeightGrams); err != nil {
			return fmt.Errorf("read order lines: %w", err)
		}
		if i, ok := index[vo]; ok {
			o.Vendors[i].Lines = append(o.Vendors[i].Lines, l)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read order lines: %w", err)
	}
	rows.Close()
	p := &o.Payment
	p.Amount, p.Refunded = money.Dirhams(0), money.Dirhams(0)
	err = q.QueryRowContext(ctx, `SELECT id, method, status, amount, refunded_amount, currency, reference, client_secret
		FROM payments WHERE order_id = ?`, o.ID).Scan(&p.ID, &p.Method, &p.Status, &p.Amount.Amount, &p.Refunded.Amount,
		&p.Amount.Currency, &p.Reference, &p.ClientSecret)
	if err != nil {
		return fmt.Errorf("read payment: %w", err)
	}
	p.Refunded.Currency = p.Amount.Currency
	rows, err = q.QueryContext(ctx, `SELECT vendor_order_id, from_status, to_status, actor, actor_user_id, note, created_at
		FROM order_events WHERE order_id = ? ORDER BY id`, o.ID)
	if err != nil {
		return fmt.Errorf("read order events: %w", err)
	}
	defer rows.Close()
	o.Events = o.Events[:0]
	for rows.Next() {
		var e Event
		var vo, user sql.NullInt64
		if err := rows.Scan(&vo, &e.From, &e.To, &e.Actor, &user, &e.Note, &e.At); err != nil {
			return fmt.Errorf("read order events: %w", err)
		}
		e.VendorOrderID, e.ActorUserID = vo.Int64, user.Int64
		o.Events = append(o.Events, e)
	}
	return rows.Err()
}

// Orders lists by's own orders, newest first.
func (s *Service) Orders(ctx context.Context, by auth.User, limit int) ([]Order, error) {
	if by.ID == 0 {
		return nil, errs.E(errs.Unauthorized, "error.unauthorized")
	}
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	rows, err := s.db.Read().QueryContext(ctx, orderSelect+` WHERE user_id = ? ORDER BY id DESC LIMIT ?`, by.ID, limit)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	defer rows.Close()
	var out []Order
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, fmt.Errorf("list orders: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
