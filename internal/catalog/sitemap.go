package catalog

import (
	"context"
	"fmt"
	"time"
)

// Listed is a product as a sitemap names it.
type Listed struct {
	ID        int64
	Slug      string
	UpdatedAt time.Time
}

// PublicProducts returns published products of approved vendors — what
// anyone may see — in id order, limit of them after the first offset.
func (s *Service) PublicProducts(ctx context.Context, offset, limit int) ([]Listed, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT p.id, p.slug, p.updated_at FROM products p JOIN vendors v ON v.id = p.vendor_id
		WHERE p.status = 'published' AND v.status = 'approved' ORDER BY p.id LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("public products: %w", err)
	}
	defer rows.Close()
	var out []Listed
	for rows.Next() {
		var l Listed
		if err := rows.Scan(&l.ID, &l.Slug, &l.UpdatedAt); err != nil {
			return nil, fmt.Errorf("public products: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// PublicCount is how many products PublicProducts can list.
func (s *Service) PublicCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM products p JOIN vendors v ON v.id = p.vendor_id
		WHERE p.status = 'published' AND v.status = 'approved'`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("public products: %w", err)
	}
	return n, nil
}
