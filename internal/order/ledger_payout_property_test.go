package order_test

import (
	"fmt"
	"math/big"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/ledger"
	"souk/internal/morocco"
	"souk/internal/payout"
	"souk/internal/vendor"
)

// Payouts in TestLedgerProperties: runs on the test's clock (the order
// service's, so due dates and runs agree), transfers confirmed or failed at
// random, tapis-atlas without a RIB until two thirds of the way in (held
// until then), dar-kitab suspended and reinstated at random (held while
// suspended).

// mPayout is one transfer as the model knows it.
type mPayout struct {
	id     int64
	vendor int // index in shop.vendors
	amount int64
	status payout.Status
}

// payoutModel is what the run knows of payouts: every transfer made, and
// which vendors cannot be paid.
type payoutModel struct {
	pay       *payout.Service
	transfers []*mPayout
	noRIB     [3]bool
	suspended [3]bool
}

func (r *ledgerRun) setUpPayouts() {
	r.pay = payout.NewService(r.s.d, r.s.clock.now)
	r.setRIB(0)
	r.noRIB[1] = true
	r.setRIB(2)
}

// setRIB gives vendor vi a valid RIB of its own.
func (r *ledgerRun) setRIB(vi int) {
	in := vendors()[vi]
	in.Texts = map[string]vendor.Texts{"fr": {DisplayName: in.LegalName}}
	first22 := fmt.Sprintf("0117800000%012d", vi+1)
	in.RIB = first22 + morocco.RIBKey(first22)
	if _, err := vendor.NewService(r.s.d, r.s.clock.now).Update(r.ctx, r.s.operator, r.s.vendors[vi].ID, in); err != nil {
		r.t.Fatalf("RIB of %s: %v", in.Slug, err)
	}
	r.noRIB[vi] = false
}

// vendorEvent gives tapis-atlas its RIB (from two thirds of the way in), or
// else suspends or reinstates dar-kitab.
func (r *ledgerRun) vendorEvent(i int) {
	if r.noRIB[1] && i >= 2*r.steps/3 {
		r.last = "vendor " + r.s.vendors[1].Slug + " gives its RIB"
		r.setRIB(1)
		return
	}
	to := vendor.Suspended
	if r.suspended[2] {
		to = vendor.Approved
	}
	r.last = "vendor " + r.s.vendors[2].Slug + " " + string(to)
	if _, err := vendor.NewService(r.s.d, r.s.clock.now).MoveTo(r.ctx, r.s.operator, r.s.vendors[2].ID, to, "documents expired"); err != nil {
		r.t.Fatalf("%s: %v", r.last, err)
	}
	r.suspended[2] = to == vendor.Suspended
}

// netPaid is what payouts took from vendor vi's balance: sent less failed.
func (r *ledgerRun) netPaid(vi int) int64 {
	var n int64
	for _, p := range r.transfers {
		if p.vendor == vi && p.status != payout.Failed {
			n += p.amount
		}
	}
	return n
}

// paidOut sums the transfers confirmed, and all those not failed.
func (r *ledgerRun) paidOut() (confirmed, net int64) {
	for _, p := range r.transfers {
		switch p.status {
		case payout.Confirmed:
			confirmed += p.amount
			net += p.amount
		case payout.Sent:
			net += p.amount
		}
	}
	return confirmed, net
}

func (r *ledgerRun) vendorIndex(id int64) int {
	for i, v := range r.s.vendors {
		if v.ID == id {
			return i
		}
	}
	r.t.Fatalf("payout to unknown vendor %d", id)
	return -1
}

