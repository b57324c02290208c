package demo_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/demo"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

func load(t testing.TB, d *db.DB, seed uint64) demo.Stats {
	t.Helper()
	st, err := demo.Load(context.Background(), vendor.NewService(d, nil), catalog.NewService(d, nil),
		demo.Options{Seed: seed, Products: 300, Books: 200})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// digest summarises the catalog in a stable order: slugs, titles, prices,
// stock, vendors, ISBNs.
func digest(t testing.TB, d *db.DB) string {
	t.Helper()
	h := sha256.New()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT p.slug, v.slug, t.locale, t.title, x.sku, x.price_amount, x.stock, COALESCE(b.isbn, '')
		FROM products p JOIN vendors v ON v.id = p.vendor_id JOIN product_texts t ON t.product_id = p.id
		JOIN variants x ON x.product_id = p.id LEFT JOIN books b ON b.product_id = p.id
		ORDER BY p.slug, t.locale, x.sku`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b, c, e, f, i string
		var g, s int64
		if err := rows.Scan(&a, &b, &c, &e, &f, &g, &s, &i); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(h, a, b, c, e, f, g, s, i)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestDemoMarketplace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := load(t, d, 1)
		if st.Vendors < 60 || st.Products != 300 || st.Books != 200 {
			t.Fatalf("stats: %+v", st)
		}
		vs, total, err := vendor.NewService(d, nil).List(ctx, auth.User{Role: auth.RoleAdmin}, vendor.Filter{PerPage: 100})
		if err != nil || total != st.Vendors {
			t.Fatalf("vendors: %d %v", total, err)
		}
		regions, kinds, statuses := map[string]int{}, map[vendor.Kind]int{}, map[vendor.Status]int{}
		for _, v := range vs {
			regions[v.Region]++
			kinds[v.Kind]++
			statuses[v.Status]++
			if _, ok := morocco.NormalizeRIB(v.RIB); !ok {
				t.Errorf("%s: invalid RIB %s", v.Slug, v.RIB)
			}
			if v.Texts["ar"].DisplayName == "" || v.Texts["fr"].Story == "" || v.Texts["en"].DisplayName == "" {
				t.Errorf("%s: missing texts", v.Slug)
			}
		}
		if len(regions) != 12 {
			t.Errorf("vendors cover %d regions, want 12", len(regions))
		}
		for _, k := range vendor.Kinds {
			if kinds[k] == 0 {
				t.Errorf("no %s vendor", k)
			}
		}
		if statuses[vendor.Applied] == 0 || statuses[vendor.Suspended] == 0 {
			t.Errorf("the review queue is empty: %v", statuses)
		}

		cat := catalog.NewService(d, nil)
		books, err := cat.List(ctx, auth.User{}, catalog.Filter{Category: "books", PerPage: 100})
		if err != nil || books.Total == 0 {
			t.Fatalf("books: %v", err)
		}
		for _, b := range books.Items {
			if b.Book == nil {
				t.Fatalf("%s has no book details", b.Slug)
			}
			if got, ok := catalog.NormalizeISBN(b.Book.ISBN); !ok || got != b.Book.ISBN {
				t.Errorf("%s: invalid ISBN %s", b.Slug, b.Book.ISBN)
			}
		}
		food, err := cat.List(ctx, auth.User{}, catalog.Filter{Category: "food", PerPage: 100})
		if err != nil || food.Total == 0 {
			t.Fatalf("food: %v", err)
		}
		spanish := 0
		for _, p := range food.Items {
			if p.Texts["ar"].Title == "" || p.Texts["fr"].Title == "" || p.Texts["en"].Title == "" {
				t.Errorf("%s lacks ar/fr/en", p.Slug)
			}
			if p.Texts["es"].Title != "" {
				spanish++
			}
			for _, v := range p.Variants {
				if v.Price.Currency != "MAD" || v.Price.Amount < 1000 || v.Price.Amount%100 != 0 {
					t.Errorf("%s: price %v", p.Slug, v.Price)
				}
			}
		}
		if spanish == 0 || spanish == len(food.Items) {
			t.Errorf("%d of %d food products in Spanish; want a part", spanish, len(food.Items))
		}
	})
}

func TestDemoIsDeterministic(t *testing.T) {
	a, b, c := dbtest.SQLite(t), dbtest.SQLite(t), dbtest.SQLite(t)
	load(t, a, 7)
	load(t, b, 7)
	load(t, c, 8)
	if digest(t, a) != digest(t, b) {
		t.Error("the same seed gave different catalogs")
	}
	if digest(t, a) == digest(t, c) {
		t.Error("another seed gave the same catalog")
	}
}

// BenchmarkLoad measures the bulk path: 10,000 products and 10,000 books
// per operation into a fresh SQLite database.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		d := dbtest.SQLite(b)
		b.StartTimer()
		if _, err := demo.Load(context.Background(), vendor.NewService(d, nil), catalog.NewService(d, nil),
			demo.Options{Products: 10000, Books: 10000}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(20000, "products/op")
}
