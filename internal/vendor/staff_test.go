package vendor_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/vendor"
)

// The owner invites a staff member (an account without a password and an
// e-mail in their language with a one-time link), sees the team, and
// removes them: disabled, signed out, the link spent, all in the audit log.
// Staff, another vendor's owner and customers may do none of it; the owner
// cannot be removed.
func TestStaffInvitedListedAndRemoved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := vendor.NewService(d, nil)
		s.Joining(vendor.DirStore(t.TempDir()), "https://souk.example")
		users := auth.NewService(d, auth.Config{}, nil)
		v, err := s.Create(ctx, operator, arganInput(), vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		in := arganInput()
		in.Slug, in.LegalName = "akal", "Atelier Akal"
		other, err := s.Create(ctx, operator, in, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		newUser := func(email string, role auth.Role, vendorID int64) auth.User {
			t.Helper()
			u, err := users.CreateUser(ctx, auth.NewUser{Email: email, Name: strings.Split(email, "@")[0], Password: "a-long-password-1",
				Role: role, VendorID: vendorID, Locale: "fr"})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		owner := newUser("fatima@tifaouine.ma", auth.RoleVendorOwner, v.ID)
		otherOwner := newUser("youssef@akal.ma", auth.RoleVendorOwner, other.ID)
		customer := newUser("nadia@example.ma", auth.RoleCustomer, 0)

		// Who may invite.
		invite := vendor.StaffInvite{Name: "Aïcha", Email: "Aicha@Tifaouine.ma", Locale: "ar"}
		for who, want := range map[string]struct {
			by   auth.User
			code errs.Code
		}{
			"anonymous":     {auth.User{}, errs.Unauthorized},
			"customer":      {customer, errs.Forbidden},
			"another owner": {otherOwner, errs.NotFound},
		} {
			if _, err := s.InviteStaff(ctx, want.by, v.ID, invite); !errs.Is(err, want.code) {
				t.Errorf("%s invites: %v, want %s", who, err, want.code)
			}
		}
		if _, err := s.InviteStaff(ctx, owner, v.ID, vendor.StaffInvite{Name: "", Email: "not an address"}); fieldOf(err, "email") != "field.email" {
			t.Errorf("bad e-mail: %v", err)
		}
		if n := countRows(t, d, "outbox") + countRows(t, d, "audit_log"); n != 0 {
			t.Fatalf("refused invitations wrote %d rows", n)
		}

		staff, err := s.InviteStaff(ctx, owner, v.ID, invite)
		if err != nil {
			t.Fatal(err)
		}
		if staff.Role != auth.RoleVendorStaff || staff.VendorID != v.ID || staff.Email != "aicha@tifaouine.ma" || staff.Locale != "ar" {
			t.Fatalf("invited: %+v", staff)
		}
		if _, err := s.InviteStaff(ctx, owner, v.ID, invite); fieldOf(err, "email") != "field.taken" || !errs.Is(err, errs.Conflict) {
			t.Errorf("same e-mail twice: %v", err)
		}
		m := outbox(t, d)
		if len(m) != 1 || m[0].to != "aicha@tifaouine.ma" || !strings.Contains(m[0].subject, "تعاونية تيفاوين") || !strings.Contains(m[0].body, "fatima") {
			t.Fatalf("invitation e-mail: %+v", m)
		}
		link := regexp.MustCompile(`https://souk\.example/ar/account/set-password\?token=(\S+)`).FindStringSubmatch(m[0].body)
		if link == nil {
			t.Fatalf("no link in %q", m[0].body)
		}
		token, _ := url.QueryUnescape(link[1])

		// The team, owner first; the staff member is invited until they choose a password.
		if _, err := users.VendorMembers(ctx, staff, v.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("staff lists the team: %v", err)
		}
		if _, err := users.VendorMembers(ctx, otherOwner, v.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("another owner lists the team: %v", err)
		}
		team, err := users.VendorMembers(ctx, owner, v.ID)
		if err != nil || len(team) != 2 || team[0].ID != owner.ID || team[1].ID != staff.ID || !team[1].Invited || team[0].Invited || team[1].LastSignIn != nil {
			t.Fatalf("team: %+v %v", team, err)
		}
		if _, err := users.UseSetPasswordLink(ctx, token, "aicha-argan-2024"); err != nil {
			t.Fatal(err)
		}
		sess, _, err := users.Login(ctx, "aicha@tifaouine.ma", "aicha-argan-2024", "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		team, err = users.VendorMembers(ctx, operator, v.ID)
		if err != nil || team[1].Invited || team[1].LastSignIn == nil || team[1].Disabled {
			t.Fatalf("team once signed in: %+v %v", team, err)
		}

		// Removing: not by staff nor another vendor; never the owner.
		if _, err := s.RemoveStaff(ctx, staff, v.ID, staff.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("staff removes: %v", err)
		}
		if _, err := s.RemoveStaff(ctx, otherOwner, other.ID, staff.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("another vendor's owner removes through their vendor: %v", err)
		}
		if _, err := s.RemoveStaff(ctx, owner, v.ID, owner.ID); !errs.Is(err, errs.Conflict) {
			t.Errorf("owner removed: %v", err)
		}
		if _, err := s.RemoveStaff(ctx, owner, v.ID, customer.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("a customer removed as staff: %v", err)
		}
		if _, _, err := users.Authenticate(ctx, sess.Token); err != nil {
			t.Fatalf("refused removals signed the member out: %v", err)
		}
		if _, err := s.RemoveStaff(ctx, owner, v.ID, staff.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := users.Authenticate(ctx, sess.Token); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("removed member still signed in: %v", err)
		}
		if _, _, err := users.Login(ctx, "aicha@tifaouine.ma", "aicha-argan-2024", "127.0.0.2", "test"); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("removed member signs in: %v", err)
		}
		if _, err := s.RemoveStaff(ctx, owner, v.ID, staff.ID); err != nil {
			t.Errorf("removing twice: %v", err)
		}
		team, _ = users.VendorMembers(ctx, owner, v.ID)
		if len(team) != 2 || !team[1].Disabled {
			t.Errorf("team after removal: %+v", team)
		}
		log, err := audit.List(ctx, d.Read(), operator, audit.Filter{Entity: "user", Action: "user."})
		if err != nil || len(log) != 2 || log[0].Action != "user.disable" || log[0].ActorID != owner.ID || log[1].Action != "user.invite" {
			t.Fatalf("audit log: %+v %v", log, err)
		}
	})
}

// A member removed before following their link cannot use it.
func TestRemovedInviteeCannotSetAPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := vendor.NewService(d, nil)
		s.Joining(vendor.DirStore(t.TempDir()), "https://souk.example")
		users := auth.NewService(d, auth.Config{}, nil)
		v, err := s.Create(ctx, operator, arganInput(), vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		staff, err := s.InviteStaff(ctx, operator, v.ID, vendor.StaffInvite{Name: "Aïcha", Email: "aicha@tifaouine.ma", Locale: "fr"})
		if err != nil {
			t.Fatal(err)
		}
		link := regexp.MustCompile(`token=(\S+)`).FindStringSubmatch(outbox(t, d)[0].body)
		token, _ := url.QueryUnescape(link[1])
		if _, err := s.RemoveStaff(ctx, operator, v.ID, staff.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := users.UseSetPasswordLink(ctx, token, "aicha-argan-2024"); fieldOf(err, "token") != "field.link_expired" {
			t.Errorf("removed invitee's link: %v", err)
		}
	})
}
