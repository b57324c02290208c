package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"souk/internal/currency"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
)

// CookieCurrency remembers the visitor's display currency.
const CookieCurrency = "souk_currency"

// display is the currency one request's prices are shown in, with the rate
// read once for the whole page (MAD per unit × money.RateScale; 0 for MAD).
type display struct {
	code string
	rate int64
}

type displayKey struct{}

// chooseCurrency settles the display currency of a request: ?currency= when
// it names one souk shows (and then remembered in a cookie for a year), else
// the remembered one, else MAD. Anything else is ignored, never an error;
// so is a rate that cannot be read, which shows the page in MAD.
func (s *Server) chooseCurrency(w http.ResponseWriter, r *http.Request) *http.Request {
	code := money.MAD
	if c, err := r.Cookie(CookieCurrency); err == nil && slices.Contains(currency.Display, c.Value) {
		code = c.Value
	}
	// Most pages have no query to parse: not a map per request to learn so.
	if q := strings.ToUpper(queryValue(r, "currency")); slices.Contains(currency.Display, q) {
		if c, err := r.Cookie(CookieCurrency); err != nil || c.Value != q {
			http.SetCookie(w, &http.Cookie{Name: CookieCurrency, Value: q, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		}
		code = q
	}
	w.Header().Add("Vary", "Cookie") // the same URL shows other prices to another visitor
	d := display{code: money.MAD}
	if code != money.MAD && s.Rates != nil {
		rate, err := s.Rates.Get(r.Context(), code)
		switch {
		case err == nil:
			d = display{code: code, rate: rate.MADPerUnit}
		case !errs.Is(err, errs.NotFound):
			s.Log.Warn("exchange rates unavailable: showing MAD", "currency", code, "err", err)
		}
	}
	if d.code == money.MAD {
		return r // displayOf's default: not a copy of the request per page
	}
	return r.WithContext(context.WithValue(r.Context(), displayKey{}, d))
}

// queryValue is r's query parameter name, parsed only when the query
// mentions it.
func queryValue(r *http.Request, name string) string {
	if !strings.Contains(r.URL.RawQuery, name) {
		return ""
	}
	return r.URL.Query().Get(name)
}

func displayOf(r *http.Request) display {
	if d, ok := r.Context().Value(displayKey{}).(display); ok {
		return d
	}
	return display{code: money.MAD}
}

// price is how every storefront page shows an amount: in the visitor's
// display currency, converted from MAD at the operator's rate (rounded half
// away from zero, money.FromMAD), formatted for loc. An amount that cannot
// be converted is shown as it is.
func (s *Server) price(r *http.Request, loc string, m money.Money) string {
	if d := displayOf(r); d.code != money.MAD && m.Currency == money.MAD {
		if c, err := money.FromMAD(m, d.code, d.rate); err == nil {
			return i18n.FormatMoney(loc, c)
		}
	}
	return i18n.FormatMoney(loc, m)
}

// charged is the amount an order is charged, in MAD, when the page shows
// another currency; "" when it shows MAD.
func (s *Server) charged(r *http.Request, loc string, m money.Money) string {
	if displayOf(r).code == money.MAD || m.Currency != money.MAD {
		return ""
	}
	return i18n.FormatMoney(loc, m)
}

// currencyNote says, when prices are shown in another currency, that they
// are indicative and at what rate, and that orders are charged in MAD.
func (s *Server) currencyNote(r *http.Request, loc string) string {
	d := displayOf(r)
	if d.code == money.MAD {
		return ""
	}
	// The rate to the centime, half away from zero like prices.
	centimes := (d.rate + money.RateScale/200) / (money.RateScale / 100)
	return i18n.T(loc, "currency.note", map[string]any{
		"currency": i18n.T(loc, "currency.name."+d.code, nil),
		"unit":     wholeUnits(loc, money.New(100, d.code)),
		"rate":     i18n.FormatMoney(loc, money.Dirhams(centimes)),
	})
}

// wholeUnits formats a round amount without its zero minor units: "1 €".
func wholeUnits(loc string, m money.Money) string {
	s := i18n.FormatMoney(loc, m)
	for _, zeros := range []string{",00", ".00"} {
		s = strings.Replace(s, zeros, "", 1)
	}
	return s
}

// currencyLink is one entry of the header's currency switcher.
type currencyLink struct {
	Code, Href string
	Current    bool
}

// currencyLinks are the current page in each display currency.
func currencyLinks(r *http.Request) []currencyLink {
	cur := displayOf(r).code
	out := make([]currencyLink, 0, len(currency.Display))
	for _, c := range currency.Display {
		q := r.URL.Query()
		q.Set("currency", c)
		out = append(out, currencyLink{Code: c, Href: r.URL.Path + "?" + q.Encode(), Current: c == cur})
	}
	return out
}
