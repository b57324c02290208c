package order

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/morocco"
	"souk/internal/shipping"
	"souk/internal/text"
)

// Address is where an order is delivered.
type Address struct {
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`   // in Morocco a city code from morocco.Cities (or its name)
	Region     string `json:"region"` // derived from the city in Morocco
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"` // ISO 3166 alpha-2
}

// Destination is where shipping prices the parcels.
func (a Address) Destination() shipping.Destination {
	return shipping.Destination{Country: a.Country, Region: a.Region, City: a.City}
}

// CheckoutInput is what the customer gives at checkout.
type CheckoutInput struct {
	Email         string
	Phone         string
	Address       Address
	PaymentMethod string
	Shipping      map[string]string // vendor slug -> carrier code; the cheapest where absent
	Locale        string            // the customer's language, for messages
	// ExpectedTotal, when set, is the total the customer saw on the review
	// page: a different total now (a price changed) stops the order.
	ExpectedTotal *int64
}

// ShippingVATBP is the VAT rate included in shipping fees (transport, 14%).
const ShippingVATBP = 1400

var (
	idempotencyKeyRE = regexp.MustCompile(`^[\x21-\x7e]{1,100}$`)
	postalRE         = regexp.MustCompile(`^[0-9]{5}$`)
	intlPhoneRE      = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)
)

// cityCode finds a Moroccan city by code or by its name in any locale.
func cityCode(s string) (morocco.City, bool) {
	if c, ok := morocco.CityByCode(strings.ToLower(s)); ok {
		return c, true
	}
	for _, c := range morocco.Cities {
		for _, n := range c.Names {
			if strings.EqualFold(n, s) {
				return c, true
			}
		}
	}
	return morocco.City{}, false
}

// clean checks and normalises the input, naming each bad field as the API
// names it.
func (in *CheckoutInput) clean() error {
	f := errs.Fields{}
	in.Email = strings.ToLower(text.Clean(in.Email))
	if in.Email == "" {
		f.Add("email", "field.required")
	} else if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 || !strings.Contains(in.Email[strings.LastIndex(in.Email, "@"):], ".") {
		f.Add("email", "field.email")
	}
	a := &in.Address
	a.Name, a.Line1, a.Line2 = text.Clean(a.Name), text.Clean(a.Line1), text.Clean(a.Line2)
	a.City, a.PostalCode = text.Clean(a.City), text.Clean(a.PostalCode)
	a.Country = strings.ToUpper(text.Clean(a.Country))
	for field, v := range map[string]string{"address.name": a.Name, "address.line1": a.Line1} {
		if p := text.Check(v, true, 200); p != "" {
			f.Add(field, p)
		}
	}
	if p := text.Check(a.Line2, false, 200); p != "" {
		f.Add("address.line2", p)
	}
	switch {
	case a.Country == "":
		f.Add("address.country", "field.required")
	case len(a.Country) != 2 || a.Country[0] < 'A' || a.Country[0] > 'Z' || a.Country[1] < 'A' || a.Country[1] > 'Z':
		f.Add("address.country", "field.country")
	case a.Country == "MA":
		if c, ok := cityCode(a.City); ok {
			a.City, a.Region = c.Code, c.Region
		} else if a.City == "" {
			f.Add("address.city", "field.required")
		} else {
			f.Add("address.city", "field.city")
		}
		if a.PostalCode != "" && !postalRE.MatchString(a.PostalCode) {
			f.Add("address.postal_code", "field.postal_code")
		}
		if p, ok := morocco.NormalizePhone(in.Phone); ok {
			in.Phone = p
		} else if strings.TrimSpace(in.Phone) == "" {
			f.Add("phone", "field.required")
		} else {
			f.Add("phone", "field.phone")
		}
	default:
		a.Region = ""
		if p := text.Check(a.City, true, 100); p != "" {
			f.Add("address.city", p)
		}
		if p := text.Check(a.PostalCode, false, 20); p != "" {
			f.Add("address.postal_code", p)
		}
		phone := strings.NewReplacer(" ", "", "-", "", ".", "", "(", "", ")", "").Replace(strings.TrimSpace(in.Phone))
		if strings.HasPrefix(phone, "00") {
			phone = "+" + phone[2:]
		}
		if p, ok := morocco.NormalizePhone(in.Phone); ok {
			in.Phone = p
		} else if intlPhoneRE.MatchString(phone) {
			in.Phone = phone
		} else if phone == "" {
			f.Add("phone", "field.required")
		} else {
			f.Add("phone", "field.phone_international")
		}
	}
	switch in.PaymentMethod {
	case COD:
		if a.Country != "" && a.Country != "MA" {
			f.Add("payment_method", "checkout.cod_morocco_only")
		}
	case CMI, Stripe:
	case "":
		f.Add("payment_method", "field.required")
	default:
		f.Add("payment_method", "field.unknown")
	}
	if !i18n.Valid(in.Locale) {
		in.Locale = i18n.Default
	}
	return f.Err()
}

