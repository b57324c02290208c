package order_test

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/ledger"
	"souk/internal/order"
	"souk/internal/payment/stripepay"
	"souk/internal/payout"
)

// TestLedgerProperties runs random sequences of orders (several vendors,
// cash on delivery or card, web or supermarket), card captures (with
// declines and replays), cash collections (twice), deliveries, cancellations,
// partial and full refunds, returns, expired holds, a commission change,
// payout runs (with transfers confirmed or failed, a vendor without a RIB
// until late and one suspended for a while) and a clock that jumps — on
// each database — and checks after every step that the ledger sums to zero,
// after every run that it paid each vendor exactly what was due (and
// nothing twice: ledger_payout_property_test.go), and every ten steps and
// at the end that each vendor's balance (due, pending, undelivered) and
// commission are what a model computed from the orders and the payouts
// alone says, that every account holding customers' money holds exactly
// what was paid less what was refunded, that every transaction balances
// per vendor, and that no event posted twice (a replayed callback, webhook,
// collection, delivery, payout run or settlement changes nothing).
//
// The model keeps exact fractions: it agrees with the ledger to the
// centime until a partial refund is split in proportion over a sale's
// lines, where the ledger rounds each share (ledger.Allocate, exact in
// total, within a centime per line); each such refund widens the
// tolerance on the vendors it touched by two centimes.
//
// SOUK_LEDGER_SEED=n replays a sequence; the seed is printed on failure.
func TestLedgerProperties(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SOUK_LEDGER_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	steps := 320
	if raceDetector {
		steps = 160
	}
	if testing.Short() {
		steps = 60
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		t.Logf("seed %d (SOUK_LEDGER_SEED=%d replays it)", seed, seed)
		r := newLedgerRun(t, d, seed)
		r.steps = steps
		for i := range steps {
			r.step(i)
			if i%10 == 9 {
				r.check()
			}
			if t.Failed() {
				t.Fatalf("seed %d: failed at step %d (%s)", seed, i, r.last)
			}
		}
		r.check()
		if t.Failed() {
			t.Fatalf("seed %d: final check failed", seed)
		}
		t.Logf("%d steps: %v; cash collected by carrier: %v", steps, r.done, r.cod)
	})
}

// raceDetector is set under -race (race_on_test.go).
var raceDetector bool

// The model: what each parcel's sale still holds, in exact fractions.

type mParcel struct {
	id, vendorID      int64
	vendor            int // index in shop.vendors
	number, carrier   string
	items, shipping   int64
	lines             []int64 // the lines' totals
	commission        int64   // by the model's own table of rates, line by line, when paid
	status            order.Status
	deliveredAt       time.Time
	earning, comm, sh *big.Rat // what the sale holds once paid
	dueEarned         *big.Rat // the earning when a payout run first found it due (nil: not yet)
}

type mOrder struct {
	id                      int64
	number, method, channel string
	total                   int64
	placed                  time.Time
	parcels                 []*mParcel
	paid                    bool
	collected               int64 // the money that came in (card: the total; cash: the parcels not cancelled)
	refunded                int64
	owed                    *big.Rat // owed back to the customer
}

type ledgerRun struct {
	t          *testing.T
	s          *shop
	ctx        context.Context
	rng        *rand.Rand
	orders     []*mOrder
	variants   [][]int64
	solidarity time.Time   // cooperatives pay no commission on orders placed from then on (zero: never)
	rounded    map[int]int // vendor index → refunds split in proportion with rounding on its orders
	steps      int
	events     int
	last       string
	done       map[string]int
	refunds    map[string]int64 // method → refunded
	cod        map[string]int64 // carrier → cash collected
	payoutModel
}

