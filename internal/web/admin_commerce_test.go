package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// The commerce settings are money rules: admins only.
var _ = authzRows(map[string]string{
	"GET /admin/channels":                  "admin",
	"POST /admin/channels/{channel}":       "admin",
	"GET /admin/shipping":                  "admin",
	"POST /admin/shipping/{carrier}":       "admin",
	"POST /admin/shipping/{carrier}/rates": "admin",
	"GET /admin/exchange-rates":            "admin",
	"POST /admin/exchange-rates":           "admin",
	"GET /admin/settings":                  "admin",
	"POST /admin/settings":                 "admin",
})

var _ = func() bool {
	authzFixtures = append(authzFixtures, func(t *testing.T, m market, f authzFixture) {
		f["channel"] = "web"
		cs, err := m.app.Ship.Carriers(context.Background())
		if err != nil || len(cs) == 0 {
			t.Fatalf("carriers: %v %v", cs, err)
		}
		f["carrier"] = cs[0].Code
	})
	return true
}()

// commerceSignIn signs s in; the back office's forms then carry the
// session's CSRF token.
func commerceSignIn(t *testing.T, m market, s *shopper, email string, role auth.Role) {
	t.Helper()
	const password = "a-long-password-1"
	if _, err := m.app.Auth.CreateUser(context.Background(), auth.NewUser{Email: email, Name: "Salma", Password: password,
		Role: role, Locale: "fr"}); err != nil {
		t.Fatal(err)
	}
	s.post("/fr/account/signin", url.Values{"email": {email}, "password": {password}}).location(t)
}

// commerceQuote is what the public quote API says carrier asks for a
// parcel of grams to Casablanca, -1 when it does not offer to carry it.
func commerceQuote(t *testing.T, m market, carrier string, grams string) int64 {
	t.Helper()
	resp, err := http.Get(m.url + "/api/v1/shipping-quotes?country=MA&city=casablanca&grams=" + grams)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []struct {
			Carrier string `json:"carrier"`
			Amount  int64  `json:"amount"`
		} `json:"items"`
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || json.Unmarshal(b, &out) != nil {
		t.Fatalf("quotes: %d %s", resp.StatusCode, b)
	}
	for _, q := range out.Items {
		if q.Carrier == carrier {
			return q.Amount
		}
	}
	return -1
}

// submit fills the form posting to action on p with values and posts it.
func commerceSubmit(t *testing.T, s *shopper, p page, action string, values map[string]string) page {
	t.Helper()
	return s.post(action, formValues(formOf(t, p.doc, action), values))
}

// fieldError is the error shown next to the input id, "" for none.
func commerceFieldError(p page, id string) string {
	in := byID(p.doc, id)
	if in == nil || attr(in, "aria-invalid") != "true" {
		return ""
	}
	return textOf(byID(p.doc, id+"-error"))
}

