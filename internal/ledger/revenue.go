package ledger

import (
	"context"
	"fmt"
	"slices"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
)

// MonthRevenue is the commission the marketplace earned in one calendar
// month on Casablanca's clocks, in one currency: what sales brought in
// that month less what cancellations, returns and refunds made that month
// took back.
type MonthRevenue struct {
	Month    time.Time   `json:"month"` // the month's first instant, in Casablanca
	Currency string      `json:"currency"`
	Net      money.Money `json:"net"`    // commission net of VAT (revenue:commission)
	VAT      money.Money `json:"vat"`    // the VAT inside it (vat:commission)
	Total    money.Money `json:"total"`  // Net + VAT: the commission as charged
	Orders   int         `json:"orders"` // documents (orders) whose postings moved it
}

// monthStart is the first instant of the Casablanca calendar month t falls in.
func monthStart(t time.Time) time.Time {
	l := t.In(Casablanca)
	return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, Casablanca)
}

// CommissionRevenue is the commission revenue of the Casablanca months
// from the one from falls in up to, not including, the one to falls in:
// per month (oldest first) and currency (MAD first); months without any
// are left out. Operators only (errs.Forbidden; the anonymous errs.Unauthorized).
func (s *Service) CommissionRevenue(ctx context.Context, by auth.User, from, to time.Time) ([]MonthRevenue, error) {
	switch {
	case by.ID == 0:
		return nil, errs.E(errs.Unauthorized, "error.unauthorized")
	case !by.IsOperator():
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	return commissionRevenue(ctx, s.db.Read(), monthStart(from), monthStart(to))
}

// commissionRevenue groups in SQL by UTC hour, which neither dialect needs
// a time-zone database for, and folds the hours into Casablanca months
// here: Casablanca is a whole number of hours from UTC (+1, +0 during
// Ramadan), so an hour never straddles two of its months. The document is
// in the grouping too, so an order posted in several hours of a month
// (paid, then refunded) counts once.
func commissionRevenue(ctx context.Context, q db.Querier, from, to time.Time) ([]MonthRevenue, error) {
	// Both give "2026-11-30 23". SQLite stores times as text in UTC
	// ("2026-11-30 23:30:00+00:00": Post writes t.At.UTC()); PostgreSQL's
	// timestamptz is read in UTC whatever the session's time zone.
	hour := `substr(t.created_at, 1, 13)`
	if q.Dialect() == db.Postgres {
		hour = `to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+hour+`, e.currency, t.document,
			SUM(CASE WHEN e.account = ? THEN -e.amount ELSE 0 END), SUM(CASE WHEN e.account = ? THEN -e.amount ELSE 0 END)
		FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
		WHERE e.account IN (?, ?) AND t.created_at >= ? AND t.created_at < ?
		GROUP BY `+hour+`, e.currency, t.document`,
		CommissionRevenue, CommissionVAT, CommissionRevenue, CommissionVAT, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("commission revenue: %w", err)
	}
	defer rows.Close()
	type key struct {
		month    time.Time
		currency string
	}
	sums := map[key]*MonthRevenue{}
	documents := map[key]map[string]bool{}
	for rows.Next() {
		var h, currency, document string
		var net, vat int64
		if err := rows.Scan(&h, &currency, &document, &net, &vat); err != nil {
			return nil, fmt.Errorf("commission revenue: %w", err)
		}
		at, err := time.Parse("2006-01-02 15", h)
		if err != nil {
			return nil, fmt.Errorf("commission revenue: hour %q: %w", h, err)
		}
		k := key{monthStart(at), currency}
		m, ok := sums[k]
		if !ok {
			m = &MonthRevenue{Month: k.month, Currency: currency, Net: money.New(0, currency), VAT: money.New(0, currency)}
			sums[k], documents[k] = m, map[string]bool{}
		}
		m.Net.Amount += net
		m.VAT.Amount += vat
		if document != "" {
			documents[k][document] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("commission revenue: %w", err)
	}
	out := make([]MonthRevenue, 0, len(sums))
	for k, m := range sums {
		m.Total = money.New(m.Net.Amount+m.VAT.Amount, m.Currency)
		m.Orders = len(documents[k])
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b MonthRevenue) int {
		if c := a.Month.Compare(b.Month); c != 0 {
			return c
		}
		return money.CompareCurrency(a.Currency, b.Currency)
	})
	return out, nil
}
