package demo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/ledger"
	"souk/internal/money"
	"souk/internal/notify"
	"souk/internal/order"
	"souk/internal/payment/cmi"
	"souk/internal/payout"
	"souk/internal/shipping"
	"souk/internal/text"
	"souk/internal/vendor"
)

// A month of trade for the demo marketplace, so that every money page has
// something true to show: orders placed by the demo customer and by guests
// (cash on delivery mostly, a few by card, a few for supermarkets and a
// few sold at a shop's counter), parcels packed, shipped and delivered over the
// following days, cash collected, a few cancelled, two returned and
// refunded, one refunded in part, the scheduled payout runs at 10:00 with
// their batches confirmed two days later (one transfer comes back from the
// bank), and a carrier's remittance. It all goes through the order, payout
// and ledger services on a clock that walks from HistoryDays ago to now,
// so the ledger, the statements and the payouts are the services' own.

// HistoryDays is how many days of trade the demo loads.
const HistoryDays = 30

// HistoryDeps are the services the history goes through. It builds its
// own order, payout and ledger services on its clock.
type HistoryDeps struct {
	DB       *db.DB
	Vendors  *vendor.Service
	Catalog  *catalog.Service
	Shipping *shipping.Service
}

// HistoryOptions say how much history to make and who takes part.
type HistoryOptions struct {
	Seed uint64
	Days int       // how many days back the history starts; 0 makes none
	End  time.Time // where it stops; zero: time.Now()
	// Operator is an admin account: it records cash collected, refunds,
	// remittances and the bank's returns.
	Operator auth.User
	// Customer places a quarter of the web orders signed in.
	Customer auth.User
	// VendorUser works for the demo cooperative (its VendorID): it packs
	// and ships the cooperative's parcels, and the cooperative gets more
	// orders than the others.
	VendorUser auth.User
	// CMI is the card gateway the history pays through, answering as CMI's
	// simulator does; nil for cash on delivery only.
	CMI *cmi.Config
	Log *slog.Logger
}

// HistoryStats say what History made.
type HistoryStats struct {
	Orders    map[order.Status]int // customer orders by status at the end
	Batches   int                  // payout batches with transfers
	Transfers int
	Failed    int         // transfers the bank sent back
	PaidOut   money.Money // transfers sent, less those failed
	Took      time.Duration
}

// OrderCount is how many orders History made.
func (s HistoryStats) OrderCount() int {
	n := 0
	for _, c := range s.Orders {
		n += c
	}
	return n
}

// The history's fixed parts: the payout schedule, and how long the bank
// takes to confirm a transfer.
const (
	payoutHour   = 10
	confirmAfter = 2 // days
	failReason   = "compte clôturé — RIB à vérifier"
)

