package currency_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/currency"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/money"
)

// clock is a settable time for the cache.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestRates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
		s := currency.NewService(d, clk.now)

		// A fresh database has the migration's defaults, in the display order.
		rates, err := s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rates) != 2 || rates[0].Currency != "EUR" || rates[1].Currency != "USD" || rates[0].String() != "10.85" ||
			rates[0].UpdatedBy != 0 || rates[0].UpdatedAt.IsZero() {
			t.Fatalf("default rates: %+v", rates)
		}
		for _, c := range currency.Foreign {
			if !money.Known(c) || c == money.MAD {
				t.Errorf("%s cannot be a foreign display currency", c)
			}
		}

		op := auth.User{ID: 0, Role: auth.RoleModerator}
		snapshot := func() []currency.Rate {
			t.Helper()
			other := currency.NewService(d, nil) // no cache in the way
			r, err := other.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		before := snapshot()

		// Who may set a rate.
		for _, u := range []auth.User{{}, {ID: 7, Role: auth.RoleCustomer}, {ID: 8, Role: auth.RoleVendorOwner, VendorID: 1}, {ID: 9, Role: auth.RoleVendorStaff, VendorID: 1}} {
			if _, err := s.Set(ctx, u, "EUR", "11"); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s sets a rate: %v", u.Role, err)
			}
		}
		// Bad input names the field and changes nothing.
		for _, c := range []struct{ currency, rate, field, key string }{
			{"MAD", "1", "currency", "field.rate_currency"},
			{"GBP", "13.5", "currency", "field.rate_currency"},
			{"eur", "10.85", "currency", "field.rate_currency"},
			{"", "10.85", "currency", "field.rate_currency"},
			{"EUR", "", "mad_per_unit", "field.required"},
			{"EUR", "10,85", "mad_per_unit", "field.rate_decimal"},
			{"EUR", "10.8512345", "mad_per_unit", "field.rate_decimal"},
			{"EUR", "-10.85", "mad_per_unit", "field.rate_decimal"},
			{"EUR", "1e1", "mad_per_unit", "field.rate_decimal"},
			{"EUR", "0", "mad_per_unit", "field.rate_range"},
			{"EUR", "0.999999", "mad_per_unit", "field.rate_range"},
			{"EUR", "1085", "mad_per_unit", "field.rate_range"},
			{"EUR", "100.000001", "mad_per_unit", "field.rate_range"},
			{"EUR", "99999999999999999999", "mad_per_unit", "field.rate_decimal"},
		} {
			_, err := s.Set(ctx, op, c.currency, c.rate)
			var e *errs.Error
			if !errs.Is(err, errs.Invalid) || !errors.As(err, &e) || e.Fields[c.field] != c.key {
				t.Errorf("Set(%q, %q): %v, want %s: %s", c.currency, c.rate, err, c.field, c.key)
			}
		}
		if after := snapshot(); !equal(before, after) {
			t.Errorf("refused input changed the rates: %+v → %+v", before, after)
		}

		// The bounds themselves are accepted; an operator's rate is kept with who set it.
		for _, r := range []string{"1", "100", "100.000000"} {
			if _, err := s.Set(ctx, op, "USD", r); err != nil {
				t.Errorf("Set(USD, %s): %v", r, err)
			}
		}
		clk.add(time.Minute)
		got, err := s.Set(ctx, op, "EUR", "10.9")
		if err != nil || got.MADPerUnit != 10_900_000 || got.String() != "10.90" || !got.UpdatedAt.Equal(clk.now()) {
			t.Fatalf("Set: %+v %v", got, err)
		}
		// Seen at once by this service, despite its cache.
		if r, err := s.Get(ctx, "EUR"); err != nil || r.MADPerUnit != 10_900_000 || !r.UpdatedAt.Equal(got.UpdatedAt) {
			t.Errorf("after Set: %+v %v", r, err)
		}
		if m, err := s.Convert(ctx, money.Dirhams(15000), "EUR"); err != nil || m != money.New(1376, "EUR") {
			t.Errorf("150 MAD at 10.90: %v %v", m, err)
		}
		if m, err := s.Convert(ctx, money.Dirhams(15000), money.MAD); err != nil || m != money.Dirhams(15000) {
			t.Errorf("MAD: %v %v", m, err)
		}
		if _, err := s.Get(ctx, "GBP"); !errs.Is(err, errs.NotFound) {
			t.Errorf("GBP: %v", err)
		}

		// Another process's write is seen once the cache expires, not before.
		if _, err := d.W.ExecContext(ctx, d.Rebind(`UPDATE exchange_rates SET mad_per_unit = ? WHERE currency = ?`), 11_000_000, "EUR"); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.Get(ctx, "EUR"); r.MADPerUnit != 10_900_000 {
			t.Errorf("the cache did not hold: %+v", r)
		}
		clk.add(currency.CacheTTL)
		if r, _ := s.Get(ctx, "EUR"); r.MADPerUnit != 11_000_000 {
			t.Errorf("the cache did not expire: %+v", r)
		}

		// A signed-in operator is recorded (the users table is auth's; the
		// account is made through it).
		a := auth.NewService(d, auth.Config{}, nil)
		u, err := a.CreateUser(ctx, auth.NewUser{Email: "ops@example.ma", Name: "Nadia", Password: "a long passphrase", Role: auth.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		if r, err := s.Set(ctx, u, "USD", "9.35"); err != nil || r.UpdatedBy != u.ID {
			t.Fatalf("Set as %d: %+v %v", u.ID, r, err)
		}
		if r, _ := currency.NewService(d, nil).Get(ctx, "USD"); r.UpdatedBy != u.ID || r.MADPerUnit != 9_350_000 {
			t.Errorf("stored: %+v", r)
		}
	})
}

func equal(a, b []currency.Rate) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Currency != b[i].Currency || a[i].MADPerUnit != b[i].MADPerUnit || !a[i].UpdatedAt.Equal(b[i].UpdatedAt) || a[i].UpdatedBy != b[i].UpdatedBy {
			return false
		}
	}
	return true
}
