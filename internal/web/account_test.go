package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// cookie is the shopper's cookie called name, nil when they have none.
func (s *shopper) cookie(name string) *http.Cookie {
	for _, c := range s.client.Jar.Cookies(mustURL(s.m.url)) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// headerLinks are the header's links to the account pages.
func headerLinks(doc *html.Node) []*html.Node {
	return find(doc, "a", "class", "account-link")
}

// A customer's life on the storefront: a guest fills a cart, creates an
// account (the cart follows), checks out with the account's e-mail already
// there, finds the order in their account, signs out; back as a guest they
// fill another cart and sign in with the header's link, back on the cart,
// which now holds both.
func TestCustomerAccount(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		s := m.shopper()

		// A guest: "Sign in" in the header, back to the page afterwards;
		// public pages stay cacheable.
		home := s.get("/fr/")
		links := headerLinks(home.doc)
		if len(links) != 1 || text(links[0]) != "Se connecter" || attr(links[0], "href") != "/fr/account/signin?next=%2Ffr%2F" {
			t.Errorf("guest's header: %v", links)
		}
		if cc := home.resp.Header.Get("Cache-Control"); cc != "" {
			t.Errorf("guest's home page: Cache-Control %q", cc)
		}
		// The account page sends a guest to sign in, and back.
		if loc := s.get("/fr/account").location(t); loc != "/fr/account/signin?next=%2Ffr%2Faccount" {
			t.Errorf("guest's account page: %s", loc)
		}

		s.addToCart("fr", "huile-argan", 2, "").location(t)
		if s.cookie("souk_cart") == nil {
			t.Fatal("no guest cart")
		}

		// Registration: the rules shown next to the password; then signed
		// in at once, the guest cart adopted there and then.
		reg := s.get("/fr/account/register")
		if reg.resp.StatusCode != 200 || reg.resp.Header.Get("Cache-Control") != "no-store" || len(find(reg.doc, "meta", "name", "robots")) != 1 {
			t.Errorf("register page: %d %v", reg.resp.StatusCode, reg.resp.Header)
		}
		if pw := byID(reg.doc, "password"); pw == nil || attr(pw, "type") != "password" || attr(pw, "autocomplete") != "new-password" ||
			attr(pw, "aria-describedby") != "password-help" || !strings.Contains(textOf(byID(reg.doc, "password-help")), "Au moins 10 caractères") {
			t.Errorf("password field: %v", pw)
		}
		form := formValues(formOf(t, reg.doc, "/fr/account/register"), nil)
		form.Set("name", "Nadia Alaoui")
		form.Set("email", "Nadia@Example.ma")
		form.Set("password", "amlou et argan")
		if loc := s.post("/fr/account/register", form).location(t); loc != "/fr/account?welcome=1" {
			t.Errorf("after registering: %s", loc)
		}
		sess := s.cookie(auth.CookieName)
		if sess == nil {
			t.Fatal("not signed in after registering")
		}
		if c := s.cookie("souk_cart"); c != nil {
			t.Errorf("the guest cart cookie outlived the registration: %v", c)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM carts c JOIN users u ON u.id = c.user_id WHERE u.email = 'nadia@example.ma' AND c.status = 'open'`); n != 1 {
			t.Errorf("%d open carts in the new account, want the guest's", n)
		}
		acct := s.get("/fr/account?welcome=1")
		body := text(acct.doc)
		for _, want := range []string{"Bienvenue sur souk ! Votre compte est prêt.", "Nadia Alaoui", "nadia@example.ma", "Vous n’avez pas encore passé de commande."} {
			if !strings.Contains(body, want) {
				t.Errorf("new account page lacks %q: %s", want, body)
			}
		}
		if acct.resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("account page: Cache-Control %q", acct.resp.Header.Get("Cache-Control"))
		}
		// Signed in: "My account" in the header, pages private to the browser.
		p := s.get("/fr/p/amlou")
		if links := headerLinks(p.doc); len(links) != 1 || text(links[0]) != "Mon compte" || attr(links[0], "href") != "/fr/account" {
			t.Errorf("signed-in header: %v", links)
		}
		if cc := p.resp.Header.Get("Cache-Control"); cc != "private" {
			t.Errorf("signed-in product page: Cache-Control %q", cc)
		}
		if loc := s.get("/fr/account/signin").location(t); loc != "/fr/account" {
			t.Errorf("sign-in page when signed in: %s", loc)
		}

		// The cart followed; checkout knows the e-mail.
		if c := s.get("/fr/cart"); !strings.Contains(text(c.doc), "300,00 DH") {
			t.Fatalf("the guest cart did not follow the registration: %s", text(c.doc))
		}
		co := s.get("/fr/checkout")
		if v := formValues(formOf(t, co.doc, "/fr/checkout"), nil); v.Get("email") != "nadia@example.ma" || v.Get("csrf_token") == "" {
			t.Errorf("checkout for a customer: email %q, csrf %q", v.Get("email"), v.Get("csrf_token"))
		}
		target, _ := s.place("fr", s.reviewed("fr", "cod"))
		number := strings.TrimPrefix(target[:strings.Index(target, "?")], "/fr/orders/")
		o, err := m.app.Orders.Get(context.Background(), operator, number)
		if err != nil {
			t.Fatal(err)
		}

		// The order in the account: its number linking to its page, the
		// date in Morocco, the status in words, the total.
		acct = s.get("/fr/account")
		rows := find(acct.doc, "tr")
		if len(rows) != 2 {
			t.Fatalf("orders table: %d rows, want a header and one order: %s", len(rows), text(acct.doc))
		}
		cells := find(rows[1], "td")
		link := find(cells[0], "a")
		if len(link) != 1 || attr(link[0], "href") != "/fr/orders/"+number || text(link[0]) != number {
			t.Errorf("order link: %v", link)
		}
		placed := o.CreatedAt.In(mustZone(t, "Africa/Casablanca")).Format("02/01/2006 15:04")
		if got := text(cells[1]); got != placed || !regexp.MustCompile(`^\d\d/\d\d/\d{4} \d\d:\d\d$`).MatchString(got) {
			t.Errorf("placed on %q, want %q", got, placed)
		}
		if got := text(cells[2]); got != "Confirmée" {
			t.Errorf("status %q", got)
		}
		if got := text(cells[3]); !strings.HasSuffix(got, "DH") || !strings.Contains(text(s.get(target).doc), got) {
			t.Errorf("total %q", got)
		}
		if own := s.get("/fr/orders/" + number); own.resp.StatusCode != 200 {
			t.Errorf("the account's link to the order: %d", own.resp.StatusCode)
		}

		// Something in the account's cart, then signing out: another
		// site cannot do it for the customer (CSRF); they can, and then
		// the session is revoked and the cookie gone, and the account page
		// wants a sign-in.
		s.addToCart("fr", "savon", 1, "S-100").location(t)
		signout := formValues(formOf(t, acct.doc, "/fr/account/signout"), nil)
		if signout.Get("csrf_token") == "" {
			t.Errorf("sign-out form without the CSRF token")
		}
		forged, _ := http.NewRequest("POST", m.url+"/fr/account/signout", strings.NewReader(""))
		forged.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		forged.Header.Set("Sec-Fetch-Site", "cross-site")
		if p := s.do(forged); p.resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site sign-out: %d", p.resp.StatusCode)
		}
		if p := s.post("/fr/account/signout", url.Values{}); p.resp.StatusCode != http.StatusForbidden {
			t.Errorf("sign-out without the CSRF token: %d", p.resp.StatusCode)
		}
		if p := s.get("/fr/account"); p.resp.StatusCode != 200 {
			t.Fatalf("signed out by a forged request: %d", p.resp.StatusCode)
		}
		if loc := s.post("/fr/account/signout", signout).location(t); loc != "/fr/account/signin?signedout=1" {
			t.Errorf("after signing out: %s", loc)
		}
		if s.cookie(auth.CookieName) != nil {
			t.Errorf("session cookie kept after signing out")
		}
		if b := text(s.get("/fr/account/signin?signedout=1").doc); !strings.Contains(b, "Déconnexion effectuée.") {
			t.Errorf("signed-out page: %s", b)
		}
		if loc := s.get("/fr/account").location(t); loc != "/fr/account/signin?next=%2Ffr%2Faccount" {
			t.Errorf("account page after signing out: %s", loc)
		}
		replay := m.shopper()
		replay.client.Jar.SetCookies(mustURL(m.url), []*http.Cookie{{Name: auth.CookieName, Value: sess.Value, Path: "/"}})
		if loc := replay.get("/fr/account").location(t); !strings.HasPrefix(loc, "/fr/account/signin") {
			t.Errorf("the old session still opens the account: %s", loc)
		}

		// A guest again: a new cart, then the header's sign-in link from
		// the cart page; signed in, back on the cart, which holds the
		// account's soap and the guest's amlou.
		s.addToCart("fr", "amlou", 2, "").location(t)
		cart := s.get("/fr/cart")
		links = headerLinks(cart.doc)
		if len(links) != 1 || attr(links[0], "href") != "/fr/account/signin?next=%2Ffr%2Fcart" {
			t.Fatalf("header link on the cart: %v", links)
		}
		in := s.get(attr(links[0], "href"))
		v := formValues(formOf(t, in.doc, "/fr/account/signin"), nil)
		if v.Get("next") != "/fr/cart" {
			t.Errorf("sign-in form's next: %q", v.Get("next"))
		}
		v.Set("email", "nadia@example.ma")
		v.Set("password", "amlou et argan")
		if loc := s.post("/fr/account/signin", v).location(t); loc != "/fr/cart" {
			t.Errorf("after signing in: %s", loc)
		}
		if s.cookie("souk_cart") != nil {
			t.Errorf("the guest cart cookie outlived the sign-in")
		}
		cb := text(s.get("/fr/cart").doc)
		for _, want := range []string{"Amlou", "Savon noir", "80,00 DH", "30,00 DH"} {
			if !strings.Contains(cb, want) {
				t.Errorf("cart after signing in lacks %q: %s", want, cb)
			}
		}
	})
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Signing in: a wrong password or an unknown address get the same message,
// in the page's language, without saying which was wrong; the address
// typed stays, the password does not; too many failures are refused for a
// while; next never leads off the site.
func TestSignInMistakes(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		ctx := context.Background()
		for _, u := range []auth.NewUser{
			{Email: "nadia@example.ma", Name: "Nadia", Password: "correct horse battery", Role: auth.RoleCustomer},
			{Email: "omar@example.ma", Name: "Omar", Password: "tajine aux pruneaux", Role: auth.RoleCustomer},
		} {
			if _, err := m.app.Auth.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		s := m.shopper()

		wrong := "البريد الإلكتروني أو كلمة المرور غير صحيحة."
		for _, c := range []struct{ email, password string }{
			{"nadia@example.ma", "wrong password!"},
			{"nobody@example.ma", "correct horse battery"},
		} {
			p := s.post("/ar/account/signin", url.Values{"email": {c.email}, "password": {c.password}})
			if p.resp.StatusCode != http.StatusUnprocessableEntity || textOf(byID(p.doc, "signin-error")) != wrong {
				t.Errorf("%s: %d %q", c.email, p.resp.StatusCode, textOf(byID(p.doc, "signin-error")))
			}
			if attr(find(p.doc, "html")[0], "dir") != "rtl" || attr(byID(p.doc, "email"), "value") != c.email || attr(byID(p.doc, "password"), "value") != "" {
				t.Errorf("%s: the form again: email %q, password %q", c.email, attr(byID(p.doc, "email"), "value"), attr(byID(p.doc, "password"), "value"))
			}
			if byID(p.doc, "email-error") != nil || byID(p.doc, "password-error") != nil {
				t.Errorf("%s: a field is blamed", c.email)
			}
			if s.cookie(auth.CookieName) != nil {
				t.Fatalf("signed in with a wrong password")
			}
		}
		// Nothing typed: each field says so, next to it and in the summary.
		p := s.post("/ar/account/signin", url.Values{"email": {""}, "password": {""}})
		if got := textOf(byID(p.doc, "password-error")); got != "كلمة المرور: إلزامي" || !strings.Contains(attr(byID(p.doc, "password"), "aria-describedby"), "password-error") {
			t.Errorf("empty password: %q", got)
		}
		if summary := find(p.doc, "div", "class", "errors"); len(summary) != 1 || len(find(summary[0], "a")) != 2 {
			t.Errorf("summary: %v", summary)
		}

		// Throttled after five failures for the address, even with the
		// right password.
		for range 4 {
			s.post("/en/account/signin", url.Values{"email": {"nadia@example.ma"}, "password": {"still wrong!"}})
		}
		p = s.post("/en/account/signin", url.Values{"email": {"nadia@example.ma"}, "password": {"correct horse battery"}})
		if p.resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(textOf(byID(p.doc, "signin-error")), "Too many failed sign-ins") {
			t.Errorf("throttled: %d %q", p.resp.StatusCode, textOf(byID(p.doc, "signin-error")))
		}

		// next leads only to this site's pages in a language of souk's.
		in := s.get("/en/account/signin?next=https://evil.example")
		if len(find(in.doc, "input", "name", "next")) != 0 {
			t.Errorf("an outside next is kept in the form")
		}
		v := url.Values{"email": {"omar@example.ma"}, "password": {"tajine aux pruneaux"}, "next": {"https://evil.example"}}
		if loc := s.post("/en/account/signin", v).location(t); loc != "/en/account" {
			t.Errorf("next=https://evil.example went to %s", loc)
		}
		for next, want := range map[string]string{
			"https://evil.example/en/": "/en/account",
			"//evil.example/en/":       "/en/account",
			"/\\evil.example":          "/en/account",
			"/en//evil.example":        "/en/account",
			"/en/..//evil.example":     "/en/account",
			"/en/%2e%2e//evil.example": "/en/account",
			"javascript:alert(1)":      "/en/account",
			"/admin":                   "/en/account",
			"/en/account/signin":       "/en/account",
			"/en/cart":                 "/en/cart",
			"/fr/p/amlou?currency=EUR": "/en/p/amlou?currency=EUR", // the language they use now
		} {
			if loc := s.get("/en/account/signin?next=" + url.QueryEscape(next)).location(t); loc != want {
				t.Errorf("signed in, next=%s: went to %s, want %s", next, loc, want)
			}
		}
	})
}

// Registering with mistakes: an address already used and a short password
// are both named, next to their fields and in the summary, in the page's
// language; the name and address typed stay, the password does not; no
// account is made.
func TestRegisterMistakes(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		if _, err := m.app.Auth.CreateUser(context.Background(), auth.NewUser{Email: "aicha@example.ma", Name: "Aïcha",
			Password: "correct horse battery", Role: auth.RoleCustomer}); err != nil {
			t.Fatal(err)
		}
		s := m.shopper()
		for loc, want := range map[string][2]string{
			"fr": {"E-mail : est déjà utilisé", "Mot de passe : doit comporter au moins 10 caractères"},
			"ar": {"البريد الإلكتروني: مستعمل من قبل", "كلمة المرور: يجب أن تتكون من 10 رموز على الأقل"},
		} {
			p := s.post("/"+loc+"/account/register", url.Values{"name": {"Aïcha Benali"}, "email": {"Aicha@example.ma"}, "password": {"argan"}})
			if p.resp.StatusCode != http.StatusConflict {
				t.Errorf("%s: %d", loc, p.resp.StatusCode)
			}
			for i, id := range []string{"email", "password"} {
				if got := textOf(byID(p.doc, id+"-error")); got != want[i] {
					t.Errorf("%s: #%s-error = %q, want %q", loc, id, got, want[i])
				}
				in := byID(p.doc, id)
				if attr(in, "aria-invalid") != "true" || attr(in, "aria-describedby") != id+"-help "+id+"-error" {
					t.Errorf("%s: %s input: %v", loc, id, in.Attr)
				}
			}
			if attr(byID(p.doc, "name"), "value") != "Aïcha Benali" || attr(byID(p.doc, "email"), "value") != "Aicha@example.ma" || attr(byID(p.doc, "password"), "value") != "" {
				t.Errorf("%s: typed values not kept (or the password kept)", loc)
			}
			summary := find(p.doc, "div", "class", "errors")
			if len(summary) != 1 || len(find(summary[0], "a", "href", "#email")) != 1 || len(find(summary[0], "a", "href", "#password")) != 1 {
				t.Errorf("%s: summary %v", loc, summary)
			}
		}
		// Without a name: the name is asked for.
		p := s.post("/en/account/register", url.Values{"name": {" "}, "email": {"new@example.ma"}, "password": {"long enough password"}})
		if got := textOf(byID(p.doc, "name-error")); p.resp.StatusCode != http.StatusUnprocessableEntity || got != "Your name: is required" {
			t.Errorf("no name: %d %q", p.resp.StatusCode, got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM users`); n != 1 {
			t.Errorf("%d users, want the first only", n)
		}
		if s.cookie(auth.CookieName) != nil {
			t.Errorf("signed in after a refused registration")
		}
	})
}

// A session opened through the API (POST /api/v1/sessions sets the same
// cookie) is the storefront's too: the account page and the header know it.
func TestAccountWithAPISession(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		if _, err := m.app.Auth.CreateUser(context.Background(), auth.NewUser{Email: "youssef@example.ma", Name: "Youssef",
			Password: "correct horse battery", Role: auth.RoleCustomer}); err != nil {
			t.Fatal(err)
		}
		s := m.shopper()
		req, _ := http.NewRequest("POST", m.url+"/api/v1/sessions", strings.NewReader(`{"email":"youssef@example.ma","password":"correct horse battery"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := s.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("API sign-in: %d", resp.StatusCode)
		}
		p := s.get("/es/account")
		if b := text(p.doc); p.resp.StatusCode != 200 || !strings.Contains(b, "Youssef") || !strings.Contains(b, "Todavía no ha hecho ningún pedido.") {
			t.Errorf("account page: %d %s", p.resp.StatusCode, b)
		}
		if links := headerLinks(p.doc); len(links) != 1 || text(links[0]) != "Mi cuenta" {
			t.Errorf("header: %v", links)
		}
	})
}
