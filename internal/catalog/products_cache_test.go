package catalog_test

import (
	"context"
	"reflect"
	"testing"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
)

// listAll is the public catalog's first page, newest first.
func listAll(t *testing.T, s *catalog.Service) []catalog.Product {
	t.Helper()
	page, err := s.List(context.Background(), auth.User{}, catalog.Filter{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// shown is product id as the public listing shows it.
func shown(t *testing.T, s *catalog.Service, id int64) catalog.Product {
	t.Helper()
	for _, p := range listAll(t, s) {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("product %d not listed", id)
	return catalog.Product{}
}

// A page shown again is answered from the cache: no product is read from
// the database again, and the answer is the same.
func TestProductCacheAnswersARepeatedListing(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		publishedOil(t, f, "oil")
		publishedOil(t, f, "other-oil")
		first := listAll(t, f.cat)
		if got := f.cat.ProductCacheStats(); got.Hits != 0 || got.Misses != 2 || got.Entries != 2 || got.Bytes <= 0 {
			t.Fatalf("after the first listing: %+v, want 2 misses and 2 entries", got)
		}
		second := listAll(t, f.cat)
		if got := f.cat.ProductCacheStats(); got.Hits != 2 || got.Misses != 2 {
			t.Fatalf("after the second listing: %+v, want 2 hits and no new miss", got)
		}
		if !reflect.DeepEqual(first, second) || len(first) != 2 {
			t.Fatalf("the cached listing differs:\n%+v\n%+v", first, second)
		}
	})
}

// What this node changes shows in its next listing, whatever changed: the
// price and title (Update), a certification, a photo, stock a sale took.
func TestProductCacheShowsThisNodesEdits(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		in := arganOil()
		in.Slug, in.Status = "oil", catalog.Published
		in.Images = []catalog.Image{{Path: "p/a.jpg", Width: 800, Height: 600}, {Path: "p/b.jpg", Width: 800, Height: 600}}
		p, err := f.cat.Create(ctx, operator, f.vendors["argan-tifaouine"].ID, in)
		if err != nil {
			t.Fatal(err)
		}
		listAll(t, f.cat)

		in.Variants[0].Price = money.Dirhams(9100)
		in.Texts["fr"] = catalog.Texts{Title: "Huile d’argan pure"}
		in.Certifications[0].Number = "IGP-ARG-02"
		if _, err := f.cat.Update(ctx, operator, p.ID, in); err != nil {
			t.Fatal(err)
		}
		got := shown(t, f.cat, p.ID)
		if got.Variants[0].Price != money.Dirhams(9100) || got.Texts["fr"].Title != "Huile d’argan pure" || got.Certifications[0].Number != "IGP-ARG-02" {
			t.Fatalf("after Update: %+v", got)
		}

		if _, err := f.cat.RemovePhoto(ctx, operator, p.ID, 0); err != nil {
			t.Fatal(err)
		}
		if got := shown(t, f.cat, p.ID); len(got.Images) != 1 || got.Images[0].Path != "p/b.jpg" {
			t.Fatalf("after RemovePhoto: %+v", got.Images)
		}

		// 40 → 39: the listings' order and filters stay; the stock shown does not.
		v := got.Variants[0]
		err = d.Tx(ctx, func(tx db.Querier) error {
			failed, err := catalog.Reserve(ctx, tx, []catalog.Take{{VariantID: v.ID, Quantity: 1, UnitAmount: v.Price.Amount}})
			if err == nil && len(failed) > 0 {
				t.Errorf("no stock taken: %v", failed)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := shown(t, f.cat, p.ID); got.Variants[0].Stock != 39 {
			t.Fatalf("after a sale: stock %d, want 39", got.Variants[0].Stock)
		}
	})
}

// What another node changes shows once this node has read the feed.
func TestProductCacheShowsTheOtherNodesEdits(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		p, in := publishedOil(t, f, "oil")
		d2 := dbtest.Reopen(t, d)
		node2 := catalog.NewService(d2, nil)
		follow(t, node2)
		listAll(t, node2)

		in.Variants[0].Price = money.Dirhams(9200)
		if _, err := f.cat.Update(ctx, operator, p.ID, in); err != nil {
			t.Fatal(err)
		}
		readNow(t, d2, node2)
		if got := shown(t, node2, p.ID); got.Variants[0].Price != money.Dirhams(9200) {
			t.Fatalf("node 2 after its feed read: price %v, want 92.00", got.Variants[0].Price)
		}
		if got := node2.ProductCacheStats(); got.Misses != 2 {
			t.Fatalf("node 2: %+v, want the product read twice", got)
		}
	})
}

// A change of a vendor or of a category (a change of everything) empties
// the cache: each product shows its vendor's and category's slugs.
func TestProductCacheForgetsEverythingOnAVendorOrCategoryChange(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		p, _ := publishedOil(t, f, "oil")
		listAll(t, f.cat)

		v := f.vendors["argan-tifaouine"]
		_, err := vendor.NewService(d, nil).Update(ctx, operator, v.ID, vendor.Input{Slug: "tifaouine", Kind: v.Kind,
			LegalName: v.LegalName, Region: v.Region, City: v.City, CooperativeNumber: v.CooperativeNumber, Texts: v.Texts})
		if err != nil {
			t.Fatal(err)
		}
		f.cat.Sync(ctx)
		if got := f.cat.ProductCacheStats(); got.Entries != 0 {
			t.Fatalf("after a vendor's change: %+v, want it empty", got)
		}
		if got := shown(t, f.cat, p.ID); got.VendorSlug != "tifaouine" {
			t.Fatalf("after the vendor's new slug: %q", got.VendorSlug)
		}

		exec(t, d, `UPDATE categories SET slug = 'argan' WHERE slug = 'argan-oil'`)
		if got := shown(t, f.cat, p.ID); got.CategorySlug != "argan" {
			t.Fatalf("after the category's new slug: %q", got.CategorySlug)
		}
	})
}