// History makes opts.Days of trade ending at opts.End. The same seed, the
// same catalog and the same end give the same history.
func History(ctx context.Context, deps HistoryDeps, opts HistoryOptions) (HistoryStats, error) {
	started := time.Now()
	st := HistoryStats{Orders: map[order.Status]int{}, PaidOut: money.Dirhams(0)}
	if opts.Days <= 0 {
		return st, nil
	}
	switch {
	case opts.Operator.ID == 0 || opts.Operator.Role != auth.RoleAdmin:
		return st, errors.New("demo history: the operator must be an admin account")
	case opts.Customer.ID == 0:
		return st, errors.New("demo history: no customer account")
	case opts.VendorUser.VendorID == 0 || !opts.VendorUser.IsVendorUser():
		return st, errors.New("demo history: no account of the demo cooperative")
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	end := opts.End
	if end.IsZero() {
		end = time.Now()
	}
	end = end.UTC()
	first := midnight(end).AddDate(0, 0, -opts.Days)
	c := &clock{t: first}
	h := &history{ctx: ctx, opts: opts, end: end, clock: c, rng: rand.New(rand.NewPCG(opts.Seed, 4)),
		orders: order.NewService(deps.DB, deps.Shipping, c.now), payouts: payout.NewService(deps.DB, c.now),
		ledger: ledger.NewService(deps.DB, c.now), batches: map[string]int64{}, stalls: map[int64]*stall{}}
	// The history's e-mails belong to days that are over: the notify
	// worker records them as sent, to no one, so that nobody receives a
	// month of old mail when souk starts.
	h.mail = &notify.Worker{DB: deps.DB, Sender: pastMail{}, From: "souk <no-reply@demo.souk.ma>", Now: c.now,
		Log: opts.Log, Batch: 500}
	if opts.CMI != nil {
		h.orders.SetGateways(order.Gateways{CMI: opts.CMI})
	}
	if err := h.orders.Init(ctx); err != nil {
		return st, err
	}
	if err := h.openStalls(ctx, deps); err != nil {
		return st, err
	}
	if h.coop == nil || len(h.sellers) == 0 {
		opts.Log.Info("demo: no history, too little on sale")
		return st, nil
	}
	h.plan(first)
	slices.SortStableFunc(h.events, func(a, b event) int { return a.at.Compare(b.at) })
	for _, e := range h.events {
		if e.at.After(end) {
			break
		}
		c.t = e.at
		if err := e.do(); err != nil {
			return st, fmt.Errorf("demo history, %s on %s: %w", e.what, e.at.In(ledger.Casablanca).Format("2006-01-02 15:04"), err)
		}
	}
	c.t = end
	if err := h.sendMail(); err != nil {
		return st, err
	}
	for _, s := range []order.Status{order.Placed, order.Confirmed, order.Packed, order.Shipped, order.Delivered, order.Completed,
		order.ReturnRequested, order.Returned, order.Refunded, order.Cancelled} {
		page, err := h.orders.AdminOrders(ctx, opts.Operator, order.AdminFilter{Status: s, PerPage: 1})
		if err != nil {
			return st, err
		}
		if page.Total > 0 {
			st.Orders[s] = page.Total
		}
	}
	st.Batches, st.Transfers, st.Failed, st.PaidOut = h.made.batches, h.made.transfers, h.made.failed, money.Dirhams(h.made.paid)
	st.Took = time.Since(started)
	opts.Log.Info("demo: history loaded", "days", opts.Days, "orders", st.OrderCount(), "batches", st.Batches,
		"transfers", st.Transfers, "paid_out", st.PaidOut.String(), "took", st.Took.Round(time.Millisecond))
	return st, nil
}

// clock is the history's time, read by its services; one goroutine moves it.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// pastMail is the Sender of the history's e-mails: they are not sent.
type pastMail struct{}

func (pastMail) Send(context.Context, string, string, []byte) error { return nil }

// event is something that happens at a time.
type event struct {
	at   time.Time
	what string
	do   func() error
}

// stall is a vendor the history buys from: what it has on sale, and who
// packs and ships its parcels.
type stall struct {
	v      vendor.Vendor
	offers []offer
	actor  auth.User
}

// offer is a variant on sale; left is how many the history may still
// take, leaving some in stock.
type offer struct {
	variant     int64
	price       int64
	grams, left int
}

// line is a quantity of an offer in a basket.
type line struct {
	offer    *offer
	quantity int
}

// planned is an order the history will place, and once placed, as it
// stands.
type planned struct {
	channel string
	buyer   auth.User // zero: a guest
	in      order.CheckoutInput
	lines   []line
	vendors []int64 // the parcels' vendors
	o       order.Order
}

type history struct {
	ctx      context.Context
	opts     HistoryOptions
	end      time.Time
	clock    *clock
	rng      *rand.Rand
	orders   *order.Service
	payouts  *payout.Service
	ledger   *ledger.Service
	mail     *notify.Worker
	coop     *stall
	sellers  []*stall // the others
	stalls   map[int64]*stall
	events   []event
	batches  map[string]int64 // the day's scheduled batch, by Casablanca date
	failedOn bool             // a transfer failed already
	made     struct {
		batches, transfers, failed int
		paid                       int64
	}
}

// openStalls reads what the demo cooperative and fifteen other approved
// vendors have on sale.
func (h *history) openStalls(ctx context.Context, deps HistoryDeps) error {
	vs, _, err := deps.Vendors.List(ctx, h.opts.Operator, vendor.Filter{Status: vendor.Approved, PerPage: 100})
	if err != nil {
		return err
	}
	var others []vendor.Vendor
	var coop vendor.Vendor
	for _, v := range vs {
		if v.ID == h.opts.VendorUser.VendorID {
			coop = v
		} else {
			others = append(others, v)
		}
	}
	if coop.ID == 0 {
		return fmt.Errorf("demo history: vendor %d of %s is not approved", h.opts.VendorUser.VendorID, h.opts.VendorUser.Email)
	}
	h.rng.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
	others = others[:min(len(others), 15)]
	for i, v := range append([]vendor.Vendor{coop}, others...) {
		page, err := deps.Catalog.List(ctx, h.opts.Operator, catalog.Filter{Vendor: strconv.FormatInt(v.ID, 10),
			Status: catalog.Published, PerPage: 30})
		if err != nil {
			return err
		}
		s := &stall{v: v, actor: h.opts.Operator}
		for _, p := range page.Items {
			for _, x := range p.Variants {
				if x.Stock >= 4 && x.Price.Currency == money.MAD && x.WeightGrams <= 5000 {
					s.offers = append(s.offers, offer{variant: x.ID, price: x.Price.Amount, grams: x.WeightGrams, left: x.Stock - 2})
				}
			}
		}
		if len(s.offers) == 0 {
			continue
		}
		h.stalls[v.ID] = s
		if i == 0 {
			s.actor, h.coop = h.opts.VendorUser, s
		} else {
			h.sellers = append(h.sellers, s)
		}
	}
	return nil
}

// at plans do at t.
func (h *history) at(t time.Time, what string, do func() error) {
	h.events = append(h.events, event{at: t.UTC(), what: what, do: do})
}

// midnight is the start of t's day in Casablanca.
func midnight(t time.Time) time.Time {
	l := t.In(ledger.Casablanca)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, ledger.Casablanca)
}

