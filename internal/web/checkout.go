package web

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/morocco"
	"souk/internal/order"
	"souk/internal/shipping"
)

// countries offered at checkout: Morocco first, then the countries most
// of souk's exports go to. Delivery elsewhere is priced by the "world" zone,
// but the list stays short enough to read on a phone.
var countries = []string{"MA", "FR", "ES", "BE", "NL", "DE", "IT", "GB", "US", "CA", "CH", "PT", "SE", "AE", "SA", "QA"}

// checkoutForm is what the shopper typed, kept as typed to show it again.
type checkoutForm struct {
	Cart, Key               string
	Email, Phone            string
	Name, Line1, Line2      string
	Country, City, CityText string
	PostalCode, Method      string
	Carriers                map[string]string // vendor slug -> carrier code
	Expected                *int64            // the total on the review the shopper saw
	Action                  string            // review or place
}

// keyRE is what a form's idempotency key may be (order.Checkout's rule).
var keyRE = regexp.MustCompile(`^[\x21-\x7e]{1,100}$`)

func readCheckoutForm(f url.Values) checkoutForm {
	c := checkoutForm{Cart: f.Get("cart"), Key: f.Get("key"), Email: f.Get("email"), Phone: f.Get("phone"),
		Name: f.Get("name"), Line1: f.Get("line1"), Line2: f.Get("line2"), Country: strings.ToUpper(strings.TrimSpace(f.Get("country"))),
		City: f.Get("city"), CityText: f.Get("city_text"), PostalCode: f.Get("postal_code"), Method: f.Get("payment_method"),
		Action: f.Get("action"), Carriers: map[string]string{}}
	for name := range f {
		if slug, ok := strings.CutPrefix(name, "carrier_"); ok && slug != "" {
			c.Carriers[slug] = f.Get(name)
		}
	}
	if v, err := strconv.ParseInt(f.Get("expected_total"), 10, 64); err == nil {
		c.Expected = &v
	}
	if !keyRE.MatchString(c.Key) {
		c.Key = rand.Text()
	}
	return c
}

// city is the city the form gives: in Morocco the one chosen in the list,
// else the one typed (a browser without script shows both fields; a
// Moroccan city typed by name is found by it); abroad the one typed.
func (f checkoutForm) city() string {
	if f.Country == "MA" && (strings.TrimSpace(f.City) != "" || strings.TrimSpace(f.CityText) == "") {
		return f.City
	}
	return f.CityText
}

// input is the form as checkout takes it.
func (f checkoutForm) input(loc string, carriers map[string]string) order.CheckoutInput {
	return order.CheckoutInput{Email: f.Email, Phone: f.Phone, PaymentMethod: f.Method, Locale: loc, Shipping: carriers,
		Address: order.Address{Name: f.Name, Line1: f.Line1, Line2: f.Line2, City: f.city(), PostalCode: f.PostalCode, Country: f.Country}}
}

// destination is where the parcels go, as far as the form says; ok is false
// until it says enough to price them (a country, and a city in Morocco).
func (f checkoutForm) destination() (shipping.Destination, bool) {
	switch {
	case f.Country == "MA":
		c, ok := moroccanCity(f.city())
		return shipping.Destination{Country: "MA", Region: c.Region, City: c.Code}, ok
	case len(f.Country) == 2 && f.Country[0] >= 'A' && f.Country[0] <= 'Z' && f.Country[1] >= 'A' && f.Country[1] <= 'Z':
		return shipping.Destination{Country: f.Country}, true
	}
	return shipping.Destination{}, false
}

