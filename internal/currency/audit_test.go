package currency_test

import (
	"context"
	"testing"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/currency"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
)

// Setting a rate writes the audit log with the rate before and after; a
// refused rate writes nothing.
func TestSetIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := currency.NewService(d, nil)
		op := auth.User{Role: auth.RoleAdmin}
		if _, err := s.Set(ctx, op, "EUR", "11.02"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Set(ctx, op, "EUR", "1102"); !errs.Is(err, errs.Invalid) {
			t.Errorf("rate out of range: %v", err)
		}
		es, err := audit.List(ctx, d.Read(), op, audit.Filter{Entity: "exchange_rate"})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].Action != "exchange_rate.set" || es[0].EntityID != "EUR" ||
			string(es[0].Before) != `{"mad_per_unit":"10.85"}` || string(es[0].After) != `{"mad_per_unit":"11.02"}` {
			t.Errorf("audit: %+v", es)
		}
	})
}
