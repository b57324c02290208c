package payout

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/ledger"
	"souk/internal/money"
)

// Batch is one run that made transfers (or a scheduled run that found
// nothing due: Count 0).
type Batch struct {
	ID        int64         `json:"id"`
	Number    string        `json:"number"`
	Slot      string        `json:"slot,omitempty"`
	Source    Source        `json:"source"`
	StartedBy int64         `json:"started_by,omitempty"` // 0: the machine
	AsOf      time.Time     `json:"as_of"`
	Count     int           `json:"count"`
	Totals    []money.Money `json:"totals"`
	Sent      int           `json:"sent"`
	Confirmed int           `json:"confirmed"`
	Failed    int           `json:"failed"`
}

// Batches lists runs, newest first, perPage (1..100) at a time from page
// 1, and how many there are; empty scheduled runs are left out unless
// withEmpty. Admins only.
func (s *Service) Batches(ctx context.Context, by auth.User, page, perPage int, withEmpty bool) ([]Batch, int, error) {
	if err := canRead(by); err != nil {
		return nil, 0, err
	}
	perPage = min(max(perPage, 1), 100)
	page = max(page, 1)
	where := `WHERE EXISTS (SELECT 1 FROM payouts p WHERE p.batch_id = b.id)`
	if withEmpty {
		where = ``
	}
	q := s.db.Read()
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM payout_batches b `+where).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("payout batches: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT b.id, COALESCE(b.slot, ''), b.source, COALESCE(b.started_by, 0), b.as_of
		FROM payout_batches b `+where+` ORDER BY b.id DESC LIMIT ? OFFSET ?`, perPage, (page-1)*perPage)
	if err != nil {
		return nil, 0, fmt.Errorf("payout batches: %w", err)
	}
	var out []Batch
	for rows.Next() {
		var b Batch
		if err := rows.Scan(&b.ID, &b.Slot, &b.Source, &b.StartedBy, &b.AsOf); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("payout batches: %w", err)
		}
		b.Number, b.AsOf = BatchNumber(b.ID), b.AsOf.UTC()
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("payout batches: %w", err)
	}
	for i := range out {
		ps, err := batchPayouts(ctx, q, out[i].ID)
		if err != nil {
			return nil, 0, err
		}
		out[i].count(ps)
	}
	return out, total, nil
}

func (b *Batch) count(ps []Payout) {
	b.Count, b.Sent, b.Confirmed, b.Failed = len(ps), 0, 0, 0
	for _, p := range ps {
		switch p.Status {
		case Sent:
			b.Sent++
		case Confirmed:
			b.Confirmed++
		case Failed:
			b.Failed++
		}
	}
	b.Totals = totals(ps)
}

// Batch returns one batch and its transfers, by vendor name. Admins only.
func (s *Service) Batch(ctx context.Context, by auth.User, id int64) (Batch, []Payout, error) {
	if err := canRead(by); err != nil {
		return Batch{}, nil, err
	}
	return batch(ctx, s.db.Read(), id)
}

func batch(ctx context.Context, q db.Querier, id int64) (Batch, []Payout, error) {
	b := Batch{ID: id, Number: BatchNumber(id)}
	err := q.QueryRowContext(ctx, `SELECT COALESCE(slot, ''), source, COALESCE(started_by, 0), as_of FROM payout_batches WHERE id = ?`, id).
		Scan(&b.Slot, &b.Source, &b.StartedBy, &b.AsOf)
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, nil, errs.NotFoundE("payout_batch")
	}
	if err != nil {
		return Batch{}, nil, fmt.Errorf("payout batch %d: %w", id, err)
	}
	b.AsOf = b.AsOf.UTC()
	ps, err := batchPayouts(ctx, q, id)
	if err != nil {
		return Batch{}, nil, err
	}
	b.count(ps)
	return b, ps, nil
}

func batchPayouts(ctx context.Context, q db.Querier, batchID int64) ([]Payout, error) {
	return listPayouts(ctx, q, `WHERE p.batch_id = ? ORDER BY p.beneficiary, p.id`, batchID)
}

