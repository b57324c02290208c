package catalog_test

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/demo"
	"souk/internal/search"
	"souk/internal/vendor"
)

// searchQueries are what shoppers type: Arabic without hamza or with
// diacritics, French without accents, prefixes, vendor names.
var searchQueries = []string{"زيت الاركان", "زَيْتُ", "تمر", "ماء الورد", "huile d'argan", "safran", "tapis beni",
	"coop", "amlou", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "dattes majhoul", "memoire", "الذاكرة", "the garden", "cuir"}

// BenchmarkSearch runs the shoppers' queries (first page, 20 items, with
// the total) against the demo catalog scaled to 100,000 products and 90,000
// books, and reports the median and 95th percentile. The listing cache is
// off unless named: every query reaches the index. Sub-benchmarks: "words"
// (the query alone, by relevance), "words-newest", "words+facets" (with the
// facet counts a results page shows), "category+facets" (a category page:
// no words, every product of the category counted) — from the database
// alone or with the index in memory loaded as souk serve does — and
// "memory+cache" (as souk serves them). Loading takes about a minute; set
// SOUK_BENCH_DATA to a folder to keep the SQLite catalog between runs.
func BenchmarkSearch(b *testing.B) {
	dbs := map[string]*db.DB{"sqlite": benchCatalog(b)}
	if os.Getenv(dbtest.EnvURL) != "" && os.Getenv("SOUK_BENCH_POSTGRES") != "" {
		d := dbtest.Postgres(b)
		loadBig(b, d)
		dbs["postgres"] = d
	}
	categories := []string{"food", "argan-oil", "crafts", "books", "literature", "cosmetics", "rugs-textiles"}
	words := func(i int) catalog.Filter { return catalog.Filter{Q: searchQueries[i%len(searchQueries)]} }
	wordsFacets := func(i int) catalog.Filter { f := words(i); f.Facets = true; return f }
	newest := func(i int) catalog.Filter { f := words(i); f.Sort = search.Newest; return f }
	category := func(i int) catalog.Filter {
		return catalog.Filter{Category: categories[i%len(categories)], Facets: true}
	}
	cases := []struct {
		name   string
		memory bool // the index in memory loaded, as souk serve does
		ttl    time.Duration
		filter func(i int) catalog.Filter
	}{
		{"words", false, 0, words},
		{"words-newest", false, 0, newest},
		{"words+facets/database", false, 0, wordsFacets},
		{"words+facets/memory", true, 0, wordsFacets},
		{"category+facets/database", false, 0, category},
		{"category+facets/memory", true, 0, category},
		{"words+facets/memory+cache", true, 5 * time.Second, wordsFacets},
	}
	for name, d := range dbs {
		for _, c := range cases {
			b.Run(name+"/"+c.name, func(b *testing.B) {
				defer func(ttl time.Duration) { catalog.ListingCacheTTL = ttl }(catalog.ListingCacheTTL)
				catalog.ListingCacheTTL = c.ttl
				s := catalog.NewService(d, nil)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if c.memory {
					if err := s.WatchIndex(ctx, time.Minute, slog.New(slog.DiscardHandler)); err != nil {
						b.Fatal(err)
					}
					b.ResetTimer()
				}
				var took []time.Duration
				i := 0
				for b.Loop() {
					f := c.filter(i)
					i++
					start := time.Now()
					if _, err := s.List(ctx, auth.User{}, f); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(start))
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			})
		}
	}
}

// BenchmarkListingProducts is a search results page as the web shows it
// (24 products and the facet counts; the index in memory and the listing
// cache on, as souk serves) with the product cache off, then on: what
// loading a page's products costs. Each query is shown once before the
// clock starts, so the cache is as warm as on a busy day.
func BenchmarkListingProducts(b *testing.B) {
	s := catalog.NewService(benchCatalog(b), nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.WatchIndex(ctx, time.Minute, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	list := func(b *testing.B, i int) int {
		page, err := s.List(ctx, auth.User{}, catalog.Filter{Q: searchQueries[i%len(searchQueries)], PerPage: 24, Facets: true})
		if err != nil {
			b.Fatal(err)
		}
		return len(page.Items)
	}
	for _, c := range []struct {
		name  string
		bytes int64
	}{{"product-cache-off", 0}, {"product-cache-on", catalog.DefaultProductCacheBytes}} {
		b.Run(c.name, func(b *testing.B) {
			s.SetProductCacheBytes(c.bytes)
			for i := range searchQueries {
				list(b, i)
			}
			b.ReportAllocs()
			cards, i := 0, 0
			for b.Loop() {
				cards += list(b, i)
				i++
			}
			b.ReportMetric(float64(cards)/float64(i), "cards/op")
		})
	}
}

func benchCatalog(b *testing.B) *db.DB {
	dir := os.Getenv("SOUK_BENCH_DATA")
	if dir == "" {
		dir = b.TempDir()
	}
	d, err := db.Open(context.Background(), "", dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	var n int
	d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM products`).Scan(&n)
	if n == 0 {
		loadBig(b, d)
	}
	return d
}

func loadBig(b *testing.B, d *db.DB) {
	if _, err := demo.Load(context.Background(), vendor.NewService(d, nil), catalog.NewService(d, nil),
		demo.Options{Seed: 1, Products: 100000, Books: 90000}); err != nil {
		b.Fatal(err)
	}
}
