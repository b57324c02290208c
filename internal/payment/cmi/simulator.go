package cmi

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Simulator is a local stand-in for CMI's hosted payment page. It speaks the
// same protocol byte for byte (signed form in, signed server-to-server
// callback and signed browser return out), so souk's demo and tests can pay
// by card end to end without the real gateway.
//
// It serves two paths relative to where it is mounted, and works behind
// http.StripPrefix:
//
//	POST {mount}/fim/est3Dgate  the request form; renders the card page
//	POST {mount}/fim/pay        the card page's submission
//
// The card decides the outcome (see the test cards on the page); expiry and
// CVC are not checked. A request to est3Dgate that already carries a "pan"
// field skips the card page, for load tests and API clients. The simulator
// keeps no state, so it is safe for concurrent use.
type Simulator struct {
	ClientID string
	StoreKey string
	// Client posts the callback; nil means a client with a 10-second timeout.
	Client *http.Client
	// Log receives rejected requests and every callback with the merchant's
	// answer; nil discards.
	Log *slog.Logger
}

const (
	maxFormBytes    = 64 << 10
	maxAnswerBytes  = 4 << 10
	callbackTimeout = 10 * time.Second
)

var defaultCallbackClient = &http.Client{Timeout: callbackTimeout}

// Card fields added by the simulator's page (and "pan" for the shortcut).
// They are not CMI request fields: they are removed before the request hash
// is checked and never forwarded to the merchant.
const (
	fieldPAN    = "pan"
	fieldExpiry = "cardExpiry"
	fieldCVC    = "cardCvc"
)

// testCard is one of CMI's published test cards (spec §6).
type testCard struct {
	Number, Label string
	Approved      bool
}

var testCards = []testCard{
	{"4000000000000010", "Visa", true},
	{"5453010000066100", "MasterCard", true},
	{"5191630100004896", "MasterCard with 3-D Secure (code 123)", true},
	{"4000000000000002", "Visa", false},
}

// ServeHTTP routes on the path relative to the mount point.
func (s Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var interactive bool
	switch strings.TrimPrefix(r.URL.Path, "/") {
	case "fim/est3Dgate":
		interactive = true
	case "fim/pay":
		interactive = false
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed: POST the payment form", http.StatusMethodNotAllowed)
		return
	}
	if s.ClientID == "" || s.StoreKey == "" {
		http.Error(w, "simulator not configured: ClientID and StoreKey are required", http.StatusInternalServerError)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.reject(w, fmt.Errorf("malformed form: %w", err))
		return
	}
	fields := cloneFields(r.PostForm)

	pan, hasPAN := fields[fieldPAN]
	for _, name := range []string{fieldPAN, fieldExpiry, fieldCVC} {
		delete(fields, name)
	}
	req, err := s.checkRequest(fields)
	if err != nil {
		s.reject(w, err)
		return
	}
	if interactive && !hasPAN {
		s.renderCardPage(w, req)
		return
	}
	s.complete(w, r, req, first(pan))
}

// payRequest is a verified payment request.
type payRequest struct {
	fields                      url.Values // as posted, HASH included, card fields removed
	orderID                     string
	amount                      int64
	okURL, failURL, callbackURL string
	shopURL                     string // empty when missing or not http(s)
}

// checkRequest authenticates the request (client id, then HASH) before
// looking at anything else, then checks the fields the simulator needs, so a
// merchant's integration bug gets a precise reason.
func (s Simulator) checkRequest(f url.Values) (payRequest, error) {
	get := func(name string) string { return requestValue(lookup(f, name)) }
	if get("clientid") != s.ClientID {
		return payRequest{}, errors.New("unknown clientid")
	}
	if !verifyRequest(f, s.StoreKey) {
		return payRequest{}, errors.New("HASH missing or invalid")
	}
	if alg := get("hashAlgorithm"); alg != hashAlgorithm {
		return payRequest{}, fmt.Errorf("unsupported hashAlgorithm %q, want %q", truncate(alg, 32), hashAlgorithm)
	}
	if st := get("storetype"); !strings.EqualFold(st, storeType) {
		return payRequest{}, fmt.Errorf("unsupported storetype %q, want %q", truncate(st, 32), storeType)
	}
	if cur := get("currency"); cur != currencyMAD {
		return payRequest{}, fmt.Errorf("unsupported currency %q, want %q (MAD)", truncate(cur, 32), currencyMAD)
	}
	req := payRequest{fields: f, orderID: get("oid")}
	if req.orderID == "" {
		return payRequest{}, errors.New("missing oid")
	}
	amount, ok := ParseAmount(get("amount"))
	if !ok || amount <= 0 {
		return payRequest{}, fmt.Errorf("invalid amount %q", truncate(get("amount"), 32))
	}
	req.amount = amount
	for _, u := range []struct {
		name string
		dst  *string
	}{{"okUrl", &req.okURL}, {"failUrl", &req.failURL}, {"CallbackURL", &req.callbackURL}} {
		v := get(u.name)
		if !isHTTPURL(v) {
			return payRequest{}, fmt.Errorf("%s must be an absolute http(s) URL", u.name)
		}
		*u.dst = v
	}
	if v := get("shopurl"); isHTTPURL(v) {
		req.shopURL = v
	}
	return req, nil
}

func isHTTPURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (s Simulator) reject(w http.ResponseWriter, err error) {
	s.logger().Warn("cmi simulator: request rejected", "reason", err)
	http.Error(w, err.Error(), http.StatusBadRequest)
}

// outcome is the simulated authorisation result, in callback field values.
type outcome struct {
	approved                                            bool
	procReturnCode, response, authCode, transID, errMsg string
}

// authorise decides from the card number alone, like CMI's test platform:
// the published test cards are approved, everything else is declined with
// ISO 8583 code 05 ("do not honour").
func authorise(pan string) outcome {
	pan = strings.NewReplacer(" ", "", "-", "").Replace(pan)
	o := outcome{transID: rand.Text()[:15]}
	for _, c := range testCards {
		if c.Approved && c.Number == pan {
			o.approved = true
			o.procReturnCode, o.response, o.authCode = "00", "Approved", randomDigits(6)
			return o
		}
	}
	o.procReturnCode, o.response, o.errMsg = "05", "Declined", "Do not honour"
	return o
}

func randomDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails since Go 1.24
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

// complete authorises the card, notifies the merchant server to server, then
// sends the browser back with the same signed fields.
func (s Simulator) complete(w http.ResponseWriter, r *http.Request, req payRequest, pan string) {
	o := authorise(pan)
	fields := cloneFields(req.fields)
	result := []struct{ name, value string }{
		{"ProcReturnCode", o.procReturnCode},
		{"Response", o.response},
		{"mdStatus", "1"}, // 3-D Secure authentication is simulated as passed
		{"AuthCode", o.authCode},
		{"TransId", o.transID},
		{"ErrMsg", o.errMsg},
	}
	// Drop the request's HASH and any field the result overrides, whatever
	// its case, so the merchant sees one unambiguous value.
	for name := range fields {
		drop := strings.EqualFold(name, "HASH")
		for _, rf := range result {
			drop = drop || strings.EqualFold(name, rf.name)
		}
		if drop {
			delete(fields, name)
		}
	}
	for _, rf := range result {
		fields.Set(rf.name, rf.value)
	}
	fields.Set("HASH", CallbackHash(fields, s.StoreKey))

	s.sendCallback(r.Context(), req, fields)

	target := req.failURL
	if o.approved {
		target = req.okURL
	}
	s.render(w, redirectTemplate, redirectPage{
		Approved: o.approved,
		OrderID:  req.orderID,
		Target:   target,
		Fields:   hiddenFields(fields),
	})
}

