package catalog

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"souk/internal/db"
	"souk/internal/search"
)

// listing is what the search index answers for one public listing page.
type listing struct {
	ids    []int64
	total  int
	facets map[string][]search.Count
}

// listingCache keeps public listing answers for a few seconds. On launch
// day thousands of visitors a second open the same home, category and
// search pages; each distinct page then costs the index one lookup per TTL
// instead of one per visitor. Concurrent misses of one key share a single
// lookup. A write through this Service clears it at once (the generation
// is part of every key); another node's writes show within the TTL.
type listingCache struct {
	ttl   time.Duration
	max   int
	gen   atomic.Int64
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]cached
}

type cached struct {
	l       listing
	expires time.Time
}

func newListingCache(ttl time.Duration) *listingCache {
	return &listingCache{ttl: ttl, max: 10000, entries: map[string]cached{}}
}

// changed makes every cached answer stale: the catalog was written.
func (c *listingCache) changed() { c.gen.Add(1) }

func (s *Service) cacheKey(d db.Dialect, q search.Query, f Filter) string {
	return fmt.Sprintf("%d|%s|%v|%s|%d|%d|%t", s.cache.gen.Load(), d, q, f.Sort, f.PerPage, f.Page, f.Facets)
}

// get returns the cached answer for key, or computes, stores and returns it.
func (c *listingCache) get(key string, compute func() (listing, error)) (listing, error) {
	if c.ttl <= 0 {
		return compute()
	}
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.l, nil
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		l, err := compute()
		if err != nil {
			return l, err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if len(c.entries) >= c.max {
			for k, e := range c.entries {
				if !now.Before(e.expires) {
					delete(c.entries, k)
				}
			}
			if len(c.entries) >= c.max {
				clear(c.entries) // full of live entries: start again rather than grow
			}
		}
		c.entries[key] = cached{l: l, expires: time.Now().Add(c.ttl)}
		return l, nil
	})
	if err != nil {
		return listing{}, err
	}
	return v.(listing), nil
}

// write runs fn in a write transaction, then brings the index in memory up
// to date for the products fn reports as changed and drops cached
// listings, so this node's next listing shows the change.
func (s *Service) write(ctx context.Context, fn func(tx db.Querier) error, changed func() []int64) error {
	defer s.cache.changed()
	defer s.hidden.forget()
	if err := s.db.Tx(ctx, fn); err != nil {
		return err
	}
	if err := s.memory.Update(ctx, s.db.Read(), changed()); err != nil {
		return fmt.Errorf("index in memory: %w", err)
	}
	return nil
}
