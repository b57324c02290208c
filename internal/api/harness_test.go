package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"

	"souk/internal/app"
	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/money"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

// env is a running souk on a test database with a small marketplace:
// approved vendors A and B each with a draft and a published product, an
// applicant C, and a signed-in user of every role. Every answer that comes
// through call is checked against openapi.json.
type env struct {
	t        *testing.T
	d        *db.DB
	app      *app.App
	url      string
	vendors  map[string]vendor.Vendor   // "a", "b", "c"
	products map[string]catalog.Product // "a-draft", "a-pub", "b-draft", "b-pub"
	users    map[string]auth.User       // by role name, see roles
	tokens   map[string]string          // role name -> bearer token; "anonymous" -> ""
	spec     *spec
	// seen counts the answers by "METHOD /template STATUS", to show every
	// documented response was produced.
	seen map[string]int
	n    *int // for unique names
}

// roles are the callers every route is tried as.
var roles = []string{"anonymous", "customer", "owner-a", "staff-a", "owner-b", "owner-c", "moderator", "admin"}

const password = "argan-oil-from-souss"

func rib(first22 string) string { return first22 + morocco.RIBKey(first22) }

func vendorInput(slug, region string) vendor.Input {
	return vendor.Input{
		Slug: slug, Kind: vendor.Cooperative, LegalName: "Coopérative " + slug, Region: region, City: "Agadir",
		CooperativeNumber: "2010/77", ICE: "001234567000089", Email: "contact@" + slug + ".ma", Phone: "0612345678",
		RIB:   rib("0117800000123456789012"),
		Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative " + slug, Story: "Fondée en 2004."}, "ar": {DisplayName: "تعاونية " + slug}},
	}
}

func productInput(sku string, status catalog.Status) catalog.Input {
	return catalog.Input{
		Category: "argan-oil", TaxClass: "exempt", Status: status,
		Texts: map[string]catalog.Texts{
			"ar": {Title: "زيت الأركان " + sku, Description: "معصور على البارد."},
			"fr": {Title: "Huile d'argan " + sku, Description: "Pressée à froid."},
			"en": {Title: "Argan oil " + sku},
		},
		Variants: []catalog.Variant{{SKU: sku, Label: "250 ml", Price: money.Dirhams(15000), Stock: 10, WeightGrams: 400}},
	}
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	return newEnvWith(t, d, app.Config{})
}