func newLedgerRun(t *testing.T, d *db.DB, seed uint64) *ledgerRun {
	s := newShop(t, d)
	ctx := context.Background()
	r := &ledgerRun{t: t, s: s, ctx: ctx, rng: rand.New(rand.NewPCG(seed, 6)), rounded: map[int]int{}, done: map[string]int{},
		refunds: map[string]int64{}, cod: map[string]int64{}}
	for v := range 3 {
		r.variants = append(r.variants, []int64{s.variant(t, v, 0), s.variant(t, v, 1)})
	}
	if _, err := d.W.ExecContext(ctx, `UPDATE variants SET stock = 100000`); err != nil {
		t.Fatal(err)
	}
	admin := ledger.NewService(d, s.clock.now)
	var rugs int64
	if err := d.Read().QueryRowContext(ctx, `SELECT id FROM categories WHERE slug = 'rugs-textiles'`).Scan(&rugs); err != nil {
		t.Fatal(err)
	}
	for _, rule := range []ledger.Rule{{CategoryID: rugs, RateBP: 1200}, {VendorKind: "publisher", Channel: "web", RateBP: 800},
		{Channel: "supermarket", RateBP: 1500}} {
		if _, err := admin.SetCommissionRule(ctx, s.operator, rule); err != nil {
			t.Fatal(err)
		}
	}
	r.setUpPayouts()
	return r
}

// rate is the model's table of the rules above, written out by hand:
// vendor 0 is a cooperative selling amlou (the default, or the
// supermarket channel's rate), vendor 1 a cooperative selling rugs (the
// category's rate, which counts before the channel's), vendor 2 a
// publisher (its own rate on the web). In the solidarity programme,
// cooperatives pay nothing: the vendor kind counts first.
func (r *ledgerRun) rate(vendor int, channel string, placed time.Time) int {
	coop := vendor < 2
	switch {
	case coop && !r.solidarity.IsZero() && !placed.Before(r.solidarity):
		return 0
	case vendor == 0 && channel == "supermarket":
		return 1500
	case vendor == 0:
		return 1000
	case vendor == 1:
		return 1200
	case channel == "web":
		return 800
	}
	return 1500
}

func (r *ledgerRun) step(i int) {
	t := r.t
	r.events++
	r.last = "nothing"
	switch n := r.rng.IntN(100); {
	case n < 20 || len(r.orders) < 3:
		r.place()
	case n < 31:
		r.capture()
	case n < 38:
		r.collect()
	case n < 61:
		r.advance()
	case n < 66:
		r.cancel()
	case n < 75:
		r.refund()
	case n < 84:
		d := []time.Duration{time.Minute, 20 * time.Minute, 2 * time.Hour, 26 * time.Hour, 80 * time.Hour, 11 * 24 * time.Hour}[r.rng.IntN(6)]
		r.last = "clock +" + d.String()
		r.s.clock.add(d)
		if _, err := r.s.orders.ExpireHolds(r.ctx); err != nil {
			t.Errorf("expire holds: %v", err)
		}
		r.refresh()
		if r.rng.IntN(2) == 0 { // as the schedule would, once the clock moved: earnings may have fallen due
			moved := r.last
			r.payoutRun()
			r.last = moved + ", " + r.last
		}
	case n < 90:
		r.payoutRun()
	case n < 93:
		r.settle(payout.Confirmed)
	case n < 95:
		r.settle(payout.Failed)
	case n < 97:
		r.vendorEvent(i)
	default:
		if r.solidarity.IsZero() && i >= r.steps/2 { // half the run at the first rates, half in the programme
			r.last = "solidarity programme"
			r.solidarity = r.s.clock.now()
			if _, err := ledger.NewService(r.s.d, r.s.clock.now).SetCommissionRule(r.ctx, r.s.operator,
				ledger.Rule{VendorKind: "cooperative", RateBP: 0, Note: "solidarity programme"}); err != nil {
				t.Errorf("solidarity rule: %v", err)
			}
		}
	}
	r.done[strings.Fields(r.last)[0]]++
	tb, err := ledger.Trial(r.ctx, r.s.d.Read())
	if err != nil || !tb.Balanced() {
		t.Errorf("step %d (%s): trial balance %+v %v", i, r.last, tb.Totals, err)
	}
}