// An admin raises the web shop's minimum order to 500 DH: a cart of amlou
// that could be ordered before is refused; a bad amount is named and
// changes nothing; every change is in the audit log.
func TestAdminMinimumOrder(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		admin := m.shopper()
		commerceSignIn(t, m, admin, "admin@souk.ma", auth.RoleAdmin)
		minimum := func() int {
			return count(t, d, `SELECT min_order_amount FROM sales_channels WHERE code = 'web'`)
		}
		audits := func() int { return count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'sales_channel'`) }

		// Two jars of amlou (80 DH) pass the 50 DH minimum.
		buyer := m.shopper()
		buyer.addToCart("fr", "amlou", 2, "").location(t)
		if p := buyer.get("/fr/checkout"); p.resp.StatusCode != 200 {
			t.Fatalf("checkout under the old minimum: %d", p.resp.StatusCode)
		}

		p := admin.get("/admin/channels?lang=fr")
		if p.resp.StatusCode != 200 || len(find(p.doc, "form")) < 4 || !strings.Contains(text(byID(p.doc, "channel-web")), "50,00 DH") ||
			attr(byID(p.doc, "min-web"), "value") != "50" || attr(byID(p.doc, "min-web"), "inputmode") != "decimal" {
			t.Fatalf("channels page: %d %s", p.resp.StatusCode, text(p.doc))
		}
		if nav := find(p.doc, "a", "href", "/admin/channels"); len(nav) != 1 || attr(nav[0], "aria-current") != "page" {
			t.Errorf("menu entry: %v", nav)
		}

		// Bad amounts: named next to the field and in the summary, typed text kept, nothing changed.
		for typed, problem := range map[string]string{
			"5OO":      "Nouveau minimum de commande, en dirhams : doit être un montant comme 500 ou 120,50",
			"1.200,50": "doit être un montant comme 500 ou 120,50",
			"-5":       "Nouveau minimum de commande, en dirhams : ne doit pas être négatif",
			"":         "est obligatoire",
		} {
			bad := commerceSubmit(t, admin, p, "/admin/channels/web", map[string]string{"min_order": typed})
			if bad.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(commerceFieldError(bad, "min-web"), problem) ||
				attr(byID(bad.doc, "min-web"), "value") != typed || len(find(bad.doc, "a", "href", "#min-web")) != 1 {
				t.Errorf("minimum %q: %d %q %s", typed, bad.resp.StatusCode, commerceFieldError(bad, "min-web"), errorsOf(bad.doc))
			}
		}
		if minimum() != 5000 || audits() != 0 {
			t.Fatalf("refused minimums changed something: %d, %d entries", minimum(), audits())
		}

		// 500 DH, typed as people write it.
		loc := commerceSubmit(t, admin, p, "/admin/channels/web", map[string]string{"min_order": "500,00 DH"}).location(t)
		if loc != "/admin/channels?done=settings.channel_saved" {
			t.Errorf("after saving: %s", loc)
		}
		p = admin.get(loc)
		if !strings.Contains(errorsOf(p.doc), "Le minimum de commande est enregistré") || !strings.Contains(text(byID(p.doc, "channel-web")), "500,00 DH") {
			t.Errorf("after saving: %s", errorsOf(p.doc))
		}
		if minimum() != 50000 || audits() != 1 {
			t.Errorf("saved minimum: %d, %d entries", minimum(), audits())
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'sales_channel.set_min_order' AND entity_id = 'web'
			AND actor_role = 'admin' AND after_json LIKE '%50000%'`); n != 1 {
			t.Errorf("audit entry: %d", n)
		}

		// The same cart is now refused, at the cart and at checkout.
		if cart := text(buyer.get("/fr/cart").doc); !strings.Contains(cart, "minimum de commande de 500,00 DH") {
			t.Errorf("cart under the new minimum: %s", cart)
		}
		if loc := buyer.get("/fr/checkout").location(t); loc != "/fr/cart" {
			t.Errorf("checkout under the new minimum goes to %s", loc)
		}
		review := buyer.post("/fr/checkout", casablanca(url.Values{"action": {"review"}}, "cod"))
		if review.resp.StatusCode == 200 || !strings.Contains(text(review.doc), "500,00 DH") {
			t.Errorf("checkout posted under the new minimum: %d %s", review.resp.StatusCode, errorsOf(review.doc))
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
			t.Errorf("%d orders placed under the minimum", n)
		}

		// An unknown channel is not found.
		if bad := admin.post("/admin/channels/moon", formValues(formOf(t, p.doc, "/admin/channels/web"), map[string]string{"min_order": "10"})); bad.resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown channel: %d", bad.resp.StatusCode)
		}
	})
}