// sendCallback posts the signed result to the merchant and logs its answer.
// A failure is only logged: like CMI, the simulator still returns the
// customer to the shop, whose okUrl must not rely on the callback anyway.
func (s Simulator) sendCallback(ctx context.Context, req payRequest, fields url.Values) {
	log := s.logger().With("oid", req.orderID, "ProcReturnCode", fields.Get("ProcReturnCode"), "url", req.callbackURL)
	// The callback belongs to the payment, not to the browser's request:
	// it must complete even if the customer closes the tab.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), callbackTimeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, req.callbackURL, strings.NewReader(fields.Encode()))
	if err != nil {
		log.Error("cmi simulator: building callback", "err", err)
		return
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := s.Client
	if client == nil {
		client = defaultCallbackClient
	}
	resp, err := client.Do(hr)
	if err != nil {
		log.Error("cmi simulator: callback failed", "err", err)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		log.Error("cmi simulator: reading callback answer", "status", resp.StatusCode, "err", err)
		return
	}
	answer := strings.TrimSpace(string(body))
	level := slog.LevelInfo
	switch {
	case resp.StatusCode != http.StatusOK:
		level = slog.LevelWarn
	case answer == AnswerCapture, answer == AnswerAcknowledge:
	default: // FAILURE or an unknown answer: CMI would leave it to manual handling
		level = slog.LevelWarn
	}
	log.Log(ctx, level, "cmi simulator: callback answered", "status", resp.StatusCode, "answer", truncate(answer, 200))
}

func (s Simulator) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

func cloneFields(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for name, vs := range v {
		c[name] = append([]string(nil), vs...)
	}
	return c
}

type hiddenField struct{ Name, Value string }

// hiddenFields lists fields in hash order, first value only: that is the
// value the hash covers, so the round trip through the browser keeps the
// signature valid.
func hiddenFields(f url.Values) []hiddenField {
	names := sortedNames(f)
	out := make([]hiddenField, 0, len(names))
	for _, name := range names {
		out = append(out, hiddenField{name, first(f[name])})
	}
	return out
}

type cardPage struct {
	OrderID, Amount, ShopURL string
	Fields                   []hiddenField
	Cards                    []testCard
}

type redirectPage struct {
	Approved bool
	OrderID  string
	Target   string
	Fields   []hiddenField
}

func (s Simulator) renderCardPage(w http.ResponseWriter, req payRequest) {
	s.render(w, cardTemplate, cardPage{
		OrderID: req.orderID,
		Amount:  FormatAmount(req.amount),
		ShopURL: req.shopURL,
		Fields:  hiddenFields(req.fields),
		Cards:   testCards,
	})
}

// render executes into a buffer first so a template error becomes a clean
// 500 instead of a half-written page.
func (s Simulator) render(w http.ResponseWriter, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		s.logger().Error("cmi simulator: rendering page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store") // pages carry signed payment data
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write(buf.Bytes())
}

const pageStyle = `<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f3f3f3;color:#1a1a1a}
main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}
h1{font-size:1.5rem;margin-top:0}
label{display:block;margin-top:1rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #6b6b6b;border-radius:4px}
.hint{font-size:.9rem;color:#454545;margin:.25rem 0 0}
button{margin-top:1.5rem;width:100%;padding:.75rem;font-size:1rem;font-weight:600;color:#fff;background:#00613a;border:0;border-radius:4px;cursor:pointer}
:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
</style>`

// The form action "pay" is relative, so it resolves to {mount}/fim/pay
// wherever the simulator is mounted.
var cardTemplate = template.Must(template.New("card").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pay {{.Amount}} MAD – CMI test gateway</title>
` + pageStyle + `
</head>
<body>
<main>
<h1>Card payment</h1>
<p>This is souk's CMI simulator: no real card is charged.</p>
<dl>
<dt>Order</dt><dd>{{.OrderID}}</dd>
<dt>Amount</dt><dd>{{.Amount}} MAD</dd>
</dl>
<form method="post" action="pay" autocomplete="off">
{{- range .Fields}}
<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{- end}}
<label for="pan">Card number</label>
<input id="pan" name="pan" type="text" inputmode="numeric" autocomplete="cc-number" required pattern="[0-9 ]{12,23}" aria-describedby="pan-hint">
<p id="pan-hint" class="hint">Use one of the test cards listed below.</p>
<label for="cardExpiry">Expiry date (MM/YY)</label>
<input id="cardExpiry" name="cardExpiry" type="text" inputmode="numeric" autocomplete="cc-exp" placeholder="MM/YY" required pattern="(0[1-9]|1[0-2])/[0-9]{2}" aria-describedby="expiry-hint">
<p id="expiry-hint" class="hint">Month and year, for example 12/30.</p>
<label for="cardCvc">Security code (CVC)</label>
<input id="cardCvc" name="cardCvc" type="text" inputmode="numeric" autocomplete="cc-csc" required pattern="[0-9]{3,4}" aria-describedby="cvc-hint">
<p id="cvc-hint" class="hint">3 or 4 digits on the back of the card.</p>
<button type="submit">Pay {{.Amount}} MAD</button>
</form>
{{- with .ShopURL}}
<p><a href="{{.}}">Cancel and return to the shop</a></p>
{{- end}}
<section aria-labelledby="test-cards">
<h2 id="test-cards">Test cards</h2>
<ul>
{{- range .Cards}}
<li><code>{{.Number}}</code> – {{.Label}}: {{if .Approved}}approved{{else}}declined{{end}}</li>
{{- end}}
</ul>
<p>Any future expiry date and CVC <code>000</code>. Any other card number is declined.</p>
</section>
</main>
</body>
</html>
`))

// The return page submits itself on load; the visible button covers
// browsers without JavaScript.
var redirectTemplate = template.Must(template.New("redirect").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Payment {{if .Approved}}approved{{else}}declined{{end}} – CMI test gateway</title>
` + pageStyle + `
</head>
<body onload="document.forms[0].submit()">
<main>
<h1>Payment {{if .Approved}}approved{{else}}declined{{end}}</h1>
<p role="status">Order {{.OrderID}}: returning you to the shop…</p>
<form method="post" action="{{.Target}}">
{{- range .Fields}}
<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{- end}}
<button type="submit">Return to the shop</button>
</form>
</main>
</body>
</html>
`))
