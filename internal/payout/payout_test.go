package payout_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/ledger"
	"souk/internal/morocco"
	"souk/internal/payout"
	"souk/internal/vendor"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// rib is a valid RIB built on first22 (the key is computed).
func rib(first22 string) string { return first22 + morocco.RIBKey(first22) }

// fixture is a book with an admin and vendors: paid (approved, a RIB),
// noRIB (approved, none), suspended (a RIB), and sales posted straight to
// the ledger.
type fixture struct {
	d                      *db.DB
	now                    time.Time
	admin, moderator       auth.User
	paid, noRIB, suspended int64
	payouts                *payout.Service
	ledger                 *ledger.Service
	sales                  int
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{d: d, now: t0}
	clock := func() time.Time { return f.now }
	a := auth.NewService(d, auth.Config{}, clock)
	var err error
	if f.admin, err = a.CreateUser(ctx, auth.NewUser{Email: "admin@souk.test", Name: "Salma", Password: "correct horse battery", Role: auth.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	if f.moderator, err = a.CreateUser(ctx, auth.NewUser{Email: "mod@souk.test", Name: "Karim", Password: "correct horse battery", Role: auth.RoleModerator}); err != nil {
		t.Fatal(err)
	}
	vs := vendor.NewService(d, clock)
	for i, in := range []vendor.Input{
		{Slug: "tifaouine", Kind: vendor.Cooperative, LegalName: "Coopérative Tifaouine", Region: "souss-massa", City: "Taroudant",
			CooperativeNumber: "2004/1", Email: "tifaouine@souk.test", RIB: rib("0117800000012345678901")},
		{Slug: "amlou", Kind: vendor.Cooperative, LegalName: "Coopérative Amlou", Region: "souss-massa", City: "Agadir", CooperativeNumber: "2010/7"},
		{Slug: "dar-kitab", Kind: vendor.Publisher, LegalName: "Dar Kitab", Region: "casablanca-settat", City: "Casablanca",
			ICE: "001234567000089", RIB: rib("2257800000098765432101")},
	} {
		in.Texts = map[string]vendor.Texts{"fr": {DisplayName: in.LegalName}}
		v, err := vs.Create(ctx, f.admin, in, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		switch i {
		case 0:
			f.paid = v.ID
		case 1:
			f.noRIB = v.ID
		case 2:
			f.suspended = v.ID
			if _, err := vs.MoveTo(ctx, f.admin, v.ID, vendor.Suspended, "documents expired"); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.payouts = payout.NewService(d, clock)
	f.ledger = ledger.NewService(d, clock)
	return f
}

// sale books a delivered card sale of items (commission 10%) for vendorID,
// due at due.
func (f *fixture) sale(t *testing.T, vendorID, items int64, due time.Time) {
	t.Helper()
	f.sales++
	s := ledger.Sale{VendorID: vendorID, Currency: "MAD", Items: items, Shipping: 3000, Commission: ledger.Commission(items, 1000),
		Carrier: "amana", Paid: ledger.Clearing("cmi"), DueAt: due}
	f.post(t, ledger.Transaction{Kind: "payment.captured", Reference: "S" + strings.Repeat("1", f.sales), Document: "S" + strings.Repeat("1", f.sales),
		At: f.now, Entries: s.Entries()})
}

func (f *fixture) post(t *testing.T, tr ledger.Transaction) {
	t.Helper()
	if err := f.d.Tx(context.Background(), func(tx db.Querier) error {
		_, err := ledger.Post(context.Background(), tx, tr)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) due(t *testing.T, vendorID int64) int64 {
	t.Helper()
	bs, err := f.ledger.VendorBalance(context.Background(), f.admin, vendorID, f.now)
	if err != nil {
		t.Fatal(err)
	}
	return bs[0].Due.Amount
}

func (f *fixture) sum(t *testing.T, account string, vendorID int64) int64 {
	t.Helper()
	var n int64
	if err := f.d.Read().QueryRowContext(context.Background(), `SELECT COALESCE(SUM(amount), 0) FROM ledger_entries
		WHERE account = ? AND vendor_id = ?`, account, vendorID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) check(t *testing.T) {
	t.Helper()
	r, err := ledger.Check(context.Background(), f.d.Read())
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("ledger check: %v", r.Problems)
	}
	problems, err := payout.Check(context.Background(), f.d.Read())
	if err != nil || len(problems) != 0 {
		t.Fatalf("payouts check: %v %v", problems, err)
	}
}

var machine = auth.User{}

// A run pays what is due and positive, holds the vendors it cannot pay,
// leaves what falls due later, and a second run pays nothing.
func TestRunPaysWhatIsDue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.sale(t, f.paid, 100000, t0.Add(-48*time.Hour))
		f.sale(t, f.paid, 20000, t0.Add(-time.Hour))
		f.sale(t, f.paid, 50000, t0.Add(24*time.Hour)) // later
		f.sale(t, f.noRIB, 10000, t0.Add(-time.Hour))
		f.sale(t, f.suspended, 10000, t0.Add(-time.Hour))

		r, err := f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Paid) != 1 || r.Paid[0].VendorID != f.paid || r.Paid[0].Amount.Amount != 108000 || r.Batch == "" {
			t.Fatalf("paid %+v", r.Paid)
		}
		if len(r.Totals) != 1 || r.Totals[0].Amount != 108000 {
			t.Fatalf("totals %+v", r.Totals)
		}
		held := map[int64]string{}
		for _, h := range r.Held {
			held[h.VendorID] = h.Reason
		}
		if held[f.noRIB] != payout.HeldNoRIB || held[f.suspended] != payout.HeldNotApproved || len(held) != 2 {
			t.Fatalf("held %+v", r.Held)
		}
		p := r.Paid[0]
		if p.Reference != payout.Reference(p.ID) || p.Seq != 1 || p.Status != payout.Sent || len(p.RIB) != 24 {
			t.Fatalf("payout %+v", p)
		}
		if got := f.due(t, f.paid); got != 0 {
			t.Fatalf("due after the run: %d", got)
		}
		if got := f.sum(t, ledger.PayoutsInTransit, f.paid); got != -108000 {
			t.Fatalf("in transit %d", got)
		}
		if got := f.sum(t, ledger.VendorPayable, f.paid); got != -45000 { // the part due tomorrow
			t.Fatalf("still owed %d", got)
		}
		var mails int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE recipient = 'tifaouine@souk.test' AND subject LIKE '%SOUK-P%'`).Scan(&mails); err != nil || mails != 1 {
			t.Fatalf("e-mails to the vendor: %d %v", mails, err)
		}
		f.check(t)

		again, err := f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
		if err != nil || len(again.Paid) != 0 || again.BatchID != 0 {
			t.Fatalf("second run: %+v %v", again, err)
		}

		// Tomorrow the last part falls due: payout number 2.
		f.now = t0.Add(25 * time.Hour)
		r, err = f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
		if err != nil || len(r.Paid) != 1 || r.Paid[0].Amount.Amount != 45000 || r.Paid[0].Seq != 2 {
			t.Fatalf("next day: %+v %v", r, err)
		}
		f.check(t)
	})
}

// Confirmed moves the money to the bank; failed gives it back to the
// vendor, who is told, and the next run pays it again; settled payouts do
// not change.
func TestConfirmAndFail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.sale(t, f.paid, 100000, t0.Add(-48*time.Hour))
		r, err := f.payouts.Run(ctx, f.admin, payout.RunOptions{Source: payout.Console})
		if err != nil || len(r.Paid) != 1 {
			t.Fatalf("run: %+v %v", r, err)
		}
		first := r.Paid[0]
		if _, err := f.payouts.Fail(ctx, f.admin, first.ID, "  "); !errs.Is(err, errs.Invalid) {
			t.Fatalf("fail without a reason: %v", err)
		}
		if _, err := f.payouts.Fail(ctx, f.moderator, first.ID, "compte clôturé"); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a moderator fails a payout: %v", err)
		}
		p, err := f.payouts.Fail(ctx, f.admin, first.ID, "compte clôturé")
		if err != nil || p.Status != payout.Failed || p.Failure != "compte clôturé" || p.SettledAt.IsZero() {
			t.Fatalf("fail: %+v %v", p, err)
		}
		if got := f.due(t, f.paid); got != 90000 {
			t.Fatalf("due after the failure: %d", got)
		}
		if got := f.sum(t, ledger.PayoutsInTransit, f.paid); got != 0 {
			t.Fatalf("in transit after the failure: %d", got)
		}
		if _, err := f.payouts.Fail(ctx, f.admin, first.ID, "again"); err != nil {
			t.Fatalf("failing twice: %v", err)
		}
		if _, err := f.payouts.Confirm(ctx, f.admin, first.ID); !errs.Is(err, errs.Conflict) {
			t.Fatalf("confirming a failed payout: %v", err)
		}
		var mails int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE recipient = 'tifaouine@souk.test'`).Scan(&mails); err != nil || mails != 2 {
			t.Fatalf("e-mails: %d %v", mails, err)
		}

		f.now = t0.Add(time.Hour)
		r, err = f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
		if err != nil || len(r.Paid) != 1 || r.Paid[0].Amount.Amount != 90000 || r.Paid[0].Seq != 2 {
			t.Fatalf("run after the failure: %+v %v", r, err)
		}
		n, err := f.payouts.ConfirmBatch(ctx, f.admin, r.BatchID)
		if err != nil || n != 1 {
			t.Fatalf("confirm batch: %d %v", n, err)
		}
		if n, err := f.payouts.ConfirmBatch(ctx, f.admin, r.BatchID); err != nil || n != 0 {
			t.Fatalf("confirm batch twice: %d %v", n, err)
		}
		if _, err := f.payouts.Fail(ctx, f.admin, r.Paid[0].ID, "late"); !errs.Is(err, errs.Conflict) {
			t.Fatalf("failing a confirmed payout: %v", err)
		}
		if got := f.sum(t, ledger.Bank, f.paid); got != -90000 {
			t.Fatalf("bank %d", got)
		}
		if got := f.sum(t, ledger.PayoutsInTransit, f.paid); got != 0 {
			t.Fatalf("in transit %d", got)
		}
		f.check(t)
	})
}

// A refund after the payout leaves the vendor owing; the next sales pay it
// back first, and nothing is paid until they do.
func TestNegativeBalanceIsPaidBackFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.sale(t, f.paid, 100000, t0.Add(-48*time.Hour))
		if _, err := f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command}); err != nil {
			t.Fatal(err)
		}
		// The whole sale refunded after the payout: its parts give back
		// what they hold, the earning included.
		lines, err := ledger.Lines(ctx, d.Read(), "S1")
		if err != nil {
			t.Fatal(err)
		}
		entries, err := ledger.Refund(lines, "MAD", ledger.Refundable(lines, "MAD"), ledger.Clearing("cmi"))
		if err != nil {
			t.Fatal(err)
		}
		f.post(t, ledger.Transaction{Kind: "payment.refunded", Reference: "S1/1", Document: "S1", At: f.now, Entries: entries})
		if got := f.due(t, f.paid); got != -90000 {
			t.Fatalf("due after the refund: %d", got)
		}
		f.sale(t, f.paid, 50000, t0.Add(-time.Hour)) // earns 45,000
		r, err := f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
		if err != nil || len(r.Paid) != 0 || len(r.Owing) != 1 || r.Owing[0].Amount.Amount != 45000 {
			t.Fatalf("run while owing: %+v %v", r, err)
		}
		f.sale(t, f.paid, 200000, t0.Add(-time.Hour)) // earns 180,000
		r, err = f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
		if err != nil || len(r.Paid) != 1 || r.Paid[0].Amount.Amount != 135000 {
			t.Fatalf("run once paid back: %+v %v", r, err)
		}
		if got := f.due(t, f.paid); got != 0 {
			t.Fatalf("due %d", got)
		}
		f.check(t)
	})
}

