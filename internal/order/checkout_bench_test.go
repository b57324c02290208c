package order_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// BenchmarkPlaceOrder places orders of 5 lines from 3 vendors with 32
// buyers at once (SetParallelism over GOMAXPROCS), on each database, and
// reports orders/s. Carts are filled before the clock starts: this is
// place-order alone, with its stock reservation, order split, payment,
// events and e-mail. Afterwards the stock sold must equal the stock gone.
//
//	go test ./internal/order -run '^$' -bench PlaceOrder -benchtime 3000x
func BenchmarkPlaceOrder(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			d := engine.open(b)
			s := newShop(b, d)
			ctx := context.Background()
			if _, err := d.W.ExecContext(ctx, `UPDATE variants SET stock = 1000000`); err != nil {
				b.Fatal(err)
			}
			lines := map[int64]int{s.variant(b, 0, 0): 1, s.variant(b, 0, 1): 2, s.variant(b, 1, 0): 1, s.variant(b, 2, 0): 1, s.variant(b, 2, 1): 3}
			carts := make([]string, b.N)
			for i := range carts {
				carts[i] = s.cart(b, lines)
			}
			procs := 32 / max(1, testingProcs())
			b.SetParallelism(max(1, procs))
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
			var sold, left int
			if err := d.Read().QueryRowContext(ctx, `SELECT COALESCE(SUM(quantity), 0) FROM order_lines`).Scan(&sold); err != nil {
				b.Fatal(err)
			}
			if err := d.Read().QueryRowContext(ctx, `SELECT SUM(stock) FROM variants`).Scan(&left); err != nil {
				b.Fatal(err)
			}
			if n := count(b, d, `SELECT COUNT(*) FROM orders`); n != b.N || sold != 8*b.N || left != 6*1000000-sold {
				b.Fatalf("%d orders for %d checkouts; %d sold, %d left of %d: oversold or lost", n, b.N, sold, left, 6*1000000)
			}
		})
	}
}

func testingProcs() int { return runtime.GOMAXPROCS(0) }
