package catalog_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/money"
	"souk/internal/search"
	"souk/internal/vendor"
)

// TestFacetsAndSorting: a listing counts what it could be narrowed by,
// narrows by each facet, and sorts by price, newest and relevance.
func TestFacetsAndSorting(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop, house, applicant := f.vendors["argan-tifaouine"], f.vendors["dar-toubkal"], f.vendors["rugs-applicant"]
		mk := func(v vendor.Vendor, slug, category, title string, price int64, certs []string, b *catalog.Book, status catalog.Status) catalog.Product {
			t.Helper()
			in := catalog.Input{Slug: slug, Category: category, Status: status, TaxClass: "exempt",
				Texts:    map[string]catalog.Texts{"fr": {Title: title}},
				Variants: []catalog.Variant{{SKU: slug + "-1", Price: money.Dirhams(price), Stock: 3}, {SKU: slug + "-2", Price: money.Dirhams(price + 50000), Stock: 3}},
				Book:     b}
			for _, c := range certs {
				in.Certifications = append(in.Certifications, catalog.Certification{Kind: c, Issuer: "ONSSA"})
			}
			p, err := f.cat.Create(ctx, operator, v.ID, in)
			if err != nil {
				t.Fatalf("%s: %v", slug, err)
			}
			return p
		}
		oil := mk(coop, "oil", "argan-oil", "Huile d'argan huile pure", 8000, []string{"organic", "igp"}, nil, catalog.Published)
		amlou := mk(coop, "amlou", "amlou-honey", "Amlou à l'huile d'argan", 12000, []string{"organic"}, nil, catalog.Published)
		mk(coop, "draft", "argan-oil", "Huile brouillon", 1000, []string{"organic"}, nil, catalog.Draft)
		mk(applicant, "rug", "argan-oil", "Huile du candidat", 1000, nil, nil, catalog.Published)
		novel := mk(house, "novel", "literature", "La boîte à merveilles", 6000, nil,
			&catalog.Book{ISBN: "9789954000014", Authors: []string{"Ahmed Sefrioui"}, Publisher: "Dar Toubkal", Language: "fr"}, catalog.Published)
		essay := mk(house, "essay", "history-society", "تاريخ المغرب", 30000, nil,
			&catalog.Book{ISBN: "9789954000021", Authors: []string{"عبد الله العروي"}, Publisher: "المركز الثقافي", Language: "ar"}, catalog.Published)

		list := func(fl catalog.Filter) catalog.Page {
			t.Helper()
			fl.Facets = true
			p, err := f.cat.List(ctx, auth.User{}, fl)
			if err != nil {
				t.Fatalf("%+v: %v", fl, err)
			}
			return p
		}
		count := func(p catalog.Page, facet, value string) int {
			for _, c := range p.Facets[facet] {
				if c.Value == value {
					return c.N
				}
			}
			return 0
		}

		// The same answers from the database and from the index in memory.
		checks := func(t *testing.T) {
			all := list(catalog.Filter{})
			if all.Total != 4 {
				t.Fatalf("public catalog has %d products, want 4 (no draft, no applicant's)", all.Total)
			}
			for _, c := range []struct {
				facet, value string
				n            int
			}{
				{search.FacetCategory, "food", 2}, {search.FacetCategory, "argan-oil", 1}, {search.FacetCategory, "books", 2},
				{search.FacetRegion, "souss-massa", 2}, {search.FacetRegion, "casablanca-settat", 2},
				{search.FacetKind, "cooperative", 2}, {search.FacetKind, "publisher", 2}, {search.FacetKind, "artisan", 0},
				{search.FacetCertification, "organic", 2}, {search.FacetCertification, "igp", 1},
				{search.FacetPrice, "0-100", 2}, {search.FacetPrice, "100-250", 1}, {search.FacetPrice, "250-500", 1},
				{search.FacetLanguage, "fr", 1}, {search.FacetLanguage, "ar", 1},
				{search.FacetAuthor, "Ahmed Sefrioui", 1}, {search.FacetAuthor, "عبد الله العروي", 1}, {search.FacetPublisher, "Dar Toubkal", 1},
			} {
				if got := count(all, c.facet, c.value); got != c.n {
					t.Errorf("facet %s=%s counts %d, want %d", c.facet, c.value, got, c.n)
				}
			}

			for _, c := range []struct {
				name string
				fl   catalog.Filter
				want []int64
			}{
				{"category", catalog.Filter{Category: "food"}, []int64{amlou.ID, oil.ID}},
				{"certification", catalog.Filter{Certification: "igp"}, []int64{oil.ID}},
				{"kind", catalog.Filter{Kind: "publisher"}, []int64{essay.ID, novel.ID}},
				{"price band", catalog.Filter{PriceBand: "100-250"}, []int64{amlou.ID}},
				{"language", catalog.Filter{Language: "ar"}, []int64{essay.ID}},
				{"author in Arabic", catalog.Filter{Author: "عبد الله العروي"}, []int64{essay.ID}},
				{"publisher", catalog.Filter{Publisher: "Dar Toubkal"}, []int64{novel.ID}},
				{"two facets", catalog.Filter{Region: "souss-massa", Certification: "organic", Category: "amlou-honey"}, []int64{amlou.ID}},
				{"price ascending", catalog.Filter{Sort: search.PriceAsc}, []int64{novel.ID, oil.ID, amlou.ID, essay.ID}},
				{"price descending", catalog.Filter{Sort: search.PriceDesc}, []int64{essay.ID, amlou.ID, oil.ID, novel.ID}},
				{"newest", catalog.Filter{Sort: search.Newest}, []int64{essay.ID, novel.ID, amlou.ID, oil.ID}},
				{"relevance", catalog.Filter{Q: "huile argan", Sort: search.Relevance}, []int64{oil.ID, amlou.ID}},
			} {
				p := list(c.fl)
				if got := idsOf(p.Items); !equal(got, c.want) || p.Total != len(c.want) {
					t.Errorf("%s: got %v (total %d), want %v", c.name, got, p.Total, c.want)
				}
			}
			// Counts follow the filters in force.
			if p := list(catalog.Filter{Category: "food"}); count(p, search.FacetCertification, "igp") != 1 || count(p, search.FacetLanguage, "fr") != 0 {
				t.Errorf("facets of food: %v", p.Facets)
			}
		}
		if f.cat.IndexInMemory() {
			t.Fatal("the index in memory is in use before WatchIndex")
		}
		t.Run("database", checks)
		if err := f.cat.WatchIndex(ctx, 20*time.Millisecond, slog.New(slog.DiscardHandler)); err != nil || !f.cat.IndexInMemory() {
			t.Fatalf("WatchIndex: %v", err)
		}
		t.Run("memory", checks)

		// A price change moves the product to its new band and place.
		in := catalog.Input{Category: "argan-oil", TaxClass: "exempt", Texts: map[string]catalog.Texts{"fr": {Title: "Huile d'argan huile pure"}},
			Variants:       []catalog.Variant{{SKU: "oil-1", Price: money.Dirhams(300000), Stock: 1}},
			Certifications: []catalog.Certification{{Kind: "igp", Issuer: "Normacert"}}}
		if _, err := f.cat.Update(ctx, operator, oil.ID, in); err != nil {
			t.Fatal(err)
		}
		if p := list(catalog.Filter{PriceBand: "2500-"}); !equal(idsOf(p.Items), []int64{oil.ID}) {
			t.Errorf("after a price change, 2500- holds %v", idsOf(p.Items))
		}
		if got, err := f.cat.Get(ctx, operator, "oil"); err != nil || len(got.Certifications) != 1 || got.Certifications[0].Issuer != "Normacert" {
			t.Errorf("certifications after an update: %+v %v", got.Certifications, err)
		}
		if p := list(catalog.Filter{}); count(p, search.FacetCertification, "organic") != 1 || count(p, search.FacetCertification, "igp") != 1 {
			t.Errorf("certification facets after an update: %v", p.Facets[search.FacetCertification])
		}

		// Another souk process on the same database writes: this one's
		// memory catches up within its interval.
		other := catalog.NewService(d, nil)
		if _, err := other.SetStatus(ctx, operator, amlou.ID, catalog.Draft, ""); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for list(catalog.Filter{Category: "food"}).Total != 1 {
			if time.Now().After(deadline) {
				t.Fatalf("the memory did not see another process unpublish a product")
			}
			time.Sleep(10 * time.Millisecond)
		}

		// Bad filter values name the field and are refused.
		for field, fl := range map[string]catalog.Filter{
			"region": {Region: "atlantis"}, "kind": {Kind: "robot"}, "certification": {Certification: "gold"},
			"price": {PriceBand: "cheap"}, "sort": {Sort: "random"}, "author": {Author: "a\x00b"},
		} {
			_, err := f.cat.List(ctx, auth.User{}, fl)
			var e *errs.Error
			if e = asErr(err); e == nil || e.Fields[field] == "" {
				t.Errorf("%s: got %v, want an error naming %s", field, err, field)
			}
		}
	})
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Searches and writes at once: the index in memory stays consistent
// (run with -race).
func TestIndexInMemoryUnderConcurrentUse(t *testing.T) {
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
		watch, stop := context.WithCancel(ctx)
		defer stop()
		if err := f.cat.WatchIndex(watch, 5*time.Millisecond, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				for j := range 40 {
					q := []string{"hu", "huile arg", "زيت", "cosm", "nothing"}[(i+j)%5]
					if _, err := f.cat.List(ctx, auth.User{}, catalog.Filter{Q: q, Facets: true, Sort: search.Relevance}); err != nil {
						t.Errorf("%q: %v", q, err)
						return
					}
				}
			})
		}
		wg.Go(func() {
			for j := range 10 {
				in := arganOil()
				in.Texts["fr"] = catalog.Texts{Title: fmt.Sprintf("Huile d’argan cuvée %d", j)}
				if _, err := f.cat.Update(ctx, operator, p.ID, in); err != nil {
					t.Errorf("update: %v", err)
					return
				}
			}
		})
		wg.Wait()
		page, err := f.cat.List(ctx, auth.User{}, catalog.Filter{Q: "cuvee 9"})
		if err != nil || !equal(idsOf(page.Items), []int64{p.ID}) {
			t.Errorf("after the updates: %v %v", idsOf(page.Items), err)
		}
	})
}
