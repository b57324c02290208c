// Package stripepay takes international card payments for souk's export
// customers through Stripe PaymentIntents.
//
// It wraps the small part of stripe-go that souk needs (create, read and
// refund an intent; verify and decode webhooks) so the rest of souk deals in
// plain strings and integers and never sees Stripe's global state.
package stripepay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"
)

// webhookTolerance is how far a webhook's signed timestamp may be from now
// before it is treated as a replay. Five minutes is Stripe's own default.
const webhookTolerance = 5 * time.Minute

// ErrBadSignature means a webhook's Stripe-Signature header is missing,
// malformed, signed with another secret, does not match the payload, or is
// outside the tolerance window. Webhook handlers should answer 400 so the
// request is not trusted; any other ParseWebhook error is souk's problem
// (bad configuration or an undecodable event) and deserves a 5xx so Stripe
// retries.
var ErrBadSignature = errors.New("stripepay: bad webhook signature")

// Config configures a Client.
type Config struct {
	// SecretKey is the Stripe secret API key (sk_live_… or sk_test_…).
	SecretKey string
	// WebhookSecret is the endpoint's signing secret (whsec_…).
	WebhookSecret string
	// BaseURL is "" for Stripe's API, or stripe-mock's http URL in tests.
	BaseURL string
}

// Client talks to Stripe with its own key and backends, so several clients
// (for instance two test servers) can coexist in one process.
type Client struct {
	sc            *stripe.Client
	hasKey        bool
	webhookSecret string
}

// Intent is the part of a Stripe PaymentIntent souk stores and shows.
type Intent struct {
	ID           string
	ClientSecret string // handed to Stripe.js in the browser; never log it
	Status       string
	Amount       int64 // minor units
	Currency     string
}

// Event is a verified webhook event. For payment_intent.* events the intent
// fields are filled in; for other types only ID and Type are set.
type Event struct {
	ID           string
	Type         string
	IntentID     string
	IntentStatus string
	Amount       int64
	Currency     string
	Order        string // the intent's metadata "order", i.e. souk's order number
}

// New builds a Client. It never touches stripe.Key or stripe.SetBackend.
func New(cfg Config) *Client {
	// Every failure is returned to the caller wrapped, so stripe-go's own
	// stderr logging would only print each error twice.
	backendCfg := &stripe.BackendConfig{LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}}
	if cfg.BaseURL != "" {
		backendCfg.URL = stripe.String(cfg.BaseURL)
	}
	sc := stripe.NewClient(cfg.SecretKey,
		stripe.WithBackends(stripe.NewBackendsWithConfig(backendCfg)))
	return &Client{
		sc:            sc,
		hasKey:        cfg.SecretKey != "",
		webhookSecret: cfg.WebhookSecret,
	}
}

// ready reports a usable client, so a zero or nil Client fails with an error
// instead of a nil-pointer panic.
func (c *Client) ready() error {
	if c == nil || c.sc == nil {
		return errors.New("stripepay: client not initialised (use New)")
	}
	if !c.hasKey {
		return errors.New("stripepay: no Stripe secret key configured")
	}
	return nil
}

// CreateIntent creates a PaymentIntent for amount minor units of currency
// (an ISO code such as "mad", "eur" or "usd"; case is ignored) tagged with
// souk's order number. The idempotency key is sent as Stripe's
// Idempotency-Key, so a retried checkout gets back the same intent instead
// of creating a second one; it is required for that reason. Stripe rejects a
// reused key whose parameters differ, so derive it from the order and the
// amount being charged (e.g. "checkout-<order>-<amount><currency>").
func (c *Client) CreateIntent(ctx context.Context, amount int64, currency string, orderNumber string, idempotencyKey string) (Intent, error) {
	if err := c.ready(); err != nil {
		return Intent{}, err
	}
	if amount <= 0 {
		return Intent{}, fmt.Errorf("stripepay: create intent for order %q: amount must be positive, got %d", orderNumber, amount)
	}
	cur, err := normalizeCurrency(currency)
	if err != nil {
		return Intent{}, fmt.Errorf("stripepay: create intent for order %q: %w", orderNumber, err)
	}
	if strings.TrimSpace(orderNumber) == "" {
		return Intent{}, errors.New("stripepay: create intent: order number is required (webhooks are matched on it)")
	}
	if strings.TrimSpace(idempotencyKey) == "" {
		return Intent{}, fmt.Errorf("stripepay: create intent for order %q: idempotency key is required", orderNumber)
	}

	params := &stripe.PaymentIntentCreateParams{
		Amount:   stripe.Int64(amount),
		Currency: stripe.String(cur),
		AutomaticPaymentMethods: &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{
			Enabled: stripe.Bool(true),
		},
	}
	params.AddMetadata("order", orderNumber)
	params.SetIdempotencyKey(idempotencyKey)

	pi, err := c.sc.V1PaymentIntents.Create(ctx, params)
	if err != nil {
		return Intent{}, fmt.Errorf("stripepay: create intent for order %q: %w", orderNumber, err)
	}
	return intentFrom(pi), nil
}

