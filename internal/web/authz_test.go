package web_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/vendor"
	"souk/internal/web"
)

// authzRoles are the people every back-office route is tried as. "other"
// is another vendor's owner: the routes about one product, order or staff
// member name vendor A's, so "other" must be refused there.
var authzRoles = []string{"anonymous", "customer", "owner", "staff", "other", "moderator", "admin"}

// authzTable says, for every route of the vendor portal and the operator
// console, who gets through. A route missing here fails the test: adding a
// route means deciding who may use it. Each part of the back office adds
// its rows next to its own tests (authzRows).
var authzTable = map[string]string{
	"GET /vendor/{$}":         "owner staff other",
	"GET /vendor/live":        "owner staff other",
	"GET /vendor/live/events": "owner staff other",
	"GET /admin/{$}":          "moderator admin",
}

// authzRows adds rows to authzTable (call it from a var declaration).
func authzRows(rows map[string]string) bool {
	for k, v := range rows {
		if _, dup := authzTable[k]; dup {
			panic("authzTable: two rows for " + k)
		}
		authzTable[k] = v
	}
	return true
}

// authzFixture is what a route's {wildcards} are filled with: vendor A's
// product ({product}), parcel ({parcel}), order number ({number}) and
// staff member ({user}); an applicant ({vendor}) and its document ({doc}).
type authzFixture map[string]string

// authzFixtures add values for other wildcards: each part of the back
// office registers its own (from a var declaration), run after the ones
// above exist.
var authzFixtures []func(t *testing.T, m market, f authzFixture)

var wildcard = regexp.MustCompile(`\{([a-z]+)(\.\.\.)?\}`)

func (f authzFixture) path(t *testing.T, pattern string) string {
	p := strings.TrimSuffix(pattern, "{$}")
	return wildcard.ReplaceAllStringFunc(p, func(w string) string {
		name := wildcard.FindStringSubmatch(w)[1]
		v, ok := f[name]
		if !ok {
			t.Fatalf("%s: no fixture value for {%s}: add one to authzFixture", pattern, name)
		}
		return v
	})
}

// Every route has a row, and every row a route.
func TestEveryBackOfficeRouteHasAnAuthorizationRow(t *testing.T) {
	routes := map[string]bool{}
	for _, rt := range web.BackOfficeRoutes() {
		key := rt.Method + " " + rt.Pattern
		routes[key] = true
		if _, ok := authzTable[key]; !ok {
			t.Errorf("route %q has no row in authzTable: say who may use it", key)
		}
	}
	for key := range authzTable {
		if !routes[key] {
			t.Errorf("authzTable row %q names no route", key)
		}
	}
}