// clockAt is hour:minute on day.
func clockAt(day time.Time, hour, minute int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, ledger.Casablanca)
}

// daytime moves t into working hours, 8:00 to 20:00 in Casablanca: what
// would happen in the night from 20:00 waits for the morning, spread over
// 8:00 to 12:00 in the same order.
func daytime(t time.Time) time.Time {
	l := t.In(ledger.Casablanca)
	night := l.Hour()*60 + l.Minute() - 20*60 // minutes since 20:00
	switch {
	case night >= 0:
		l = l.AddDate(0, 0, 1)
	case l.Hour() < 8:
		night += 24 * 60
	default:
		return t
	}
	return clockAt(l, 8, night/3)
}

// hours is a random duration of lo to hi hours, to the minute.
func (h *history) hours(lo, hi int) time.Duration {
	return time.Duration(between(h.rng, lo*60, hi*60)) * time.Minute
}

// plan lays out every day from first to the end's day: payouts confirmed
// at 9:00 and run at 10:00, one to three orders (and often one more for
// the demo cooperative) through the day, a supermarket's order every
// eighth day, a shop's counter sale every twelfth, two returns, a partial
// refund and a carrier's remittance a week before the end. A few orders
// are placed to leave something in each state at the end, whatever its
// time of day.
func (h *history) plan(first time.Time) {
	days := h.opts.Days
	for i := 0; i <= days; i++ {
		day := first.AddDate(0, 0, i)
		h.at(clockAt(day, payoutHour-1, 0), "payout confirmations", h.confirm(day.AddDate(0, 0, -confirmAfter)))
		h.at(clockAt(day, payoutHour, 0), "payout run", h.runPayouts(day))
		for range between(h.rng, 1, 3) {
			h.webOrder(day, nil)
		}
		if chance(h.rng, 60) {
			h.webOrder(day, h.coop)
		}
		if i%8 == 3 {
			h.supermarketOrder(day)
		}
		if i%12 == 5 {
			h.shopSale(day)
		}
		if i == days-7 {
			h.at(clockAt(day, 15, 30), "carrier remittance", h.remit)
		}
		if i == days/3 || i == days/2 {
			h.returned(day)
		}
		if i == days/3+2 {
			h.refundedInPart(day)
		}
	}
	h.dueUnpaid(first)
	h.collectedToday(first)
	h.waiting(first)
}

