package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// digest summarises every row a request could wrongly change: the catalog,
// the vendors and the accounts (sessions and sign-in failures excepted,
// which signing in and out change by design).
func (e *env) digest() string {
	e.t.Helper()
	h := sha256.New()
	for _, q := range []string{
		`SELECT id, vendor_id, slug, category_id, region, tax_class, status, review_note, published_at FROM products ORDER BY id`,
		`SELECT id, product_id, sku, label, price_amount, price_currency, stock, weight_grams, length_mm, width_mm, height_mm, position FROM variants ORDER BY id`,
		`SELECT product_id, locale, title, description FROM product_texts ORDER BY product_id, locale`,
		`SELECT product_id, kind, issuer, number, expires_on FROM certifications ORDER BY product_id, kind, number`,
		`SELECT product_id, position, path, width, height, alt FROM product_images ORDER BY product_id, position`,
		`SELECT product_id, isbn, publisher, language, year, pages FROM books ORDER BY product_id`,
		`SELECT product_id, position, name FROM book_authors ORDER BY product_id, position`,
		`SELECT id, slug, kind, legal_name, region, city, cooperative_number, ice, contact_name, email, phone, rib, status, approved_at FROM vendors ORDER BY id`,
		`SELECT vendor_id, locale, display_name, story FROM vendor_texts ORDER BY vendor_id, locale`,
		`SELECT id, email, name, password_hash, role, vendor_id, locale, disabled_at FROM users ORDER BY id`,
		`SELECT currency, mad_per_unit, updated_at, updated_by FROM exchange_rates ORDER BY currency`,
		`SELECT id, user_id, status, updated_at FROM carts ORDER BY id`,
		`SELECT cart_id, variant_id, quantity FROM cart_items ORDER BY cart_id, variant_id`,
		`SELECT id, number, user_id, status, hold_until FROM orders ORDER BY id`,
		`SELECT id, status, tracking_number FROM vendor_orders ORDER BY id`,
		`SELECT id, status, refunded_amount, reference FROM payments ORDER BY id`,
		`SELECT COUNT(*) FROM refunds`,
		`SELECT COUNT(*) FROM order_events`,
		`SELECT code, discount_bp, active FROM carriers ORDER BY code`,
		`SELECT carrier_code, zone_code, max_grams, amount FROM shipping_rates ORDER BY carrier_code, zone_code, max_grams`,
		`SELECT code, min_order_amount FROM sales_channels ORDER BY code`,
		`SELECT name, value FROM settings ORDER BY name`,
	} {
		rows, err := e.d.Read().QueryContext(context.Background(), q)
		if err != nil {
			e.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				e.t.Fatal(err)
			}
			fmt.Fprintln(h, vals...)
		}
		if err := rows.Err(); err != nil {
			e.t.Fatal(err)
		}
		rows.Close()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// registeredRoutes reads the routes api.go registers ("GET /api/v1/me"),
// public (cached) ones included.
func registeredRoutes(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("api.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`(?:h|public)\("([A-Z]+) (/api/[^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		out = append(out, m[1]+" "+m[2])
	}
	sort.Strings(out)
	return out
}

// isolationCase is one request tried as every role.
type isolationCase struct {
	route string // as api.go registers it
	what  string
	path  func(e *env, role string) string
	body  func(e *env, role string) any
	// want is the status for each of roles; every role must be listed.
	want map[string]int
	// freshSession: the request ends the session it is made with.
	freshSession bool
	// noop: an allowed request that rightly leaves the tables as they were.
	noop bool
	// check looks further at an answer with the wanted status.
	check func(t *testing.T, e *env, role string, r result)
}

func fixed(path string) func(*env, string) string { return func(*env, string) string { return path } }

// everyone answers the same status to every role.
func everyone(status int) map[string]int {
	m := map[string]int{}
	for _, r := range roles {
		m[r] = status
	}
	return m
}

// only answers ok to the listed roles and other to the rest, with
// anonymous callers of writes getting 401.
func only(ok, other int, anonymous int, allowed ...string) map[string]int {
	m := map[string]int{}
	for _, r := range roles {
		m[r] = other
		if slices.Contains(allowed, r) {
			m[r] = ok
		}
	}
	m["anonymous"] = anonymous
	return m
}

var operators = []string{"moderator", "admin"}

// vendorOf is the vendor a role works for ("" for none).
var vendorOf = map[string]string{"owner-a": "coop-a", "staff-a": "coop-a", "owner-b": "coop-b", "owner-c": "coop-c"}

// TestTenantIsolation tries every route of api.go as every role, checks the
// status, and checks that each refused request left the database exactly as
// it was (and that each allowed write did change it, so the refusals are
// not an API that refuses everything).
func TestTenantIsolation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		bDraft, bPub := e.products["b-draft"], e.products["b-pub"]
		if _, err := e.app.Catalog.SetStatus(ctx, operator, bPub.ID, catalog.Published, "Étiquette à refaire"); err != nil {
			t.Fatal(err)
		}
		productPath := func(p catalog.Product, suffix string) func(*env, string) string {
			return fixed("/api/v1/products/" + strconv.FormatInt(p.ID, 10) + suffix)
		}
		// fresh makes a new product of vendor B for each role, for requests
		// that delete or change it.
		fresh := func(status catalog.Status, suffix string) func(*env, string) string {
			return func(e *env, role string) string {
				p := e.mustCreateProduct("b", e.unique("FRESH"), status)
				return "/api/v1/products/" + strconv.FormatInt(p.ID, 10) + suffix
			}
		}
		newProduct := func(extra map[string]any) func(*env, string) any {
			return func(e *env, role string) any {
				sku := e.unique("NEW")
				body := map[string]any{"category": "argan-oil", "texts": map[string]any{"fr": map[string]string{"title": "Huile " + sku}},
					"variants": []map[string]any{{"sku": sku, "price": map[string]int{"amount": 9900}}}}
				for k, v := range extra {
					body[k] = v
				}
				return body
			}
		}
		productEdit := func(sku string) func(*env, string) any {
			return func(e *env, role string) any {
				in := productInput(sku, "")
				in.Texts["fr"] = catalog.Texts{Title: "Huile d'argan " + sku, Description: "Modifiée par " + role}
				return in
			}
		}
		vendorEdit := func(slug, region string) func(*env, string) any {
			return func(e *env, role string) any {
				in := vendorInput(slug, region)
				in.City = "Ville de " + role
				return in
			}
		}
		status := func(s, note string) func(*env, string) any {
			return func(*env, string) any { return map[string]string{"status": s, "note": note} }
		}
		// sameAsMissing: what a role may not see answers exactly as what does not exist.
		sameAsMissing := func(path string) func(t *testing.T, e *env, role string, r result) {
			return func(t *testing.T, e *env, role string, r result) {
				if r.code != 404 {
					return
				}
				m := e.in(t).call(strings.Fields(r.req)[0], path, role, nil)
				if m.code != 404 || !bytes.Equal(m.body, r.body) {
					t.Errorf("%s: the 404 differs from one for what does not exist: %s vs %s", r.req, r.body, m.body)
				}
			}
		}
		privateFor := func(t *testing.T, role, slug string, private map[string]string, rib string) {
			t.Helper()
			may := slices.Contains(operators, role) || vendorOf[role] == slug
			if (private != nil) != may || (may && private["rib"] != rib) {
				t.Errorf("%s sees %s's private details: %v", role, slug, private)
			}
		}

		cases := []isolationCase{
			{route: "GET /api/v1/openapi.json", path: fixed("/api/v1/openapi.json"), want: everyone(200)},
			{route: "POST /api/v1/sessions", what: "own credentials", path: fixed("/api/v1/sessions"), want: everyone(201), noop: true,
				body: func(_ *env, role string) any {
					if role == "anonymous" {
						role = "customer"
					}
					return map[string]string{"email": role + "@example.ma", "password": password}
				}},
			{route: "POST /api/v1/sessions", what: "wrong password", path: fixed("/api/v1/sessions"), want: everyone(401),
				body: func(_ *env, role string) any {
					return map[string]string{"email": role + "@example.ma", "password": "not-" + password}
				}},
			{route: "DELETE /api/v1/sessions/current", path: fixed("/api/v1/sessions/current"), freshSession: true, noop: true,
				want: only(204, 204, 401)},
			{route: "GET /api/v1/me", path: fixed("/api/v1/me"), want: only(200, 200, 401),
				check: func(t *testing.T, e *env, role string, r result) {
					if r.code != 200 {
						return
					}
					var u struct{ Email string }
					if r.decode(&u); u.Email != role+"@example.ma" {
						t.Errorf("%s is %s", role, u.Email)
					}
				}},
			{route: "GET /api/v1/categories", path: fixed("/api/v1/categories"), want: everyone(200)},

			{route: "GET /api/v1/vendors", path: fixed("/api/v1/vendors"), want: everyone(200),
				check: func(t *testing.T, e *env, role string, r result) {
					var l vendorList
					r.decode(&l)
					if want := map[bool]int{true: 3, false: 2}[slices.Contains(operators, role)]; l.Total != want {
						t.Errorf("%s lists %d vendors, want %d", role, l.Total, want)
					}
					for _, v := range l.Items {
						privateFor(t, role, v.Slug, v.Private, map[string]string{"coop-a": e.vendors["a"].RIB, "coop-b": e.vendors["b"].RIB, "coop-c": e.vendors["c"].RIB}[v.Slug])
					}
				}},
			{route: "GET /api/v1/vendors", what: "status=applied", path: fixed("/api/v1/vendors?status=applied"), want: only(200, 403, 403, operators...)},
			{route: "POST /api/v1/vendors", path: fixed("/api/v1/vendors"), want: only(201, 403, 401, operators...),
				body: func(e *env, role string) any { return vendorInput(e.unique("coop-new"), "oriental") }},
			{route: "GET /api/v1/vendors/{vendor}", what: "approved vendor B", path: fixed("/api/v1/vendors/coop-b"), want: everyone(200),
				check: func(t *testing.T, e *env, role string, r result) {
					var v vendorJSON
					r.decode(&v)
					privateFor(t, role, "coop-b", v.Private, e.vendors["b"].RIB)
				}},
			{route: "GET /api/v1/vendors/{vendor}", what: "applicant C", path: fixed("/api/v1/vendors/" + strconv.FormatInt(e.vendors["c"].ID, 10)),
				want: only(200, 404, 404, "owner-c", "moderator", "admin"), check: sameAsMissing("/api/v1/vendors/999999")},
			{route: "PUT /api/v1/vendors/{vendor}", what: "vendor B", path: fixed("/api/v1/vendors/coop-b"), body: vendorEdit("coop-b", "draa-tafilalet"),
				want: only(200, 403, 401, "owner-b", "moderator", "admin")},
			{route: "PUT /api/v1/vendors/{vendor}", what: "vendor A (staff may not)", path: fixed("/api/v1/vendors/coop-a"), body: vendorEdit("coop-a", "souss-massa"),
				want: only(200, 403, 401, "owner-a", "moderator", "admin")},
			{route: "PUT /api/v1/vendors/{vendor}", what: "applicant C", path: fixed("/api/v1/vendors/coop-c"), body: vendorEdit("coop-c", "oriental"),
				want: only(200, 404, 401, "owner-c", "moderator", "admin")},
			{route: "POST /api/v1/vendors/{vendor}/status", what: "vendor B", path: fixed("/api/v1/vendors/coop-b/status"), body: status("approved", ""),
				want: only(200, 403, 401, operators...), noop: true},
			{route: "POST /api/v1/vendors/{vendor}/status", what: "applicant C", path: fixed("/api/v1/vendors/coop-c/status"), body: status("applied", ""),
				want: only(200, 403, 401, operators...), noop: true},

			{route: "GET /api/v1/products", path: fixed("/api/v1/products"), want: everyone(200),
				check: func(t *testing.T, e *env, role string, r result) {
					var l productList
					r.decode(&l)
					if l.Total != 2 || len(l.Items) != 2 {
						t.Errorf("%s: public catalog of %d", role, l.Total)
					}
					for _, p := range l.Items {
						if p.Status != "published" || p.Vendor.Slug == "coop-c" {
							t.Errorf("%s: %s (%s of %s) in the public catalog", role, p.Slug, p.Status, p.Vendor.Slug)
						}
					}
				}},
			{route: "GET /api/v1/products", what: "status=draft", path: fixed("/api/v1/products?status=draft"),
				want: only(200, 403, 403, "owner-a", "staff-a", "owner-b", "owner-c", "moderator", "admin"),
				check: func(t *testing.T, e *env, role string, r result) {
					if r.code != 200 {
						return
					}
					var l productList
					r.decode(&l)
					want := map[string][]string{"coop-a": {"coop-a"}, "coop-b": {"coop-b"}, "coop-c": nil, "": {"coop-a", "coop-b"}}[vendorOf[role]]
					var got []string
					for _, p := range l.Items {
						if p.Status != "draft" {
							t.Errorf("%s: %s is %s", role, p.Slug, p.Status)
						}
						got = append(got, p.Vendor.Slug)
					}
					sort.Strings(got)
					if !slices.Equal(got, want) || l.Total != len(want) {
						t.Errorf("%s lists the drafts of %v (total %d), want %v", role, got, l.Total, want)
					}
				}},
			{route: "GET /api/v1/products", what: "B's drafts", path: fixed("/api/v1/products?status=draft&vendor=coop-b"),
				want: only(200, 403, 403, "owner-a", "staff-a", "owner-b", "owner-c", "moderator", "admin"),
				check: func(t *testing.T, e *env, role string, r result) {
					if r.code != 200 {
						return
					}
					var l productList
					r.decode(&l)
					want := 0
					if role == "owner-b" || slices.Contains(operators, role) {
						want = 1
					}
					if l.Total != want || len(l.Items) != want {
						t.Errorf("%s lists %d of B's drafts, want %d", role, l.Total, want)
					}
				}},
			{route: "POST /api/v1/products", what: "for one's own vendor", path: fixed("/api/v1/products"), body: newProduct(nil),
				want: map[string]int{"anonymous": 401, "customer": 403, "owner-a": 201, "staff-a": 201, "owner-b": 201, "owner-c": 201, "moderator": 422, "admin": 422},
				check: func(t *testing.T, e *env, role string, r result) {
					var p productJSON
					if r.decode(&p); r.code == 201 && (p.Vendor.Slug != vendorOf[role] || p.Status != "draft") {
						t.Errorf("%s created %s for %s", role, p.Status, p.Vendor.Slug)
					}
				}},
			{route: "POST /api/v1/products", what: `"vendor": B`, path: fixed("/api/v1/products"), body: newProduct(map[string]any{"vendor": "coop-b"}),
				want: only(201, 403, 401, "owner-b", "moderator", "admin")},
			{route: "POST /api/v1/products", what: `"vendor": C`, path: fixed("/api/v1/products"), body: newProduct(map[string]any{"vendor": "coop-c"}),
				want: map[string]int{"anonymous": 401, "customer": 403, "owner-a": 422, "staff-a": 422, "owner-b": 422, "owner-c": 201, "moderator": 201, "admin": 201}},
			{route: "POST /api/v1/products", what: "published", path: fixed("/api/v1/products"), body: newProduct(map[string]any{"vendor": "coop-b", "status": "published"}),
				want: only(201, 403, 401, operators...)},
			{route: "GET /api/v1/products/{product}", what: "B's draft", path: productPath(bDraft, ""),
				want: only(200, 404, 404, "owner-b", "moderator", "admin"), check: sameAsMissing("/api/v1/products/999999")},
			{route: "GET /api/v1/products/{product}", what: "B's published product", path: fixed("/api/v1/products/" + bPub.Slug), want: everyone(200),
				check: func(t *testing.T, e *env, role string, r result) {
					var p productJSON
					r.decode(&p)
					may := role == "owner-b" || slices.Contains(operators, role)
					if (p.ReviewNote != nil) != may {
						t.Errorf("%s sees B's review note: %v", role, p.ReviewNote)
					}
				}},
			{route: "PUT /api/v1/products/{product}", what: "B's draft", path: productPath(bDraft, ""), body: productEdit("B-DRAFT"),
				want: only(200, 404, 401, "owner-b", "moderator", "admin"), check: sameAsMissing("/api/v1/products/999999")},
			{route: "PUT /api/v1/products/{product}", what: "B's published product", path: productPath(bPub, ""), body: productEdit("B-PUB"),
				want: only(200, 403, 401, "owner-b", "moderator", "admin")},
			{route: "DELETE /api/v1/products/{product}", what: "a draft of B", path: fresh(catalog.Draft, ""),
				want: only(204, 404, 401, "owner-b", "moderator", "admin"), check: sameAsMissing("/api/v1/products/999999")},
			{route: "DELETE /api/v1/products/{product}", what: "a published product of B", path: fresh(catalog.Published, ""),
				want: only(204, 403, 401, operators...)},
			{route: "POST /api/v1/products/{product}/status", what: "a draft of B", path: fresh(catalog.Draft, "/status"), body: status("pending_review", "Vu"),
				want: only(200, 403, 401, operators...)},
			{route: "POST /api/v1/products/{product}/status", what: "B's published product", path: productPath(bPub, "/status"), body: status("published", "Étiquette à refaire"),
				want: only(200, 403, 401, operators...), noop: true},

			{route: "GET /api/v1/exchange-rates", path: fixed("/api/v1/exchange-rates"), want: everyone(200),
				check: func(t *testing.T, e *env, role string, r result) {
					var l struct{ Items []map[string]any }
					r.decode(&l)
					for _, x := range l.Items {
						if _, shown := x["updated_by"]; shown != slices.Contains(operators, role) {
							t.Errorf("%s sees who set the %v rate: %v", role, x["currency"], shown)
						}
					}
				}},
			{route: "PUT /api/v1/exchange-rates/{currency}", what: "EUR", path: fixed("/api/v1/exchange-rates/EUR"),
				body: func(e *env, role string) any {
					return map[string]string{"mad_per_unit": fmt.Sprintf("10.%02d", len(role))}
				},
				want: only(200, 403, 401, operators...)},
		}

		cases = append(cases, e.orderIsolationCases()...)
		covered := map[string]bool{}
		for _, c := range cases {
			covered[c.route] = true
			if len(c.want) != len(roles) {
				t.Fatalf("%s %s: statuses for %d roles, want all %d", c.route, c.what, len(c.want), len(roles))
			}
			method, _, _ := strings.Cut(c.route, " ")
			for _, role := range roles {
				want, ok := c.want[role]
				if !ok {
					t.Fatalf("%s %s: no status for %s", c.route, c.what, role)
				}
				path := c.path(e, role)
				var body any
				if c.body != nil {
					body = c.body(e, role)
				}
				token := e.tokens[role]
				if c.freshSession {
					e.tokens[role] = e.freshToken(role)
				}
				before := e.digest()
				r := e.call(method, path, role, body).status(want)
				after := e.digest()
				e.tokens[role] = token
				switch {
				case r.code >= 400 || method == "GET":
					if after != before {
						t.Errorf("%s (%s) as %s answered %d and changed the database", c.route, c.what, role, r.code)
					}
				case !c.noop && after == before:
					t.Errorf("%s (%s) as %s answered %d and changed nothing", c.route, c.what, role, r.code)
				}
				if c.check != nil && r.code == want {
					c.check(t, e, role, r)
				}
			}
		}
		// Every route is tried.
		var tried []string
		for r := range covered {
			tried = append(tried, r)
		}
		sort.Strings(tried)
		if want := registeredRoutes(t); !slices.Equal(tried, want) {
			t.Errorf("routes tried:\n%v\nroutes registered:\n%v", tried, want)
		}
	})
}
