package cmi_test

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"souk/internal/payment/cmi"
)

// merchant is a minimal shop: its callback handler does what CMI's sample
// callback.php does (spec §3) and records every post and answer.
type merchant struct {
	mu        sync.Mutex
	orders    map[string]int64 // oid → expected amount in centimes
	callbacks []cmi.Callback
	posts     []url.Values
	answers   []string
}

func (m *merchant) handleCallback(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, cmi.AnswerFailure, http.StatusBadRequest)
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	answer := cmi.AnswerFailure
	cb, err := cmi.ParseCallback(r.PostForm, key)
	if err == nil {
		m.callbacks = append(m.callbacks, cb)
		switch want, known := m.orders[cb.OrderID]; {
		case !known || want != cb.Amount:
			answer = cmi.AnswerFailure
		case cb.Approved:
			answer = cmi.AnswerCapture
		default:
			answer = cmi.AnswerAcknowledge
		}
	}
	m.posts = append(m.posts, r.PostForm)
	m.answers = append(m.answers, answer)
	io.WriteString(w, answer+"\n")
}

func (m *merchant) snapshot() ([]cmi.Callback, []url.Values, []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]cmi.Callback(nil), m.callbacks...), append([]url.Values(nil), m.posts...), append([]string(nil), m.answers...)
}

// syncBuffer collects the simulator's logs from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type env struct {
	t        *testing.T
	cfg      cmi.Config
	merchant *merchant
	shop     *httptest.Server
	gateway  *httptest.Server
	logs     *syncBuffer
}

// newEnv starts a shop and a gateway, the simulator mounted under /cmi with
// http.StripPrefix as souk's demo server would.
func newEnv(t *testing.T) *env {
	t.Helper()
	m := &merchant{orders: map[string]int64{}}
	shopMux := http.NewServeMux()
	shopMux.HandleFunc("POST /cmi/callback", m.handleCallback)
	shop := httptest.NewServer(shopMux)
	t.Cleanup(shop.Close)

	logs := &syncBuffer{}
	sim := cmi.Simulator{
		ClientID: "600002599",
		StoreKey: key,
		Client:   shop.Client(),
		Log:      slog.New(slog.NewTextHandler(logs, nil)),
	}
	gwMux := http.NewServeMux()
	gwMux.Handle("/cmi/", http.StripPrefix("/cmi", sim))
	gateway := httptest.NewServer(gwMux)
	t.Cleanup(gateway.Close)

	return &env{
		t:        t,
		cfg:      cmi.Config{ClientID: "600002599", StoreKey: key, GatewayURL: gateway.URL + "/cmi/fim/est3Dgate"},
		merchant: m,
		shop:     shop,
		gateway:  gateway,
		logs:     logs,
	}
}

// payment registers an order at the merchant and returns its payment.
func (e *env) payment(oid string, amount int64) cmi.Payment {
	e.merchant.mu.Lock()
	e.merchant.orders[oid] = amount
	e.merchant.mu.Unlock()
	return cmi.Payment{
		OrderID:     oid,
		Amount:      amount,
		OkURL:       e.shop.URL + "/cmi/ok?order=" + oid + "&step=1",
		FailURL:     e.shop.URL + "/cmi/fail",
		CallbackURL: e.shop.URL + "/cmi/callback",
		ShopURL:     e.shop.URL + "/",
		Lang:        "fr",
		Email:       "client@example.ma",
		Name:        "Aicha <Test> & \"Co\" | back\\slash",
		Phone:       "+212600000000",
	}
}

