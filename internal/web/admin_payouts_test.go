package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/i18n"
	"souk/internal/ledger"
	"souk/internal/money"
	"souk/internal/morocco"
	"souk/internal/payout"
	"souk/internal/vendor"
)

var _ = authzRows(map[string]string{
	"GET /admin/payouts":                          "admin",
	"POST /admin/payouts/run":                     "admin",
	"GET /admin/payouts/batches/{batch}":          "admin",
	"GET /admin/payouts/batches/{batch}/file":     "admin",
	"POST /admin/payouts/batches/{batch}/confirm": "admin",
	"POST /admin/payouts/{payout}/confirm":        "admin",
	"POST /admin/payouts/{payout}/fail":           "admin",
})

// The batch and the payout of the authorization test: vendor A, given a
// RIB, is paid a sale due an hour ago.
var _ = func() bool {
	authzFixtures = append(authzFixtures, func(t *testing.T, m market, f authzFixture) {
		vendorA := apGiveRIB(t, m, "tifaouine", "0117800000012345678901")
		apSale(t, m, "AUTHZ-PAYOUT", vendorA, 100000, time.Now())
		r, err := m.app.Payouts.Run(context.Background(), auth.User{}, payout.RunOptions{Source: payout.Command})
		if err != nil || len(r.Paid) == 0 {
			t.Fatalf("payout run: %+v %v", r, err)
		}
		f["batch"], f["payout"] = strconv.FormatInt(r.BatchID, 10), strconv.FormatInt(r.Paid[0].ID, 10)
	})
	return true
}()

// apGiveRIB gives the vendor slug the RIB first22 and its key, and returns
// its id.
func apGiveRIB(t *testing.T, m market, slug, first22 string) int64 {
	t.Helper()
	ctx := context.Background()
	v, err := m.app.Vendors.BySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	in := vendor.Input{Slug: v.Slug, Kind: v.Kind, LegalName: v.LegalName, Texts: v.Texts, Region: v.Region, City: v.City,
		CooperativeNumber: v.CooperativeNumber, ICE: v.ICE, ContactName: v.ContactName, Email: v.Email, Phone: v.Phone,
		RIB: first22 + morocco.RIBKey(first22)}
	if _, err := m.app.Vendors.Update(ctx, operator, v.ID, in); err != nil {
		t.Fatal(err)
	}
	return v.ID
}

// apSale books a card sale of items (commission 10%) for vendorID at at,
// due an hour before at, straight into the ledger; it returns its entries.
func apSale(t *testing.T, m market, number string, vendorID, items int64, at time.Time) []ledger.Entry {
	t.Helper()
	entries := ledger.Sale{VendorID: vendorID, Currency: "MAD", Items: items, Shipping: 3000, Commission: ledger.Commission(items, 1000),
		Carrier: "amana", Paid: ledger.Clearing("cmi"), DueAt: at.Add(-time.Hour)}.Entries()
	apPost(t, m, ledger.Transaction{Kind: "payment.captured", Reference: number, Document: number, At: at, Entries: entries})
	return entries
}

