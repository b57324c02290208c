package catalog_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/demo"
	"souk/internal/vendor"
)

// searchQueries are what shoppers type: Arabic without hamza or with
// diacritics, French without accents, prefixes, vendor names.
var searchQueries = []string{"زيت الاركان", "زَيْتُ", "تمر", "ماء الورد", "huile d'argan", "safran", "tapis beni",
	"coop", "amlou", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "dattes majhoul", "memoire", "الذاكرة", "the garden", "cuir"}

// BenchmarkSearch runs the shoppers' queries (first page, 20 items, with
// the total) against the demo catalog scaled to 100,000 products and 90,000
// books, and reports the 95th percentile. Loading takes about 25 s; set
// SOUK_BENCH_DATA to a folder to keep the SQLite catalog between runs.
func BenchmarkSearch(b *testing.B) {
	dbs := map[string]*db.DB{"sqlite": benchCatalog(b)}
	if os.Getenv(dbtest.EnvURL) != "" && os.Getenv("SOUK_BENCH_POSTGRES") != "" {
		d := dbtest.Postgres(b)
		loadBig(b, d)
		dbs["postgres"] = d
	}
	for name, d := range dbs {
		b.Run(name, func(b *testing.B) {
			s := catalog.NewService(d, nil)
			ctx := context.Background()
			var took []time.Duration
			i := 0
			for b.Loop() {
				q := searchQueries[i%len(searchQueries)]
				i++
				start := time.Now()
				if _, err := s.List(ctx, auth.User{}, catalog.Filter{Q: q}); err != nil {
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
