package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"souk/internal/currency"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/order"
	"souk/internal/shipping"
)

// The operator console's commerce settings, for admins only (they are
// money rules): each sales channel's minimum order, the carriers with
// their negotiated discounts and rate tables, the exchange rates shown to
// visitors, and the checkout settings. Each form changes one thing through
// its domain function, which checks the input and records the change in
// the audit log; a form refused answers 422 with everything typed kept.

func (s *Server) adminCommerceRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/admin/channels", Access: admins, Handle: s.adminChannels, Nav: "settings.nav_channels"},
		{Method: "POST", Pattern: "/admin/channels/{channel}", Access: admins, Handle: s.adminSetChannel},
		{Method: "GET", Pattern: "/admin/shipping", Access: admins, Handle: s.adminShipping, Nav: "settings.nav_shipping"},
		{Method: "POST", Pattern: "/admin/shipping/{carrier}", Access: admins, Handle: s.adminSetCarrier},
		{Method: "POST", Pattern: "/admin/shipping/{carrier}/rates", Access: admins, Handle: s.adminSetRates},
		{Method: "GET", Pattern: "/admin/exchange-rates", Access: admins, Handle: s.adminExchangeRates, Nav: "settings.nav_rates"},
		{Method: "POST", Pattern: "/admin/exchange-rates", Access: admins, Handle: s.adminSetExchangeRate},
		{Method: "GET", Pattern: "/admin/settings", Access: admins, Handle: s.adminSettings, Nav: "settings.nav_settings"},
		{Method: "POST", Pattern: "/admin/settings", Access: admins, Handle: s.adminSetSettings},
	}
}

var _ = notice("settings.channel_saved", "settings.carrier_saved", "settings.rates_saved", "settings.rate_saved", "settings.settings_saved")

// commerceFieldErrors returns the per-field problems of a domain error, nil when err
// is something else (then the handler returns it).
func commerceFieldErrors(err error) map[string]string {
	var e *errs.Error
	if errors.As(err, &e) && e.Code == errs.Invalid && len(e.Fields) > 0 {
		return e.Fields
	}
	return nil
}

// dirhamsToEdit writes centimes the way an operator types them back: "500",
// "120,50" ("120.50" in English), without grouping, so that the form
// shows what money.ParseDirhams reads.
func dirhamsToEdit(loc string, centimes int64) string {
	sign := ""
	if centimes < 0 {
		sign, centimes = "-", -centimes
	}
	whole := strconv.FormatInt(centimes/100, 10)
	if centimes%100 == 0 {
		return sign + whole
	}
	return sign + whole + decimalMarkOf(loc) + fmt.Sprintf("%02d", centimes%100)
}

// decimalMarkOf is the locale's decimal separator: a comma in Morocco's
// languages, French and Spanish, a dot in English.
func decimalMarkOf(loc string) string {
	if loc == "en" {
		return "."
	}
	return ","
}

// ---- Sales channels ----

type channelMinForm struct {
	Code, Name, Current, Action string
	Settlement                  string // when earnings fall due, in words
	Min, Hours                  formField
}

type adminChannelsData struct {
	Problems []problem
	Channels []channelMinForm
}

func (s *Server) loadChannels(ctx context.Context, loc string) (adminChannelsData, error) {
	cs, err := s.Orders.Channels(ctx)
	if err != nil {
		return adminChannelsData{}, err
	}
	var d adminChannelsData
	for _, ch := range cs {
		d.Channels = append(d.Channels, channelMinForm{Code: ch.Code, Name: i18n.T(loc, "bo.channel_"+ch.Code, nil),
			Current: i18n.FormatMoney(loc, ch.MinOrder), Action: "/admin/channels/" + url.PathEscape(ch.Code),
			Min: formField{ID: "min-" + ch.Code, Name: "min_order", Label: i18n.T(loc, "settings.min_order", nil),
				Value: dirhamsToEdit(loc, ch.MinOrder.Amount), Type: "text", Inputs: "decimal", Autocomplete: "off", Dir: "ltr", Required: true,
				Help: i18n.T(loc, "settings.min_order_help", nil)},
			Settlement: i18n.T(loc, "settings.settles_"+ch.SettlesFrom, map[string]any{"hours": ch.SettlementHours}),
			Hours: formField{ID: "hours-" + ch.Code, Name: "settlement_hours", Label: i18n.T(loc, "settings.settlement_hours", nil),
				Value: strconv.Itoa(ch.SettlementHours), Type: "text", Inputs: "numeric", Autocomplete: "off", Dir: "ltr", Required: true,
				Help: i18n.T(loc, "settings.settlement_help", nil)}})
	}
	return d, nil
}

