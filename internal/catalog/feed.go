package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"souk/internal/db"
)

// Change is what one read of the catalog's change feed (the catalog_changes
// table, written by triggers in every writing transaction, on every node)
// says may now look different to the public.
type Change struct {
	Products []int64 // products whose own page or API answer may differ
	Listings bool    // listings may differ: an order, a price, an availability, a text, a new product
	All      bool    // anything public may differ: a vendor, a category, or the feed was out of reach
}

// bulkChange is how many products one read may name before it counts as a
// change of everything (an import, the demo's load): reloading the index in
// memory is then cheaper than updating so many products one by one.
const bulkChange = 5000

// feedGap is how long the feed may be out of reach before the next read
// counts as a change of everything: rows are kept for an hour.
const feedGap = 20 * time.Minute

// feed follows catalog_changes for one process.
type feed struct {
	mu      sync.Mutex // one read at a time
	commits atomic.Uint64
	subs    []func(Change)

	last   int64            // SQLite: the highest seq read (one writer: rows commit in seq order)
	xmin   uint64           // PostgreSQL: the oldest transaction still running at the last read
	seen   map[int64]uint64 // PostgreSQL: seq → tx of rows read whose transaction was at or after xmin
	readAt time.Time        // the last read that worked
	missed bool             // a read failed for longer than feedGap

	loading bool    // the index in memory is being loaded
	pending []int64 // products changed while it loads, to update after
}

// OnChange calls fn after each read of the feed that found changes (in this
// process or another on the same database), once the index in memory has
// them. Call it before Follow; fn must not block.
func (s *Service) OnChange(fn func(Change)) {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	s.feed.subs = append(s.feed.subs, fn)
}

// Follow starts reading the change feed every interval until ctx ends, from
// its current end: an edit on any node reaches this one's index in memory,
// its listing cache and OnChange's callers within interval. It also deletes
// rows older than an hour, once a minute.
func (s *Service) Follow(ctx context.Context, interval time.Duration, log *slog.Logger) error {
	if err := s.startFeed(ctx); err != nil {
		return err
	}
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		trimmed := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := s.readFeed(ctx, 0); err != nil && ctx.Err() == nil {
				log.Warn("catalog change feed: reading failed; cached pages and the index in memory may lag until the next read", "err", err)
			}
			if time.Since(trimmed) >= time.Minute {
				trimmed = time.Now()
				if err := s.trimFeed(ctx); err != nil && ctx.Err() == nil {
					log.Warn("catalog change feed: trimming failed", "err", err)
				}
			}
		}
	}()
	return nil
}

// Sync reads the feed now if this process committed a transaction since the
// last read, so that a visitor who just changed something on this node sees
// it at once, whatever path wrote it (a checkout's stock, an edit).
func (s *Service) Sync(ctx context.Context) {
	if want := s.db.Commits(); s.feed.commits.Load() < want {
		_ = s.readFeed(ctx, want) // a failure is logged by the next periodic read
	}
}

// WatchIndex follows the feed (Follow) and loads the index in memory
// (LoadIndex): public listings then no longer query the database.
func (s *Service) WatchIndex(ctx context.Context, interval time.Duration, log *slog.Logger) error {
	if err := s.Follow(ctx, interval, log); err != nil {
		return err
	}
	return s.LoadIndex(ctx)
}

// LoadIndex loads the search index into memory (see search.Memory); changes
// the feed reads meanwhile are applied after.
func (s *Service) LoadIndex(ctx context.Context) error {
	f := s.feed
	f.mu.Lock()
	f.loading, f.pending = true, nil
	f.mu.Unlock()
	err := s.memory.Load(ctx, s.db.Read())
	f.mu.Lock()
	pending := f.pending
	f.loading, f.pending = false, nil
	f.mu.Unlock()
	if err != nil {
		return err
	}
	s.cache.changed()
	return s.memory.Update(ctx, s.db.Read(), pending)
}

// IndexInMemory reports whether public listings are answered from the
// index in memory (after LoadIndex).
func (s *Service) IndexInMemory() bool { return s.memory.Ready() }