func (r *ledgerRun) place() {
	t, s := r.t, r.s
	channel := "web"
	if r.rng.IntN(3) == 0 {
		channel = "supermarket"
	}
	method := []string{order.COD, order.COD, order.CMI, order.Stripe}[r.rng.IntN(4)]
	r.last = "place " + method + " " + channel
	c, err := s.orders.NewCart(r.ctx, auth.User{}, channel)
	if err != nil {
		t.Fatal(err)
	}
	vendors := slices.DeleteFunc(r.rng.Perm(3)[:1+r.rng.IntN(3)], func(v int) bool { return r.suspended[v] })
	if len(vendors) == 0 { // a suspended vendor's products are off sale
		vendors = []int{0}
	}
	for _, v := range vendors {
		for _, p := range r.rng.Perm(2)[:1+r.rng.IntN(2)] {
			if _, err := s.orders.SetItem(r.ctx, auth.User{}, c.ID, r.variants[v][p], 1+r.rng.IntN(3), true); err != nil {
				t.Fatal(err)
			}
		}
	}
	in := casablancaCOD()
	in.PaymentMethod = method
	in.Shipping = map[string]string{}
	for _, v := range vendors { // a carrier of the customer's choice, when it delivers there
		in.Shipping[s.vendors[v].Slug] = []string{"amana", "ctm", "chronopost", "aramex"}[r.rng.IntN(4)]
	}
	o, _, err := s.orders.Checkout(r.ctx, auth.User{}, c.ID, "k", in)
	if errs.Is(err, errs.Invalid) {
		in.Shipping = nil
		o, _, err = s.orders.Checkout(r.ctx, auth.User{}, c.ID, "k", in)
	}
	if err != nil {
		t.Fatalf("checkout: %v", err)
	}
	m := &mOrder{id: o.ID, number: o.Number, method: method, channel: channel, total: o.Total.Amount, placed: o.CreatedAt, owed: new(big.Rat)}
	for _, v := range o.Vendors {
		p := &mParcel{id: v.ID, vendorID: v.VendorID, number: v.Number, carrier: v.Carrier, items: v.Items.Amount,
			shipping: v.Shipping.Amount, status: v.Status, earning: new(big.Rat), comm: new(big.Rat), sh: new(big.Rat)}
		for i, sv := range s.vendors {
			if sv.ID == v.VendorID {
				p.vendor = i
			}
		}
		for _, l := range v.Lines {
			p.lines = append(p.lines, l.Total.Amount)
		}
		m.parcels = append(m.parcels, p)
	}
	r.orders = append(r.orders, m)
}

// pick returns a random order satisfying ok, or nil.
func (r *ledgerRun) pick(ok func(*mOrder) bool) *mOrder {
	var c []*mOrder
	for _, o := range r.orders {
		if ok(o) {
			c = append(c, o)
		}
	}
	if len(c) == 0 {
		return nil
	}
	return c[r.rng.IntN(len(c))]
}

// snapshot is the ledger's size and weight, to see that a replay wrote nothing.
func (r *ledgerRun) snapshot() string {
	var n, e, w int64
	if err := r.s.d.Read().QueryRowContext(r.ctx, `SELECT (SELECT COUNT(*) FROM ledger_transactions), COUNT(*),
		COALESCE(SUM(ABS(amount)), 0) FROM ledger_entries`).Scan(&n, &e, &w); err != nil {
		r.t.Fatal(err)
	}
	return fmt.Sprint(n, "/", e, "/", w)
}

// refresh reads every order's parcels' statuses.
func (r *ledgerRun) refresh() {
	for _, o := range r.orders {
		r.reload(o)
	}
}

func (r *ledgerRun) reload(m *mOrder) order.Order {
	o, err := r.s.orders.Get(r.ctx, r.s.operator, m.number)
	if err != nil {
		r.t.Fatal(err)
	}
	for i, v := range o.Vendors {
		m.parcels[i].status = v.Status
	}
	return o
}

