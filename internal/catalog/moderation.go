package catalog

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/notify"
	"souk/internal/search"
	"souk/internal/text"
)

// Moderation: the operators' queue of products waiting for review, the
// published products whose certifications run out, and the decision to
// publish or reject a product — told to the vendor by e-mail in the
// vendor's language, in the transaction of the change.

// Verdict is an operator's decision on a product.
type Verdict string

// The verdicts.
const (
	Publish Verdict = "publish"
	Reject  Verdict = "reject"
)

// QualityChecks are what an operator confirms before publishing a product,
// every one of them: its photos are clear and real, title and description
// accurate, the price plausible, the certifications valid and matching the
// documents (or none claimed), the category right.
var QualityChecks = []string{"photos", "texts", "price", "certifications", "category"}

// CertificationWarningDays is how long before a certification's expiry
// operators are warned of it.
const CertificationWarningDays = 60

// Decision is an operator's verdict on a product. Publishing needs every
// QualityChecks box in Checked; rejecting needs a Reason, which the vendor
// reads in the e-mail.
type Decision struct {
	Verdict Verdict
	Checked []string
	Reason  string
}

// verdicts says from which statuses a verdict may be taken and where it
// leads: a product is published from the queue (or after a rejection that
// the operator reconsiders), and rejected from the queue or taken down
// after publication (a certification that ran out).
var verdicts = map[Verdict]struct {
	from []Status
	to   Status
}{
	Publish: {[]Status{PendingReview, Rejected}, Published},
	Reject:  {[]Status{PendingReview, Published}, Rejected},
}

