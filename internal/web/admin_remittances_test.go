package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/i18n"
	"souk/internal/ledger"
	"souk/internal/money"
)

var _ = authzRows(map[string]string{
	"GET /admin/remittances":  "admin",
	"POST /admin/remittances": "admin",
})

// The treasurer sees what Amana and CMI hold for souk and records Amana's
// remittance from the bank statement: the book moves it to the bank, once;
// bad input is named and changes nothing.
func TestAdminRemittances(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		if _, err := m.app.Auth.CreateUser(ctx, auth.NewUser{Email: "admin@souk.ma", Name: "Salma", Role: auth.RoleAdmin,
			Password: "a-long-password-1", Locale: "fr"}); err != nil {
			t.Fatal(err)
		}
		var vendorID int64
		if err := d.Read().QueryRowContext(ctx, `SELECT id FROM vendors WHERE slug = 'tifaouine'`).Scan(&vendorID); err != nil {
			t.Fatal(err)
		}
		for i, paid := range []string{ledger.COD("amana"), ledger.Clearing("cmi")} {
			sale := ledger.Sale{VendorID: vendorID, Currency: "MAD", Items: 50000, Shipping: 3000, Commission: 5000, Carrier: "amana", Paid: paid}
			if err := d.Tx(ctx, func(tx db.Querier) error {
				ref := []string{"S1", "S2"}[i]
				_, err := ledger.Post(ctx, tx, ledger.Transaction{Kind: "payment.captured", Reference: ref, Document: ref, At: time.Now(), Entries: sale.Entries()})
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		admin := newAuthzClient(m.url)
		admin.signIn(t, "admin@souk.ma", "a-long-password-1")
		status, body := admin.page(t, "/admin/remittances?lang=fr")
		held := i18n.FormatMoney("fr", money.Dirhams(53000))
		if status != http.StatusOK || !strings.Contains(body, "Contre-remboursement — Amana") || !strings.Contains(body, "Paiements par carte — CMI") ||
			strings.Count(body, held) != 2 {
			t.Fatalf("page: %d\n%s", status, body)
		}
		before := count(t, d, `SELECT COUNT(*) FROM ledger_transactions`)
		for _, bad := range []url.Values{
			{"account": {"cod:amana"}, "amount": {"trois cents"}, "reference": {"AM-1"}},
			{"account": {"cod:amana"}, "amount": {"600"}, "reference": {"AM-1"}},
			{"account": {"cod:amana"}, "amount": {"300"}, "reference": {" "}},
			{"account": {"bank"}, "amount": {"300"}, "reference": {"AM-1"}},
			{"account": {"cod:ctm"}, "amount": {"300"}, "reference": {"AM-1"}},
			{"amount": {"300"}, "reference": {"AM-1"}},
		} {
			bad.Set("csrf_token", admin.csrf)
			if a := admin.postForm(t, "/admin/remittances?lang=fr", bad); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `class="error"`) {
				t.Errorf("%v: %d", bad, a.status)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM ledger_transactions`); n != before {
			t.Fatalf("refused remittances were posted: %d → %d", before, n)
		}
		form := url.Values{"csrf_token": {admin.csrf}, "account": {"cod:amana"}, "amount": {"300,50"}, "reference": {"AMANA-2026-11-30"}}
		if a := admin.postForm(t, "/admin/remittances?lang=fr", form); a.status != http.StatusSeeOther {
			t.Fatalf("record: %d %s", a.status, a.body)
		}
		if got := sumOn(t, d, ledger.Bank); got != 30050 {
			t.Fatalf("bank %d", got)
		}
		if got := sumOn(t, d, ledger.COD("amana")); got != 53000-30050 {
			t.Fatalf("amana holds %d", got)
		}
		form.Set("amount", "100")
		if a := admin.postForm(t, "/admin/remittances?lang=fr", form); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "déjà enregistrée") {
			t.Fatalf("recorded twice: %d", a.status)
		}
		if _, body := admin.page(t, "/admin/remittances?lang=fr"); !strings.Contains(body, "AMANA-2026-11-30") ||
			!strings.Contains(body, i18n.FormatMoney("fr", money.Dirhams(30050))) {
			t.Fatalf("history:\n%s", body)
		}
		if r, err := ledger.Check(ctx, d.Read()); err != nil || !r.OK() {
			t.Fatalf("ledger check: %+v %v", r, err)
		}
	})
}

func sumOn(t *testing.T, d *db.DB, account string) int64 {
	t.Helper()
	var n int64
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = ?`, account).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
