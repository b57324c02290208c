// Package demo builds souk's demo marketplace: vendors from all 12 regions
// making what their region is known for, their products in Arabic, French,
// English and often Spanish, and a catalog of books from Moroccan
// publishers and bookshops. The same seed and sizes always give the same
// data. Everything goes in through the domain services (vendor and catalog;
// for the month of trade, History: order, payout, ledger), so the demo
// passes the same checks as real input.
package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/vendor"
)

// Options size the demo marketplace.
type Options struct {
	Seed     uint64
	Products int // non-book products
	Books    int
	Vendors  int    // at least minVendors are made, whatever is asked
	MediaDir string // where to draw product pictures; "" for none
	// HistoryDays is how many days of trade before now the app makes in
	// the demo (History): orders, deliveries, payouts; 0 for none.
	HistoryDays int
	Log         *slog.Logger
}

// minVendors is the fewest vendors Load makes: the first seeds, which
// already cover the 12 regions, every kind of vendor and the publishers.
const minVendors = 60

// Defaults is the demo a first start loads: 64 vendors, 1,200 products,
// 5,000 books, and a month of trade.
func Defaults() Options {
	return Options{Seed: 1, Products: 1200, Books: 5000, Vendors: 64, HistoryDays: HistoryDays}
}

// Stats says what Load created.
type Stats struct {
	Vendors, Products, Books int
	Took                     time.Duration
}

// batch is how many products go in per transaction: large enough for
// multi-row inserts to pay, small enough to keep memory flat at 190,000.
const batch = 1000

var operator = auth.User{Role: auth.RoleAdmin}

// Load creates the demo marketplace through the services.
func Load(ctx context.Context, vendors *vendor.Service, products *catalog.Service, opts Options) (Stats, error) {
	start := time.Now()
	opts.Vendors = max(opts.Vendors, minVendors)
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	made, err := makeVendors(ctx, vendors, opts)
	if err != nil {
		return Stats{}, err
	}
	var sellers, publishers []maker
	for _, m := range made {
		if m.seed.books != nil {
			publishers = append(publishers, m)
		} else {
			sellers = append(sellers, m)
		}
	}
	var pics map[string]catalog.Image
	if opts.MediaDir != "" {
		if pics, err = pictures(opts.MediaDir); err != nil {
			return Stats{}, err
		}
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 2))
	if err := inBatches(ctx, products, opts.Log, "products", max(opts.Products, 0), func(k int) catalog.NewProduct {
		return product(rng, k, sellers[k%len(sellers)], k/len(sellers), pics)
	}); err != nil {
		return Stats{}, err
	}
	rng = rand.New(rand.NewPCG(opts.Seed, 3))
	shelf := newShelf(publishers)
	if err := inBatches(ctx, products, opts.Log, "books", max(opts.Books, 0), func(k int) catalog.NewProduct {
		return book(rng, k, shelf.pick(rng))
	}); err != nil {
		return Stats{}, err
	}
	return Stats{Vendors: len(made), Products: opts.Products, Books: opts.Books, Took: time.Since(start)}, nil
}

// inBatches makes n items with gen and loads them batch by batch.
func inBatches(ctx context.Context, cat *catalog.Service, log *slog.Logger, what string, n int, gen func(k int) catalog.NewProduct) error {
	items := make([]catalog.NewProduct, 0, batch)
	nextLog := n / 10
	for k := 0; k < n; k++ {
		items = append(items, gen(k))
		if len(items) == batch || k == n-1 {
			if _, err := cat.BulkCreate(ctx, items); err != nil {
				return fmt.Errorf("demo %s %d–%d: %w", what, k+1-len(items), k, err)
			}
			items = items[:0]
			if k+1 >= nextLog && n >= 10*batch {
				log.Info("demo: loading", "what", what, "done", k+1, "of", n)
				nextLog += n / 10
			}
		}
	}
	return nil
}

// weighted picks an index of weights with probability weight/sum.
func weighted(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}
