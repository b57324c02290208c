package catalog

import (
	"context"
	"sync"
	"time"

	"souk/internal/db"
)

// DefaultProductCacheBytes is the product cache's budget until
// SetProductCacheBytes: some thousands of products, the cards shoppers see.
const DefaultProductCacheBytes = 8 << 20

// productMaxAge bounds how long a cached product is shown without being
// read again, for what the change feed does not name (hand-made SQL that
// adds a photo row without touching the product's own row): the page
// cache's bound too.
const productMaxAge = time.Minute

// productCache keeps the hydrated products public listings show, so that a
// card shown again costs no SQL (a miss costs seven queries). The change
// feed drops what changed (readFeed); a load that may have read a product
// before its change stores nothing of it (see productLoad). Callers share
// the products: they must not change them.
type productCache struct {
	mu      sync.Mutex
	budget  int64 // bytes (an estimate, see productBytes); 0: off
	bytes   int64
	entries map[int64]productEntry
	loads   map[*productLoad]struct{} // loads under way
	hits    uint64
	misses  uint64

	// loaded, when set (tests), runs after a load read the database and
	// before it stores what it read.
	loaded func()
}

type productEntry struct {
	p     Product
	bytes int64
	at    time.Time
}

// productLoad is one load of missing products under way. A drop of one of
// its ids meanwhile makes it stale: what it read may predate the change,
// and storing it would keep that for good.
type productLoad struct {
	ids   []int64
	stale bool
}

// ProductCacheStats are the product cache's counters since start; Hits
// and Misses count products, not listings.
type ProductCacheStats struct {
	Hits, Misses uint64
	Entries      int
	Bytes        int64
}

func newProductCache(budget int64) *productCache {
	return &productCache{budget: budget, entries: map[int64]productEntry{}, loads: map[*productLoad]struct{}{}}
}

// SetProductCacheBytes sets the product cache's budget in bytes (0 turns
// it off) and empties it.
func (s *Service) SetProductCacheBytes(n int64) {
	c := s.products
	c.mu.Lock()
	defer c.mu.Unlock()
	c.budget = max(n, 0)
	c.clearLocked()
}

// ProductCacheStats reports the product cache's hits, misses and size.
func (s *Service) ProductCacheStats() ProductCacheStats {
	c := s.products
	c.mu.Lock()
	defer c.mu.Unlock()
	return ProductCacheStats{Hits: c.hits, Misses: c.misses, Entries: len(c.entries), Bytes: c.bytes}
}

// publicProducts returns the products ids names, in that order, from the
// cache and the database (one load for all the missing ones). Ids with no
// product, deleted meanwhile, are left out.
func (s *Service) publicProducts(ctx context.Context, ids []int64) ([]Product, error) {
	c := s.products
	items, missing, load := c.get(ids)
	if len(missing) > 0 {
		args := make([]any, len(missing))
		for i, id := range missing {
			args[i] = id
		}
		loaded, err := s.load(ctx, productSelect+` WHERE p.id IN (`+db.Placeholders(len(missing))+`)`, args...)
		if c.loaded != nil {
			c.loaded()
		}
		c.put(load, loaded, err)
		if err != nil {
			return nil, err
		}
		at := make(map[int64]int, len(ids))
		for i, id := range ids {
			at[id] = i
		}
		for _, p := range loaded {
			items[at[p.ID]] = p
		}
	}
	out := items[:0]
	for _, p := range items {
		if p.ID != 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

// get returns, at ids' positions, the products the cache holds fresh
// (zero Products elsewhere), the ids it lacks, and the load to pass to put
// (nil when the cache is off).
func (c *productCache) get(ids []int64) ([]Product, []int64, *productLoad) {
	items := make([]Product, len(ids))
	var missing []int64
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, id := range ids {
		if e, ok := c.entries[id]; ok && now.Sub(e.at) < productMaxAge {
			items[i] = e.p
		} else {
			missing = append(missing, id)
		}
	}
	c.hits += uint64(len(ids) - len(missing))
	c.misses += uint64(len(missing))
	if len(missing) == 0 || c.budget == 0 {
		return items, missing, nil
	}
	load := &productLoad{ids: missing}
	c.loads[load] = struct{}{}
	return items, missing, load
}

// put ends load and stores what it read, unless a change dropped one of
// its products meanwhile (then the next listing reads them again).
func (c *productCache) put(load *productLoad, items []Product, err error) {
	if load == nil {
		return
	}
	at := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.loads, load)
	if load.stale || err != nil {
		return
	}
	for _, p := range items {
		n := productBytes(&p)
		if n > c.budget {
			continue
		}
		if old, ok := c.entries[p.ID]; ok {
			c.bytes -= old.bytes
			delete(c.entries, p.ID)
		}
		for id, e := range c.entries { // map order: a random victim
			if c.bytes+n <= c.budget {
				break
			}
			c.bytes -= e.bytes
			delete(c.entries, id)
		}
		c.entries[p.ID] = productEntry{p: p, bytes: n, at: at}
		c.bytes += n
	}
}

// drop forgets the products ids, and makes loads of any of them under way
// store nothing.
func (c *productCache) drop(ids []int64) {
	if len(ids) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if e, ok := c.entries[id]; ok {
			c.bytes -= e.bytes
			delete(c.entries, id)
		}
	}
	if len(c.loads) == 0 {
		return
	}
	changed := make(map[int64]bool, len(ids))
	for _, id := range ids {
		changed[id] = true
	}
	for load := range c.loads {
		for _, id := range load.ids {
			if changed[id] {
				load.stale = true
				break
			}
		}
	}
}

// clear forgets every product, and makes every load under way store nothing.
func (c *productCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearLocked()
}

func (c *productCache) clearLocked() {
	clear(c.entries)
	c.bytes = 0
	for load := range c.loads {
		load.stale = true
	}
}

// productBytes estimates what p holds in memory: its strings plus a fixed
// overhead per part (headers, map slots, fixed-size fields). Measured on
// the demo catalog, it is within a few percent of the heap it takes.
func productBytes(p *Product) int64 {
	n := 800 + len(p.Slug) + len(p.VendorSlug) + len(p.CategorySlug) + len(p.Region) + len(p.TaxClass) + len(p.Status) + len(p.ReviewNote)
	for loc, t := range p.Texts {
		n += 80 + len(loc) + len(t.Title) + len(t.Description)
	}
	for _, v := range p.Variants {
		n += 120 + len(v.SKU) + len(v.Label) + len(v.Price.Currency)
	}
	for _, c := range p.Certifications {
		n += 64 + len(c.Kind) + len(c.Issuer) + len(c.Number) + len(c.ExpiresOn)
	}
	for _, im := range p.Images {
		n += 64 + len(im.Path) + len(im.Alt)
	}
	if b := p.Book; b != nil {
		n += 120 + len(b.ISBN) + len(b.Publisher) + len(b.Language)
		for _, a := range b.Authors {
			n += 16 + len(a)
		}
	}
	return int64(n)
}
