package catalog

import (
	"context"
	"fmt"
	"strings"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/search"
)

// VendorFilter narrows a vendor's own list of products (VendorProducts).
type VendorFilter struct {
	Status  Status // "" for every status
	Q       string // words of a title or description, a product's key (slug) or a variant's SKU
	Page    int    // from 1
	PerPage int    // 1..100, default 20
}

// VendorPage is one page of a vendor's products, with how many products
// the vendor has in each status (whatever Status and Q say), for the
// filter's choices.
type VendorPage struct {
	Items   []Product
	Total   int
	Page    int
	PerPage int
	Counts  map[Status]int
}

// VendorProducts lists vendorID's products in every status (or the one
// f.Status names), newest first: the vendor portal's list. Who may: the
// vendor's users and operators; for anyone else errs.NotFound, as for a
// vendor that does not exist. A status that is not one is errs.Invalid on
// "status".
func (s *Service) VendorProducts(ctx context.Context, by auth.User, vendorID int64, f VendorFilter) (VendorPage, error) {
	if err := s.csvAccess(ctx, by, vendorID); err != nil {
		return VendorPage{}, err
	}
	if f.Status != "" && !f.Status.Valid() {
		return VendorPage{}, errs.Fields{"status": "field.enum"}.Err()
	}
	f.Page = max(f.Page, 1)
	if f.PerPage < 1 {
		f.PerPage = 20
	}
	f.PerPage = min(f.PerPage, 100)
	q := s.db.Read()
	out := VendorPage{Page: f.Page, PerPage: f.PerPage, Items: []Product{}, Counts: map[Status]int{}}
	rows, err := q.QueryContext(ctx, `SELECT status, COUNT(*) FROM products WHERE vendor_id = ? GROUP BY status`, vendorID)
	if err != nil {
		return VendorPage{}, fmt.Errorf("vendor products: %w", err)
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return VendorPage{}, fmt.Errorf("vendor products: %w", err)
		}
		out.Counts[Status(st)] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return VendorPage{}, fmt.Errorf("vendor products: %w", err)
	}

	where, args := []string{"p.vendor_id = ?"}, []any{vendorID}
	if f.Status != "" {
		where, args = append(where, "p.status = ?"), append(args, string(f.Status))
	}
	if words := strings.TrimSpace(f.Q); words != "" {
		conds := []string{"p.slug = ?", "p.id IN (SELECT product_id FROM variants WHERE LOWER(sku) = LOWER(?))"}
		a := []any{strings.ToLower(words), words}
		if isbn, ok := NormalizeISBN(words); ok {
			conds, a = append(conds, "p.id IN (SELECT product_id FROM books WHERE isbn = ?)"), append(a, isbn)
		} else if c, ca, ok := search.Match(q.Dialect(), "p.id", search.Query{Text: words}); ok {
			conds, a = append(conds, c), append(a, ca...)
		}
		where, args = append(where, "("+strings.Join(conds, " OR ")+")"), append(args, a...)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM products p`+cond, args...).Scan(&out.Total); err != nil {
		return VendorPage{}, fmt.Errorf("vendor products: %w", err)
	}
	items, err := s.load(ctx, productSelect+cond+` ORDER BY p.id DESC LIMIT ? OFFSET ?`, append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return VendorPage{}, fmt.Errorf("vendor products: %w", err)
	}
	out.Items = items
	return out, nil
}