// Each role tries each route. Those allowed get through (no sign-in
// redirect, no 403/404, no server error); anonymous visitors are sent to
// sign in; everyone else gets 403 or 404, and the database is unchanged
// after each refused POST.
func TestBackOfficeAuthorization(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		a := m.app
		admin := auth.User{ID: 1, Role: auth.RoleAdmin}

		// Vendor A (tifaouine, from newMarket), its owner and staff; vendor B and its owner.
		var vendorA int64
		if err := d.Read().QueryRowContext(ctx, `SELECT id FROM vendors WHERE slug = 'tifaouine'`).Scan(&vendorA); err != nil {
			t.Fatal(err)
		}
		b, err := a.Vendors.Create(ctx, admin, vendor.Input{Slug: "akal", Kind: vendor.Artisan, LegalName: "Atelier Akal",
			Region: "fes-meknes", City: "Fès", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Akal"}}}, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		const password = "a-long-password-1"
		people := map[string]auth.NewUser{
			"customer":  {Email: "client@example.ma", Name: "Nadia", Role: auth.RoleCustomer},
			"owner":     {Email: "owner@tifaouine.ma", Name: "Fatima", Role: auth.RoleVendorOwner, VendorID: vendorA},
			"staff":     {Email: "staff@tifaouine.ma", Name: "Aicha", Role: auth.RoleVendorStaff, VendorID: vendorA},
			"other":     {Email: "owner@akal.ma", Name: "Youssef", Role: auth.RoleVendorOwner, VendorID: b.ID},
			"moderator": {Email: "moderator@souk.ma", Name: "Karim", Role: auth.RoleModerator},
			"admin":     {Email: "admin@souk.ma", Name: "Salma", Role: auth.RoleAdmin},
		}
		fixture := authzFixture{}
		for role, nu := range people {
			nu.Password, nu.Locale = password, "fr"
			u, err := a.Auth.CreateUser(ctx, nu)
			if err != nil {
				t.Fatal(role, err)
			}
			if role == "staff" {
				fixture["user"] = fmt.Sprint(u.ID)
			}
		}

		// A's product, an order of it (one parcel of A), an applicant with a document.
		var product int64
		if err := d.Read().QueryRowContext(ctx, `SELECT id FROM products WHERE slug = 'huile-argan'`).Scan(&product); err != nil {
			t.Fatal(err)
		}
		fixture["product"] = fmt.Sprint(product)
		buyer := m.shopper()
		buyer.addToCart("fr", "huile-argan", 1, "")
		buyer.place("fr", buyer.reviewed("fr", "cod"))
		var parcel int64
		var number string
		if err := d.Read().QueryRowContext(ctx, `SELECT vo.id, o.number FROM vendor_orders vo JOIN orders o ON o.id = vo.order_id
			WHERE vo.vendor_id = ?`, vendorA).Scan(&parcel, &number); err != nil {
			t.Fatal(err)
		}
		fixture["parcel"], fixture["number"] = fmt.Sprint(parcel), number
		applicant, err := a.Vendors.Apply(ctx, vendor.Application{Locale: "ar", Input: vendor.Input{Kind: vendor.Cooperative,
			LegalName: "Coopérative Tissint", Region: "guelmim-oued-noun", City: "Guelmim", CooperativeNumber: "2019/7",
			Email: "contact@tissint.ma", ContactName: "Hassan", Texts: map[string]vendor.Texts{"ar": {DisplayName: "تعاونية تيسينت"}}},
			Documents: []vendor.Upload{{Kind: vendor.DocumentKinds[0], Filename: "statuts.pdf", Data: []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")}}})
		if err != nil {
			t.Fatal(err)
		}
		fixture["vendor"] = fmt.Sprint(applicant.ID)
		var doc int64
		if err := d.Read().QueryRowContext(ctx, `SELECT id FROM vendor_documents WHERE vendor_id = ?`, applicant.ID).Scan(&doc); err != nil {
			t.Fatal(err)
		}
		fixture["doc"] = fmt.Sprint(doc)
		for _, add := range authzFixtures {
			add(t, m, fixture)
		}

		clients := map[string]*authzClient{}
		for _, role := range authzRoles {
			c := newAuthzClient(m.url)
			if role != "anonymous" {
				c.signIn(t, people[role].Email, password)
			}
			clients[role] = c
		}

		routes := web.BackOfficeRoutes()
		sort.Slice(routes, func(i, j int) bool { return routes[i].Pattern+routes[i].Method < routes[j].Pattern+routes[j].Method })
		// current is the database's fingerprint taken after a refused POST,
		// while no request has been sent since: the next POST's "before".
		var current string
		for _, rt := range routes {
			key := rt.Method + " " + rt.Pattern
			allowed := strings.Fields(authzTable[key])
			path := fixture.path(t, rt.Pattern)
			for _, role := range authzRoles {
				c := clients[role]
				var before string
				if rt.Method != http.MethodGet {
					before = current
					if before == "" {
						before = fingerprint(t, d)
					}
				}
				current = ""
				status, location := c.try(t, rt.Method, path)
				switch {
				case role == "anonymous":
					if status != http.StatusSeeOther || !strings.Contains(location, "/account/signin?next=") {
						t.Errorf("%s as anonymous: %d %q, want 303 to sign in", key, status, location)
					}
				case slices.Contains(allowed, role):
					if status == http.StatusForbidden || status == http.StatusNotFound || status == http.StatusUnauthorized ||
						status >= 500 || strings.Contains(location, "/account/signin") {
						t.Errorf("%s as %s: %d %q, want to get through", key, role, status, location)
					}
				default:
					if status != http.StatusForbidden && status != http.StatusNotFound {
						t.Errorf("%s as %s: %d %q, want 403 or 404", key, role, status, location)
					}
				}
				if rt.Method != http.MethodGet && !slices.Contains(allowed, role) {
					after := fingerprint(t, d)
					if after != before {
						t.Errorf("%s as %s changed the database", key, role)
					}
					current = after
				}
			}
		}
	})
}

// authzClient is one person's browser: cookies, the session's CSRF token
// (sent with every POST, so that only the authorization can refuse it).
type authzClient struct {
	base   string
	client *http.Client
	csrf   string
}

func newAuthzClient(base string) *authzClient {
	jar, _ := cookiejar.New(nil)
	return &authzClient{base: base, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *authzClient) signIn(t *testing.T, email, password string) {
	t.Helper()
	req, _ := http.NewRequest("POST", c.base+"/fr/account/signin", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", email, resp.StatusCode)
	}
	// The account page's sign-out form carries the session's token.
	resp, err = c.client.Get(c.base + "/fr/account")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(string(body))
	if m == nil {
		t.Fatalf("no CSRF token for %s", email)
	}
	c.csrf = m[1]
}

// try sends method to path (an empty form on POST) and returns the status
// and Location. An event stream is closed as soon as it answers.
func (c *authzClient) try(t *testing.T, method, path string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // ends an event stream
	var req *http.Request
	if method == http.MethodGet {
		req, _ = http.NewRequestWithContext(ctx, method, c.base+path, nil)
	} else {
		form := url.Values{}
		if c.csrf != "" {
			form.Set("csrf_token", c.csrf)
		}
		req, _ = http.NewRequestWithContext(ctx, method, c.base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := c.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		_, _ = io.Copy(io.Discard, resp.Body)
	}
	cancel()
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// fingerprint hashes every row of every table but the ones a request
// touches without changing anything (sessions, throttling).
func fingerprint(t *testing.T, d *db.DB) string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if d.Dialect == db.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := d.Read().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if name == "sessions" || name == "login_failures" || strings.HasPrefix(name, "goose") || strings.HasPrefix(name, "sqlite_") ||
			strings.HasPrefix(name, "search_index_") {
			continue
		}
		tables = append(tables, name)
	}
	rows.Close()
	h := sha256.New()
	for _, table := range tables {
		r, err := d.Read().QueryContext(ctx, `SELECT * FROM `+table)
		if err != nil {
			t.Fatal(table, err)
		}
		cols, _ := r.Columns()
		var lines []string
		for r.Next() {
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(table, err)
			}
			var line strings.Builder
			for _, v := range vals {
				line.Write(v)
				line.WriteByte(0)
			}
			lines = append(lines, line.String())
		}
		r.Close()
		sort.Strings(lines)
		fmt.Fprintf(h, "%s\n%s\n", table, strings.Join(lines, "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}
