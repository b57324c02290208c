package catalog

import (
	"context"
	"fmt"

	"souk/internal/db"
	"souk/internal/search"
)

// EnsureIndexed rebuilds the search index when it does not hold every
// product — a database from before the index existed, or restored without
// it — or holds entries of an older format (search.Format). It returns how
// many products it indexed (0 when nothing was missing).
func (s *Service) EnsureIndexed(ctx context.Context) (int, error) {
	q := s.db.Read()
	var products int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM products`).Scan(&products); err != nil {
		return 0, fmt.Errorf("ensure search index: %w", err)
	}
	indexed, err := search.Size(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("ensure search index: %w", err)
	}
	format, err := search.StoredFormat(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("ensure search index: %w", err)
	}
	if indexed == products && (format == search.Format || products == 0) {
		if format != search.Format {
			return 0, s.db.Tx(ctx, func(tx db.Querier) error { return search.SetFormat(ctx, tx) })
		}
		return 0, nil
	}
	n, err := s.Reindex(ctx)
	if err != nil {
		return n, err
	}
	return n, s.db.Tx(ctx, func(tx db.Querier) error { return search.SetFormat(ctx, tx) })
}

// Reindex rebuilds the search entry of every product, a few thousand per
// transaction so the writer is never held for long.
func (s *Service) Reindex(ctx context.Context) (int, error) { return s.reindexWhere(ctx, 0) }

// ReindexVendor rebuilds the search entries of a vendor's products, whose
// words include the vendor's names: call it when a vendor's details change.
func (s *Service) ReindexVendor(ctx context.Context, vendorID int64) error {
	_, err := s.reindexWhere(ctx, vendorID)
	return err
}

// reindexWhere reindexes every product, or vendorID's when it is not 0.
func (s *Service) reindexWhere(ctx context.Context, vendorID int64) (int, error) {
	const chunk = 2000
	done := 0
	for after := int64(0); ; {
		var ids []int64
		rows, err := s.db.Read().QueryContext(ctx, `SELECT id FROM products WHERE id > ? AND (? = 0 OR vendor_id = ?) ORDER BY id LIMIT ?`,
			after, vendorID, vendorID, chunk)
		if err != nil {
			return done, fmt.Errorf("reindex: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return done, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			return done, nil
		}
		if err := s.write(ctx, func(tx db.Querier) error {
			if err := s.reindex(ctx, tx, ids); err != nil || vendorID == 0 {
				return err
			}
			// The vendor's new name is in these entries, not in any row the
			// feed's triggers watch: tell every node to reload them.
			_, err := tx.ExecContext(ctx, `INSERT INTO catalog_changes (vendor_id, listings) VALUES (?, TRUE)`, vendorID)
			return err
		}, func() []int64 { return ids }); err != nil {
			return done, fmt.Errorf("reindex: %w", err)
		}
		done += len(ids)
		after = ids[len(ids)-1]
	}
}

// reindex rewrites the index entries of ids from what the catalog holds,
// inside tx.
func (s *Service) reindex(ctx context.Context, tx db.Querier, ids []int64) error {
	r, err := loadRefs(ctx, tx)
	if err != nil {
		return err
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.QueryContext(ctx, productSelect+` WHERE p.id IN (`+db.Placeholders(len(ids))+`)`, args...)
	if err != nil {
		return err
	}
	var items []Product
	for rows.Next() {
		row, err := scanRow(rows)
		if err != nil {
			rows.Close()
			return err
		}
		items = append(items, row.Product)
	}
	rows.Close()
	if err := hydrate(ctx, tx, items); err != nil {
		return err
	}
	docs := make([]search.Doc, len(items))
	for i, p := range items {
		v, err := r.vendor(ctx, tx, p.VendorID)
		if err != nil {
			return err
		}
		docs[i] = indexDoc(p, v.kind, ancestry(r.parents, p.CategoryID), r.names[p.VendorID])
	}
	return search.Index(ctx, tx, docs)
}