// webOrder plans a web order placed on day: from only's stall, or from one
// to three vendors; a quarter by the demo customer, the rest by guests;
// one in seven by card when a gateway is set, the rest cash on delivery.
// A few are cancelled before they ship.
func (h *history) webOrder(day time.Time, only *stall) {
	placed := clockAt(day, 8, 0).Add(h.hours(0, 14))
	stalls := []*stall{only}
	if only == nil {
		stalls = h.pickSellers(weighted(h.rng, []int{6, 3, 1}) + 1)
	}
	p := h.order("web", stalls, 1, 3)
	if p == nil {
		return
	}
	if chance(h.rng, 25) {
		p.buyer, p.in = h.opts.Customer, h.customerInput()
	}
	if h.opts.CMI != nil && chance(h.rng, 14) {
		p.in.PaymentMethod = order.CMI
	}
	h.at(placed, "order", h.place(p))
	ready := placed
	if p.in.PaymentMethod == order.CMI {
		ready = placed.Add(time.Duration(between(h.rng, 2, 9)) * time.Minute)
		h.at(ready, "card payment", h.payByCard(p))
	} else if chance(h.rng, 8) {
		cancelAt := daytime(placed.Add(h.hours(1, 6)))
		h.at(cancelAt, "cancellation", h.cancel(p))
		ready = cancelAt // the parcels left go on
	}
	h.fulfil(p, ready, p.in.PaymentMethod == order.COD)
}

// pickSellers picks n different vendors, the demo cooperative among them
// one time in five.
func (h *history) pickSellers(n int) []*stall {
	pool := append([]*stall{}, h.sellers...)
	if chance(h.rng, 20) {
		pool = append(pool, h.coop)
	}
	h.rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return pool[:min(n, len(pool))]
}

// order fills a basket of one or two variants from each stall, from lo to
// hi of each, up to the web's minimum order (50 MAD) at least; nil when
// the stalls have too little left.
func (h *history) order(channel string, stalls []*stall, lo, hi int) *planned {
	const minimum = 5000
	p := &planned{channel: channel, in: h.guestInput()}
	var total int64
	taken := map[int64]int{}
	for _, s := range stalls {
		grams := 0
		for range between(h.rng, 1, 2) {
			o := &s.offers[h.rng.IntN(len(s.offers))]
			q := min(between(h.rng, lo, hi), o.left-taken[o.variant])
			if q <= 0 || taken[o.variant] > 0 || grams+q*o.grams > 20000 {
				continue
			}
			taken[o.variant] = q
			grams += q * o.grams
			total += int64(q) * o.price
			p.lines = append(p.lines, line{offer: o, quantity: q})
		}
		if grams > 0 {
			p.vendors = append(p.vendors, s.v.ID)
		}
	}
	for i := 0; total < minimum && i < len(p.lines); i++ {
		l := &p.lines[i]
		o := l.offer
		more := min(int((minimum-total+o.price-1)/o.price), o.left-l.quantity)
		if more > 0 {
			l.quantity += more
			total += int64(more) * o.price
		}
	}
	if len(p.lines) == 0 || (total < minimum && channel == "web") {
		return nil
	}
	for _, l := range p.lines {
		l.offer.left -= l.quantity
	}
	return p
}

// fulfil plans each parcel packed, shipped and delivered after ready, each
// at its own pace, and the cash collected after the last delivery.
func (h *history) fulfil(p *planned, ready time.Time, cod bool) time.Time {
	last := ready
	for _, v := range p.vendors {
		packed := daytime(ready.Add(h.hours(2, 20)))
		shipped := daytime(packed.Add(h.hours(2, 26)))
		delivered := daytime(shipped.Add(h.hours(20, 70)))
		h.send(p, v, packed, shipped, delivered)
		if delivered.After(last) {
			last = delivered
		}
	}
	collected := daytime(last.Add(h.hours(1, 20)))
	if cod {
		h.at(collected, "cash collected", h.collect(p))
	}
	return collected
}

// send plans vendor v's parcel of p packed, shipped and delivered.
func (h *history) send(p *planned, v int64, packed, shipped, delivered time.Time) {
	s := h.stalls[v]
	tracking := h.tracking()
	h.at(packed, "packing", h.move(p, v, s.actor, order.Confirmed, order.Packed, ""))
	h.at(shipped, "shipping", func() error {
		vo, ok := p.parcel(v, order.Packed)
		if !ok {
			return nil
		}
		o, err := h.orders.Ship(h.ctx, s.actor, vo.ID, "", tracking, "")
		p.o = o
		return err
	})
	h.at(delivered, "delivery", h.move(p, v, h.opts.Operator, order.Shipped, order.Delivered, ""))
}

