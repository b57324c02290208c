package catalog_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
)

// changeLog keeps what OnChange passed on.
type changeLog struct {
	mu  sync.Mutex
	got []catalog.Change
	at  []time.Time
}

func (l *changeLog) add(c catalog.Change) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, c)
	l.at = append(l.at, time.Now())
}

// take returns what was passed on since the last take.
func (l *changeLog) take() []catalog.Change {
	l.mu.Lock()
	defer l.mu.Unlock()
	got := l.got
	l.got, l.at = nil, nil
	return got
}

// waitFor waits until a change naming product id (or a change of
// everything when id is 0) was passed on, and returns when it was.
func (l *changeLog) waitFor(t *testing.T, id int64, within time.Duration) time.Time {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		for i, c := range l.got {
			if (id == 0 && c.All) || (id != 0 && slices.Contains(c.Products, id)) {
				at := l.at[i]
				l.mu.Unlock()
				return at
			}
		}
		l.mu.Unlock()
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("no change of product %d within %v: %+v", id, within, l.take())
	return time.Time{}
}

// follow subscribes to s's feed and places it at its current end. The
// interval is long: tests read the feed themselves with Sync.
func follow(t *testing.T, s *catalog.Service) *changeLog {
	t.Helper()
	l := &changeLog{}
	s.OnChange(l.add)
	ctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	if err := s.Follow(ctx, time.Hour, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	return l
}

// exec runs query in a transaction of this process: Sync reads after it.
func exec(t *testing.T, d *db.DB, query string, args ...any) {
	t.Helper()
	if err := d.Tx(context.Background(), func(tx db.Querier) error {
		_, err := tx.ExecContext(context.Background(), query, args...)
		return err
	}); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// readNow makes s read the feed now, whoever wrote: an empty transaction
// of this process is a commit Sync answers to.
func readNow(t *testing.T, d *db.DB, s *catalog.Service) {
	t.Helper()
	if err := d.Tx(context.Background(), func(db.Querier) error { return nil }); err != nil {
		t.Fatal(err)
	}
	s.Sync(context.Background())
}

// expectOne checks that exactly one change was passed on, and what it says.
func expectOne(t *testing.T, what string, got []catalog.Change, products []int64, listings, all bool) {
	t.Helper()
	if len(got) != 1 {
		t.Errorf("%s: %d changes passed on, want 1: %+v", what, len(got), got)
		return
	}
	c := got[0]
	if !slices.Equal(c.Products, products) && !(len(c.Products) == 0 && len(products) == 0) || c.Listings != listings || c.All != all {
		t.Errorf("%s: got %+v, want {Products:%v Listings:%t All:%t}", what, c, products, listings, all)
	}
}

func expectNone(t *testing.T, what string, got []catalog.Change) {
	t.Helper()
	if len(got) != 0 {
		t.Errorf("%s: %d changes passed on, want none: %+v", what, len(got), got)
	}
}

func publishedOil(t *testing.T, f fixture, slug string) (catalog.Product, catalog.Input) {
	t.Helper()
	in := arganOil()
	in.Slug, in.Status = slug, catalog.Published
	p, err := f.cat.Create(context.Background(), operator, f.vendors["argan-tifaouine"].ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return p, in
}

// Each kind of write says what it changed: a price, stock (selling out
// included: no listing shows stock), a vendor, a category's name,
// publishing and deleting.
func TestFeedSaysWhatChanged(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		p, in := publishedOil(t, f, "oil")
		other, _ := publishedOil(t, f, "other-oil")
		got := follow(t, f.cat)
		readNow(t, d, f.cat)
		expectNone(t, "what was written before Follow", got.take())

		// Sync reads at once after this process commits: no readNow.
		in.Variants[0].Price = money.Dirhams(9000)
		if _, err := f.cat.Update(ctx, operator, p.ID, in); err != nil {
			t.Fatal(err)
		}
		f.cat.Sync(ctx)
		expectOne(t, "price edit", got.take(), []int64{p.ID}, true, false)

		stock := `UPDATE variants SET stock = ? WHERE product_id = ? AND sku = 'ARG-100'`
		exec(t, d, stock, 39, p.ID) // 40 → 39
		f.cat.Sync(ctx)
		expectOne(t, "stock 40 → 39", got.take(), []int64{p.ID}, false, false)
		exec(t, d, stock, 0, p.ID)
		f.cat.Sync(ctx)
		expectOne(t, "stock 39 → 0", got.take(), []int64{p.ID}, false, false)
		exec(t, d, stock, 3, p.ID)
		f.cat.Sync(ctx)
		expectOne(t, "stock 0 → 3", got.take(), []int64{p.ID}, false, false)
		exec(t, d, `UPDATE variants SET stock = stock WHERE product_id = ?`, p.ID)
		f.cat.Sync(ctx)
		expectNone(t, "stock written unchanged", got.take())

		exec(t, d, `UPDATE vendors SET city = 'Agadir' WHERE id = ?`, f.vendors["argan-tifaouine"].ID)
		f.cat.Sync(ctx)
		expectOne(t, "vendor update", got.take(), nil, true, true)

		exec(t, d, `UPDATE category_texts SET name = name || ' !' WHERE locale = 'fr'
			AND category_id = (SELECT id FROM categories WHERE slug = 'argan-oil')`)
		f.cat.Sync(ctx)
		expectOne(t, "category text", got.take(), nil, true, true)

		draft := arganOil()
		draft.Slug = "draft-oil"
		q, err := f.cat.Create(ctx, operator, f.vendors["argan-tifaouine"].ID, draft)
		if err != nil {
			t.Fatal(err)
		}
		f.cat.Sync(ctx)
		expectNone(t, "draft created", got.take())
		if _, err := f.cat.SetStatus(ctx, operator, q.ID, catalog.Published, ""); err != nil {
			t.Fatal(err)
		}
		f.cat.Sync(ctx)
		expectOne(t, "draft published", got.take(), []int64{q.ID}, true, false)

		exec(t, d, `DELETE FROM variants WHERE product_id = ? AND sku = 'ARG-250'`, other.ID)
		f.cat.Sync(ctx)
		expectOne(t, "variant deleted", got.take(), []int64{other.ID}, true, false)
		if err := f.cat.Delete(ctx, operator, other.ID); err != nil {
			t.Fatal(err)
		}
		f.cat.Sync(ctx)
		expectOne(t, "product deleted", got.take(), []int64{other.ID}, true, false)

		// Two commits, one read: one change naming both products.
		exec(t, d, stock, 2, p.ID)
		exec(t, d, stock, 1, q.ID)
		f.cat.Sync(ctx)
		expectOne(t, "two stock changes", got.take(), []int64{p.ID, q.ID}, false, false)

		// A write outside this process's transactions is not a reason to
		// read; the next commit of this process is.
		if _, err := d.W.ExecContext(ctx, d.Rebind(stock), 7, p.ID); err != nil {
			t.Fatal(err)
		}
		f.cat.Sync(ctx)
		expectNone(t, "Sync without a commit of this process", got.take())
		readNow(t, d, f.cat)
		expectOne(t, "the next read", got.take(), []int64{p.ID}, false, false)

		readNow(t, d, f.cat)
		expectNone(t, "a read with nothing new", got.take())
	})
}

// Two souk nodes on one database: what one writes reaches the other's
// OnChange, index in memory and listings within a few intervals.
func TestFeedReachesTheOtherNode(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		f := newFixture(t, d)
		p, in := publishedOil(t, f, "oil")
		d2 := dbtest.Reopen(t, d)
		node2 := catalog.NewService(d2, nil)

		const interval = 20 * time.Millisecond
		log := slog.New(slog.DiscardHandler)
		got1, got2 := &changeLog{}, &changeLog{}
		f.cat.OnChange(got1.add)
		node2.OnChange(got2.add)
		if err := f.cat.Follow(ctx, interval, log); err != nil {
			t.Fatal(err)
		}
		if err := node2.WatchIndex(ctx, interval, log); err != nil {
			t.Fatal(err)
		}
		if !node2.IndexInMemory() {
			t.Fatal("node 2: index not in memory after WatchIndex")
		}
		search := func(q string) []int64 {
			t.Helper()
			page, err := node2.List(ctx, auth.User{}, catalog.Filter{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			return idsOf(page.Items)
		}
		if ids := search("safran"); len(ids) != 0 { // also fills node 2's listing cache
			t.Fatalf("safran before the edit: %v", ids)
		}

		in.Texts["fr"] = catalog.Texts{Title: "Huile d’argan au safran"}
		start := time.Now()
		if _, err := f.cat.Update(ctx, operator, p.ID, in); err != nil {
			t.Fatal(err)
		}
		at := got2.waitFor(t, p.ID, 100*interval)
		t.Logf("node 1's edit reached node 2's OnChange after %v (interval %v)", at.Sub(start).Round(time.Millisecond), interval)
		// OnChange runs once the index in memory has the change.
		if ids := search("safran"); !slices.Equal(ids, []int64{p.ID}) {
			t.Errorf("node 2 searching safran after OnChange: %v, want [%d]", ids, p.ID)
		}

		// And back: node 2's write reaches node 1.
		got1.take() // node 1 read its own edit
		start = time.Now()
		if err := d2.Tx(ctx, func(tx db.Querier) error {
			_, err := tx.ExecContext(ctx, `UPDATE variants SET stock = 0 WHERE product_id = ?`, p.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		at = got1.waitFor(t, p.ID, 100*interval)
		t.Logf("node 2's write reached node 1's OnChange after %v", at.Sub(start).Round(time.Millisecond))
	})
}

// A vendor renamed on one node is found by its new name on another: the
// rename (vendors row) and its reindex (search entries) are two commits,
// and the other node may read the feed between them.
func TestFeedVendorReindexReachesTheOtherNode(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		p, _ := publishedOil(t, f, "oil")
		coop := f.vendors["argan-tifaouine"]
		d2 := dbtest.Reopen(t, d)
		node2 := catalog.NewService(d2, nil)
		got2 := follow(t, node2)
		if err := node2.LoadIndex(ctx); err != nil {
			t.Fatal(err)
		}

		// As the API does it (api/vendors.go): Update, then ReindexVendor.
		vin := vendor.Input{Slug: coop.Slug, Kind: coop.Kind, LegalName: coop.LegalName, Region: coop.Region, City: coop.City,
			CooperativeNumber: "N-1", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tamaynut"}}}
		if _, err := vendor.NewService(d, nil).Update(ctx, operator, coop.ID, vin); err != nil {
			t.Fatal(err)
		}
		readNow(t, d2, node2) // node 2 reads between the two commits
		expectOne(t, "vendor renamed", got2.take(), nil, true, true)
		if err := f.cat.ReindexVendor(ctx, coop.ID); err != nil {
			t.Fatal(err)
		}
		readNow(t, d2, node2)
		page, err := node2.List(ctx, auth.User{}, catalog.Filter{Q: "tamaynut"})
		if err != nil {
			t.Fatal(err)
		}
		if ids := idsOf(page.Items); !slices.Equal(ids, []int64{p.ID}) {
			t.Errorf("node 2 finds %v by the vendor's new name after its reindex, want [%d]: the reindex wrote no catalog_changes row (%+v)",
				ids, p.ID, got2.take())
		}
	})
}

// After the feed says a category changed, the category tree this node
// serves shows the change (pages rendered after the feed's read are kept).
func TestFeedCategoryChangeReachesCategories(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		got := follow(t, f.cat)
		name := func() string {
			t.Helper()
			tree, err := f.cat.Categories(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tree {
				if c.Slug == "argan-oil" {
					return c.Names["fr"]
				}
			}
			t.Fatal("no argan-oil category")
			return ""
		}
		before := name()
		exec(t, d, `UPDATE category_texts SET name = 'Huile d’argan (renommée)' WHERE locale = 'fr'
			AND category_id = (SELECT id FROM categories WHERE slug = 'argan-oil')`)
		f.cat.Sync(ctx)
		expectOne(t, "category text", got.take(), nil, true, true)
		if after := name(); after != "Huile d’argan (renommée)" {
			t.Errorf("category name after the feed said everything changed: %q (was %q)", after, before)
		}
	})
}

// On PostgreSQL a transaction takes its seq when it writes and its rows
// show when it commits: one that wrote first and commits last is still
// read, and no row is passed on twice.
func TestFeedLateCommitOnPostgres(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Postgres(t)
	f := newFixture(t, d)
	a, _ := publishedOil(t, f, "oil-a")
	b, _ := publishedOil(t, f, "oil-b")
	got := follow(t, f.cat)

	txA, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer txA.Rollback()
	if _, err := txA.ExecContext(ctx, `UPDATE variants SET price_amount = price_amount + 100 WHERE product_id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	exec(t, d, `UPDATE products SET review_note = 'b' WHERE id = ?`, b.ID)
	f.cat.Sync(ctx)
	expectOne(t, "B committed, A running", got.take(), []int64{b.ID}, true, false)
	readNow(t, d, f.cat) // B's rows are read again while A runs: not passed on again
	expectNone(t, "read again while A runs", got.take())

	if err := txA.Commit(); err != nil {
		t.Fatal(err)
	}
	readNow(t, d, f.cat)
	expectOne(t, "A committed", got.take(), []int64{a.ID}, true, false)
	readNow(t, d, f.cat)
	expectNone(t, "read again after A", got.take())

	var seqA, seqB int64
	if err := d.R.QueryRowContext(ctx, `SELECT MIN(seq) FILTER (WHERE product_id = $1), MIN(seq) FILTER (WHERE product_id = $2)
		FROM catalog_changes`, a.ID, b.ID).Scan(&seqA, &seqB); err != nil {
		t.Fatal(err)
	}
	if seqA >= seqB {
		t.Fatalf("A's row has seq %d, B's %d: the case under test (a lower seq committed later) did not happen", seqA, seqB)
	}
}

// A transaction running when the feed starts is read when it commits.
func TestFeedStartsWithATransactionRunningOnPostgres(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Postgres(t)
	f := newFixture(t, d)
	a, _ := publishedOil(t, f, "oil-a")
	txA, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer txA.Rollback()
	if _, err := txA.ExecContext(ctx, `UPDATE variants SET stock = stock + 1 WHERE product_id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	got := follow(t, f.cat)
	readNow(t, d, f.cat)
	expectNone(t, "A running", got.take())
	if err := txA.Commit(); err != nil {
		t.Fatal(err)
	}
	readNow(t, d, f.cat)
	expectOne(t, "A committed after the feed started", got.take(), []int64{a.ID}, false, false)
}

// One read naming more than 5000 products is a change of everything;
// 5000 are still named one by one.
func TestFeedBulkChangeIsAll(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		const n = 5001
		// One INSERT: the feed needs products rows, not whole products.
		start := time.Now()
		exec(t, d, `INSERT INTO products (vendor_id, slug, category_id, region, tax_class, status, created_at, updated_at)
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
			SELECT ?, 'bulk-' || i, (SELECT id FROM categories WHERE slug = 'argan-oil'), 'souss-massa', 'exempt', 'published',
				CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM n`, n, coop.ID)
		t.Logf("%d products inserted in %v", n, time.Since(start).Round(time.Millisecond))
		var ids []int64
		rows, err := d.R.QueryContext(ctx, `SELECT id FROM products ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if rows.Close(); len(ids) != n {
			t.Fatalf("%d products, want %d", len(ids), n)
		}
		got := follow(t, f.cat)

		exec(t, d, `UPDATE products SET review_note = 'x' WHERE id <= ?`, ids[n-2])
		f.cat.Sync(ctx)
		if c := got.take(); len(c) != 1 || c[0].All || !c[0].Listings || len(c[0].Products) != n-1 {
			t.Errorf("5000 products changed: %d changes, first %+v", len(c), summary(c))
		}
		exec(t, d, `UPDATE products SET review_note = 'y'`)
		f.cat.Sync(ctx)
		if c := got.take(); len(c) != 1 || !c[0].All || !c[0].Listings {
			t.Errorf("5001 products changed: %d changes, first %+v", len(c), summary(c))
		}
	})
}

// A bulk load of 100 products or more leaves one row in the feed, a change
// of everything; a smaller one names its products.
func TestFeedBulkCreate(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		got := follow(t, f.cat)
		load := func(prefix string, n int) []int64 {
			t.Helper()
			items := make([]catalog.NewProduct, n)
			for i := range items {
				items[i] = catalog.NewProduct{VendorID: f.vendors["argan-tifaouine"].ID, Input: catalog.Input{Category: "argan-oil",
					TaxClass: "exempt", Status: catalog.Published, Slug: fmt.Sprintf("%s-%d", prefix, i),
					Texts: map[string]catalog.Texts{"fr": {Title: "Huile"}}, Variants: []catalog.Variant{{SKU: "S", Price: money.Dirhams(1000), Stock: 1}}}}
			}
			ids, err := f.cat.BulkCreate(ctx, items)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(ids)
			return ids
		}
		rows := func() (n int) {
			t.Helper()
			if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_changes`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := rows()
		ids := load("small", 99)
		f.cat.Sync(ctx)
		expectOne(t, "99 products", got.take(), ids, true, false)
		if n := rows() - before; n != 99 {
			t.Errorf("99 products left %d rows in the feed", n)
		}
		before = rows()
		load("big", 100)
		f.cat.Sync(ctx)
		expectOne(t, "100 products", got.take(), nil, true, true)
		if n := rows() - before; n != 1 {
			t.Errorf("100 products left %d rows in the feed, want 1", n)
		}
	})
}

func summary(cs []catalog.Change) string {
	if len(cs) == 0 {
		return "none"
	}
	return fmt.Sprintf("{%d products, Listings:%t All:%t}", len(cs[0].Products), cs[0].Listings, cs[0].All)
}