// A carrier's negotiated discount and its rate tables show in quotes; a
// bad row is named by its line and changes nothing.
func TestAdminShipping(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		admin := m.shopper()
		commerceSignIn(t, m, admin, "admin@souk.ma", auth.RoleAdmin)
		rates := func() int {
			return count(t, d, `SELECT COALESCE(SUM(max_grams + amount), 0) FROM shipping_rates WHERE carrier_code = 'amana'`)
		}

		if q := commerceQuote(t, m, "amana", "800"); q != 3000 {
			t.Fatalf("amana's quote to start with: %d", q)
		}
		p := admin.get("/admin/shipping?lang=fr")
		if p.resp.StatusCode != 200 || byID(p.doc, "carrier-amana") == nil || byID(p.doc, "rates-amana-ma-center") == nil {
			t.Fatalf("shipping page: %d %s", p.resp.StatusCode, text(p.doc))
		}
		zone := byID(p.doc, "rates-amana-ma-center")
		if rows := find(zone, "tr"); len(rows) != 7 || !strings.Contains(text(zone), "Maroc : centre") ||
			attr(byID(p.doc, "rates-amana-ma-center-1-price"), "value") != "30" || attr(byID(p.doc, "rates-amana-ma-center-6-grams"), "value") != "" {
			t.Errorf("amana in ma-center: %d rows, %s", len(rows), text(zone))
		}

		// The discount: refused when out of range or not a number; 40% shows in the quote.
		for typed, problem := range map[string]string{"150": "Remise négociée (%) : est hors des limites", "quarante": "doit être un pourcentage", "": "est obligatoire"} {
			bad := commerceSubmit(t, admin, p, "/admin/shipping/amana", map[string]string{"discount": typed})
			if bad.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(commerceFieldError(bad, "discount-amana"), problem) ||
				attr(byID(bad.doc, "discount-amana"), "value") != typed {
				t.Errorf("discount %q: %d %q", typed, bad.resp.StatusCode, commerceFieldError(bad, "discount-amana"))
			}
		}
		if q := commerceQuote(t, m, "amana", "800"); q != 3000 {
			t.Errorf("refused discounts changed the quote: %d", q)
		}
		loc := commerceSubmit(t, admin, p, "/admin/shipping/amana", map[string]string{"discount": "40"}).location(t)
		if loc != "/admin/shipping?done=settings.carrier_saved" {
			t.Errorf("after saving a carrier: %s", loc)
		}
		if q := commerceQuote(t, m, "amana", "800"); q != 1800 {
			t.Errorf("quote after a 40%% discount: %d", q)
		}
		// A carrier no longer offered is not quoted (its checkbox unticked).
		v := formValues(formOf(t, p.doc, "/admin/shipping/ctm"), nil)
		v.Del("active")
		admin.post("/admin/shipping/ctm", v).location(t)
		if q := commerceQuote(t, m, "ctm", "800"); q != -1 {
			t.Errorf("ctm still quoted: %d", q)
		}
		p = admin.get("/admin/shipping?lang=fr")
		if b := text(byID(p.doc, "carrier-ctm")); !strings.Contains(b, "non proposé") {
			t.Errorf("ctm: %s", b)
		}
		if attr(byID(p.doc, "discount-amana"), "value") != "40" || !strings.Contains(text(byID(p.doc, "rates-amana-ma-center")), "18,00 DH") {
			t.Errorf("amana after the discount: %s", text(byID(p.doc, "carrier-amana")))
		}

		// Rate table rows: bands that do not grow, a bad price, a missing weight.
		action := "/admin/shipping/amana/rates"
		form := func(p page) url.Values {
			for _, f := range find(p.doc, "form") {
				if attr(f, "action") == action && len(find(f, "input", "value", "ma-center")) == 1 {
					return formValues(f, nil)
				}
			}
			t.Fatal("no rate form for amana in ma-center")
			return nil
		}
		before := rates()
		for _, c := range []struct {
			grams, prices []string
			id, problem   string
		}{
			{[]string{"1000", "500", "5000"}, []string{"30", "35", "45"}, "rates-amana-ma-center-2-grams", "Ligne 2, Jusqu’à (grammes) : doit dépasser la tranche précédente"},
			{[]string{"1000", "2000", "5000"}, []string{"30", "35", "12,345"}, "rates-amana-ma-center-3-price", "Ligne 3, Prix (DH) : doit être un montant comme 500 ou 120,50"},
			{[]string{"1000", "", "5000"}, []string{"30", "35", "45"}, "rates-amana-ma-center-2-grams", "Ligne 2, Jusqu’à (grammes) : est obligatoire"},
			{[]string{"1000", "2 kg"}, []string{"30", "35"}, "rates-amana-ma-center-2-grams", "doit être un nombre entier"},
		} {
			v := form(p)
			v["max_grams"], v["amount"] = c.grams, c.prices
			bad := admin.post(action, v)
			if bad.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(commerceFieldError(bad, c.id), c.problem) ||
				len(find(bad.doc, "a", "href", "#"+c.id)) != 1 || !hasAttr(byID(bad.doc, "rates-amana-ma-center"), "open") {
				t.Errorf("rows %v %v: %d %q, summary %s", c.grams, c.prices, bad.resp.StatusCode, commerceFieldError(bad, c.id), errorsOf(bad.doc))
			}
			if got := attr(byID(bad.doc, "rates-amana-ma-center-1-grams"), "value"); got != "1000" {
				t.Errorf("typed rows not kept: %q", got)
			}
		}
		if rates() != before {
			t.Fatal("refused tables changed the rates")
		}

		// The first band at 25,50 DH, a 50 kg band added in the spare row, the 10 kg band removed.
		v = form(p)
		v["max_grams"] = []string{"1000", "2000", "5000", "", "30000", "50000"}
		v["amount"] = []string{"25,50", "35", "45", "", "110", "150"}
		loc = admin.post(action, v).location(t)
		if loc != "/admin/shipping?open=amana%2Fma-center&done=settings.rates_saved" {
			t.Errorf("after saving rates: %s", loc)
		}
		if q := commerceQuote(t, m, "amana", "800"); q != 1530 { // 25,50 DH less 40%
			t.Errorf("quote after the new table: %d", q)
		}
		if q := commerceQuote(t, m, "amana", "40000"); q != 9000 {
			t.Errorf("quote for 40 kg: %d", q)
		}
		p = admin.get(loc)
		if z := byID(p.doc, "rates-amana-ma-center"); !hasAttr(z, "open") || len(find(z, "tr")) != 7 || !strings.Contains(errorsOf(p.doc), "Le barème est enregistré") {
			t.Errorf("after saving rates: %s", text(z))
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('carrier.set', 'shipping_rates.set')`); n != 3 {
			t.Errorf("audit entries: %d", n)
		}
		// A zone that does not exist: a bad request, nothing changes.
		v = form(p)
		v.Set("zone", "moon")
		if bad := admin.post(action, v); bad.resp.StatusCode != http.StatusBadRequest {
			t.Errorf("unknown zone: %d", bad.resp.StatusCode)
		}
	})
}

// The exchange rate an admin sets is the one the storefront's euro prices
// follow; a bad number is named; the page says who set the rate and when.
func TestAdminExchangeRates(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		admin := m.shopper()
		commerceSignIn(t, m, admin, "admin@souk.ma", auth.RoleAdmin)
		visitor := m.shopper()
		if b := text(visitor.get("/fr/p/amlou?currency=EUR").doc); !strings.Contains(b, "3,69 €") { // 40 DH at 10.85
			t.Fatalf("amlou in euros: %s", b)
		}
		p := admin.get("/admin/exchange-rates?lang=fr")
		if p.resp.StatusCode != 200 || !strings.Contains(text(byID(p.doc, "form-EUR")), "Taux de départ de souk") ||
			attr(byID(p.doc, "rate-EUR"), "value") != "10,85" {
			t.Fatalf("rates page: %d %s", p.resp.StatusCode, text(p.doc))
		}
		rate := func() int { return count(t, d, `SELECT mad_per_unit FROM exchange_rates WHERE currency = 'EUR'`) }
		for typed, problem := range map[string]string{
			"dix":   "Nouveau taux : dirhams pour 1 EUR : doit être un nombre comme 10,85",
			"1085":  "doit être compris entre 1 et 100 dirhams",
			"10.8x": "doit être un nombre comme 10,85",
			"":      "est obligatoire",
		} {
			v := formValues(formOf(t, byID(p.doc, "form-EUR"), "/admin/exchange-rates"), map[string]string{"mad_per_unit": typed})
			bad := admin.post("/admin/exchange-rates", v)
			if bad.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(commerceFieldError(bad, "rate-EUR"), problem) ||
				attr(byID(bad.doc, "rate-EUR"), "value") != typed || commerceFieldError(bad, "rate-USD") != "" {
				t.Errorf("rate %q: %d %q", typed, bad.resp.StatusCode, commerceFieldError(bad, "rate-EUR"))
			}
		}
		if rate() != 10_850_000 {
			t.Fatalf("refused rates changed the rate: %d", rate())
		}
		v := formValues(formOf(t, byID(p.doc, "form-EUR"), "/admin/exchange-rates"), map[string]string{"mad_per_unit": "10,00"})
		if loc := admin.post("/admin/exchange-rates", v).location(t); loc != "/admin/exchange-rates?done=settings.rate_saved" {
			t.Errorf("after saving: %s", loc)
		}
		if rate() != 10_000_000 {
			t.Errorf("saved rate: %d", rate())
		}
		if b := text(visitor.get("/fr/p/amlou?currency=EUR").doc); !strings.Contains(b, "4,00 €") {
			t.Errorf("amlou at the new rate: %s", b)
		}
		p = admin.get("/admin/exchange-rates?lang=fr")
		if b := text(byID(p.doc, "form-EUR")); !strings.Contains(b, "par Salma (admin@souk.ma)") || !strings.Contains(b, "1 EUR = 10,00 DH") {
			t.Errorf("who set the rate: %s", b)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'exchange_rate.set' AND entity_id = 'EUR'`); n != 1 {
			t.Errorf("audit entries: %d", n)
		}
		v.Set("currency", "GBP")
		if bad := admin.post("/admin/exchange-rates", v); bad.resp.StatusCode != http.StatusBadRequest {
			t.Errorf("another currency: %d", bad.resp.StatusCode)
		}
	})
}