func (r *ledgerRun) capture() {
	t := r.t
	m := r.pick(func(o *mOrder) bool {
		return o.method != order.COD && !o.paid && (o.parcels[0].status != order.Cancelled || r.rng.IntN(5) == 0)
	})
	if m == nil {
		return
	}
	r.last = "capture " + m.method
	before := r.reload(m)
	switch m.method {
	case order.CMI:
		if r.rng.IntN(4) == 0 { // a decline first
			r.events++
			if _, err := r.s.orders.CMICallback(r.ctx, cmiCallback(m.number, m.total, "05", fmt.Sprint("D", r.events))); err != nil {
				t.Errorf("decline: %v", err)
			}
		}
		fields := cmiCallback(m.number, m.total, "00", fmt.Sprint("T", r.events))
		answer, err := r.s.orders.CMICallback(r.ctx, fields)
		if err != nil {
			t.Fatalf("cmi callback: %v", err)
		}
		r.paid(m, before)
		r.replay("cmi callback", func() error {
			again, err := r.s.orders.CMICallback(r.ctx, fields)
			if again != answer {
				return fmt.Errorf("replay answered %s, first %s", again, answer)
			}
			return err
		})
	case order.Stripe:
		ev := stripepay.Event{ID: fmt.Sprint("evt_", r.events), Type: "payment_intent.succeeded", IntentID: m.number,
			IntentStatus: "succeeded", Amount: m.total, Currency: "mad", Order: m.number}
		if err := r.s.orders.StripeWebhook(r.ctx, ev); err != nil {
			t.Fatalf("stripe webhook: %v", err)
		}
		r.paid(m, before)
		r.replay("stripe webhook", func() error { return r.s.orders.StripeWebhook(r.ctx, ev) })
	}
}

// paid books a payment in the model if the order says it was captured,
// each parcel as it stood.
func (r *ledgerRun) paid(m *mOrder, before order.Order) {
	o := r.reload(m)
	if before.Payment.Status == order.PaymentCaptured || o.Payment.Status != order.PaymentCaptured {
		if o.Status != order.Cancelled && o.Payment.Status != order.PaymentCaptured {
			r.t.Errorf("%s: payment %s after a capture of an order %s", m.number, o.Payment.Status, o.Status)
		}
		return
	}
	m.paid = true
	for _, p := range m.parcels {
		// The rules in force when the order was placed (a rule starting at
		// that very instant included), whenever it is paid.
		rate := int64(r.rate(p.vendor, m.channel, m.placed))
		for _, l := range p.lines {
			p.commission += (l*rate + 5000) / 10000
		}
		gross := p.items + p.shipping
		switch p.status {
		case order.Cancelled:
			if m.method != order.COD {
				m.collected += gross
				m.owed.Add(m.owed, rat(gross))
			}
			continue
		case order.Returned, order.Refunded:
			m.owed.Add(m.owed, rat(p.items))
			p.sh.SetInt64(p.shipping)
		default:
			p.earning.SetInt64(p.items - p.commission)
			p.comm.SetInt64(p.commission)
			p.sh.SetInt64(p.shipping)
		}
		m.collected += gross
		if m.method == order.COD {
			r.cod[p.carrier] += gross
		}
	}
}

// replay runs a retried event: the ledger must not change.
func (r *ledgerRun) replay(what string, fn func() error) {
	before := r.snapshot()
	err := fn()
	if err != nil && !errs.Is(err, errs.Conflict) {
		r.t.Errorf("%s replayed: %v", what, err)
	}
	if after := r.snapshot(); after != before {
		r.t.Errorf("%s replayed: the ledger went from %s to %s", what, before, after)
	}
	r.done["replay"]++
}

func (r *ledgerRun) collect() {
	m := r.pick(func(o *mOrder) bool { return o.method == order.COD && !o.paid })
	if m == nil {
		return
	}
	r.last = "collect"
	before := r.reload(m)
	_, err := r.s.orders.CODCollected(r.ctx, r.s.operator, m.number)
	if before.Status == order.Cancelled {
		if !errs.Is(err, errs.Conflict) {
			r.t.Errorf("collected a cancelled order: %v", err)
		}
		return
	}
	if err != nil {
		r.t.Fatalf("cod collected: %v", err)
	}
	r.paid(m, before)
	r.replay("cod collected", func() error {
		_, err := r.s.orders.CODCollected(r.ctx, r.s.operator, m.number)
		if !errs.Is(err, errs.Conflict) {
			return fmt.Errorf("collected twice: %v", err)
		}
		return nil
	})
}