// moroccanCity finds a city of the list by code or by its name in any
// language, as checkout does.
func moroccanCity(s string) (morocco.City, bool) {
	s = strings.TrimSpace(s)
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

// formField is one text input with its label, help and error.
type formField struct {
	ID, Name, Label, Value     string
	Type, Autocomplete, Inputs string // Inputs: the inputmode
	Help, Error                string
	Dir                        string // "ltr" for addresses and numbers inside Arabic
	Required                   bool
}

// Describe is the input's aria-describedby: its help and its error.
func (f formField) Describe() string {
	var ids []string
	if f.Help != "" {
		ids = append(ids, f.ID+"-help")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// choice is one option of a select or a radio group.
type choice struct {
	Value, Label, Help string
	Selected           bool
}

// problem is one entry of the error summary, linked to its field.
type problem struct{ ID, Text string }

type reviewLine struct {
	Title, Label string
	Quantity     int
	Total        string
}

type reviewVendor struct {
	Name, Slug string
	Lines      []reviewLine
	Items      string
	Carriers   []choice // Value: carrier code; Help: its price
	Shipping   string
	Error      string
}

type vatRow struct{ Rate, Gross, VAT string }

type checkoutData struct {
	Cart, Key string
	Problems  []problem
	Message   string // what stops the order besides the fields
	Link      string // where the message points, with LinkText
	LinkText  string

	Email, Phone, Name, Line1, Line2, CityText, PostalCode formField
	Country, City                                          formField // selects: Value unused
	Countries, Cities                                      []choice
	Methods                                                []choice
	MethodError                                            string

	Priced          bool // the address says enough to show delivery options
	Vendors         []reviewVendor
	Items, Shipping string
	Total           string
	VAT             []vatRow
	Expected        int64
	Reviewed        bool // the total is known: the order can be placed
}

// checkout is the one-page checkout. GET shows the form; POST with
// action=review checks it and shows delivery options and the total for the
// address; action=place places the order.
func (s *Server) checkout(w http.ResponseWriter, r *http.Request, loc string) error {
	private(w)
	ctx, by := r.Context(), userOf(r)
	if r.Method == http.MethodGet {
		c, ok, err := s.currentCart(w, r, false)
		if err != nil {
			return err
		}
		if !ok || len(c.Lines) == 0 || c.Problems || c.Missing.Amount > 0 {
			http.Redirect(w, r, "/"+loc+"/cart", http.StatusSeeOther)
			return nil
		}
		f := checkoutForm{Cart: c.ID, Key: rand.Text(), Email: by.Email, Country: "MA", Carriers: map[string]string{}}
		return s.renderCheckout(w, r, loc, http.StatusOK, c, f, nil, nil)
	}
	if err := r.ParseForm(); err != nil {
		return errs.E(errs.Invalid, "error.invalid")
	}
	f := readCheckoutForm(r.PostForm)
	var c order.Cart
	var err error
	if f.Cart != "" {
		c, err = s.Orders.Cart(ctx, by, f.Cart)
		if errs.Is(err, errs.NotFound) {
			f.Cart = ""
		} else if err != nil {
			return err
		}
	}
	if f.Cart == "" {
		var ok bool
		if c, ok, err = s.currentCart(w, r, false); err != nil {
			return err
		} else if !ok {
			http.Redirect(w, r, "/"+loc+"/cart", http.StatusSeeOther)
			return nil
		}
		f.Cart = c.ID
	}
	if c.Status == "merged" || (c.Status == "open" && len(c.Lines) == 0) {
		http.Redirect(w, r, "/"+loc+"/cart", http.StatusSeeOther)
		return nil
	}
	options, err := s.shippingOptions(r, c, f)
	if err != nil {
		return err
	}
	if f.Action == "place" && f.Expected == nil {
		f.Action = "review" // an order is placed at a total the shopper saw
	}
	carriers := map[string]string{}
	for _, g := range c.Vendors {
		code, ok := f.Carriers[g.VendorSlug]
		// A review prices what the page will offer: a carrier chosen before
		// that no longer fits (another payment method) gives way to the
		// cheapest. Placing takes what the shopper saw, or says why not.
		if ok && (f.Action == "place" || slices.ContainsFunc(options[g.VendorSlug], func(q shipping.Quote) bool { return q.Carrier == code })) {
			carriers[g.VendorSlug] = code
		}
	}
	in := f.input(loc, carriers)
	var o order.Order
	if f.Action == "place" {
		in.ExpectedTotal = f.Expected
		if o, _, err = s.Orders.Checkout(ctx, by, c.ID, f.Key, in); err == nil {
			return s.placed(w, r, loc, o)
		}
	} else if o, err = s.Orders.Quote(ctx, by, c.ID, in); err == nil {
		return s.renderCheckout(w, r, loc, http.StatusOK, c, f, options, &checkoutResult{total: &o.Total, quote: &o})
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.Code == errs.Internal || e.Code == errs.NotFound {
		return err
	}
	if e.Message == "cart.empty" {
		http.Redirect(w, r, "/"+loc+"/cart", http.StatusSeeOther)
		return nil
	}
	res := &checkoutResult{err: e}
	if e.Message == "checkout.total_changed" && len(e.Fields) == 1 {
		if total, ok := e.Args["total"].(money.Money); ok {
			res.total, res.err = &total, nil
			if f.Action == "place" { // the address or a price changed since the review
				res.message = i18n.T(loc, "shop.total_changed", map[string]any{"total": i18n.FormatMoney(loc, total)})
			}
		}
	}
	if e.Message == "checkout.cart_ordered" && o.Number != "" {
		// The holder of the cart placed it (in another tab, with another key):
		// show them where it is.
		res.message = errorText(loc, err)
		res.link = s.orderLink(loc, o.Number, "")
	}
	status := http.StatusOK
	switch {
	case res.err != nil && e.Code == errs.Conflict:
		status = http.StatusConflict
	case res.err != nil:
		status = http.StatusUnprocessableEntity
	case res.message != "":
		status = http.StatusConflict
	}
	return s.renderCheckout(w, r, loc, status, c, f, options, res)
}

// checkoutResult is what checking the form found: the problems, or the
// total of the order it would place.
type checkoutResult struct {
	err     *errs.Error
	quote   *order.Order // the order a review would place
	total   *money.Money
	message string
	link    string
}

// shippingOptions lists each vendor's carriers for the form's address and
// payment method; nil while the address says too little to price parcels.
func (s *Server) shippingOptions(r *http.Request, c order.Cart, f checkoutForm) (map[string][]shipping.Quote, error) {
	d, ok := f.destination()
	if !ok || len(c.Vendors) == 0 {
		return nil, nil
	}
	return s.Orders.ShippingOptions(r.Context(), c, d, f.Method)
}

// placed sends the shopper on after placing an order: to pay on CMI's
// page, else to the order's page.
func (s *Server) placed(w http.ResponseWriter, r *http.Request, loc string, o order.Order) error {
	token := s.Orders.LinkToken(o.Number)
	target := s.orderLink(loc, o.Number, token) + "&placed=1"
	if o.PaymentMethod == order.CMI && (o.Payment.Status == order.PaymentPending || o.Payment.Status == order.PaymentFailed) && o.Status != order.Cancelled {
		target = "/" + loc + "/orders/" + url.PathEscape(o.Number) + "/pay?t=" + url.QueryEscape(token)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// orderLink is an order's page in loc, signed with token (computed when "").
func (s *Server) orderLink(loc, number, token string) string {
	if token == "" {
		token = s.Orders.LinkToken(number)
	}
	return "/" + loc + "/orders/" + url.PathEscape(number) + "?t=" + url.QueryEscape(token)
}

// fieldOrder is the order of the summary: the page's order.
var fieldOrder = []string{"email", "phone", "address.name", "address.line1", "address.line2", "address.country",
	"address.city", "address.postal_code", "payment_method"}

func (s *Server) renderCheckout(w http.ResponseWriter, r *http.Request, loc string, status int, c order.Cart, f checkoutForm,
	options map[string][]shipping.Quote, res *checkoutResult) error {
	t := func(key string) string { return i18n.T(loc, key, nil) }
	fieldErr := map[string]string{}
	d := checkoutData{Cart: f.Cart, Key: f.Key}
	if res != nil && res.err != nil {
		for field, key := range res.err.Fields {
			fieldErr[field] = i18n.T(loc, key, nil)
		}
	}
	text := func(id, name, label, value, typ, auto string) formField {
		return formField{ID: id, Name: name, Label: t(label), Value: value, Type: typ, Autocomplete: auto}
	}
	d.Email = text("email", "email", "shop.email", f.Email, "email", "email")
	d.Email.Dir, d.Email.Help, d.Email.Required = "ltr", t("shop.email_help"), true
	d.Phone = text("phone", "phone", "shop.phone", f.Phone, "tel", "tel")
	d.Phone.Dir, d.Phone.Help, d.Phone.Required = "ltr", t("shop.phone_help"), true
	d.Name = text("name", "name", "shop.name", f.Name, "text", "name")
	d.Name.Required = true
	d.Line1 = text("line1", "line1", "shop.line1", f.Line1, "text", "address-line1")
	d.Line1.Required = true
	d.Line2 = text("line2", "line2", "shop.line2", f.Line2, "text", "address-line2")
	d.Country = formField{ID: "country", Label: t("shop.country")}
	d.City = formField{ID: "city", Label: t("shop.city_ma"), Help: t("shop.city_ma_help")}
	d.CityText = text("city_text", "city_text", "shop.city_abroad", f.CityText, "text", "address-level2")
	d.CityText.Help = t("shop.city_abroad_help")
	d.PostalCode = text("postal_code", "postal_code", "shop.postal_code", f.PostalCode, "text", "postal-code")
	d.PostalCode.Dir, d.PostalCode.Help = "ltr", t("shop.postal_code_help")
	// Each problem next to its field, and all of them, in the page's order
	// and linked to their field, in the summary at the top.
	cityField := &d.CityText
	if f.Country == "MA" && f.city() == f.City {
		cityField = &d.City
	}
	for _, field := range fieldOrder {
		msg, ok := fieldErr[field]
		if !ok {
			continue
		}
		fe := map[string]*formField{"email": &d.Email, "phone": &d.Phone, "address.name": &d.Name, "address.line1": &d.Line1,
			"address.line2": &d.Line2, "address.country": &d.Country, "address.city": cityField, "address.postal_code": &d.PostalCode}[field]
		if fe == nil { // payment_method
			d.MethodError = i18n.T(loc, "shop.field_error", map[string]any{"field": t("shop.payment"), "problem": msg})
			d.Problems = append(d.Problems, problem{ID: "payment_method", Text: d.MethodError})
			continue
		}
		fe.Error = i18n.T(loc, "shop.field_error", map[string]any{"field": fe.Label, "problem": msg})
		d.Problems = append(d.Problems, problem{ID: fe.ID, Text: fe.Error})
	}
	for field, msg := range fieldErr { // anything else checkout names, so nothing goes unsaid
		if !slices.Contains(fieldOrder, field) && field != "expected_total" && !strings.HasPrefix(field, "items[") && !strings.HasPrefix(field, "shipping.") {
			d.Problems = append(d.Problems, problem{ID: "summary", Text: i18n.T(loc, "shop.field_error", map[string]any{"field": field, "problem": msg})})
		}
	}
	for _, code := range countries {
		d.Countries = append(d.Countries, choice{Value: code, Label: t("shop.country." + code), Selected: code == f.Country})
	}
	if f.Country != "" && !slices.Contains(countries, f.Country) { // typed by hand or a program: keep it
		d.Countries = append(d.Countries, choice{Value: f.Country, Label: f.Country, Selected: true})
	}
	for _, city := range morocco.CitiesSorted(loc) {
		d.Cities = append(d.Cities, choice{Value: city.Code, Label: city.Name(loc), Selected: city.Code == strings.ToLower(strings.TrimSpace(f.City))})
	}
	for _, m := range s.Orders.Methods() {
		d.Methods = append(d.Methods, choice{Value: m, Label: t("shop.method." + m), Help: t("shop.method." + m + "_help"), Selected: m == f.Method})
	}
	// Lines that cannot be bought, named.
	for i, l := range c.Lines {
		if key, ok := res.fieldKey(fmt.Sprintf("items[%d]", i)); ok {
			title, _, _ := i18n.Pick(l.Titles, loc)
			if l.Label != "" {
				title += " — " + l.Label
			}
			d.Problems = append(d.Problems, problem{ID: "cart-lines", Text: i18n.T(loc, "shop.field_error", map[string]any{"field": title, "problem": i18n.T(loc, key, nil)})})
		}
	}
	if res != nil {
		d.Message, d.Link = res.message, res.link
		if d.Link != "" {
			d.LinkText = t("shop.see_order")
		}
		switch {
		case res.err == nil:
		case res.err.Message == "checkout.sold_out":
			d.Message, d.Link, d.LinkText = errorText(loc, res.err), "/"+loc+"/cart", t("shop.back_to_cart")
		case len(res.err.Fields) == 0:
			d.Message = errorText(loc, res.err)
		}
	}

	// The parcels: lines, carriers and prices for the address.
	d.Priced = options != nil
	var items, ship int64
	for _, g := range c.Vendors {
		v := reviewVendor{Name: s.vendorName(r, loc, g.VendorSlug), Slug: g.VendorSlug, Items: i18n.FormatMoney(loc, g.Items)}
		for _, li := range g.Lines {
			l := c.Lines[li]
			title, _, _ := i18n.Pick(l.Titles, loc)
			v.Lines = append(v.Lines, reviewLine{Title: title, Label: l.Label, Quantity: l.Quantity, Total: i18n.FormatMoney(loc, l.Total)})
		}
		items += g.Items.Amount
		if d.Priced {
			chosen := -1
			quotes := options[g.VendorSlug]
			for i, q := range quotes {
				if q.Carrier == f.Carriers[g.VendorSlug] {
					chosen = i
				}
			}
			if chosen < 0 && len(quotes) > 0 {
				chosen = 0 // checkout takes the cheapest when none is chosen
			}
			for i, q := range quotes {
				v.Carriers = append(v.Carriers, choice{Value: q.Carrier, Label: carrierName(loc, q.Carrier, q.Name),
					Help: i18n.FormatMoney(loc, money.Dirhams(q.Amount)), Selected: i == chosen})
			}
			if chosen >= 0 {
				v.Shipping = i18n.FormatMoney(loc, money.Dirhams(quotes[chosen].Amount))
				ship += quotes[chosen].Amount
			} else {
				v.Error = t("checkout.no_carrier")
			}
		}
		if key, ok := res.fieldKey("shipping." + g.VendorSlug); ok {
			v.Error = i18n.T(loc, key, nil)
			d.Problems = append(d.Problems, problem{ID: "carrier-" + g.VendorSlug,
				Text: i18n.T(loc, "shop.field_error", map[string]any{"field": i18n.T(loc, "shop.parcel_from", map[string]any{"vendor": v.Name}), "problem": v.Error})})
		}
		d.Vendors = append(d.Vendors, v)
	}
	d.Items = i18n.FormatMoney(loc, money.Dirhams(items))
	if d.Priced {
		d.Shipping = i18n.FormatMoney(loc, money.Dirhams(ship))
		d.Total = i18n.FormatMoney(loc, money.Dirhams(items+ship))
	}
	if res != nil && res.quote != nil && d.Priced {
		for _, l := range res.quote.VATBreakdown() {
			d.VAT = append(d.VAT, vatRow{Rate: percent(loc, l.RateBP), Gross: i18n.FormatMoney(loc, l.Gross), VAT: i18n.FormatMoney(loc, l.VAT)})
		}
	}
	if res != nil && res.total != nil && d.Priced {
		d.Reviewed, d.Expected = true, res.total.Amount
		if res.total.Amount != items+ship {
			s.Log.Warn("checkout review: total differs from the order's", "page", items+ship, "order", res.total.Amount)
		}
		d.Total = i18n.FormatMoney(loc, *res.total)
	}
	return s.render(w, status, "checkout", s.privatePage(r, loc, t("shop.checkout_title"), d))
}

// fieldKey is the message key checkout gave field, if any.
func (res *checkoutResult) fieldKey(field string) (string, bool) {
	if res == nil || res.err == nil {
		return "", false
	}
	k, ok := res.err.Fields[field]
	return k, ok
}

// carrierName is a carrier's name in loc; its own name for carriers souk
// has no words for.
func carrierName(loc, code, name string) string {
	if key := "shop.carrier." + code; i18n.Has("en", key) {
		return i18n.T(loc, key, nil)
	}
	if name == "" {
		return code
	}
	return name
}

// percent writes a rate in basis points as a percentage in loc: "20 %" in
// French and Spanish (with a no-break space), "5.5%" in English.
func percent(loc string, bp int) string {
	n := strconv.Itoa(bp / 100)
	if frac := bp % 100; frac != 0 {
		dec := strings.TrimRight(fmt.Sprintf("%02d", frac), "0")
		sep := ","
		if loc == "en" {
			sep = "."
		}
		n += sep + dec
	}
	switch loc {
	case "fr":
		return n + "\u202f%"
	case "es":
		return n + "\u00a0%"
	}
	return n + "%"
}