// tracking is a carrier's tracking number.
func (h *history) tracking() string {
	return "RR" + digits(h.rng, 9) + "MA"
}

// parcel is vendor v's parcel of the order if it is in status from.
func (p *planned) parcel(v int64, from order.Status) (order.VendorOrder, bool) {
	for _, vo := range p.o.Vendors {
		if vo.VendorID == v && vo.Status == from {
			return vo, true
		}
	}
	return order.VendorOrder{}, false
}

// move moves vendor v's parcel of p from → to as by, if it is still in
// from (it may have been cancelled, or its order never placed).
func (h *history) move(p *planned, v int64, by auth.User, from, to order.Status, note string) func() error {
	return func() error {
		vo, ok := p.parcel(v, from)
		if !ok {
			return nil
		}
		o, err := h.orders.Move(h.ctx, by, vo.ID, to, note, "")
		p.o = o
		return err
	}
}

// place puts p's basket in a new cart and checks it out.
func (h *history) place(p *planned) func() error {
	return func() error {
		c, err := h.orders.NewCart(h.ctx, p.buyer, p.channel)
		if err != nil {
			return err
		}
		for _, l := range p.lines {
			if _, err := h.orders.SetItem(h.ctx, p.buyer, c.ID, l.offer.variant, l.quantity, true); err != nil {
				return err
			}
		}
		p.o, _, err = h.orders.Checkout(h.ctx, p.buyer, c.ID, "", p.in)
		return err
	}
}

// payByCard pays p at CMI: the callback CMI's simulator would post for an
// accepted card, signed with the store key.
func (h *history) payByCard(p *planned) func() error {
	return func() error {
		form, err := h.orders.CMIPayment(h.ctx, p.o, p.o.Locale)
		if err != nil {
			return err
		}
		fields := url.Values{}
		for k, v := range form.Fields {
			if k != "HASH" {
				fields[k] = v
			}
		}
		fields.Set("ProcReturnCode", "00")
		fields.Set("Response", "Approved")
		fields.Set("mdStatus", "1")
		fields.Set("AuthCode", strconv.Itoa(100000+int(p.o.ID)))
		fields.Set("TransId", fmt.Sprintf("DEMO%08d", p.o.ID))
		fields.Set("HASH", cmi.CallbackHash(fields, h.opts.CMI.StoreKey))
		answer, err := h.orders.CMICallback(h.ctx, fields)
		if err != nil {
			return err
		}
		if answer != cmi.AnswerCapture {
			return fmt.Errorf("card payment of %s answered %q", p.o.Number, answer)
		}
		p.o, err = h.orders.Get(h.ctx, h.opts.Operator, p.o.Number)
		return err
	}
}

// cancel cancels p before it ships: one parcel out of stock (its vendor),
// or the whole order (the customer, or the operator for a guest who does
// not answer the phone).
func (h *history) cancel(p *planned) func() error {
	oneParcel := len(p.vendors) > 1 && chance(h.rng, 50)
	return func() error {
		var err error
		switch {
		case p.o.ID == 0:
			return nil
		case oneParcel:
			v := p.vendors[len(p.vendors)-1]
			return h.move(p, v, h.stalls[v].actor, order.Confirmed, order.Cancelled, "Rupture de stock : le produit est épuisé")()
		case p.buyer.ID != 0:
			p.o, err = h.orders.CancelOrder(h.ctx, p.buyer, p.o.Number, "Commandé deux fois par erreur")
		default:
			p.o, err = h.orders.OperatorCancel(h.ctx, h.opts.Operator, p.o.Number, "Client injoignable après trois appels")
		}
		return err
	}
}

// collect records the cash the carrier collected for p.
func (h *history) collect(p *planned) func() error {
	return func() error {
		if p.o.ID == 0 || p.o.Status == order.Cancelled {
			return nil
		}
		o, err := h.orders.CODCollected(h.ctx, h.opts.Operator, p.o.Number)
		p.o = o
		return err
	}
}

