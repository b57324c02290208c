package catalog

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
)

// Offer is a variant as a cart and a checkout see it: what it costs now,
// how many are left, what it weighs, its VAT rate and whether it is on sale
// at all (published, from an approved vendor).
type Offer struct {
	VariantID   int64
	ProductID   int64
	ProductSlug string
	VendorID    int64
	VendorSlug  string
	SKU         string
	Label       string
	Titles      map[string]string // per locale
	Price       money.Money
	Stock       int
	WeightGrams int
	VATRateBP   int // basis points: 2000 = 20%
	OnSale      bool
	Image       *Image // the first photo, for the cart
}

// FindVariant resolves a product (id or slug) and one of its SKUs to the
// variant a cart holds. Products the public cannot see are not found.
func (s *Service) FindVariant(ctx context.Context, product, sku string) (int64, error) {
	where, arg := `p.slug = ?`, any(product)
	if id, err := strconv.ParseInt(product, 10, 64); err == nil {
		where, arg = `p.id = ?`, id
	}
	var id int64
	var status, vendorStatus string
	err := s.db.Read().QueryRowContext(ctx, `SELECT x.id, p.status, v.status FROM products p
		JOIN vendors v ON v.id = p.vendor_id JOIN variants x ON x.product_id = p.id
		WHERE `+where+` AND x.sku = ?`, arg, sku).Scan(&id, &status, &vendorStatus)
	if err != nil || status != string(Published) || vendorStatus != "approved" {
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("find variant: %w", err)
		}
		return 0, errs.NotFoundE("product")
	}
	return id, nil
}

// Offers reads the variants ids as they are on sale now, through q (the read
// pool, or a transaction that must see its own writes). Ids that no longer
// exist are absent from the answer.
func Offers(ctx context.Context, q db.Querier, ids []int64) (map[int64]Offer, error) {
	out := make(map[int64]Offer, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, `SELECT x.id, p.id, p.slug, p.vendor_id, v.slug, x.sku, x.label, x.price_amount,
		x.price_currency, x.stock, x.weight_grams, t.rate_bp, p.status, v.status
		FROM variants x JOIN products p ON p.id = x.product_id JOIN vendors v ON v.id = p.vendor_id
		JOIN tax_classes t ON t.code = p.tax_class
		WHERE x.id IN (`+db.Placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("read offers: %w", err)
	}
	defer rows.Close()
	var products []any
	for rows.Next() {
		var o Offer
		var status, vendorStatus string
		if err := rows.Scan(&o.VariantID, &o.ProductID, &o.ProductSlug, &o.VendorID, &o.VendorSlug, &o.SKU, &o.Label,
			&o.Price.Amount, &o.Price.Currency, &o.Stock, &o.WeightGrams, &o.VATRateBP, &status, &vendorStatus); err != nil {
			return nil, fmt.Errorf("read offers: %w", err)
		}
		o.OnSale = status == string(Published) && vendorStatus == "approved"
		o.Titles = map[string]string{}
		out[o.VariantID] = o
		products = append(products, o.ProductID)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read offers: %w", err)
	}
	rows.Close()
	if len(products) == 0 {
		return out, nil
	}
	titles := map[int64]map[string]string{}
	images := map[int64]*Image{}
	rows, err = q.QueryContext(ctx, `SELECT product_id, locale, title FROM product_texts WHERE product_id IN (`+
		db.Placeholders(len(products))+`)`, products...)
	if err != nil {
		return nil, fmt.Errorf("read offer titles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var locale, title string
		if err := rows.Scan(&id, &locale, &title); err != nil {
			return nil, fmt.Errorf("read offer titles: %w", err)
		}
		if titles[id] == nil {
			titles[id] = map[string]string{}
		}
		titles[id][locale] = title
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read offer titles: %w", err)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT product_id, path, width, height, alt FROM product_images
		WHERE position = 0 AND product_id IN (`+db.Placeholders(len(products))+`)`, products...)
	if err != nil {
		return nil, fmt.Errorf("read offer images: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var im Image
		if err := rows.Scan(&id, &im.Path, &im.Width, &im.Height, &im.Alt); err != nil {
			return nil, fmt.Errorf("read offer images: %w", err)
		}
		images[id] = &im
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read offer images: %w", err)
	}
	for id, o := range out {
		if t := titles[o.ProductID]; t != nil {
			o.Titles = t
		}
		o.Image = images[o.ProductID]
		out[id] = o
	}
	return out, nil
}

// Take is a quantity of one variant sold at a price.
type Take struct {
	VariantID  int64
	Quantity   int
	UnitAmount int64 // the price the buyer is charged, in minor units
}

// Reserve takes stock for a sale inside the caller's transaction: one
// conditional UPDATE per variant, in id order (so two checkouts never wait
// on each other in a cycle), that succeeds only while enough is left, the
// price is still the one charged and the product is on sale. It returns the
// variants that could not be taken; the caller then rolls back.
func Reserve(ctx context.Context, tx db.Querier, takes []Take) (failed []int64, err error) {
	takes = slices.Clone(takes)
	slices.SortFunc(takes, func(a, b Take) int { return cmp.Compare(a.VariantID, b.VariantID) })
	for _, t := range takes {
		res, err := tx.ExecContext(ctx, `UPDATE variants SET stock = stock - ?
			WHERE id = ? AND stock >= ? AND price_amount = ?
			AND product_id IN (SELECT p.id FROM products p JOIN vendors v ON v.id = p.vendor_id
				WHERE p.status = 'published' AND v.status = 'approved')`,
			t.Quantity, t.VariantID, t.Quantity, t.UnitAmount)
		if err != nil {
			return nil, fmt.Errorf("reserve stock: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("reserve stock: %w", err)
		} else if n == 0 {
			failed = append(failed, t.VariantID)
		}
	}
	return failed, nil
}

// Release gives stock back (a cancelled or expired order) inside the
// caller's transaction. Variants deleted since are skipped.
func Release(ctx context.Context, tx db.Querier, takes []Take) error {
	takes = slices.Clone(takes)
	slices.SortFunc(takes, func(a, b Take) int { return cmp.Compare(a.VariantID, b.VariantID) })
	for _, t := range takes {
		if _, err := tx.ExecContext(ctx, `UPDATE variants SET stock = stock + ? WHERE id = ?`, t.Quantity, t.VariantID); err != nil {
			return fmt.Errorf("release stock: %w", err)
		}
	}
	return nil
}
