package payout

import (
	"context"
	"fmt"

	"souk/internal/db"
	"souk/internal/ledger"
)

// Check verifies the payouts against the book, for souk ledger check: each
// transfer has its payout.sent posting of its amount, a confirmed one its
// payout.confirmed, a failed one its payout.failed and no other, and every
// posting has its transfer; each vendor's payouts:in_transit holds exactly
// its transfers still sent. It returns the problems found.
func Check(ctx context.Context, q db.Querier) ([]string, error) {
	type posted struct{ sent, confirmed, failed int64 } // the in_transit amount each moved
	book := map[string]*posted{}
	rows, err := q.QueryContext(ctx, `SELECT t.kind, t.reference, SUM(e.amount) FROM ledger_transactions t
		JOIN ledger_entries e ON e.transaction_id = t.id
		WHERE t.kind IN (?, ?, ?) AND e.account = ? GROUP BY t.kind, t.reference`,
		LedgerSent, LedgerConfirmed, LedgerFailed, ledger.PayoutsInTransit)
	if err != nil {
		return nil, fmt.Errorf("payouts check: %w", err)
	}
	for rows.Next() {
		var kind, ref string
		var amount int64
		if err := rows.Scan(&kind, &ref, &amount); err != nil {
			rows.Close()
			return nil, fmt.Errorf("payouts check: %w", err)
		}
		p := book[ref]
		if p == nil {
			p = &posted{}
			book[ref] = p
		}
		switch kind {
		case LedgerSent:
			p.sent = -amount
		case LedgerConfirmed:
			p.confirmed = amount
		case LedgerFailed:
			p.failed = amount
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("payouts check: %w", err)
	}
	ps, err := listPayouts(ctx, q, `ORDER BY p.id`)
	if err != nil {
		return nil, err
	}
	var problems []string
	inTransit := map[[2]any]int64{}
	for _, p := range ps {
		b := book[p.Reference]
		delete(book, p.Reference)
		if b == nil {
			b = &posted{}
		}
		want := posted{sent: p.Amount.Amount}
		switch p.Status {
		case Confirmed:
			want.confirmed = p.Amount.Amount
		case Failed:
			want.failed = p.Amount.Amount
		case Sent:
			inTransit[[2]any{p.VendorID, p.Amount.Currency}] += p.Amount.Amount
		}
		if *b != want {
			problems = append(problems, fmt.Sprintf("payout %s (%s, %d %s) is not in the ledger as it stands: sent %d, confirmed %d, failed %d",
				p.Reference, p.Status, p.Amount.Amount, p.Amount.Currency, b.sent, b.confirmed, b.failed))
		}
	}
	for ref := range book {
		problems = append(problems, fmt.Sprintf("ledger posting %s has no payout", ref))
	}
	rows, err = q.QueryContext(ctx, `SELECT COALESCE(vendor_id, 0), currency, SUM(amount) FROM ledger_entries WHERE account = ?
		GROUP BY vendor_id, currency`, ledger.PayoutsInTransit)
	if err != nil {
		return nil, fmt.Errorf("payouts check: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var vendorID int64
		var currency string
		var sum int64
		if err := rows.Scan(&vendorID, &currency, &sum); err != nil {
			return nil, fmt.Errorf("payouts check: %w", err)
		}
		k := [2]any{vendorID, currency}
		if -sum != inTransit[k] {
			problems = append(problems, fmt.Sprintf("vendor %d: %s holds %d %s, its transfers still sent %d", vendorID, ledger.PayoutsInTransit, -sum, currency, inTransit[k]))
		}
		delete(inTransit, k)
	}
	for k, n := range inTransit {
		problems = append(problems, fmt.Sprintf("vendor %v: transfers of %d %v still sent are not in %s", k[0], n, k[1], ledger.PayoutsInTransit))
	}
	return problems, rows.Err()
}