// Two runs started at the same moment, from two connections to the
// database as two nodes would, pay each vendor once.
func TestConcurrentRunsPayOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		other := dbtest.Reopen(t, d)
		vs := vendor.NewService(d, nil)
		var vendors []int64
		for i := range 12 {
			in := vendor.Input{Slug: "coop-" + string(rune('a'+i)), Kind: vendor.Cooperative, LegalName: "Coopérative " + string(rune('A'+i)),
				Region: "souss-massa", City: "Agadir", CooperativeNumber: "2020/" + string(rune('1'+i%9)),
				RIB: rib("01178000000123456789" + string(rune('1'+i%9)) + "0"), Texts: map[string]vendor.Texts{"fr": {DisplayName: "C"}}}
			v, err := vs.Create(ctx, f.admin, in, vendor.Approved)
			if err != nil {
				t.Fatal(err)
			}
			vendors = append(vendors, v.ID)
			f.sale(t, v.ID, int64(10000*(i+1)), t0.Add(-time.Hour))
		}
		services := []*payout.Service{f.payouts, payout.NewService(other, func() time.Time { return f.now })}
		for round := range 3 {
			var wg sync.WaitGroup
			start := make(chan struct{})
			reports := make([]payout.Report, 2)
			errors := make([]error, 2)
			for i, s := range services {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					reports[i], errors[i] = s.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
				}()
			}
			close(start)
			wg.Wait()
			paid := map[int64]int{}
			for i, r := range reports {
				if errors[i] != nil {
					t.Fatalf("round %d run %d: %v", round, i, errors[i])
				}
				for _, p := range r.Paid {
					paid[p.VendorID]++
				}
			}
			for _, v := range vendors {
				if paid[v] != 1 {
					t.Fatalf("round %d: vendor %d paid %d times (%+v)", round, v, paid[v], reports)
				}
				if got := f.due(t, v); got != 0 {
					t.Fatalf("round %d: vendor %d still due %d", round, v, got)
				}
			}
			// The next round: each vendor earns again.
			for i, v := range vendors {
				f.sale(t, v, int64(1000*(i+1)), f.now.Add(-time.Minute))
			}
		}
		f.check(t)
	})
}

