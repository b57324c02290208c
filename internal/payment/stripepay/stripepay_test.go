package stripepay_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"souk/internal/payment/stripepay"
)

// stripe-mock accepts any key that looks like a test-mode secret key.
const testKey = "sk_test_souk"

// recordedRequest is what souk sent, captured between the client and
// stripe-mock. stripe-mock ignores Idempotency-Key and does not echo
// metadata, so this is the only way to check that they are sent.
type recordedRequest struct {
	Method, Path   string
	IdempotencyKey string
	Form           url.Values
}

// recordingProxy forwards to stripe-mock and remembers every request.
type recordingProxy struct {
	mu   sync.Mutex
	reqs []recordedRequest
}

func (p *recordingProxy) last(t *testing.T) recordedRequest {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.reqs) == 0 {
		t.Fatal("no request reached stripe-mock")
	}
	return p.reqs[len(p.reqs)-1]
}

func (p *recordingProxy) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.reqs)
}

func startRecordingProxy(t *testing.T, mockURL string) (*recordingProxy, string) {
	t.Helper()
	target, err := url.Parse(mockURL)
	if err != nil {
		t.Fatalf("parse mock URL: %v", err)
	}
	rp := &recordingProxy{}
	forward := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		form, _ := url.ParseQuery(string(body))
		rp.mu.Lock()
		rp.reqs = append(rp.reqs, recordedRequest{
			Method:         r.Method,
			Path:           r.URL.Path,
			IdempotencyKey: r.Header.Get("Idempotency-Key"),
			Form:           form,
		})
		rp.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return rp, srv.URL
}

// What stripe-mock honours: it validates parameters against Stripe's OpenAPI
// spec and echoes request parameters whose name matches a response field
// (amount, currency, automatic_payment_methods, payment_intent on refunds)
// and the id in a GET path. What it fakes: it is stateless, so ids are random
// per request (even with the same Idempotency-Key), metadata comes back
// empty, client_secret is a fixed fixture unrelated to the id, status is
// always the fixture's "requires_payment_method", and a GET returns the
// fixture's amount (1099) and currency ("usd"), not what was created.
func TestIntentLifecycleAgainstStripeMock(t *testing.T) {
	mockURL := stripepay.StartMock(t)
	rec, proxyURL := startRecordingProxy(t, mockURL)
	c := stripepay.New(stripepay.Config{SecretKey: testKey, BaseURL: proxyURL})
	ctx := context.Background()

	const order = "SOUK-2026-000042"
	in, err := c.CreateIntent(ctx, 45000, "EUR", order, "checkout-"+order)
	if err != nil {
		t.Fatalf("CreateIntent: %v", err)
	}
	if !strings.HasPrefix(in.ID, "pi_") {
		t.Errorf("intent id = %q, want pi_ prefix", in.ID)
	}
	if in.ClientSecret == "" {
		t.Error("client secret is empty")
	}
	if in.Amount != 45000 || in.Currency != "eur" {
		t.Errorf("intent amount/currency = %d %q, want 45000 \"eur\"", in.Amount, in.Currency)
	}
	if in.Status == "" {
		t.Error("status is empty")
	}

	req := rec.last(t)
	if req.Method != http.MethodPost || req.Path != "/v1/payment_intents" {
		t.Errorf("request = %s %s, want POST /v1/payment_intents", req.Method, req.Path)
	}
	if req.IdempotencyKey != "checkout-"+order {
		t.Errorf("Idempotency-Key = %q, want %q", req.IdempotencyKey, "checkout-"+order)
	}
	for field, want := range map[string]string{
		"amount":                             "45000",
		"currency":                           "eur",
		"metadata[order]":                    order,
		"automatic_payment_methods[enabled]": "true",
	} {
		if got := req.Form.Get(field); got != want {
			t.Errorf("form %s = %q, want %q", field, got, want)
		}
	}

	got, err := c.GetIntent(ctx, in.ID)
	if err != nil {
		t.Fatalf("GetIntent: %v", err)
	}
	if got.ID != in.ID || got.Status == "" {
		t.Errorf("GetIntent = %+v, want id %q and a status", got, in.ID)
	}

	partial, err := c.Refund(ctx, in.ID, 15000, "refund-"+order+"-1")
	if err != nil {
		t.Fatalf("partial Refund: %v", err)
	}
	if !strings.HasPrefix(partial, "re_") {
		t.Errorf("refund id = %q, want re_ prefix", partial)
	}
	req = rec.last(t)
	if req.Path != "/v1/refunds" || req.Form.Get("payment_intent") != in.ID ||
		req.Form.Get("amount") != "15000" || req.IdempotencyKey != "refund-"+order+"-1" {
		t.Errorf("partial refund request = %+v", req)
	}

	if _, err := c.Refund(ctx, in.ID, 0, "refund-"+order+"-full"); err != nil {
		t.Fatalf("full Refund: %v", err)
	}
	if req = rec.last(t); req.Form.Has("amount") {
		t.Errorf("full refund sent amount=%q; it must be omitted", req.Form.Get("amount"))
	}
}

