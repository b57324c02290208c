package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
)

// Service reads the ledger for the people allowed to see it and keeps the
// commission rules. Postings are not its business: they go through Post,
// in the transaction of each event.
type Service struct {
	db  *db.DB
	now func() time.Time
}

// NewService returns a Service on d; now is the clock (nil for time.Now).
func NewService(d *db.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, now: now}
}

// Part is an amount that falls due at one time.
type Part struct {
	DueAt  time.Time   `json:"due_at"`
	Amount money.Money `json:"amount"`
}

// Balance is what the marketplace owes a vendor in one currency, as its
// payable accounts say at a time.
type Balance struct {
	VendorID int64  `json:"vendor_id"`
	Currency string `json:"currency"`
	// Due may be paid now. It is negative when refunds or returns after a
	// payout took back more than the sales since: later sales pay it back.
	Due money.Money `json:"due"`
	// Pending falls due later, part by part, soonest first.
	Pending []Part `json:"pending"`
	// Undelivered is earned on paid parcels not delivered yet: it falls
	// due at delivery and the channel's delay after.
	Undelivered money.Money `json:"undelivered"`
	Total       money.Money `json:"total"`
}

// VendorBalance is vendorID's balance at now, one per currency (MAD first,
// always there): for operators and the vendor's own people; another
// vendor's people get errs.NotFound, customers errs.Forbidden, the
// anonymous errs.Unauthorized.
func (s *Service) VendorBalance(ctx context.Context, by auth.User, vendorID int64, now time.Time) ([]Balance, error) {
	if err := canReadVendor(by, vendorID); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT account, currency, due_at, SUM(amount) FROM ledger_entries
		WHERE vendor_id = ? AND account IN (?, ?) GROUP BY account, currency, due_at`, vendorID, VendorPayable, VendorUndelivered)
	if err != nil {
		return nil, fmt.Errorf("vendor balance: %w", err)
	}
	defer rows.Close()
	all := map[string]*Balance{}
	get := func(cur string) *Balance {
		b, ok := all[cur]
		if !ok {
			b = &Balance{VendorID: vendorID, Currency: cur, Due: money.New(0, cur), Undelivered: money.New(0, cur),
				Total: money.New(0, cur), Pending: []Part{}}
			all[cur] = b
		}
		return b
	}
	get(money.MAD)
	for rows.Next() {
		var account, cur string
		var due sql.NullTime
		var sum int64
		if err := rows.Scan(&account, &cur, &due, &sum); err != nil {
			return nil, fmt.Errorf("vendor balance: %w", err)
		}
		owed := -sum // the payable accounts' credit is what is owed
		b := get(cur)
		b.Total.Amount += owed
		switch {
		case account == VendorUndelivered:
			b.Undelivered.Amount += owed
		case !due.Time.After(now):
			b.Due.Amount += owed
		case owed != 0:
			b.Pending = append(b.Pending, Part{DueAt: due.Time.UTC(), Amount: money.New(owed, cur)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("vendor balance: %w", err)
	}
	out := make([]Balance, 0, len(all))
	for _, b := range all {
		slices.SortFunc(b.Pending, func(x, y Part) int { return x.DueAt.Compare(y.DueAt) })
		out = append(out, *b)
	}
	slices.SortFunc(out, func(x, y Balance) int { return money.CompareCurrency(x.Currency, y.Currency) })
	return out, nil
}

// canReadVendor: operators and the vendor's own people; another vendor's
// people get errs.NotFound (they may not learn it exists), customers
// errs.Forbidden, the anonymous errs.Unauthorized.
func canReadVendor(by auth.User, vendorID int64) error {
	switch {
	case by.ID == 0:
		return errs.E(errs.Unauthorized, "error.unauthorized")
	case by.IsOperator(), by.IsVendorUser() && by.VendorID == vendorID:
		return nil
	case by.IsVendorUser():
		return errs.NotFoundE("vendor")
	}
	return errs.E(errs.Forbidden, "error.forbidden")
}

// AccountBalance is one account's sums in one currency.
type AccountBalance struct {
	Account  string `json:"account"`
	Currency string `json:"currency"`
	Debits   int64  `json:"debits"`  // ≥ 0
	Credits  int64  `json:"credits"` // ≤ 0
	Balance  int64  `json:"balance"` // Debits + Credits
}

// TrialBalance is every account's balance; Totals (per currency) must be
// zero, or a transaction was posted unbalanced.
type TrialBalance struct {
	Accounts []AccountBalance `json:"accounts"`
	Totals   map[string]int64 `json:"totals"`
}

// Balanced reports whether every currency sums to zero.
func (t TrialBalance) Balanced() bool {
	for _, n := range t.Totals {
		if n != 0 {
			return false
		}
	}
	return true
}

// TrialBalance sums every account, by account and currency; operators
// only (errs.Forbidden).
func (s *Service) TrialBalance(ctx context.Context, by auth.User) (TrialBalance, error) {
	if !by.IsOperator() {
		return TrialBalance{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	return Trial(ctx, s.db.Read())
}

// Trial sums every account through q, by account and currency, for
// TrialBalance and the checks.
func Trial(ctx context.Context, q db.Querier) (TrialBalance, error) {
	rows, err := q.QueryContext(ctx, `SELECT account, currency, SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END),
		SUM(CASE WHEN amount < 0 THEN amount ELSE 0 END) FROM ledger_entries GROUP BY account, currency ORDER BY account, currency`)
	if err != nil {
		return TrialBalance{}, fmt.Errorf("trial balance: %w", err)
	}
	defer rows.Close()
	t := TrialBalance{Accounts: []AccountBalance{}, Totals: map[string]int64{}}
	for rows.Next() {
		var a AccountBalance
		if err := rows.Scan(&a.Account, &a.Currency, &a.Debits, &a.Credits); err != nil {
			return TrialBalance{}, fmt.Errorf("trial balance: %w", err)
		}
		a.Balance = a.Debits + a.Credits
		t.Accounts = append(t.Accounts, a)
		t.Totals[a.Currency] += a.Balance
	}
	return t, rows.Err()
}

// Unbalanced lists the transactions whose entries do not sum to zero in
// some currency (none, unless something wrote around Post).
func Unbalanced(ctx context.Context, q db.Querier) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT transaction_id FROM ledger_entries GROUP BY transaction_id, currency
		HAVING SUM(amount) <> 0 ORDER BY transaction_id`)
	if err != nil {
		return nil, fmt.Errorf("unbalanced transactions: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("unbalanced transactions: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