// parcel is one vendor's part of an order being placed.
type parcel struct {
	group VendorGroup
	quote shipping.Quote
}

// Checkout places the order for an open cart: one customer order, one
// vendor order per vendor, stock reserved, the payment opened — all in one
// transaction. The same idempotency key again answers the same order
// (created false); a cart already ordered under another key is a conflict.
// Lines that cannot be bought are named as items[i] (their index in the
// cart) and nothing changes.
func (s *Service) Checkout(ctx context.Context, by auth.User, cartID, key string, in CheckoutInput) (Order, bool, error) {
	if key != "" && !idempotencyKeyRE.MatchString(key) {
		return Order{}, false, errs.Fields{"Idempotency-Key": "field.idempotency_key"}.Err()
	}
	for attempt := 0; ; attempt++ {
		o, created, err := s.checkout(ctx, by, cartID, key, in)
		if errors.Is(err, errRaced) && attempt < 3 {
			continue // another request placed this cart's order meanwhile: answer as a replay
		}
		if err != nil && (db.IsUniqueViolation(err) || db.IsRetryable(err)) && attempt < 3 {
			continue // an order number drawn twice, the same cart on two nodes, a deadlock broken by PostgreSQL
		}
		return o, created, err
	}
}

var errRaced = errors.New("cart ordered concurrently")

