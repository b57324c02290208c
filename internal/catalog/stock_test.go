package catalog_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// Reserve on PostgreSQL locks the variants in id order, whatever order its
// plan reads them in, so two orders for the same products never deadlock.
// The lower variant is rewritten first, so a plain scan meets it after the
// higher one; while the higher one is held elsewhere, Reserve must already
// hold the lower one as it waits.
func TestReserveLocksInIDOrder(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Postgres(t)
	f := newFixture(t, d)
	coop := f.vendors["argan-tifaouine"]
	in := arganOil()
	in.Status = catalog.Published
	p, err := f.cat.Create(ctx, operator, coop.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	low, high := p.Variants[0].ID, p.Variants[1].ID
	lowStock := in.Variants[0].Stock
	if low > high {
		low, high, lowStock = high, low, in.Variants[1].Stock
	}
	// A catalog big enough that the planner scans variants rather than
	// looking each one up, with the lower variant's row moved to its end.
	var more []catalog.NewProduct
	for i := range 300 {
		more = append(more, catalog.NewProduct{VendorID: coop.ID, Input: catalog.Input{Category: "argan-oil", TaxClass: "exempt",
			Status: catalog.Published, Slug: fmt.Sprintf("filler-%d", i), Texts: map[string]catalog.Texts{"fr": {Title: fmt.Sprintf("Huile %d", i)}},
			Variants: []catalog.Variant{{SKU: "STD", Price: in.Variants[0].Price, Stock: 1, WeightGrams: 100}}}})
	}
	if _, err := f.cat.BulkCreate(ctx, more); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{fmt.Sprintf(`UPDATE variants SET stock = stock WHERE id = %d`, low), `ANALYZE variants`} {
		if _, err := d.W.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	holder, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.ExecContext(ctx, fmt.Sprintf(`SELECT id FROM variants WHERE id = %d FOR UPDATE`, high)); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- d.Tx(ctx, func(tx db.Querier) error {
			failed, err := catalog.Reserve(ctx, tx, []catalog.Take{
				{VariantID: high, Quantity: 1, UnitAmount: p.Variants[1].Price.Amount},
				{VariantID: low, Quantity: 1, UnitAmount: p.Variants[0].Price.Amount},
			})
			if err == nil && len(failed) > 0 {
				err = fmt.Errorf("not taken: %v", failed)
			}
			return err
		})
	}()
	waiting := false
	for range 100 { // until Reserve waits for the held row
		var n int
		if err := d.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE variants%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if waiting = n > 0; waiting {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !waiting {
		t.Fatal("Reserve never waited for the locked variant")
	}
	_, err = d.W.ExecContext(ctx, fmt.Sprintf(`SELECT id FROM variants WHERE id = %d FOR UPDATE NOWAIT`, low))
	if err == nil {
		t.Error("Reserve waits for the higher variant without holding the lower one: lock order is not id order")
	}
	if err := holder.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("reserve: %v", err)
	}
	var stock int
	if err := d.Read().QueryRowContext(ctx, `SELECT stock FROM variants WHERE id = ?`, low).Scan(&stock); err != nil || stock != lowStock-1 {
		t.Fatalf("stock of the lower variant %d (%v)", stock, err)
	}
}
