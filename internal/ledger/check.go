package ledger

import (
	"context"
	"fmt"
	"time"

	"souk/internal/db"
)

// CheckReport is what `souk ledger check` finds on a live database.
type CheckReport struct {
	Transactions int              `json:"transactions"`
	Entries      int              `json:"entries"`
	Totals       map[string]int64 `json:"totals"` // per currency: zero when the book balances
	Problems     []string         `json:"problems"`
}

// OK reports whether every invariant held.
func (r CheckReport) OK() bool { return len(r.Problems) == 0 }

// Check verifies the book's invariants: every journal transaction sums to
// zero in each currency, and so does the whole book; and no earning was
// paid out twice (Overpaid). Package payout checks its own rows against
// the book (payout.Check).
func Check(ctx context.Context, q db.Querier) (CheckReport, error) {
	var r CheckReport
	if err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM ledger_transactions), (SELECT COUNT(*) FROM ledger_entries)`).
		Scan(&r.Transactions, &r.Entries); err != nil {
		return r, fmt.Errorf("ledger check: %w", err)
	}
	trial, err := Trial(ctx, q)
	if err != nil {
		return r, err
	}
	r.Totals = trial.Totals
	for cur, n := range trial.Totals {
		if n != 0 {
			r.Problems = append(r.Problems, fmt.Sprintf("the book does not sum to zero in %s: %d", cur, n))
		}
	}
	ids, err := Unbalanced(ctx, q)
	if err != nil {
		return r, err
	}
	for _, id := range ids {
		r.Problems = append(r.Problems, fmt.Sprintf("journal transaction %d does not sum to zero", id))
	}
	over, err := Overpaid(ctx, q)
	if err != nil {
		return r, err
	}
	for _, o := range over {
		r.Problems = append(r.Problems, fmt.Sprintf("vendor %d was paid %d %s of the earnings due %s, which were %d: paid twice",
			o.VendorID, o.Paid, o.Currency, o.DueAt.Format(time.RFC3339), o.Earned))
	}
	return r, nil
}

// Overpayment is an earning paid out more than it was earned.
type Overpayment struct {
	VendorID     int64
	Currency     string
	DueAt        time.Time
	Earned, Paid int64
}

// Overpaid lists the vendors' earnings that payouts took more of than was
// ever earned: per vendor, currency and due date, what payout
// transactions (kinds "payout.…": sent, less failed) took from
// payable:vendor must not exceed what the sales credited there. A refund
// after a payout does not count as earned or paid: it leaves the vendor
// owing, which is allowed; a second payout of the same earning is not.
func Overpaid(ctx context.Context, q db.Querier) ([]Overpayment, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.vendor_id, e.currency, e.due_at,
			SUM(CASE WHEN t.kind NOT LIKE 'payout.%' AND e.amount < 0 THEN -e.amount ELSE 0 END),
			SUM(CASE WHEN t.kind LIKE 'payout.%' THEN e.amount ELSE 0 END)
		FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
		WHERE e.account = ? GROUP BY e.vendor_id, e.currency, e.due_at
		HAVING SUM(CASE WHEN t.kind LIKE 'payout.%' THEN e.amount ELSE 0 END) >
			SUM(CASE WHEN t.kind NOT LIKE 'payout.%' AND e.amount < 0 THEN -e.amount ELSE 0 END)
		ORDER BY e.vendor_id, e.due_at`, VendorPayable)
	if err != nil {
		return nil, fmt.Errorf("overpaid earnings: %w", err)
	}
	defer rows.Close()
	var out []Overpayment
	for rows.Next() {
		var o Overpayment
		if err := rows.Scan(&o.VendorID, &o.Currency, &o.DueAt, &o.Earned, &o.Paid); err != nil {
			return nil, fmt.Errorf("overpaid earnings: %w", err)
		}
		o.DueAt = o.DueAt.UTC()
		out = append(out, o)
	}
	return out, rows.Err()
}
