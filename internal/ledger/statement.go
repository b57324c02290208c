package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"souk/internal/auth"
	"souk/internal/money"
)

// A vendor's statement is its account with the marketplace over a period:
// what souk owed it at the start (the opening balance), each journal
// transaction that touched it, and what souk owed it at the end (the
// closing balance). The balance is the one a treasurer reconciles, "what
// souk still owes us": the credit on the vendor's two payable accounts
// (payable:vendor and payable:vendor:undelivered), due or not, delivered
// or not — what VendorBalance calls Total. A payout lowers it when it is
// sent (the money has left souk's hands for the bank); when the bank
// confirms the transfer nothing the vendor is owed moves (payouts:in_transit
// → bank), but the line is kept, with a net of zero, so the statement shows
// that the transfer arrived; a failed transfer raises it again.

// StatementLine is one journal transaction as the vendor's statement
// shows it, in one currency.
type StatementLine struct {
	At       time.Time // when it was posted
	Kind     string    // payment.captured, cod.collected, sale.delivered, sale.cancelled, sale.returned, payment.refunded, payout.sent, payout.confirmed, payout.failed
	Document string    // the order number, or the payout's reference
	// Sales is the items' price, VAT included, that the line adds to the
	// vendor's sales (the earning and the commission together); negative
	// when a cancellation, a return or a refund takes it back. Payouts
	// have none.
	Sales money.Money
	// Commission is what souk keeps of it, VAT included; negative when
	// given back.
	Commission money.Money
	// Net is how much the line changes what souk owes the vendor.
	Net money.Money
	// DueAt is set when a sale's line makes money due at a date (a
	// delivery, a payment after delivery): the latest due date it credits
	// on payable:vendor. Payouts move parts already due and show none.
	DueAt time.Time
	// Balance is what souk owes the vendor after the line.
	Balance money.Money
}

// Statement is a vendor's statement in one currency for [From, To).
type Statement struct {
	VendorID int64
	Currency string
	From, To time.Time
	Opening  money.Money // what souk owed the vendor at From
	Lines    []StatementLine
	// The lines' totals; Closing = Opening + Net, what souk owed at To.
	Sales, Commission, Net money.Money
	Closing                money.Money
}

// Statement is vendorID's statement for [from, to), one per currency (MAD
// first, always there; another currency when it has a balance or lines),
// the lines in the order they were posted. The caller chooses the period,
// a month on Casablanca's calendar for the portal. Who may read it is who
// may read VendorBalance: operators and the vendor's own people; another
// vendor's people get errs.NotFound, customers errs.Forbidden, the
// anonymous errs.Unauthorized.
func (s *Service) Statement(ctx context.Context, by auth.User, vendorID int64, from, to time.Time) ([]Statement, error) {
	if err := canReadVendor(by, vendorID); err != nil {
		return nil, err
	}
	if !from.Before(to) {
		return nil, fmt.Errorf("statement of vendor %d: the period %v–%v is empty", vendorID, from, to)
	}
	from, to = from.UTC(), to.UTC()
	all := map[string]*Statement{}
	get := func(cur string) *Statement {
		st, ok := all[cur]
		if !ok {
			st = &Statement{VendorID: vendorID, Currency: cur, From: from, To: to, Opening: money.New(0, cur), Lines: []StatementLine{},
				Sales: money.New(0, cur), Commission: money.New(0, cur), Net: money.New(0, cur)}
			all[cur] = st
		}
		return st
	}
	get(money.MAD)

	q := s.db.Read()
	rows, err := q.QueryContext(ctx, `SELECT e.currency, SUM(e.amount) FROM ledger_entries e
		JOIN ledger_transactions t ON t.id = e.transaction_id
		WHERE e.vendor_id = ? AND e.account IN (?, ?) AND t.created_at < ? GROUP BY e.currency`,
		vendorID, VendorPayable, VendorUndelivered, from)
	if err != nil {
		return nil, fmt.Errorf("statement opening: %w", err)
	}
	for rows.Next() {
		var cur string
		var sum int64
		if err := rows.Scan(&cur, &sum); err != nil {
			rows.Close()
			return nil, fmt.Errorf("statement opening: %w", err)
		}
		if sum != 0 {
			get(cur).Opening.Amount = -sum
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("statement opening: %w", err)
	}

	// Every entry of the vendor's in the period, a transaction's together.
	rows, err = q.QueryContext(ctx, `SELECT t.id, t.kind, t.document, t.created_at, e.account, e.currency, e.amount, e.due_at
		FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
		WHERE e.vendor_id = ? AND t.created_at >= ? AND t.created_at < ?
		ORDER BY t.created_at, t.id, e.currency, e.id`, vendorID, from, to)
	if err != nil {
		return nil, fmt.Errorf("statement lines: %w", err)
	}
	defer rows.Close()
	type key struct {
		tx  int64
		cur string
	}
	var order []key
	lines := map[key]*StatementLine{}
	payout := map[key]bool{}
	for rows.Next() {
		var id, amount int64
		var kind, document, account, cur string
		var at time.Time
		var due sql.NullTime
		if err := rows.Scan(&id, &kind, &document, &at, &account, &cur, &amount, &due); err != nil {
			return nil, fmt.Errorf("statement lines: %w", err)
		}
		k := key{id, cur}
		l, ok := lines[k]
		if !ok {
			l = &StatementLine{At: at.UTC(), Kind: kind, Document: document,
				Sales: money.New(0, cur), Commission: money.New(0, cur), Net: money.New(0, cur)}
			lines[k] = l
			order = append(order, k)
		}
		switch account {
		case VendorPayable, VendorUndelivered:
			l.Net.Amount -= amount
			if account == VendorPayable && amount < 0 && due.Valid && due.Time.After(l.DueAt) {
				l.DueAt = due.Time.UTC()
			}
		case CommissionRevenue, CommissionVAT:
			l.Commission.Amount -= amount
		case PayoutsInTransit:
			payout[k] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("statement lines: %w", err)
	}
	for _, k := range order {
		l := lines[k]
		if payout[k] {
			l.DueAt = time.Time{}
		} else {
			// A sale's earning and commission are its items' price.
			l.Sales.Amount = l.Net.Amount + l.Commission.Amount
		}
		st := get(k.cur)
		st.Lines = append(st.Lines, *l)
	}

	out := make([]Statement, 0, len(all))
	for _, st := range all {
		balance := st.Opening.Amount
		for i := range st.Lines {
			l := &st.Lines[i]
			balance += l.Net.Amount
			l.Balance = money.New(balance, st.Currency)
			st.Sales.Amount += l.Sales.Amount
			st.Commission.Amount += l.Commission.Amount
			st.Net.Amount += l.Net.Amount
		}
		st.Closing = money.New(balance, st.Currency)
		out = append(out, *st)
	}
	slices.SortFunc(out, func(x, y Statement) int { return money.CompareCurrency(x.Currency, y.Currency) })
	return out, nil
}
