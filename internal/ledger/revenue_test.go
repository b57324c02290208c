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

// Commission revenue falls in the Casablanca month of each posting: a sale
// at 23:30 UTC on November 30th is December's (UTC+1), one at 23:30 UTC on
// February 28th 2027 is February's (Ramadan: UTC+0); refunds reduce the
// month they happen in; an order posted in two hours of a month counts
// once; currencies stay apart; months outside the range are left out.
func TestCommissionRevenueByCasablancaMonth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b := newBook(t, d)
		v, w := b.vendors[0], b.vendors[1]
		at := func(s string) time.Time {
			tm, err := time.Parse(time.DateTime, s)
			if err != nil {
				t.Fatal(err)
			}
			return tm
		}
		type month struct {
			year  int
			month time.Month
			cur   string
		}
		want := map[month]struct{ net, vat int64 }{}
		orders := map[month]map[string]bool{}
		// book posts entries and adds their commission to the month it
		// should fall in.
		book := func(kind, doc string, when time.Time, in month, entries []ledger.Entry) {
			t.Helper()
			if !b.post(t, ledger.Transaction{Kind: kind, Reference: doc + "/" + kind + "/" + when.Format(time.RFC3339), Document: doc, At: when, Entries: entries}) {
				t.Fatalf("%s %s not posted", kind, doc)
			}
			if in.year == 0 {
				return
			}
			sum := want[in]
			for _, e := range entries {
				switch e.Account {
				case ledger.CommissionRevenue:
					sum.net -= e.Amount
				case ledger.CommissionVAT:
					sum.vat -= e.Amount
				}
			}
			want[in] = sum
			if orders[in] == nil {
				orders[in] = map[string]bool{}
			}
			orders[in][doc] = true
		}
		sale := func(vendorID, items int64, cur string) []ledger.Entry {
			return ledger.Sale{VendorID: vendorID, Currency: cur, Items: items, Shipping: 3000, Commission: ledger.Commission(items, 1000),
				Carrier: "amana", Paid: ledger.Clearing("cmi"), DueAt: t0}.Entries()
		}
		refund := func(doc, cur string, amount int64) []ledger.Entry {
			t.Helper()
			lines, err := ledger.Lines(ctx, d.Read(), doc)
			if err != nil {
				t.Fatal(err)
			}
			es, err := ledger.Refund(lines, cur, amount, ledger.Clearing("cmi"))
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		nov, dec := month{2026, time.November, "MAD"}, month{2026, time.December, "MAD"}
		book("payment.captured", "S-OCT", at("2026-10-31 22:30:00"), month{}, sale(v, 50000, "MAD")) // October 31st 23:30: before the range
		book("payment.captured", "S-NOV1", at("2026-11-15 10:00:00"), nov, sale(v, 100000, "MAD"))
		book("payment.refunded", "S-NOV1", at("2026-11-20 16:10:00"), nov, refund("S-NOV1", "MAD", 20000)) // same order, same month
		book("payment.captured", "S-NOV2", at("2026-11-30 22:59:59"), nov, sale(w, 37000, "MAD"))          // 23:59:59 in Casablanca
		book("payment.captured", "S-DEC1", at("2026-11-30 23:30:00"), dec, sale(v, 80000, "MAD"))          // December 1st, 00:30
		book("payment.refunded", "S-NOV1", at("2026-12-05 09:00:00"), dec, refund("S-NOV1", "MAD", 30000)) // a November order's refund, in December
		book("payment.captured", "S-DEC2", at("2026-12-10 12:00:00"), month{2026, time.December, "EUR"}, sale(w, 12345, "EUR"))
		book("payment.captured", "S-JAN", at("2026-12-31 23:30:00"), month{}, sale(v, 60000, "MAD")) // January 1st: after the range

		got, err := b.ledger.CommissionRevenue(ctx, b.admin, time.Date(2026, 11, 1, 0, 0, 0, 0, ledger.Casablanca),
			time.Date(2027, 1, 1, 0, 0, 0, 0, ledger.Casablanca))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d months×currencies, want %d: %+v", len(got), len(want), got)
		}
		order := []month{nov, dec, {2026, time.December, "EUR"}}
		for i, r := range got {
			k := month{r.Month.Year(), r.Month.Month(), r.Currency}
			exp := want[k]
			if k != order[i] || r.Month.Location() != ledger.Casablanca || r.Month.Day() != 1 || r.Month.Hour() != 0 {
				t.Errorf("row %d is %v (%v), want %v", i, k, r.Month, order[i])
			}
			if r.Net.Amount != exp.net || r.VAT.Amount != exp.vat || r.Total.Amount != exp.net+exp.vat || r.Net.Currency != k.cur || r.Total.Currency != k.cur {
				t.Errorf("%v: net %v vat %v total %v, want %d + %d", k, r.Net, r.VAT, r.Total, exp.net, exp.vat)
			}
			if r.Orders != len(orders[k]) {
				t.Errorf("%v: %d orders, want %d", k, r.Orders, len(orders[k]))
			}
		}
		// Spelled out once, so the test does not only agree with itself:
		// November is 10% of 1 000 + 370 DH less the refund's share.
		if got[0].Orders != 2 || got[0].Total.Amount >= 13700 || got[0].Total.Amount < 13700-2000 || got[1].Orders != 2 {
			t.Errorf("November %+v, December %+v", got[0], got[1])
		}

		// February 28th 2027, 23:30 UTC is still February in Casablanca
		// (Ramadan: UTC+0); an hour later it is March.
		book("payment.captured", "S-FEB", at("2027-02-28 23:30:00"), month{}, sale(v, 10000, "MAD"))
		book("payment.captured", "S-MAR", at("2027-03-01 00:30:00"), month{}, sale(v, 20000, "MAD"))
		got, err = b.ledger.CommissionRevenue(ctx, b.admin, time.Date(2027, 2, 10, 0, 0, 0, 0, time.UTC), time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || len(got) != 2 || got[0].Month.Month() != time.February || got[0].Total.Amount != 1000 ||
			got[1].Month.Month() != time.March || got[1].Total.Amount != 2000 {
			t.Fatalf("around Ramadan: %+v %v", got, err)
		}

		moderator := auth.User{ID: 99, Role: auth.RoleModerator}
		if _, err := b.ledger.CommissionRevenue(ctx, moderator, t0, t0.AddDate(0, 1, 0)); err != nil {
			t.Errorf("a moderator reads the revenue: %v", err)
		}
		if _, err := b.ledger.CommissionRevenue(ctx, auth.User{ID: 9, Role: auth.RoleVendorOwner, VendorID: v}, t0, t0.AddDate(0, 1, 0)); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a vendor reads the revenue: %v", err)
		}
		if _, err := b.ledger.CommissionRevenue(ctx, auth.User{}, t0, t0.AddDate(0, 1, 0)); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("the anonymous read the revenue: %v", err)
		}
	})
}