// advance moves a random parcel one step on (not to cancelled).
func (r *ledgerRun) advance() {
	var c [][2]any
	for _, o := range r.orders {
		for _, p := range o.parcels {
			for _, to := range order.NextStatuses(p.status) {
				if to != order.Cancelled {
					c = append(c, [2]any{o, p})
					break
				}
			}
		}
	}
	if len(c) == 0 {
		return
	}
	pair := c[r.rng.IntN(len(c))]
	m, p := pair[0].(*mOrder), pair[1].(*mParcel)
	r.last = "advance " + string(p.status)
	for range 1 + r.rng.IntN(3) {
		var next []order.Status
		for _, to := range order.NextStatuses(p.status) {
			if to != order.Cancelled {
				next = append(next, to)
			}
		}
		if len(next) == 0 {
			break
		}
		to := next[r.rng.IntN(len(next))]
		r.last += "→" + string(to)
		r.move(m, p, to)
	}
}

func (r *ledgerRun) cancel() {
	var c [][2]any
	for _, o := range r.orders {
		for _, p := range o.parcels {
			if order.CanMove(p.status, order.Cancelled) {
				c = append(c, [2]any{o, p})
			}
		}
	}
	if len(c) == 0 {
		return
	}
	pair := c[r.rng.IntN(len(c))]
	r.last = "cancel " + string(pair[1].(*mParcel).status)
	r.move(pair[0].(*mOrder), pair[1].(*mParcel), order.Cancelled)
}

func (r *ledgerRun) move(m *mOrder, p *mParcel, to order.Status) {
	tracking := ""
	if to == order.Shipped {
		tracking = "TRK" + p.number
	}
	if _, err := r.s.orders.OperatorMove(r.ctx, r.s.operator, m.number, p.id, to, "", tracking); err != nil {
		r.t.Fatalf("move %s %s → %s: %v", p.number, p.status, to, err)
	}
	p.status = to
	now := r.s.clock.now()
	switch to {
	case order.Delivered:
		p.deliveredAt = now
		r.replay("delivery", func() error {
			_, err := r.s.orders.OperatorMove(r.ctx, r.s.operator, m.number, p.id, to, "", "")
			if !errs.Is(err, errs.Conflict) {
				return fmt.Errorf("delivered twice: %v", err)
			}
			return nil
		})
	case order.Cancelled:
		m.owed.Add(m.owed, new(big.Rat).Add(p.earning, new(big.Rat).Add(p.comm, p.sh)))
		p.earning, p.comm, p.sh = new(big.Rat), new(big.Rat), new(big.Rat)
	case order.Returned:
		m.owed.Add(m.owed, new(big.Rat).Add(p.earning, p.comm))
		p.earning, p.comm = new(big.Rat), new(big.Rat)
	}
	r.reload(m)
}

func (r *ledgerRun) refund() {
	m := r.pick(func(o *mOrder) bool { return o.paid && o.collected > o.refunded })
	if m == nil {
		return
	}
	o := r.reload(m)
	left := m.collected - m.refunded
	amount := left
	if r.rng.IntN(3) > 0 {
		amount = 1 + r.rng.Int64N(left)
	}
	r.last = fmt.Sprintf("refund %d of %d", amount, left)
	if m.method == order.COD && o.Payment.Amount.Amount-o.Payment.Refunded.Amount > left && r.rng.IntN(3) == 0 {
		// Cash on delivery: more than the carrier collected is refused.
		if _, err := r.s.orders.Refund(r.ctx, r.s.operator, m.number, left+1, "trop"); !errs.Is(err, errs.Invalid) {
			r.t.Errorf("refunded more than collected: %v", err)
		}
	}
	if _, err := r.s.orders.Refund(r.ctx, r.s.operator, m.number, amount, "geste commercial"); err != nil {
		r.t.Fatalf("refund %d of %s (%d left): %v", amount, m.number, left, err)
	}
	m.refunded += amount
	r.refunds[m.method] += amount
	rest := rat(amount)
	if m.owed.Cmp(rest) >= 0 {
		m.owed.Sub(m.owed, rest)
		return
	}
	rest.Sub(rest, m.owed)
	m.owed = new(big.Rat)
	total := new(big.Rat)
	for _, p := range m.parcels {
		total.Add(total, p.earning).Add(total, p.comm).Add(total, p.sh)
	}
	keep := new(big.Rat).Sub(big.NewRat(1, 1), new(big.Rat).Quo(rest, total))
	if keep.Sign() != 0 {
		for _, p := range m.parcels {
			if p.earning.Sign() != 0 || p.comm.Sign() != 0 || p.sh.Sign() != 0 {
				r.rounded[p.vendor]++
			}
		}
	}
	for _, p := range m.parcels {
		p.earning.Mul(p.earning, keep)
		p.comm.Mul(p.comm, keep)
		p.sh.Mul(p.sh, keep)
	}
}