// Two nodes running the same scheduled slot make one batch; a slot that
// ran is not run again.
func TestScheduledSlotRunsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.sale(t, f.paid, 100000, t0.Add(-48*time.Hour))
		times, err := payout.ParseTimes("10:00, 16:30")
		if err != nil {
			t.Fatal(err)
		}
		slot, ok := times.Slot(t0) // 09:00 UTC is 10:00 in Casablanca
		if !ok || slot != "2026-12-01 10:00" {
			t.Fatalf("slot %q", slot)
		}
		r, err := f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Schedule, Slot: slot})
		if err != nil || len(r.Paid) != 1 || r.AlreadyRan {
			t.Fatalf("first: %+v %v", r, err)
		}
		f.sale(t, f.paid, 5000, t0.Add(-time.Hour))
		r, err = f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Schedule, Slot: slot})
		if err != nil || len(r.Paid) != 0 || !r.AlreadyRan {
			t.Fatalf("again: %+v %v", r, err)
		}
		// Nothing due at the next slot still records it.
		f.now = t0.Add(7 * time.Hour)
		slot, _ = times.Slot(f.now)
		if slot != "2026-12-01 16:30" {
			t.Fatalf("slot %q", slot)
		}
		r, err = f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Schedule, Slot: slot})
		if err != nil || len(r.Paid) != 1 || r.Paid[0].Amount.Amount != 4500 {
			t.Fatalf("16:30: %+v %v", r, err)
		}
		f.now = t0.Add(24 * time.Hour)
		slot, _ = times.Slot(f.now)
		r, err = f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Schedule, Slot: slot})
		if err != nil || r.BatchID == 0 || len(r.Paid) != 0 {
			t.Fatalf("empty slot: %+v %v", r, err)
		}
		batches, total, err := f.payouts.Batches(ctx, f.admin, 1, 20, false)
		if err != nil || total != 2 || len(batches) != 2 {
			t.Fatalf("batches: %d %+v %v", total, batches, err)
		}
		if _, total, _ := f.payouts.Batches(ctx, f.admin, 1, 20, true); total != 3 {
			t.Fatalf("with the empty run: %d", total)
		}
	})
}