// supermarketOrder plans a supermarket's order on day: six to twelve of one
// or two products of a vendor, delivered to its goods entrance, paid cash
// on delivery.
func (h *history) supermarketOrder(day time.Time) {
	s := h.coop
	if chance(h.rng, 50) {
		s = pick(h.rng, h.sellers)
	}
	p := h.order("supermarket", []*stall{s}, 6, 12)
	if p == nil {
		return
	}
	city := pick(h.rng, []string{"casablanca", "rabat", "marrakech", "tanger", "agadir"})
	p.in = order.CheckoutInput{Email: "achats." + city + "@example.com", Phone: "05" + digits(h.rng, 8), PaymentMethod: order.COD,
		Locale: "fr", Address: order.Address{Name: "Supermarché — service des achats", Line1: "Zone industrielle, lot " + strconv.Itoa(between(h.rng, 2, 80)),
			Line2: "Quai de réception", City: city, PostalCode: postalCodes[city], Country: "MA"}}
	placed := clockAt(day, 9, 0).Add(h.hours(0, 8))
	h.at(placed, "supermarket order", h.place(p))
	h.fulfil(p, placed, true)
}

// shopSale plans a sale at a shop's counter on day: paid in cash at once
// and handed over (the shop channel's earning falls due from the sale).
func (h *history) shopSale(day time.Time) {
	s := h.coop
	if chance(h.rng, 50) {
		s = pick(h.rng, h.sellers)
	}
	p := h.order("shop", []*stall{s}, 1, 2)
	if p == nil {
		return
	}
	p.in.Address.City, p.in.Address.PostalCode = "casablanca", postalCodes["casablanca"]
	sold := clockAt(day, 11, 0).Add(h.hours(0, 7))
	h.at(sold, "counter sale", h.place(p))
	h.at(sold.Add(time.Minute), "cash at the counter", h.collect(p))
	h.send(p, s.v.ID, sold.Add(2*time.Minute), sold.Add(3*time.Minute), sold.Add(4*time.Minute))
}

// returned plans an order of the demo customer, from one vendor, that is
// delivered, paid, then sent back and refunded: the return asked for two
// days after the cash came in, the parcel back three days later, refunded
// (all but the shipping, which the carrier earned).
func (h *history) returned(day time.Time) {
	s := pick(h.rng, h.sellers)
	p := h.order("web", []*stall{s}, 1, 2)
	if p == nil {
		return
	}
	p.buyer, p.in = h.opts.Customer, h.customerInput()
	placed := clockAt(day, 20, 15)
	h.at(placed, "order", h.place(p))
	asked := daytime(h.fulfil(p, placed, true).Add(h.hours(40, 60)))
	back := daytime(asked.Add(h.hours(60, 80)))
	v := s.v.ID
	h.at(asked, "return asked", h.move(p, v, p.buyer, order.Delivered, order.ReturnRequested, "La taille ne convient pas"))
	h.at(back, "return received", h.move(p, v, s.actor, order.ReturnRequested, order.Returned, "Colis retourné reçu en bon état"))
	h.at(back.Add(2*time.Hour), "refund", func() error {
		vo, ok := p.parcel(v, order.Returned)
		if !ok {
			return nil
		}
		o, err := h.orders.Refund(h.ctx, h.opts.Operator, p.o.Number, vo.Items.Amount, "Retour reçu — remboursé par virement")
		p.o = o
		if err != nil {
			return err
		}
		return h.move(p, v, h.opts.Operator, order.Returned, order.Refunded, "")()
	})
}

// refundedInPart plans a guest's order of which a fifth of the first
// parcel is refunded the day after the cash came in: a jar arrived
// cracked.
func (h *history) refundedInPart(day time.Time) {
	p := h.order("web", h.pickSellers(1), 2, 3)
	if p == nil {
		return
	}
	placed := clockAt(day, 18, 40)
	h.at(placed, "order", h.place(p))
	h.at(daytime(h.fulfil(p, placed, true).Add(h.hours(20, 30))), "partial refund", func() error {
		if p.o.Payment.Status != order.PaymentCaptured {
			return nil
		}
		amount := p.o.Vendors[0].Items.Amount / 5 / 100 * 100
		o, err := h.orders.Refund(h.ctx, h.opts.Operator, p.o.Number, amount, "Un pot est arrivé fêlé : remboursement partiel")
		p.o = o
		return err
	})
}