func (s *Server) adminChannels(w http.ResponseWriter, r *http.Request, c bo) error {
	d, err := s.loadChannels(r.Context(), c.Loc)
	if err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_channels", i18n.T(c.Loc, "settings.nav_channels", nil), d)
}

// adminSetChannel changes one channel's minimum order and settlement
// delay (each only when changed).
func (s *Server) adminSetChannel(w http.ResponseWriter, r *http.Request, c bo) error {
	code, raw, rawHours := r.PathValue("channel"), r.PostFormValue("min_order"), r.PostFormValue("settlement_hours")
	fields := map[string]string{}
	var in order.ChannelInput
	if strings.TrimSpace(raw) == "" {
		fields["min_order"] = "field.required"
	} else if min, err := money.ParseDirhams(raw); err != nil {
		fields["min_order"] = "settings.amount_syntax"
	} else {
		in.MinOrder = &min
	}
	if h := strings.TrimSpace(money.WesternDigits(rawHours)); h == "" {
		fields["settlement_hours"] = "field.required"
	} else if hours, err := strconv.Atoi(h); err != nil {
		fields["settlement_hours"] = "field.integer"
	} else {
		in.SettlementHours = &hours
	}
	if len(fields) == 0 {
		_, err := s.Orders.SetChannel(r.Context(), c.User, code, in)
		if err == nil {
			return done(w, r, "/admin/channels", "settings.channel_saved")
		}
		fe := commerceFieldErrors(err)
		if fe == nil {
			return err
		}
		for path, key := range fe { // min_order.amount, min_order.currency: one field here
			field, _, _ := strings.Cut(path, ".")
			fields[field] = key
		}
	}
	d, err := s.loadChannels(r.Context(), c.Loc)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(d.Channels, func(f channelMinForm) bool { return f.Code == code })
	if i < 0 {
		return errs.NotFoundE("channel")
	}
	d.Channels[i].Min.Value, d.Channels[i].Hours.Value = raw, rawHours
	d.Problems = fieldProblems(c.Loc, fields, []*formField{&d.Channels[i].Min, &d.Channels[i].Hours})
	return s.renderBO(w, r, c, http.StatusUnprocessableEntity, "admin_channels", i18n.T(c.Loc, "settings.nav_channels", nil), d)
}

// ---- Carriers and rate tables ----

type carrierSettingsForm struct {
	Code, Name, Action  string
	Active, CollectsCOD bool
	Discount            formField
	Zones               []zoneRatesForm
}

type zoneRatesForm struct {
	Zone, Name, ID, Action string
	Bands                  int    // saved bands, for the summary line
	From                   string // the lightest band's price to customers
	Open                   bool
	Rows                   []rateBandView
}

// rateBandView is one line of a rate table's form: "up to Grams → Price".
type rateBandView struct {
	Line         int
	Grams, Price formField
	Paid         string // what customers pay for a saved band, after the discount
	Problem      string // the row's problems, shown under it
}

type adminShippingData struct {
	Problems []problem
	Carriers []carrierSettingsForm
}

// zoneLabel is a zone's name in loc, its code for a zone without one.
func zoneLabel(loc, zone string) string {
	key := "settings.zone." + zone
	if !i18n.Has("en", key) {
		return zone
	}
	return i18n.T(loc, key, nil)
}

// percentToEdit writes basis points as a percentage to edit: 9200 → "92",
// 1250 → "12,5".
func percentToEdit(loc string, bp int) string {
	s := dirhamsToEdit(loc, int64(bp))
	if strings.Contains(s, decimalMarkOf(loc)) {
		s = strings.TrimSuffix(s, "0") // 12,50 → 12,5
	}
	return s
}