// startFeed places the feed at its current end: what was written before is
// already in what this process loads.
func (s *Service) startFeed(ctx context.Context) error {
	f := s.feed
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commits.Store(s.db.Commits())
	q := s.db.Read()
	if q.Dialect() == db.Postgres {
		var err error
		if f.xmin, err = snapshotXmin(ctx, q); err != nil {
			return err
		}
		f.seen = map[int64]uint64{}
		if _, err := f.readPostgres(ctx, q); err != nil { // marks what is there as seen
			return err
		}
	} else if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM catalog_changes`).Scan(&f.last); err != nil {
		return fmt.Errorf("catalog change feed: %w", err)
	}
	f.readAt = time.Now()
	return nil
}

// feedRow is one row of catalog_changes.
type feedRow struct {
	product, vendor *int64
	listings        bool
}

// readPostgres reads the rows it has not read yet. Rows become visible in
// commit order, not seq order: it reads again every row of a transaction
// that was still running at the last read (tx at or after that read's
// xmin), skipping the ones it has seen.
func (f *feed) readPostgres(ctx context.Context, q db.Querier) ([]feedRow, error) {
	xmin, err := snapshotXmin(ctx, q)
	if err != nil {
		return nil, err
	}
	// Every transaction below xmin had ended when xmin was read, so this
	// later read sees all of them that committed.
	rows, err := q.QueryContext(ctx, `SELECT seq, tx::text, product_id, vendor_id, listings FROM catalog_changes WHERE tx >= ?::xid8`,
		strconv.FormatUint(f.xmin, 10))
	if err != nil {
		return nil, fmt.Errorf("catalog change feed: %w", err)
	}
	defer rows.Close()
	var out []feedRow
	seen := map[int64]uint64{} // kept only once the whole read worked: a failed one is read again
	for rows.Next() {
		var seq int64
		var txs string
		var r feedRow
		if err := rows.Scan(&seq, &txs, &r.product, &r.vendor, &r.listings); err != nil {
			return nil, fmt.Errorf("catalog change feed: %w", err)
		}
		if _, ok := f.seen[seq]; ok {
			continue
		}
		tx, err := strconv.ParseUint(txs, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("catalog change feed: tx %q: %w", txs, err)
		}
		seen[seq] = tx
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog change feed: %w", err)
	}
	maps.Copy(f.seen, seen)
	for seq, tx := range f.seen {
		if tx < xmin {
			delete(f.seen, seq) // never read again
		}
	}
	f.xmin = xmin
	return out, nil
}

// snapshotXmin is the oldest PostgreSQL transaction still running now.
func snapshotXmin(ctx context.Context, q db.Querier) (uint64, error) {
	var xs string
	if err := q.QueryRowContext(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text`).Scan(&xs); err != nil {
		return 0, fmt.Errorf("catalog change feed: %w", err)
	}
	xmin, err := strconv.ParseUint(xs, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("catalog change feed: xmin %q: %w", xs, err)
	}
	return xmin, nil
}

