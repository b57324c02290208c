package crashtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"souk/internal/payment/cmi"
)

// client talks to souk as a shop's app does: a request that fails on a dead
// connection (souk was killed) or gets a 5xx answer is sent again,
// unchanged — same body, same Idempotency-Key — until souk answers it.
type client struct {
	base  string
	http  *http.Client
	token string // an operator's, for cancellations and reading orders
	rec   *record
}

type answer struct {
	status int
	body   []byte
}

// send is one request, sent until souk answers it below 500.
func (c *client) send(ctx context.Context, method, path, contentType string, body []byte, header http.Header) (answer, error) {
	for {
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
		if err != nil {
			return answer{}, err
		}
		for k, v := range header {
			req.Header[k] = v
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := c.http.Do(req)
		if err == nil {
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch {
			case rerr != nil:
				c.rec.interrupted.Add(1)
			case resp.StatusCode >= 500:
				c.rec.serverError(method+" "+path, resp.StatusCode, b)
			default:
				return answer{resp.StatusCode, b}, nil
			}
		} else {
			c.rec.interrupted.Add(1)
		}
		select {
		case <-ctx.Done():
			return answer{}, fmt.Errorf("%s %s: souk never answered: %w", method, path, ctx.Err())
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// call is send with a JSON body (none when in is nil).
func (c *client) call(ctx context.Context, method, path string, in any, header http.Header) (answer, error) {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return answer{}, err
		}
	}
	return c.send(ctx, method, path, "application/json", body, header)
}

// operator signs a request in as the shop's operator.
func (c *client) operator() http.Header {
	return http.Header{"Authorization": {"Bearer " + c.token}}
}

// orderView is the part of the API's order the test reads.
type orderView struct {
	ID            int64  `json:"id"`
	Number        string `json:"number"`
	Status        string `json:"status"`
	PaymentMethod string `json:"payment_method"`
	Total         struct {
		Amount int64 `json:"amount"`
	} `json:"total"`
	VendorOrders []struct {
		Number string `json:"number"`
		Status string `json:"status"`
		Lines  []struct {
			ProductID int64  `json:"product_id"`
			Variant   string `json:"variant"`
			Quantity  int    `json:"quantity"`
		} `json:"lines"`
	} `json:"vendor_orders"`
	Payment struct {
		Status string `json:"status"`
		CMI    *struct {
			Fields map[string]string `json:"fields"`
		} `json:"cmi"`
	} `json:"payment"`
}

// lines are an order's quantities by variant id.
func (o orderView) lines(s *shop) (map[int64]int, error) {
	out := map[int64]int{}
	for _, vo := range o.VendorOrders {
		for _, l := range vo.Lines {
			p, ok := s.byProduct[l.ProductID]
			if !ok || l.Variant != sku {
				return nil, fmt.Errorf("order %s has a line of product %d %q that was never for sale", o.Number, l.ProductID, l.Variant)
			}
			out[p.variant] += l.Quantity
		}
	}
	return out, nil
}

// placed is an order as the client was told of it.
type placed struct {
	id        int64
	number    string
	method    string
	status    string // as checkout answered
	lines     map[int64]int
	parcels   int
	paid      *bool // card: the outcome souk acknowledged
	cancelled bool  // souk answered the cancellation
}

// record is everything the clients were told, and the run's figures.
type record struct {
	mu     sync.Mutex
	orders map[string]*placed // by number
	epoch  atomic.Int64       // souk's current start, from 1
	latest atomic.Int64       // the start that answered the latest order

	inflight    atomic.Int64 // checkouts sent and not answered yet
	cutAtKill   int64        // checkouts in flight when souk was killed (main goroutine only)
	interrupted atomic.Int64 // requests that failed on a dead connection and were sent again
	server5xx   atomic.Int64
	first5xx    []string
	carts       atomic.Int64
	replayed    atomic.Int64 // checkouts answered 200: placed by an earlier attempt
	soldOut     atomic.Int64 // checkouts refused because a line was gone
	approved    atomic.Int64
	declined    atomic.Int64
	cbReplays   atomic.Int64 // callbacks sent twice on purpose
	cbFailures  []string     // FAILURE answers to valid callbacks
	cancels     atomic.Int64
}

func newRecord() *record {
	return &record{orders: map[string]*placed{}}
}

func (r *record) serverError(what string, status int, body []byte) {
	r.server5xx.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.first5xx) < 5 {
		r.first5xx = append(r.first5xx, fmt.Sprintf("%s: %d %s", what, status, body))
	}
}

// confirm records an order a checkout was answered with; one order
// answered to two checkouts (two carts, two keys) is a failure.
func (r *record) confirm(p *placed) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.orders[p.number]; ok {
		return fmt.Errorf("order %s answered for two checkouts", p.number)
	}
	r.orders[p.number] = p
	r.latest.Store(r.epoch.Load())
	return nil
}

