package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/currency"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

// TestOpenAPIDocument checks the document itself: valid OpenAPI 3.1, every
// schema valid JSON Schema 2020-12, the same routes as api.go, and the same
// enumerations as the Go code.
func TestOpenAPIDocument(t *testing.T) {
	s := loadSpec(t)
	if ok, problems := s.check.ValidateDocument(); !ok {
		for _, e := range describe(problems) {
			t.Errorf("openapi.json is not valid OpenAPI 3.1: %s", e)
		}
	}

	var doc struct {
		OpenAPI    string `json:"openapi"`
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(s.raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}

	var whole any
	if err := json.Unmarshal(s.raw, &whole); err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("file:///openapi.json", whole); err != nil {
		t.Fatal(err)
	}
	for name := range doc.Components.Schemas {
		if _, err := c.Compile("file:///openapi.json#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}

	// Routes: what api.go registers is what the document describes.
	registered := registeredRoutes(t)
	var documented []string
	for _, o := range s.ops {
		documented = append(documented, o.method+" "+o.template)
	}
	sort.Strings(documented)
	if len(registered) < 15 || !slices.Equal(registered, documented) {
		t.Errorf("routes differ:\napi.go:       %v\nopenapi.json: %v", registered, documented)
	}

	// Enumerations: the document lists exactly what the code accepts.
	regions := []string{}
	for _, r := range morocco.Regions {
		regions = append(regions, r.Code)
	}
	kinds := []string{}
	for _, k := range vendor.Kinds {
		kinds = append(kinds, string(k))
	}
	for name, want := range map[string][]string{
		"Region":            regions,
		"Locale":            i18n.Locales,
		"CertificationKind": catalog.CertificationKinds,
		"VendorKind":        kinds,
		"ProductStatus":     validValues(t, catalog.Status.Valid, "draft", "pending_review", "published", "rejected"),
		"VendorStatus":      validValues(t, vendor.Status.Valid, "applied", "approved", "suspended", "rejected"),
		"Role":              validValues(t, auth.Role.Valid, "customer", "vendor_owner", "vendor_staff", "admin", "moderator"),
		"ForeignCurrency":   currency.Foreign,
		"ErrorCode": {string(errs.Invalid), string(errs.NotFound), string(errs.Conflict), string(errs.Unauthorized),
			string(errs.Forbidden), string(errs.TooMany), string(errs.TooLarge), string(errs.MethodNotAllowed), string(errs.Internal)},
	} {
		got := doc.Components.Schemas[name].Enum
		if !slices.Equal(sorted(got), sorted(want)) {
			t.Errorf("%s enum: document %v, code %v", name, got, want)
		}
	}
	if len(regions) != 12 {
		t.Errorf("%d regions", len(regions))
	}
}

// validValues returns values after checking that the code's own Valid
// method accepts each, so a renamed constant fails here.
func validValues[T ~string](t *testing.T, valid func(T) bool, values ...string) []string {
	t.Helper()
	for _, v := range values {
		if !valid(T(v)) {
			t.Errorf("%T(%q) is not valid", T(v), v)
		}
	}
	if valid(T("no-such-value")) {
		t.Errorf("%T accepts anything", T(""))
	}
	return values
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

// TestEveryDocumentedResponse drives the real handler through every route
// and every status the document promises for it, and checks each answer
// (status, media type, headers, body) against the document (env.call does).
// It fails if a documented response was never produced, so the document
// cannot promise what the server does not do.
func TestEveryDocumentedResponse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		a, c := e.vendors["a"], e.vendors["c"]
		aDraft, aPub, bDraft := e.products["a-draft"], e.products["a-pub"], e.products["b-draft"]
		pid := func(p catalog.Product) string { return fmt.Sprint(p.ID) }

		// A book with everything a product can hold, and a review note.
		book := productInput("BOOK-1", catalog.Published)
		book.Category = "literature"
		book.Book = &catalog.Book{ISBN: "978-2-07-036822-8", Authors: []string{"Driss Chraïbi"}, Publisher: "Gallimard", Language: "fr", Year: 1954, Pages: 256}
		book.Certifications = []catalog.Certification{{Kind: "organic", Issuer: "Ecocert", Number: "MA-BIO-1", ExpiresOn: "2030-12-31"}, {Kind: "onssa", Issuer: "ONSSA", Number: "A1"}}
		book.Images = []catalog.Image{{Path: "p/1.jpg", Width: 800, Height: 600, Alt: "Couverture"}}
		var bookJSON struct {
			ID   int64
			Book *catalog.Book
		}
		e.call("POST", "/api/v1/products", "admin", map[string]any{"vendor": fmt.Sprint(a.ID), "slug": "le-passe-simple", "category": book.Category,
			"texts": book.Texts, "variants": book.Variants, "certifications": book.Certifications, "images": book.Images, "book": book.Book, "status": "published"}).
			status(201).decode(&bookJSON)
		if bookJSON.Book == nil || bookJSON.Book.ISBN != "9782070368228" {
			t.Fatalf("book: %+v", bookJSON)
		}
		e.call("POST", "/api/v1/products/le-passe-simple/status?locale=fr", "moderator", map[string]string{"status": "published", "note": "Belle édition"}).status(200)
		e.call("GET", "/api/v1/products/le-passe-simple", "owner-a", nil).status(200)
		e.call("GET", "/api/v1/products?q=9782070368228", "anonymous", nil).status(200)

		// The document is served as it is in the repository.
		r := e.call("GET", "/api/v1/openapi.json", "anonymous", nil).status(200)
		if string(r.body) != string(e.spec.raw) {
			t.Error("served document differs from openapi.json")
		}

		// Every request body is read strictly.
		big := `{"note":"` + strings.Repeat("a", 1<<20) + `"}`
		for _, w := range []struct{ method, path, as string }{
			{"POST", "/api/v1/sessions", "anonymous"},
			{"POST", "/api/v1/vendors", "admin"},
			{"PUT", "/api/v1/vendors/coop-a", "owner-a"},
			{"POST", "/api/v1/vendors/coop-a/status", "admin"},
			{"POST", "/api/v1/products", "owner-a"},
			{"PUT", "/api/v1/products/" + pid(aDraft), "staff-a"},
			{"POST", "/api/v1/products/" + pid(aDraft) + "/status", "moderator"},
			{"PUT", "/api/v1/exchange-rates/EUR", "admin"},
		} {
			e.call(w.method, w.path, w.as, `{"status":`).status(400)
			e.call(w.method, w.path, w.as, `{} {}`).status(400)
			e.call(w.method, w.path, w.as, "{\"note\":\"\xff\"}").status(400)
			e.call(w.method, w.path, w.as, big).status(413)
			e.call(w.method, w.path, w.as, `{"status":"draft"}`, map[string]string{"Content-Type": "text/plain"}).status(415)
			if f := e.call(w.method, w.path, w.as, `{"colour":"red"}`).status(422).apiError().Error.Fields; f["colour"] == "" {
				t.Errorf("%s %s: unknown field not named: %v", w.method, w.path, f)
			}
		}

		slugTaken := vendorInput("coop-b", "oriental")
		cases := []struct {
			method, path, as string
			body             any
			headers          map[string]string
			want             int
		}{
			{"POST", "/api/v1/sessions", "anonymous", map[string]string{"email": "customer@example.ma", "password": "not the password"}, nil, 401},
			{"POST", "/api/v1/sessions", "anonymous", map[string]string{"email": "customer@example.ma", "password": password}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
			{"DELETE", "/api/v1/sessions/current", "anonymous", nil, nil, 401},
			{"GET", "/api/v1/me", "anonymous", nil, nil, 401},
			{"GET", "/api/v1/me", "owner-a", nil, nil, 200},
			{"GET", "/api/v1/categories", "anonymous", nil, nil, 200},

			{"GET", "/api/v1/vendors?kind=cooperative&region=souss-massa&page=1&per_page=5&locale=ar", "anonymous", nil, nil, 200},
			{"GET", "/api/v1/vendors?status=suspended", "owner-a", nil, nil, 403},
			{"GET", "/api/v1/vendors?per_page=101", "anonymous", nil, nil, 422},
			{"POST", "/api/v1/vendors", "anonymous", vendorInput("coop-x", "oriental"), nil, 401},
			{"POST", "/api/v1/vendors", "customer", vendorInput("coop-x", "oriental"), nil, 403},
			{"POST", "/api/v1/vendors", "admin", slugTaken, nil, 409},
			{"POST", "/api/v1/vendors", "admin", map[string]any{"kind": "cooperative"}, nil, 422},
			{"POST", "/api/v1/vendors", "admin", vendorInput("coop-d", "oriental"), nil, 201},
			{"GET", "/api/v1/vendors/coop-a", "staff-a", nil, nil, 200},
			{"GET", "/api/v1/vendors/" + fmt.Sprint(c.ID), "anonymous", nil, nil, 404},
			{"PUT", "/api/v1/vendors/coop-a", "anonymous", vendorInput("coop-a", "souss-massa"), nil, 401},
			{"PUT", "/api/v1/vendors/coop-a", "staff-a", vendorInput("coop-a", "souss-massa"), nil, 403},
			{"PUT", "/api/v1/vendors/coop-c", "owner-a", vendorInput("coop-c", "oriental"), nil, 404},
			{"PUT", "/api/v1/vendors/coop-a", "owner-a", vendorInput("coop-b", "souss-massa"), nil, 409},
			{"PUT", "/api/v1/vendors/coop-a", "owner-a", map[string]any{"kind": "bank"}, nil, 422},
			{"PUT", "/api/v1/vendors/" + fmt.Sprint(a.ID), "owner-a", vendorInput("coop-a", "souss-massa"), nil, 200},
			{"POST", "/api/v1/vendors/coop-b/status", "anonymous", map[string]string{"status": "suspended"}, nil, 401},
			{"POST", "/api/v1/vendors/coop-b/status", "owner-b", map[string]string{"status": "approved"}, nil, 403},
			{"POST", "/api/v1/vendors/no-such-vendor/status", "admin", map[string]string{"status": "approved"}, nil, 404},
			{"POST", "/api/v1/vendors/coop-b/status", "admin", map[string]string{"status": "closed"}, nil, 422},
			{"POST", "/api/v1/vendors/coop-c/status", "moderator", map[string]string{"status": "approved", "note": "Dossier complet"}, nil, 200},
			{"POST", "/api/v1/vendors/coop-c/status", "moderator", map[string]string{"status": "rejected", "note": "Déjà décidé"}, nil, 409},

			{"GET", "/api/v1/products?q=argan&category=food&region=souss-massa&vendor=coop-a&page=1&per_page=10", "anonymous", nil, map[string]string{"Accept-Language": "fr"}, 200},
			{"GET", "/api/v1/products?status=draft", "staff-a", nil, nil, 200},
			{"GET", "/api/v1/products?status=draft", "customer", nil, nil, 403},
			{"GET", "/api/v1/products?region=andalucia", "anonymous", nil, nil, 422},
			{"POST", "/api/v1/products", "anonymous", productInput("X-1", ""), nil, 401},
			{"POST", "/api/v1/products", "owner-a", map[string]any{"vendor": "coop-b", "category": "argan-oil", "texts": map[string]any{"fr": map[string]string{"title": "Huile"}},
				"variants": []map[string]any{{"sku": "X", "price": map[string]int{"amount": 100}}}}, nil, 403},
			{"POST", "/api/v1/products", "owner-a", map[string]any{"slug": aPub.Slug, "category": "argan-oil", "texts": map[string]any{"fr": map[string]string{"title": "Huile"}},
				"variants": []map[string]any{{"sku": "X", "price": map[string]int{"amount": 100}}}}, nil, 409},
			{"POST", "/api/v1/products", "owner-a", map[string]any{"category": "argan-oil"}, nil, 422},
			{"POST", "/api/v1/products?locale=ar", "staff-a", productInput("A-NEW", catalog.PendingReview), nil, 201},
			{"GET", "/api/v1/products/" + aPub.Slug + "?locale=zgh", "anonymous", nil, nil, 200},
			{"GET", "/api/v1/products/" + pid(bDraft), "owner-a", nil, nil, 404},
			{"PUT", "/api/v1/products/" + pid(aDraft), "anonymous", productInput("A-DRAFT", ""), nil, 401},
			{"PUT", "/api/v1/products/" + pid(e.products["b-pub"]), "owner-a", productInput("B-PUB", ""), nil, 403},
			{"PUT", "/api/v1/products/" + pid(bDraft), "owner-a", productInput("B-DRAFT", ""), nil, 404},
			{"PUT", "/api/v1/products/" + pid(aDraft), "owner-a", map[string]any{"slug": aPub.Slug, "category": "argan-oil", "texts": map[string]any{"fr": map[string]string{"title": "Huile"}},
				"variants": []map[string]any{{"sku": "X", "price": map[string]int{"amount": 100}}}}, nil, 409},
			{"PUT", "/api/v1/products/" + pid(aDraft), "owner-a", map[string]any{"category": "argan-oil", "texts": map[string]any{}}, nil, 422},
			{"PUT", "/api/v1/products/" + aDraft.Slug, "staff-a", productInput("A-DRAFT", ""), nil, 200},
			{"POST", "/api/v1/products/" + pid(aDraft) + "/status", "anonymous", map[string]string{"status": "published"}, nil, 401},
			{"POST", "/api/v1/products/" + pid(aDraft) + "/status", "owner-a", map[string]string{"status": "published"}, nil, 403},
			{"POST", "/api/v1/products/999999/status", "admin", map[string]string{"status": "published"}, nil, 404},
			{"POST", "/api/v1/products/" + pid(aDraft) + "/status", "admin", map[string]string{"status": "sold"}, nil, 422},
			{"POST", "/api/v1/products/" + pid(aDraft) + "/status", "admin", map[string]string{"status": "rejected", "note": "Photo floue"}, nil, 200},
			{"DELETE", "/api/v1/products/" + pid(aDraft), "anonymous", nil, nil, 401},
			{"DELETE", "/api/v1/products/" + pid(aPub), "owner-a", nil, nil, 403},
			{"DELETE", "/api/v1/products/" + pid(bDraft), "owner-a", nil, nil, 404},
			{"DELETE", "/api/v1/products/" + pid(bDraft), "owner-b", nil, nil, 204},

			{"GET", "/api/v1/exchange-rates?locale=fr", "anonymous", nil, nil, 200},
			{"PUT", "/api/v1/exchange-rates/EUR", "anonymous", map[string]string{"mad_per_unit": "10.90"}, nil, 401},
			{"PUT", "/api/v1/exchange-rates/EUR", "owner-a", map[string]string{"mad_per_unit": "10.90"}, nil, 403},
			{"PUT", "/api/v1/exchange-rates/GBP", "admin", map[string]string{"mad_per_unit": "13.50"}, nil, 422},
			{"PUT", "/api/v1/exchange-rates/USD?locale=ar", "moderator", map[string]string{"mad_per_unit": "9.35"}, nil, 200},
		}
		for _, c := range cases {
			e.call(c.method, c.path, c.as, c.body, c.headers).status(c.want)
		}

		// Sign-in throttling answers 429 with Retry-After (the document
		// requires the header; env.call checks it).
		for range 5 {
			e.call("POST", "/api/v1/sessions", "anonymous", map[string]string{"email": "throttled@example.ma", "password": "guess-guess"}).status(401)
		}
		e.call("POST", "/api/v1/sessions", "anonymous", map[string]string{"email": "throttled@example.ma", "password": "guess-guess"}).status(429)

		// A browser session: the cookie signs in, and a write needs the CSRF token.
		var sess struct {
			Token     string `json:"token"`
			CSRFToken string `json:"csrf_token"`
		}
		login := e.call("POST", "/api/v1/sessions", "anonymous", map[string]string{"email": "customer@example.ma", "password": password}).status(201).decode(&sess)
		cookie := sessionCookie(t, login.hdr)
		if cookie == nil || cookie.Value != sess.Token || !cookie.HttpOnly {
			t.Fatalf("session cookie: %+v", cookie)
		}
		withCookie := map[string]string{"Cookie": cookie.Name + "=" + cookie.Value}
		e.call("GET", "/api/v1/me", "anonymous", nil, withCookie).status(200)
		e.call("DELETE", "/api/v1/sessions/current", "anonymous", nil, withCookie).status(403)
		e.call("DELETE", "/api/v1/sessions/current", "anonymous", nil, withCookie, map[string]string{"X-CSRF-Token": "forged"}).status(403)
		out := e.call("DELETE", "/api/v1/sessions/current", "anonymous", nil, withCookie, map[string]string{"X-CSRF-Token": sess.CSRFToken}).status(204)
		if c := sessionCookie(t, out.hdr); c == nil || c.MaxAge >= 0 {
			t.Errorf("sign-out does not clear the cookie: %+v", c)
		}
		e.call("GET", "/api/v1/me", "anonymous", nil, withCookie).status(401)
		e.call("DELETE", "/api/v1/sessions/current", "owner-c", nil).status(204)

		// Tax classes in the document are those in the database.
		var taxDoc struct {
			Components struct {
				Schemas struct {
					TaxClass struct{ Enum []string } `json:"TaxClass"`
				} `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(e.spec.raw, &taxDoc); err != nil {
			t.Fatal(err)
		}
		var classes []string
		rows, err := d.Read().QueryContext(ctx, `SELECT code FROM tax_classes`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			classes = append(classes, c)
		}
		rows.Close()
		if !slices.Equal(sorted(classes), sorted(taxDoc.Components.Schemas.TaxClass.Enum)) {
			t.Errorf("tax classes: database %v, document %v", classes, taxDoc.Components.Schemas.TaxClass.Enum)
		}

		e.exerciseOrders()

		// Every documented response was produced (and checked).
		var missing []string
		for _, o := range e.spec.ops {
			for code := range o.responses {
				if e.seen[o.method+" "+o.template+" "+code] == 0 {
					missing = append(missing, o.method+" "+o.template+" "+code)
				}
			}
		}
		sort.Strings(missing)
		for _, m := range missing {
			t.Errorf("documented but never produced: %s", m)
		}
	})
}

func sessionCookie(t *testing.T, h http.Header) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == auth.CookieName {
			return c
		}
	}
	return nil
}

// The checks must catch answers and requests that do not match the
// document: otherwise every check made through env.call would pass for
// nothing. Each case breaks one thing in an otherwise right exchange.
func TestSpecCheckCatchesDrift(t *testing.T) {
	s := loadSpec(t)
	const jsonType = "application/json; charset=utf-8"
	product := `{"id":1,"slug":"huile","status":"published","vendor":{"id":1,"slug":"coop-a"},"category":{"id":2,"slug":"argan-oil"},` +
		`"region":"souss-massa","tax_class":"exempt","locale":"fr","title":"Huile","description":"","texts":{"fr":{"title":"Huile","description":""}},` +
		`"variants":[{"sku":"A1","label":"","price":{"amount":15000,"currency":"MAD"},"stock":1,"weight_grams":400,"length_mm":0,"width_mm":0,"height_mm":0}],` +
		`"certifications":[],"images":[],"created_at":"2026-01-01T10:00:00Z","updated_at":"2026-01-01T10:00:00Z","published_at":null}`
	list := `{"items":[` + product + `],"total":1,"page":1,"per_page":20}`
	vendorJSON := `{"id":1,"slug":"coop-a","kind":"cooperative","status":"approved","name":"C","legal_name":"C","texts":{},"region":"souss-massa",` +
		`"city":"Agadir","created_at":"2026-01-01T10:00:00Z","approved_at":null,"private":{"contact_name":"","email":"","phone":"","rib":""}}`
	notFound := `{"error":{"code":"not_found","message":"This product does not exist."}}`
	created := http.Header{"Content-Type": {jsonType}, "Location": {"/api/v1/products/1"}}
	jsonHeader := http.Header{"Content-Type": {jsonType}}
	type exchange struct {
		method, path string
		status       int
		header       http.Header
		body         string
	}
	good := []exchange{
		{"GET", "/api/v1/products", 200, jsonHeader, list},
		{"GET", "/api/v1/products/huile", 200, jsonHeader, product},
		{"GET", "/api/v1/products/huile", 404, jsonHeader, notFound},
		{"POST", "/api/v1/products", 201, created, product},
		{"GET", "/api/v1/vendors/coop-a", 200, jsonHeader, vendorJSON},
		{"DELETE", "/api/v1/products/1", 204, http.Header{}, ""},
		{"POST", "/api/v1/sessions", 429, http.Header{"Content-Type": {jsonType}, "Retry-After": {"60"}}, `{"error":{"code":"too_many_requests","message":"Wait."}}`},
	}
	for _, x := range good {
		if p := s.checkResponse(x.method, mustURL(x.path), x.status, x.header, []byte(x.body)); len(p) > 0 {
			t.Errorf("a right answer to %s %s failed: %v", x.method, x.path, p)
		}
	}
	edit := func(body, old, new string) string {
		if !strings.Contains(body, old) {
			t.Fatalf("%q not in %s", old, body)
		}
		return strings.Replace(body, old, new, 1)
	}
	bad := map[string]exchange{
		"missing per_page":        {"GET", "/api/v1/products", 200, jsonHeader, edit(list, `,"per_page":20`, ``)},
		"extra field":             {"GET", "/api/v1/products", 200, jsonHeader, edit(list, `"page":1`, `"page":1,"secret":"x"`)},
		"total as string":         {"GET", "/api/v1/products", 200, jsonHeader, edit(list, `"total":1`, `"total":"1"`)},
		"float money":             {"GET", "/api/v1/products/huile", 200, jsonHeader, edit(product, `"amount":15000`, `"amount":150.5`)},
		"money without currency":  {"GET", "/api/v1/products/huile", 200, jsonHeader, edit(product, `,"currency":"MAD"`, ``)},
		"unknown region":          {"GET", "/api/v1/products/huile", 200, jsonHeader, edit(product, `"souss-massa"`, `"andalucia"`)},
		"unknown locale in texts": {"GET", "/api/v1/products/huile", 200, jsonHeader, edit(product, `"texts":{"fr"`, `"texts":{"de"`)},
		"bad date-time":           {"GET", "/api/v1/products/huile", 200, jsonHeader, edit(product, `"2026-01-01T10:00:00Z"`, `"yesterday"`)},
		"null title":              {"GET", "/api/v1/products/huile", 200, jsonHeader, edit(product, `"title":"Huile"`, `"title":null`)},
		"null variants":           {"GET", "/api/v1/products/huile", 200, jsonHeader, edit(product, `"variants":[{`, `"variants":null,"x":[{`)},
		"book null":               {"GET", "/api/v1/products/huile", 200, jsonHeader, edit(product, `"images":[]`, `"images":[],"book":null`)},
		"RIB leaked in extra key": {"GET", "/api/v1/vendors/coop-a", 200, jsonHeader, edit(vendorJSON, `"rib":""`, `"rib":"","iban":"MA64"`)},
		"malformed RIB":           {"GET", "/api/v1/vendors/coop-a", 200, jsonHeader, edit(vendorJSON, `"rib":""`, `"rib":"12"`)},
		"undocumented status":     {"GET", "/api/v1/products/huile", 418, jsonHeader, notFound},
		"error code of another":   {"GET", "/api/v1/products/huile", 404, jsonHeader, edit(notFound, `"not_found"`, `"invalid"`)},
		"unknown error code":      {"GET", "/api/v1/products/huile", 404, jsonHeader, edit(notFound, `"not_found"`, `"gone"`)},
		"empty fields map":        {"GET", "/api/v1/products/huile", 404, jsonHeader, edit(notFound, `."}`, `.","fields":{}}`)},
		"untranslated message":    {"GET", "/api/v1/products/huile", 404, jsonHeader, edit(notFound, `This product does not exist.`, `error.not_found`)},
		"not JSON":                {"GET", "/api/v1/products/huile", 200, http.Header{"Content-Type": {"text/html; charset=utf-8"}}, product},
		"no charset":              {"GET", "/api/v1/products/huile", 200, http.Header{"Content-Type": {"application/json"}}, product},
		"201 without Location":    {"POST", "/api/v1/products", 201, jsonHeader, product},
		"429 without Retry-After": {"POST", "/api/v1/sessions", 429, jsonHeader, `{"error":{"code":"too_many_requests","message":"Wait."}}`},
		"body on a 204":           {"DELETE", "/api/v1/products/1", 204, jsonHeader, `{}`},
	}
	for name, x := range bad {
		if p := s.checkResponse(x.method, mustURL(x.path), x.status, x.header, []byte(x.body)); len(p) == 0 {
			t.Errorf("%s: a wrong answer passed the check", name)
		}
	}

	// Requests: the document refuses what the server refuses, so a client
	// validating against it learns the rules before sending.
	valid := `{"category":"argan-oil","texts":{"fr":{"title":"Huile"}},"variants":[{"sku":"A1","price":{"amount":15000}}]}`
	request := func(method, path, body string) *http.Request {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer x")
		return r
	}
	if p := s.checkRequest(request("POST", "/api/v1/products", valid)); len(p) > 0 {
		t.Errorf("a right request failed: %v", p)
	}
	if p := s.checkRequest(request("PUT", "/api/v1/vendors/coop-a", mustJSON(t, vendorInput("coop-a", "souss-massa")))); len(p) > 0 {
		t.Errorf("a right vendor failed: %v", p)
	}
	badRequests := map[string]*http.Request{
		"unknown field":         request("POST", "/api/v1/products", edit(valid, `"category"`, `"colour":"red","category"`)),
		"price as string":       request("POST", "/api/v1/products", edit(valid, `15000`, `"150.00"`)),
		"float price":           request("POST", "/api/v1/products", edit(valid, `15000`, `150.5`)),
		"negative price":        request("POST", "/api/v1/products", edit(valid, `15000`, `-1`)),
		"euro price":            request("POST", "/api/v1/products", edit(valid, `15000}`, `15000,"currency":"EUR"}`)),
		"no variants":           request("POST", "/api/v1/products", edit(valid, `"variants":[{"sku":"A1","price":{"amount":15000}}]`, `"variants":[]`)),
		"vendor on update":      request("PUT", "/api/v1/products/huile", edit(valid, `"category"`, `"vendor":"coop-b","category"`)),
		"status on vendor edit": request("PUT", "/api/v1/vendors/coop-a", edit(mustJSON(t, vendorInput("coop-a", "souss-massa")), `"slug"`, `"status":"approved","slug"`)),
		"cooperative number":    request("PUT", "/api/v1/vendors/coop-a", edit(mustJSON(t, vendorInput("coop-a", "souss-massa")), `"cooperative_number":"2010/77"`, `"cooperative_number":""`)),
		"no credentials":        httptest.NewRequest("GET", "/api/v1/me", nil),
		"page 0":                httptest.NewRequest("GET", "/api/v1/products?page=0", nil),
		"unknown status filter": httptest.NewRequest("GET", "/api/v1/products?status=sold", nil),
	}
	for name, r := range badRequests {
		if p := s.checkRequest(r); len(p) == 0 {
			t.Errorf("%s: a wrong request passed the check", name)
		}
	}
}

func mustURL(path string) *url.URL {
	u, err := url.Parse("http://souk.test" + path)
	if err != nil {
		panic(err)
	}
	return u
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