func (f *feed) readSQLite(ctx context.Context, q db.Querier) ([]feedRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, product_id, vendor_id, listings FROM catalog_changes WHERE seq > ? ORDER BY seq`, f.last)
	if err != nil {
		return nil, fmt.Errorf("catalog change feed: %w", err)
	}
	defer rows.Close()
	var out []feedRow
	last := f.last // moved only once the whole read worked: a failed one is read again
	for rows.Next() {
		var r feedRow
		if err := rows.Scan(&last, &r.product, &r.vendor, &r.listings); err != nil {
			return nil, fmt.Errorf("catalog change feed: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog change feed: %w", err)
	}
	f.last = last
	return out, nil
}

// readFeed reads what was written since the last read and passes it on:
// to the product cache, the index in memory, the listing cache, then
// OnChange's callers.
//
// With want > 0 (Sync), it returns at once if a read that began after this
// process's commit number want has ended meanwhile: under load, the
// requests that waited for one read must not each read again.
func (s *Service) readFeed(ctx context.Context, want uint64) error {
	f := s.feed
	f.mu.Lock()
	defer f.mu.Unlock()
	if want > 0 && f.commits.Load() >= want {
		return nil
	}
	commits := s.db.Commits() // before reading: a commit after this is read next time
	q := s.db.Read()
	var rows []feedRow
	var err error
	if q.Dialect() == db.Postgres {
		if f.seen == nil { // not started: read everything there is
			f.seen = map[int64]uint64{}
		}
		rows, err = f.readPostgres(ctx, q)
	} else {
		rows, err = f.readSQLite(ctx, q)
	}
	if err != nil {
		if time.Since(f.readAt) > feedGap {
			f.missed = true
		}
		return err
	}
	f.readAt = time.Now()
	// Stored last: until then, Sync on this node waits for this read, so
	// a visitor is never answered from a cache this read is about to clear.
	defer f.commits.Store(commits)
	c := Change{All: f.missed}
	everything := f.missed // not only what rows name: reload the index whole
	f.missed = false
	var vendors []int64
	for _, r := range rows {
		c.Listings = c.Listings || r.listings
		switch {
		case r.product != nil:
			c.Products = append(c.Products, *r.product)
		case r.vendor != nil: // a vendor's details or status: its products' words in the index too
			vendors = append(vendors, *r.vendor)
			c.All = true
		default: // a category, a bulk load
			c.All, everything = true, true
		}
	}
	if len(rows) == 0 && !c.All {
		return nil
	}
	slices.Sort(c.Products)
	c.Products = slices.Compact(c.Products)
	if len(c.Products) > bulkChange {
		c.All = true
	}
	if c.All {
		c.Listings = true
		s.categories.Store(nil) // a category may have been renamed
		s.products.clear()      // a vendor's slug or status, a category's slug: every product may show them
	} else {
		s.products.drop(c.Products) // whatever changed, stock that moved too: listings show it
	}
	var failed error
	if c.Listings {
		reindex, err := s.productsOf(ctx, q, vendors)
		reindex = append(slices.Clip(c.Products), reindex...)
		if err == nil {
			err = s.indexChanged(ctx, q, reindex, everything)
		}
		if err != nil {
			// The caches are still told; the index is reloaded whole at
			// the next read.
			f.missed, failed = true, err
		}
		s.cache.changed()
		s.hidden.forget() // a product published, a vendor's status (always a change of everything)
	}
	for _, fn := range f.subs {
		fn(c)
	}
	return failed
}

// productsOf lists the products of vendors.
func (s *Service) productsOf(ctx context.Context, q db.Querier, vendors []int64) ([]int64, error) {
	if len(vendors) == 0 {
		return nil, nil
	}
	args := make([]any, len(vendors))
	for i, v := range vendors {
		args[i] = v
	}
	var ids []int64
	if err := collectIDs(ctx, q, &ids, `SELECT id FROM products WHERE vendor_id IN (`+db.Placeholders(len(vendors))+`)`, args...); err != nil {
		return nil, fmt.Errorf("catalog change feed: %w", err)
	}
	return ids, nil
}

// indexChanged brings the index in memory up to date with the products
// ids, or reloads it whole (the caller holds the feed's lock).
func (s *Service) indexChanged(ctx context.Context, q db.Querier, ids []int64, everything bool) error {
	f := s.feed
	if f.loading { // it may have read these products before they changed
		f.pending = append(f.pending, ids...)
		return nil
	}
	if !s.memory.Ready() {
		return nil
	}
	if everything || len(ids) > bulkChange || s.memory.Stale() {
		return s.memory.Load(ctx, q)
	}
	if err := s.memory.Update(ctx, q, ids); err != nil {
		return err
	}
	if s.memory.Stale() {
		return s.memory.Load(ctx, q)
	}
	return nil
}

// trimFeed deletes rows older than an hour, a thousand at a time so that
// the writer is never held for long.
func (s *Service) trimFeed(ctx context.Context) error {
	old := `datetime('now', '-1 hour')`
	if s.db.Dialect == db.Postgres {
		old = `now() - interval '1 hour'`
	}
	for {
		res, err := s.db.W.ExecContext(ctx, `DELETE FROM catalog_changes WHERE seq IN
			(SELECT seq FROM catalog_changes WHERE at < `+old+` ORDER BY seq LIMIT 1000)`)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n < 1000 {
			return err
		}
	}
}

// bulkFeedRows is how many products one transaction may add before its
// rows in the feed are replaced by one that says everything changed (the
// demo's load: 190,000 rows no node needs one by one).
const bulkFeedRows = 100

// feedMark is where the feed ends, seen from inside a transaction on the
// single SQLite writer (PostgreSQL names a transaction's rows by tx).
func feedMark(ctx context.Context, tx db.Querier) (int64, error) {
	if tx.Dialect() == db.Postgres {
		return 0, nil
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM catalog_changes`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("catalog change feed: %w", err)
	}
	return seq, nil
}

// collapseFeed replaces the rows the transaction wrote since mark with one
// that says everything changed.
func collapseFeed(ctx context.Context, tx db.Querier, mark int64) error {
	query, args := `DELETE FROM catalog_changes WHERE seq > ?`, []any{mark}
	if tx.Dialect() == db.Postgres {
		query, args = `DELETE FROM catalog_changes WHERE tx = pg_current_xact_id()`, nil
	}
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("catalog change feed: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_changes (listings) VALUES (TRUE)`); err != nil {
		return fmt.Errorf("catalog change feed: %w", err)
	}
	return nil
}