func (e *env) post(target string, f url.Values) (int, string) {
	e.t.Helper()
	resp, err := e.gateway.Client().PostForm(target, f)
	if err != nil {
		e.t.Fatalf("POST %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

var (
	formRE   = regexp.MustCompile(`<form method="post" action="([^"]*)"`)
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
)

// parseForm extracts the action and hidden fields of the page's form, as a
// browser would submit them.
func parseForm(t *testing.T, page string) (string, url.Values) {
	t.Helper()
	m := formRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form in page:\n%s", page)
	}
	fields := url.Values{}
	for _, in := range hiddenRE.FindAllStringSubmatch(page, -1) {
		fields.Add(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
	}
	return html.UnescapeString(m[1]), fields
}

func TestSimulatorApprovedThroughCardPage(t *testing.T) {
	e := newEnv(t)
	p := e.payment("SOUK-1001", 1060)
	request := e.cfg.Form(p, cmi.RandomNonce())

	status, page := e.post(e.cfg.GatewayURL, request)
	if status != http.StatusOK {
		t.Fatalf("est3Dgate: %d %s", status, page)
	}
	for _, want := range []string{"Pay 10.60 MAD", "SOUK-1001", "4000000000000010", "5453010000066100",
		"5191630100004896", "4000000000000002", `<label for="pan">`, `autocomplete="cc-number"`} {
		if !strings.Contains(page, want) {
			t.Errorf("card page lacks %q", want)
		}
	}
	if strings.Contains(page, key) {
		t.Error("card page leaks the store key")
	}
	action, hidden := parseForm(t, page)
	if len(hidden) != len(request) {
		t.Errorf("hidden fields %v, want the request %v", hidden, request)
	}
	for name := range request {
		if hidden.Get(name) != request.Get(name) {
			t.Errorf("hidden %s = %q, want %q", name, hidden.Get(name), request.Get(name))
		}
	}
	payURL, err := url.Parse(e.cfg.GatewayURL)
	if err != nil {
		t.Fatal(err)
	}
	payURL, err = payURL.Parse(action) // resolve the relative action as a browser does
	if err != nil {
		t.Fatal(err)
	}
	if payURL.Path != "/cmi/fim/pay" {
		t.Fatalf("card form posts to %s, want /cmi/fim/pay under the mount", payURL.Path)
	}

	hidden.Set("pan", "4000 0000 0000 0010")
	hidden.Set("cardExpiry", "12/30")
	hidden.Set("cardCvc", "000")
	status, page = e.post(payURL.String(), hidden)
	if status != http.StatusOK {
		t.Fatalf("pay: %d %s", status, page)
	}

	callbacks, posts, answers := e.merchant.snapshot()
	if len(callbacks) != 1 {
		t.Fatalf("got %d callbacks, want 1 (answers %v)", len(callbacks), answers)
	}
	cb := callbacks[0]
	if !cb.Approved || cb.ProcReturnCode != "00" || cb.Response != "Approved" || cb.OrderID != "SOUK-1001" ||
		cb.Amount != 1060 || cb.AuthCode == "" || cb.TransID == "" || cb.ErrMsg != "" {
		t.Errorf("callback %+v", cb)
	}
	if answers[0] != cmi.AnswerCapture {
		t.Errorf("merchant answered %q, want %q", answers[0], cmi.AnswerCapture)
	}
	checkCallbackFields(t, posts[0], request)
	if got := posts[0].Get("mdStatus"); got != "1" {
		t.Errorf("mdStatus = %q", got)
	}
	if !strings.Contains(e.logs.String(), `answer="ACTION=POSTAUTH"`) {
		t.Errorf("simulator did not log the answer:\n%s", e.logs)
	}

	target, back := parseForm(t, page)
	if target != p.OkURL {
		t.Errorf("return form targets %q, want okUrl %q", target, p.OkURL)
	}
	if !cmi.Verify(back, key) {
		t.Error("return fields do not verify")
	}
	if back.Get("HASH") != posts[0].Get("HASH") || back.Get("TransId") != posts[0].Get("TransId") {
		t.Error("browser return and callback carry different results")
	}
	if !strings.Contains(page, `onload="document.forms[0].submit()"`) || !strings.Contains(page, `<button type="submit">`) {
		t.Error("return page neither auto-submits nor offers a button")
	}
}

// checkCallbackFields checks the callback carries the request's fields
// unchanged, minus its HASH, plus the result, signed, and no card data.
func checkCallbackFields(t *testing.T, got, request url.Values) {
	t.Helper()
	for name := range request {
		if name == "HASH" {
			continue
		}
		if got.Get(name) != request.Get(name) {
			t.Errorf("callback %s = %q, want %q", name, got.Get(name), request.Get(name))
		}
	}
	for _, name := range []string{"ProcReturnCode", "Response", "mdStatus", "AuthCode", "TransId", "ErrMsg", "HASH"} {
		if _, ok := got[name]; !ok {
			t.Errorf("callback lacks %s", name)
		}
	}
	for _, name := range []string{"pan", "cardExpiry", "cardCvc"} {
		if _, ok := got[name]; ok {
			t.Errorf("callback leaks card field %s", name)
		}
	}
	if len(got) != len(request)+6 {
		t.Errorf("callback has %d fields, want %d", len(got), len(request)+6)
	}
	if got.Get("HASH") == request.Get("HASH") || !cmi.Verify(got, key) {
		t.Error("callback HASH is not a fresh valid signature")
	}
}

func TestSimulatorApprovedCardsShortcut(t *testing.T) {
	for _, pan := range []string{"4000000000000010", "5453010000066100", "5191630100004896"} {
		t.Run(pan, func(t *testing.T) {
			e := newEnv(t)
			p := e.payment("SOUK-"+pan, 123400)
			request := e.cfg.Form(p, cmi.RandomNonce())
			f := cloneValues(request)
			f.Set("pan", pan)
			status, page := e.post(e.cfg.GatewayURL, f)
			if status != http.StatusOK {
				t.Fatalf("%d %s", status, page)
			}
			callbacks, posts, answers := e.merchant.snapshot()
			if len(callbacks) != 1 || !callbacks[0].Approved || callbacks[0].Amount != 123400 {
				t.Fatalf("callbacks %+v", callbacks)
			}
			if answers[0] != cmi.AnswerCapture {
				t.Errorf("answer %q", answers[0])
			}
			checkCallbackFields(t, posts[0], request)
			if target, _ := parseForm(t, page); target != p.OkURL {
				t.Errorf("return form targets %q, want %q", target, p.OkURL)
			}
		})
	}
}

func TestSimulatorDeclined(t *testing.T) {
	for _, pan := range []string{"4000000000000002", "4111111111111111", "", "not a card"} {
		t.Run(pan, func(t *testing.T) {
			e := newEnv(t)
			p := e.payment("SOUK-2002", 1060)
			request := e.cfg.Form(p, cmi.RandomNonce())
			f := cloneValues(request)
			f.Set("pan", pan)
			status, page := e.post(e.cfg.GatewayURL, f)
			if status != http.StatusOK {
				t.Fatalf("%d %s", status, page)
			}
			callbacks, posts, answers := e.merchant.snapshot()
			if len(callbacks) != 1 {
				t.Fatalf("got %d callbacks, want 1", len(callbacks))
			}
			cb := callbacks[0]
			if cb.Approved || cb.ProcReturnCode != "05" || cb.Response != "Declined" || cb.ErrMsg == "" || cb.AuthCode != "" {
				t.Errorf("callback %+v", cb)
			}
			if answers[0] != cmi.AnswerAcknowledge {
				t.Errorf("merchant answered %q, want %q", answers[0], cmi.AnswerAcknowledge)
			}
			checkCallbackFields(t, posts[0], request)
			target, back := parseForm(t, page)
			if target != p.FailURL {
				t.Errorf("return form targets %q, want failUrl %q", target, p.FailURL)
			}
			if !cmi.Verify(back, key) || back.Get("ProcReturnCode") != "05" {
				t.Errorf("return fields %v", back)
			}
		})
	}
}

func TestSimulatorRejectsTamperedAmount(t *testing.T) {
	e := newEnv(t)
	f := e.cfg.Form(e.payment("SOUK-3003", 1060), cmi.RandomNonce())
	f.Set("amount", "1.00")
	status, body := e.post(e.cfg.GatewayURL, f)
	if status != http.StatusBadRequest || !strings.Contains(body, "HASH") {
		t.Fatalf("got %d %q, want 400 about the HASH", status, body)
	}
	f.Set("pan", "4000000000000010") // the shortcut must not bypass the check
	if status, _ := e.post(e.cfg.GatewayURL, f); status != http.StatusBadRequest {
		t.Fatalf("shortcut: got %d, want 400", status)
	}
	if callbacks, posts, _ := e.merchant.snapshot(); len(callbacks)+len(posts) != 0 {
		t.Fatalf("callback sent for a tampered request: %v", posts)
	}
}

func TestSimulatorRejectsTamperedCardPageFields(t *testing.T) {
	e := newEnv(t)
	request := e.cfg.Form(e.payment("SOUK-3004", 1060), cmi.RandomNonce())
	status, page := e.post(e.cfg.GatewayURL, request)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, page)
	}
	_, hidden := parseForm(t, page)
	hidden.Set("amount", "0.01")
	hidden.Set("pan", "4000000000000010")
	status, body := e.post(e.gateway.URL+"/cmi/fim/pay", hidden)
	if status != http.StatusBadRequest {
		t.Fatalf("got %d %q, want 400", status, body)
	}
	if _, posts, _ := e.merchant.snapshot(); len(posts) != 0 {
		t.Fatal("callback sent for tampered card page fields")
	}
}

func TestSimulatorRejectsWrongClientID(t *testing.T) {
	e := newEnv(t)
	other := e.cfg
	other.ClientID = "999999999"
	f := other.Form(e.payment("SOUK-4004", 1060), cmi.RandomNonce())
	status, body := e.post(e.cfg.GatewayURL, f)
	if status != http.StatusBadRequest || !strings.Contains(body, "clientid") {
		t.Fatalf("got %d %q, want 400 about clientid", status, body)
	}
	if _, posts, _ := e.merchant.snapshot(); len(posts) != 0 {
		t.Fatal("callback sent for an unknown merchant")
	}
}

func TestSimulatorRejectsSignedButInvalidRequests(t *testing.T) {
	e := newEnv(t)
	cases := map[string]func(*cmi.Payment){
		"javascript okUrl":  func(p *cmi.Payment) { p.OkURL = "javascript:alert(1)" },
		"relative failUrl":  func(p *cmi.Payment) { p.FailURL = "/cmi/fail" },
		"ftp callback":      func(p *cmi.Payment) { p.CallbackURL = "ftp://example.ma/cb" },
		"missing oid":       func(p *cmi.Payment) { p.OrderID = "" },
		"zero amount":       func(p *cmi.Payment) { p.Amount = 0 },
		"negative amount":   func(p *cmi.Payment) { p.Amount = -100 },
		"missing callback":  func(p *cmi.Payment) { p.CallbackURL = "" },
		"garbage URL bytes": func(p *cmi.Payment) { p.OkURL = "http://\x7f%zz" },
	}
	for name, mod := range cases {
		p := e.payment("SOUK-5005", 1060)
		mod(&p)
		f := e.cfg.Form(p, "n")
		f.Set("pan", "4000000000000010")
		if status, body := e.post(e.cfg.GatewayURL, f); status != http.StatusBadRequest {
			t.Errorf("%s: got %d %q, want 400", name, status, body)
		}
	}
	f := e.cfg.Form(e.payment("SOUK-5006", 1060), "n")
	f.Set("currency", "978")
	f.Set("HASH", cmi.Hash(f, key))
	if status, body := e.post(e.cfg.GatewayURL, f); status != http.StatusBadRequest || !strings.Contains(body, "currency") {
		t.Errorf("EUR: got %d %q, want 400", status, body)
	}
	if _, posts, _ := e.merchant.snapshot(); len(posts) != 0 {
		t.Fatal("callback sent for an invalid request")
	}
}

// Garbage must get a 4xx, never a panic or a callback.
func TestSimulatorGarbage(t *testing.T) {
	e := newEnv(t)
	client := e.gateway.Client()
	do := func(method, path, contentType, body string) int {
		t.Helper()
		req, err := http.NewRequest(method, e.gateway.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	const form = "application/x-www-form-urlencoded"
	cases := []struct {
		method, path, contentType, body string
		want                            int
	}{
		{"GET", "/cmi/fim/est3Dgate", "", "", http.StatusMethodNotAllowed},
		{"PUT", "/cmi/fim/pay", form, "a=b", http.StatusMethodNotAllowed},
		{"POST", "/cmi/fim/other", form, "", http.StatusNotFound},
		{"POST", "/cmi/", form, "", http.StatusNotFound},
		{"POST", "/cmi/fim/est3Dgate", form, "", http.StatusBadRequest},
		{"POST", "/cmi/fim/est3Dgate", form, "%zz=%", http.StatusBadRequest},
		{"POST", "/cmi/fim/est3Dgate", form, "clientid=600002599", http.StatusBadRequest},
		{"POST", "/cmi/fim/est3Dgate", form, "clientid=600002599&HASH=x&pan=4000000000000010", http.StatusBadRequest},
		{"POST", "/cmi/fim/pay", form, "clientid=600002599&HASH=&amount=1", http.StatusBadRequest},
		{"POST", "/cmi/fim/pay", "application/json", `{"clientid":"600002599"}`, http.StatusBadRequest},
		{"POST", "/cmi/fim/pay", "multipart/form-data; boundary=x", "--x--", http.StatusBadRequest},
		{"POST", "/cmi/fim/est3Dgate", form, "a=" + strings.Repeat("x", 100<<10), http.StatusBadRequest},
	}
	for _, c := range cases {
		if got := do(c.method, c.path, c.contentType, c.body); got != c.want {
			t.Errorf("%s %s %.40q: got %d, want %d", c.method, c.path, c.body, got, c.want)
		}
	}
	if _, posts, _ := e.merchant.snapshot(); len(posts) != 0 {
		t.Fatal("callback sent for garbage")
	}
}

func TestSimulatorNotConfigured(t *testing.T) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/fim/est3Dgate", strings.NewReader("clientid="))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	cmi.Simulator{}.ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("got %d, want 500", rec.Code)
	}
}

// The merchant's FAILURE (here: the amount does not match the order) is
// surfaced in the simulator's log, and the customer is still sent back.
func TestSimulatorLogsMerchantFailure(t *testing.T) {
	e := newEnv(t)
	p := e.payment("SOUK-6006", 5000)
	p.Amount = 4999 // the shop's form disagrees with its own order
	f := e.cfg.Form(p, "n")
	f.Set("pan", "4000000000000010")
	if status, body := e.post(e.cfg.GatewayURL, f); status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	if _, _, answers := e.merchant.snapshot(); len(answers) != 1 || answers[0] != cmi.AnswerFailure {
		t.Fatalf("answers %v", answers)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "answer=FAILURE") {
		t.Fatalf("logs:\n%s", logs)
	}
}

func TestSimulatorUnreachableCallback(t *testing.T) {
	e := newEnv(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	p := e.payment("SOUK-7007", 1060)
	p.CallbackURL = deadURL + "/cb"
	f := e.cfg.Form(p, "n")
	f.Set("pan", "4000000000000010")
	status, page := e.post(e.cfg.GatewayURL, f)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, page)
	}
	if target, _ := parseForm(t, page); target != p.OkURL {
		t.Errorf("return form targets %q", target)
	}
	if !strings.Contains(e.logs.String(), "callback failed") {
		t.Errorf("logs:\n%s", e.logs)
	}
}

func TestSimulatorConcurrentPayments(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	for i := range 20 {
		pan := "4000000000000010"
		if i%2 == 1 {
			pan = "4000000000000002"
		}
		f := e.cfg.Form(e.payment(fmt.Sprintf("SOUK-C%d", i), int64(100+i)), cmi.RandomNonce())
		f.Set("pan", pan)
		wg.Go(func() {
			resp, err := e.gateway.Client().PostForm(e.cfg.GatewayURL, f)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	callbacks, _, answers := e.merchant.snapshot()
	if len(callbacks) != 20 {
		t.Fatalf("got %d callbacks", len(callbacks))
	}
	for i, a := range answers {
		if a == cmi.AnswerFailure {
			t.Errorf("callback %d (%+v) answered FAILURE", i, callbacks[i])
		}
	}
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}
