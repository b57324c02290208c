package web_test

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

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
	"GET /vendor/payouts":       "owner staff other",
	"GET /vendor/statement":     "owner staff other",
	"GET /vendor/statement.csv": "owner staff other",
})

// download GETs path and returns the status, the headers and the body.
func (c *authzClient) download(t *testing.T, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := c.client.Get(c.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// A cooperative's treasurer reads what souk owes it and what it paid: two
// sales (one due, one falling due in two days), a payout confirmed, a
// partial refund after it (the vendor owes it back for a while), a payout
// that came back, one on its way and a parcel not delivered yet. The
// payouts page, the printable statement and its CSV agree to the
// centime with the ledger; another vendor sees none of it; a bad month is
// refused, naming the parameter.
func TestPortalPayoutsAndStatement(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		machine := auth.User{}
		a, err := m.app.Vendors.BySlug(ctx, "tifaouine")
		if err != nil {
			t.Fatal(err)
		}
		first22 := "0117800000012345678901"
		if _, err := m.app.Vendors.Update(ctx, operator, a.ID, vendor.Input{Kind: a.Kind, LegalName: a.LegalName, Region: a.Region,
			City: a.City, CooperativeNumber: a.CooperativeNumber, RIB: first22 + morocco.RIBKey(first22),
			Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine"}}}); err != nil {
			t.Fatal(err)
		}
		post := func(tr func(tx db.Querier) (ledger.Transaction, error)) {
			t.Helper()
			if err := d.Tx(ctx, func(tx db.Querier) error {
				txn, err := tr(tx)
				if err != nil {
					return err
				}
				_, err = ledger.Post(ctx, tx, txn)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		sale := func(number string, items int64, due time.Time) {
			t.Helper()
			post(func(db.Querier) (ledger.Transaction, error) {
				s := ledger.Sale{VendorID: a.ID, Currency: "MAD", Items: items, Shipping: 3000, Commission: ledger.Commission(items, 1000),
					Carrier: "amana", Paid: ledger.Clearing("cmi"), DueAt: due}
				return ledger.Transaction{Kind: "payment.captured", Reference: number, Document: number, At: time.Now(), Entries: s.Entries()}, nil
			})
		}
		run := func() payout.Payout {
			t.Helper()
			r, err := m.app.Payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
			if err != nil || len(r.Paid) != 1 {
				t.Fatalf("run: %+v %v", r, err)
			}
			return r.Paid[0]
		}

		dueS1, dueS2 := time.Now().Add(-time.Hour), time.Now().Add(48*time.Hour)
		sale("S1", 100000, dueS1) // earns 900 DH, due
		sale("S2", 50000, dueS2)  // earns 450 DH in two days
		p1 := run()
		if p1.Amount.Amount != 90000 {
			t.Fatalf("first payout %+v", p1)
		}
		if _, err := m.app.Payouts.Confirm(ctx, machine, p1.ID); err != nil {
			t.Fatal(err)
		}
		// 200 DH of S1 refunded after the payout: 174.76 of the earning
		// (with 16.18 + 3.24 of the commission and 5.82 of the shipping),
		// which the cooperative now owes.
		post(func(tx db.Querier) (ledger.Transaction, error) {
			lines, err := ledger.Lines(ctx, tx, "S1")
			if err != nil {
				return ledger.Transaction{}, err
			}
			entries, err := ledger.Refund(lines, "MAD", 20000, ledger.Clearing("cmi"))
			return ledger.Transaction{Kind: "payment.refunded", Reference: "S1-R1", Document: "S1", At: time.Now(), Entries: entries}, err
		})

		owner := tifaouineOwner(t, m, auth.RoleVendorOwner, "owner@tifaouine.ma")
		fr := func(amount int64) string { return flat(i18n.FormatMoney("fr", money.Dirhams(amount))) }
		parse := func(body string) *html.Node {
			t.Helper()
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			return doc
		}
		status, body := owner.page(t, "/vendor/payouts?lang=fr")
		doc := parse(body)
		if status != http.StatusOK || textOf(byID(doc, "due-MAD")) != fr(-17476) || !strings.Contains(body, "vos prochaines ventes le compensent") {
			t.Fatalf("owing: %d, due %q", status, textOf(byID(doc, "due-MAD")))
		}

		dueS3 := time.Now().Add(-time.Hour)
		sale("S3", 30000, dueS3) // earns 270 DH: 95.24 DH left once the debt is paid back
		p2 := run()
		if p2.Amount.Amount != 9524 {
			t.Fatalf("second payout %+v", p2)
		}
		if _, err := m.app.Payouts.Fail(ctx, machine, p2.ID, "compte clôturé"); err != nil {
			t.Fatal(err)
		}
		p3 := run()
		if p3.Amount.Amount != 9524 {
			t.Fatalf("third payout %+v", p3)
		}
		sale("S4", 20000, time.Time{}) // earns 180 DH once delivered

		balances, err := m.app.Ledger.VendorBalance(ctx, auth.User{ID: 1, Role: auth.RoleAdmin}, a.ID, time.Now())
		if err != nil || balances[0].Total.Amount != 63000 {
			t.Fatalf("balance %+v %v", balances, err)
		}

		// The payouts page.
		status, body = owner.page(t, "/vendor/payouts?lang=fr")
		doc = parse(body)
		if status != http.StatusOK {
			t.Fatalf("payouts page: %d", status)
		}
		for id, want := range map[string]string{"total-MAD": fr(63000), "due-MAD": fr(0), "undelivered-MAD": fr(18000),
			"in-transit-MAD": fr(9524)} {
			if got := textOf(byID(doc, id)); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
		if got := flat(textOf(byID(doc, "pending-MAD"))); got != flat(fr(45000)+" · le "+dueS2.In(mustZone(t, "Africa/Casablanca")).Format("02/01/2006 15:04")) {
			t.Errorf("pending: %q", got)
		}
		for _, c := range []struct {
			p    payout.Payout
			want []string
		}{
			{p1, []string{fr(90000), "Arrivé", payout.MaskRIB(p1.RIB)}},
			{p2, []string{fr(9524), "Revenu (échec)", "Raison : compte clôturé"}},
			{p3, []string{fr(9524), "Envoyé"}},
		} {
			row := flat(textOf(byID(doc, c.p.Reference)))
			for _, w := range c.want {
				if !strings.Contains(row, flat(w)) {
					t.Errorf("history %s: %q lacks %q", c.p.Reference, row, w)
				}
			}
		}
		if byID(doc, "no-rib") != nil {
			t.Error("a vendor with a RIB is told it has none")
		}
		month := time.Now().In(mustZone(t, "Africa/Casablanca")).Format("2006-01")
		if !strings.Contains(body, `href="/vendor/statement?month=`+month+`"`) || !strings.Contains(body, `href="/vendor/statement.csv?month=`+month+`"`) ||
			strings.Count(textOf(byID(doc, "statements")), "Voir et imprimer") != 12 {
			t.Error("the payouts page does not link the last 12 months' statements")
		}

		// The statement of the month: every line, the running balance, the totals.
		status, body = owner.page(t, "/vendor/statement?lang=fr")
		doc = parse(body)
		if status != http.StatusOK || !strings.Contains(body, `class="document statement"`) || !strings.Contains(body, "window.print()") {
			t.Fatalf("statement page: %d", status)
		}
		var rows [][]string
		for _, tr := range find(doc, "tr", "class", "line") {
			var cells []string
			for _, td := range find(tr, "td") {
				cells = append(cells, flat(textOf(td)))
			}
			rows = append(rows, cells)
		}
		casa := mustZone(t, "Africa/Casablanca")
		due := func(t time.Time) string { return t.In(casa).Format("02/01/2006 15:04") }
		today := time.Now().In(casa).Format("02/01/2006")
		wantRows := [][]string{
			{today, "Vente payée par carte", "S1", fr(100000), fr(10000), fr(90000), due(dueS1), fr(90000)},
			{today, "Vente payée par carte", "S2", fr(50000), fr(5000), fr(45000), due(dueS2), fr(135000)},
			{today, "Virement envoyé", p1.Reference, "", "", fr(-90000), "", fr(45000)},
			{today, "Virement arrivé", p1.Reference, "", "", fr(0), "", fr(45000)},
			{today, "Remboursement au client", "S1", fr(-19418), fr(-1942), fr(-17476), "", fr(27524)},
			{today, "Vente payée par carte", "S3", fr(30000), fr(3000), fr(27000), due(dueS3), fr(54524)},
			{today, "Virement envoyé", p2.Reference, "", "", fr(-9524), "", fr(45000)},
			{today, "Virement revenu", p2.Reference, "", "", fr(9524), "", fr(54524)},
			{today, "Virement envoyé", p3.Reference, "", "", fr(-9524), "", fr(45000)},
			{today, "Vente payée par carte", "S4", fr(20000), fr(2000), fr(18000), "", fr(63000)},
		}
		if len(rows) != len(wantRows) {
			t.Fatalf("statement: %d lines, want %d: %q", len(rows), len(wantRows), rows)
		}
		for i := range wantRows {
			if strings.Join(rows[i], " | ") != strings.Join(wantRows[i], " | ") {
				t.Errorf("line %d:\n got %q\nwant %q", i, rows[i], wantRows[i])
			}
		}
		for id, want := range map[string]string{"opening-MAD": fr(0), "closing-MAD": fr(63000), "sales-MAD": fr(180582),
			"commission-MAD": fr(18058), "net-MAD": fr(63000)} {
			if got := textOf(byID(doc, id)); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}

		// The CSV: a BOM, the columns, the same lines, amounts as decimals.
		status, header, csvBody := owner.download(t, "/vendor/statement.csv")
		if status != http.StatusOK || !strings.HasPrefix(header.Get("Content-Type"), "text/csv") ||
			header.Get("Content-Disposition") != `attachment; filename="souk-statement-tifaouine-`+month+`.csv"` {
			t.Fatalf("csv: %d %q %q", status, header.Get("Content-Type"), header.Get("Content-Disposition"))
		}
		if !strings.HasPrefix(csvBody, "\ufeff") || !strings.Contains(csvBody, "\r\n") {
			t.Error("the CSV has no byte order mark or no CR LF: Excel misreads it")
		}
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 13 || strings.Join(records[0], ",") != "date,type,document,sales,commission,net,due_at,balance,currency" {
			t.Fatalf("csv: %d records, header %q", len(records), records[0])
		}
		isoToday := time.Now().In(casa).Format(time.DateOnly)
		for i, want := range map[int]string{
			1:  month + "-01,opening_balance,,,,,,0.00,MAD",
			2:  isoToday + ",payment.captured,S1,1000.00,100.00,900.00," + dueS1.In(casa).Format("2006-01-02 15:04") + ",900.00,MAD",
			3:  isoToday + ",payment.captured,S2,500.00,50.00,450.00," + dueS2.In(casa).Format("2006-01-02 15:04") + ",1350.00,MAD",
			4:  isoToday + ",payout.sent," + p1.Reference + ",0.00,0.00,-900.00,,450.00,MAD",
			6:  isoToday + ",payment.refunded,S1,-194.18,-19.42,-174.76,,275.24,MAD",
			9:  isoToday + ",payout.failed," + p2.Reference + ",0.00,0.00,95.24,,545.24,MAD",
			11: isoToday + ",payment.captured,S4,200.00,20.00,180.00,,630.00,MAD",
		} {
			if got := strings.Join(records[i], ","); got != want {
				t.Errorf("csv line %d: %q, want %q", i, got, want)
			}
		}
		closing := records[12]
		if closing[1] != "closing_balance" || closing[7] != money.Decimal(balances[0].Total) || closing[7] != "630.00" {
			t.Errorf("csv closing %q, the balance is %s", closing, money.Decimal(balances[0].Total))
		}

		// In Arabic, right to left.
		for _, path := range []string{"/vendor/payouts?lang=ar", "/vendor/statement?lang=ar"} {
			if status, body := owner.page(t, path); status != http.StatusOK || !strings.Contains(body, `dir="rtl"`) ||
				!strings.Contains(body, "المدفوعات") {
				t.Errorf("%s: %d", path, status)
			}
		}

		// A month that is not one, too early or too far ahead: 400, naming the parameter.
		casaNow := time.Now().In(casa)
		next := time.Date(casaNow.Year(), casaNow.Month()+1, 1, 0, 0, 0, 0, casa).Format("2006-01")
		farAhead := time.Date(casaNow.Year(), casaNow.Month()+2, 1, 0, 0, 0, 0, casa).Format("2006-01")
		for _, bad := range []string{"2026-13", "1999-12", "2026-3", "mars", farAhead, month + "-01"} {
			for _, path := range []string{"/vendor/statement?lang=fr&month=", "/vendor/statement.csv?lang=fr&month="} {
				status, body := owner.page(t, path+bad)
				if status != http.StatusBadRequest || !strings.Contains(body, "(paramètre « month ») doit s’écrire AAAA-MM, de 2000-01 à "+next) {
					t.Errorf("%s%s: %d", path, bad, status)
				}
			}
		}
		if status, body := owner.page(t, "/vendor/statement?lang=fr&month="+next); status != http.StatusOK || !strings.Contains(body, "Aucune opération ce mois-ci.") {
			t.Errorf("next month: %d", status)
		}
		if status, body := owner.page(t, "/vendor/statement?lang=fr&month=2000-01"); status != http.StatusOK || strings.Contains(body, `rel="prev"`) {
			t.Errorf("January 2000: %d", status)
		}

		// Another vendor's owner: its own empty account, never A's.
		b, err := m.app.Vendors.Create(ctx, operator, vendor.Input{Slug: "akal", Kind: vendor.Artisan, LegalName: "Atelier Akal",
			Region: "fes-meknes", City: "Fès", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Akal"}}}, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.app.Auth.CreateUser(ctx, auth.NewUser{Email: "owner@akal.ma", Name: "Youssef", Role: auth.RoleVendorOwner,
			VendorID: b.ID, Password: "a-long-password-1", Locale: "fr"}); err != nil {
			t.Fatal(err)
		}
		other := newAuthzClient(m.url)
		other.signIn(t, "owner@akal.ma", "a-long-password-1")
		for _, path := range []string{"/vendor/payouts?lang=fr", "/vendor/statement?lang=fr", "/vendor/statement.csv"} {
			status, body := other.page(t, path)
			if status != http.StatusOK || strings.Contains(body, "SOUK-P") || strings.Contains(body, ">S1<") || strings.Contains(body, ",S1,") ||
				strings.Contains(body, "630,00") || strings.Contains(body, "630.00") {
				t.Errorf("%s as another vendor: %d, shows A's data", path, status)
			}
		}
		status, body = other.page(t, "/vendor/payouts?lang=fr")
		doc = parse(body)
		if textOf(byID(doc, "total-MAD")) != fr(0) || byID(doc, "no-payouts") == nil || len(find(byID(doc, "no-rib"), "a", "href", "/vendor/shop")) != 1 {
			t.Errorf("the other vendor's page: total %q, no RIB warning with a link to the shop", textOf(byID(doc, "total-MAD")))
		}
		_, _, csvBody = other.download(t, "/vendor/statement.csv")
		if records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll(); err != nil || len(records) != 3 ||
			records[1][7] != "0.00" || records[2][7] != "0.00" {
			t.Errorf("the other vendor's CSV: %q %v", records, err)
		}

		// A's staff are told to ask the owner for the RIB, without the owner's link.
		if _, err := m.app.Vendors.Update(ctx, operator, a.ID, vendor.Input{Kind: a.Kind, LegalName: a.LegalName, Region: a.Region,
			City: a.City, CooperativeNumber: a.CooperativeNumber, Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine"}}}); err != nil {
			t.Fatal(err)
		}
		staff := tifaouineOwner(t, m, auth.RoleVendorStaff, "staff@tifaouine.ma")
		status, body = staff.page(t, "/vendor/payouts?lang=fr")
		doc = parse(body)
		if status != http.StatusOK || !strings.Contains(textOf(byID(doc, "no-rib")), "Demandez au propriétaire") || strings.Contains(body, `href="/vendor/shop"`) {
			t.Errorf("staff without a RIB: %d %q", status, textOf(byID(doc, "no-rib")))
		}
		if textOf(byID(doc, "total-MAD")) != fr(63000) {
			t.Errorf("staff see total %q", textOf(byID(doc, "total-MAD")))
		}
	})
}