func TestParseTimes(t *testing.T) {
	for in, want := range map[string]string{"": "", "off": "", "10:00": "10:00", "16:30,09:05,10:00,09:05": "09:05,10:00,16:30"} {
		ts, err := payout.ParseTimes(in)
		if err != nil || ts.String() != want {
			t.Errorf("%q: %q %v", in, ts.String(), err)
		}
	}
	for _, bad := range []string{"25:00", "10h", "10:00;11:00", "noon"} {
		if _, err := payout.ParseTimes(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	ts, _ := payout.ParseTimes("10:00")
	// Before today's 10:00 in Casablanca the slot is yesterday's.
	if s, _ := ts.Slot(time.Date(2026, 12, 1, 8, 59, 0, 0, time.UTC)); s != "2026-11-30 10:00" {
		t.Errorf("slot %q", s)
	}
}

// The bank file: one line per transfer, RIB, amount with its decimals,
// reference; admins and the machine only.
func TestBankFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.sale(t, f.paid, 123456, t0.Add(-48*time.Hour))
		r, err := f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
		if err != nil {
			t.Fatal(err)
		}
		name, body, err := f.payouts.BankFile(ctx, f.admin, r.BatchID)
		if err != nil {
			t.Fatal(err)
		}
		p := r.Paid[0]
		want := "reference,beneficiary,rib,amount,currency,narrative\n" +
			p.Reference + ",Coopérative Tifaouine," + p.RIB + ",1111.10,MAD,souk " + p.Reference + " " + r.Batch + "\n"
		if name != r.Batch+".csv" || string(body) != want {
			t.Fatalf("%s:\n%s\nwant\n%s", name, body, want)
		}
		if _, _, err := f.payouts.BankFile(ctx, f.moderator, r.BatchID); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("moderator: %v", err)
		}
		if _, _, err := f.payouts.BankFile(ctx, f.admin, r.BatchID+100); !errs.Is(err, errs.NotFound) {
			t.Fatalf("no such batch: %v", err)
		}
	})
}