// GetIntent fetches a PaymentIntent, e.g. to confirm its status when the
// customer returns from checkout before the webhook has arrived.
func (c *Client) GetIntent(ctx context.Context, id string) (Intent, error) {
	if err := c.ready(); err != nil {
		return Intent{}, err
	}
	if strings.TrimSpace(id) == "" {
		return Intent{}, errors.New("stripepay: get intent: id is required")
	}
	pi, err := c.sc.V1PaymentIntents.Retrieve(ctx, id, nil)
	if err != nil {
		return Intent{}, fmt.Errorf("stripepay: get intent %q: %w", id, err)
	}
	return intentFrom(pi), nil
}

// Refund refunds amount minor units of a PaymentIntent's charge; amount 0
// refunds whatever is left. The idempotency key is required so that a
// retried refund cannot pay the customer back twice.
func (c *Client) Refund(ctx context.Context, intentID string, amount int64, idempotencyKey string) (refundID string, err error) {
	if err := c.ready(); err != nil {
		return "", err
	}
	if strings.TrimSpace(intentID) == "" {
		return "", errors.New("stripepay: refund: intent id is required")
	}
	if amount < 0 {
		return "", fmt.Errorf("stripepay: refund %q: amount must be 0 (full) or positive, got %d", intentID, amount)
	}
	if strings.TrimSpace(idempotencyKey) == "" {
		return "", fmt.Errorf("stripepay: refund %q: idempotency key is required", intentID)
	}

	params := &stripe.RefundCreateParams{PaymentIntent: stripe.String(intentID)}
	if amount > 0 {
		params.Amount = stripe.Int64(amount)
	}
	params.SetIdempotencyKey(idempotencyKey)

	r, err := c.sc.V1Refunds.Create(ctx, params)
	if err != nil {
		return "", fmt.Errorf("stripepay: refund %q: %w", intentID, err)
	}
	if r.ID == "" {
		return "", fmt.Errorf("stripepay: refund %q: Stripe returned no refund id", intentID)
	}
	return r.ID, nil
}