func rat(n int64) *big.Rat { return new(big.Rat).SetInt64(n) }

// due is when an earning delivered at t falls due: 3 or 10 calendar days
// on, same time on Casablanca's clocks.
func due(t time.Time, channel string) time.Time {
	l := t.In(ledger.Casablanca)
	days := 3
	if channel == "supermarket" {
		days = 10
	}
	return time.Date(l.Year(), l.Month(), l.Day()+days, l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), ledger.Casablanca)
}

// near checks got against the model's exact want, within tol minor units.
func (r *ledgerRun) near(what string, got int64, want *big.Rat, tol int) {
	diff := new(big.Rat).Sub(rat(got), want)
	if diff.Sign() < 0 {
		diff.Neg(diff)
	}
	if diff.Cmp(rat(int64(tol))) > 0 || (tol == 0 && !want.IsInt()) {
		f, _ := want.Float64()
		r.t.Errorf("%s: ledger %d, model %.4f (tolerance %d)", what, got, f, tol)
	}
}

// earnings is what the model says vendor vi's sales hold at now, before
// payouts: earnings due, falling due later and waiting for delivery, and
// the commission taken.
func (r *ledgerRun) earnings(vi int, now time.Time) (dueNow, pending, undelivered, comm *big.Rat) {
	dueNow, pending, undelivered, comm = new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat)
	for _, o := range r.orders {
		if !o.paid {
			continue
		}
		for _, p := range o.parcels {
			if p.vendor != vi {
				continue
			}
			comm.Add(comm, p.comm)
			switch {
			case p.deliveredAt.IsZero():
				undelivered.Add(undelivered, p.earning)
			case due(p.deliveredAt, o.channel).After(now):
				pending.Add(pending, p.earning)
			default:
				dueNow.Add(dueNow, p.earning)
			}
		}
	}
	return dueNow, pending, undelivered, comm
}

// balance is vendor vi's balance in the ledger at the clock's time.
func (r *ledgerRun) balance(vi int) ledger.Balance {
	got, err := ledger.NewService(r.s.d, r.s.clock.now).VendorBalance(r.ctx, r.s.operator, r.s.vendors[vi].ID, r.s.clock.now())
	if err != nil {
		r.t.Fatal(err)
	}
	return got[0]
}

