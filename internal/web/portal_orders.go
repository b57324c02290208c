package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/morocco"
	"souk/internal/order"
	"souk/internal/vendor"
)

// The vendor portal's orders: the parcels to confirm, pack and send, each
// with one clear next step; its packing slip and its invoice, to print.
// A vendor sees its own parcels only (order.Service checks: another
// vendor's parcel is not found).

func (s *Server) portalOrderRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/vendor/orders", Access: vendorPeople, Handle: s.portalOrders, Nav: "portal.nav_orders"},
		{Method: "GET", Pattern: "/vendor/orders/{parcel}", Access: vendorPeople, Handle: s.portalOrder},
		{Method: "POST", Pattern: "/vendor/orders/{parcel}/move", Access: vendorPeople, Handle: s.portalOrderMove},
		{Method: "GET", Pattern: "/vendor/orders/{parcel}/slip", Access: vendorPeople, Handle: s.portalSlip},
		{Method: "GET", Pattern: "/vendor/orders/{parcel}/invoice", Access: vendorPeople, Handle: s.portalInvoice},
	}
}

var _ = notice("portal.done_confirmed", "portal.done_packed", "portal.done_shipped", "portal.done_cancelled")

// portalTabs are the list's tabs, in the order the work is done.
var portalTabs = []struct {
	Key    string
	Status order.Status // "" for every parcel
}{
	{"confirm", order.Placed}, {"pack", order.Confirmed}, {"ship", order.Packed}, {"shipped", order.Shipped}, {"all", ""},
}

type tabLink struct {
	Href, Label string
	Count       int
	Current     bool
}

type parcelListRow struct {
	URL, Number, Placed, City, Items string
	Amount, Collect, Status, Badge   string
}

type portalOrdersData struct {
	Tabs  []tabLink
	Intro string // what to do with the parcels of this tab
	Rows  []parcelListRow
	Empty string
	Older string // the next page, "" when this is the last
}

// badge is the colour of a status: waiting on the vendor, done, or stopped.
func badge(st order.Status) string {
	switch st {
	case order.Placed, order.Confirmed, order.Packed, order.ReturnRequested:
		return "warn"
	case order.Shipped, order.Delivered, order.Completed:
		return "ok"
	}
	return "bad"
}

// cityName is a delivery city as the vendor reads it.
func cityName(loc, city, country string) string {
	if c, ok := morocco.CityByCode(city); ok && country == "MA" {
		return c.Name(loc)
	}
	if country != "MA" && country != "" {
		if i18n.Has("en", "shop.country."+country) {
			return city + ", " + i18n.T(loc, "shop.country."+country, nil)
		}
		return city + ", " + country
	}
	return city
}

func parcelURL(id int64) string { return "/vendor/orders/" + strconv.FormatInt(id, 10) }