// A listing that read a product before it changed, and would store it
// after the feed dropped it, stores nothing: the next listing reads the
// change instead of showing the old product for good.
func TestProductCacheLoadRacingAChange(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		p, in := publishedOil(t, f, "oil")
		raced := false
		f.cat.OnProductsLoaded(func() {
			if raced {
				return
			}
			raced = true
			in.Variants[0].Price = money.Dirhams(9300)
			if _, err := f.cat.Update(ctx, operator, p.ID, in); err != nil {
				t.Error(err)
			}
			f.cat.Sync(ctx) // the feed drops the product while the listing has it in hand
		})
		if got := shown(t, f.cat, p.ID); got.Variants[0].Price != money.Dirhams(8500) {
			t.Fatalf("the racing listing: price %v, want the 85.00 it read", got.Variants[0].Price)
		}
		if got := shown(t, f.cat, p.ID); got.Variants[0].Price != money.Dirhams(9300) {
			t.Fatalf("the next listing: price %v, want 93.00", got.Variants[0].Price)
		}
	})
}

// With a small budget the cache holds what fits and never more; with none
// it holds nothing.
func TestProductCacheStaysWithinItsBudget(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		var ids []int64
		for _, slug := range []string{"a", "b", "c", "d", "e", "f"} {
			p, _ := publishedOil(t, f, "oil-"+slug)
			ids = append(ids, p.ID)
		}
		const budget = 4000 // two of these products
		f.cat.SetProductCacheBytes(budget)
		for round := 0; round < 3; round++ {
			for page := 1; page <= 3; page++ {
				got, err := f.cat.List(ctx, auth.User{}, catalog.Filter{Page: page, PerPage: 2})
				if err != nil {
					t.Fatal(err)
				}
				if want := []int64{ids[6-2*page+1], ids[6-2*page]}; !sameIDs(got.Items, want) {
					t.Fatalf("page %d: %v, want %v", page, idsOf(got.Items), want)
				}
				if s := f.cat.ProductCacheStats(); s.Bytes > budget || s.Entries == 0 {
					t.Fatalf("round %d page %d: %+v, want 0 < bytes <= %d", round, page, s, budget)
				}
			}
		}
		if s := f.cat.ProductCacheStats(); s.Entries >= len(ids) {
			t.Fatalf("%+v: the budget kept every product", s)
		}
		f.cat.SetProductCacheBytes(0)
		listAll(t, f.cat)
		if s := f.cat.ProductCacheStats(); s.Entries != 0 || s.Bytes != 0 {
			t.Fatalf("turned off: %+v", s)
		}
	})
}

// A vendor suspended after listings were shown leaves them at once, and
// comes back when approved again: the vendors listings leave out are kept
// between listings, and forgotten on every change of a vendor.
func TestSuspendedVendorLeavesListings(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		p, _ := publishedOil(t, f, "oil")
		shown(t, f.cat, p.ID)
		vs := vendor.NewService(d, nil)
		v := f.vendors["argan-tifaouine"]
		if _, err := vs.SetStatus(ctx, operator, v.ID, vendor.Suspended); err != nil {
			t.Fatal(err)
		}
		for _, x := range listAll(t, f.cat) {
			if x.ID == p.ID {
				t.Fatal("a suspended vendor's product is still listed")
			}
		}
		if _, err := vs.SetStatus(ctx, operator, v.ID, vendor.Approved); err != nil {
			t.Fatal(err)
		}
		shown(t, f.cat, p.ID)
	})
}