// newEnvWith is newEnv with a configuration (payment gateways, say).
func newEnvWith(t *testing.T, d *db.DB, cfg app.Config) *env {
	t.Helper()
	ctx := context.Background()
	if cfg.PageCacheMB == 0 {
		cfg.PageCacheMB = 8 // as souk serves: every test of a public answer also tests that it changes with its data
	}
	a, err := app.New(cfg, slog.New(slog.DiscardHandler), d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	a.UseAddress(srv.URL)
	e := &env{t: t, d: d, app: a, url: srv.URL, vendors: map[string]vendor.Vendor{}, products: map[string]catalog.Product{},
		users: map[string]auth.User{}, tokens: map[string]string{"anonymous": ""}, spec: loadSpec(t), seen: map[string]int{}, n: new(int)}
	for _, v := range []struct {
		name, region string
		status       vendor.Status
	}{{"a", "souss-massa", vendor.Approved}, {"b", "draa-tafilalet", vendor.Approved}, {"c", "oriental", vendor.Applied}} {
		got, err := a.Vendors.Create(ctx, operator, vendorInput("coop-"+v.name, v.region), v.status)
		if err != nil {
			t.Fatal(err)
		}
		e.vendors[v.name] = got
	}
	for _, p := range []struct {
		key, vendor string
		status      catalog.Status
	}{{"a-draft", "a", catalog.Draft}, {"a-pub", "a", catalog.Published}, {"b-draft", "b", catalog.Draft}, {"b-pub", "b", catalog.Published}} {
		e.products[p.key] = e.mustCreateProduct(p.vendor, strings.ToUpper(p.key), p.status)
	}
	users := []struct {
		name   string
		role   auth.Role
		vendor string
	}{
		{"customer", auth.RoleCustomer, ""}, {"owner-a", auth.RoleVendorOwner, "a"}, {"staff-a", auth.RoleVendorStaff, "a"},
		{"owner-b", auth.RoleVendorOwner, "b"}, {"owner-c", auth.RoleVendorOwner, "c"}, {"moderator", auth.RoleModerator, ""}, {"admin", auth.RoleAdmin, ""},
	}
	for _, u := range users {
		in := auth.NewUser{Email: u.name + "@example.ma", Name: u.name, Password: password, Role: u.role}
		if u.vendor != "" {
			in.VendorID = e.vendors[u.vendor].ID
		}
		got, err := a.Auth.CreateUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		e.users[u.name] = got
		var s struct{ Token string }
		e.call("POST", "/api/v1/sessions", "", map[string]string{"email": in.Email, "password": password}).status(201).decode(&s)
		if s.Token == "" {
			t.Fatalf("no token for %s", u.name)
		}
		e.tokens[u.name] = s.Token
	}
	return e
}

// operator is who fixtures are made as.
var operator = auth.User{Role: auth.RoleAdmin}

// mustCreateProduct adds a product to vendor v ("a", "b", "c") behind the API's back.
func (e *env) mustCreateProduct(v, sku string, status catalog.Status) catalog.Product {
	e.t.Helper()
	p, err := e.app.Catalog.Create(context.Background(), operator, e.vendors[v].ID, productInput(sku, status))
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// unique returns a new name with prefix, for SKUs and slugs.
func (e *env) unique(prefix string) string {
	*e.n++
	return fmt.Sprintf("%s-%d", prefix, *e.n)
}

// in returns e reporting to t, for subtests.
func (e *env) in(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

// freshToken signs role in again, for requests that end their session.
func (e *env) freshToken(role string) string {
	e.t.Helper()
	if role == "anonymous" {
		return ""
	}
	sess, _, err := e.app.Auth.Login(context.Background(), role+"@example.ma", password, "192.0.2.1", "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return sess.Token
}

// result is one API answer, already checked against openapi.json.
type result struct {
	t    *testing.T
	req  string
	code int
	body []byte
	hdr  http.Header
}

func (r result) status(want int) result {
	r.t.Helper()
	if r.code != want {
		r.t.Errorf("%s: status %d, want %d: %.600s", r.req, r.code, want, r.body)
	}
	return r
}

func (r result) decode(v any) result {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("%s: %v: %.600s", r.req, err, r.body)
	}
	return r
}

type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func (r result) apiError() apiError {
	r.t.Helper()
	var e apiError
	r.decode(&e)
	return e
}

// call sends a request as a role ("" or "anonymous" for nobody) and checks
// the answer against the OpenAPI document; an answer the server accepted
// (2xx) also has its request checked, so the document never asks for less
// than the server takes. body may be a Go value (encoded as JSON), or a
// string or []byte sent as is. Headers override the defaults; an
// "Authorization" of "" sends none.
func (e *env) call(method, path, as string, body any, headers ...map[string]string) result {
	e.t.Helper()
	return e.do(true, method, path, as, body, headers...)
}

// callOffContract is call for requests the document does not allow (an
// unknown locale, say): the answer is still checked, the request is not.
func (e *env) callOffContract(method, path, as string, body any, headers ...map[string]string) result {
	e.t.Helper()
	return e.do(false, method, path, as, body, headers...)
}

func (e *env) do(checkRequest bool, method, path, as string, body any, headers ...map[string]string) result {
	e.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	hdr := http.Header{}
	if raw != nil {
		hdr.Set("Content-Type", "application/json")
	}
	if tok := e.tokens[as]; tok != "" {
		hdr.Set("Authorization", "Bearer "+tok)
	}
	for _, h := range headers {
		for k, v := range h {
			hdr.Set(k, v)
		}
	}
	for k, v := range hdr {
		if len(v) == 1 && v[0] == "" {
			delete(hdr, k)
		}
	}
	req, err := http.NewRequest(method, e.url+path, bytes.NewReader(raw))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header = hdr
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if as == "" {
		as = "anonymous"
	}
	name := method + " " + path + " as " + as
	if tmpl := e.spec.template(method, req.URL.Path); tmpl != "" {
		e.seen[method+" "+tmpl+" "+strconv.Itoa(resp.StatusCode)]++
	}
	for _, p := range e.spec.checkResponse(method, req.URL, resp.StatusCode, resp.Header, out) {
		e.t.Errorf("%s: answer does not match openapi.json: %s\nbody: %.600s", name, p, out)
	}
	if checkRequest && resp.StatusCode < 300 {
		vreq, _ := http.NewRequest(method, e.url+path, bytes.NewReader(raw))
		vreq.Header = hdr.Clone()
		for _, p := range e.spec.checkRequest(vreq) {
			e.t.Errorf("%s: the server accepted a request that openapi.json refuses: %s\nrequest: %.600s", name, p, raw)
		}
	}
	return result{t: e.t, req: name, code: resp.StatusCode, body: out, hdr: resp.Header}
}

// count returns the rows of a table, to show a refused request changed nothing.
func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// spec is openapi.json, loaded once: the validator, and the operations and
// responses it documents.
type spec struct {
	raw   []byte
	check validator.Validator
	ops   []operation
}

type operation struct {
	method, template string
	re               *regexp.Regexp
	// responses: status code -> whether it has a body.
	responses map[string]bool
}

var (
	specOnce sync.Once
	theSpec  *spec
	specErr  error
)

func loadSpec(t testing.TB) *spec {
	t.Helper()
	specOnce.Do(func() { theSpec, specErr = parseSpec("openapi.json") })
	if specErr != nil {
		t.Fatalf("openapi.json: %v", specErr)
	}
	return theSpec
}

func parseSpec(file string) (*spec, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	v, err := newValidator(raw)
	if err != nil {
		return nil, err
	}
	s := &spec{raw: raw, check: v}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	for tmpl, item := range doc.Paths {
		pattern := "^" + regexp.MustCompile(`\\\{[^}]+\\\}`).ReplaceAllString(regexp.QuoteMeta(tmpl), `[^/]+`) + "$"
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var o struct {
				Responses map[string]struct {
					Ref     string         `json:"$ref"`
					Content map[string]any `json:"content"`
				} `json:"responses"`
			}
			if err := json.Unmarshal(raw, &o); err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, tmpl, err)
			}
			op := operation{method: strings.ToUpper(method), template: tmpl, re: regexp.MustCompile(pattern), responses: map[string]bool{}}
			for code, r := range o.Responses {
				op.responses[code] = r.Ref != "" || len(r.Content) > 0
			}
			s.ops = append(s.ops, op)
		}
	}
	sort.Slice(s.ops, func(i, j int) bool { return s.ops[i].template+s.ops[i].method < s.ops[j].template+s.ops[j].method })
	return s, nil
}

