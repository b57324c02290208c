package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"souk/internal/db"
)

// synthProducts is the size of the demo catalog souk serve holds.
const synthProducts = 190000

// synthCatalog is an index of synthProducts made-up products, about 8 facet
// values and 30 words each, in plain tables (Memory reads nothing of FTS5).
// Building it takes a while: set SOUK_MEMORY_BENCH_DATA to a folder to keep
// it between runs.
func synthCatalog(tb testing.TB) *db.DB {
	tb.Helper()
	ctx := context.Background()
	dir := os.Getenv("SOUK_MEMORY_BENCH_DATA")
	if dir == "" {
		dir = tb.TempDir()
	}
	d, err := db.Open(ctx, "", dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	var n int
	if d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM search_index`).Scan(&n); n == synthProducts {
		return d
	}
	err = d.Tx(ctx, func(tx db.Querier) error {
		for _, s := range []string{
			`DROP TABLE IF EXISTS search_index`, `DROP TABLE IF EXISTS search_facets`,
			`CREATE TABLE search_index (body TEXT NOT NULL, price INTEGER NOT NULL)`,
			`CREATE TABLE search_facets (product_id INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,
				PRIMARY KEY (product_id, facet, value)) WITHOUT ROWID`,
		} {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		rng := rand.New(rand.NewPCG(7, 11))
		vocab := make([]string, 40000)
		for i := range vocab {
			var b strings.Builder
			for range 3 + rng.IntN(8) {
				b.WriteByte(byte('a' + rng.IntN(26)))
			}
			vocab[i] = b.String()
		}
		zipf := rand.NewZipf(rng, 1.1, 4, uint64(len(vocab)-1))
		regions := []string{"souss-massa", "draa-tafilalet", "fes-meknes", "marrakech-safi", "oriental", "tanger",
			"rabat", "casablanca", "beni-mellal", "guelmim", "laayoune", "dakhla"}
		kinds := []string{"cooperative", "artisan", "exporter", "publisher"}
		certs := []string{"bio", "igp", "aop", "fairtrade"}
		langs := []string{"ar", "fr", "zgh", "en"}
		for start := 1; start <= synthProducts; start += 5000 {
			var rows, facets [][]any
			for id := start; id < start+5000 && id <= synthProducts; id++ {
				words := make([]string, 30)
				for i := range words {
					words[i] = vocab[zipf.Uint64()]
				}
				parent := 1 + rng.Int64N(8)
				doc := Doc{ProductID: int64(id), Text: strings.Join(words, " "), Published: rng.IntN(20) != 0,
					VendorID: 1 + rng.Int64N(3000), VendorKind: kinds[rng.IntN(len(kinds))],
					CategoryIDs: []int64{parent, 100 + parent*10 + rng.Int64N(6)}, Region: regions[rng.IntN(len(regions))],
					Price: 1000 + rng.Int64N(400000)}
				if rng.IntN(10) < 3 {
					doc.Certifications = []string{certs[rng.IntN(len(certs))]}
				}
				if rng.IntN(100) < 47 {
					doc.Language = langs[rng.IntN(len(langs))]
					doc.Authors = []string{fmt.Sprint("author ", rng.IntN(40000))}
					doc.Publisher = fmt.Sprint("publisher ", rng.IntN(600))
				}
				rows = append(rows, []any{doc.ProductID, doc.body(), doc.Price})
				for _, f := range doc.facets() {
					facets = append(facets, []any{doc.ProductID, f[0], f[1]})
				}
			}
			if _, err := db.InsertRows(ctx, tx, "search_index", []string{"rowid", "body", "price"}, rows); err != nil {
				return err
			}
			if _, err := db.InsertRows(ctx, tx, "search_facets", []string{"product_id", "facet", "value"}, facets); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// TestMemoryHeap reports the live heap of a Memory holding the synthetic
// catalog: in all, without its word index, and without the names of the
// facet values besides (what is left is the values by product, prices and
// order). Set SOUK_MEMORY_HEAP to run it, to a file name to
// write a heap profile there besides.
func TestMemoryHeap(t *testing.T) {
	if os.Getenv("SOUK_MEMORY_HEAP") == "" {
		t.Skip("SOUK_MEMORY_HEAP not set")
	}
	d := synthCatalog(t)
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	// A Load that is dropped first: the pools' connections and whatever the
	// driver keeps are not Memory's. Its peak is the highest heap seen,
	// collecting at every 5% of growth (so near the live heap).
	start := heap()
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	var peak atomic.Uint64
	stop := make(chan struct{})
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
		}
	}()
	if err := NewMemory().Load(context.Background(), d.Read()); err != nil {
		t.Fatal(err)
	}
	close(stop)
	<-polled
	debug.SetGCPercent(100)
	before := heap()
	m := NewMemory()
	if err := m.Load(context.Background(), d.Read()); err != nil {
		t.Fatal(err)
	}
	loaded := heap()
	if _, total, _, ok := m.List(Query{PublishedOnly: true}, Newest, 24, 0, true); !ok || total == 0 {
		t.Fatalf("list: %d, %v", total, ok)
	}
	ordered := heap()
	if path := os.Getenv("SOUK_MEMORY_HEAP"); path != "1" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	n := m.Len()
	m.mu.Lock()
	m.words = newWordIndex()
	m.mu.Unlock()
	noWords := heap()
	m.mu.Lock()
	m.dict, m.values = nil, nil
	m.mu.Unlock()
	rest := heap()
	mb := func(n uint64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
	t.Logf("Load's peak: %s above the heap before", mb(peak.Load()-start))
	t.Logf("%d products: loaded %s, with the order %s; without the word index %s, nor the facet values' names %s",
		n, mb(loaded-before), mb(ordered-before), mb(noWords-before), mb(rest-before))
	runtime.KeepAlive(m)
}

// BenchmarkMemoryList answers listings from the synthetic catalog in memory.
func BenchmarkMemoryList(b *testing.B) {
	d := synthCatalog(b)
	m := NewMemory()
	if err := m.Load(context.Background(), d.Read()); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		q      Query
		sort   Sort
		facets bool
	}{
		{"all+facets", Query{PublishedOnly: true}, Newest, true},
		{"category+facets", Query{PublishedOnly: true, CategoryID: 3}, Newest, true},
		{"category/price", Query{PublishedOnly: true, CategoryID: 134}, PriceAsc, false},
		{"excluded/newest", Query{PublishedOnly: true, ExcludeVendors: []int64{5, 50, 500}}, Newest, false},
		{"words+facets", Query{PublishedOnly: true, Text: "ka"}, Relevance, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, _, ok := m.List(c.q, c.sort, 24, 0, c.facets); !ok {
					b.Fatal("not answered")
				}
			}
		})
	}
}

// BenchmarkMemoryOrder rebuilds the order a write drops, after 1,000
// products were read again (their new ordinals out of id order).
func BenchmarkMemoryOrder(b *testing.B) {
	d := synthCatalog(b)
	m := NewMemory()
	ctx := context.Background()
	if err := m.Load(ctx, d.Read()); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	for id := int64(1); id <= synthProducts; id += synthProducts / 1000 {
		ids = append(ids, id)
	}
	if err := m.Update(ctx, d.Read(), ids); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		m.mu.Lock()
		m.order = nil
		m.mu.Unlock()
		if _, _, _, ok := m.List(Query{VendorID: -1}, Newest, 24, 0, false); !ok { // no such vendor: the order alone
			b.Fatal("not answered")
		}
	}
}
