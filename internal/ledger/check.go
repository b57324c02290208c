package ledger

import (
	"context"
	"fmt"

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
// zero in each currency, and so does the whole book. (Payouts, when they
// come, add theirs: no payable paid twice.)
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
	return r, nil
}
