package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"souk/internal/app"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/payment/stripepay"
)

const webhookSecret = "whsec_souk_test"

// TestCardPaymentsOverHTTP pays by CMI (through the built-in simulator,
// which calls souk back server to server as CMI does) and by Stripe
// (stripe-mock for the API; the test delivers the webhook, signed as
// Stripe signs it, since stripe-mock sends none).
func TestCardPaymentsOverHTTP(t *testing.T) {
	mock := stripepay.StartMock(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnvWith(t, d, app.Config{StripeSecretKey: "sk_test_souk", StripeWebhookSecret: webhookSecret, StripeAPIURL: mock})
		ctx := context.Background()

		// CMI: the signed form, the card page, the callback.
		o := e.placeOrder("customer", e.newCart("customer", "a", 2), "cmi")
		if o.Status != "placed" || o.Payment.Status != "pending" || o.Payment.CMI == nil {
			t.Fatalf("CMI order: %+v", o)
		}
		form := url.Values{}
		for k, v := range o.Payment.CMI.Fields {
			form.Set(k, v)
		}
		if form.Get("oid") != o.Number || form.Get("HASH") == "" || form.Get("storekey") != "" {
			t.Fatalf("CMI form: %v", form)
		}
		declined := clone(form)
		declined.Set("pan", "4000000000000002")
		if code, _ := post(t, o.Payment.CMI.URL, declined); code != 200 {
			t.Fatalf("simulator: %d", code)
		}
		var got orderJSON
		e.call("GET", fmt.Sprintf("/api/v1/orders/%d", o.ID), "customer", nil).status(200).decode(&got)
		if got.Payment.Status != "failed" || got.Status != "placed" {
			t.Fatalf("after a declined card: payment %s, order %s", got.Payment.Status, got.Status)
		}
		// A forged callback is refused with FAILURE and changes nothing.
		forged := clone(form)
		forged.Set("ProcReturnCode", "00")
		if code, body := post(t, e.url+"/payments/cmi/callback", forged); code != 200 || body != "FAILURE" {
			t.Errorf("forged callback: %d %q", code, body)
		}
		// Paying again: a new attempt (new oid), accepted.
		e.call("GET", fmt.Sprintf("/api/v1/orders/%d", o.ID), "customer", nil).status(200).decode(&got)
		if got.Payment.CMI != nil {
			t.Fatalf("a failed attempt still offers its old form")
		}
		retry, err := e.app.Orders.Get(ctx, operator, o.Number)
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.app.Orders.CMIPayment(ctx, retry, "fr")
		if err != nil || again.Fields.Get("oid") == o.Number {
			t.Fatalf("new attempt: %v oid %s", err, again.Fields.Get("oid"))
		}
		again.Fields.Set("pan", "4000000000000010")
		if code, page := post(t, again.URL, again.Fields); code != 200 || !strings.Contains(page, "/payments/cmi/ok") {
			t.Fatalf("simulator: %d %.300s", code, page)
		}
		e.call("GET", fmt.Sprintf("/api/v1/orders/%d", o.ID), "customer", nil).status(200).decode(&got)
		if got.Payment.Status != "captured" || got.Status != "confirmed" {
			t.Fatalf("after an accepted card: payment %s, order %s", got.Payment.Status, got.Status)
		}

		// Stripe: the intent is made at checkout; the webhook captures.
		s := e.placeOrder("customer", e.newCart("customer", "b", 1), "stripe")
		if s.Payment.ClientSecret == "" || s.Payment.Status != "pending" {
			t.Fatalf("Stripe order: %+v", s.Payment)
		}
		var intent string
		if err := d.Read().QueryRowContext(ctx, `SELECT reference FROM payments WHERE order_id = ?`, s.ID).Scan(&intent); err != nil || !strings.HasPrefix(intent, "pi_") {
			t.Fatalf("intent %q: %v", intent, err)
		}
		event := fmt.Sprintf(`{"id":"evt_1","object":"event","api_version":"2025-03-31.basil","type":"payment_intent.succeeded",`+
			`"data":{"object":{"id":%q,"object":"payment_intent","amount":%d,"currency":"mad","status":"succeeded","metadata":{"order":%q}}}}`,
			intent, s.Total.Amount, s.Number)
		hook := func(payload, signature string) int {
			req, _ := http.NewRequest("POST", e.url+"/payments/stripe/webhook", strings.NewReader(payload))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Stripe-Signature", signature)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if code := hook(event, stripepay.SignPayload([]byte(event), "whsec_wrong", time.Now())); code != 422 && code != 400 {
			t.Errorf("badly signed webhook: %d", code)
		}
		e.call("GET", fmt.Sprintf("/api/v1/orders/%d", s.ID), "customer", nil).status(200).decode(&got)
		if got.Payment.Status != "pending" {
			t.Fatalf("a badly signed webhook changed the payment: %s", got.Payment.Status)
		}
		for range 2 { // delivered twice, applied once
			if code := hook(event, stripepay.SignPayload([]byte(event), webhookSecret, time.Now())); code != 200 {
				t.Fatalf("webhook: %d", code)
			}
		}
		e.call("GET", fmt.Sprintf("/api/v1/orders/%d", s.ID), "customer", nil).status(200).decode(&got)
		if got.Payment.Status != "captured" || got.Status != "confirmed" {
			t.Fatalf("after the webhook: payment %s, order %s", got.Payment.Status, got.Status)
		}
		if n := e.count("payment_events"); n != 3 { // CMI decline + acceptance, Stripe success once
			t.Errorf("%d payment events, want 3", n)
		}
	})
}

func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// post sends a form as a browser would, without following redirects.
func post(t *testing.T, target string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(target, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
