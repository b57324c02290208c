package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // Africa/Casablanca on every machine

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/morocco"
	"souk/internal/order"
)

// casablanca is the time zone orders are shown in.
var casablanca = func() *time.Location {
	l, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		panic(err)
	}
	return l
}()

func when(t time.Time) string { return t.In(casablanca).Format("02/01/2006 15:04") }

type eventRow struct{ When, Text string }

type orderLineRow struct {
	Title       string
	Quantity    int
	Unit, Total string
}

type parcelRow struct {
	Number, Vendor, VendorURL string
	Carrier, Tracking, Status string
	Lines                     []orderLineRow
	Items, Shipping           string
}

type orderData struct {
	Number, Status   string
	Placed           string
	Notice           string
	Events           []eventRow
	Parcels          []parcelRow
	Items, Shipping  string
	Total            string
	VAT              []vatRow
	Method, Payment  string
	PayURL, PayLabel string
	Waiting          string // a card payment the bank has still to confirm
	Stripe           *stripeForm
	HoldUntil        string
	CancelURL        string // "" when the order can no longer be cancelled
	Token            string
	Name, Email      string
	Phone            string
	AddressLines     []string
}

// loadOrder finds the order of the page: through its signed link (?t=),
// or for the signed-in customer who placed it.
func (s *Server) loadOrder(r *http.Request) (order.Order, error) {
	ctx, number, token := r.Context(), r.PathValue("number"), r.URL.Query().Get("t")
	if token != "" {
		o, err := s.Orders.OrderByLink(ctx, number, token)
		if !errs.Is(err, errs.NotFound) {
			return o, err
		}
	}
	if by := userOf(r); by.ID != 0 {
		return s.Orders.Get(ctx, by, number)
	}
	return order.Order{}, errs.NotFoundE("order")
}

