package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
)

// flat is s with every run of spaces (NBSP and narrow NBSP included) made
// one space, as text() leaves a page's text.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// priceSite is a storefront with one product at 150.00 MAD (and a second
// size at 1,234.56 MAD) and an operator account for the API.
func priceSite(t *testing.T, d *db.DB) (site, string) {
	t.Helper()
	ctx := context.Background()
	a, v := shopWithCooperative(t, d, "tifaouine", "Taroudant", map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine"}})
	_, err := a.Catalog.Create(ctx, operator, v.ID, catalog.Input{Slug: "huile-argan", Category: "argan-oil", Status: catalog.Published,
		Texts: map[string]catalog.Texts{"ar": {Title: "زيت الأركان"}, "fr": {Title: "Huile d’argan"}},
		Variants: []catalog.Variant{
			{SKU: "S", Label: "250 ml", Price: money.Dirhams(15000), Stock: 3},
			{SKU: "L", Label: "5 l", Price: money.Dirhams(123456), Stock: 9},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Auth.CreateUser(ctx, auth.NewUser{Email: "ops@example.ma", Name: "Nadia", Password: "a long passphrase", Role: auth.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return site{t: t, url: srv.URL}, srv.URL
}

// prices are the texts of a page's price cells and cards.
func prices(t *testing.T, s site, path string, headers ...string) ([]string, *http.Response, string) {
	t.Helper()
	resp, doc, _ := s.get(path, headers...)
	var out []string
	for _, tag := range []string{"td", "div"} {
		for _, n := range find(doc, tag, "class", "price") {
			out = append(out, text(n))
		}
	}
	return out, resp, text(doc)
}

func currencyCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "souk_currency" {
			return c
		}
	}
	return nil
}

func TestDisplayCurrency(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		s, base := priceSite(t, d)

		// MAD by default: no note, nothing charged aside, no cookie.
		got, resp, page := prices(t, s, "/fr/p/huile-argan")
		if len(got) != 2 || got[0] != flat("150,00\u00a0DH") || strings.Contains(page, "facturé") || currencyCookie(resp) != nil {
			t.Errorf("MAD: %q, cookie %v", got, currencyCookie(resp))
		}

		// ?currency= converts every price at the default rates (EUR 10.85,
		// USD 9.30): 150 / 10.85 = 13.8248… → 13.82; 1,234.56 / 10.85 =
		// 113.7843… → 113.78; 150 / 9.30 = 16.1290… → 16.13;
		// 1,234.56 / 9.30 = 132.7483… → 132.75.
		for _, c := range []struct {
			loc, cur string
			want     []string // product page: both sizes, then the card
			charged  string
			note     string
		}{
			{"fr", "EUR", []string{"13,82\u00a0€", "113,78\u00a0€"}, "facturé 150,00\u00a0DH", "Les prix en euros sont indicatifs (1\u00a0€ = 10,85\u00a0DH)"},
			{"en", "EUR", []string{"€13.82", "€113.78"}, "charged MAD 150.00", "Prices in euros are indicative (€1 = MAD 10.85)"},
			{"es", "EUR", []string{"13,82\u00a0€", "113,78\u00a0€"}, "se cobra 150,00\u00a0MAD", "Los precios en euros son orientativos"},
			{"ar", "EUR", []string{"13,82\u00a0€", "113,78\u00a0€"}, "المبلغ المحتسب: 150,00\u00a0د.م.", "بالدرهم المغربي"},
			{"zgh", "EUR", []string{"13,82\u00a0€", "113,78\u00a0€"}, "150,00\u00a0د.م.", ""},
			{"en", "USD", []string{"$16.13", "$132.75"}, "charged MAD 150.00", "Prices in US dollars are indicative ($1 = MAD 9.30)"},
			{"fr", "USD", []string{"16,13\u00a0$US", "132,75\u00a0$US"}, "facturé 150,00\u00a0DH", "dollars américains"},
			{"es", "USD", []string{"16,13\u00a0US$", "132,75\u00a0US$"}, "se cobra 150,00\u00a0MAD", "dólares estadounidenses"},
			{"ar", "USD", []string{"16,13\u00a0US$", "132,75\u00a0US$"}, "150,00\u00a0د.م.", "الدولار الأمريكي"},
		} {
			got, resp, page := prices(t, s, "/"+c.loc+"/p/huile-argan?currency="+c.cur)
			if resp.StatusCode != 200 || len(got) != 2 || !strings.HasPrefix(got[0], flat(c.want[0])) || !strings.HasPrefix(got[1], flat(c.want[1])) {
				t.Errorf("%s %s: %d %q, want %q", c.loc, c.cur, resp.StatusCode, got, c.want)
			}
			if !strings.Contains(got[0], flat(c.charged)) || !strings.Contains(page, flat(c.note)) {
				t.Errorf("%s %s: the page does not say the order is charged in MAD: %q", c.loc, c.cur, page)
			}
			ck := currencyCookie(resp)
			if ck == nil || ck.Value != c.cur || ck.MaxAge != 365*24*3600 || ck.Path != "/" || ck.SameSite != http.SameSiteLaxMode {
				t.Errorf("%s %s: cookie %+v", c.loc, c.cur, ck)
			}
			cards, _, _ := prices(t, s, "/"+c.loc+"/c/argan-oil?currency="+c.cur)
			if len(cards) != 1 || cards[0] != flat(c.want[0]) {
				t.Errorf("%s %s: card %q, want %q", c.loc, c.cur, cards, c.want[0])
			}
		}

		// The choice is remembered: the cookie alone shows euros, and is not set again.
		got, resp, _ = prices(t, s, "/fr/c/argan-oil", "Cookie", "souk_currency=EUR")
		if len(got) != 1 || got[0] != flat("13,82\u00a0€") || currencyCookie(resp) != nil {
			t.Errorf("remembered EUR: %q, cookie %v", got, currencyCookie(resp))
		}
		// A bad value is ignored: the remembered choice stays, else MAD; never an error.
		for _, c := range []struct{ query, cookie, want string }{
			{"GBP", "souk_currency=EUR", "13,82\u00a0€"},
			{"", "souk_currency=EUR", "13,82\u00a0€"},
			{"GBP", "", "150,00\u00a0DH"},
			{url.QueryEscape("<script>"), "", "150,00\u00a0DH"},
			{url.QueryEscape("EUR\x00"), "", "150,00\u00a0DH"},
			{strings.Repeat("E", 5000), "souk_currency=USD", "16,13\u00a0$US"},
			{"", "souk_currency=XXX", "150,00\u00a0DH"},
			{"", "souk_currency=eur", "150,00\u00a0DH"},
			{"usd", "souk_currency=EUR", "16,13\u00a0$US"}, // the parameter is read case-blind
			{"MAD", "souk_currency=EUR", "150,00\u00a0DH"},
		} {
			h := []string{}
			if c.cookie != "" {
				h = []string{"Cookie", c.cookie}
			}
			got, resp, _ := prices(t, s, "/fr/c/argan-oil?currency="+c.query, h...)
			if resp.StatusCode != 200 || len(got) != 1 || got[0] != flat(c.want) {
				t.Errorf("?currency=%.20s with %q: %d %q, want %q", c.query, c.cookie, resp.StatusCode, got, c.want)
			}
			if ck := currencyCookie(resp); ck != nil && !strings.EqualFold(ck.Value, c.query) {
				t.Errorf("?currency=%.20s set the cookie to %q", c.query, ck.Value)
			}
		}

		// The switcher: the current page in each currency, the shown one marked.
		_, doc, _ := s.get("/fr/search?q=argan&currency=USD")
		var links []string
		for _, nav := range find(doc, "nav", "class", "locales currencies") {
			for _, a := range find(nav, "a") {
				l := text(a) + " " + attr(a, "href")
				if attr(a, "aria-current") == "true" {
					l += " current"
				}
				links = append(links, l)
			}
		}
		want := []string{"MAD /fr/search?currency=MAD&q=argan", "EUR /fr/search?currency=EUR&q=argan", "USD /fr/search?currency=USD&q=argan current"}
		if strings.Join(links, "|") != strings.Join(want, "|") {
			t.Errorf("switcher: %q, want %q", links, want)
		}

		// The operator changes the rate through the API; the storefront shows it at once.
		var sess struct{ Token string }
		resp = post(t, base+"/api/v1/sessions", "", `{"email":"ops@example.ma","password":"a long passphrase"}`)
		if err := json.NewDecoder(resp.Body).Decode(&sess); err != nil || sess.Token == "" {
			t.Fatalf("sign in: %d %v", resp.StatusCode, err)
		}
		resp.Body.Close()
		resp = put(t, base+"/api/v1/exchange-rates/EUR", sess.Token, `{"mad_per_unit":"11"}`)
		if resp.StatusCode != 200 {
			t.Fatalf("PUT rate: %d", resp.StatusCode)
		}
		resp.Body.Close()
		got, _, page = prices(t, s, "/fr/p/huile-argan", "Cookie", "souk_currency=EUR")
		if len(got) != 2 || !strings.HasPrefix(got[0], flat("13,64\u00a0€")) || !strings.Contains(page, flat("1\u00a0€ = 11,00\u00a0DH")) {
			t.Errorf("after the operator's rate of 11: %q", got) // 150 / 11 = 13.6363… → 13.64
		}
		// A refused rate changes nothing on the storefront.
		resp = put(t, base+"/api/v1/exchange-rates/EUR", sess.Token, `{"mad_per_unit":"1100"}`)
		if resp.StatusCode != 422 {
			t.Errorf("PUT 1100: %d", resp.StatusCode)
		}
		resp.Body.Close()
		if got, _, _ := prices(t, s, "/fr/c/argan-oil", "Cookie", "souk_currency=EUR"); len(got) != 1 || got[0] != flat("13,64\u00a0€") {
			t.Errorf("after a refused rate: %q", got)
		}
	})
}

func post(t *testing.T, u, token, body string) *http.Response { return send(t, "POST", u, token, body) }
func put(t *testing.T, u, token, body string) *http.Response  { return send(t, "PUT", u, token, body) }

func send(t *testing.T, method, u, token, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, u, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
