package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/i18n"
	"souk/internal/ledger"
)

var _ = authzRows(map[string]string{
	"GET /admin/ledger": "admin",
})

// After sales, a refund and a confirmed payout the trial balance sums to
// zero and says so, each account family explained; this month's
// commission is what the sales and the refund posted; a bad year is
// named. A posting written around the ledger shows up in red.
func TestAdminLedgerPage(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		admin := apAdmin(t, m)
		vendorA := apGiveRIB(t, m, "tifaouine", "0117800000012345678901")
		now := time.Now()
		var net, vat int64
		add := func(entries []ledger.Entry) {
			for _, e := range entries {
				switch e.Account {
				case ledger.CommissionRevenue:
					net -= e.Amount
				case ledger.CommissionVAT:
					vat -= e.Amount
				}
			}
		}
		add(apSale(t, m, "S1", vendorA, 100000, now))
		add(apSale(t, m, "S2", vendorA, 37000, now))
		lines, err := ledger.Lines(ctx, d.Read(), "S1")
		if err != nil {
			t.Fatal(err)
		}
		refund, err := ledger.Refund(lines, "MAD", 20000, ledger.Clearing("cmi"))
		if err != nil {
			t.Fatal(err)
		}
		apPost(t, m, ledger.Transaction{Kind: "payment.refunded", Reference: "S1-R1", Document: "S1", At: now, Entries: refund})
		add(refund)
		a := admin.postForm(t, "/admin/payouts/run", url.Values{"csrf_token": {admin.csrf}})
		batch := strings.TrimPrefix(strings.Split(a.location, "?")[0], "/admin/payouts/batches/")
		if a = admin.postForm(t, "/admin/payouts/batches/"+batch+"/confirm", url.Values{"csrf_token": {admin.csrf}}); a.status != http.StatusSeeOther {
			t.Fatalf("confirm the payout: %d", a.status)
		}
		if net <= 0 || vat <= 0 || net >= 13700 {
			t.Fatalf("commission posted: %d + %d", net, vat)
		}

		status, body := admin.page(t, "/admin/ledger?lang=fr")
		if status != http.StatusOK {
			t.Fatalf("ledger page: %d", status)
		}
		if !strings.Contains(body, `<p id="balance-check"><span class="badge ok">Équilibrée : 0</span></p>`) {
			t.Error("no balanced sign")
		}
		if total := apRow(body, `id="total-MAD"`); !strings.Contains(total, `<span class="badge ok">`+fr(0)+`</span>`) {
			t.Errorf("MAD total: %s", total)
		}
		for _, account := range []string{ledger.VendorPayable, ledger.CommissionRevenue, ledger.Bank, ledger.PayoutsInTransit} {
			if meaning := i18n.T("fr", "ledger.console.account."+account, nil); !strings.Contains(body, meaning) {
				t.Errorf("%s is not explained", account)
			}
		}
		paid := int64(count(t, d, `SELECT amount FROM payouts`))
		if row := apRow(body, "<bdi dir=\"ltr\">bank</bdi></td>"); paid < 100000 || !strings.Contains(row, fr(-paid)) {
			t.Errorf("bank account: %s", row)
		}
		revenue := body[strings.Index(body, `id="commission-revenue"`):]
		month := apRow(revenue, `<td dir="ltr">MAD</td>`) // the first row in MAD: this month's
		if !strings.Contains(month, fr(net)) || !strings.Contains(month, fr(vat)) || !strings.Contains(month, fr(net+vat)) ||
			!strings.Contains(month, "<td>2</td>") {
			t.Errorf("this month's commission (%d + %d, 2 orders): %s", net, vat, month)
		}
		year := strconv.Itoa(now.In(mustZone(t, "Africa/Casablanca")).Year())
		if total := apRow(revenue, "Total "+year); !strings.Contains(total, fr(net+vat)) {
			t.Errorf("year total: %s", total)
		}

		for _, bad := range []string{"abc", "1999", "20266"} {
			status, body := admin.page(t, "/admin/ledger?lang=fr&year="+bad)
			if status != http.StatusBadRequest || !strings.Contains(body, "Année : doit être une année, par exemple 2026") {
				t.Errorf("year=%s: %d", bad, status)
			}
		}
		if _, body := admin.page(t, "/admin/ledger?lang=fr&year=2020"); !strings.Contains(body, "Aucune commission en 2020.") {
			t.Error("a year without commission")
		}

		// Written around ledger.Post (the triggers refuse only changes):
		// the page says the book is off, and by how much.
		if err := d.Tx(ctx, func(tx db.Querier) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO ledger_entries (transaction_id, account, amount, currency)
				SELECT MIN(id), 'bank', 100, 'MAD' FROM ledger_transactions`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		_, body = admin.page(t, "/admin/ledger?lang=fr")
		if strings.Contains(body, "Équilibrée : 0") || !strings.Contains(body, "Déséquilibrée en MAD : écart de "+fr(100)) {
			t.Error("an unbalanced book is not shown as such")
		}
	})
}
