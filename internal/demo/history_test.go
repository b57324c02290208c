package demo_test

import (
	"context"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/demo"
	"souk/internal/ledger"
	"souk/internal/order"
	"souk/internal/payment/cmi"
	"souk/internal/payout"
	"souk/internal/shipping"
	"souk/internal/vendor"
)

// withHistory loads a small demo marketplace, the demo's accounts (an
// admin, a customer, a staff member of the first approved cooperative)
// and the history ending at end, with card payments through a CMI
// gateway. It returns the history's stats, the admin and the
// cooperative's id.
func withHistory(t *testing.T, d *db.DB, seed uint64, end time.Time, before func()) (demo.HistoryStats, auth.User, int64) {
	t.Helper()
	ctx := context.Background()
	load(t, d, seed)
	vendors, cat := vendor.NewService(d, nil), catalog.NewService(d, nil)
	admin := auth.User{Role: auth.RoleAdmin}
	coops, _, err := vendors.List(ctx, admin, vendor.Filter{Status: vendor.Approved, Kind: vendor.Cooperative, PerPage: 1})
	if err != nil || len(coops) == 0 {
		t.Fatalf("no approved cooperative: %v", err)
	}
	accounts := auth.NewService(d, auth.Config{}, nil)
	user := func(email string, role auth.Role, vendorID int64) auth.User {
		u, err := accounts.CreateUser(ctx, auth.NewUser{Email: email, Name: email, Password: "correct horse battery", Role: role, VendorID: vendorID})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	opts := demo.HistoryOptions{Seed: seed, Days: demo.HistoryDays, End: end,
		Operator:   user("operator@demo.souk.ma", auth.RoleAdmin, 0),
		Customer:   user("customer@demo.souk.ma", auth.RoleCustomer, 0),
		VendorUser: user("staff@demo.souk.ma", auth.RoleVendorStaff, coops[0].ID),
		CMI:        &cmi.Config{ClientID: "600000001", StoreKey: "DEMO-STORE-KEY"}}
	if before != nil {
		before()
	}
	st, err := demo.History(ctx, demo.HistoryDeps{DB: d, Vendors: vendors, Catalog: cat, Shipping: shipping.NewService(d, nil)}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return st, opts.Operator, coops[0].ID
}

func stocks(t *testing.T, d *db.DB) map[int64]int {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT id, stock FROM variants`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		out[id] = n
	}
	return out
}

func countOf(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The history ends ten minutes into the first of a month, before the day's
// payout run: the hardest "now" for a statement of the current month and
// for money due but not paid yet.
func TestDemoHistory(t *testing.T) {
	end := time.Date(2026, 12, 1, 0, 10, 0, 0, ledger.Casablanca)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var before map[int64]int
		st, admin, coop := withHistory(t, d, 1, end, func() { before = stocks(t, d) })

		// Orders, in several statuses.
		n := st.OrderCount()
		if n < 60 || n > 130 || countOf(t, d, `SELECT COUNT(*) FROM orders`) != n {
			t.Errorf("%d orders (%v), want 60–130", n, st.Orders)
		}
		for _, s := range []order.Status{order.Confirmed, order.Shipped, order.Delivered, order.Cancelled, order.Refunded} {
			if st.Orders[s] == 0 {
				t.Errorf("no order %s: %v", s, st.Orders)
			}
		}
		if got := countOf(t, d, `SELECT COUNT(*) FROM orders WHERE channel IN ('supermarket', 'shop')`); got < 4 {
			t.Errorf("%d supermarket and shop orders", got)
		}
		if got := countOf(t, d, `SELECT COUNT(*) FROM payments WHERE method = 'cmi' AND status = 'captured'`); got == 0 {
			t.Error("no card payment captured")
		}
		if got := countOf(t, d, `SELECT COUNT(*) FROM refunds`); got != 3 {
			t.Errorf("%d refunds, want two returns and one partial", got)
		}
		if got := countOf(t, d, `SELECT COUNT(*) FROM orders WHERE user_id IS NOT NULL`); got == 0 || got == n {
			t.Errorf("%d of %d orders by the demo customer; want some", got, n)
		}

		// Nothing after the end.
		for _, table := range []string{"orders", "order_events", "ledger_transactions", "payouts", "payout_batches", "audit_log", "outbox"} {
			if got := countOf(t, d, `SELECT COUNT(*) FROM `+table+` WHERE created_at > ?`, end.UTC()); got != 0 {
				t.Errorf("%s: %d rows after the end", table, got)
			}
		}
		if got := countOf(t, d, `SELECT COUNT(*) FROM orders WHERE created_at < ?`, end.AddDate(0, 0, -demo.HistoryDays-1).UTC()); got != 0 {
			t.Errorf("%d orders before the history began", got)
		}

		// Stock: every order not cancelled took its lines, none below zero.
		after := stocks(t, d)
		sold := map[int64]int{}
		rows, err := d.Read().QueryContext(ctx, `SELECT l.variant_id, l.quantity FROM order_lines l
			JOIN vendor_orders vo ON vo.id = l.vendor_order_id WHERE vo.status <> 'cancelled'`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var q int
			if err := rows.Scan(&id, &q); err != nil {
				t.Fatal(err)
			}
			sold[id] += q
		}
		rows.Close()
		if len(sold) == 0 {
			t.Fatal("nothing sold")
		}
		for id, was := range before {
			if after[id] < 0 || after[id] != was-sold[id] {
				t.Errorf("variant %d: stock %d, was %d, sold %d", id, after[id], was, sold[id])
			}
		}

		// Payouts: batches confirmed, one transfer failed, money due,
		// pending, in transit and waiting for delivery at the end.
		pays := payout.NewService(d, func() time.Time { return end })
		batches, _, err := pays.Batches(ctx, admin, 1, 100, false)
		if err != nil {
			t.Fatal(err)
		}
		confirmed, failed, transfers := 0, 0, 0
		for _, b := range batches {
			transfers += b.Count
			failed += b.Failed
			if b.Count > 0 && b.Confirmed == b.Count {
				confirmed++
			}
		}
		if len(batches) != st.Batches || transfers != st.Transfers || confirmed == 0 || failed != 1 || st.Failed != 1 {
			t.Errorf("%d batches (%d all confirmed), %d transfers, %d failed; stats %+v", len(batches), confirmed, transfers, failed, st)
		}
		if got := countOf(t, d, `SELECT COUNT(*) FROM payouts WHERE status = 'failed' AND failure = ? AND vendor_id = ?`,
			"compte clôturé — RIB à vérifier", coop); got != 1 {
			t.Errorf("%d transfers to the cooperative failed with the bank's reason", got)
		}
		var paid int64
		if err := d.Read().QueryRowContext(ctx, `SELECT SUM(amount) FROM payouts WHERE status <> 'failed'`).Scan(&paid); err != nil {
			t.Fatal(err)
		}
		if paid <= 0 || paid != st.PaidOut.Amount {
			t.Errorf("paid out %d, stats say %v", paid, st.PaidOut)
		}
		owed, err := pays.Owed(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		var due, pending, transit, undelivered int64
		for _, o := range owed {
			due += max(o.Due.Amount, 0)
			pending += o.Pending.Amount
			transit += o.InTransit.Amount
			undelivered += o.Undelivered.Amount
		}
		if due == 0 || pending == 0 || transit == 0 || undelivered == 0 {
			t.Errorf("at the end: due %d, pending %d, in transit %d, undelivered %d; want some of each", due, pending, transit, undelivered)
		}
		if got := countOf(t, d, `SELECT COUNT(*) FROM ledger_transactions WHERE kind = ?`, ledger.LedgerRemitted); got != 1 {
			t.Errorf("%d remittances", got)
		}

		// The demo cooperative: a balance and this month's statement.
		book := ledger.NewService(d, func() time.Time { return end })
		bal, err := book.VendorBalance(ctx, admin, coop, end)
		if err != nil {
			t.Fatal(err)
		}
		if bal[0].Total.Amount <= 0 {
			t.Errorf("cooperative's balance %+v", bal[0])
		}
		month := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, ledger.Casablanca)
		sts, err := book.Statement(ctx, admin, coop, month, month.AddDate(0, 1, 0))
		if err != nil {
			t.Fatal(err)
		}
		if len(sts[0].Lines) == 0 || sts[0].Closing.Amount != bal[0].Total.Amount {
			t.Errorf("cooperative's statement of %s: %d lines, closing %v, balance %v", month.Format("2006-01"),
				len(sts[0].Lines), sts[0].Closing, bal[0].Total)
		}
		if got := countOf(t, d, `SELECT COUNT(*) FROM payouts WHERE vendor_id = ?`, coop); got < 5 {
			t.Errorf("the cooperative was paid %d times", got)
		}
		parcels, err := order.NewService(d, nil, nil).ParcelCounts(ctx, admin, coop)
		if err != nil {
			t.Fatal(err)
		}
		if parcels[order.Confirmed] == 0 || parcels[order.Packed] == 0 || parcels[order.Delivered] < 5 {
			t.Errorf("the cooperative's parcels: %v; want some to pack, to ship and delivered", parcels)
		}

		// The book and the payouts agree; the old e-mails are not sent.
		report, err := ledger.Check(ctx, d.Read())
		if err != nil || !report.OK() {
			t.Errorf("ledger check: %v %v", report.Problems, err)
		}
		if problems, err := payout.Check(ctx, d.Read()); err != nil || len(problems) > 0 {
			t.Errorf("payout check: %v %v", problems, err)
		}
		if all, unsent := countOf(t, d, `SELECT COUNT(*) FROM outbox`), countOf(t, d, `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL`); all == 0 || unsent != 0 {
			t.Errorf("outbox: %d messages, %d left to send", all, unsent)
		}
		t.Logf("%d orders %v, %d batches, %d transfers (%d failed), paid out %v, in %s", n, st.Orders, st.Batches,
			st.Transfers, st.Failed, st.PaidOut, st.Took.Round(time.Millisecond))
	})
}

// The same seed and end give the same history. This one ends two minutes
// after the day's payout run, which paid everything due: money falls due
// after it all the same.
func TestDemoHistoryIsDeterministic(t *testing.T) {
	end := time.Date(2026, 11, 18, 10, 2, 0, 0, ledger.Casablanca)
	d := dbtest.SQLite(t)
	a, admin, _ := withHistory(t, d, 7, end, nil)
	owed, err := payout.NewService(d, func() time.Time { return end }).Owed(context.Background(), admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(owed) == 0 || owed[0].Due.Amount <= 0 {
		t.Errorf("nothing due two minutes after the payout run: %+v", owed)
	}
	b, _, _ := withHistory(t, dbtest.SQLite(t), 7, end, nil)
	if a.OrderCount() != b.OrderCount() || a.PaidOut != b.PaidOut || a.Transfers != b.Transfers || len(a.Orders) != len(b.Orders) {
		t.Errorf("the same seed and end gave %v orders, %v paid out, then %v orders, %v paid out", a.Orders, a.PaidOut, b.Orders, b.PaidOut)
	}
	for s, n := range a.Orders {
		if b.Orders[s] != n {
			t.Errorf("%s: %d then %d", s, n, b.Orders[s])
		}
	}
	c, _, _ := withHistory(t, dbtest.SQLite(t), 8, end, nil)
	if c.OrderCount() == a.OrderCount() && c.PaidOut == a.PaidOut {
		t.Errorf("another seed gave the same history: %v orders, %v paid out", c.Orders, c.PaidOut)
	}
}
