package ledger_test

import (
	"context"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/ledger"
)

// A vendor's statements month by month on Casablanca's calendar: each
// line's sales, commission, net and due date come from the entries, the
// running balance adds up, the closing balance is the opening balance plus
// the lines and equals the balance summed straight from the book at the
// month's end; a sale posted at 23:30 UTC on the last day of a month falls
// in the next month (00:30 in Casablanca).
func TestStatement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		ctx := context.Background()
		v, other := b.vendors[0], b.vendors[1]
		month := func(y int, m time.Month) (time.Time, time.Time) {
			from := time.Date(y, m, 1, 0, 0, 0, 0, ledger.Casablanca)
			return from, from.AddDate(0, 1, 0)
		}
		nov, dec := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		if _, decStart := month(2026, 11); !decStart.Equal(time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)) {
			t.Fatalf("December starts at %v UTC in Casablanca, want 23:00 the day before", decStart.UTC())
		}
		sale := func(kind, ref string, at time.Time, cur string, items int64, due time.Time) {
			paid := ledger.Clearing("stripe")
			if kind == "cod.collected" {
				paid = ledger.COD("amana")
			}
			s := ledger.Sale{VendorID: v, Currency: cur, Items: items, Shipping: 1000, Commission: items / 10, Carrier: "amana",
				Paid: paid, DueAt: due}
			b.post(t, ledger.Transaction{Kind: kind, Reference: ref, Document: ref, At: at, Entries: s.Entries()})
		}
		lines := func(doc string) []ledger.Line {
			ls, err := ledger.Lines(ctx, d.Read(), doc)
			if err != nil {
				t.Fatal(err)
			}
			return ls
		}
		dueA := nov.AddDate(0, 0, 14).Add(10 * time.Hour)

		// November: A paid (earns 9,000 after 1,000 commission), delivered, paid out.
		sale("payment.captured", "A", nov.AddDate(0, 0, 9).Add(10*time.Hour), "MAD", 10000, time.Time{})
		b.post(t, ledger.Transaction{Kind: "sale.delivered", Reference: "A", Document: "A", At: nov.AddDate(0, 0, 11),
			Entries: ledger.Deliver(lines("A"), v, dueA)})
		b.post(t, ledger.Transaction{Kind: "payout.sent", Reference: "SOUK-P000001", Document: "SOUK-P000001", At: nov.AddDate(0, 0, 19),
			Entries: []ledger.Entry{
				{Account: ledger.VendorPayable, VendorID: v, Amount: 9000, Currency: "MAD", DueAt: dueA},
				{Account: ledger.PayoutsInTransit, VendorID: v, Amount: -9000, Currency: "MAD"}}})
		// 23:30 UTC on 30 November is December in Casablanca: B, cash collected after delivery, due at once.
		dueB := dec.AddDate(0, 0, 2)
		sale("cod.collected", "B", dec.Add(-30*time.Minute), "MAD", 20000, dueB)
		// December: the transfer arrives, 50 DH of A is refunded, a sale in euros.
		b.post(t, ledger.Transaction{Kind: "payout.confirmed", Reference: "SOUK-P000001", Document: "SOUK-P000001", At: dec.AddDate(0, 0, 1),
			Entries: []ledger.Entry{
				{Account: ledger.PayoutsInTransit, VendorID: v, Amount: 9000, Currency: "MAD"},
				{Account: ledger.Bank, VendorID: v, Amount: -9000, Currency: "MAD"}}})
		refund, err := ledger.Refund(lines("A"), "MAD", 5000, ledger.Clearing("stripe"))
		if err != nil {
			t.Fatal(err)
		}
		b.post(t, ledger.Transaction{Kind: "payment.refunded", Reference: "A-1", Document: "A", At: dec.AddDate(0, 0, 4), Entries: refund})
		sale("payment.captured", "E", dec.AddDate(0, 0, 6), "EUR", 3000, dec.AddDate(0, 0, 9))
		// 23:30 UTC on 31 December is January in Casablanca: C, not delivered yet.
		sale("payment.captured", "C", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), "MAD", 5000, time.Time{})
		// Another vendor's sale is on its statement only.
		b.post(t, ledger.Transaction{Kind: "payment.captured", Reference: "Z", Document: "Z", At: dec.AddDate(0, 0, 3),
			Entries: ledger.Sale{VendorID: other, Currency: "MAD", Items: 7000, Commission: 700, Carrier: "amana",
				Paid: ledger.Clearing("cmi"), DueAt: dec.AddDate(0, 0, 6)}.Entries()})

		type want struct {
			kind, doc                   string
			sales, commission, net, bal int64
			due                         time.Time
		}
		check := func(name string, st ledger.Statement, cur string, opening int64, ws []want) {
			t.Helper()
			if st.Currency != cur || st.Opening.Amount != opening || len(st.Lines) != len(ws) {
				t.Fatalf("%s: %s opening %d, %d lines: %+v", name, st.Currency, st.Opening.Amount, len(st.Lines), st.Lines)
			}
			var sales, commission, net int64
			for i, w := range ws {
				l := st.Lines[i]
				if l.Kind != w.kind || l.Document != w.doc || l.Sales.Amount != w.sales || l.Commission.Amount != w.commission ||
					l.Net.Amount != w.net || l.Balance.Amount != w.bal || !l.DueAt.Equal(w.due) || l.Net.Currency != cur {
					t.Errorf("%s line %d: %+v, want %+v", name, i, l, w)
				}
				sales, commission, net = sales+w.sales, commission+w.commission, net+w.net
			}
			if st.Sales.Amount != sales || st.Commission.Amount != commission || st.Net.Amount != net ||
				st.Closing.Amount != opening+net {
				t.Errorf("%s totals: sales %d commission %d net %d closing %d", name, st.Sales.Amount, st.Commission.Amount,
					st.Net.Amount, st.Closing.Amount)
			}
			// The closing balance is the book's at the end of the period.
			var direct int64
			if err := d.Read().QueryRowContext(ctx, `SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e
				JOIN ledger_transactions t ON t.id = e.transaction_id
				WHERE e.vendor_id = ? AND e.currency = ? AND e.account IN (?, ?) AND t.created_at < ?`,
				st.VendorID, cur, ledger.VendorPayable, ledger.VendorUndelivered, st.To).Scan(&direct); err != nil {
				t.Fatal(err)
			}
			if st.Closing.Amount != -direct {
				t.Errorf("%s: closing %d, the book says %d", name, st.Closing.Amount, -direct)
			}
		}
		statement := func(by auth.User, vendorID int64, y int, m time.Month) []ledger.Statement {
			t.Helper()
			from, to := month(y, m)
			sts, err := b.ledger.Statement(ctx, by, vendorID, from, to)
			if err != nil {
				t.Fatal(err)
			}
			return sts
		}
		staff := auth.User{ID: 10, Role: auth.RoleVendorStaff, VendorID: v}

		novSt := statement(staff, v, 2026, time.November)
		if len(novSt) != 1 {
			t.Fatalf("November: %d currencies", len(novSt))
		}
		check("November", novSt[0], "MAD", 0, []want{
			{"payment.captured", "A", 10000, 1000, 9000, 9000, time.Time{}},
			{"sale.delivered", "A", 0, 0, 0, 9000, dueA},
			{"payout.sent", "SOUK-P000001", 0, 0, -9000, 0, time.Time{}},
		})

		// The refund takes 5,000 from A's lines in proportion: 4,091 of the
		// earning, 379 + 76 of the commission and its VAT, 454 of the shipping.
		decSt := statement(staff, v, 2026, time.December)
		if len(decSt) != 2 {
			t.Fatalf("December: %d currencies", len(decSt))
		}
		check("December", decSt[0], "MAD", 0, []want{
			{"cod.collected", "B", 20000, 2000, 18000, 18000, dueB},
			{"payout.confirmed", "SOUK-P000001", 0, 0, 0, 18000, time.Time{}},
			{"payment.refunded", "A", -4546, -455, -4091, 13909, time.Time{}},
		})
		check("December in euros", decSt[1], "EUR", 0, []want{
			{"payment.captured", "E", 3000, 300, 2700, 2700, dec.AddDate(0, 0, 9)},
		})

		janSt := statement(b.admin, v, 2027, time.January)
		check("January", janSt[0], "MAD", 13909, []want{{"payment.captured", "C", 5000, 500, 4500, 18409, time.Time{}}})
		check("January in euros", janSt[1], "EUR", 2700, nil)
		bal, err := b.ledger.VendorBalance(ctx, b.admin, v, b.now)
		if err != nil || bal[0].Total.Amount != janSt[0].Closing.Amount || bal[1].Total.Amount != janSt[1].Closing.Amount {
			t.Fatalf("balance %+v %v, January closes at %d and %d", bal, err, janSt[0].Closing.Amount, janSt[1].Closing.Amount)
		}

		// A whole year at once says the same.
		yearFrom, _ := month(2026, time.January)
		year, err := b.ledger.Statement(ctx, b.admin, v, yearFrom, yearFrom.AddDate(2, 0, 0))
		if err != nil || len(year[0].Lines) != 7 || year[0].Closing.Amount != 18409 {
			t.Fatalf("two years: %+v %v", year, err)
		}

		otherSt := statement(auth.User{ID: 20, Role: auth.RoleVendorOwner, VendorID: other}, other, 2026, time.December)
		check("the other vendor", otherSt[0], "MAD", 0, []want{{"payment.captured", "Z", 7000, 700, 6300, 6300, dec.AddDate(0, 0, 6)}})
		if len(otherSt) != 1 {
			t.Errorf("the other vendor has %d currencies", len(otherSt))
		}

		from, to := month(2026, time.December)
		for _, c := range []struct {
			who  auth.User
			code errs.Code
		}{
			{auth.User{ID: 11, Role: auth.RoleModerator}, ""},
			{auth.User{ID: 12, Role: auth.RoleVendorOwner, VendorID: other}, errs.NotFound},
			{auth.User{ID: 13, Role: auth.RoleCustomer}, errs.Forbidden},
			{auth.User{}, errs.Unauthorized},
		} {
			if _, err := b.ledger.Statement(ctx, c.who, v, from, to); errs.CodeOf(err) != c.code {
				t.Errorf("%s: %v, want %q", c.who.Role, err, c.code)
			}
		}
	})
}
