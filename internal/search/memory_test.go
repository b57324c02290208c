package search

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// failFacets is a database whose facet rows cannot be read: a read fails
// after the bodies of its products were added.
type failFacets struct{ db.Querier }

func (f failFacets) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if strings.Contains(query, "search_facets") {
		return nil, errors.New("facets unavailable")
	}
	return f.Querier.QueryContext(ctx, query, args...)
}

// Memory answers from what products hold now: a product read again (a new
// ordinal) counts, sorts and matches by its new values alone, a product no
// longer indexed by nothing, and a read that fails leaves the answers as
// they were.
func TestMemoryFollowsUpdates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var coop, artisan int64
		err := d.Tx(ctx, func(tx db.Querier) error {
			now := time.Now().UTC()
			for _, v := range []struct {
				id   *int64
				kind string
			}{{&coop, "cooperative"}, {&artisan, "artisan"}} {
				if err := tx.QueryRowContext(ctx, `INSERT INTO vendors (slug, kind, legal_name, region, city, status, created_at, updated_at)
					VALUES (?, ?, 'V', 'souss-massa', 'Agadir', 'approved', ?, ?) RETURNING id`, v.kind, v.kind, now, now).Scan(v.id); err != nil {
					return err
				}
			}
			for id := int64(1); id <= 6; id++ { // the facet rows reference products
				if _, err := tx.ExecContext(ctx, `INSERT INTO products (id, vendor_id, slug, category_id, region, tax_class, created_at, updated_at)
					VALUES (?, ?, ?, (SELECT MIN(id) FROM categories), 'souss-massa', 'standard', ?, ?)`,
					id, coop, "p"+string(rune('0'+id)), now, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[int64]string{coop: "cooperative", artisan: "artisan"}
		doc := func(id, vendor int64, published bool, category int64, region string, price int64, text string) Doc {
			return Doc{ProductID: id, Text: text, Published: published, VendorID: vendor, VendorKind: kinds[vendor],
				CategoryIDs: []int64{category}, Region: region, Price: price}
		}
		index := func(docs ...Doc) {
			t.Helper()
			if err := d.Tx(ctx, func(tx db.Querier) error { return Index(ctx, tx, docs) }); err != nil {
				t.Fatal(err)
			}
		}
		update := func(m *Memory, ids ...int64) {
			t.Helper()
			if err := m.Update(ctx, d.Read(), ids); err != nil {
				t.Fatal(err)
			}
		}
		type listing struct {
			q             Query
			sort          Sort
			limit, offset int
			ids           []int64
			total         int
			counts        map[string][]Count // nil: not asked
		}
		check := func(step string, m *Memory, ls []listing) {
			t.Helper()
			for _, l := range ls {
				ids, total, counts, ok := m.List(l.q, l.sort, l.limit, l.offset, l.counts != nil)
				if !ok {
					t.Fatalf("%s: %+v %s: not answered", step, l.q, l.sort)
				}
				if !slices.Equal(ids, l.ids) || total != l.total {
					t.Errorf("%s: %+v %s [%d:+%d]: %v of %d, want %v of %d", step, l.q, l.sort, l.offset, l.limit, ids, total, l.ids, l.total)
				}
				if l.counts != nil && !reflect.DeepEqual(counts, l.counts) {
					t.Errorf("%s: %+v: counts %v, want %v", step, l.q, counts, l.counts)
				}
			}
		}
		cs := func(kv ...any) []Count {
			var out []Count
			for i := 0; i < len(kv); i += 2 {
				out = append(out, Count{Value: kv[i].(string), N: kv[i+1].(int)})
			}
			return out
		}
		pub := Query{PublishedOnly: true}

		index(
			doc(1, coop, true, 10, "souss", 50000, "huile argan pure"),
			doc(2, artisan, true, 10, "fes", 30000, "tapis berbere"),
			doc(3, coop, true, 11, "souss", 90000, "savon argan"),
			doc(4, coop, false, 10, "souss", 10000, "miel thym"),
			doc(5, artisan, true, 11, "fes", 70000, "amlou argan"),
		)
		m := NewMemory()
		if err := m.Load(ctx, d.Read()); err != nil {
			t.Fatal(err)
		}
		check("loaded", m, []listing{
			{q: pub, sort: Newest, limit: 10, ids: []int64{5, 3, 2, 1}, total: 4, counts: map[string][]Count{
				FacetCategory: cs("10", 2, "11", 2), FacetRegion: cs("fes", 2, "souss", 2),
				FacetKind: cs("artisan", 2, "cooperative", 2), FacetPrice: cs("500-1000", 3, "250-500", 1)}},
			{q: Query{}, sort: Newest, limit: 10, ids: []int64{5, 4, 3, 2, 1}, total: 5},
			{q: pub, sort: PriceAsc, limit: 10, ids: []int64{2, 1, 5, 3}, total: 4},
			{q: Query{PublishedOnly: true, Text: "argan"}, sort: Relevance, limit: 10, ids: []int64{5, 3, 1}, total: 3}, // ties newest first,
		})

		// Updated products (5 twice, 4 published now), one removed, one new.
		index(doc(1, coop, true, 10, "fes", 5000, "huile olive"), doc(4, coop, true, 10, "souss", 10000, "miel thym"),
			doc(5, artisan, true, 10, "souss", 60000, "amlou"))
		update(m, 1, 4, 5)
		index(doc(5, artisan, true, 11, "fes", 80000, "amlou argan amandes"), doc(6, coop, true, 11, "souss", 20000, "argan cosmetique"))
		if err := d.Tx(ctx, func(tx db.Querier) error { return Remove(ctx, tx, []int64{3}) }); err != nil {
			t.Fatal(err)
		}
		update(m, 3, 5, 6, 99) // 99 was never indexed
		updated := []listing{
			{q: pub, sort: Newest, limit: 10, ids: []int64{6, 5, 4, 2, 1}, total: 5, counts: map[string][]Count{
				FacetCategory: cs("10", 3, "11", 2), FacetRegion: cs("fes", 3, "souss", 2),
				FacetKind: cs("cooperative", 3, "artisan", 2), FacetPrice: cs("100-250", 2, "0-100", 1, "250-500", 1, "500-1000", 1)}},
			{q: pub, sort: Newest, limit: 2, offset: 1, ids: []int64{5, 4}, total: 5},
			{q: pub, sort: PriceAsc, limit: 10, ids: []int64{1, 4, 6, 2, 5}, total: 5},
			{q: pub, sort: PriceDesc, limit: 10, ids: []int64{5, 2, 6, 4, 1}, total: 5},
			{q: Query{PublishedOnly: true, Text: "argan"}, sort: Relevance, limit: 10, ids: []int64{6, 5}, total: 2},
			{q: Query{PublishedOnly: true, Text: "arg"}, sort: Newest, limit: 10, ids: []int64{6, 5}, total: 2},
			{q: Query{PublishedOnly: true, Region: "souss", CategoryID: 10}, sort: Newest, limit: 10, ids: []int64{4}, total: 1,
				counts: map[string][]Count{FacetCategory: cs("10", 1), FacetRegion: cs("souss", 1),
					FacetKind: cs("cooperative", 1), FacetPrice: cs("100-250", 1)}},
			{q: Query{PublishedOnly: true, ExcludeVendors: []int64{artisan}}, sort: Newest, limit: 10, ids: []int64{6, 4, 1}, total: 3,
				counts: map[string][]Count{FacetCategory: cs("10", 2, "11", 1), FacetRegion: cs("souss", 2, "fes", 1),
					FacetKind: cs("cooperative", 3), FacetPrice: cs("100-250", 2, "0-100", 1)}},
			{q: Query{Region: "souss"}, sort: PriceDesc, limit: 10, ids: []int64{6, 4}, total: 2},
			{q: Query{VendorID: artisan}, sort: Newest, limit: 10, ids: []int64{5, 2}, total: 2},
		}
		check("updated", m, updated)
		if m.Len() != 5 || m.words.dead() != 5 {
			t.Errorf("%d products, %d dead ordinals; want 5 and 5", m.Len(), m.words.dead())
		}

		// A read that fails half way changes no answer.
		index(doc(2, artisan, true, 11, "souss", 30000, "tapis argan"))
		if err := m.Update(ctx, failFacets{d.Read()}, []int64{2, 6}); err == nil {
			t.Fatal("an update without facets did not fail")
		}
		check("failed update", m, updated)
		if m.Len() != 5 {
			t.Errorf("%d products after a failed update, want 5", m.Len())
		}
		update(m, 2)
		again := []listing{
			{q: pub, sort: Newest, limit: 10, ids: []int64{6, 5, 4, 2, 1}, total: 5, counts: map[string][]Count{
				FacetCategory: cs("11", 3, "10", 2), FacetRegion: cs("souss", 3, "fes", 2),
				FacetKind: cs("cooperative", 3, "artisan", 2), FacetPrice: cs("100-250", 2, "0-100", 1, "250-500", 1, "500-1000", 1)}},
			{q: Query{PublishedOnly: true, Text: "argan"}, sort: Relevance, limit: 10, ids: []int64{6, 5, 2}, total: 3},
			{q: Query{PublishedOnly: true, ExcludeVendors: []int64{coop}}, sort: PriceAsc, limit: 10, ids: []int64{2, 5}, total: 2},
		}
		check("updated again", m, again)

		// A Load holds the same, without the dead ordinals.
		if err := m.Load(ctx, d.Read()); err != nil {
			t.Fatal(err)
		}
		check("reloaded", m, again)
		if m.Len() != 5 || m.words.dead() != 0 || len(m.price) != 5 || len(m.valStart) != 6 {
			t.Errorf("reloaded: %d products, %d dead, %d prices, %d starts", m.Len(), m.words.dead(), len(m.price), len(m.valStart))
		}
	})
}