// orderPage shows an order to whoever holds its link (or placed it).
func (s *Server) orderPage(w http.ResponseWriter, r *http.Request, loc string) error {
	private(w)
	o, err := s.loadOrder(r)
	if err != nil {
		return err
	}
	t := func(key string) string { return i18n.T(loc, key, nil) }
	if o.PaymentMethod == order.Stripe && o.Payment.Status == order.PaymentPending && o.Status != order.Cancelled {
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second) // a slow Stripe must not hold the page
		o, err = s.Orders.StartStripe(ctx, o)
		cancel()
		if err != nil {
			s.Log.Warn("stripe: could not start the payment", "order", o.Number, "err", err)
		}
	}
	token := s.Orders.LinkToken(o.Number)
	d := orderData{Number: o.Number, Status: t("shop.status." + string(o.Status)), Placed: when(o.CreatedAt),
		Items: i18n.FormatMoney(loc, o.Items), Shipping: i18n.FormatMoney(loc, o.Shipping), Total: i18n.FormatMoney(loc, o.Total),
		Method: t("shop.method." + o.PaymentMethod), Payment: t("shop.payment." + o.Payment.Status), Token: token,
		Name: o.Address.Name, Email: o.Email, Phone: o.Phone}
	if o.PaymentMethod == order.COD && o.Payment.Status == order.PaymentPending {
		d.Payment = t("shop.payment.cod_pending")
	}
	d.AddressLines = addressLines(loc, o.Address)
	for _, l := range o.VATBreakdown() {
		d.VAT = append(d.VAT, vatRow{Rate: percent(loc, l.RateBP), Gross: i18n.FormatMoney(loc, l.Gross), VAT: i18n.FormatMoney(loc, l.VAT)})
	}
	q := r.URL.Query()
	switch {
	case q.Has("paid") && o.Payment.Status == order.PaymentCaptured:
		d.Notice = t("shop.notice.paid_done")
	case q.Has("paid") && o.Payment.Status != order.PaymentFailed:
		d.Notice = t("shop.notice.paid")
	case q.Has("declined") || q.Has("paid"):
		d.Notice = t("shop.notice.declined")
	case q.Has("cancelled"):
		d.Notice = t("shop.notice.cancelled")
	case q.Has("placed"):
		d.Notice = t("shop.notice.placed")
	}
	open := o.Status != order.Cancelled
	if o.PaymentMethod == order.CMI && open && slices.Contains(s.Orders.Methods(), order.CMI) &&
		(o.Payment.Status == order.PaymentPending || o.Payment.Status == order.PaymentFailed) {
		d.PayURL = "/" + loc + "/orders/" + url.PathEscape(o.Number) + "/pay?t=" + url.QueryEscape(token)
		d.PayLabel = i18n.T(loc, "shop.pay_total_by_card", map[string]any{"total": d.Total})
	}
	if o.PaymentMethod == order.Stripe && open && (o.Payment.Status == order.PaymentPending || o.Payment.Status == order.PaymentAuthorised) {
		d.Waiting = t("shop.stripe_waiting")
		if o.Payment.ClientSecret == "" {
			d.Waiting = t("shop.stripe_unavailable")
		} else if s.StripeKey != "" && o.Payment.Status == order.PaymentPending {
			d.Stripe = &stripeForm{Key: s.StripeKey, Secret: o.Payment.ClientSecret, Locale: loc, Script: s.stripeURL,
				Return: s.origin(r) + s.orderLink(loc, o.Number, token) + "&paid=1", Label: i18n.T(loc, "shop.pay_total_by_card", map[string]any{"total": d.Total})}
		}
	}
	if o.HoldUntil != nil && open && o.Payment.Status != order.PaymentCaptured {
		d.HoldUntil = i18n.T(loc, "shop.hold_until", map[string]any{"time": when(*o.HoldUntil)})
	}
	if o.Status == order.Placed || o.Status == order.Confirmed {
		// The customer signed in, or whoever holds the order's signed link.
		d.CancelURL = "/" + loc + "/orders/" + url.PathEscape(o.Number) + "/cancel"
	}
	names := map[int64]string{}
	for _, v := range o.Vendors {
		p := parcelRow{Number: v.Number, Vendor: s.vendorName(r, loc, v.VendorSlug), VendorURL: "/" + loc + "/v/" + v.VendorSlug,
			Carrier: carrierName(loc, v.Carrier, v.Carrier), Tracking: v.Tracking, Status: t("shop.status." + string(v.Status)),
			Items: i18n.FormatMoney(loc, v.Items), Shipping: i18n.FormatMoney(loc, v.Shipping)}
		names[v.ID] = p.Vendor
		for _, l := range v.Lines {
			p.Lines = append(p.Lines, orderLineRow{Title: l.Title, Quantity: l.Quantity, Unit: i18n.FormatMoney(loc, l.Unit),
				Total: i18n.FormatMoney(loc, l.Total)})
		}
		d.Parcels = append(d.Parcels, p)
	}
	d.Events = timeline(loc, o, names)
	return s.render(w, http.StatusOK, "order", s.privatePage(r, loc, i18n.T(loc, "shop.order_title", map[string]any{"number": o.Number}), d))
}

// timeline lists an order's status changes, oldest first; the same change
// made to every parcel at once is one entry.
func timeline(loc string, o order.Order, names map[int64]string) []eventRow {
	type key struct {
		from, to order.Status
		at       string
	}
	var keys []key
	parcels := map[key][]int64{}
	for _, e := range o.Events {
		k := key{e.From, e.To, when(e.At)}
		if _, seen := parcels[k]; !seen {
			keys = append(keys, k)
		}
		parcels[k] = append(parcels[k], e.VendorOrderID)
	}
	out := make([]eventRow, 0, len(keys))
	for _, k := range keys {
		text := i18n.T(loc, "shop.status."+string(k.to), nil)
		if ids := parcels[k]; len(o.Vendors) > 1 && len(ids) < len(o.Vendors) {
			var who []string
			for _, id := range ids {
				who = append(who, names[id])
			}
			sort.Strings(who)
			text = i18n.T(loc, "shop.event_for", map[string]any{"status": text, "parcels": strings.Join(who, ", ")})
		}
		out = append(out, eventRow{When: k.at, Text: text})
	}
	return out
}