// portalOrders lists the vendor's parcels by what there is to do. Without
// a tab it opens the first one with work in it.
func (s *Server) portalOrders(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx := r.Context()
	counts, err := s.Orders.ParcelCounts(ctx, c.User, c.User.VendorID)
	if err != nil {
		return err
	}
	tab := r.URL.Query().Get("tab")
	known := false
	for _, t := range portalTabs {
		known = known || t.Key == tab
	}
	if !known {
		tab = "all"
		for _, t := range portalTabs[:3] {
			if counts[t.Status] > 0 {
				tab = t.Key
				break
			}
		}
	}
	var d portalOrdersData
	var status order.Status
	total := 0
	for _, n := range counts {
		total += n
	}
	for _, t := range portalTabs {
		n := total
		if t.Status != "" {
			n = counts[t.Status]
		}
		d.Tabs = append(d.Tabs, tabLink{Href: "/vendor/orders?tab=" + t.Key, Label: i18n.T(c.Loc, "portal.tab_"+t.Key, nil),
			Count: n, Current: t.Key == tab})
		if t.Key == tab {
			status = t.Status
		}
	}
	d.Intro = i18n.T(c.Loc, "portal.intro_"+tab, nil)
	d.Empty = i18n.T(c.Loc, "portal.empty_"+tab, nil)
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	const perPage = 30
	rows, err := s.Orders.ParcelList(ctx, c.User, c.User.VendorID, order.ParcelFilter{Status: status, Before: max(before, 0), Limit: perPage})
	if err != nil {
		return err
	}
	for _, p := range rows {
		row := parcelListRow{URL: parcelURL(p.ID), Number: p.Number, Placed: when(p.PlacedAt), City: cityName(c.Loc, p.City, p.Country),
			Items: i18n.N(c.Loc, "portal.items_count", p.Items, nil), Amount: i18n.FormatMoney(c.Loc, p.Amount),
			Status: i18n.T(c.Loc, "shop.status."+string(p.Status), nil), Badge: badge(p.Status)}
		if p.Collect.Amount > 0 {
			row.Collect = i18n.FormatMoney(c.Loc, p.Collect)
		}
		d.Rows = append(d.Rows, row)
	}
	if len(rows) == perPage {
		d.Older = "/vendor/orders?tab=" + tab + "&before=" + strconv.FormatInt(rows[len(rows)-1].ID, 10)
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_orders", i18n.T(c.Loc, "portal.nav_orders", nil), d)
}

type portalLine struct {
	Title, SKU  string
	Quantity    int
	Unit, Total string
}

type carrierOption struct {
	Code, Name string
	Selected   bool
}

type portalOrderData struct {
	ID                                int64
	Number, OrderNumber, Placed       string
	Status, Badge                     string
	Step                              string // confirm, pack, ship, sent, cancelled, other: the next thing to do
	Problems                          []problem
	Message                           string // why the last action was refused, besides the fields
	Lines                             []portalLine
	Count                             int // items, quantities added up
	Items, Shipping, Total            string
	Collect                           string // "" unless the carrier collects cash
	Method, Payment                   string
	Unpaid                            bool // a card payment not received: wait before sending
	Name, Phone                       string
	PhoneHref                         template.URL // tel:, a scheme html/template does not pass on its own
	AddressLines                      []string
	Carrier, Tracking                 string
	Carriers                          []carrierOption
	CarrierField, TrackingField, Note formField
	CanCancel                         bool
	CancelOpen                        bool // the cancel form is shown open (its reason was missing)
	Events                            []eventRow
	MoveURL, SlipURL, InvoiceURL      string
}

// parcelOf reads the {parcel} of the URL for c; another vendor's parcel,
// or a number that is not one, is not found.
func (s *Server) parcelOf(r *http.Request, c bo) (order.ParcelDetail, error) {
	id, err := strconv.ParseInt(r.PathValue("parcel"), 10, 64)
	if err != nil || id <= 0 {
		return order.ParcelDetail{}, errs.NotFoundE("order")
	}
	return s.Orders.Parcel(r.Context(), c.User, id)
}

func linesOf(loc string, v order.VendorOrder) ([]portalLine, int) {
	var out []portalLine
	n := 0
	for _, l := range v.Lines {
		out = append(out, portalLine{Title: l.Title, SKU: l.SKU, Quantity: l.Quantity, Unit: i18n.FormatMoney(loc, l.Unit),
			Total: i18n.FormatMoney(loc, l.Total)})
		n += l.Quantity
	}
	return out, n
}

// telHref is a phone number as a link a phone dials: only digits and "+"
// go into it, so it is safe as a URL.
func telHref(phone string) template.URL {
	return template.URL("tel:" + strings.Map(func(r rune) rune {
		if r == '+' || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, phone))
}

// localPhone writes a Moroccan number as it is dialled in Morocco
// (+212612345678 → 06 12 34 56 78); other numbers stay as they are.
func localPhone(phone string) string {
	rest, ok := strings.CutPrefix(phone, "+212")
	if !ok || len(rest) != 9 || strings.Trim(rest, "0123456789") != "" {
		return phone
	}
	rest = "0" + rest
	return rest[:2] + " " + rest[2:4] + " " + rest[4:6] + " " + rest[6:8] + " " + rest[8:]
}

// orderData builds the parcel page: what it holds, where it goes, and the
// one next step.
func (s *Server) orderData(r *http.Request, c bo, p order.ParcelDetail) (portalOrderData, error) {
	loc := c.Loc
	t := func(key string) string { return i18n.T(loc, key, nil) }
	d := portalOrderData{ID: p.ID, Number: p.Number, OrderNumber: p.OrderNumber, Placed: when(p.PlacedAt),
		Status: t("shop.status." + string(p.Status)), Badge: badge(p.Status),
		Items: i18n.FormatMoney(loc, p.Items), Shipping: i18n.FormatMoney(loc, p.Shipping),
		Total:  i18n.FormatMoney(loc, money.Money{Amount: p.Items.Amount + p.Shipping.Amount, Currency: p.Items.Currency}),
		Method: t("shop.method." + p.PaymentMethod), Payment: t("shop.payment." + p.PaymentStatus),
		Name: p.Address.Name, Phone: localPhone(p.Phone), PhoneHref: telHref(p.Phone), AddressLines: addressLines(loc, p.Address),
		Carrier: carrierName(loc, p.Carrier, p.Carrier), Tracking: p.Tracking,
		MoveURL: parcelURL(p.ID) + "/move", SlipURL: parcelURL(p.ID) + "/slip", InvoiceURL: parcelURL(p.ID) + "/invoice"}
	d.Lines, d.Count = linesOf(loc, p.VendorOrder)
	if p.Collect.Amount > 0 {
		d.Collect = i18n.FormatMoney(loc, p.Collect)
	}
	if p.PaymentMethod == order.COD && p.PaymentStatus == order.PaymentPending {
		d.Payment = "" // "to pay on delivery" would only repeat the method
	}
	open := p.Status == order.Placed || p.Status == order.Confirmed || p.Status == order.Packed
	d.Unpaid = open && p.PaymentMethod != order.COD && p.PaymentStatus != order.PaymentCaptured && p.PaymentStatus != order.PaymentAuthorised
	switch p.Status {
	case order.Placed:
		d.Step = "confirm"
	case order.Confirmed:
		d.Step = "pack"
	case order.Packed:
		d.Step = "ship"
	case order.Shipped, order.Delivered, order.Completed:
		d.Step = "sent"
	case order.Cancelled:
		d.Step = "cancelled"
	default:
		d.Step = "other"
	}
	d.CanCancel = order.CanMove(p.Status, order.Cancelled)
	d.CarrierField = formField{ID: "carrier", Name: "carrier", Label: t("shop.carrier"), Help: t("portal.carrier_help"), Required: true}
	d.TrackingField = formField{ID: "tracking", Name: "tracking", Label: t("shop.tracking"), Type: "text", Dir: "ltr",
		Help: t("portal.tracking_help"), Autocomplete: "off", Required: true}
	d.Note = formField{ID: "note", Name: "note", Label: t("portal.cancel_reason"), Help: t("portal.cancel_reason_help"), Required: true}
	if d.Step == "ship" {
		carriers, err := s.Shipping.Carriers(r.Context())
		if err != nil {
			return d, err
		}
		for _, cr := range carriers {
			if (!cr.Active || (p.PaymentMethod == order.COD && !cr.CollectsCOD)) && cr.Code != p.Carrier {
				continue
			}
			d.Carriers = append(d.Carriers, carrierOption{Code: cr.Code, Name: carrierName(loc, cr.Code, cr.Name), Selected: cr.Code == p.Carrier})
		}
	}
	names := map[int64]string{p.ID: p.Number}
	d.Events = timeline(loc, order.Order{Vendors: []order.VendorOrder{p.VendorOrder}, Events: p.Events}, names)
	return d, nil
}

// portalOrder shows one parcel with its next step.
func (s *Server) portalOrder(w http.ResponseWriter, r *http.Request, c bo) error {
	p, err := s.parcelOf(r, c)
	if err != nil {
		return err
	}
	d, err := s.orderData(r, c, p)
	if err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_order", i18n.T(c.Loc, "shop.order_title", map[string]any{"number": p.Number}), d)
}

// portalOrderMove takes the parcel's next step: to (confirmed, packed,
// shipped with carrier and tracking, cancelled with a reason in note).
// A refusal shows the page again — the fields' problems beside them (422),
// or why the parcel cannot go there now (409) — and changes nothing.
func (s *Server) portalOrderMove(w http.ResponseWriter, r *http.Request, c bo) error {
	p, err := s.parcelOf(r, c)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	d, err := s.orderData(r, c, p)
	if err != nil {
		return err
	}
	to := order.Status(r.PostForm.Get("to"))
	carrier, tracking, note := r.PostForm.Get("carrier"), r.PostForm.Get("tracking"), r.PostForm.Get("note")
	d.TrackingField.Value, d.Note.Value = tracking, note
	if carrier != "" {
		for i := range d.Carriers {
			d.Carriers[i].Selected = d.Carriers[i].Code == carrier
		}
	}
	fields := map[string]string{}
	status := http.StatusUnprocessableEntity
	switch to {
	case order.Confirmed, order.Packed, order.Shipped, order.Cancelled:
		if to == order.Cancelled && strings.TrimSpace(note) == "" {
			fields["note"] = "field.required"
		}
	default:
		d.Message = i18n.T(c.Loc, "portal.choose_step", nil)
	}
	if d.Message == "" && len(fields) == 0 {
		if !order.CanMove(p.Status, to) {
			err = &errs.Error{Code: errs.Conflict, Message: "order.bad_transition", Args: map[string]any{"from": string(p.Status), "to": string(to)}}
		} else if to == order.Shipped {
			_, err = s.Orders.Ship(r.Context(), c.User, p.ID, carrier, tracking, "")
		} else {
			_, err = s.Orders.Move(r.Context(), c.User, p.ID, to, note, "")
		}
		var e *errs.Error
		switch {
		case err == nil:
			return done(w, r, parcelURL(p.ID), "portal.done_"+string(to))
		case errs.Is(err, errs.Invalid) && errors.As(err, &e) && len(e.Fields) > 0:
			for k, v := range e.Fields {
				if k == "tracking_number" {
					k = "tracking"
				}
				fields[k] = v
			}
		case errs.Is(err, errs.Conflict) || errs.Is(err, errs.Forbidden):
			// The parcel may have moved meanwhile: show it as it is now.
			message := moveRefusal(c.Loc, err)
			if now, rerr := s.Orders.Parcel(r.Context(), c.User, p.ID); rerr == nil {
				if d, rerr = s.orderData(r, c, now); rerr != nil {
					return rerr
				}
			}
			status, d.Message = http.StatusConflict, message
		default:
			return err
		}
	}
	d.Problems = fieldProblems(c.Loc, fields, []*formField{&d.CarrierField, &d.TrackingField, &d.Note})
	for k, v := range fields { // anything the domain names that the form has no field for
		if k != "carrier" && k != "tracking" && k != "note" {
			d.Problems = append(d.Problems, problem{ID: "next", Text: i18n.T(c.Loc, "shop.field_error", map[string]any{"field": k, "problem": i18n.T(c.Loc, v, nil)})})
		}
	}
	d.CancelOpen = d.Note.Error != ""
	return s.renderBO(w, r, c, status, "portal_order", i18n.T(c.Loc, "shop.order_title", map[string]any{"number": p.Number}), d)
}

// moveRefusal says in plain words why a parcel cannot make a move now.
func moveRefusal(loc string, err error) string {
	var e *errs.Error
	if errors.As(err, &e) && e.Message == "order.bad_transition" {
		args := map[string]any{}
		for _, k := range []string{"from", "to"} {
			args[k] = i18n.T(loc, "shop.status."+fmt.Sprint(e.Args[k]), nil)
		}
		return i18n.T(loc, "order.bad_transition", args)
	}
	if errs.Is(err, errs.Forbidden) {
		return i18n.T(loc, "portal.not_allowed_now", nil)
	}
	return errorText(loc, err)
}

type portalSlipData struct {
	Number, OrderNumber, Placed string
	Vendor                      string
	Name, Phone                 string
	AddressLines                []string
	Lines                       []portalLine
	Count                       int
	Collect                     string
	Carrier, Tracking           string
	Back                        string
}

// portalSlip is the packing slip: what goes in the box, ticked off by hand,
// and where it goes.
func (s *Server) portalSlip(w http.ResponseWriter, r *http.Request, c bo) error {
	p, err := s.parcelOf(r, c)
	if err != nil {
		return err
	}
	d := portalSlipData{Number: p.Number, OrderNumber: p.OrderNumber, Placed: when(p.PlacedAt), Vendor: s.vendorName(r, c.Loc, p.VendorSlug),
		Name: p.Address.Name, Phone: localPhone(p.Phone), AddressLines: addressLines(c.Loc, p.Address),
		Carrier: carrierName(c.Loc, p.Carrier, p.Carrier), Tracking: p.Tracking, Back: parcelURL(p.ID)}
	d.Lines, d.Count = linesOf(c.Loc, p.VendorOrder)
	if p.Collect.Amount > 0 {
		d.Collect = i18n.FormatMoney(c.Loc, p.Collect)
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_slip", i18n.T(c.Loc, "portal.slip_title", map[string]any{"number": p.Number}), d)
}

type invoiceLine struct {
	Title, SKU      string
	Quantity        int
	Unit, Rate      string
	Net, VAT, Gross string
}

type portalInvoiceData struct {
	Number, Date, OrderNumber         string
	LegalName, ICE, CooperativeNumber string
	City, Region, Phone, Email        string
	Buyer, BuyerPhone, BuyerEmail     string
	BuyerAddress                      []string
	Lines                             []invoiceLine
	VAT                               []invoiceLine // by rate: Rate, Net, VAT, Gross
	Net, VATTotal, Total              string
	Method, Payment                   string
	Back                              string
}

// portalInvoice is the parcel's invoice, from the vendor to the customer:
// the seller's legal name, ICE and cooperative number, each line before
// and after VAT, the VAT by rate and the totals; its number is the
// parcel's. Prices include VAT: each line's VAT is the one charged.
func (s *Server) portalInvoice(w http.ResponseWriter, r *http.Request, c bo) error {
	p, err := s.parcelOf(r, c)
	if err != nil {
		return err
	}
	v, err := s.Vendors.Get(r.Context(), c.User, strconv.FormatInt(p.VendorID, 10))
	if err != nil {
		return err
	}
	loc := c.Loc
	m := func(amount int64) string {
		return i18n.FormatMoney(loc, money.Money{Amount: amount, Currency: p.Items.Currency})
	}
	d := portalInvoiceData{Number: p.Number, Date: p.PlacedAt.In(casablanca).Format("02/01/2006"), OrderNumber: p.OrderNumber,
		LegalName: v.LegalName, ICE: v.ICE, CooperativeNumber: v.CooperativeNumber, City: v.City, Phone: localPhone(v.Phone), Email: v.Email,
		Buyer: p.Address.Name, BuyerPhone: localPhone(p.Phone), BuyerEmail: p.Email, BuyerAddress: addressLines(loc, p.Address),
		Method: i18n.T(loc, "shop.method."+p.PaymentMethod, nil), Payment: i18n.T(loc, "shop.payment."+p.PaymentStatus, nil),
		Back: parcelURL(p.ID)}
	if v.Kind != vendor.Cooperative {
		d.CooperativeNumber = ""
	}
	if rg, ok := morocco.RegionByCode(v.Region); ok {
		d.Region = rg.Names[loc]
		if d.Region == "" {
			d.Region = rg.Names["fr"]
		}
	}
	if p.PaymentMethod == order.COD && p.PaymentStatus == order.PaymentPending {
		d.Payment = "" // "to pay on delivery" would only repeat the method
	}
	var net, vat, gross int64
	for _, l := range p.Lines {
		d.Lines = append(d.Lines, invoiceLine{Title: l.Title, SKU: l.SKU, Quantity: l.Quantity, Unit: m(l.Unit.Amount),
			Rate: percent(loc, l.VATRateBP), Net: m(l.Total.Amount - l.VAT.Amount), VAT: m(l.VAT.Amount), Gross: m(l.Total.Amount)})
	}
	if p.Shipping.Amount > 0 {
		shipVAT := p.VendorOrder.VAT.Amount // the parcel's VAT is its lines' and its shipping's
		for _, l := range p.Lines {
			shipVAT -= l.VAT.Amount
		}
		d.Lines = append(d.Lines, invoiceLine{Title: i18n.T(loc, "portal.invoice_delivery", map[string]any{"carrier": carrierName(loc, p.Carrier, p.Carrier)}),
			Quantity: 1, Unit: m(p.Shipping.Amount), Rate: percent(loc, order.ShippingVATBP),
			Net: m(p.Shipping.Amount - shipVAT), VAT: m(shipVAT), Gross: m(p.Shipping.Amount)})
	}
	for _, l := range p.VATByRate {
		d.VAT = append(d.VAT, invoiceLine{Rate: percent(loc, l.RateBP), Net: m(l.Gross.Amount - l.VAT.Amount), VAT: m(l.VAT.Amount), Gross: m(l.Gross.Amount)})
		net, vat, gross = net+l.Gross.Amount-l.VAT.Amount, vat+l.VAT.Amount, gross+l.Gross.Amount
	}
	d.Net, d.VATTotal, d.Total = m(net), m(vat), m(gross)
	return s.renderBO(w, r, c, http.StatusOK, "portal_invoice", i18n.T(c.Loc, "portal.invoice_title", map[string]any{"number": p.Number}), d)
}