func (s *Service) checkout(ctx context.Context, by auth.User, cartID, key string, in CheckoutInput) (Order, bool, error) {
	r, items, err := cartWithItems(ctx, s.db.Read(), by, cartID, true)
	if err != nil {
		return Order{}, false, err
	}
	switch r.status {
	case "ordered": // a replay, or another key on an ordered cart
		o, found, err := s.orderForCart(ctx, by, cartID)
		switch {
		case err != nil:
			return Order{}, false, err
		case !found:
			return Order{}, false, errRaced
		case o.idempotencyKey != key:
			return Order{}, false, &errs.Error{Code: errs.Conflict, Message: "checkout.cart_ordered", Args: map[string]any{"number": o.Number}}
		}
		return o, false, nil
	case "merged":
		return Order{}, false, errs.E(errs.Conflict, "cart.closed")
	}
	c, o, err := s.prepare(ctx, by, r, items, key, in)
	if err != nil {
		return Order{}, false, err
	}
	if in.ExpectedTotal != nil && *in.ExpectedTotal != o.Total.Amount {
		return Order{}, false, &errs.Error{Code: errs.Conflict, Message: "checkout.total_changed",
			Args: map[string]any{"total": o.Total}, Fields: map[string]string{"expected_total": "checkout.total_changed"}}
	}
	takes := make([]catalog.Take, len(c.Lines))
	for i, l := range c.Lines {
		takes[i] = catalog.Take{VariantID: l.VariantID, Quantity: l.Quantity, UnitAmount: l.Price.Amount}
	}
	if s.db.Dialect == db.Postgres {
		switch err := s.placePipelined(ctx, cartID, &o, takes); {
		case err == nil:
			return o, true, nil
		case !db.IsFailedCheck(err):
			return Order{}, false, fmt.Errorf("checkout: %w", err)
		}
		// The cart was ordered meanwhile or a line is short: the
		// transaction below finds out which, and answers as it does.
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE carts SET status = 'ordered', updated_at = ? WHERE id = ? AND status = 'open'`, o.CreatedAt, cartID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errRaced
		}
		if err := s.insertOrder(ctx, tx, &o); err != nil {
			return err
		}
		// Stock last: the rows every buyer of a popular product contends
		// for stay locked only from here to the commit.
		failed, err := catalog.Reserve(ctx, tx, takes)
		if err != nil {
			return err
		}
		if len(failed) > 0 {
			return lineProblems(c, failed)
		}
		return nil
	})
	if err != nil {
		return Order{}, false, fmt.Errorf("checkout: %w", err)
	}
	return o, true, nil
}

// prepare checks a checkout and drafts its order, without writing: the
// cart's lines as they are now, the input, the parcels and every amount.
func (s *Service) prepare(ctx context.Context, by auth.User, r cartRow, items []item, key string, in CheckoutInput) (Cart, Order, error) {
	if err := in.clean(); err != nil {
		return Cart{}, Order{}, err
	}
	c, err := s.view(ctx, Cart{ID: r.id, UserID: r.userID, Channel: r.channel, Status: r.status}, items)
	if err != nil {
		return Cart{}, Order{}, err
	}
	switch {
	case len(c.Lines) == 0:
		return Cart{}, Order{}, errs.E(errs.Invalid, "cart.empty")
	case c.Problems:
		return Cart{}, Order{}, lineProblems(c, nil)
	case c.Missing.Amount > 0:
		return Cart{}, Order{}, &errs.Error{Code: errs.Invalid, Message: "cart.below_minimum",
			Args: map[string]any{"missing": c.Missing, "minimum": c.MinOrder}}
	}
	parcels, err := s.quoteParcels(ctx, c, in)
	if err != nil {
		return Cart{}, Order{}, err
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return Cart{}, Order{}, err
	}
	return c, s.draft(c, parcels, in, key, by, st), nil
}

// Quote is the order a checkout with in would place now — lines, parcels
// with their carriers, shipping, VAT and total — checked as Checkout checks
// it but not placed: the review step before "place order".
func (s *Service) Quote(ctx context.Context, by auth.User, cartID string, in CheckoutInput) (Order, error) {
	r, items, err := cartWithItems(ctx, s.db.Read(), by, cartID, true)
	if err != nil {
		return Order{}, err
	}
	if r.status != "open" {
		return Order{}, errs.E(errs.Conflict, "cart.closed")
	}
	_, o, err := s.prepare(ctx, by, r, items, "", in)
	return o, err
}

// lineProblems names the cart lines that cannot be bought: those with a
// problem, or whose variant is in failed (the stock went meanwhile).
func lineProblems(c Cart, failed []int64) error {
	f := map[string]string{}
	for i, l := range c.Lines {
		switch {
		case l.Problem != "":
			f[fmt.Sprintf("items[%d]", i)] = l.Problem
		case slices.Contains(failed, l.VariantID):
			f[fmt.Sprintf("items[%d]", i)] = ProblemSoldOut
		}
	}
	return &errs.Error{Code: errs.Conflict, Message: "checkout.sold_out", Fields: f}
}

// quoteParcels chooses each vendor's carrier: the one asked for, or the
// cheapest; cash on delivery needs a carrier that collects it.
func (s *Service) quoteParcels(ctx context.Context, c Cart, in CheckoutInput) ([]parcel, error) {
	options, err := s.ShippingOptions(ctx, c, in.Address.Destination(), in.PaymentMethod)
	if err != nil {
		return nil, err
	}
	f := errs.Fields{}
	known := map[string]bool{}
	out := make([]parcel, 0, len(c.Vendors))
	for _, g := range c.Vendors {
		known[g.VendorSlug] = true
		quotes := options[g.VendorSlug]
		field := "shipping." + g.VendorSlug
		want := in.Shipping[g.VendorSlug]
		var chosen *shipping.Quote
		for i := range quotes {
			if want == "" || quotes[i].Carrier == want {
				chosen = &quotes[i]
				break
			}
		}
		switch {
		case chosen == nil && want != "":
			f.Add(field, "checkout.carrier_unavailable")
		case chosen == nil:
			f.Add(field, "checkout.no_carrier")
		default:
			out = append(out, parcel{group: g, quote: *chosen})
		}
	}
	for slug := range in.Shipping {
		if !known[slug] {
			f.Add("shipping."+slug, "checkout.vendor_not_in_cart")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// vatIncluded is the VAT inside a VAT-inclusive amount at rateBP, rounded
// half away from zero to the centime.
func vatIncluded(amount int64, rateBP int) int64 {
	if rateBP == 0 {
		return 0
	}
	net := (amount*10000 + int64(10000+rateBP)/2) / int64(10000+rateBP)
	return amount - net
}

// numberAlphabet leaves out letters read as digits (I, L, O) and U.
const numberAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newOrderNumber is the date and five random characters: short enough to
// read on the phone, and no count of the marketplace's orders.
func newOrderNumber(now time.Time) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = numberAlphabet[int(b[i])%len(numberAlphabet)]
	}
	return "S" + now.In(casablanca).Format("060102") + "-" + string(b)
}

// casablanca is where the marketplace's days begin and end (time/tzdata
// is embedded, so every machine knows it).
var casablanca = func() *time.Location {
	l, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		panic(err)
	}
	return l
}()
