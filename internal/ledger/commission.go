package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/text"
	"souk/internal/vendor"
)

// DefaultRateBP is the commission the migration seeds for every sale: 10%.
const DefaultRateBP = 1000

// Rule is a commission rule: a rate for sales by a kind of vendor, of a
// category (and its subcategories), through a channel — any of them empty
// meaning any — from EffectiveFrom until a rule for the same three starts.
type Rule struct {
	ID            int64     `json:"id"`
	VendorKind    string    `json:"vendor_kind,omitempty"` // "" any kind
	CategoryID    int64     `json:"category_id,omitempty"` // 0 any category
	Channel       string    `json:"channel,omitempty"`     // "" any channel
	RateBP        int       `json:"rate_bp"`               // 1000 = 10%; 0 for a solidarity programme
	EffectiveFrom time.Time `json:"effective_from"`
	Note          string    `json:"note,omitempty"`
	SetBy         int64     `json:"set_by,omitempty"` // 0: the migration
	SetAt         time.Time `json:"set_at"`
}

// Rates are the rules in force at one time, to price several lines (an
// order's) with one read.
type Rates struct {
	rules  []Rule
	parent map[int64]int64 // category → its parent (0 at the top)
}

// RatesAt reads the rules in force at `at` and the category tree.
func RatesAt(ctx context.Context, q db.Querier, at time.Time) (*Rates, error) {
	rules, err := readRules(ctx, q, `WHERE effective_from <= ?`, at.UTC())
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0) FROM categories`)
	if err != nil {
		return nil, fmt.Errorf("commission rates: %w", err)
	}
	defer rows.Close()
	r := &Rates{rules: rules, parent: map[int64]int64{}}
	for rows.Next() {
		var id, parent int64
		if err := rows.Scan(&id, &parent); err != nil {
			return nil, fmt.Errorf("commission rates: %w", err)
		}
		r.parent[id] = parent
	}
	return r, rows.Err()
}

// Rate is the rate of the most specific rule for a sale by a vendor of
// vendorKind, of a product in categoryID (0: unknown), through channel.
// The more of the three a rule names, the more specific it is; between as
// many, vendor kind counts first, then category (the nearest ancestor
// first), then channel; between rules for the same three, the latest to
// start. False when no rule applies (the seeded default always does).
func (r *Rates) Rate(vendorKind string, categoryID int64, channel string) (int, bool) {
	depth := map[int64]int{} // categoryID and its ancestors, by distance
	for c, d := categoryID, 0; c != 0 && d < 64; c, d = r.parent[c], d+1 {
		if _, seen := depth[c]; seen {
			break
		}
		depth[c] = d
	}
	type score struct {
		named, kind, category, channel int
		from                           time.Time
		id                             int64
	}
	better := func(a, b score) bool {
		for _, p := range [][2]int{{a.named, b.named}, {a.kind, b.kind}, {a.category, b.category}, {a.channel, b.channel}} {
			if p[0] != p[1] {
				return p[0] > p[1]
			}
		}
		if !a.from.Equal(b.from) {
			return a.from.After(b.from)
		}
		return a.id > b.id
	}
	best, found, rate := score{}, false, 0
	for _, rule := range r.rules {
		s := score{from: rule.EffectiveFrom, id: rule.ID}
		if rule.VendorKind != "" {
			if rule.VendorKind != vendorKind {
				continue
			}
			s.named, s.kind = s.named+1, 1
		}
		if rule.CategoryID != 0 {
			d, ok := depth[rule.CategoryID]
			if !ok {
				continue
			}
			s.named, s.category = s.named+1, 64-d
		}
		if rule.Channel != "" {
			if rule.Channel != channel {
				continue
			}
			s.named, s.channel = s.named+1, 1
		}
		if !found || better(s, best) {
			best, found, rate = s, true, rule.RateBP
		}
	}
	return rate, found
}

// CommissionRate is the commission, in basis points, on a sale by a vendor
// of vendorKind, of a product in categoryID, through channel, by the rules
// in force at `at` (the order's placement); see Rates.Rate.
func CommissionRate(ctx context.Context, q db.Querier, vendorKind string, categoryID int64, channel string, at time.Time) (int, error) {
	r, err := RatesAt(ctx, q, at)
	if err != nil {
		return 0, err
	}
	rate, ok := r.Rate(vendorKind, categoryID, channel)
	if !ok {
		return 0, fmt.Errorf("commission rate: no rule in force at %s", at.UTC().Format(time.RFC3339))
	}
	return rate, nil
}

func readRules(ctx context.Context, q db.Querier, where string, args ...any) ([]Rule, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(vendor_kind, ''), COALESCE(category_id, 0), COALESCE(channel, ''),
		rate_bp, effective_from, note, COALESCE(created_by, 0), created_at FROM commission_rules `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("commission rules: %w", err)
	}
	defer rows.Close()
	var out []Rule
	for rows.Next() {
		var r Rule
		if err := rows.Scan(&r.ID, &r.VendorKind, &r.CategoryID, &r.Channel, &r.RateBP, &r.EffectiveFrom, &r.Note,
			&r.SetBy, &r.SetAt); err != nil {
			return nil, fmt.Errorf("commission rules: %w", err)
		}
		r.EffectiveFrom, r.SetAt = r.EffectiveFrom.UTC(), r.SetAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// CommissionRules lists every rule ever set, oldest first; operators only
// (errs.Forbidden).
func (s *Service) CommissionRules(ctx context.Context, by auth.User) ([]Rule, error) {
	if !by.IsOperator() {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	return readRules(ctx, s.db.Read(), "")
}

// SetCommissionRule adds a rule; admins only (errs.Forbidden). It takes
// effect at r.EffectiveFrom (now when zero), which may not be in the past:
// a rule never changes the commission of an order already placed. A rule
// for the same kind, category and channel starting later replaces this one
// from then on. Bad fields are named (rate_bp, vendor_kind, category_id,
// channel, effective_from, note); the change is in the audit log, with the
// rule it replaces for that key.
func (s *Service) SetCommissionRule(ctx context.Context, by auth.User, r Rule) (Rule, error) {
	if by.Role != auth.RoleAdmin {
		return Rule{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	now := s.now().UTC()
	r.ID, r.SetBy, r.SetAt = 0, by.ID, now
	r.Note = text.Clean(r.Note)
	if r.EffectiveFrom.IsZero() {
		r.EffectiveFrom = now
	}
	r.EffectiveFrom = r.EffectiveFrom.UTC()
	f := errs.Fields{}
	if r.RateBP < 0 || r.RateBP > 10000 {
		f.Add("rate_bp", "field.out_of_range")
	}
	if r.VendorKind != "" && !vendor.Kind(r.VendorKind).Valid() {
		f.Add("vendor_kind", "field.enum")
	}
	if r.CategoryID < 0 {
		f.Add("category_id", "field.not_found")
	}
	if r.EffectiveFrom.Before(now) {
		f.Add("effective_from", "commission.effective_past")
	}
	if p := text.Check(r.Note, false, 500); p != "" {
		f.Add("note", p)
	}
	if err := f.Err(); err != nil {
		return Rule{}, err
	}
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		if r.CategoryID != 0 {
			if err := exists(ctx, tx, `SELECT 1 FROM categories WHERE id = ?`, r.CategoryID); err != nil {
				return fieldErr(err, "category_id")
			}
		}
		if r.Channel != "" {
			if err := exists(ctx, tx, `SELECT 1 FROM sales_channels WHERE code = ?`, r.Channel); err != nil {
				return fieldErr(err, "channel")
			}
		}
		before, err := readRules(ctx, tx, `WHERE COALESCE(vendor_kind, '') = ? AND COALESCE(category_id, 0) = ? AND COALESCE(channel, '') = ?
			AND effective_from <= ?`, r.VendorKind, r.CategoryID, r.Channel, r.EffectiveFrom)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO commission_rules (vendor_kind, category_id, channel, rate_bp, effective_from, note,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, nullString(r.VendorKind), nullInt(r.CategoryID),
			nullString(r.Channel), r.RateBP, r.EffectiveFrom, r.Note, nullInt(by.ID), now).Scan(&r.ID)
		if db.IsUniqueViolation(err) {
			return errs.Fields{"effective_from": "field.taken"}.Err()
		}
		if err != nil {
			return err
		}
		var replaced any
		for i := range before {
			if i == 0 || !before[i].EffectiveFrom.Before(replaced.(Rule).EffectiveFrom) {
				replaced = before[i]
			}
		}
		return audit.Record(ctx, tx, by, "commission_rule.set", "commission_rule", r.ID, replaced, r, now)
	})
	if err != nil {
		return Rule{}, fmt.Errorf("set commission rule: %w", err)
	}
	return r, nil
}

func exists(ctx context.Context, tx db.Querier, query string, arg any) error {
	var one int
	return tx.QueryRowContext(ctx, query, arg).Scan(&one)
}

func fieldErr(err error, field string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Fields{field: "field.not_found"}.Err()
	}
	return err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