// payoutRun runs payouts at the clock's time. Each vendor's due total just
// before is the model's (within its rounding); a vendor that can be paid
// and has a positive due total gets exactly that, leaving 0 due; the
// others are held, or owe, and get nothing. Cumulatively, no vendor is
// paid more than the earnings that were ever due to it (nothing paid
// twice), and a second run at the same time pays nothing.
func (r *ledgerRun) payoutRun() {
	t, now := r.t, r.s.clock.now()
	before := make([]int64, len(r.s.vendors))
	want := make([]*big.Rat, len(r.s.vendors))
	earned := make([]*big.Rat, len(r.s.vendors))
	pending := false
	for vi := range r.s.vendors {
		b := r.balance(vi)
		before[vi] = b.Due.Amount
		pending = pending || len(b.Pending) > 0
		dueNow, _, _, _ := r.earnings(vi, now)
		want[vi] = dueNow.Sub(dueNow, rat(r.netPaid(vi)))
		earned[vi] = new(big.Rat)
	}
	// Each parcel's earning counts once, as it stood when a run first found
	// it due: refunds and returns after that only lower what is owed.
	for _, o := range r.orders {
		if !o.paid {
			continue
		}
		for _, p := range o.parcels {
			if p.dueEarned == nil && !p.deliveredAt.IsZero() && !due(p.deliveredAt, o.channel).After(now) {
				p.dueEarned = new(big.Rat).Set(p.earning)
			}
			if p.dueEarned != nil {
				earned[p.vendor].Add(earned[p.vendor], p.dueEarned)
			}
		}
	}
	rep, err := r.pay.Run(r.ctx, auth.User{}, payout.RunOptions{Source: payout.Command})
	if err != nil {
		t.Fatalf("payout run: %v", err)
	}
	if pending {
		r.done["run before a due date"]++
	}
	r.last = fmt.Sprintf("payout-run paid %d, held %d, owing %d", len(rep.Paid), len(rep.Held), len(rep.Owing))
	if (rep.BatchID != 0) != (len(rep.Paid) > 0) {
		t.Errorf("payout run: batch %d for %d transfers", rep.BatchID, len(rep.Paid))
	}
	paid := map[int]int64{}
	for _, p := range rep.Paid {
		vi := r.vendorIndex(p.VendorID)
		if _, twice := paid[vi]; twice || p.Status != payout.Sent || p.Amount.Currency != "MAD" || p.BatchID != rep.BatchID {
			t.Errorf("payout run: transfer %+v (paid %v before in the run)", p, paid)
		}
		paid[vi] += p.Amount.Amount
		r.transfers = append(r.transfers, &mPayout{id: p.ID, vendor: vi, amount: p.Amount.Amount, status: payout.Sent})
	}
	held := map[int]payout.Held{}
	for _, h := range rep.Held {
		held[r.vendorIndex(h.VendorID)] = h
	}
	owing := map[int]int64{}
	for _, o := range rep.Owing {
		owing[r.vendorIndex(o.VendorID)] = o.Amount.Amount
	}
	for vi, v := range r.s.vendors {
		name, tol := v.Slug, 2*r.rounded[vi]
		reason := ""
		switch {
		case r.suspended[vi]:
			reason = payout.HeldNotApproved
		case r.noRIB[vi]:
			reason = payout.HeldNoRIB
		}
		r.near(name+" due before the run", before[vi], want[vi], tol)
		got := paid[vi]
		switch {
		case before[vi] > 0 && reason == "":
			if got != before[vi] {
				t.Errorf("%s: the run paid %d, %d was due", name, got, before[vi])
			}
			r.done["paid"]++
		case got != 0:
			t.Errorf("%s: the run paid %d with %d due (held: %q)", name, got, before[vi], reason)
		case before[vi] > 0:
			if h, ok := held[vi]; !ok || h.Reason != reason || h.Amount.Amount != before[vi] {
				t.Errorf("%s: %d due and %s, the run held %+v", name, before[vi], reason, held[vi])
			}
			r.done["held "+reason]++
		case before[vi] < 0:
			if owing[vi] != -before[vi] {
				t.Errorf("%s: owes %d, the run says %d", name, -before[vi], owing[vi])
			}
			r.done["owing"]++
		}
		if _, ok := held[vi]; ok && (before[vi] <= 0 || reason == "") {
			t.Errorf("%s: held %+v with %d due (reason %q)", name, held[vi], before[vi], reason)
		}
		if _, ok := owing[vi]; ok && before[vi] >= 0 {
			t.Errorf("%s: owing %d with %d due", name, owing[vi], before[vi])
		}
		if after := r.balance(vi).Due.Amount; after != before[vi]-got {
			t.Errorf("%s: %d due before the run, paid %d, %d due after", name, before[vi], got, after)
		}
		if net := r.netPaid(vi); rat(net).Cmp(new(big.Rat).Add(earned[vi], rat(int64(tol)))) > 0 {
			f, _ := earned[vi].Float64()
			t.Errorf("%s: paid out %d in all, more than the %.4f that ever fell due", name, net, f)
		}
	}
	r.replay("payout run", func() error {
		again, err := r.pay.Run(r.ctx, auth.User{}, payout.RunOptions{Source: payout.Command})
		if len(again.Paid) != 0 || again.BatchID != 0 {
			return fmt.Errorf("a second run at %s paid %+v", now, again.Paid)
		}
		return err
	})
}

