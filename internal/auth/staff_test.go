package auth_test

import (
	"testing"

	"souk/internal/auth"
	"souk/internal/errs"
)

// Only the vendor's owner and operators manage its staff; its staff are
// refused, another vendor's people do not learn it exists.
func TestCanManageStaff(t *testing.T) {
	const vendor = 7
	for _, c := range []struct {
		who  string
		by   auth.User
		want errs.Code
	}{
		{"owner", auth.User{ID: 1, Role: auth.RoleVendorOwner, VendorID: vendor}, ""},
		{"admin", auth.User{ID: 2, Role: auth.RoleAdmin}, ""},
		{"moderator", auth.User{ID: 3, Role: auth.RoleModerator}, ""},
		{"staff", auth.User{ID: 4, Role: auth.RoleVendorStaff, VendorID: vendor}, errs.Forbidden},
		{"another owner", auth.User{ID: 5, Role: auth.RoleVendorOwner, VendorID: vendor + 1}, errs.NotFound},
		{"another vendor's staff", auth.User{ID: 6, Role: auth.RoleVendorStaff, VendorID: vendor + 1}, errs.NotFound},
		{"customer", auth.User{ID: 8, Role: auth.RoleCustomer}, errs.Forbidden},
		{"anonymous", auth.User{}, errs.Unauthorized},
	} {
		if got := errs.CodeOf(auth.CanManageStaff(c.by, vendor)); got != c.want {
			t.Errorf("%s: %q, want %q", c.who, got, c.want)
		}
	}
}