func listPayouts(ctx context.Context, q db.Querier, where string, args ...any) ([]Payout, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+payoutColumns+` FROM payouts p `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("payouts: %w", err)
	}
	defer rows.Close()
	out := []Payout{}
	for rows.Next() {
		p, err := scanPayout(rows)
		if err != nil {
			return nil, fmt.Errorf("payouts: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Get returns one payout. Admins, and the vendor's own people (others get
// errs.NotFound).
func (s *Service) Get(ctx context.Context, by auth.User, id int64) (Payout, error) {
	if by.ID == 0 {
		return Payout{}, errs.E(errs.Unauthorized, "error.unauthorized")
	}
	p, err := byID(ctx, s.db.Read(), id)
	switch {
	case errors.Is(err, errNotFound):
		return Payout{}, errs.NotFoundE("payout")
	case err != nil:
		return Payout{}, err
	case by.Role == auth.RoleAdmin, by.IsVendorUser() && by.VendorID == p.VendorID:
		return p, nil
	case by.IsVendorUser():
		return Payout{}, errs.NotFoundE("payout")
	}
	return Payout{}, errs.E(errs.Forbidden, "error.forbidden")
}

// VendorPayouts lists a vendor's transfers, newest first, at most limit
// (1..500): its own people and admins.
func (s *Service) VendorPayouts(ctx context.Context, by auth.User, vendorID int64, limit int) ([]Payout, error) {
	switch {
	case by.ID == 0:
		return nil, errs.E(errs.Unauthorized, "error.unauthorized")
	case by.Role == auth.RoleAdmin, by.IsVendorUser() && by.VendorID == vendorID:
	case by.IsVendorUser():
		return nil, errs.NotFoundE("vendor")
	default:
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	limit = min(max(limit, 1), 500)
	return listPayouts(ctx, s.db.Read(), `WHERE p.vendor_id = ? ORDER BY p.id DESC LIMIT ?`, vendorID, limit)
}

// VendorOwed is what the marketplace owes one vendor in one currency, for
// the console's list of balances.
type VendorOwed struct {
	VendorID    int64       `json:"vendor_id"`
	Name        string      `json:"name"`
	Slug        string      `json:"slug"`
	Status      string      `json:"status"`
	RIBValid    bool        `json:"rib_valid"`
	Due         money.Money `json:"due"`         // may be paid now (negative: the vendor owes it back)
	Pending     money.Money `json:"pending"`     // falls due later
	Undelivered money.Money `json:"undelivered"` // waits for delivery
	InTransit   money.Money `json:"in_transit"`  // sent, not confirmed yet
	// Held says why the next run will not pay Due: HeldNoRIB,
	// HeldNotApproved, or "" when it will (or nothing is due).
	Held string `json:"held,omitempty"`
}

// Owed lists every vendor the marketplace owes anything (or that owes it),
// the most due first. Admins only.
func (s *Service) Owed(ctx context.Context, by auth.User) ([]VendorOwed, error) {
	if err := canRead(by); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	rows, err := s.db.Read().QueryContext(ctx, `SELECT e.vendor_id, e.currency, v.legal_name, v.slug, v.status, v.rib,
			SUM(CASE WHEN e.account = ? AND e.due_at <= ? THEN -e.amount ELSE 0 END),
			SUM(CASE WHEN e.account = ? AND e.due_at > ? THEN -e.amount ELSE 0 END),
			SUM(CASE WHEN e.account = ? THEN -e.amount ELSE 0 END),
			SUM(CASE WHEN e.account = ? THEN -e.amount ELSE 0 END)
		FROM ledger_entries e JOIN vendors v ON v.id = e.vendor_id
		WHERE e.account IN (?, ?, ?)
		GROUP BY e.vendor_id, e.currency, v.legal_name, v.slug, v.status, v.rib`,
		ledger.VendorPayable, now, ledger.VendorPayable, now, ledger.VendorUndelivered, ledger.PayoutsInTransit,
		ledger.VendorPayable, ledger.VendorUndelivered, ledger.PayoutsInTransit)
	if err != nil {
		return nil, fmt.Errorf("balances: %w", err)
	}
	defer rows.Close()
	var out []VendorOwed
	for rows.Next() {
		var o VendorOwed
		var cur, rib string
		var due, pending, undelivered, transit int64
		if err := rows.Scan(&o.VendorID, &cur, &o.Name, &o.Slug, &o.Status, &rib, &due, &pending, &undelivered, &transit); err != nil {
			return nil, fmt.Errorf("balances: %w", err)
		}
		if due == 0 && pending == 0 && undelivered == 0 && transit == 0 {
			continue
		}
		o.RIBValid = validRIB(rib)
		o.Due, o.Pending, o.Undelivered, o.InTransit = money.New(due, cur), money.New(pending, cur), money.New(undelivered, cur), money.New(transit, cur)
		switch {
		case due <= 0:
		case o.Status != "approved":
			o.Held = HeldNotApproved
		case !o.RIBValid:
			o.Held = HeldNoRIB
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("balances: %w", err)
	}
	// MAD first, the most due first, then by name.
	slices.SortFunc(out, func(a, b VendorOwed) int {
		if c := money.CompareCurrency(a.Due.Currency, b.Due.Currency); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Due.Amount, a.Due.Amount); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// BankFileColumns is the header of the bank transfer file (docs/PAYOUTS.md).
var BankFileColumns = []string{"reference", "beneficiary", "rib", "amount", "currency", "narrative"}

// BankFile is a batch's bank transfer file: CSV (UTF-8, comma, header
// line), one line per transfer made in the batch, failed ones included
// (the file is what was sent to the bank). Its name is the batch number.
// Admins and the machine.
func (s *Service) BankFile(ctx context.Context, by auth.User, batchID int64) (string, []byte, error) {
	if err := canSettle(by); err != nil {
		return "", nil, err
	}
	b, ps, err := batch(ctx, s.db.Read(), batchID)
	if err != nil {
		return "", nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(BankFileColumns)
	for _, p := range ps {
		_ = w.Write([]string{p.Reference, guard(p.Beneficiary), p.RIB, money.Decimal(p.Amount), p.Amount.Currency,
			"souk " + p.Reference + " " + b.Number})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return "", nil, fmt.Errorf("bank file: %w", err)
	}
	return b.Number + ".csv", buf.Bytes(), nil
}

// guard keeps a spreadsheet from reading a name as a formula.
func guard(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