// settle confirms or fails a random transfer still sent; doing it again
// changes nothing, and the other way is refused.
func (r *ledgerRun) settle(to payout.Status) {
	var sent []*mPayout
	for _, p := range r.transfers {
		if p.status == payout.Sent {
			sent = append(sent, p)
		}
	}
	if len(sent) == 0 {
		return
	}
	p := sent[r.rng.IntN(len(sent))]
	r.last = fmt.Sprintf("%s %s of %d to %s", to, payout.Reference(p.id), p.amount, r.s.vendors[p.vendor].Slug)
	const reason = "compte clôturé"
	confirm := func() (payout.Payout, error) { return r.pay.Confirm(r.ctx, auth.User{}, p.id) }
	fail := func() (payout.Payout, error) { return r.pay.Fail(r.ctx, auth.User{}, p.id, reason) }
	do, other := confirm, fail
	if to == payout.Failed {
		do, other = fail, confirm
	}
	got, err := do()
	if err != nil {
		r.t.Fatalf("%s: %v", r.last, err)
	}
	if got.Status != to || got.Amount.Amount != p.amount || got.VendorID != r.s.vendors[p.vendor].ID ||
		(to == payout.Failed) != (got.Failure == reason) {
		r.t.Errorf("%s: the payout is %+v", r.last, got)
	}
	p.status = to
	r.replay(string(to), func() error {
		again, err := do()
		if err == nil && again.Status != to {
			return fmt.Errorf("%s again: %s", to, again.Status)
		}
		return err
	})
	r.replay(string(to)+" then the other way", func() error {
		if _, err := other(); !errs.Is(err, errs.Conflict) {
			return fmt.Errorf("settled both ways: %v", err)
		}
		return nil
	})
}

// checkPayouts checks each vendor's transfers as the payout service lists
// them and its money in transit against the model, one ledger transaction
// per transfer sent, confirmed or failed, and the book's own check.
func (r *ledgerRun) checkPayouts(kinds map[string]int) {
	t, ctx, q := r.t, r.ctx, r.s.d.Read()
	settled := map[payout.Status]int{}
	for vi, v := range r.s.vendors {
		mine := map[int64]*mPayout{}
		var inTransit int64
		for _, p := range r.transfers {
			if p.vendor == vi {
				mine[p.id] = p
				if p.status == payout.Sent {
					inTransit += p.amount
				}
			}
		}
		ps, err := r.pay.VendorPayouts(ctx, r.s.operator, v.ID, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != len(mine) {
			t.Errorf("%s: %d payouts, want %d", v.Slug, len(ps), len(mine))
		}
		for _, p := range ps {
			if m := mine[p.ID]; m == nil || p.Status != m.status || p.Amount.Amount != m.amount {
				t.Errorf("%s: payout %+v, model %+v", v.Slug, p, m)
			}
		}
		var got int64
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = ? AND vendor_id = ?`,
			ledger.PayoutsInTransit, v.ID).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if -got != inTransit {
			t.Errorf("%s: %s holds %d, want −%d (the transfers still sent)", v.Slug, ledger.PayoutsInTransit, got, inTransit)
		}
	}
	for _, p := range r.transfers {
		settled[p.status]++
	}
	if sent := len(r.transfers); kinds[payout.LedgerSent] != sent || kinds[payout.LedgerConfirmed] != settled[payout.Confirmed] ||
		kinds[payout.LedgerFailed] != settled[payout.Failed] {
		t.Errorf("transactions %v: want %d payouts sent, %d confirmed, %d failed", kinds, sent, settled[payout.Confirmed], settled[payout.Failed])
	}
	rep, err := ledger.Check(ctx, q)
	if err != nil || !rep.OK() {
		t.Errorf("ledger check: %v %v", rep.Problems, err)
	}
}
