package auth_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
)

// Operators list the customers (not vendors' people nor operators), newest
// first, found by part of the e-mail or the name; nobody else may.
func TestCustomers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, clk := newService(t, d)
		vendorID := mustVendor(t, d)
		add := func(email, name string, role auth.Role, vendor int64) auth.User {
			t.Helper()
			u, err := s.CreateUser(ctx, auth.NewUser{Email: email, Name: name, Password: "correct horse battery", Role: role, VendorID: vendor})
			if err != nil {
				t.Fatal(err)
			}
			clk.add(time.Minute)
			return u
		}
		nadia := add("nadia@example.ma", "Nadia Bennani", auth.RoleCustomer, 0)
		omar := add("omar_50%@example.ma", "عمر العلوي", auth.RoleCustomer, 0)
		owner := add("owner@coop.ma", "Fatima", auth.RoleVendorOwner, vendorID)
		mod := add("mod@souk.ma", "Karim", auth.RoleModerator, 0)

		for _, by := range []auth.User{{}, nadia, owner} {
			if _, err := s.Customers(ctx, by, auth.CustomerFilter{}); !errs.Is(err, errs.Forbidden) {
				t.Errorf("customers listed by %s: %v", by.Role, err)
			}
			if _, err := s.Customer(ctx, by, nadia.ID); !errs.Is(err, errs.Forbidden) {
				t.Errorf("customer read by %s: %v", by.Role, err)
			}
		}
		emails := func(f auth.CustomerFilter) []string {
			t.Helper()
			p, err := s.Customers(ctx, mod, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range p.Customers {
				out = append(out, u.Email)
			}
			if p.Total < len(out) {
				t.Errorf("total %d under the page's %d", p.Total, len(out))
			}
			return out
		}
		for name, c := range map[string]struct {
			f    auth.CustomerFilter
			want []string
		}{
			"all":            {auth.CustomerFilter{}, []string{omar.Email, nadia.Email}},
			"e-mail":         {auth.CustomerFilter{Q: "NADIA@"}, []string{nadia.Email}},
			"name":           {auth.CustomerFilter{Q: "bennani"}, []string{nadia.Email}},
			"arabic name":    {auth.CustomerFilter{Q: "العلوي"}, []string{omar.Email}},
			"like wildcard":  {auth.CustomerFilter{Q: "50%"}, []string{omar.Email}},
			"nobody":         {auth.CustomerFilter{Q: "%x"}, nil},
			"vendor's owner": {auth.CustomerFilter{Q: "owner@"}, nil},
			"page 2":         {auth.CustomerFilter{Page: 2, PerPage: 1}, []string{nadia.Email}},
		} {
			if got := emails(c.f); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
		if u, err := s.Customer(ctx, mod, nadia.ID); err != nil || u.Email != nadia.Email {
			t.Errorf("customer: %v %v", u, err)
		}
		if _, err := s.Customer(ctx, mod, owner.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("a vendor's owner read as a customer: %v", err)
		}
	})
}
