package api_test

import (
	"net/url"
	"strings"
	"testing"

	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/i18n"
)

type rateJSON struct {
	Currency   string `json:"currency"`
	MADPerUnit string `json:"mad_per_unit"`
	UpdatedAt  string `json:"updated_at"`
	UpdatedBy  *int64 `json:"updated_by"`
}

type rateListJSON struct {
	Base  string     `json:"base"`
	Items []rateJSON `json:"items"`
}

func TestExchangeRates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)

		// A fresh souk has the default rates, public, without who set them.
		var l rateListJSON
		e.call("GET", "/api/v1/exchange-rates", "anonymous", nil).status(200).decode(&l)
		if l.Base != "MAD" || len(l.Items) != 2 || l.Items[0].Currency != "EUR" || l.Items[0].MADPerUnit != "10.85" ||
			l.Items[1].Currency != "USD" || l.Items[1].MADPerUnit != "9.30" || l.Items[0].UpdatedAt == "" {
			t.Fatalf("default rates: %+v", l)
		}
		var raw struct{ Items []map[string]any }
		e.call("GET", "/api/v1/exchange-rates", "admin", nil).status(200).decode(&raw)
		if by, ok := raw.Items[0]["updated_by"]; !ok || by != nil {
			t.Errorf("operators see a default rate as set by nobody: %v", raw.Items[0])
		}

		// An operator sets a rate; it is read back at once, with who set it.
		var got rateJSON
		e.call("PUT", "/api/v1/exchange-rates/EUR", "moderator", map[string]string{"mad_per_unit": "10.9"}).status(200).decode(&got)
		mod := e.users["moderator"].ID
		if got.Currency != "EUR" || got.MADPerUnit != "10.90" || got.UpdatedBy == nil || *got.UpdatedBy != mod {
			t.Errorf("PUT answered %+v", got)
		}
		e.call("GET", "/api/v1/exchange-rates", "admin", nil).status(200).decode(&l)
		if l.Items[0].MADPerUnit != "10.90" || l.Items[0].UpdatedBy == nil || *l.Items[0].UpdatedBy != mod || l.Items[0].UpdatedAt != got.UpdatedAt {
			t.Errorf("after PUT: %+v", l.Items[0])
		}
		e.call("PUT", "/api/v1/exchange-rates/USD", "admin", map[string]string{"mad_per_unit": "9.123456"}).status(200).decode(&got)
		if got.MADPerUnit != "9.123456" {
			t.Errorf("six decimals: %+v", got)
		}

		// Who may not: the state is unchanged, even with a bad body.
		before := e.digest()
		for _, role := range []string{"anonymous", "customer", "owner-a", "staff-a", "owner-c"} {
			want := 403
			if role == "anonymous" {
				want = 401
			}
			for _, body := range []any{map[string]string{"mad_per_unit": "11"}, `{"mad_per_unit":`, map[string]any{"mad_per_unit": 11}} {
				e.call("PUT", "/api/v1/exchange-rates/EUR", role, body).status(want)
			}
		}
		if e.digest() != before {
			t.Error("a refused caller changed the rates")
		}

		// Bad input names the field in the caller's language and changes nothing.
		bad := []struct {
			path, body, field, key string
		}{
			{"EUR", `{"mad_per_unit":10.85}`, "mad_per_unit", "field.type"}, // a JSON number: no floats
			{"EUR", `{"mad_per_unit":1085}`, "mad_per_unit", "field.type"},
			{"EUR", `{"mad_per_unit":null}`, "mad_per_unit", "field.required"},
			{"EUR", `{}`, "mad_per_unit", "field.required"},
			{"EUR", `{"mad_per_unit":""}`, "mad_per_unit", "field.required"},
			{"EUR", `{"mad_per_unit":"10,85"}`, "mad_per_unit", "field.rate_decimal"},
			{"EUR", `{"mad_per_unit":" 10.85"}`, "mad_per_unit", "field.rate_decimal"},
			{"EUR", `{"mad_per_unit":"10.8500001"}`, "mad_per_unit", "field.rate_decimal"},
			{"EUR", `{"mad_per_unit":"-10.85"}`, "mad_per_unit", "field.rate_decimal"},
			{"EUR", `{"mad_per_unit":"1e1"}`, "mad_per_unit", "field.rate_decimal"},
			{"EUR", `{"mad_per_unit":"NaN"}`, "mad_per_unit", "field.rate_decimal"},
			{"EUR", `{"mad_per_unit":"` + strings.Repeat("9", 5000) + `"}`, "mad_per_unit", "field.rate_decimal"},
			{"EUR", `{"mad_per_unit":"0"}`, "mad_per_unit", "field.rate_range"},
			{"EUR", `{"mad_per_unit":"0.5"}`, "mad_per_unit", "field.rate_range"},
			{"EUR", `{"mad_per_unit":"1085"}`, "mad_per_unit", "field.rate_range"},
			{"EUR", `{"mad_per_unit":"100.000001"}`, "mad_per_unit", "field.rate_range"},
			{"EUR", `{"mad_per_unit":"10.85","note":"x"}`, "note", "field.unknown"},
			{"MAD", `{"mad_per_unit":"1"}`, "currency", "field.rate_currency"},
			{"GBP", `{"mad_per_unit":"13.5"}`, "currency", "field.rate_currency"},
			{"eur", `{"mad_per_unit":"10.85"}`, "currency", "field.rate_currency"},
			{url.PathEscape("€"), `{"mad_per_unit":"10.85"}`, "currency", "field.rate_currency"},
			{url.PathEscape("EUR\x00"), `{"mad_per_unit":"10.85"}`, "currency", "field.rate_currency"},
		}
		for _, loc := range []string{"en", "fr", "ar", "es"} {
			for _, c := range bad {
				r := e.call("PUT", "/api/v1/exchange-rates/"+c.path+"?locale="+loc, "admin", c.body).status(422)
				er := r.apiError()
				if er.Error.Fields[c.field] != i18n.T(loc, c.key, nil) {
					t.Errorf("%s %s in %s: fields %v, want %s: %q", c.path, c.body[:min(len(c.body), 40)], loc, er.Error.Fields, c.field, i18n.T(loc, c.key, nil))
				}
				if !strings.Contains(er.Error.Message, c.field) {
					t.Errorf("%s: the message does not name %s: %q", c.path, c.field, er.Error.Message)
				}
			}
		}
		for _, body := range []string{`{"mad_per_unit":"10.85"`, `{"mad_per_unit":"10.85"} {}`, "{\"mad_per_unit\":\"\xff\"}", `[]`, `"10.85"`} {
			if r := e.call("PUT", "/api/v1/exchange-rates/EUR", "admin", body); r.code != 400 && r.code != 422 {
				t.Errorf("%q: %d", body, r.code)
			}
		}
		e.call("PUT", "/api/v1/exchange-rates/EUR", "admin", `{"mad_per_unit":"10.85"}`, map[string]string{"Content-Type": "text/plain"}).status(415)
		if e.digest() != before {
			t.Error("refused input changed the rates")
		}
		e.call("GET", "/api/v1/exchange-rates", "anonymous", nil).status(200).decode(&l)
		if l.Items[0].MADPerUnit != "10.90" || l.Items[1].MADPerUnit != "9.123456" {
			t.Errorf("rates after refused input: %+v", l.Items)
		}
	})
}
