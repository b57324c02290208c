package order_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// TestAbortedCheckoutsLeaveNoTrace cuts checkouts off at random moments
// (their context ends mid-way, as when a client goes or a node stops): each
// one either placed its whole order with its stock taken, or left nothing —
// no stock held without an order, no order without its lines, payment and
// stock.
func TestAbortedCheckoutsLeaveNoTrace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		a, b, c := s.variant(t, 0, 0), s.variant(t, 1, 0), s.variant(t, 2, 1)
		if _, err := d.W.ExecContext(ctx, `UPDATE variants SET stock = 500`); err != nil {
			t.Fatal(err)
		}
		carts := make([]string, 120)
		for i := range carts {
			carts[i] = s.cart(t, map[int64]int{a: 1, b: 2, c: 1})
		}
		rng := rand.New(rand.NewPCG(7, 7))
		var wg sync.WaitGroup
		var mu sync.Mutex
		placed := 0
		for i, id := range carts {
			// Half run to the end; the others are cut after 0–40 ms, before,
			// inside or after their transaction.
			deadline := time.Duration(rng.IntN(40_000)) * time.Microsecond
			if i%2 == 0 {
				deadline = time.Minute
			}
			wg.Go(func() {
				cctx, cancel := context.WithTimeout(ctx, deadline)
				defer cancel()
				if _, _, err := s.orders.Checkout(cctx, auth.User{}, id, fmt.Sprint("k", i), casablancaCOD()); err == nil {
					mu.Lock()
					placed++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		orders := count(t, d, `SELECT COUNT(*) FROM orders`)
		if orders < placed || placed < len(carts)/2 {
			t.Fatalf("%d orders, %d checkouts answered placed, of which %d had no deadline", orders, placed, len(carts)/2)
		}
		for _, v := range []struct {
			id   int64
			each int
		}{{a, 1}, {b, 2}, {c, 1}} {
			if got := stock(t, d, v.id); got != 500-v.each*orders {
				t.Errorf("variant %d: stock %d, want %d for %d orders", v.id, got, 500-v.each*orders, orders)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)
			OR (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) <> 3
			OR (SELECT COUNT(*) FROM vendor_orders v WHERE v.order_id = o.id) <> 3`); n != 0 {
			t.Errorf("%d orders missing their lines, parcels or payment", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM carts c WHERE (c.status = 'ordered') <> EXISTS (SELECT 1 FROM orders o WHERE o.cart_id = c.id)`); n != 0 {
			t.Errorf("%d carts marked ordered without an order, or the reverse", n)
		}
		t.Logf("deadlines cut %d of %d checkouts", len(carts)-orders, len(carts))
	})
}