// The checks catch an earning paid twice (a payout posted around Run), a
// transfer whose posting is missing, and a posting without a transfer.
func TestChecksCatchAPayoutTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		due := t0.Add(-48 * time.Hour)
		f.sale(t, f.paid, 100000, due)
		r, err := f.payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
		if err != nil || len(r.Paid) != 1 {
			t.Fatalf("run: %+v %v", r, err)
		}
		f.check(t)
		f.post(t, ledger.Transaction{Kind: payout.LedgerSent, Reference: "SOUK-P999999", Document: "SOUK-P999999", At: f.now, Entries: []ledger.Entry{
			{Account: ledger.VendorPayable, VendorID: f.paid, Amount: 90000, Currency: "MAD", DueAt: due},
			{Account: ledger.PayoutsInTransit, VendorID: f.paid, Amount: -90000, Currency: "MAD"}}})
		rep, err := ledger.Check(ctx, d.Read())
		if err != nil || rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "paid twice") {
			t.Fatalf("ledger check: %+v %v", rep, err)
		}
		problems, err := payout.Check(ctx, d.Read())
		all := strings.Join(problems, "\n")
		if err != nil || len(problems) != 2 || !strings.Contains(all, "SOUK-P999999 has no payout") || !strings.Contains(all, "in transit") && !strings.Contains(all, "payouts:in_transit") {
			t.Fatalf("payouts check: %q %v", problems, err)
		}
	})
}

// The schedule's loop, started after the day's slot (a node booting at
// 10:30), runs the slot at once, and once: a second loop on another node
// finds it done.
func TestRunScheduleRunsTheMissedSlot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.now = t0.Add(30 * time.Minute) // 10:30 in Casablanca
		f.sale(t, f.paid, 100000, t0.Add(-48*time.Hour))
		times, _ := payout.ParseTimes("10:00")
		log := slog.New(slog.DiscardHandler)
		batches := func() int {
			var n int
			if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM payout_batches WHERE slot = '2026-12-01 10:00'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for node := range 2 {
			s := payout.NewService(dbtest.Reopen(t, d), func() time.Time { return f.now })
			ctx, cancel := context.WithCancel(context.Background())
			stopped := make(chan struct{})
			go func() { s.RunSchedule(ctx, times, 10*time.Millisecond, log); close(stopped) }()
			deadline := time.Now().Add(10 * time.Second)
			for batches() == 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond) // a few more ticks
			cancel()
			<-stopped
			if n := batches(); n != 1 {
				t.Fatalf("node %d: %d batches for the slot", node, n)
			}
		}
		if got := f.due(t, f.paid); got != 0 {
			t.Fatalf("still due %d", got)
		}
		var paid int
		if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM payouts`).Scan(&paid); err != nil || paid != 1 {
			t.Fatalf("payouts %d %v", paid, err)
		}
	})
}