// Moderate takes an operator's decision on product id, in one transaction:
// the status changes (a conditional update from the statuses the verdict
// applies to, so deciding twice is errs.Conflict "moderation.cannot_…",
// not a second e-mail), the search index follows, the audit log records it
// and the vendor is e-mailed in the vendor's language (when the vendor has
// an address). Operators only (errs.Forbidden). A publication without
// every quality check, or a rejection without a reason, is errs.Invalid
// naming "check.<name>" or "reason".
func (s *Service) Moderate(ctx context.Context, by auth.User, id int64, d Decision) (Product, error) {
	if !by.IsOperator() {
		return Product{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	t, ok := verdicts[d.Verdict]
	if !ok {
		return Product{}, errs.Fields{"verdict": "field.enum"}.Err()
	}
	d.Reason = text.Clean(d.Reason)
	f := errs.Fields{}
	if p := text.Check(d.Reason, d.Verdict == Reject, 2000); p != "" {
		f.Add("reason", p)
	}
	var checked []string
	if d.Verdict == Publish {
		for _, c := range QualityChecks {
			if slices.Contains(d.Checked, c) {
				checked = append(checked, c)
			} else {
				f.Add("check."+c, "moderation.unchecked")
			}
		}
	}
	if err := f.Err(); err != nil {
		return Product{}, err
	}
	cur, err := s.byID(ctx, id)
	if err != nil {
		return Product{}, err
	}
	now := s.now().UTC()
	err = s.write(ctx, func(tx db.Querier) error {
		from := make([]any, len(t.from))
		for i, st := range t.from {
			from[i] = string(st)
		}
		note := d.Reason
		if d.Verdict == Publish {
			note = ""
		}
		res, err := tx.ExecContext(ctx, `UPDATE products SET status = ?, review_note = ?, updated_at = ?,
			published_at = CASE WHEN ? = 'published' THEN COALESCE(published_at, ?) ELSE published_at END
			WHERE id = ? AND status IN (`+db.Placeholders(len(from))+`)`,
			append([]any{string(t.to), note, now, string(t.to), now, id}, from...)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errs.E(errs.Conflict, "moderation.cannot_"+string(d.Verdict))
		}
		if err := s.reindex(ctx, tx, []int64{id}); err != nil {
			return err
		}
		after := map[string]any{"status": t.to}
		if d.Verdict == Publish {
			after["checked"] = checked
		} else {
			after["reason"] = d.Reason
		}
		if err := audit.Record(ctx, tx, by, "product."+string(d.Verdict), "product", id,
			map[string]any{"status": cur.Status, "review_note": cur.ReviewNote}, after, now); err != nil {
			return err
		}
		return tellVendor(ctx, tx, cur, d, now)
	}, func() []int64 { return []int64{id} })
	if err != nil {
		return Product{}, fmt.Errorf("moderate product %d: %w", id, err)
	}
	return s.byID(ctx, id)
}

// tellVendor queues the e-mail of a verdict to the product's vendor, in the
// vendor's language (vendors.locale); a vendor without an address (created
// by operators) is not written to.
func tellVendor(ctx context.Context, tx db.Querier, p Product, d Decision, now time.Time) error {
	var name, email, locale string
	err := tx.QueryRowContext(ctx, `SELECT legal_name, email, locale FROM vendors WHERE id = ?`, p.VendorID).Scan(&name, &email, &locale)
	if err != nil {
		return fmt.Errorf("read vendor %d: %w", p.VendorID, err)
	}
	if strings.TrimSpace(email) == "" {
		return nil
	}
	if !i18n.Valid(locale) {
		locale = i18n.Default
	}
	title, _, _ := i18n.Pick(p.Texts, locale)
	args := map[string]any{"name": name, "title": title.Title, "reason": d.Reason}
	event := "mail.product." + string(d.Verdict)
	return notify.Enqueue(ctx, tx, now, notify.Message{
		Key:     fmt.Sprintf("product:%d:%s:%d", p.ID, d.Verdict, now.UnixNano()),
		To:      email,
		Subject: i18n.T(locale, event+".subject", args),
		Text:    i18n.T(locale, "mail.greeting", args) + "\n\n" + i18n.T(locale, event+".body", args) + "\n",
	})
}

// QueueFilter narrows the operators' moderation lists.
type QueueFilter struct {
	Vendor  string // id or slug
	Q       string // words of a title or description, a slug, an ISBN
	Page    int    // from 1
	PerPage int    // 1..100, default 20
}

// ReviewQueue lists the products waiting for review, the one waiting
// longest (least recently submitted) first; operators only.
func (s *Service) ReviewQueue(ctx context.Context, by auth.User, f QueueFilter) (Page, error) {
	return s.queue(ctx, by, f, `p.status = 'pending_review'`, nil, `p.updated_at, p.id`)
}

// ExpiringCertifications lists published products holding a certification
// that has expired or expires within CertificationWarningDays, the soonest
// expiry first; operators only.
func (s *Service) ExpiringCertifications(ctx context.Context, by auth.User, f QueueFilter) (Page, error) {
	until := CertificationWarningLimit(s.now())
	return s.queue(ctx, by, f, `p.status = 'published' AND EXISTS (SELECT 1 FROM certifications c
		WHERE c.product_id = p.id AND c.expires_on IS NOT NULL AND c.expires_on < ?)`, []any{until},
		`(SELECT MIN(c.expires_on) FROM certifications c WHERE c.product_id = p.id AND c.expires_on IS NOT NULL), p.id`)
}

// CertificationWarningLimit is the first day, after now, that no longer
// calls for a warning: certifications expiring before it are expired or
// about to.
func CertificationWarningLimit(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, CertificationWarningDays+1)
}

func (s *Service) queue(ctx context.Context, by auth.User, f QueueFilter, cond string, condArgs []any, order string) (Page, error) {
	if !by.IsOperator() {
		return Page{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	f.Page = max(f.Page, 1)
	if f.PerPage < 1 {
		f.PerPage = 20
	}
	f.PerPage = min(f.PerPage, 100)
	q := s.db.Read()
	where, args := []string{cond}, append([]any(nil), condArgs...)
	add := func(c string, a ...any) { where = append(where, c); args = append(args, a...) }
	if f.Vendor != "" {
		if id, err := strconv.ParseInt(f.Vendor, 10, 64); err == nil {
			add("p.vendor_id = ?", id)
		} else {
			add("v.slug = ?", f.Vendor)
		}
	}
	if words := strings.TrimSpace(f.Q); words != "" {
		if isbn, ok := NormalizeISBN(words); ok {
			add(`p.id IN (SELECT product_id FROM books WHERE isbn = ?)`, isbn)
		} else if c, a, ok := search.Match(q.Dialect(), "p.id", search.Query{Text: words}); ok {
			add("(p.slug = ? OR "+c+")", append([]any{words}, a...)...)
		} else {
			add("p.slug = ?", words)
		}
	}
	w := " WHERE " + strings.Join(where, " AND ")
	page := Page{Page: f.Page, PerPage: f.PerPage, Items: []Product{}}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM products p JOIN vendors v ON v.id = p.vendor_id`+w, args...).Scan(&page.Total); err != nil {
		return Page{}, fmt.Errorf("moderation queue: %w", err)
	}
	items, err := s.load(ctx, productSelect+w+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return Page{}, fmt.Errorf("moderation queue: %w", err)
	}
	page.Items = items
	return page, nil
}
