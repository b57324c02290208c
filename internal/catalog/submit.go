package catalog

import (
	"context"
	"fmt"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
)

// Submitting a product for review: the vendor says "my product is ready",
// and it joins the operators' queue (ReviewQueue).

// SubmitLocales are the languages one of which a product must have a
// title in before review: the marketplace's operators read Arabic and
// French, and every other locale falls back to one of them (i18n.Chain).
var SubmitLocales = []string{"ar", "fr"}

// Submit sends product id for review: from draft, or from rejected after
// the vendor changed it, to pending review. The product must have at least
// one photo and a title in Arabic or French (SubmitLocales), else
// errs.Invalid naming "photos" (products.submit_photo) and "texts"
// (products.submit_title). Already pending review, it stays so and nothing
// is written (a second press of the button); published, it is
// errs.Conflict "products.cannot_submit". Who may: the users of the
// product's vendor, and operators; for anyone else the product is
// errs.NotFound. The change, its index entry and its audit entry are one
// transaction, and the status moves only from the statuses read (a
// conditional update), so a decision taken meanwhile is a conflict.
func (s *Service) Submit(ctx context.Context, by auth.User, id int64) (Product, error) {
	r, err := s.one(ctx, productSelect+` WHERE p.id = ?`, id)
	if err != nil {
		return Product{}, err
	}
	if !visible(by, r.Product) {
		return Product{}, errs.NotFoundE("product")
	}
	cur := r.Product
	switch cur.Status {
	case PendingReview:
		return cur, nil
	case Draft, Rejected:
	default:
		return Product{}, errs.E(errs.Conflict, "products.cannot_submit")
	}
	if err := ReadyForReview(cur); err != nil {
		return Product{}, err
	}
	now := s.now().UTC()
	err = s.write(ctx, func(tx db.Querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE products SET status = ?, updated_at = ? WHERE id = ? AND status IN (?, ?)`,
			string(PendingReview), now, id, string(Draft), string(Rejected))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errs.E(errs.Conflict, "products.cannot_submit")
		}
		if err := s.reindex(ctx, tx, []int64{id}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, "product.submit", "product", id,
			map[string]any{"status": cur.Status}, map[string]any{"status": PendingReview}, now)
	}, func() []int64 { return []int64{id} })
	if err != nil {
		return Product{}, fmt.Errorf("submit product %d: %w", id, err)
	}
	return s.byID(ctx, id)
}

// ReadyForReview says what p lacks before it may be submitted for review:
// nil, or errs.Invalid naming "photos" and "texts" (see Submit). The
// portal asks it to say so before the vendor presses the button.
func ReadyForReview(p Product) error {
	f := errs.Fields{}
	if len(p.Images) == 0 {
		f.Add("photos", "products.submit_photo")
	}
	titled := false
	for _, l := range SubmitLocales {
		titled = titled || p.Texts[l].Title != ""
	}
	if !titled {
		f.Add("texts", "products.submit_title")
	}
	return f.Err()
}
