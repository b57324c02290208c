package catalog_test

import (
	"context"
	"testing"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
)

// A vendor submits a draft for review once it has a photo and a title in
// Arabic or French; a second press changes nothing; a published product
// cannot be submitted; a rejected one, changed, goes back to the queue.
// Another vendor's users do not see the product at all.
func TestSubmitForReview(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.cat.MediaDir = t.TempDir()
		coop := f.vendors["argan-tifaouine"]
		owner := ownerOf(coop)
		staff := auth.User{ID: 300, Role: auth.RoleVendorStaff, VendorID: coop.ID}
		stranger := ownerOf(f.vendors["dar-toubkal"])

		in := arganOil()
		in.Texts = map[string]catalog.Texts{"en": {Title: "Cosmetic argan oil"}}
		p, err := f.cat.Create(ctx, owner, coop.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		// No photo, and a title in English only.
		_, err = f.cat.Submit(ctx, staff, p.ID)
		if got := fieldsOf(err); got["photos"] != "products.submit_photo" || got["texts"] != "products.submit_title" || errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("submit without photo and title: %v", err)
		}
		if _, err := f.cat.Submit(ctx, stranger, p.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another vendor submits: %v", err)
		}
		if _, err := f.cat.Submit(ctx, auth.User{}, p.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("the public submits: %v", err)
		}
		if got, _ := f.cat.Get(ctx, owner, itoa(p.ID)); got.Status != catalog.Draft || auditCount(t, d, "product.submit", p.ID) != 0 {
			t.Fatalf("refused submissions changed the product: %s", got.Status)
		}

		if p, err = f.cat.AddPhoto(ctx, owner, p.ID, phonePhoto(t, 800, 600, 40), ""); err != nil {
			t.Fatal(err)
		}
		_, err = f.cat.Submit(ctx, owner, p.ID)
		if got := fieldsOf(err); got["texts"] != "products.submit_title" || got["photos"] != "" {
			t.Fatalf("submit with a photo, no Arabic or French title: %v", err)
		}
		in.Texts["fr"] = catalog.Texts{Title: "Huile d’argan"}
		in.Images = p.Images
		if p, err = f.cat.Update(ctx, owner, p.ID, in); err != nil {
			t.Fatal(err)
		}
		if p, err = f.cat.Submit(ctx, staff, p.ID); err != nil || p.Status != catalog.PendingReview {
			t.Fatalf("submit: %v %v", p.Status, err)
		}
		if p, err = f.cat.Submit(ctx, owner, p.ID); err != nil || p.Status != catalog.PendingReview {
			t.Fatalf("submit twice: %v %v", p.Status, err)
		}
		if n := auditCount(t, d, "product.submit", p.ID); n != 1 {
			t.Errorf("%d audit entries, want 1", n)
		}
		queue, err := f.cat.ReviewQueue(ctx, operator, catalog.QueueFilter{})
		if err != nil || len(queue.Items) != 1 || queue.Items[0].ID != p.ID {
			t.Fatalf("review queue: %+v %v", queue.Items, err)
		}

		// Rejected, then sent again.
		if _, err := f.cat.Moderate(ctx, operator, p.ID, catalog.Decision{Verdict: catalog.Reject, Reason: "Photo floue"}); err != nil {
			t.Fatal(err)
		}
		if p, err = f.cat.Submit(ctx, owner, p.ID); err != nil || p.Status != catalog.PendingReview {
			t.Fatalf("submit after rejection: %v %v", p.Status, err)
		}
		if _, err := f.cat.Moderate(ctx, operator, p.ID, catalog.Decision{Verdict: catalog.Publish, Checked: catalog.QualityChecks}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.cat.Submit(ctx, owner, p.ID); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("submit a published product: %v", err)
		}
		if n := auditCount(t, d, "product.submit", p.ID); n != 2 {
			t.Errorf("%d audit entries, want 2", n)
		}
	})
}

// A vendor's list holds its products in every status, newest first, with
// counts by status; it filters by status and finds by words, product key
// or SKU. Other vendors' users, and customers, get not found.
func TestVendorProducts(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		owner := ownerOf(coop)
		oil, err := f.cat.Create(ctx, owner, coop.ID, arganOil())
		if err != nil {
			t.Fatal(err)
		}
		amlou := arganOil()
		amlou.Texts = map[string]catalog.Texts{"ar": {Title: "أملو باللوز"}}
		amlou.Variants = amlou.Variants[:1]
		amlou.Variants[0].SKU = "AML-1"
		amlou.Status = catalog.PendingReview
		second, err := f.cat.Create(ctx, owner, coop.ID, amlou)
		if err != nil {
			t.Fatal(err)
		}
		other := arganOil()
		other.Variants = other.Variants[:1]
		other.Variants[0].SKU = "X-1"
		if _, err := f.cat.Create(ctx, operator, f.vendors["dar-toubkal"].ID, other); err != nil {
			t.Fatal(err)
		}

		ids := func(p catalog.VendorPage) []int64 {
			var out []int64
			for _, x := range p.Items {
				out = append(out, x.ID)
			}
			return out
		}
		all, err := f.cat.VendorProducts(ctx, owner, coop.ID, catalog.VendorFilter{})
		if err != nil || all.Total != 2 || len(all.Items) != 2 || all.Items[0].ID != second.ID || all.Items[1].ID != oil.ID {
			t.Fatalf("all: %v %v", ids(all), err)
		}
		if all.Counts[catalog.Draft] != 1 || all.Counts[catalog.PendingReview] != 1 || all.Counts[catalog.Published] != 0 {
			t.Errorf("counts: %v", all.Counts)
		}
		for _, c := range []struct {
			f    catalog.VendorFilter
			want int64
		}{
			{catalog.VendorFilter{Status: catalog.Draft}, oil.ID},
			{catalog.VendorFilter{Status: catalog.PendingReview}, second.ID},
			{catalog.VendorFilter{Q: "cosmétique"}, oil.ID},
			{catalog.VendorFilter{Q: "أملو"}, second.ID},
			{catalog.VendorFilter{Q: "aml-1"}, second.ID},
			{catalog.VendorFilter{Q: oil.Slug}, oil.ID},
		} {
			got, err := f.cat.VendorProducts(ctx, owner, coop.ID, c.f)
			if err != nil || got.Total != 1 || len(got.Items) != 1 || got.Items[0].ID != c.want {
				t.Errorf("%+v: %v %v", c.f, ids(got), err)
			}
		}
		if got, err := f.cat.VendorProducts(ctx, owner, coop.ID, catalog.VendorFilter{PerPage: 1, Page: 2}); err != nil || len(got.Items) != 1 || got.Items[0].ID != oil.ID || got.Total != 2 {
			t.Errorf("page 2: %v %v", ids(got), err)
		}
		if _, err := f.cat.VendorProducts(ctx, owner, coop.ID, catalog.VendorFilter{Status: "gone"}); fieldsOf(err)["status"] != "field.enum" {
			t.Errorf("bad status: %v", err)
		}
		for _, who := range []auth.User{ownerOf(f.vendors["dar-toubkal"]), {ID: 9, Role: auth.RoleCustomer}, {}} {
			if _, err := f.cat.VendorProducts(ctx, who, coop.ID, catalog.VendorFilter{}); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%v lists the vendor's products: %v", who.Role, err)
			}
		}
		if got, err := f.cat.VendorProducts(ctx, operator, coop.ID, catalog.VendorFilter{}); err != nil || got.Total != 2 {
			t.Errorf("operator: %v %v", ids(got), err)
		}
	})
}