func (r *ledgerRun) check() {
	t, ctx, q := r.t, r.ctx, r.s.d.Read()
	now := r.s.clock.now()
	// Each vendor's balance, part by part, and its commission: payouts took
	// from what was due (a failed one gave it back).
	for vi, v := range r.s.vendors {
		dueNow, pending, undelivered, comm := r.earnings(vi, now)
		dueNow.Sub(dueNow, rat(r.netPaid(vi)))
		b := r.balance(vi)
		var pend int64
		for _, p := range b.Pending {
			pend += p.Amount.Amount
		}
		tol := 2 * r.rounded[vi]
		name := v.Slug
		r.near(name+" due", b.Due.Amount, dueNow, tol)
		r.near(name+" pending", pend, pending, tol)
		r.near(name+" undelivered", b.Undelivered.Amount, undelivered, tol)
		total := new(big.Rat).Add(dueNow, new(big.Rat).Add(pending, undelivered))
		r.near(name+" total", b.Total.Amount, total, tol)
		var c int64
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE vendor_id = ? AND account IN (?, ?)`,
			v.ID, ledger.CommissionRevenue, ledger.CommissionVAT).Scan(&c); err != nil {
			t.Fatal(err)
		}
		r.near(name+" commission", -c, comm, tol)
		t.Logf("%s: due %d, pending %d in %d parts, undelivered %d, commission %d, paid out %d (tolerance %d)", name, b.Due.Amount, pend,
			len(b.Pending), b.Undelivered.Amount, -c, r.netPaid(vi), tol)
	}
	// The accounts of customers' money hold exactly what came in less what
	// went back; the sales and what is owed hold the rest.
	account := func(where string, args ...any) int64 {
		var n int64
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE `+where, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var collected, refunded int64
	for _, o := range r.orders {
		if o.paid {
			collected += o.collected
			refunded += o.refunded
		}
	}
	for _, m := range []string{order.CMI, order.Stripe} {
		var paid int64
		for _, o := range r.orders {
			if o.method == m && o.paid {
				paid += o.collected
			}
		}
		if got := account(`account = ?`, ledger.Clearing(m)); got != paid-r.refunds[m] {
			t.Errorf("clearing:%s holds %d, want %d paid − %d refunded", m, got, paid, r.refunds[m])
		}
	}
	var cod int64
	for _, o := range r.orders {
		if o.method == order.COD && o.paid {
			cod += o.collected
		}
	}
	if got := account(`account LIKE 'cod:%'`); got != cod {
		t.Errorf("carriers owe %d, want %d collected", got, cod)
	}
	for carrier, want := range r.cod {
		if got := account(`account = ?`, ledger.COD(carrier)); got != want {
			t.Errorf("%s owes %d, want %d collected", carrier, got, want)
		}
	}
	confirmed, paidOut := r.paidOut()
	if got := account(`account = ?`, ledger.Bank); got != -r.refunds[order.COD]-confirmed {
		t.Errorf("bank %d, want −%d (cash refunds) − %d (payouts confirmed)", got, r.refunds[order.COD], confirmed)
	}
	owed, shippingFees, rounded := new(big.Rat), new(big.Rat), 0
	for _, o := range r.orders {
		owed.Add(owed, o.owed)
		for _, p := range o.parcels {
			shippingFees.Add(shippingFees, p.sh)
		}
	}
	for _, n := range r.rounded {
		rounded += n
	}
	r.near("owed to customers", -account(`account = ?`, ledger.RefundsOwed), owed, 2*rounded)
	r.near("shipping fees", -account(`account LIKE 'shipping:%'`), shippingFees, 2*rounded)
	if got := account(`account LIKE 'payable:vendor%' OR account IN (?, ?, ?) OR account LIKE 'shipping:%'`,
		ledger.CommissionRevenue, ledger.CommissionVAT, ledger.RefundsOwed); got != -(collected-refunded)+paidOut {
		t.Errorf("sales and refunds owed hold %d, want −%d + %d paid out", got, collected-refunded, paidOut)
	}
	// Every transaction balances, per currency and per vendor too.
	if ids, err := ledger.Unbalanced(ctx, q); err != nil || len(ids) != 0 {
		t.Errorf("unbalanced transactions %v %v", ids, err)
	}
	var perVendor int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT transaction_id FROM ledger_entries
		GROUP BY transaction_id, vendor_id, currency HAVING SUM(amount) <> 0) x`).Scan(&perVendor); err != nil || perVendor != 0 {
		t.Errorf("%d transactions do not balance per vendor (%v)", perVendor, err)
	}
	// One transaction per money event.
	kinds := map[string]int{}
	rows, err := q.QueryContext(ctx, `SELECT kind, COUNT(*) FROM ledger_transactions GROUP BY kind`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		kinds[k] = n
	}
	rows.Close()
	var cards, cash, refunds int
	for _, o := range r.orders {
		switch {
		case o.paid && o.method == order.COD:
			cash++
		case o.paid:
			cards++
		}
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM refunds`).Scan(&refunds); err != nil {
		t.Fatal(err)
	}
	if kinds[order.LedgerCaptured] != cards || kinds[order.LedgerCollected] != cash || kinds[order.LedgerRefunded] != refunds {
		t.Errorf("transactions %v: want %d captures, %d collections, %d refunds", kinds, cards, cash, refunds)
	}
	t.Logf("ledger: %v", kinds)
	r.checkPayouts(kinds)
}