func TestCreateIntentKeepsMAD(t *testing.T) {
	c := stripepay.New(stripepay.Config{SecretKey: testKey, BaseURL: stripepay.StartMock(t)})
	in, err := c.CreateIntent(context.Background(), 120050, "mad", "SOUK-2026-000043", "checkout-43")
	if err != nil {
		t.Fatalf("CreateIntent: %v", err)
	}
	if in.Amount != 120050 || in.Currency != "mad" {
		t.Errorf("intent = %d %q, want 120050 \"mad\"", in.Amount, in.Currency)
	}
}

func TestInvalidInputNeverReachesStripe(t *testing.T) {
	rec, proxyURL := startRecordingProxy(t, stripepay.StartMock(t))
	c := stripepay.New(stripepay.Config{SecretKey: testKey, BaseURL: proxyURL})
	ctx := context.Background()

	calls := map[string]func() error{
		"zero amount":     func() error { _, err := c.CreateIntent(ctx, 0, "eur", "o", "k"); return err },
		"negative amount": func() error { _, err := c.CreateIntent(ctx, -5, "eur", "o", "k"); return err },
		"long currency":   func() error { _, err := c.CreateIntent(ctx, 100, "euro", "o", "k"); return err },
		"digit currency":  func() error { _, err := c.CreateIntent(ctx, 100, "eu1", "o", "k"); return err },
		"no order":        func() error { _, err := c.CreateIntent(ctx, 100, "eur", " ", "k"); return err },
		"no create key":   func() error { _, err := c.CreateIntent(ctx, 100, "eur", "o", ""); return err },
		"no intent id":    func() error { _, err := c.GetIntent(ctx, ""); return err },
		"refund no id":    func() error { _, err := c.Refund(ctx, "", 100, "k"); return err },
		"refund negative": func() error { _, err := c.Refund(ctx, "pi_1", -1, "k"); return err },
		"refund no key":   func() error { _, err := c.Refund(ctx, "pi_1", 100, ""); return err },
		"nil client":      func() error { _, err := (*stripepay.Client)(nil).GetIntent(ctx, "pi_1"); return err },
		"zero client":     func() error { _, err := (&stripepay.Client{}).Refund(ctx, "pi_1", 1, "k"); return err },
		"no secret key": func() error {
			_, err := stripepay.New(stripepay.Config{BaseURL: proxyURL}).GetIntent(ctx, "pi_1")
			return err
		},
		"nil client hook":  func() error { _, err := (*stripepay.Client)(nil).ParseWebhook(nil, "", time.Now()); return err },
		"zero client hook": func() error { _, err := (&stripepay.Client{}).ParseWebhook(nil, "", time.Now()); return err },
	}
	for name, call := range calls {
		if err := call(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := rec.count(); n != 0 {
		t.Errorf("%d invalid calls reached stripe-mock", n)
	}
}

func TestStripeErrorsAreWrapped(t *testing.T) {
	// stripe-mock rejects keys that do not look like test secret keys.
	c := stripepay.New(stripepay.Config{SecretKey: "not-a-key", BaseURL: stripepay.StartMock(t)})
	_, err := c.GetIntent(context.Background(), "pi_123")
	var se *stripe.Error
	if !errors.As(err, &se) {
		t.Fatalf("GetIntent error = %v, want a wrapped *stripe.Error", err)
	}
	if !strings.Contains(err.Error(), "pi_123") {
		t.Errorf("error %q does not say which intent", err)
	}
}

func TestClientsDoNotShareState(t *testing.T) {
	a := stripepay.New(stripepay.Config{SecretKey: testKey, BaseURL: stripepay.StartMock(t)})
	b := stripepay.New(stripepay.Config{SecretKey: "not-a-key", BaseURL: stripepay.StartMock(t)})
	if _, err := a.GetIntent(context.Background(), "pi_a"); err != nil {
		t.Errorf("client a: %v", err)
	}
	if _, err := b.GetIntent(context.Background(), "pi_b"); err == nil {
		t.Error("client b used client a's key")
	}
	if stripe.Key != "" {
		t.Errorf("global stripe.Key was set to %q", stripe.Key)
	}
}

// succeededEvent is a trimmed copy of a real payment_intent.succeeded event.
// Its api_version is deliberately older than stripe-go's, as it would be for
// an endpoint created before an SDK upgrade.
const succeededEvent = `{
  "id": "evt_3PgafyB7WZ01zgkW0x9QWm2a",
  "object": "event",
  "api_version": "2024-06-20",
  "created": 1764585000,
  "data": {
    "object": {
      "id": "pi_3PgafyB7WZ01zgkW0qLw8cZs",
      "object": "payment_intent",
      "amount": 45000,
      "amount_capturable": 0,
      "amount_received": 45000,
      "automatic_payment_methods": {"allow_redirects": "always", "enabled": true},
      "capture_method": "automatic_async",
      "client_secret": "pi_3PgafyB7WZ01zgkW0qLw8cZs_secret_Xy1",
      "confirmation_method": "automatic",
      "created": 1764584950,
      "currency": "eur",
      "customer": null,
      "description": null,
      "latest_charge": "ch_3PgafyB7WZ01zgkW0ZqXn1Tt",
      "livemode": false,
      "metadata": {"order": "SOUK-2026-000042"},
      "payment_method": "pm_1PgagBB7WZ01zgkWcC1pQy7e",
      "payment_method_types": ["card"],
      "status": "succeeded"
    }
  },
  "livemode": false,
  "pending_webhooks": 1,
  "request": {"id": "req_Qs1xYp9bXk2Lm3", "idempotency_key": "checkout-SOUK-2026-000042"},
  "type": "payment_intent.succeeded"
}`

const chargeRefundedEvent = `{
  "id": "evt_3PgbKzB7WZ01zgkW1m4Rr8Tn",
  "object": "event",
  "api_version": "2025-08-27.basil",
  "created": 1764586000,
  "data": {"object": {"id": "ch_3PgafyB7WZ01zgkW0ZqXn1Tt", "object": "charge", "amount": 45000, "amount_refunded": 15000, "currency": "eur"}},
  "livemode": false,
  "pending_webhooks": 1,
  "request": {"id": null, "idempotency_key": null},
  "type": "charge.refunded"
}`

const whsec = "whsec_souk_test_secret"

var webhookNow = time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)

func webhookClient() *stripepay.Client {
	return stripepay.New(stripepay.Config{SecretKey: testKey, WebhookSecret: whsec})
}

func TestParseWebhookPaymentIntentSucceeded(t *testing.T) {
	payload := []byte(succeededEvent)
	ev, err := webhookClient().ParseWebhook(payload, stripepay.SignPayload(payload, whsec, webhookNow), webhookNow)
	if err != nil {
		t.Fatalf("ParseWebhook: %v", err)
	}
	want := stripepay.Event{
		ID:           "evt_3PgafyB7WZ01zgkW0x9QWm2a",
		Type:         "payment_intent.succeeded",
		IntentID:     "pi_3PgafyB7WZ01zgkW0qLw8cZs",
		IntentStatus: "succeeded",
		Amount:       45000,
		Currency:     "eur",
		Order:        "SOUK-2026-000042",
	}
	if ev != want {
		t.Errorf("event =\n%+v\nwant\n%+v", ev, want)
	}
}

func TestParseWebhookOtherEventTypes(t *testing.T) {
	payload := []byte(chargeRefundedEvent)
	ev, err := webhookClient().ParseWebhook(payload, stripepay.SignPayload(payload, whsec, webhookNow), webhookNow)
	if err != nil {
		t.Fatalf("ParseWebhook: %v", err)
	}
	want := stripepay.Event{ID: "evt_3PgbKzB7WZ01zgkW1m4Rr8Tn", Type: "charge.refunded"}
	if ev != want {
		t.Errorf("event = %+v, want %+v", ev, want)
	}
}

func TestParseWebhookRejectsBadSignatures(t *testing.T) {
	payload := []byte(succeededEvent)
	valid := stripepay.SignPayload(payload, whsec, webhookNow)
	tampered := bytes.Replace(payload, []byte(`"amount": 45000`), []byte(`"amount": 45001`), 1)
	if bytes.Equal(tampered, payload) {
		t.Fatal("fixture did not change")
	}
	sig := valid[strings.Index(valid, "v1="):]

	cases := []struct {
		name    string
		payload []byte
		header  string
	}{
		{"wrong secret", payload, stripepay.SignPayload(payload, "whsec_other", webhookNow)},
		{"changed byte", tampered, valid},
		{"missing header", payload, ""},
		{"ten minutes old", payload, stripepay.SignPayload(payload, whsec, webhookNow.Add(-10*time.Minute))},
		{"ten minutes ahead", payload, stripepay.SignPayload(payload, whsec, webhookNow.Add(10*time.Minute))},
		{"no timestamp", payload, sig},
		{"two timestamps", payload, fmt.Sprintf("t=%d,%s,t=%d", webhookNow.Unix(), sig, webhookNow.Unix())},
		{"garbage", payload, "t=now,v1=zz"},
		{"v0 only", payload, strings.Replace(valid, "v1=", "v0=", 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := webhookClient().ParseWebhook(tc.payload, tc.header, webhookNow)
			if !errors.Is(err, stripepay.ErrBadSignature) {
				t.Errorf("err = %v, want ErrBadSignature", err)
			}
		})
	}
}

func TestParseWebhookToleranceEdge(t *testing.T) {
	payload := []byte(succeededEvent)
	header := stripepay.SignPayload(payload, whsec, webhookNow.Add(-4*time.Minute-59*time.Second))
	if _, err := webhookClient().ParseWebhook(payload, header, webhookNow); err != nil {
		t.Errorf("signature 4m59s old rejected: %v", err)
	}
}

func TestParseWebhookSignedButUndecodable(t *testing.T) {
	cases := map[string]string{
		"not json":             `{"id": "evt_1", "type": "payment_intent.succeeded", `,
		"object not an intent": `{"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": "ch_1", "object": "charge"}}}`,
		"wrong field type":     `{"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1", "amount": "lots"}}}`,
	}
	for name, body := range cases {
		payload := []byte(body)
		_, err := webhookClient().ParseWebhook(payload, stripepay.SignPayload(payload, whsec, webhookNow), webhookNow)
		if err == nil || errors.Is(err, stripepay.ErrBadSignature) {
			t.Errorf("%s: err = %v, want a decode error that is not ErrBadSignature", name, err)
		}
	}
}

func TestParseWebhookWithoutSecretIsNotBadSignature(t *testing.T) {
	payload := []byte(succeededEvent)
	c := stripepay.New(stripepay.Config{SecretKey: testKey})
	_, err := c.ParseWebhook(payload, stripepay.SignPayload(payload, "", webhookNow), webhookNow)
	if err == nil || errors.Is(err, stripepay.ErrBadSignature) {
		t.Errorf("err = %v, want a configuration error", err)
	}
}

func TestSignPayloadFormat(t *testing.T) {
	payload := []byte(`{"id":"evt_1"}`)
	mac := hmac.New(sha256.New, []byte(whsec))
	fmt.Fprintf(mac, "%d.%s", webhookNow.Unix(), payload)
	want := fmt.Sprintf("t=%d,v1=%s", webhookNow.Unix(), hex.EncodeToString(mac.Sum(nil)))
	if got := stripepay.SignPayload(payload, whsec, webhookNow); got != want {
		t.Errorf("SignPayload = %q, want %q", got, want)
	}
	// And stripe-go itself, on the wall clock, accepts a fresh one.
	if err := webhook.ValidatePayload(payload, stripepay.SignPayload(payload, whsec, time.Now()), whsec); err != nil {
		t.Errorf("stripe-go rejects SignPayload header: %v", err)
	}
}

// FuzzParseWebhook checks that no payload or header makes ParseWebhook panic
// and that nothing unsigned is ever accepted.
func FuzzParseWebhook(f *testing.F) {
	payload := []byte(succeededEvent)
	f.Add(payload, stripepay.SignPayload(payload, whsec, webhookNow))
	f.Add(payload, "t=1,v1=00")
	f.Add([]byte("{}"), "t=-9223372036854775808,v1=")
	f.Add([]byte(nil), ",,,=,t=,v1")
	c := webhookClient()
	f.Fuzz(func(t *testing.T, payload []byte, header string) {
		ev, err := c.ParseWebhook(payload, header, webhookNow)
		if err == nil && webhook.ValidatePayloadIgnoringTolerance(payload, header, whsec) != nil {
			t.Errorf("accepted %+v with a header stripe-go rejects: %q", ev, header)
		}
	})
}
