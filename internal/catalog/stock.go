package catalog

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

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
// pool, or a transaction that must see its own writes), in one query (a
// checkout runs it on every order). Ids that no longer exist are absent from
// the answer.
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
		x.price_currency, x.stock, x.weight_grams, tc.rate_bp, p.status, v.status, t.locale, t.title,
		im.path, im.width, im.height, im.alt
		FROM variants x JOIN products p ON p.id = x.product_id JOIN vendors v ON v.id = p.vendor_id
		JOIN tax_classes tc ON tc.code = p.tax_class
		LEFT JOIN product_texts t ON t.product_id = p.id
		LEFT JOIN product_images im ON im.product_id = p.id AND im.position = 0
		WHERE x.id IN (`+db.Placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("read offers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o Offer
		var status, vendorStatus string
		var locale, title, path, alt sql.NullString
		var width, height sql.NullInt64
		if err := rows.Scan(&o.VariantID, &o.ProductID, &o.ProductSlug, &o.VendorID, &o.VendorSlug, &o.SKU, &o.Label,
			&o.Price.Amount, &o.Price.Currency, &o.Stock, &o.WeightGrams, &o.VATRateBP, &status, &vendorStatus,
			&locale, &title, &path, &width, &height, &alt); err != nil {
			return nil, fmt.Errorf("read offers: %w", err)
		}
		if seen, ok := out[o.VariantID]; ok {
			o = seen // one row per locale of the product's texts
		} else {
			o.OnSale = status == string(Published) && vendorStatus == "approved"
			o.Titles = map[string]string{}
			if path.Valid {
				o.Image = &Image{Path: path.String, Width: int(width.Int64), Height: int(height.Int64), Alt: alt.String}
			}
		}
		if locale.Valid {
			o.Titles[locale.String] = title.String
		}
		out[o.VariantID] = o
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read offers: %w", err)
	}
	return out, nil
}

// Take is a quantity of one variant sold at a price.
type Take struct {
	VariantID  int64
	Quantity   int
	UnitAmount int64 // the price the buyer is charged, in minor units
}

// Reserve takes stock for a sale inside the caller's transaction, in one
// conditional UPDATE that succeeds for a variant only while enough is left,
// the price is still the one charged and the product is on sale. It
// returns the variants that could not be taken; the caller then rolls
// back. One statement, because the rows of a popular product are what
// every buyer waits for: they stay locked from here to the commit.
func Reserve(ctx context.Context, tx db.Querier, takes []Take) (failed []int64, err error) {
	if len(takes) == 0 {
		return nil, nil
	}
	st := takeStock(tx.Dialect(), takes)
	rows, err := tx.QueryContext(ctx, st.Query+` RETURNING variants.id`, st.Args...)
	if err != nil {
		return nil, fmt.Errorf("reserve stock: %w", err)
	}
	defer rows.Close()
	taken := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("reserve stock: %w", err)
		}
		taken[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reserve stock: %w", err)
	}
	for _, t := range takes {
		if !taken[t.VariantID] {
			failed = append(failed, t.VariantID)
		}
	}
	return failed, nil
}

// ReserveAll is Reserve as one statement for a PostgreSQL pipeline
// (db.Pipeline): it takes every line or fails (db.IsFailedCheck), which
// rolls the whole pipeline back; the caller then learns which lines are
// short with Reserve in a transaction.
func ReserveAll(takes []Take) db.Statement {
	st := takeStock(db.Postgres, takes)
	st.Query = `WITH taken AS (` + st.Query + ` RETURNING variants.id) ` +
		db.FailUnless(fmt.Sprintf(`(SELECT COUNT(*) FROM taken) = %d`, len(st.Args)/3))
	return st
}

// takeStock is the conditional UPDATE behind Reserve and ReserveAll. On
// PostgreSQL it first locks the variants in id order: an UPDATE … FROM
// locks rows in whatever order its plan reads them, and two orders locking
// the same rows in different orders deadlock (each costs a second of
// deadlock_timeout). SQLite has one writer at a time and no row locks.
func takeStock(d db.Dialect, takes []Take) db.Statement {
	takes = slices.Clone(takes)
	slices.SortFunc(takes, func(a, b Take) int { return cmp.Compare(a.VariantID, b.VariantID) })
	var values strings.Builder
	args := make([]any, 0, 3*len(takes))
	for i, t := range takes {
		if i > 0 {
			values.WriteString(", ")
		}
		values.WriteString("(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))")
		args = append(args, t.VariantID, t.Quantity, t.UnitAmount)
	}
	with, from, where := `WITH t (id, quantity, price) AS (VALUES `+values.String()+`)`, "t", ""
	if d == db.Postgres {
		with += `, locked AS (SELECT variants.id FROM variants JOIN t ON t.id = variants.id
			ORDER BY variants.id FOR NO KEY UPDATE OF variants)`
		from, where = "t JOIN locked ON locked.id = t.id", " AND variants.id = locked.id"
	}
	return db.Statement{Query: with + `
		UPDATE variants SET stock = stock - t.quantity FROM ` + from + `
		WHERE variants.id = t.id` + where + ` AND variants.stock >= t.quantity AND variants.price_amount = t.price
		AND EXISTS (SELECT 1 FROM products p JOIN vendors v ON v.id = p.vendor_id
			WHERE p.id = variants.product_id AND p.status = 'published' AND v.status = 'approved')`, Args: args}
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