// ParseWebhook verifies payload against its Stripe-Signature header and
// decodes it. The timestamp is checked against now (not the wall clock) so
// handlers and tests share one clock; a zero now means time.Now(). Signatures
// more than five minutes old, or more than five minutes in the future, are
// rejected as replays. Events written for another API version are accepted:
// only the stable intent fields below are read.
func (c *Client) ParseWebhook(payload []byte, signatureHeader string, now time.Time) (Event, error) {
	if c == nil || c.webhookSecret == "" {
		// Not ErrBadSignature: the sender is not at fault, and a 5xx makes
		// Stripe retry once the secret is configured.
		return Event{}, errors.New("stripepay: parse webhook: no webhook secret configured")
	}
	if now.IsZero() {
		now = time.Now()
	}

	// stripe-go checks tolerance against time.Now, so it only verifies the
	// HMAC here and the window is checked below against now.
	se, err := webhook.ConstructEventWithOptions(payload, signatureHeader, c.webhookSecret,
		webhook.ConstructEventOptions{IgnoreTolerance: true, IgnoreAPIVersionMismatch: true})
	if err != nil {
		if isSignatureError(err) {
			return Event{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
		return Event{}, fmt.Errorf("stripepay: parse webhook: %w", err)
	}
	signedAt, err := signatureTime(signatureHeader)
	if err != nil {
		return Event{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if skew := now.Sub(signedAt).Abs(); skew > webhookTolerance {
		return Event{}, fmt.Errorf("%w: signed at %s, %s away from now (tolerance %s)",
			ErrBadSignature, signedAt.UTC().Format(time.RFC3339), skew, webhookTolerance)
	}

	ev := Event{ID: se.ID, Type: string(se.Type)}
	if !strings.HasPrefix(ev.Type, "payment_intent.") {
		return ev, nil
	}
	if se.Data == nil || len(se.Data.Raw) == 0 {
		return Event{}, fmt.Errorf("stripepay: parse webhook %s (%s): no data.object", ev.ID, ev.Type)
	}
	var pi stripe.PaymentIntent
	if err := json.Unmarshal(se.Data.Raw, &pi); err != nil {
		return Event{}, fmt.Errorf("stripepay: parse webhook %s (%s): decode payment intent: %w", ev.ID, ev.Type, err)
	}
	if pi.Object != "" && pi.Object != "payment_intent" {
		return Event{}, fmt.Errorf("stripepay: parse webhook %s (%s): data.object is a %q, want payment_intent", ev.ID, ev.Type, pi.Object)
	}
	ev.IntentID = pi.ID
	ev.IntentStatus = string(pi.Status)
	ev.Amount = pi.Amount
	ev.Currency = string(pi.Currency)
	ev.Order = pi.Metadata["order"]
	return ev, nil
}

// SignPayload returns a valid Stripe-Signature header value
// ("t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">") for payload signed with
// secret at t, so souk's tests and demo can post webhooks that ParseWebhook
// accepts. A zero t means time.Now().
func SignPayload(payload []byte, secret string, t time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload:   payload,
		Secret:    secret,
		Timestamp: t,
		Scheme:    "v1",
	}).Header
}

// isSignatureError reports whether err comes from stripe-go's header or HMAC
// check rather than from decoding a correctly signed body.
func isSignatureError(err error) bool {
	return errors.Is(err, webhook.ErrNotSigned) ||
		errors.Is(err, webhook.ErrInvalidHeader) ||
		errors.Is(err, webhook.ErrNoValidSignature) ||
		errors.Is(err, webhook.ErrTooOld)
}

// signatureTime extracts the single t=<unix seconds> element of a
// Stripe-Signature header. stripe-go has already checked the HMAC over this
// timestamp; a missing or repeated t is refused so there is no doubt which
// one was signed.
func signatureTime(header string) (time.Time, error) {
	var (
		ts    int64
		found bool
	)
	for part := range strings.SplitSeq(header, ",") {
		v, ok := strings.CutPrefix(part, "t=")
		if !ok {
			continue
		}
		if found {
			return time.Time{}, errors.New("signature header has more than one timestamp")
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("signature header timestamp %q: %w", v, err)
		}
		ts, found = n, true
	}
	if !found {
		return time.Time{}, errors.New("signature header has no timestamp")
	}
	return time.Unix(ts, 0), nil
}

// normalizeCurrency lower-cases an ISO 4217 code, which is how Stripe spells
// currencies, and rejects anything that is not three ASCII letters.
func normalizeCurrency(currency string) (string, error) {
	cur := strings.ToLower(strings.TrimSpace(currency))
	if len(cur) != 3 {
		return "", fmt.Errorf("currency %q is not a three-letter ISO code", currency)
	}
	for _, r := range cur {
		if r < 'a' || r > 'z' {
			return "", fmt.Errorf("currency %q is not a three-letter ISO code", currency)
		}
	}
	return cur, nil
}

func intentFrom(pi *stripe.PaymentIntent) Intent {
	if pi == nil {
		return Intent{}
	}
	return Intent{
		ID:           pi.ID,
		ClientSecret: pi.ClientSecret,
		Status:       string(pi.Status),
		Amount:       pi.Amount,
		Currency:     string(pi.Currency),
	}
}
