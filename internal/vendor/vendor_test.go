package vendor_test

import (
	"context"
	"errors"
	"souk/internal/audit"
	"strconv"
	"strings"
	"testing"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

var operator = auth.User{ID: 1, Role: auth.RoleAdmin}

func validRIB() string {
	first22 := "1810000000123456789012"
	return first22 + morocco.RIBKey(first22)
}

func arganInput() vendor.Input {
	return vendor.Input{
		Kind:              vendor.Cooperative,
		LegalName:         "Coopérative Tifaouine pour la production d'huile d'argan",
		Texts:             map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine", Story: "Fondée en 2004 par 45 femmes du douar."}, "ar": {DisplayName: "تعاونية تيفاوين"}},
		Region:            "souss-massa",
		City:              "Taroudant",
		CooperativeNumber: "2004/123",
		ICE:               "001 234 567 000 089",
		Email:             "Contact@Tifaouine.ma",
		Phone:             "06 12 34 56 78",
		RIB:               validRIB(),
	}
}

func TestApplyApproveAndRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := vendor.NewService(d, nil)
		v, err := s.Apply(ctx, vendor.Application{Input: arganInput()})
		if err != nil {
			t.Fatal(err)
		}
		if v.Slug != "cooperative-tifaouine" || v.Status != vendor.Applied || v.ApprovedAt != nil {
			t.Fatalf("applied vendor: %+v", v)
		}
		if v.ICE != "001234567000089" || v.Phone != "+212612345678" || v.Email != "contact@tifaouine.ma" {
			t.Errorf("identifiers not normalised: %q %q %q", v.ICE, v.Phone, v.Email)
		}
		if v.DisplayName("ar") != "تعاونية تيفاوين" || v.DisplayName("en") != "Coopérative Tifaouine" || v.DisplayName("zgh") != "تعاونية تيفاوين" {
			t.Errorf("display names by locale: ar=%q en=%q zgh=%q", v.DisplayName("ar"), v.DisplayName("en"), v.DisplayName("zgh"))
		}

		// The public does not see an applicant; the operator does.
		if _, err := s.Get(ctx, auth.User{}, v.Slug); !errs.Is(err, errs.NotFound) {
			t.Errorf("public sees an applicant: %v", err)
		}
		if list, total, _ := s.List(ctx, auth.User{}, vendor.Filter{}); total != 0 || len(list) != 0 {
			t.Errorf("public list shows applicants: %d", total)
		}
		if _, err := s.SetStatus(ctx, auth.User{Role: auth.RoleCustomer}, v.ID, vendor.Approved); !errs.Is(err, errs.Forbidden) {
			t.Errorf("customer approved a vendor: %v", err)
		}
		v, err = s.SetStatus(ctx, operator, v.ID, vendor.Approved)
		if err != nil || v.Status != vendor.Approved || v.ApprovedAt == nil {
			t.Fatalf("approve: %+v %v", v, err)
		}
		got, err := s.Get(ctx, auth.User{}, "cooperative-tifaouine")
		if err != nil || got.ID != v.ID {
			t.Fatalf("public get after approval: %v", err)
		}
		byID, err := s.Get(ctx, auth.User{}, itoa(v.ID))
		if err != nil || byID.Slug != v.Slug {
			t.Fatalf("get by id: %v", err)
		}
		list, total, err := s.List(ctx, auth.User{}, vendor.Filter{Region: "souss-massa"})
		if err != nil || total != 1 || len(list) != 1 || list[0].Texts["fr"].Story == "" {
			t.Fatalf("public list: %d %v", total, err)
		}

		// A second applicant with the same name gets a free slug.
		v2, err := s.Apply(ctx, vendor.Application{Input: arganInput()})
		if err != nil || v2.Slug != "cooperative-tifaouine-2" {
			t.Fatalf("second slug: %q %v", v2.Slug, err)
		}
		// An explicit slug that is taken is a conflict on that field.
		in := arganInput()
		in.Slug = "cooperative-tifaouine"
		_, err = s.Apply(ctx, vendor.Application{Input: in})
		if e := asErr(err); e == nil || e.Code != errs.Conflict || e.Fields["slug"] != "field.taken" {
			t.Fatalf("taken slug: %v", err)
		}
	})
}

func TestBadInputNamesTheFieldAndChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := vendor.NewService(d, nil)
		cases := []struct {
			field string
			edit  func(*vendor.Input)
		}{
			{"kind", func(in *vendor.Input) { in.Kind = "bank" }},
			{"legal_name", func(in *vendor.Input) { in.LegalName = "  " }},
			{"region", func(in *vendor.Input) { in.Region = "andalucia" }},
			{"city", func(in *vendor.Input) { in.City = "" }},
			{"cooperative_number", func(in *vendor.Input) { in.CooperativeNumber = "" }},
			{"ice", func(in *vendor.Input) { in.ICE = "12345" }},
			{"rib", func(in *vendor.Input) { in.RIB = in.RIB[:23] + string('0'+(in.RIB[23]-'0'+1)%10) }},
			{"phone", func(in *vendor.Input) { in.Phone = "+33 6 12 34 56 78" }},
			{"email", func(in *vendor.Input) { in.Email = "not-an-address" }},
			{"slug", func(in *vendor.Input) { in.Slug = "Bad Slug" }},
			{"texts.xx", func(in *vendor.Input) { in.Texts["xx"] = vendor.Texts{DisplayName: "x"} }},
			{"texts", func(in *vendor.Input) { in.Texts = nil }},
			{"texts.fr.story", func(in *vendor.Input) { in.Texts["fr"] = vendor.Texts{DisplayName: "x", Story: "a\x00b"} }},
		}
		for _, c := range cases {
			in := arganInput()
			c.edit(&in)
			_, err := s.Apply(ctx, vendor.Application{Input: in})
			e := asErr(err)
			if e == nil || e.Code != errs.Invalid || e.Fields[c.field] == "" {
				t.Errorf("%s: want an invalid-field error naming it, got %v", c.field, err)
			}
		}
		var n int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM vendors`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("bad input stored %d vendors (%v)", n, err)
		}
	})
}

func TestOnlyOwnersAndOperatorsEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := vendor.NewService(d, nil)
		a, err := s.Create(ctx, operator, arganInput(), vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		in := arganInput()
		in.Texts = map[string]vendor.Texts{"fr": {DisplayName: "Safran Taliouine"}}
		b, err := s.Create(ctx, operator, in, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Create(ctx, auth.User{Role: auth.RoleVendorOwner, VendorID: a.ID}, arganInput(), vendor.Approved); !errs.Is(err, errs.Forbidden) {
			t.Errorf("vendor owner created an approved vendor: %v", err)
		}
		ownerA := auth.User{ID: 7, Role: auth.RoleVendorOwner, VendorID: a.ID}
		edit := arganInput()
		edit.City = "Agadir"
		if _, err := s.Update(ctx, ownerA, b.ID, edit); !errs.Is(err, errs.Forbidden) {
			t.Errorf("owner of A edited B: %v", err)
		}
		if got, _ := s.ByID(ctx, b.ID); got.City != "Taroudant" {
			t.Errorf("B changed to %q", got.City)
		}
		staffA := auth.User{ID: 8, Role: auth.RoleVendorStaff, VendorID: a.ID}
		if _, err := s.Update(ctx, staffA, a.ID, edit); !errs.Is(err, errs.Forbidden) {
			t.Errorf("staff edited the vendor's bank details: %v", err)
		}
		got, err := s.Update(ctx, ownerA, a.ID, edit)
		if err != nil || got.City != "Agadir" || got.Slug != a.Slug || got.Status != vendor.Approved {
			t.Fatalf("owner edit: %+v %v", got, err)
		}
		// The edit is in the audit log with the city before and after;
		// the refused ones are not.
		entries, err := audit.List(ctx, d.Read(), operator, audit.Filter{Entity: "vendor", Action: "vendor.update"})
		if err != nil || len(entries) != 1 || entries[0].ActorID != ownerA.ID ||
			!strings.Contains(string(entries[0].Before), `"city":"Taroudant"`) || !strings.Contains(string(entries[0].After), `"city":"Agadir"`) {
			t.Errorf("audit of the edit: %+v %v", entries, err)
		}
		if !vendor.CanSeePrivate(staffA, got) || vendor.CanSeePrivate(auth.User{Role: auth.RoleVendorOwner, VendorID: b.ID}, got) || vendor.CanSeePrivate(auth.User{}, got) {
			t.Error("private details visibility")
		}
	})
}

func asErr(err error) *errs.Error {
	var e *errs.Error
	errors.As(err, &e)
	return e
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
