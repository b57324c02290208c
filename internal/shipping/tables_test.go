package shipping_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/shipping"
)

// The console reads the zones and a carrier's tables; every change of a
// carrier or a table is in the audit log, with the record before and after.
func TestTablesAndAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := shipping.NewService(d, nil)
		admin := auth.User{ID: 0, Role: auth.RoleAdmin}

		zones, err := s.Zones(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(zones, []string{"ma-center", "ma-north", "ma-south", "eu", "north-america", "world"}) {
			t.Errorf("zones: %v", zones)
		}
		rates, err := s.Rates(ctx, admin, "amana")
		if err != nil {
			t.Fatal(err)
		}
		if b := rates["ma-center"]; len(b) != 5 || b[0] != (shipping.Band{MaxGrams: 1000, Amount: 3000}) || b[4].MaxGrams != 30000 {
			t.Errorf("amana in ma-center: %+v", b)
		}
		if _, ok := rates["nowhere"]; ok || len(rates) == 0 {
			t.Errorf("amana's zones: %v", rates)
		}
		if _, err := s.Rates(ctx, auth.User{ID: 9, Role: auth.RoleCustomer}, "amana"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a customer reads the tables: %v", err)
		}
		if _, err := s.Rates(ctx, admin, "pigeon"); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown carrier: %v", err)
		}

		entries := func(action string) []audit.Entry {
			t.Helper()
			es, err := audit.List(ctx, d.Read(), admin, audit.Filter{Action: action})
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		if _, err := s.SetCarrier(ctx, admin, "amana", 4000, false); err != nil {
			t.Fatal(err)
		}
		if es := entries("carrier.set"); len(es) != 1 || es[0].EntityID != "amana" ||
			string(es[0].Before) != `{"discount_bp":0,"active":true}` || string(es[0].After) != `{"discount_bp":4000,"active":false}` {
			t.Errorf("carrier audit: %+v", es)
		}
		if _, err := s.SetCarrier(ctx, admin, "pigeon", 0, true); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown carrier: %v", err)
		}
		if _, err := s.SetCarrier(ctx, admin, "amana", 10001, true); !errs.Is(err, errs.Invalid) {
			t.Errorf("discount over 100%%: %v", err)
		}

		bands := []shipping.Band{{MaxGrams: 500, Amount: 2000}, {MaxGrams: 2000, Amount: 3300}}
		if err := s.SetRates(ctx, admin, "amana", "ma-center", bands); err != nil {
			t.Fatal(err)
		}
		if err := s.SetRates(ctx, admin, "amana", "ma-center", []shipping.Band{{MaxGrams: 900, Amount: 1}, {MaxGrams: 800, Amount: 1}}); !errs.Is(err, errs.Invalid) {
			t.Errorf("bands that shrink: %v", err)
		}
		es := entries("shipping_rates.set")
		if len(es) != 1 || es[0].EntityID != "amana/ma-center" {
			t.Fatalf("rates audit: %+v", es)
		}
		var before, after []shipping.Band
		if json.Unmarshal(es[0].Before, &before) != nil || json.Unmarshal(es[0].After, &after) != nil ||
			len(before) != 5 || before[0].Amount != 3000 || !slices.Equal(after, bands) {
			t.Errorf("rates audit: %s → %s", es[0].Before, es[0].After)
		}
		rates, err = s.Rates(ctx, admin, "amana")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rates["ma-center"], bands) {
			t.Errorf("after SetRates: %+v", rates["ma-center"])
		}
	})
}