func newValidator(doc []byte) (validator.Validator, error) {
	d, err := libopenapi.NewDocument(doc)
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(d, config.WithFormatAssertions())
	if len(errs) > 0 {
		return nil, fmt.Errorf("%v", errs)
	}
	return v, nil
}

// op finds the documented operation of a request; a literal path segment
// wins over a template.
func (s *spec) op(method, path string) *operation {
	var found *operation
	for i := range s.ops {
		o := &s.ops[i]
		if o.method != method || !o.re.MatchString(path) {
			continue
		}
		if found == nil || strings.Count(o.template, "{") < strings.Count(found.template, "{") {
			found = o
		}
	}
	return found
}

func (s *spec) template(method, path string) string {
	if method == "HEAD" {
		method = "GET"
	}
	if o := s.op(method, path); o != nil {
		return o.template
	}
	return ""
}

// untranslated is what a message key looks like: a client must never be
// shown one.
var untranslated = regexp.MustCompile(`^(error|field)\.[a-z_.]+$`)

// checkResponse lists how an answer differs from the document: the
// validator's findings (status documented, media type, body schema,
// required headers, formats) and what it does not look at: no body on a
// response documented without one, JSON in UTF-8, error messages translated.
func (s *spec) checkResponse(method string, u *url.URL, status int, header http.Header, body []byte) []string {
	req, err := http.NewRequest(method, u.String(), nil)
	if err != nil {
		return []string{err.Error()}
	}
	resp := &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(bytes.NewReader(body))}
	var problems []string
	if ok, errs := s.check.ValidateHttpResponse(req, resp); !ok {
		problems = append(problems, describe(errs)...)
	}
	o := s.op(method, req.URL.Path)
	if o == nil {
		return append(problems, "no such operation in the document")
	}
	if hasBody, ok := o.responses[strconv.Itoa(status)]; ok && !hasBody && (len(body) > 0 || header.Get("Content-Type") != "") {
		problems = append(problems, fmt.Sprintf("status %d is documented without a body, got %q %q", status, header.Get("Content-Type"), body))
	}
	if len(body) > 0 && header.Get("Content-Type") != "application/json; charset=utf-8" {
		problems = append(problems, "Content-Type "+header.Get("Content-Type"))
	}
	if status >= 400 {
		var e apiError
		if err := json.Unmarshal(body, &e); err != nil {
			return append(problems, "error body: "+err.Error())
		}
		if untranslated.MatchString(e.Error.Message) {
			problems = append(problems, "untranslated message "+e.Error.Message)
		}
		for f, m := range e.Error.Fields {
			if f == "" || untranslated.MatchString(m) {
				problems = append(problems, fmt.Sprintf("field %q: untranslated message %q", f, m))
			}
		}
	}
	return problems
}

// checkRequest lists how a request differs from the document.
func (s *spec) checkRequest(req *http.Request) []string {
	if ok, errs := s.check.ValidateHttpRequest(req); !ok {
		return describe(errs)
	}
	return nil
}

func describe(errs []*verrors.ValidationError) []string {
	var out []string
	for _, e := range errs {
		m := e.Message + ": " + e.Reason
		for _, s := range e.SchemaValidationErrors {
			m += " [" + s.FieldPath + ": " + s.Reason + "]"
		}
		out = append(out, m)
	}
	return out
}
