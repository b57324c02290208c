package order_test

import (
	"context"
	"fmt"
	"testing"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/order"
)

// A vendor works through its parcels: the list and counts by status (its
// own only, a page at a time), one parcel with its lines and history, and
// shipping with a tracking number and maybe another carrier — refused,
// naming the fields, without one, or with a carrier that does not collect
// the cash of a cash-on-delivery parcel.
func TestVendorParcels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		yes := true
		if _, err := s.orders.SetSettings(ctx, s.operator, order.SettingsInput{CODConfirmation: &yes}); err != nil {
			t.Fatal(err)
		}
		amlou, rugs := s.vendors[0], s.vendors[1]
		user := func(email string, role auth.Role, vendorID int64) auth.User {
			t.Helper()
			u, err := s.auth.CreateUser(ctx, auth.NewUser{Email: email, Password: "correct horse battery", Role: role, VendorID: vendorID})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		owner := user("owner@amlou.ma", auth.RoleVendorOwner, amlou.ID)
		staff := user("staff@amlou.ma", auth.RoleVendorStaff, amlou.ID)
		stranger := user("owner@tapis.ma", auth.RoleVendorOwner, rugs.ID)
		customer := user("amina@example.ma", auth.RoleCustomer, 0)

		var orders []order.Order
		for i := range 3 {
			c := s.cart(t, map[int64]int{s.variant(t, 0, 0): 2, s.variant(t, 0, 1): 1, s.variant(t, 1, 0): 1})
			o, _, err := s.orders.Checkout(ctx, auth.User{}, c, fmt.Sprint("k", i), casablancaCOD())
			if err != nil {
				t.Fatal(err)
			}
			orders = append(orders, o)
		}
		parcel := orders[2].Vendors[0] // amlou's part of the newest order
		if parcel.VendorID != amlou.ID || parcel.Status != order.Placed {
			t.Fatalf("parcel %+v", parcel)
		}

		// Lists and counts: the vendor's own people and operators.
		counts, err := s.orders.ParcelCounts(ctx, staff, amlou.ID)
		if err != nil || counts[order.Placed] != 3 || len(counts) != 1 {
			t.Fatalf("counts: %v %v", counts, err)
		}
		for who, by := range map[string]auth.User{"another vendor": stranger, "a customer": customer, "anonymous": {}} {
			if _, err := s.orders.ParcelList(ctx, by, amlou.ID, order.ParcelFilter{}); err == nil {
				t.Errorf("%s lists the parcels", who)
			}
			if _, err := s.orders.ParcelCounts(ctx, by, amlou.ID); err == nil {
				t.Errorf("%s counts the parcels", who)
			}
			if _, err := s.orders.Parcel(ctx, by, parcel.ID); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s reads a parcel: %v", who, err)
			}
			if _, err := s.orders.Ship(ctx, by, parcel.ID, "", "RR1", ""); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s ships a parcel: %v", who, err)
			}
		}
		page, err := s.orders.ParcelList(ctx, owner, amlou.ID, order.ParcelFilter{Status: order.Placed, Limit: 2})
		if err != nil || len(page) != 2 || page[0].ID != parcel.ID {
			t.Fatalf("first page: %+v %v", page, err)
		}
		p := page[0]
		if p.Items != 3 || p.Amount != parcel.Items || p.Collect.Amount != parcel.Items.Amount+parcel.Shipping.Amount ||
			p.City != "casablanca" || p.Country != "MA" || p.OrderNumber != orders[2].Number || p.Number != parcel.Number {
			t.Errorf("row: %+v", p)
		}
		next, err := s.orders.ParcelList(ctx, owner, amlou.ID, order.ParcelFilter{Status: order.Placed, Limit: 2, Before: page[1].ID})
		if err != nil || len(next) != 1 || next[0].ID != orders[0].Vendors[0].ID {
			t.Fatalf("second page: %+v %v", next, err)
		}
		if l, err := s.orders.ParcelList(ctx, owner, amlou.ID, order.ParcelFilter{Status: order.Packed}); err != nil || len(l) != 0 {
			t.Errorf("packed: %v %v", l, err)
		}
		if _, err := s.orders.ParcelList(ctx, owner, amlou.ID, order.ParcelFilter{Status: "lost"}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown status: %v", err)
		}

		got, err := s.orders.Parcel(ctx, staff, parcel.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Lines) != 2 || got.Email != "fatima@example.ma" || got.Address.Name != "Fatima Zahra" || got.Phone == "" ||
			got.Collect != p.Collect || len(got.Events) != 1 || got.Events[0].To != order.Placed || len(got.VATByRate) == 0 {
			t.Errorf("parcel: %+v", got)
		}
		var vat int64
		for _, l := range got.VATByRate {
			vat += l.VAT.Amount
		}
		if vat != got.VendorOrder.VAT.Amount {
			t.Errorf("VAT by rate adds to %d, the parcel's VAT is %d", vat, got.VendorOrder.VAT.Amount)
		}

		// Shipping: only once packed, with a tracking number, with a carrier that collects cash.
		if _, err := s.orders.Ship(ctx, owner, parcel.ID, "", "RR1", ""); !errs.Is(err, errs.Conflict) {
			t.Errorf("shipping a placed parcel: %v", err)
		}
		for _, to := range []order.Status{order.Confirmed, order.Packed} {
			if _, err := s.orders.Move(ctx, staff, parcel.ID, to, "", ""); err != nil {
				t.Fatal(to, err)
			}
		}
		_, err = s.orders.Ship(ctx, owner, parcel.ID, "dhl", "", "")
		if f := fieldsOf(err); f["tracking_number"] != "field.required" || f["carrier"] != "field.carrier_no_cod" {
			t.Errorf("no tracking, a carrier without cash: %v", err)
		}
		if _, err := s.orders.Ship(ctx, owner, parcel.ID, "pigeon", "RR1", ""); fieldsOf(err)["carrier"] != "field.enum" {
			t.Errorf("unknown carrier: %v", err)
		}
		if got, _ := s.orders.Parcel(ctx, owner, parcel.ID); got.Status != order.Packed || got.Carrier != parcel.Carrier {
			t.Fatalf("refused shipping changed the parcel: %+v", got)
		}
		carrier := "ctm"
		if parcel.Carrier == "ctm" {
			carrier = "amana"
		}
		o, err := s.orders.Ship(ctx, staff, parcel.ID, carrier, "RR123456789MA", "")
		if err != nil {
			t.Fatal(err)
		}
		if v := o.Vendors[0]; v.Status != order.Shipped || v.Tracking != "RR123456789MA" || v.Carrier != carrier {
			t.Errorf("shipped: %+v", v)
		}
		log, err := audit.List(ctx, d.Read(), s.operator, audit.Filter{Entity: "vendor_order", EntityID: fmt.Sprint(parcel.ID)})
		if err != nil || len(log) != 1 || log[0].ActorID != staff.ID || log[0].Action != "vendor_order.carrier" {
			t.Errorf("carrier change in the audit log: %+v %v", log, err)
		}
		counts, _ = s.orders.ParcelCounts(ctx, owner, amlou.ID)
		if counts[order.Placed] != 2 || counts[order.Shipped] != 1 {
			t.Errorf("counts after shipping: %v", counts)
		}
	})
}
