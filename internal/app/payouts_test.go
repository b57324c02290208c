package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/ledger"
	"souk/internal/morocco"
	"souk/internal/payout"
	"souk/internal/vendor"
)

// souk payouts run pays what is due on the database souk serve uses,
// prints it (or JSON) and writes the bank file; a second run pays nothing;
// confirm and fail record what the bank did, and refuse bad references
// and a missing reason; souk ledger check then passes.
func TestPayoutsCommand(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		rib := "0117800000012345678901"
		rib += morocco.RIBKey(rib)
		admin := auth.User{ID: 0, Role: auth.RoleAdmin}
		v, err := vendor.NewService(d, nil).Create(ctx, admin, vendor.Input{Slug: "tifaouine", Kind: vendor.Cooperative,
			LegalName: "Coopérative Tifaouine", Region: "souss-massa", City: "Taroudant", CooperativeNumber: "2004/1", RIB: rib,
			Texts: map[string]vendor.Texts{"fr": {DisplayName: "Tifaouine"}}}, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		sale := ledger.Sale{VendorID: v.ID, Currency: "MAD", Items: 50000, Shipping: 2500, Commission: 5000, Carrier: "amana",
			Paid: ledger.COD("amana"), DueAt: time.Now().Add(-time.Hour)}
		if err := d.Tx(ctx, func(tx db.Querier) error {
			_, err := ledger.Post(ctx, tx, ledger.Transaction{Kind: "cod.collected", Reference: "S1", Document: "S1", At: time.Now(), Entries: sale.Entries()})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		run := func(args ...string) (int, string, string) {
			var out, errOut bytes.Buffer
			args = append(append(args, dbtest.Flags(t, d)...), "--log-level", "warn")
			code := Run(ctx, args, nil, &out, &errOut)
			return code, out.String(), errOut.String()
		}
		file := filepath.Join(t.TempDir(), "batch.csv")
		code, out, errOut := run("payouts", "run", "--json", "--file", file)
		if code != 0 {
			t.Fatalf("run: exit %d: %s %s", code, out, errOut)
		}
		var r payout.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if len(r.Paid) != 1 || r.Paid[0].Amount.Amount != 45000 || r.Paid[0].RIB != rib {
			t.Fatalf("report %+v", r)
		}
		csv, err := os.ReadFile(file)
		if err != nil || !strings.Contains(string(csv), r.Paid[0].Reference+",Coopérative Tifaouine,"+rib+",450.00,MAD,") {
			t.Fatalf("bank file: %s %v", csv, err)
		}
		if code, out, _ := run("payouts", "run"); code != 0 || !strings.Contains(out, "nothing due") {
			t.Fatalf("second run: %d %s", code, out)
		}
		ref := r.Paid[0].Reference
		for _, bad := range [][]string{
			{"payouts", "fail", "--payout", ref},
			{"payouts", "fail", "--payout", "P1", "--reason", "x"},
			{"payouts", "confirm", "--batch", "B12"},
			{"payouts", "confirm", "--payout", "SOUK-P999999"},
			{"payouts", "pay"},
		} {
			if code, out, errOut := run(bad...); code == 0 {
				t.Errorf("%v: exit 0: %s %s", bad, out, errOut)
			}
		}
		if code, out, errOut := run("payouts", "fail", "--payout", ref, "--reason", "compte clôturé"); code != 0 || !strings.Contains(out, "failed") {
			t.Fatalf("fail: %d %s %s", code, out, errOut)
		}
		code, out, _ = run("payouts", "run")
		if code != 0 || !strings.Contains(out, "1 vendor(s) paid, 450.00 MAD") {
			t.Fatalf("run after the failure: %d %s", code, out)
		}
		batch := strings.Fields(out)[0]
		batch = strings.TrimSuffix(batch, ":")
		if code, out, errOut := run("payouts", "confirm", "--batch", batch); code != 0 || !strings.Contains(out, "1 transfer(s) confirmed") {
			t.Fatalf("confirm: %d %s %s", code, out, errOut)
		}
		if code, out, errOut := run("ledger", "check"); code != 0 || !strings.Contains(out, "no earning was paid twice") {
			t.Fatalf("ledger check: %d %s %s", code, out, errOut)
		}
	})
}
