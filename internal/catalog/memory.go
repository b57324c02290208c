package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// WatchIndex loads the index in memory (see search.Memory), so that public
// listings and searches no longer query the database, and keeps it in step with
// products written by other souk processes on the same database: every
// interval it reloads the products updated since it last looked, and
// everything when the count of products disagrees (a deletion). Writes
// through this Service reach it at once. It returns after the first load;
// the watching stops with ctx.
func (s *Service) WatchIndex(ctx context.Context, interval time.Duration, log *slog.Logger) error {
	count, last, err := s.changeMark(ctx)
	if err != nil {
		return err
	}
	if err := s.memory.Load(ctx, s.db.Read()); err != nil {
		return err
	}
	s.cache.changed()
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := s.catchUp(ctx, &count, &last); err != nil && ctx.Err() == nil {
				log.Warn("search index in memory: catching up failed; listings fall back to the database until the next try", "err", err)
			}
		}
	}()
	return nil
}

// IndexInMemory reports whether public listings are answered from the
// index in memory (after WatchIndex).
func (s *Service) IndexInMemory() bool { return s.memory.Ready() }

// changeMark is how many products there are and when one was last written.
func (s *Service) changeMark(ctx context.Context) (int, string, error) {
	var n int
	var last sql.NullString // compared as text: both engines store these in one sortable format
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*), MAX(updated_at) FROM products`).Scan(&n, &last)
	if err != nil {
		return 0, "", fmt.Errorf("index in memory: %w", err)
	}
	return n, last.String, nil
}

func (s *Service) catchUp(ctx context.Context, count *int, last *string) error {
	n, mark, err := s.changeMark(ctx)
	if err != nil || (n == *count && mark == *last) {
		return err
	}
	q := s.db.Read()
	query, args := `SELECT id FROM products WHERE updated_at >= ?`, []any{*last}
	if *last == "" {
		query, args = `SELECT id FROM products`, nil
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("index in memory: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := s.memory.Update(ctx, q, ids); err != nil {
		return err
	}
	if s.memory.Len() != n || s.memory.Stale() {
		if err := s.memory.Load(ctx, q); err != nil {
			return err
		}
	}
	*count, *last = n, mark
	s.cache.changed()
	return nil
}