// The checkout settings: confirmation of cash orders by phone and how long
// an unpaid card order keeps its stock.
func TestAdminCheckoutSettings(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		admin := m.shopper()
		commerceSignIn(t, m, admin, "admin@souk.ma", auth.RoleAdmin)
		p := admin.get("/admin/settings?lang=fr")
		if p.resp.StatusCode != 200 || attr(byID(p.doc, "card-hold"), "value") != "30" || hasAttr(byID(p.doc, "cod-confirmation"), "checked") {
			t.Fatalf("settings page: %d %s", p.resp.StatusCode, text(p.doc))
		}
		for typed, problem := range map[string]string{"3": "est hors des limites", "une heure": "doit être un nombre entier", "": "est obligatoire"} {
			bad := commerceSubmit(t, admin, p, "/admin/settings", map[string]string{"card_hold_minutes": typed, "cod_confirmation_required": "1"})
			if bad.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(commerceFieldError(bad, "card-hold"), problem) ||
				!hasAttr(byID(bad.doc, "cod-confirmation"), "checked") {
				t.Errorf("card hold %q: %d %q", typed, bad.resp.StatusCode, commerceFieldError(bad, "card-hold"))
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM settings WHERE (name = 'cod_confirmation_required' AND value = 'false')
			OR (name = 'card_hold_minutes' AND value = '30')`); n != 2 {
			t.Fatalf("refused settings were saved: %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log`); n != 0 {
			t.Fatalf("refused settings were audited: %d", n)
		}
		loc := commerceSubmit(t, admin, p, "/admin/settings", map[string]string{"card_hold_minutes": "45", "cod_confirmation_required": "1"}).location(t)
		if loc != "/admin/settings?done=settings.settings_saved" {
			t.Errorf("after saving: %s", loc)
		}
		st, err := m.app.Orders.Settings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !st.CODConfirmation || st.CardHold.Minutes() != 45 {
			t.Errorf("settings: %+v", st)
		}
		p = admin.get(loc)
		if attr(byID(p.doc, "card-hold"), "value") != "45" || !hasAttr(byID(p.doc, "cod-confirmation"), "checked") {
			t.Errorf("after saving: %s", text(p.doc))
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'settings.set'`); n != 1 {
			t.Errorf("audit entries: %d", n)
		}
	})
}

// A moderator runs the console but not its money rules: 403 on every
// page and form here, and nothing changes.
func TestModeratorCannotChangeCommerceSettings(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		if _, err := m.app.Auth.CreateUser(context.Background(), auth.NewUser{Email: "moderator@souk.ma", Name: "Karim",
			Password: "a-long-password-1", Role: auth.RoleModerator, Locale: "fr"}); err != nil {
			t.Fatal(err)
		}
		c := newAuthzClient(m.url)
		c.signIn(t, "moderator@souk.ma", "a-long-password-1")
		before := fingerprint(t, d)
		for _, path := range []string{"/admin/channels", "/admin/shipping", "/admin/exchange-rates", "/admin/settings"} {
			if status, _ := c.try(t, "GET", path); status != http.StatusForbidden {
				t.Errorf("GET %s as a moderator: %d", path, status)
			}
		}
		for _, path := range []string{"/admin/channels/web", "/admin/shipping/amana", "/admin/shipping/amana/rates", "/admin/exchange-rates", "/admin/settings"} {
			if status, _ := c.try(t, "POST", path); status != http.StatusForbidden {
				t.Errorf("POST %s as a moderator: %d", path, status)
			}
		}
		if fingerprint(t, d) != before {
			t.Error("a moderator changed something")
		}
		// The console's menu does not offer them either.
		req, _ := http.NewRequest("GET", m.url+"/admin/", nil)
		resp, err := c.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), `href="/admin/channels"`) || strings.Contains(string(b), `href="/admin/exchange-rates"`) {
			t.Error("the moderator's menu links to the commerce settings")
		}
	})
}

// An admin sets the supermarkets' settlement delay to 15 days: shown on
// the card, audited, and a bad number is named and changes nothing.
func TestAdminSettlementDelay(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		admin := m.shopper()
		commerceSignIn(t, m, admin, "admin@souk.ma", auth.RoleAdmin)
		hours := func() int {
			return count(t, d, `SELECT settlement_hours FROM sales_channels WHERE code = 'supermarket'`)
		}
		p := admin.get("/admin/channels?lang=fr")
		if card := text(byID(p.doc, "channel-supermarket")); !strings.Contains(card, "240 heures après la livraison") ||
			attr(byID(p.doc, "hours-supermarket"), "value") != "240" || !strings.Contains(text(byID(p.doc, "channel-shop")), "72 heures après la vente") {
			t.Fatalf("channels page: %s", text(p.doc))
		}
		for typed, problem := range map[string]string{"quinze": "nombre entier", "3000": "", "-1": "", "": "est obligatoire"} {
			bad := commerceSubmit(t, admin, p, "/admin/channels/supermarket", map[string]string{"settlement_hours": typed})
			if bad.resp.StatusCode != http.StatusUnprocessableEntity || commerceFieldError(bad, "hours-supermarket") == "" ||
				!strings.Contains(commerceFieldError(bad, "hours-supermarket"), problem) || attr(byID(bad.doc, "hours-supermarket"), "value") != typed {
				t.Errorf("hours %q: %d %q", typed, bad.resp.StatusCode, commerceFieldError(bad, "hours-supermarket"))
			}
		}
		if hours() != 240 || count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'sales_channel'`) != 0 {
			t.Fatalf("refused delays changed something: %d", hours())
		}
		loc := commerceSubmit(t, admin, p, "/admin/channels/supermarket", map[string]string{"settlement_hours": "٣٦٠"}).location(t)
		if loc != "/admin/channels?done=settings.channel_saved" || hours() != 360 {
			t.Fatalf("saved: %s %d", loc, hours())
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'sales_channel.set_settlement' AND entity_id = 'supermarket'
			AND after_json LIKE '%360%'`); n != 1 || count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'sales_channel'`) != 1 {
			t.Errorf("audit: %d", n)
		}
	})
}
