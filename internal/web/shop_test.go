package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"souk/internal/app"
	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/order"
	"souk/internal/payment/stripepay"
	"souk/internal/vendor"
)

// market is souk with one cooperative selling argan oil (150 DH, 5 in
// stock), amlou (40 DH, under the 50 DH minimum alone) and soap in two
// sizes, the big one sold out; served on a test server that the CMI
// simulator's callbacks reach.
type market struct {
	t   *testing.T
	app *app.App
	d   *db.DB
	url string
}

func newMarket(t *testing.T, d *db.DB) market { return newMarketWith(t, d, app.Config{}) }

func newMarketWith(t *testing.T, d *db.DB, cfg app.Config) market {
	t.Helper()
	ctx := context.Background()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir() // documents and photos land here, not in the source tree
	}
	a := newApp(t, d, cfg)
	v, err := a.Vendors.Create(ctx, operator, vendor.Input{Slug: "tifaouine", Kind: vendor.Cooperative, LegalName: "Coopérative Tifaouine",
		Region: "souss-massa", City: "Taroudant", CooperativeNumber: "2004/1",
		Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine"}, "ar": {DisplayName: "تعاونية تيفاوين"}}}, vendor.Approved)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		slug, ar, fr string
		variants     []catalog.Variant
	}{
		{"huile-argan", "زيت الأركان", "Huile d’argan", []catalog.Variant{{SKU: "ARG-250", Label: "250 ml", Price: money.Dirhams(15000), Stock: 5, WeightGrams: 400}}},
		{"amlou", "أملو", "Amlou", []catalog.Variant{{SKU: "AML", Label: "200 g", Price: money.Dirhams(4000), Stock: 20, WeightGrams: 250}}},
		{"savon", "صابون", "Savon noir", []catalog.Variant{
			{SKU: "S-100", Label: "100 g", Price: money.Dirhams(3000), Stock: 9, WeightGrams: 120},
			{SKU: "S-500", Label: "500 g", Price: money.Dirhams(9000), Stock: 0, WeightGrams: 520}}},
	} {
		if _, err := a.Catalog.Create(ctx, operator, v.ID, catalog.Input{Slug: p.slug, Category: "argan-oil", Status: catalog.Published,
			Texts: map[string]catalog.Texts{"ar": {Title: p.ar}, "fr": {Title: p.fr}}, Variants: p.variants}); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	a.UseAddress(srv.URL)
	return market{t: t, app: a, d: d, url: srv.URL}
}

// shopper is a browser: cookies kept, redirects not followed (the tests
// look at them), Sec-Fetch-Site sent on posts.
type shopper struct {
	m      market
	client *http.Client
}

func (m market) shopper() *shopper {
	jar, _ := cookiejar.New(nil)
	return &shopper{m: m, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	resp *http.Response
	doc  *html.Node
	body string
}

func (s *shopper) do(req *http.Request) page {
	s.m.t.Helper()
	resp, err := s.client.Do(req)
	if err != nil {
		s.m.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		s.m.t.Fatal(err)
	}
	return page{resp, doc, string(body)}
}

func (s *shopper) get(path string) page {
	s.m.t.Helper()
	req, _ := http.NewRequest("GET", s.abs(path), nil)
	return s.do(req)
}

func (s *shopper) post(path string, form url.Values) page {
	s.m.t.Helper()
	req, _ := http.NewRequest("POST", s.abs(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return s.do(req)
}

func (s *shopper) abs(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return s.m.url + path
}

// location is where a 303 sends the shopper.
func (p page) location(t *testing.T) string {
	t.Helper()
	if p.resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s: %d, want 303; %s", p.resp.Request.URL, p.resp.StatusCode, errorsOf(p.doc))
	}
	return p.resp.Header.Get("Location")
}

// byID finds the element with id.
func byID(n *html.Node, id string) *html.Node {
	if n.Type == html.ElementNode && attr(n, "id") == id {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := byID(c, id); f != nil {
			return f
		}
	}
	return nil
}

func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	return text(n)
}

func errorsOf(doc *html.Node) string {
	var out []string
	for _, n := range find(doc, "p", "class", "notice") {
		out = append(out, text(n))
	}
	for _, n := range find(doc, "div", "class", "errors") {
		out = append(out, text(n))
	}
	return strings.Join(out, " | ")
}

// formValues is what a browser would send for form when button is pressed.
func formValues(form *html.Node, button map[string]string) url.Values {
	v := url.Values{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name := attr(n, "name")
			switch n.Data {
			case "input":
				switch attr(n, "type") {
				case "radio", "checkbox":
					if hasAttr(n, "checked") {
						v.Add(name, attr(n, "value"))
					}
				case "submit", "button":
				default:
					if name != "" {
						v.Add(name, attr(n, "value"))
					}
				}
			case "select":
				var chosen, first *html.Node
				for _, o := range find(n, "option") {
					if first == nil && !hasAttr(o, "disabled") {
						first = o
					}
					if hasAttr(o, "selected") {
						chosen = o
					}
				}
				if chosen == nil {
					chosen = first
				}
				if chosen != nil {
					v.Add(name, attr(chosen, "value"))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	for k, x := range button {
		v.Set(k, x)
	}
	return v
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Key == name {
			return true
		}
	}
	return false
}

// formOf finds the form posting to action.
func formOf(t *testing.T, doc *html.Node, action string) *html.Node {
	t.Helper()
	for _, f := range find(doc, "form") {
		if attr(f, "action") == action {
			return f
		}
	}
	t.Fatalf("no form posting to %s", action)
	return nil
}

// addToCart fills the product page's form and posts it.
func (s *shopper) addToCart(loc, product string, quantity int, sku string) page {
	s.m.t.Helper()
	p := s.get("/" + loc + "/p/" + product)
	v := formValues(formOf(s.m.t, p.doc, "/"+loc+"/cart/items"), nil)
	v.Set("quantity", strconv.Itoa(quantity))
	if sku != "" {
		v.Set("variant", sku)
	}
	return s.post("/"+loc+"/cart/items", v)
}

func stockOf(t *testing.T, a *app.App, product string) int {
	t.Helper()
	p, err := a.Catalog.Get(context.Background(), operator, product)
	if err != nil {
		t.Fatal(err)
	}
	return p.Variants[0].Stock
}

func count(t *testing.T, d *db.DB, query string) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// casablanca fills the checkout form with a good Moroccan address.
func casablanca(v url.Values, method string) url.Values {
	v.Set("email", "fatima@example.ma")
	v.Set("phone", "06 12 34 56 78")
	v.Set("name", "Fatima Zahra")
	v.Set("line1", "12 rue des Oudayas")
	v.Set("country", "MA")
	v.Set("city", "casablanca")
	v.Set("payment_method", method)
	return v
}

// reviewed checks out the cart with a Moroccan address and method, and
// returns the review page, ready to place.
func (s *shopper) reviewed(loc, method string) page {
	s.m.t.Helper()
	p := s.get("/" + loc + "/checkout")
	if p.resp.StatusCode != 200 {
		s.m.t.Fatalf("checkout: %d", p.resp.StatusCode)
	}
	v := casablanca(formValues(formOf(s.m.t, p.doc, "/"+loc+"/checkout"), map[string]string{"action": "review"}), method)
	p = s.post("/"+loc+"/checkout", v)
	if p.resp.StatusCode != 200 || len(find(p.doc, "input", "name", "expected_total")) != 1 {
		s.m.t.Fatalf("review: %d, %s", p.resp.StatusCode, errorsOf(p.doc))
	}
	return p
}

func (s *shopper) place(loc string, review page) (string, url.Values) {
	s.m.t.Helper()
	v := formValues(formOf(s.m.t, review.doc, "/"+loc+"/checkout"), map[string]string{"action": "place"})
	return s.post("/"+loc+"/checkout", v).location(s.m.t), v
}

// The whole journey of a cash-on-delivery order: the product page's form,
// the cart, a checkout with mistakes answered next to each field in the
// shopper's language, the review with delivery and VAT, the order placed
// once even when the form is sent twice.
func TestCheckoutCashOnDelivery(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		s := m.shopper()

		// Every page links to the cart; the product page has the form.
		home := s.get("/fr/")
		if links := find(home.doc, "a", "href", "/fr/cart"); len(links) != 1 || text(links[0]) != "Panier" {
			t.Errorf("header cart link: %v", links)
		}
		if cc := home.resp.Header.Get("Cache-Control"); strings.Contains(cc, "no-store") {
			t.Errorf("home page not cacheable: %s", cc)
		}
		loc := s.addToCart("fr", "huile-argan", 2, "").location(t)
		if loc != "/fr/cart" {
			t.Errorf("after adding: %s", loc)
		}
		var cookie *http.Cookie
		for _, c := range s.client.Jar.Cookies(mustURL(m.url)) {
			if c.Name == "souk_cart" {
				cookie = c
			}
		}
		if cookie == nil || len(cookie.Value) != 32 {
			t.Fatalf("no cart cookie: %v", s.client.Jar.Cookies(mustURL(m.url)))
		}
		cart := s.get("/fr/cart")
		if cart.resp.StatusCode != 200 || cart.resp.Header.Get("Cache-Control") != "no-store" || len(find(cart.doc, "meta", "name", "robots")) != 1 {
			t.Errorf("cart page: %d %v", cart.resp.StatusCode, cart.resp.Header)
		}
		body := text(cart.doc)
		for _, want := range []string{"Huile d’argan", "250 ml", "Coopérative Tifaouine", "150,00 DH", "300,00 DH"} {
			if !strings.Contains(body, want) {
				t.Errorf("cart page lacks %q: %s", want, body)
			}
		}
		if len(find(cart.doc, "a", "href", "/fr/checkout")) != 1 {
			t.Errorf("no checkout button")
		}

		// Mistakes: a bad phone, an unknown city, no payment method. Each is
		// named next to its field, in French on /fr/ and in Arabic on /ar/,
		// and what was typed stays.
		p := s.get("/fr/checkout")
		form := formValues(formOf(t, p.doc, "/fr/checkout"), map[string]string{"action": "review"})
		key := form.Get("key")
		if len(key) < 20 {
			t.Fatalf("idempotency key %q", key)
		}
		bad := casablanca(form, "")
		bad.Set("phone", "12345")
		bad.Set("city", "atlantis")
		bad.Set("line2", "3e étage")
		for loc, want := range map[string][]string{
			"fr": {"Téléphone : doit être un numéro marocain", "Ville au Maroc : n’est pas dans notre liste", "Paiement : est obligatoire"},
			"ar": {"الهاتف: يجب أن يكون رقما مغربيا", "المدينة داخل المغرب: ليست في قائمة المدن", "الدفع: إلزامي"},
		} {
			p := s.post("/"+loc+"/checkout", bad)
			if p.resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: bad checkout answered %d", loc, p.resp.StatusCode)
			}
			for i, id := range []string{"phone-error", "city-error", "payment_method-error"} {
				if got := textOf(byID(p.doc, id)); !strings.Contains(got, want[i]) {
					t.Errorf("%s: #%s = %q, want %q", loc, id, got, want[i])
				}
			}
			if in := byID(p.doc, "phone"); in == nil || attr(in, "value") != "12345" || !strings.Contains(attr(in, "aria-describedby"), "phone-error") ||
				attr(in, "aria-invalid") != "true" {
				t.Errorf("%s: phone input %v", loc, in)
			}
			for id, v := range map[string]string{"email": "fatima@example.ma", "name": "Fatima Zahra", "line1": "12 rue des Oudayas", "line2": "3e étage"} {
				if in := byID(p.doc, id); in == nil || attr(in, "value") != v {
					t.Errorf("%s: %s not kept", loc, id)
				}
			}
			if summary := find(p.doc, "div", "class", "errors"); len(summary) != 1 || len(find(summary[0], "li")) != 3 {
				t.Errorf("%s: error summary %v", loc, summary)
			}
			if got := formValues(formOf(t, p.doc, "/"+loc+"/checkout"), nil).Get("key"); got != key {
				t.Errorf("%s: idempotency key changed: %q", loc, got)
			}
			if len(find(p.doc, "button", "value", "place")) != 0 {
				t.Errorf("%s: the order can be placed before a good review", loc)
			}
		}

		// Fixed: the review shows delivery, the total and the VAT.
		good := casablanca(bad, "cod")
		review := s.post("/fr/checkout", good)
		if review.resp.StatusCode != 200 {
			t.Fatalf("review: %d %s", review.resp.StatusCode, errorsOf(review.doc))
		}
		rv := text(review.doc)
		for _, want := range []string{"Amana", "CTM Messagerie", "Livraison", "TVA incluse", "Commander ·"} {
			if !strings.Contains(rv, want) {
				t.Errorf("review lacks %q: %s", want, rv)
			}
		}
		expected, _ := strconv.ParseInt(formValues(formOf(t, review.doc, "/fr/checkout"), nil).Get("expected_total"), 10, 64)
		if expected <= 30000 {
			t.Errorf("expected total %d, want the items (300 DH) and delivery", expected)
		}
		if in := byID(review.doc, "line2"); attr(in, "value") != "3e étage" {
			t.Errorf("line 2 lost on review")
		}

		var carrier string
		for _, r := range find(review.doc, "input", "type", "radio") {
			if strings.HasPrefix(attr(r, "name"), "carrier_") && hasAttr(r, "checked") {
				carrier = strings.Split(textOf(find(review.doc, "label", "for", attr(r, "id"))[0]), " · ")[0]
			}
		}
		if carrier == "" {
			t.Fatalf("no carrier chosen on the review")
		}

		// Placed: the order page; the stock taken.
		target, placed := s.place("fr", review)
		if !strings.HasPrefix(target, "/fr/orders/S") || !strings.Contains(target, "?t=") {
			t.Fatalf("after placing: %s", target)
		}
		number := strings.TrimPrefix(target[:strings.Index(target, "?")], "/fr/orders/")
		op := s.get(target)
		ob := text(op.doc)
		if op.resp.StatusCode != 200 || op.resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("order page: %d %v", op.resp.StatusCode, op.resp.Header)
		}
		for _, want := range []string{number, "Confirmée", "Merci ! Votre commande est passée.", "à payer à la livraison", carrier, "Huile d’argan — 250 ml"} {
			if !strings.Contains(ob, want) {
				t.Errorf("order page lacks %q: %s", want, ob)
			}
		}
		o, err := m.app.Orders.Get(context.Background(), operator, number)
		if err != nil || o.Total.Amount != expected || o.Address.Line2 != "3e étage" {
			t.Fatalf("order %s: %v total %d", number, err, o.Total.Amount)
		}
		if tot := textOf(find(op.doc, "dd", "class", "price")[0]); tot != "" && !strings.Contains(ob, strings.TrimSpace(tot)) {
			t.Errorf("total %q", tot)
		}
		if got := stockOf(t, m.app, "huile-argan"); got != 3 {
			t.Errorf("stock %d, want 3", got)
		}

		// The same form again (a double click, a reload): the same order.
		again := s.post("/fr/checkout", placed).location(t)
		if !strings.HasPrefix(again, "/fr/orders/"+number+"?") {
			t.Errorf("replay went to %s", again)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 1 {
			t.Errorf("%d orders, want 1", n)
		}
		if got := stockOf(t, m.app, "huile-argan"); got != 3 {
			t.Errorf("stock %d after the replay, want 3", got)
		}
		// The cart is spent: the next visit starts afresh.
		if c := s.get("/fr/cart"); !strings.Contains(text(c.doc), "Votre panier est vide") {
			t.Errorf("cart after ordering: %s", text(c.doc))
		}
		// Without the link's token, a stranger sees nothing.
		if p := m.shopper().get("/fr/orders/" + number); p.resp.StatusCode != 404 {
			t.Errorf("order without token: %d", p.resp.StatusCode)
		}
		if p := m.shopper().get("/fr/orders/" + number + "?t=forged"); p.resp.StatusCode != 404 {
			t.Errorf("order with a forged token: %d", p.resp.StatusCode)
		}
		// The guest may cancel through the link, before packing.
		if len(find(op.doc, "button", "type", "submit")) != 2 || !strings.Contains(ob, "Annuler ma commande") {
			t.Errorf("guest's order page offers: %s", ob)
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// payByCMI goes from the pay page through the simulator with card pan and
// back to souk's return address; it returns where souk sends the shopper.
func (s *shopper) payByCMI(payPage, pan string) string {
	t := s.m.t
	t.Helper()
	p := s.get(payPage)
	if p.resp.StatusCode != 200 {
		t.Fatalf("pay page %s: %d", payPage, p.resp.StatusCode)
	}
	forms := find(p.doc, "form", "method", "post")
	if len(forms) != 1 || !strings.HasPrefix(attr(forms[0], "action"), s.m.url+"/cmi-simulator/") {
		t.Fatalf("pay page form: %v", forms)
	}
	if btn := find(forms[0], "button"); len(btn) != 1 || !strings.HasPrefix(text(btn[0]), "Payer ") || !strings.HasSuffix(text(btn[0]), " par carte") {
		t.Errorf("pay button: %v", btn)
	}
	fields := formValues(forms[0], map[string]string{"pan": pan})
	// The simulator, like CMI, calls souk back server to server, then
	// answers the browser a form that posts it back to souk.
	sim := s.post(attr(forms[0], "action"), fields)
	if sim.resp.StatusCode != 200 {
		t.Fatalf("simulator: %d %s", sim.resp.StatusCode, sim.body)
	}
	back := find(sim.doc, "form")
	if len(back) != 1 {
		t.Fatalf("simulator answer: %s", sim.body)
	}
	// The post back comes from CMI's site: no Sec-Fetch-Site same-origin,
	// and the Lax cookies stay behind.
	req, _ := http.NewRequest("POST", attr(back[0], "action"), strings.NewReader(formValues(back[0], nil).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("return to %s: %d", attr(back[0], "action"), resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// A card order through the CMI simulator: accepted, and declined then paid
// on a second attempt.
func TestCheckoutCMI(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		ctx := context.Background()
		s := m.shopper()
		s.addToCart("fr", "huile-argan", 1, "").location(t)
		review := s.reviewed("fr", "cmi")
		if !strings.Contains(text(review.doc), "Carte bancaire (CMI)") {
			t.Errorf("no CMI method offered: %s", text(review.doc))
		}
		pay, _ := s.place("fr", review)
		if !strings.HasPrefix(pay, "/fr/orders/S") || !strings.Contains(pay, "/pay?t=") {
			t.Fatalf("a card order goes to %s", pay)
		}
		number := strings.TrimSuffix(strings.TrimPrefix(pay[:strings.Index(pay, "?")], "/fr/orders/"), "/pay")
		back := s.payByCMI(pay, "4000000000000010")
		if !strings.HasPrefix(back, "/fr/orders/"+number+"?t=") || !strings.HasSuffix(back, "&paid=1") {
			t.Fatalf("back from CMI to %s", back)
		}
		o, err := m.app.Orders.Get(ctx, operator, number)
		if err != nil || o.Payment.Status != order.PaymentCaptured || o.Status != order.Confirmed {
			t.Fatalf("paid order: %v, payment %s, status %s", err, o.Payment.Status, o.Status)
		}
		page := s.get(back)
		if b := text(page.doc); !strings.Contains(b, "Paiement reçu. Merci !") || !strings.Contains(b, "Confirmée") || !strings.Contains(b, "payé") {
			t.Errorf("order page after paying: %s", b)
		}
		if len(find(page.doc, "a", "class", "button big")) != 0 {
			t.Errorf("a paid order offers to pay")
		}
		// Paid: the pay page sends back to the order.
		if p := s.get(pay); p.resp.StatusCode != http.StatusSeeOther {
			t.Errorf("pay page of a paid order: %d", p.resp.StatusCode)
		}

		// Declined: the order stays placed and offers to pay again; the
		// second attempt (a new CMI order id) goes through.
		s = m.shopper()
		s.addToCart("ar", "amlou", 2, "").location(t)
		pay, _ = s.place("ar", s.reviewed("ar", "cmi"))
		number = strings.TrimSuffix(strings.TrimPrefix(pay[:strings.Index(pay, "?")], "/ar/orders/"), "/pay")
		back = s.payByCMIIn("ar", pay, "4000000000000002")
		if !strings.HasSuffix(back, "&declined=1") || !strings.HasPrefix(back, "/ar/orders/"+number) {
			t.Fatalf("declined: back to %s", back)
		}
		o, _ = m.app.Orders.Get(ctx, operator, number)
		if o.Payment.Status != order.PaymentFailed || o.Status != order.Placed {
			t.Errorf("declined order: payment %s, status %s", o.Payment.Status, o.Status)
		}
		page = s.get(back)
		again := find(page.doc, "a", "class", "button big")
		if b := text(page.doc); !strings.Contains(b, "رُفضت البطاقة") || len(again) != 1 || !strings.Contains(text(again[0]), "ادفع") {
			t.Fatalf("declined order page: %s", b)
		}
		back = s.payByCMIIn("ar", attr(again[0], "href"), "5453010000066100")
		if !strings.HasSuffix(back, "&paid=1") {
			t.Fatalf("second attempt: back to %s", back)
		}
		o, _ = m.app.Orders.Get(ctx, operator, number)
		if o.Payment.Status != order.PaymentCaptured || o.Status != order.Confirmed || o.Payment.Reference != number+"-2" {
			t.Errorf("second attempt: payment %s (%s), status %s", o.Payment.Status, o.Payment.Reference, o.Status)
		}

		// A forged return is refused and changes nothing.
		req, _ := http.NewRequest("POST", m.url+"/payments/cmi/ok", strings.NewReader(url.Values{"oid": {number}, "HASH": {"forged"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("forged return: %d", resp.StatusCode)
		}
	})
}

// payByCMIIn is payByCMI for a page whose button is in loc (only French
// is checked word for word).
func (s *shopper) payByCMIIn(loc, payPage, pan string) string {
	if loc == "fr" {
		return s.payByCMI(payPage, pan)
	}
	t := s.m.t
	t.Helper()
	p := s.get(payPage)
	forms := find(p.doc, "form", "method", "post")
	if p.resp.StatusCode != 200 || len(forms) != 1 {
		t.Fatalf("pay page %s: %d", payPage, p.resp.StatusCode)
	}
	sim := s.post(attr(forms[0], "action"), formValues(forms[0], map[string]string{"pan": pan}))
	back := find(sim.doc, "form")
	if len(back) != 1 {
		t.Fatalf("simulator answer: %s", sim.body)
	}
	req, _ := http.NewRequest("POST", attr(back[0], "action"), strings.NewReader(formValues(back[0], nil).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// The cart refuses nonsense with a message, shows what can no longer be
// bought, and survives a junk cookie.
func TestCartEdgeCases(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		ctx := context.Background()
		s := m.shopper()

		// The product page offers the sizes in stock; the sold-out one is disabled.
		p := s.get("/fr/p/savon")
		opts := find(p.doc, "option")
		if len(opts) != 2 || hasAttr(opts[0], "disabled") || !hasAttr(opts[1], "disabled") || attr(opts[1], "value") != "S-500" {
			t.Errorf("variant options: %v", opts)
		}
		if q := byID(p.doc, "quantity"); attr(q, "min") != "1" || attr(q, "max") != "9" {
			t.Errorf("quantity input: %v", q)
		}

		for _, q := range []string{"-1", "0", "100000", "deux", ""} {
			p := s.post("/fr/cart/items", url.Values{"product": {"savon"}, "variant": {"S-100"}, "quantity": {q}})
			if p.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(p.doc), "Indiquez une quantité de 1 à 999.") {
				t.Errorf("quantity %q: %d %s", q, p.resp.StatusCode, text(p.doc))
			}
		}
		p = s.post("/fr/cart/items", url.Values{"product": {"savon"}, "variant": {"S-100"}, "quantity": {"10"}})
		if p.resp.StatusCode != http.StatusConflict || !strings.Contains(text(p.doc), "Il n’en reste que 9.") {
			t.Errorf("more than the stock: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}
		p = s.post("/fr/cart/items", url.Values{"product": {"savon"}, "variant": {"S-500"}, "quantity": {"1"}})
		if p.resp.StatusCode != http.StatusConflict || !strings.Contains(errorsOf(p.doc), "Épuisé") {
			t.Errorf("sold-out size: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}
		p = s.post("/fr/cart/items", url.Values{"product": {"nope"}, "variant": {"X"}, "quantity": {"1"}})
		if p.resp.StatusCode != http.StatusNotFound || !strings.Contains(text(p.doc), "Ce produit n’est plus en vente.") {
			t.Errorf("unknown product: %d", p.resp.StatusCode)
		}

		// Under the minimum order: the cart says how much is missing.
		s.addToCart("fr", "amlou", 1, "").location(t)
		cart := s.get("/fr/cart")
		if b := text(cart.doc); !strings.Contains(b, "Ajoutez encore 10,00 DH pour atteindre le minimum de commande de 50,00 DH.") ||
			len(find(cart.doc, "a", "href", "/fr/checkout")) != 0 || !hasAttr(find(cart.doc, "button", "aria-describedby", "blocked")[0], "disabled") {
			t.Errorf("below the minimum: %s", b)
		}
		if loc := s.get("/fr/checkout").location(t); loc != "/fr/cart" {
			t.Errorf("checkout below the minimum goes to %s", loc)
		}

		// Quantities on the cart page: nonsense refused on its line; 2 fixes it.
		variant, err := m.app.Catalog.FindVariant(ctx, "amlou", "AML")
		if err != nil {
			t.Fatal(err)
		}
		line := "/fr/cart/items/" + strconv.FormatInt(variant, 10)
		p = s.post(line, url.Values{"quantity": {"-3"}})
		if in := byID(p.doc, "q"+strconv.FormatInt(variant, 10)); p.resp.StatusCode != http.StatusUnprocessableEntity || attr(in, "aria-invalid") != "true" ||
			textOf(byID(p.doc, attr(in, "aria-describedby"))) != "Indiquez une quantité de 1 à 999." {
			t.Errorf("negative quantity on the cart page: %d %v", p.resp.StatusCode, in)
		}
		s.post(line, url.Values{"quantity": {"2"}}).location(t)
		if b := text(s.get("/fr/cart").doc); !strings.Contains(b, "80,00 DH") {
			t.Errorf("after setting 2: %s", b)
		}

		// Unpublished meanwhile: named on its line, checkout blocked.
		s.addToCart("fr", "huile-argan", 1, "").location(t)
		prod, err := m.app.Catalog.Get(ctx, operator, "huile-argan")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.app.Catalog.SetStatus(ctx, operator, prod.ID, catalog.Draft, ""); err != nil {
			t.Fatal(err)
		}
		cart = s.get("/fr/cart")
		if ps := find(cart.doc, "p", "class", "problem"); len(ps) != 1 || text(ps[0]) != "n’est plus en vente" ||
			len(find(cart.doc, "a", "href", "/fr/checkout")) != 0 || !strings.Contains(text(cart.doc), "Retirez les produits") {
			t.Errorf("unpublished line: %s", text(cart.doc))
		}
		if loc := s.get("/fr/checkout").location(t); loc != "/fr/cart" {
			t.Errorf("checkout with a problem goes to %s", loc)
		}
		// A checkout posted anyway names the product.
		v := casablanca(url.Values{"action": {"review"}}, "cod")
		p = s.post("/fr/checkout", v)
		if p.resp.StatusCode != http.StatusConflict || !strings.Contains(errorsOf(p.doc), "Huile d’argan — 250 ml : n’est plus en vente") {
			t.Errorf("checkout with an unpublished line: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}
		// Removing it unblocks the cart.
		var arganID int64
		if err := d.Read().QueryRowContext(ctx, `SELECT id FROM variants WHERE sku = 'ARG-250'`).Scan(&arganID); err != nil {
			t.Fatal(err)
		}
		s.post("/fr/cart/items/"+strconv.FormatInt(arganID, 10), url.Values{"quantity": {"1"}, "remove": {"1"}}).location(t)
		if cart = s.get("/fr/cart"); len(find(cart.doc, "a", "href", "/fr/checkout")) != 1 {
			t.Errorf("after removing: %s", text(cart.doc))
		}

		// A junk cookie: an empty cart, then a fresh one.
		req, _ := http.NewRequest("GET", m.url+"/fr/cart", nil)
		req.AddCookie(&http.Cookie{Name: "souk_cart", Value: "'OR1=1--"})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "Votre panier est vide") {
			t.Errorf("junk cookie: %d", resp.StatusCode)
		}
		req, _ = http.NewRequest("POST", m.url+"/fr/cart/items", strings.NewReader("product=amlou&variant=AML&quantity=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "souk_cart", Value: strings.Repeat("a", 32)})
		resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var fresh *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "souk_cart" && c.MaxAge > 0 {
				fresh = c
			}
		}
		if resp.StatusCode != http.StatusSeeOther || fresh == nil || fresh.Value == strings.Repeat("a", 32) || !fresh.HttpOnly || fresh.SameSite != http.SameSiteLaxMode {
			t.Errorf("add with an unknown cart: %d %v", resp.StatusCode, fresh)
		}
	})
}

// A signed-in customer: the cart filled as a guest joins the account,
// the order is theirs to see without the link and to cancel.
func TestSignedInCustomerCancels(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		ctx := context.Background()
		s := m.shopper()
		s.addToCart("fr", "huile-argan", 2, "").location(t)

		if _, err := m.app.Auth.CreateUser(ctx, auth.NewUser{Email: "nadia@example.ma", Name: "Nadia", Password: "correct horse battery", Role: auth.RoleCustomer}); err != nil {
			t.Fatal(err)
		}
		sess, _, err := m.app.Auth.Login(ctx, "nadia@example.ma", "correct horse battery", "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		s.client.Jar.SetCookies(mustURL(m.url), []*http.Cookie{{Name: auth.CookieName, Value: sess.Token, Path: "/"}})
		cart := s.get("/fr/cart")
		if !strings.Contains(text(cart.doc), "300,00 DH") {
			t.Fatalf("the guest cart did not follow the sign-in: %s", text(cart.doc))
		}
		// Forms carry the session's CSRF token.
		p := s.get("/fr/checkout")
		if v := formValues(formOf(t, p.doc, "/fr/checkout"), nil); v.Get("csrf_token") == "" || v.Get("email") != "nadia@example.ma" {
			t.Errorf("checkout form for a customer: %v", v)
		}
		target, _ := s.place("fr", s.reviewed("fr", "cod"))
		number := strings.TrimPrefix(target[:strings.Index(target, "?")], "/fr/orders/")
		page := s.get("/fr/orders/" + number) // no token: the customer's own
		if page.resp.StatusCode != 200 {
			t.Fatalf("own order without token: %d", page.resp.StatusCode)
		}
		cancel := formOf(t, page.doc, "/fr/orders/"+number+"/cancel")
		done := s.post("/fr/orders/"+number+"/cancel", formValues(cancel, nil)).location(t)
		if !strings.HasSuffix(done, "&cancelled=1") {
			t.Errorf("after cancelling: %s", done)
		}
		if b := text(s.get(done).doc); !strings.Contains(b, "Votre commande est annulée.") || !strings.Contains(b, "Annulée") {
			t.Errorf("cancelled order page: %s", b)
		}
		if got := stockOf(t, m.app, "huile-argan"); got != 5 {
			t.Errorf("stock %d after cancelling, want 5", got)
		}
	})
}

// A guest cancels through the order's signed link, before packing; a
// forged link is not found, a packed order is refused.
func TestGuestCancelsWithTheLink(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		ctx := context.Background()
		s := m.shopper()
		s.addToCart("fr", "huile-argan", 2, "").location(t)
		target, _ := s.place("fr", s.reviewed("fr", "cod"))
		number := strings.TrimPrefix(target[:strings.Index(target, "?")], "/fr/orders/")
		page := s.get(target)
		cancel := formOf(t, page.doc, "/fr/orders/"+number+"/cancel")
		if forged := m.shopper().post("/fr/orders/"+number+"/cancel", url.Values{"t": {"forged"}}); forged.resp.StatusCode != http.StatusNotFound {
			t.Errorf("forged link: %d", forged.resp.StatusCode)
		}
		done := s.post("/fr/orders/"+number+"/cancel", formValues(cancel, nil))
		if done.resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("guest cancel: %d", done.resp.StatusCode)
		}
		if b := text(s.get(done.resp.Header.Get("Location")).doc); !strings.Contains(b, "Annulée") {
			t.Errorf("order page after cancelling: %s", b)
		}
		o, err := m.app.Orders.Get(ctx, operator, number)
		if err != nil || o.Status != order.Cancelled || o.Events[len(o.Events)-1].Actor != "customer" {
			t.Errorf("after the guest's cancel: %v %s", err, o.Status)
		}
		// Once packed, the link no longer cancels.
		s.addToCart("fr", "huile-argan", 1, "").location(t)
		target, _ = s.place("fr", s.reviewed("fr", "cod"))
		number = strings.TrimPrefix(target[:strings.Index(target, "?")], "/fr/orders/")
		o, _ = m.app.Orders.Get(ctx, operator, number)
		if _, err := m.app.Orders.Move(ctx, operator, o.Vendors[0].ID, order.Packed, "", ""); err != nil {
			t.Fatal(err)
		}
		late := s.post("/fr/orders/"+number+"/cancel", url.Values{"t": {m.app.Orders.LinkToken(number)}})
		if late.resp.StatusCode != http.StatusForbidden {
			t.Errorf("cancelling a packed order: %d", late.resp.StatusCode)
		}
	})
}

// An international card order through Stripe (stripe-mock): the order page
// starts the payment and waits; once Stripe's webhook says it succeeded,
// the page shows it paid.
func TestCheckoutStripe(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarketWith(t, d, app.Config{StripeSecretKey: "sk_test_souk", StripeWebhookSecret: "whsec_souk", StripeAPIURL: stripepay.StartMock(t),
			StripePublishableKey: "pk_test_souk"})
		ctx := context.Background()
		s := m.shopper()
		s.addToCart("en", "huile-argan", 1, "").location(t)
		p := s.get("/en/checkout")
		v := formValues(formOf(t, p.doc, "/en/checkout"), map[string]string{"action": "review"})
		for k, x := range map[string]string{"email": "claire@example.fr", "phone": "+33 6 12 34 56 78", "name": "Claire Martin",
			"line1": "3 rue Oberkampf", "country": "FR", "city_text": "Paris", "postal_code": "75011", "payment_method": "cod"} {
			v.Set(k, x)
		}
		// Cash on delivery abroad is refused, next to the payment methods.
		p = s.post("/en/checkout", v)
		if got := textOf(byID(p.doc, "payment_method-error")); got != "Payment: cash on delivery is only possible in Morocco" {
			t.Errorf("COD abroad: %d %q", p.resp.StatusCode, got)
		}
		v.Set("payment_method", "stripe")
		review := s.post("/en/checkout", v)
		if review.resp.StatusCode != 200 || !strings.Contains(text(review.doc), "DHL Express") {
			t.Fatalf("review for Paris: %d %s %s", review.resp.StatusCode, errorsOf(review.doc), text(review.doc))
		}
		target, _ := s.place("en", review)
		number := strings.TrimPrefix(target[:strings.Index(target, "?")], "/en/orders/")
		page := s.get(target)
		if b := text(page.doc); !strings.Contains(b, "Awaiting card payment.") || !strings.Contains(b, "International card (Stripe)") {
			t.Errorf("Stripe order page: %s", b)
		}
		o, err := m.app.Orders.Get(ctx, operator, number)
		if err != nil || !strings.HasPrefix(o.Payment.Reference, "pi_") || o.Payment.ClientSecret == "" {
			t.Fatalf("payment not started: %v %+v", err, o.Payment)
		}
		// The card is collected by Stripe.js with the intent's client secret,
		// and Stripe sends the customer back to the signed order page.
		form := byID(page.doc, "stripe-pay")
		if form == nil || attr(form, "data-key") != "pk_test_souk" || attr(form, "data-secret") != o.Payment.ClientSecret ||
			!strings.HasPrefix(attr(form, "data-return"), m.url+"/en/orders/"+number+"?t=") {
			t.Fatalf("Stripe form: %+v", form)
		}
		var scripts []string
		for _, n := range find(page.doc, "script") {
			scripts = append(scripts, attr(n, "src"))
		}
		if len(scripts) != 2 || scripts[0] != "https://js.stripe.com/v3/" || !strings.HasPrefix(scripts[1], "/assets/stripe.") {
			t.Fatalf("scripts: %v", scripts)
		}
		if js := s.get(scripts[1]); js.resp.StatusCode != 200 || !strings.HasPrefix(js.resp.Header.Get("Content-Type"), "text/javascript") ||
			!strings.Contains(js.body, "confirmPayment") {
			t.Errorf("stripe.js asset: %d %s", js.resp.StatusCode, js.resp.Header.Get("Content-Type"))
		}
		if err := m.app.Orders.StripeWebhook(ctx, stripepay.Event{ID: "evt_1", Type: "payment_intent.succeeded", IntentID: o.Payment.Reference,
			IntentStatus: "succeeded", Amount: o.Total.Amount, Currency: "mad", Order: number}); err != nil {
			t.Fatal(err)
		}
		paid := s.get(target)
		if b := text(paid.doc); !strings.Contains(b, "Confirmed") || !strings.Contains(b, "paid") || strings.Contains(b, "Awaiting card payment") {
			t.Errorf("after the webhook: %s", b)
		}
		if byID(paid.doc, "stripe-pay") != nil || len(find(paid.doc, "script")) != 0 {
			t.Error("a paid order still offers the card form")
		}
	})
}

// The product page stays small with its form: gzip as served.
func TestProductPageWeight(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		for _, path := range []string{"/ar/p/savon", "/fr/p/huile-argan"} {
			req, _ := http.NewRequest("GET", m.url+path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			t.Logf("%s: %d bytes gzipped", path, len(b))
			if resp.Header.Get("Content-Encoding") != "gzip" || len(b) > 2600 {
				t.Errorf("%s: %d bytes gzipped (%s), budget 2600", path, len(b), resp.Header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(zr)
			if strings.Contains(string(raw), "<script src") {
				t.Errorf("%s loads something from elsewhere", path)
			}
		}
	})
}