// buyer loops: a cart of 1–3 lines, a checkout, the card payment when it
// is one, and now and then an operator cancelling the order.
type buyer struct {
	c    *client
	shop *shop
	rnd  *mrand.Rand
}

// address is where every order goes (cash on delivery needs Morocco).
var address = map[string]string{"name": "Amina Crash", "line1": "12 rue Ibn Batouta", "city": "casablanca",
	"postal_code": "20000", "country": "MA"}

func (b *buyer) run(ctx context.Context, stop *atomic.Bool) error {
	for !stop.Load() {
		if err := b.once(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (b *buyer) once(ctx context.Context) error {
	rec := b.c.rec
	a, err := b.c.call(ctx, "POST", "/api/v1/carts", nil, nil)
	if err != nil {
		return err
	}
	var cart struct{ ID string }
	if a.status != http.StatusCreated || json.Unmarshal(a.body, &cart) != nil || cart.ID == "" {
		return fmt.Errorf("new cart: %d %s", a.status, a.body)
	}
	rec.carts.Add(1)
	want := map[int64]int{}
	for _, i := range b.rnd.Perm(len(b.shop.products))[:1+b.rnd.IntN(3)] {
		p := b.shop.products[i]
		q := 1 + b.rnd.IntN(2)
		// PUT sets the line: sent twice, it still holds q.
		a, err := b.c.call(ctx, "PUT", "/api/v1/carts/"+cart.ID+"/items/"+p.slug+"/"+sku, map[string]int{"quantity": q}, nil)
		if err != nil {
			return err
		}
		switch a.status {
		case http.StatusOK:
			want[p.variant] = q
		case http.StatusConflict: // fewer left than q
		default:
			return fmt.Errorf("cart line %s: %d %s", p.slug, a.status, a.body)
		}
	}
	if len(want) == 0 {
		return nil
	}
	method := "cod"
	if b.rnd.IntN(2) == 0 {
		method = "cmi"
	}
	key := rand.Text()
	rec.inflight.Add(1)
	a, err = b.c.call(ctx, "POST", "/api/v1/carts/"+cart.ID+"/checkout", map[string]any{
		"email": "amina@example.ma", "phone": "0612345678", "address": address, "payment_method": method,
	}, http.Header{"Idempotency-Key": {key}})
	rec.inflight.Add(-1)
	if err != nil {
		return err
	}
	switch a.status {
	case http.StatusCreated:
	case http.StatusOK:
		rec.replayed.Add(1)
	case http.StatusConflict:
		if !strings.Contains(string(a.body), `"items[`) {
			return fmt.Errorf("checkout of cart %s (key %s) refused: %s", cart.ID, key, a.body)
		}
		rec.soldOut.Add(1)
		return nil
	default:
		return fmt.Errorf("checkout of cart %s (key %s): %d %s", cart.ID, key, a.status, a.body)
	}
	var o orderView
	if err := json.Unmarshal(a.body, &o); err != nil {
		return fmt.Errorf("checkout answer: %v: %s", err, a.body)
	}
	got, err := o.lines(b.shop)
	if err != nil {
		return err
	}
	if !equal(got, want) || o.PaymentMethod != method {
		return fmt.Errorf("order %s: lines %v paid by %s, the cart held %v paid by %s", o.Number, got, o.PaymentMethod, want, method)
	}
	p := &placed{id: o.ID, number: o.Number, method: method, status: o.Status, lines: got, parcels: len(o.VendorOrders)}
	if err := rec.confirm(p); err != nil {
		return err
	}
	if method == "cmi" {
		approved, err := b.pay(ctx, o)
		if err != nil {
			return err
		}
		p.paid = &approved // read once every buyer is done
	}
	if b.rnd.IntN(10) == 0 {
		return b.cancel(ctx, p)
	}
	return nil
}

func equal(a, b map[int64]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// pay plays CMI's gateway for a card order: it checks souk's signed form,
// then posts the server-to-server callback, signed as CMI signs it,
// approved most of the time, until souk acknowledges it; now and then it
// posts it a second time, as CMI may.
func (b *buyer) pay(ctx context.Context, o orderView) (bool, error) {
	if o.Payment.CMI == nil {
		return false, fmt.Errorf("card order %s came without CMI's form", o.Number)
	}
	form := url.Values{}
	for k, v := range o.Payment.CMI.Fields {
		form.Set(k, v)
	}
	switch {
	case form.Get("HASH") != cmi.Hash(form, cmiStoreKey):
		return false, fmt.Errorf("order %s: the payment form is not signed with the store key", o.Number)
	case form.Get("amount") != cmi.FormatAmount(o.Total.Amount):
		return false, fmt.Errorf("order %s: the form asks %s MAD for a total of %d centimes", o.Number, form.Get("amount"), o.Total.Amount)
	case form.Get("CallbackURL") != b.c.base+callbackPath:
		return false, fmt.Errorf("order %s: callback URL %q", o.Number, form.Get("CallbackURL"))
	}
	approved := b.rnd.IntN(100) < 85
	cb := callback(form, approved)
	want := cmi.AnswerAcknowledge
	if approved {
		want = cmi.AnswerCapture
	}
	if err := b.notify(ctx, o.Number, cb, want); err != nil {
		return false, err
	}
	if approved {
		b.c.rec.approved.Add(1)
	} else {
		b.c.rec.declined.Add(1)
	}
	if b.rnd.IntN(8) == 0 {
		b.c.rec.cbReplays.Add(1)
		return approved, b.notify(ctx, o.Number, cb, want)
	}
	return approved, nil
}

const callbackPath = "/payments/cmi/callback"

// callback is what CMI posts back for a payment form: the request's
// fields, the authorisation's result, and a HASH over all of them
// (cmi.Simulator builds it the same way).
func callback(form url.Values, approved bool) url.Values {
	f := url.Values{}
	for k, v := range form {
		if k != "HASH" {
			f[k] = v
		}
	}
	f.Set("mdStatus", "1")
	f.Set("TransId", rand.Text()[:15])
	if approved {
		f.Set("ProcReturnCode", "00")
		f.Set("Response", "Approved")
		f.Set("AuthCode", strconv.Itoa(100000+mrand.IntN(900000)))
		f.Set("ErrMsg", "")
	} else {
		f.Set("ProcReturnCode", "05")
		f.Set("Response", "Declined")
		f.Set("AuthCode", "")
		f.Set("ErrMsg", "Do not honour")
	}
	f.Set("HASH", cmi.CallbackHash(f, cmiStoreKey))
	return f
}

// notify posts a callback until souk acknowledges it, as CMI retries a
// notification nobody answered. FAILURE to a valid callback is kept: CMI
// would leave that payment to manual handling.
func (b *buyer) notify(ctx context.Context, number string, cb url.Values, want string) error {
	for attempt := 0; ; attempt++ {
		a, err := b.c.send(ctx, "POST", callbackPath, "application/x-www-form-urlencoded", []byte(cb.Encode()), nil)
		if err != nil {
			return err
		}
		got := string(a.body)
		switch {
		case a.status == http.StatusOK && got == want:
			return nil
		case a.status == http.StatusOK && got == cmi.AnswerFailure && attempt < 20:
			rec := b.c.rec
			rec.mu.Lock()
			rec.cbFailures = append(rec.cbFailures, fmt.Sprintf("order %s (%s, attempt %d)", number, cb.Get("ProcReturnCode"), attempt+1))
			rec.mu.Unlock()
			time.Sleep(50 * time.Millisecond)
		default:
			return fmt.Errorf("callback for order %s (%s) answered %d %q, want %q", number, cb.Get("ProcReturnCode"), a.status, got, want)
		}
	}
}

// cancel has an operator cancel the order, as after a customer's call.
func (b *buyer) cancel(ctx context.Context, p *placed) error {
	a, err := b.c.call(ctx, "POST", fmt.Sprintf("/api/v1/orders/%d/cancel", p.id), nil, b.c.operator())
	if err != nil {
		return err
	}
	var o orderView
	if a.status != http.StatusOK || json.Unmarshal(a.body, &o) != nil || o.Status != "cancelled" {
		return fmt.Errorf("cancel order %s: %d %s", p.number, a.status, a.body)
	}
	b.c.rec.cancels.Add(1)
	p.cancelled = true
	return nil
}
