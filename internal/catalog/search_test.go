package catalog_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
)

func TestSearchMatchesHowPeopleType(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		mk := func(slug, category string, texts map[string]catalog.Texts) catalog.Product {
			t.Helper()
			p, err := f.cat.Create(ctx, operator, coop.ID, catalog.Input{
				Slug: slug, Category: category, Status: catalog.Published, Texts: texts,
				Variants: []catalog.Variant{{SKU: "S1", Price: money.Dirhams(1000)}},
			})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		oil := mk("argan-oil", "argan-oil", map[string]catalog.Texts{
			"ar": {Title: "زيت الأركان المُعصور على البارد"},
			"fr": {Title: "Huile d’Argan pressée à froid"},
		})
		rose := mk("rose-water", "rose-products", map[string]catalog.Texts{
			"ar": {Title: "ماء الورد من قلعة مكونة", Description: "مُقطَّر في المؤسسة التعاونية"},
			"es": {Title: "Agua de rosas de Kelâat M'Gouna"},
		})
		want := map[string][]int64{
			"زيت الاركان":                 {oil.ID},  // typed without hamza
			"زَيْتُ الأَرْكان":            {oil.ID},  // typed with diacritics
			"الإركان":                     {oil.ID},  // another alef
			"المعصور":                     {oil.ID},  // stored with a shadda-less damma
			"مكونه":                       {rose.ID}, // ta marbuta typed as ha
			"المؤسسه":                     {rose.ID},
			"المءسسة":                     nil, // a stray hamza is not a letter
			"huile d'argan":               {oil.ID},
			"HUILE D’ARGAN":               {oil.ID},
			"pressee":                     {oil.ID},
			"kelaat":                      {rose.ID},
			"press":                       {oil.ID}, // prefix as the visitor types
			"زي":                          {oil.ID},
			"tifaou":                      {oil.ID, rose.ID}, // the vendor's name
			"argan rose":                  nil,               // every word must match
			`"); DROP TABLE products; --`: nil,
		}
		check := func(where string) {
			for q, ids := range want {
				page, err := f.cat.List(ctx, auth.User{}, catalog.Filter{Q: q})
				if err != nil {
					t.Errorf("%s, %q: %v", where, q, err)
					continue
				}
				if !sameIDs(page.Items, ids) || page.Total != len(ids) {
					t.Errorf("%s: %q found %v (total %d), want %v", where, q, idsOf(page.Items), page.Total, ids)
				}
			}
		}
		check("database")
		// The same answers from the index in memory, as souk serve gives them.
		watched := catalog.NewService(d, nil)
		ctxWatch, stop := context.WithCancel(ctx)
		defer stop()
		if err := watched.WatchIndex(ctxWatch, time.Hour, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		f.cat, watched = watched, f.cat
		check("memory")
		f.cat = watched

		// Edits and deletions reach the index in the same transaction.
		in := catalog.Input{Category: "argan-oil", Texts: map[string]catalog.Texts{"fr": {Title: "Amlou aux amandes"}},
			Variants: []catalog.Variant{{SKU: "S1", Price: money.Dirhams(1000)}}}
		if _, err := f.cat.Update(ctx, operator, oil.ID, in); err != nil {
			t.Fatal(err)
		}
		if page, _ := f.cat.List(ctx, auth.User{}, catalog.Filter{Q: "argan huile"}); len(page.Items) != 0 {
			t.Errorf("old words still found after an edit")
		}
		if page, _ := f.cat.List(ctx, auth.User{}, catalog.Filter{Q: "amandes"}); !sameIDs(page.Items, []int64{oil.ID}) {
			t.Errorf("new words not found after an edit")
		}
		if err := f.cat.Delete(ctx, operator, rose.ID); err != nil {
			t.Fatal(err)
		}
		var n int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM search_index`).Scan(&n)
		if n != 1 {
			t.Errorf("index holds %d entries after a deletion, want 1", n)
		}

		// A lost index is rebuilt.
		d.Tx(ctx, func(tx db.Querier) error { _, err := tx.ExecContext(ctx, `DELETE FROM search_index`); return err })
		if got, err := f.cat.EnsureIndexed(ctx); err != nil || got != 1 {
			t.Fatalf("EnsureIndexed: %d %v", got, err)
		}
		if got, _ := f.cat.EnsureIndexed(ctx); got != 0 {
			t.Errorf("a full index was rebuilt again")
		}
		if page, _ := f.cat.List(ctx, auth.User{}, catalog.Filter{Q: "amlou"}); !sameIDs(page.Items, []int64{oil.ID}) {
			t.Errorf("rebuilt index does not find the product")
		}
		// An index written in another format is rebuilt, once.
		d.Tx(ctx, func(tx db.Querier) error {
			_, err := tx.ExecContext(ctx, `UPDATE search_state SET value = 'older' WHERE name = 'format'`)
			return err
		})
		if got, err := f.cat.EnsureIndexed(ctx); err != nil || got != 1 {
			t.Fatalf("EnsureIndexed after a format change: %d %v", got, err)
		}
		if got, _ := f.cat.EnsureIndexed(ctx); got != 0 {
			t.Errorf("an index of the current format was rebuilt")
		}
	})
}

func idsOf(ps []catalog.Product) []int64 {
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids
}

func sameIDs(ps []catalog.Product, ids []int64) bool {
	if len(ps) != len(ids) {
		return false
	}
	seen := map[int64]bool{}
	for _, p := range ps {
		seen[p.ID] = true
	}
	for _, id := range ids {
		if !seen[id] {
			return false
		}
	}
	return true
}

// A vendor's new name finds its products once they are reindexed.
func TestRenamedVendorIsFoundByItsNewName(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		in := arganOil()
		in.Status = catalog.Published
		p, err := f.cat.Create(ctx, operator, coop.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		vs := vendor.NewService(d, nil)
		vin := vendor.Input{Slug: coop.Slug, Kind: coop.Kind, LegalName: coop.LegalName, Region: coop.Region, City: coop.City,
			CooperativeNumber: "N-1", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tamaynut"}, "ar": {DisplayName: "تعاونية تاماينوت"}}}
		if _, err := vs.Update(ctx, operator, coop.ID, vin); err != nil {
			t.Fatal(err)
		}
		if err := f.cat.ReindexVendor(ctx, coop.ID); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"tamaynut", "تاماينوت"} {
			if page, err := f.cat.List(ctx, auth.User{}, catalog.Filter{Q: q}); err != nil || !sameIDs(page.Items, []int64{p.ID}) {
				t.Errorf("%q: %v %v", q, idsOf(page.Items), err)
			}
		}
	})
}