// dueUnpaid plans an order whose earning falls due after the last payout
// run before the end and before the end itself: money due, waiting for
// the next run.
func (h *history) dueUnpaid(first time.Time) {
	last := clockAt(h.end.In(ledger.Casablanca), payoutHour, 0)
	if last.After(h.end) {
		last = last.AddDate(0, 0, -1)
	}
	due := last.Add(h.end.Sub(last) / 2)
	h.anchored(first, pick(h.rng, h.sellers), due.In(ledger.Casablanca).AddDate(0, 0, -3), time.Hour)
}

// collectedToday plans an order of the demo cooperative delivered and paid
// earlier on the end's day, so that its statement of the month has a line
// even on the first of the month.
func (h *history) collectedToday(first time.Time) {
	today := midnight(h.end)
	paid := today.Add(h.end.Sub(today) / 2)
	h.anchored(first, h.coop, paid.Add(-time.Minute), time.Minute)
}

// waiting plans two orders of the demo cooperative that wait for it at
// the end: one placed three hours before, to pack, and one placed the day
// before and packed, to ship.
func (h *history) waiting(first time.Time) {
	for _, ago := range []time.Duration{3 * time.Hour, 27 * time.Hour} {
		placed := h.end.Add(-ago)
		p := h.order("web", []*stall{h.coop}, 1, 2)
		if p == nil || placed.Before(first) {
			continue
		}
		h.at(placed, "order", h.place(p))
		if ago > 24*time.Hour {
			h.at(placed.Add(20*time.Hour), "packing", h.move(p, h.coop.v.ID, h.coop.actor, order.Confirmed, order.Packed, ""))
		}
	}
}

// anchored plans a one-vendor web order delivered at delivered, placed
// two days before (not before first), its cash collected after.
func (h *history) anchored(first time.Time, s *stall, delivered time.Time, collectAfter time.Duration) {
	placed := delivered.Add(-48 * time.Hour)
	if placed.Before(first) {
		return
	}
	p := h.order("web", []*stall{s}, 1, 2)
	if p == nil {
		return
	}
	h.at(placed, "order", h.place(p))
	h.send(p, s.v.ID, placed.Add(5*time.Hour), placed.Add(20*time.Hour), delivered)
	h.at(delivered.Add(collectAfter), "cash collected", h.collect(p))
}

// runPayouts is day's scheduled payout run.
func (h *history) runPayouts(day time.Time) func() error {
	slot := clockAt(day, payoutHour, 0).Format("2006-01-02 15:04")
	return func() error {
		r, err := h.payouts.Run(h.ctx, auth.User{}, payout.RunOptions{Source: payout.Schedule, Slot: slot})
		if err != nil {
			return err
		}
		if len(r.Paid) > 0 {
			h.batches[day.Format(time.DateOnly)] = r.BatchID
			h.made.batches++
		}
		for _, p := range r.Paid {
			h.made.transfers++
			h.made.paid += p.Amount.Amount
		}
		return nil
	}
}

// confirm is the bank's word on the batch sent on day: every transfer
// arrived, but the first one to the demo cooperative came back, so that
// its payouts page shows a failure too (the next run pays it again).
func (h *history) confirm(day time.Time) func() error {
	return func() error {
		id, ok := h.batches[day.Format(time.DateOnly)]
		if !ok {
			return nil
		}
		if !h.failedOn {
			_, ps, err := h.payouts.Batch(h.ctx, h.opts.Operator, id)
			if err != nil {
				return err
			}
			slices.SortFunc(ps, func(a, b payout.Payout) int { return cmp.Compare(a.ID, b.ID) })
			for _, p := range ps {
				if p.VendorID != h.coop.v.ID || p.Status != payout.Sent {
					continue
				}
				if _, err := h.payouts.Fail(h.ctx, h.opts.Operator, p.ID, failReason); err != nil {
					return err
				}
				h.failedOn = true
				h.made.failed++
				h.made.paid -= p.Amount.Amount
				break
			}
		}
		_, err := h.payouts.ConfirmBatch(h.ctx, auth.User{}, id)
		return err
	}
}