// addressLines is a delivery address as it is written on a parcel.
func addressLines(loc string, a order.Address) []string {
	out := []string{a.Line1}
	if a.Line2 != "" {
		out = append(out, a.Line2)
	}
	city := a.City
	if c, ok := morocco.CityByCode(a.City); ok && a.Country == "MA" {
		city = c.Name(loc)
	}
	out = append(out, strings.TrimSpace(a.PostalCode+" "+city))
	country := i18n.T(loc, "shop.country."+a.Country, nil)
	if !i18n.Has("en", "shop.country."+a.Country) {
		country = a.Country
	}
	return append(out, country)
}

// payPage shows the form that takes the shopper to CMI's payment page: a
// plain button they press (no script), with the amount on it.
func (s *Server) payPage(w http.ResponseWriter, r *http.Request, loc string) error {
	private(w)
	o, err := s.loadOrder(r)
	if err != nil {
		return err
	}
	back := s.orderLink(loc, o.Number, "")
	if o.PaymentMethod != order.CMI || o.Status == order.Cancelled ||
		(o.Payment.Status != order.PaymentPending && o.Payment.Status != order.PaymentFailed) {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	form, err := s.Orders.CMIPayment(r.Context(), o, loc)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(form.Fields))
	for name := range form.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	d := payData{URL: form.URL, Number: o.Number, Back: back,
		Button: i18n.T(loc, "shop.pay_total_by_card", map[string]any{"total": i18n.FormatMoney(loc, o.Total)})}
	for _, n := range names {
		d.Fields = append(d.Fields, hidden{Name: n, Value: form.Fields.Get(n)})
	}
	return s.render(w, http.StatusOK, "pay", s.privatePage(r, loc, i18n.T(loc, "shop.pay_title", nil), d))
}

type hidden struct{ Name, Value string }

type payData struct {
	URL, Number, Back, Button string
	Fields                    []hidden
}

// cancelOrder cancels an order for the signed-in customer who placed it
// (a guest's order has no account to act for: they ask the marketplace).
func (s *Server) cancelOrder(w http.ResponseWriter, r *http.Request, loc string) error {
	private(w)
	var o order.Order
	var err error
	if by := userOf(r); by.ID != 0 && r.PostFormValue("t") == "" {
		o, err = s.Orders.CancelOrder(r.Context(), by, r.PathValue("number"), "")
	} else {
		o, err = s.Orders.CancelByLink(r.Context(), r.PathValue("number"), r.PostFormValue("t"), "")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, s.orderLink(loc, o.Number, "")+"&cancelled=1", http.StatusSeeOther)
	return nil
}

// cmiReturn handles the shopper's browser posted back by CMI's page
// (okUrl, failUrl): the signed fields say which order; the shopper goes on
// to its page, in the order's language, with notice (paid, declined). The
// payment's state is the callback's business: this changes nothing.
func (s *Server) cmiReturn(notice string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		private(w)
		loc := i18n.Negotiate(r.Header.Get("Accept-Language"), i18n.Default)
		if c, err := r.Cookie(CookieLocale); err == nil && i18n.Valid(c.Value) {
			loc = c.Value
		}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			s.renderError(w, r, loc, errs.E(errs.Invalid, "payment.bad_callback"))
			return
		}
		o, err := s.Orders.CMIReturn(r.Context(), r.PostForm)
		if err != nil {
			s.renderError(w, r, loc, err)
			return
		}
		http.Redirect(w, r, s.orderLink(o.Locale, o.Number, "")+"&"+notice+"=1", http.StatusSeeOther)
	}
}

// stripeForm is what the order page needs to collect a card with Stripe.js.
type stripeForm struct {
	Key, Secret, Locale, Return, Script, Label string
}
