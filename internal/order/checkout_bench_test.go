package order_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
)

// BenchmarkPlaceOrder places orders of 5 lines from 3 vendors with 32
// buyers at once (SetParallelism over GOMAXPROCS), on each database, and
// reports orders/s. Carts are filled before the clock starts: this is
// place-order alone, with its stock reservation, order split, payment,
// events and e-mail. Afterwards the stock sold must equal the stock gone.
//
// "hot": every buyer takes the same 5 variants (a launch-day bestseller:
// each order waits for the previous one's stock rows). "spread": each
// buyer's 5 lines are drawn from 60 products per vendor.
//
//	go test ./internal/order -run '^$' -bench PlaceOrder -benchtime 3000x
func BenchmarkPlaceOrder(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		for _, mix := range []string{"hot", "spread"} {
			b.Run(engine.name+"/"+mix, func(b *testing.B) { benchPlaceOrder(b, engine.open(b), mix == "hot") })
		}
	}
}

func benchPlaceOrder(b *testing.B, d *db.DB, hot bool) {
	s := newShop(b, d)
	ctx := context.Background()
	// variants[v] are vendor v's variants on sale.
	variants := make([][]int64, 3)
	for v := range 3 {
		variants[v] = []int64{s.variant(b, v, 0), s.variant(b, v, 1)}
	}
	if !hot {
		var more []catalog.NewProduct
		for v := range 2 { // books need ISBNs: the third vendor keeps its two
			for i := range 58 {
				more = append(more, catalog.NewProduct{VendorID: s.vendors[v].ID, Input: catalog.Input{
					Category: []string{"amlou-honey", "rugs-textiles"}[v], Status: catalog.Published, TaxClass: "standard",
					Slug:     fmt.Sprintf("bench-%d-%d", v, i),
					Texts:    map[string]catalog.Texts{"fr": {Title: fmt.Sprintf("Article %d-%d", v, i)}},
					Variants: []catalog.Variant{{SKU: "STD", Price: money.Dirhams(10000), Stock: 1, WeightGrams: 400}},
				}})
			}
		}
		if _, err := s.catalog.BulkCreate(ctx, more); err != nil {
			b.Fatal(err)
		}
		for _, p := range more {
			id, err := s.catalog.FindVariant(ctx, p.Input.Slug, "STD")
			if err != nil {
				b.Fatal(err)
			}
			v := 0
			if p.VendorID == s.vendors[1].ID {
				v = 1
			}
			variants[v] = append(variants[v], id)
		}
	}
	if _, err := d.W.ExecContext(ctx, `UPDATE variants SET stock = 1000000`); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(v int) int64 { return variants[v][rng.IntN(len(variants[v]))] }
	carts := make([]string, b.N)
	for i := range carts {
		lines := map[int64]int{variants[0][0]: 1, variants[0][1]: 2, variants[1][0]: 1, variants[2][0]: 1, variants[2][1]: 3}
		if !hot {
			lines = map[int64]int{variants[2][rng.IntN(2)]: 1}
			for len(lines) < 5 { // four more lines from the two vendors with 60 products
				lines[pick(len(lines)%2)]++
			}
		}
		carts[i] = s.cart(b, lines)
	}
	var want int
	if err := d.Read().QueryRowContext(ctx, `SELECT SUM(quantity) FROM cart_items`).Scan(&want); err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
	var next, failed atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			if _, _, err := s.orders.Checkout(ctx, auth.User{}, carts[i], fmt.Sprint("bench-", i), casablancaCOD()); err != nil {
				failed.Add(1)
				b.Error(err)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
	if failed.Load() > 0 {
		b.Fatalf("%d checkouts failed", failed.Load())
	}
	var sold, left, variantsN int
	if err := d.Read().QueryRowContext(ctx, `SELECT COALESCE(SUM(quantity), 0) FROM order_lines`).Scan(&sold); err != nil {
		b.Fatal(err)
	}
	if err := d.Read().QueryRowContext(ctx, `SELECT SUM(stock), COUNT(*) FROM variants`).Scan(&left, &variantsN); err != nil {
		b.Fatal(err)
	}
	if n := count(b, d, `SELECT COUNT(*) FROM orders`); n != b.N || sold != want || left != variantsN*1000000-sold {
		b.Fatalf("%d orders for %d checkouts; %d sold of %d in carts, %d left of %d: oversold or lost", n, b.N, sold, want, left, variantsN*1000000)
	}
}