// remit records the remittance of the carrier that holds the most cash on
// delivery: what it holds, in whole hundreds of dirhams.
func (h *history) remit() error {
	held, err := h.ledger.Receivables(h.ctx, h.opts.Operator)
	if err != nil {
		return err
	}
	for _, r := range held {
		carrier, ok := strings.CutPrefix(r.Account, "cod:")
		if !ok || r.Holds.Currency != money.MAD || r.Holds.Amount < 10000 {
			continue
		}
		amount := money.Dirhams(r.Holds.Amount / 10000 * 10000)
		ref := "BORDEREAU-" + strings.ToUpper(carrier) + "-" + h.clock.now().In(ledger.Casablanca).Format("20060102")
		_, err := h.ledger.RecordRemittance(h.ctx, h.opts.Operator, r.Account, amount, ref)
		return err
	}
	return nil
}

// sendMail marks the history's e-mails as sent (see History).
func (h *history) sendMail() error {
	for {
		n, err := h.mail.RunOnce(h.ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

// customerInput is the demo customer's checkout: always the same address.
func (h *history) customerInput() order.CheckoutInput {
	return order.CheckoutInput{Email: h.opts.Customer.Email, Phone: "06 61 23 45 78", PaymentMethod: order.COD, Locale: "fr",
		Address: order.Address{Name: "Salma Bennani", Line1: "27 avenue Mohammed V", Line2: "Appartement 4", City: "rabat",
			PostalCode: postalCodes["rabat"], Country: "MA"}}
}

// guestInput is a guest's checkout: a name, an address in a Moroccan city,
// a mobile number, an e-mail address at example.com (nobody's), and the
// language of the guest's browser.
func (h *history) guestInput() order.CheckoutInput {
	first, last := pick(h.rng, firstNames), pick(h.rng, lastNames)
	city := pick(h.rng, guestCities)
	return order.CheckoutInput{
		Email:         text.Slugify(first) + "." + text.Slugify(last) + digits(h.rng, 2) + "@example.com",
		Phone:         pick(h.rng, []string{"06", "07"}) + digits(h.rng, 8),
		PaymentMethod: order.COD,
		Locale:        []string{"ar", "fr", "en", "es"}[weighted(h.rng, []int{50, 35, 10, 5})],
		Address: order.Address{Name: first + " " + last, Line1: strconv.Itoa(between(h.rng, 1, 120)) + " " + pick(h.rng, streets),
			City: city, PostalCode: postalCodes[city], Country: "MA"},
	}
}

var (
	firstNames = []string{"Fatima Zahra", "Amina", "Youssef", "Mehdi", "Khadija", "Omar", "Salma", "Hamza", "Imane", "Yassine",
		"Nadia", "Karim", "Sara", "Anas", "Houda", "Rachid", "Meryem", "Ayoub", "Soukaina", "Driss", "Hajar", "Zakaria"}
	lastNames = []string{"Benali", "El Idrissi", "Alaoui", "Bennani", "Tazi", "Chraibi", "Berrada", "Ouazzani", "Amrani",
		"El Fassi", "Benjelloun", "Lahlou", "Aït Lahcen", "Boutaleb", "Oubella", "Naciri", "Sqalli", "Kettani"}
	streets = []string{"rue des Oudayas", "avenue Hassan II", "boulevard Zerktouni", "rue Ibn Battouta", "avenue des FAR",
		"rue de Fès", "boulevard Abdelmoumen", "derb Sidi Bouloukat", "rue Moulay Ismaïl", "avenue Allal El Fassi",
		"résidence Al Amal, immeuble 3", "lotissement Al Massira"}
	guestCities = []string{"casablanca", "casablanca", "casablanca", "rabat", "rabat", "marrakech", "marrakech", "fes", "tanger",
		"agadir", "meknes", "oujda", "kenitra", "tetouan", "sale", "el-jadida", "safi", "beni-mellal", "nador", "ouarzazate"}
	postalCodes = map[string]string{"casablanca": "20000", "rabat": "10000", "marrakech": "40000", "fes": "30000",
		"tanger": "90000", "agadir": "80000", "meknes": "50000", "oujda": "60000", "kenitra": "14000", "tetouan": "93000",
		"sale": "11000", "el-jadida": "24000", "safi": "46000", "beni-mellal": "23000", "nador": "62000", "ouarzazate": "45000"}
)