func apPost(t *testing.T, m market, tr ledger.Transaction) {
	t.Helper()
	ctx := context.Background()
	if err := m.d.Tx(ctx, func(tx db.Querier) error {
		posted, err := ledger.Post(ctx, tx, tr)
		if err == nil && !posted {
			err = fmt.Errorf("%s %s: not posted", tr.Kind, tr.Reference)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// apAdmin creates an admin who reads French and signs them in.
func apAdmin(t *testing.T, m market) *authzClient {
	t.Helper()
	if _, err := m.app.Auth.CreateUser(context.Background(), auth.NewUser{Email: "admin@souk.ma", Name: "Salma", Role: auth.RoleAdmin,
		Password: "a-long-password-1", Locale: "fr"}); err != nil {
		t.Fatal(err)
	}
	c := newAuthzClient(m.url)
	c.signIn(t, "admin@souk.ma", "a-long-password-1")
	return c
}

// apRow is the table row of the page that holds text.
func apRow(body, text string) string {
	for _, row := range strings.Split(body, "<tr") {
		if strings.Contains(row, text) {
			return row
		}
	}
	return ""
}

func fr(amount int64) string { return i18n.FormatMoney("fr", money.New(amount, "MAD")) }

// The admin reads every vendor's balance, runs the payouts from the page,
// downloads the bank file, records a failure (a reason is required) and
// confirms a batch; a run with nothing due makes no batch.
func TestAdminPayouts(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		admin := apAdmin(t, m)
		const first22 = "0117800000012345678901"
		rib := first22 + morocco.RIBKey(first22)
		vendorA := apGiveRIB(t, m, "tifaouine", first22)
		b, err := m.app.Vendors.Create(ctx, operator, vendor.Input{Slug: "akal", Kind: vendor.Artisan, LegalName: "Atelier Akal",
			Region: "fes-meknes", City: "Fès", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Akal"}}}, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		apSale(t, m, "S1", vendorA, 100000, now.Add(-time.Minute))                                          // 900 DH due to A
		apSale(t, m, "S2", b.ID, 50000, now.Add(-time.Minute))                                              // 450 DH due to B, who has no RIB
		apPost(t, m, ledger.Transaction{Kind: "payment.captured", Reference: "S3", Document: "S3", At: now, // 270 DH waiting for delivery
			Entries: ledger.Sale{VendorID: vendorA, Currency: "MAD", Items: 30000, Commission: 3000, Carrier: "amana", Paid: ledger.Clearing("cmi")}.Entries()})

		status, body := admin.page(t, "/admin/payouts?lang=fr")
		if status != http.StatusOK {
			t.Fatalf("payouts page: %d", status)
		}
		rowA, rowB := apRow(body, "Coopérative Tifaouine"), apRow(body, "Atelier Akal")
		if !strings.Contains(rowA, fr(90000)) || !strings.Contains(rowA, fr(27000)) || !strings.Contains(rowA, "sera payé") ||
			!strings.Contains(rowA, fmt.Sprintf(`href="/admin/vendors/%d"`, vendorA)) {
			t.Errorf("vendor A's row: %s", rowA)
		}
		if !strings.Contains(rowB, fr(45000)) || !strings.Contains(rowB, "retenu : pas de RIB valide") {
			t.Errorf("vendor B's row: %s", rowB)
		}
		if total := apRow(body, "Total MAD"); !strings.Contains(total, fr(135000)) || !strings.Contains(total, fr(27000)) {
			t.Errorf("totals: %s", total)
		}

		// Run now: A is paid, B held.
		a := admin.postForm(t, "/admin/payouts/run", url.Values{"csrf_token": {admin.csrf}})
		match := regexp.MustCompile(`^/admin/payouts/batches/(\d+)\?done=payouts.console.run_done$`).FindStringSubmatch(a.location)
		if a.status != http.StatusSeeOther || match == nil {
			t.Fatalf("run: %d %q", a.status, a.location)
		}
		batch := match[1]
		var payoutID, paidTo int64
		if err := d.Read().QueryRowContext(ctx, `SELECT id, vendor_id FROM payouts WHERE batch_id = ?`, batch).Scan(&payoutID, &paidTo); err != nil || paidTo != vendorA {
			t.Fatalf("the batch's payout: %d to %d, %v", payoutID, paidTo, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM payouts`); n != 1 {
			t.Fatalf("%d payouts, want 1 (B has no RIB)", n)
		}
		status, body = admin.page(t, a.location+"&lang=fr")
		line := apRow(body, payout.Reference(payoutID))
		if status != http.StatusOK || !strings.Contains(body, "Les virements sont faits") || !strings.Contains(line, rib) ||
			!strings.Contains(line, fr(90000)) || !strings.Contains(line, "envoyé") || strings.Contains(body, "Atelier Akal") {
			t.Fatalf("batch page %d: %s", status, line)
		}

		// The bank file.
		resp, err := admin.client.Get(m.url + "/admin/payouts/batches/" + batch + "/file")
		if err != nil {
			t.Fatal(err)
		}
		_, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		records, err := csv.NewReader(resp.Body).ReadAll()
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("bank file: %d %q %v", resp.StatusCode, resp.Header.Get("Content-Type"), err)
		}
		if want := payout.BatchNumber(mustInt(t, batch)) + ".csv"; params["filename"] != want {
			t.Errorf("file name %q, want %q", params["filename"], want)
		}
		if len(records) != 2 || strings.Join(records[0], ",") != strings.Join(payout.BankFileColumns, ",") {
			t.Fatalf("bank file: %q", records)
		}
		if l := records[1]; l[0] != payout.Reference(payoutID) || l[1] != "Coopérative Tifaouine" || l[2] != rib || l[3] != "900.00" || l[4] != "MAD" {
			t.Errorf("bank file line: %q", l)
		}

		// A failure needs the bank's reason: refused, nothing changes.
		failURL := fmt.Sprintf("/admin/payouts/%d/fail?lang=fr", payoutID)
		before := count(t, d, `SELECT COUNT(*) FROM ledger_transactions`)
		a = admin.postForm(t, failURL, url.Values{"csrf_token": {admin.csrf}, "reason": {"  "}})
		if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "Motif donné par la banque : est obligatoire") ||
			!strings.Contains(a.body, fmt.Sprintf(`id="reason-%d"`, payoutID)) {
			t.Fatalf("fail without a reason: %d", a.status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM ledger_transactions`); n != before || apStatus(t, d, payoutID) != "sent" {
			t.Fatalf("a refused failure changed the book: %d → %d transactions, %s", before, n, apStatus(t, d, payoutID))
		}
		a = admin.postForm(t, failURL, url.Values{"csrf_token": {admin.csrf}, "reason": {"Compte clôturé"}})
		if a.status != http.StatusSeeOther || a.location != "/admin/payouts/batches/"+batch+"?done=payouts.console.failed_done" {
			t.Fatalf("fail: %d %q", a.status, a.location)
		}
		if apStatus(t, d, payoutID) != "failed" || apDue(t, m, vendorA) != 90000 {
			t.Fatalf("after the failure: %s, due %d", apStatus(t, d, payoutID), apDue(t, m, vendorA))
		}
		_, body = admin.page(t, "/admin/payouts/batches/"+batch+"?lang=fr")
		if line := apRow(body, payout.Reference(payoutID)); !strings.Contains(line, "Compte clôturé") || !strings.Contains(line, "en échec") {
			t.Errorf("failed line: %s", line)
		}
		// A failed transfer cannot be confirmed: said, nothing changes.
		before = count(t, d, `SELECT COUNT(*) FROM ledger_transactions`)
		a = admin.postForm(t, fmt.Sprintf("/admin/payouts/%d/confirm?lang=fr", payoutID), url.Values{"csrf_token": {admin.csrf}})
		if a.status != http.StatusConflict || !strings.Contains(a.body, i18n.T("fr", "payout.settled", nil)) {
			t.Errorf("confirming a failed transfer: %d", a.status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM ledger_transactions`); n != before || apStatus(t, d, payoutID) != "failed" {
			t.Errorf("a refused confirmation changed the book")
		}

		// The next run pays A again; confirming the whole batch moves the
		// money to the bank account.
		a = admin.postForm(t, "/admin/payouts/run", url.Values{"csrf_token": {admin.csrf}})
		match = regexp.MustCompile(`^/admin/payouts/batches/(\d+)\?`).FindStringSubmatch(a.location)
		if match == nil || match[1] == batch {
			t.Fatalf("second run: %d %q", a.status, a.location)
		}
		second := match[1]
		a = admin.postForm(t, "/admin/payouts/batches/"+second+"/confirm", url.Values{"csrf_token": {admin.csrf}})
		if a.status != http.StatusSeeOther || a.location != "/admin/payouts/batches/"+second+"?done=payouts.console.batch_confirmed_done" {
			t.Fatalf("confirm the batch: %d %q", a.status, a.location)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM payouts WHERE batch_id = `+second+` AND status = 'confirmed'`); n != 1 {
			t.Errorf("%d confirmed payouts in the second batch", n)
		}
		if n := count(t, d, `SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = 'bank'`); n != -90000 {
			t.Errorf("bank account %d, want -90000", n)
		}
		if n := count(t, d, `SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = 'payouts:in_transit'`); n != 0 {
			t.Errorf("in transit %d, want 0", n)
		}

		// Nothing is due any more: no batch, a notice.
		batches := count(t, d, `SELECT COUNT(*) FROM payout_batches`)
		a = admin.postForm(t, "/admin/payouts/run", url.Values{"csrf_token": {admin.csrf}})
		if a.status != http.StatusSeeOther || a.location != "/admin/payouts?done=payouts.console.nothing_due" {
			t.Fatalf("run with nothing due: %d %q", a.status, a.location)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM payout_batches`); n != batches {
			t.Errorf("a run with nothing due made a batch")
		}
		_, body = admin.page(t, a.location+"&lang=fr")
		if !strings.Contains(body, "aucun lot n’a été créé") {
			t.Error("no notice after a run with nothing due")
		}
		for _, n := range []string{batch, second} {
			row := apRow(body, payout.BatchNumber(mustInt(t, n)))
			if !strings.Contains(row, "Salma") || !strings.Contains(row, "console") || !strings.Contains(row, fr(90000)) {
				t.Errorf("batch %s in the list: %s", n, row)
			}
		}

		// Ids that are not numbers or do not exist; a page that is not a number.
		for _, p := range []string{"/admin/payouts/batches/abc", "/admin/payouts/batches/99999", "/admin/payouts/batches/99999/file"} {
			if status, _ := admin.page(t, p); status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, status)
			}
		}
		for _, p := range []string{"/admin/payouts/abc/confirm", "/admin/payouts/99999/fail", "/admin/payouts/batches/99999/confirm"} {
			if a := admin.postForm(t, p, url.Values{"csrf_token": {admin.csrf}, "reason": {"x"}}); a.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, a.status)
			}
		}
		if status, body := admin.page(t, "/admin/payouts?page=x&lang=fr"); status != http.StatusBadRequest || !strings.Contains(body, "Page : doit être un nombre entier") {
			t.Errorf("?page=x: %d", status)
		}
	})
}

// The list leaves out scheduled runs that found nothing, unless asked.
func TestAdminPayoutsEmptyRuns(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		admin := apAdmin(t, m)
		r, err := m.app.Payouts.Run(context.Background(), auth.User{}, payout.RunOptions{Source: payout.Schedule, Slot: "2026-12-01 10:00"})
		if err != nil || r.BatchID == 0 || len(r.Paid) != 0 {
			t.Fatalf("scheduled run: %+v %v", r, err)
		}
		number := r.Batch
		_, body := admin.page(t, "/admin/payouts?lang=fr")
		if strings.Contains(body, number) || !strings.Contains(body, `href="/admin/payouts?empty=1&amp;lang=fr"`) {
			t.Errorf("an empty run is listed by default")
		}
		_, body = admin.page(t, "/admin/payouts?empty=1&lang=fr")
		if row := apRow(body, number); !strings.Contains(row, "programmé") || !strings.Contains(row, "souk (automatique)") {
			t.Errorf("empty runs asked for: %s", row)
		}
	})
}

func apStatus(t *testing.T, d *db.DB, id int64) string {
	t.Helper()
	var s string
	if err := d.Read().QueryRowContext(context.Background(), `SELECT status FROM payouts WHERE id = ?`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func apDue(t *testing.T, m market, vendorID int64) int64 {
	t.Helper()
	bs, err := m.app.Ledger.VendorBalance(context.Background(), auth.User{ID: 1, Role: auth.RoleAdmin}, vendorID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return bs[0].Due.Amount
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