// percentFromForm reads a percentage with at most two decimals ("92",
// "12,5 %") into basis points: its hundredths, read as an amount's
// centimes.
func percentFromForm(s string) (int, error) {
	m, err := money.ParseDirhams(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if err != nil || m.Amount > 1_000_000 || m.Amount < -1_000_000 {
		return 0, money.ErrAmountSyntax
	}
	return int(m.Amount), nil
}

func rateBandRow(loc, id string, line int, grams, price string) rateBandView {
	n := strconv.Itoa(line)
	return rateBandView{Line: line,
		Grams: formField{ID: id + "-" + n + "-grams", Name: "max_grams", Label: i18n.T(loc, "settings.up_to", nil), Value: grams,
			Type: "text", Inputs: "numeric", Autocomplete: "off", Dir: "ltr"},
		Price: formField{ID: id + "-" + n + "-price", Name: "amount", Label: i18n.T(loc, "settings.price", nil), Value: price,
			Type: "text", Inputs: "decimal", Autocomplete: "off", Dir: "ltr"}}
}

func (s *Server) loadShipping(ctx context.Context, c bo, open string) (adminShippingData, error) {
	carriers, err := s.Shipping.Carriers(ctx)
	if err != nil {
		return adminShippingData{}, err
	}
	zones, err := s.Shipping.Zones(ctx)
	if err != nil {
		return adminShippingData{}, err
	}
	loc := c.Loc
	var d adminShippingData
	for _, cr := range carriers {
		rates, err := s.Shipping.Rates(ctx, c.User, cr.Code)
		if err != nil {
			return adminShippingData{}, err
		}
		f := carrierSettingsForm{Code: cr.Code, Name: cr.Name, Action: "/admin/shipping/" + url.PathEscape(cr.Code),
			Active: cr.Active, CollectsCOD: cr.CollectsCOD,
			Discount: formField{ID: "discount-" + cr.Code, Name: "discount", Label: i18n.T(loc, "settings.discount", nil),
				Value: percentToEdit(loc, cr.DiscountBP), Type: "text", Inputs: "decimal", Autocomplete: "off", Dir: "ltr", Required: true,
				Help: i18n.T(loc, "settings.discount_help", nil)}}
		for _, z := range zones {
			id := "rates-" + cr.Code + "-" + z
			zf := zoneRatesForm{Zone: z, Name: zoneLabel(loc, z), ID: id, Action: f.Action + "/rates", Open: open == cr.Code+"/"+z}
			bands := rates[z]
			zf.Bands = len(bands)
			for i, b := range bands {
				row := rateBandRow(loc, id, i+1, strconv.Itoa(b.MaxGrams), dirhamsToEdit(loc, b.Amount))
				row.Paid = i18n.FormatMoney(loc, money.Dirhams(shipping.Discounted(b.Amount, cr.DiscountBP)))
				if i == 0 {
					zf.From = row.Paid
				}
				zf.Rows = append(zf.Rows, row)
			}
			zf.Rows = append(zf.Rows, rateBandRow(loc, id, len(bands)+1, "", "")) // a row to add a band
			f.Zones = append(f.Zones, zf)
		}
		d.Carriers = append(d.Carriers, f)
	}
	return d, nil
}

func (s *Server) adminShipping(w http.ResponseWriter, r *http.Request, c bo) error {
	d, err := s.loadShipping(r.Context(), c, r.URL.Query().Get("open"))
	if err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_shipping", i18n.T(c.Loc, "settings.nav_shipping", nil), d)
}

// adminSetCarrier changes whether a carrier is offered and its discount.
func (s *Server) adminSetCarrier(w http.ResponseWriter, r *http.Request, c bo) error {
	code, raw := r.PathValue("carrier"), r.PostFormValue("discount")
	active := r.PostFormValue("active") == "1"
	fields := map[string]string{}
	if strings.TrimSpace(raw) == "" {
		fields["discount"] = "field.required"
	} else if bp, err := percentFromForm(raw); err != nil {
		fields["discount"] = "settings.percent_syntax"
	} else {
		_, err := s.Shipping.SetCarrier(r.Context(), c.User, code, bp, active)
		if err == nil {
			return done(w, r, "/admin/shipping", "settings.carrier_saved")
		}
		fe := commerceFieldErrors(err)
		if fe == nil {
			return err
		}
		key, ok := fe["discount_bp"]
		if !ok {
			return err
		}
		fields["discount"] = key
	}
	d, err := s.loadShipping(r.Context(), c, "")
	if err != nil {
		return err
	}
	i := slices.IndexFunc(d.Carriers, func(f carrierSettingsForm) bool { return f.Code == code })
	if i < 0 {
		return errs.NotFoundE("carrier")
	}
	d.Carriers[i].Discount.Value, d.Carriers[i].Active = raw, active
	d.Problems = fieldProblems(c.Loc, fields, []*formField{&d.Carriers[i].Discount})
	return s.renderBO(w, r, c, http.StatusUnprocessableEntity, "admin_shipping", i18n.T(c.Loc, "settings.nav_shipping", nil), d)
}

// rateBandField is a domain problem's place in a rate table: bands[2].amount.
var rateBandField = regexp.MustCompile(`^bands\[(\d+)\]\.(max_grams|amount)$`)

// adminSetRates replaces one zone's rate table of a carrier. The form's
// rows are read in order; an empty row is dropped (that is how a band is
// removed), and a problem is named by its row's line.
func (s *Server) adminSetRates(w http.ResponseWriter, r *http.Request, c bo) error {
	if err := r.ParseForm(); err != nil {
		return errs.E(errs.Invalid, "error.invalid")
	}
	ctx := r.Context()
	code, zone := r.PathValue("carrier"), r.PostFormValue("zone")
	zones, err := s.Shipping.Zones(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(zones, zone) {
		return errs.E(errs.Invalid, "settings.zone_unknown") // the form always sends one of the zones
	}
	grams, prices := r.PostForm["max_grams"], r.PostForm["amount"]
	loc := c.Loc
	id := "rates-" + code + "-" + zone
	var rows []rateBandView
	var bands []shipping.Band
	var lineOf []int // bands[j] is on rows[lineOf[j]]
	type rowProblem struct {
		row   int
		field string // max_grams or amount
		key   string
	}
	var problems []rowProblem
	for i := range max(len(grams), len(prices)) {
		g, p := "", ""
		if i < len(grams) {
			g = grams[i]
		}
		if i < len(prices) {
			p = prices[i]
		}
		if strings.TrimSpace(g) == "" && strings.TrimSpace(p) == "" {
			continue // an empty row: a band removed, or the spare row left empty
		}
		rows = append(rows, rateBandRow(loc, id, len(rows)+1, g, p))
		at := len(rows) - 1
		var b shipping.Band
		switch n, err := strconv.Atoi(money.WesternDigits(g)); {
		case strings.TrimSpace(g) == "":
			problems = append(problems, rowProblem{at, "max_grams", "field.required"})
		case err != nil:
			problems = append(problems, rowProblem{at, "max_grams", "field.integer"})
		default:
			b.MaxGrams = n
		}
		switch m, err := money.ParseDirhams(p); {
		case strings.TrimSpace(p) == "":
			problems = append(problems, rowProblem{at, "amount", "field.required"})
		case err != nil:
			problems = append(problems, rowProblem{at, "amount", "settings.amount_syntax"})
		default:
			b.Amount = m.Amount
		}
		bands = append(bands, b)
		lineOf = append(lineOf, at)
	}
	if len(problems) == 0 {
		err := s.Shipping.SetRates(ctx, c.User, code, zone, bands)
		if err == nil {
			return done(w, r, "/admin/shipping?open="+url.QueryEscape(code+"/"+zone), "settings.rates_saved")
		}
		fe := commerceFieldErrors(err)
		if fe == nil {
			return err
		}
		for name, key := range fe {
			m := rateBandField.FindStringSubmatch(name)
			if m == nil {
				return err
			}
			j, _ := strconv.Atoi(m[1])
			if j >= len(lineOf) {
				return err
			}
			problems = append(problems, rowProblem{lineOf[j], m[2], key})
		}
	}
	d, err := s.loadShipping(ctx, c, code+"/"+zone)
	if err != nil {
		return err
	}
	ci := slices.IndexFunc(d.Carriers, func(f carrierSettingsForm) bool { return f.Code == code })
	if ci < 0 {
		return errs.NotFoundE("carrier")
	}
	zf := &d.Carriers[ci].Zones[slices.IndexFunc(d.Carriers[ci].Zones, func(z zoneRatesForm) bool { return z.Zone == zone })]
	slices.SortStableFunc(problems, func(a, b rowProblem) int {
		if a.row != b.row {
			return a.row - b.row
		}
		return strings.Compare(b.field, a.field) // weight before price
	})
	for _, p := range problems {
		row := &rows[p.row]
		f := &row.Grams
		if p.field == "amount" {
			f = &row.Price
		}
		f.Error = i18n.T(loc, "settings.line_problem", map[string]any{"line": row.Line, "field": f.Label, "problem": i18n.T(loc, p.key, nil)})
		d.Problems = append(d.Problems, problem{ID: f.ID, Text: f.Error})
	}
	zf.Rows = append(rows, rateBandRow(loc, id, len(rows)+1, "", ""))
	return s.renderBO(w, r, c, http.StatusUnprocessableEntity, "admin_shipping", i18n.T(loc, "settings.nav_shipping", nil), d)
}

// ---- Exchange rates ----

type exchangeRateForm struct {
	Currency, Name   string
	Current, Example string
	SetAt, SetBy     string
	Rate             formField
}

type adminRatesData struct {
	Problems []problem
	Rates    []exchangeRateForm
}

// rateToEdit writes a rate ("10.85") with the locale's decimal mark.
func rateToEdit(loc string, r int64) string {
	return strings.Replace(money.FormatRate(r), ".", decimalMarkOf(loc), 1)
}

func (s *Server) loadExchangeRates(ctx context.Context, loc string) (adminRatesData, error) {
	rates, err := s.Rates.List(ctx)
	if err != nil {
		return adminRatesData{}, err
	}
	var d adminRatesData
	for _, cur := range currency.Foreign {
		i := slices.IndexFunc(rates, func(r currency.Rate) bool { return r.Currency == cur })
		f := exchangeRateForm{Currency: cur, Name: i18n.T(loc, "currency.name."+cur, nil),
			Rate: formField{ID: "rate-" + cur, Name: "mad_per_unit", Label: i18n.T(loc, "settings.rate_label", map[string]any{"currency": cur}),
				Type: "text", Inputs: "decimal", Autocomplete: "off", Dir: "ltr", Required: true, Help: i18n.T(loc, "settings.rate_help", nil)}}
		if i >= 0 {
			rt := rates[i]
			f.Rate.Value = rateToEdit(loc, rt.MADPerUnit)
			f.Current = i18n.T(loc, "settings.rate_now", map[string]any{"currency": cur, "rate": rateToEdit(loc, rt.MADPerUnit)})
			if ex, err := money.FromMAD(money.Dirhams(10000), cur, rt.MADPerUnit); err == nil {
				f.Example = i18n.T(loc, "settings.rate_example", map[string]any{"mad": i18n.FormatMoney(loc, money.Dirhams(10000)),
					"amount": i18n.FormatMoney(loc, ex)})
			}
			f.SetAt, f.SetBy = when(rt.UpdatedAt), s.setterName(ctx, loc, rt.UpdatedBy)
		}
		d.Rates = append(d.Rates, f)
	}
	return d, nil
}

// setterName names who set something: their name and e-mail; "" for souk
// itself (no account).
func (s *Server) setterName(ctx context.Context, loc string, id int64) string {
	if id == 0 {
		return ""
	}
	if s.Auth != nil {
		if u, err := s.Auth.UserByID(ctx, id); err == nil {
			return u.Name + " (" + u.Email + ")"
		}
	}
	return i18n.T(loc, "settings.account_n", map[string]any{"id": id})
}

func (s *Server) adminExchangeRates(w http.ResponseWriter, r *http.Request, c bo) error {
	d, err := s.loadExchangeRates(r.Context(), c.Loc)
	if err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_rates", i18n.T(c.Loc, "settings.nav_rates", nil), d)
}

// adminSetExchangeRate sets one currency's rate (each currency has its own
// form, so a refused rate never leaves the other half set).
func (s *Server) adminSetExchangeRate(w http.ResponseWriter, r *http.Request, c bo) error {
	cur, raw := r.PostFormValue("currency"), r.PostFormValue("mad_per_unit")
	if !slices.Contains(currency.Foreign, cur) {
		return errs.E(errs.Invalid, "settings.currency_unknown") // the form always sends one
	}
	// Typed as "10,85" or "١٠٫٨٥": the domain reads "10.85".
	_, err := s.Rates.Set(r.Context(), c.User, cur, strings.ReplaceAll(money.WesternDigits(raw), ",", "."))
	if err == nil {
		return done(w, r, "/admin/exchange-rates", "settings.rate_saved")
	}
	fe := commerceFieldErrors(err)
	if fe == nil {
		return err
	}
	key, ok := fe["mad_per_unit"]
	if !ok {
		return err
	}
	if key == "field.rate_decimal" {
		key = "settings.rate_decimal" // the API's words speak of JSON strings
	}
	fields := map[string]string{"mad_per_unit": key}
	d, err := s.loadExchangeRates(r.Context(), c.Loc)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(d.Rates, func(f exchangeRateForm) bool { return f.Currency == cur })
	d.Rates[i].Rate.Value = raw
	d.Problems = fieldProblems(c.Loc, fields, []*formField{&d.Rates[i].Rate})
	return s.renderBO(w, r, c, http.StatusUnprocessableEntity, "admin_rates", i18n.T(c.Loc, "settings.nav_rates", nil), d)
}

// ---- Checkout settings ----

type adminSettingsData struct {
	Problems        []problem
	CODConfirmation bool
	CardHold        formField
}

func (s *Server) loadCheckoutSettings(ctx context.Context, loc string) (adminSettingsData, error) {
	st, err := s.Orders.Settings(ctx)
	if err != nil {
		return adminSettingsData{}, err
	}
	return adminSettingsData{CODConfirmation: st.CODConfirmation,
		CardHold: formField{ID: "card-hold", Name: "card_hold_minutes", Label: i18n.T(loc, "settings.card_hold", nil),
			Value: strconv.Itoa(int(st.CardHold / time.Minute)), Type: "text", Inputs: "numeric", Autocomplete: "off", Dir: "ltr", Required: true,
			Help: i18n.T(loc, "settings.card_hold_help", nil)}}, nil
}

func (s *Server) adminSettings(w http.ResponseWriter, r *http.Request, c bo) error {
	d, err := s.loadCheckoutSettings(r.Context(), c.Loc)
	if err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_settings", i18n.T(c.Loc, "settings.nav_settings", nil), d)
}

// adminSetSettings saves the checkout settings: both are always sent (a
// checkbox left unticked is "off").
func (s *Server) adminSetSettings(w http.ResponseWriter, r *http.Request, c bo) error {
	cod, raw := r.PostFormValue("cod_confirmation_required") == "1", r.PostFormValue("card_hold_minutes")
	fields := map[string]string{}
	switch hold, err := strconv.Atoi(money.WesternDigits(raw)); {
	case strings.TrimSpace(raw) == "":
		fields["card_hold_minutes"] = "field.required"
	case err != nil:
		fields["card_hold_minutes"] = "field.integer"
	default:
		_, err := s.Orders.SetSettings(r.Context(), c.User, order.SettingsInput{CODConfirmation: &cod, CardHoldMinutes: &hold})
		if err == nil {
			return done(w, r, "/admin/settings", "settings.settings_saved")
		}
		fe := commerceFieldErrors(err)
		if fe == nil {
			return err
		}
		fields = fe
	}
	d, err := s.loadCheckoutSettings(r.Context(), c.Loc)
	if err != nil {
		return err
	}
	d.CODConfirmation, d.CardHold.Value = cod, raw
	d.Problems = fieldProblems(c.Loc, fields, []*formField{&d.CardHold})
	return s.renderBO(w, r, c, http.StatusUnprocessableEntity, "admin_settings", i18n.T(c.Loc, "settings.nav_settings", nil), d)
}
