package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
	"souk/internal/text"
)

// Remittances: the money others hold for the marketplace reaching its bank.
// A carrier hands over the cash it collected on delivery (cod:<carrier>),
// a card gateway settles the payments it captured (clearing:<method>); the
// treasurer records each one from the bank statement, and the book moves
// it to the bank:
//
//	remittance.received  bank +amount; cod:<carrier> or clearing:<method> −amount (no vendor: a
//	                     remittance covers many orders).
//
// Its reference is the account and the slip or statement reference, so
// the same remittance recorded twice posts once.

// LedgerRemitted is the kind of a remittance's transaction.
const LedgerRemitted = "remittance.received"

// Receivable is what one carrier or gateway holds for the marketplace in
// one currency.
type Receivable struct {
	Account string      `json:"account"` // cod:<carrier> or clearing:<method>
	Holds   money.Money `json:"holds"`
}

// Remittance is one recorded handover.
type Remittance struct {
	Account   string      `json:"account"`
	Amount    money.Money `json:"amount"`
	Reference string      `json:"reference"`
	At        time.Time   `json:"at"`
}

// remitted reports accounts that money reaches the bank from.
func remitted(account string) bool {
	return (strings.HasPrefix(account, "cod:") || strings.HasPrefix(account, "clearing:")) && accountRE.MatchString(account)
}

// Receivables lists what each carrier and card gateway holds for the
// marketplace (non-zero only), the most first; admins only.
func (s *Service) Receivables(ctx context.Context, by auth.User) ([]Receivable, error) {
	if by.Role != auth.RoleAdmin {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	return receivables(ctx, s.db.Read(), "")
}

func receivables(ctx context.Context, q db.Querier, account string) ([]Receivable, error) {
	where, args := `(account LIKE 'cod:%' OR account LIKE 'clearing:%')`, []any{}
	if account != "" {
		where, args = `account = ?`, []any{account}
	}
	rows, err := q.QueryContext(ctx, `SELECT account, currency, SUM(amount) FROM ledger_entries WHERE `+where+`
		GROUP BY account, currency HAVING SUM(amount) <> 0 ORDER BY SUM(amount) DESC, account`, args...)
	if err != nil {
		return nil, fmt.Errorf("receivables: %w", err)
	}
	defer rows.Close()
	out := []Receivable{}
	for rows.Next() {
		var r Receivable
		if err := rows.Scan(&r.Account, &r.Holds.Currency, &r.Holds.Amount); err != nil {
			return nil, fmt.Errorf("receivables: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RecordRemittance records that amount came into the bank from account
// (a carrier's cash on delivery, a gateway's card payments) under the
// slip or statement reference; admins only. Bad fields are named: account
// (not a carrier or gateway account, or holding nothing), amount (not
// positive, or more than the account holds), reference (required, at most
// 60 characters, or recorded before for this account). Audited.
func (s *Service) RecordRemittance(ctx context.Context, by auth.User, account string, amount money.Money, reference string) (Remittance, error) {
	if by.Role != auth.RoleAdmin {
		return Remittance{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	reference = text.Clean(reference)
	f := errs.Fields{}
	if !remitted(account) {
		f.Add("account", "field.enum")
	}
	if amount.Amount <= 0 {
		f.Add("amount", "field.positive")
	}
	if p := text.Check(reference, true, 60); p != "" {
		f.Add("reference", p)
	}
	if err := f.Err(); err != nil {
		return Remittance{}, err
	}
	now := s.now().UTC()
	r := Remittance{Account: account, Amount: amount, Reference: reference, At: now}
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		holds, err := receivables(ctx, tx, account)
		if err != nil {
			return err
		}
		var held int64
		for _, h := range holds {
			if h.Holds.Currency == amount.Currency {
				held = h.Holds.Amount
			}
		}
		if held <= 0 {
			return errs.Fields{"account": "remittance.nothing_held"}.Err()
		}
		if amount.Amount > held {
			return errs.Fields{"amount": "remittance.more_than_held"}.Err()
		}
		posted, err := Post(ctx, tx, Transaction{Kind: LedgerRemitted, Reference: account + "/" + reference, Document: reference, At: now,
			Entries: []Entry{
				{Account: Bank, Amount: amount.Amount, Currency: amount.Currency},
				{Account: account, Amount: -amount.Amount, Currency: amount.Currency}}})
		if err != nil {
			return err
		}
		if !posted {
			return errs.Fields{"reference": "remittance.duplicate"}.Err()
		}
		return audit.Record(ctx, tx, by, "remittance.record", "ledger_account", account, nil,
			map[string]any{"amount": amount.Amount, "currency": amount.Currency, "reference": reference}, now)
	})
	if err != nil {
		return Remittance{}, err
	}
	return r, nil
}

// Remittances lists the recorded remittances, newest first, at most limit
// (1..500); admins only.
func (s *Service) Remittances(ctx context.Context, by auth.User, limit int) ([]Remittance, error) {
	if by.Role != auth.RoleAdmin {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	limit = min(max(limit, 1), 500)
	rows, err := s.db.Read().QueryContext(ctx, `SELECT e.account, e.currency, -e.amount, t.document, t.created_at
		FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
		WHERE t.kind = ? AND e.account <> ? ORDER BY t.id DESC LIMIT ?`, LedgerRemitted, Bank, limit)
	if err != nil {
		return nil, fmt.Errorf("remittances: %w", err)
	}
	defer rows.Close()
	out := []Remittance{}
	for rows.Next() {
		var r Remittance
		if err := rows.Scan(&r.Account, &r.Amount.Currency, &r.Amount.Amount, &r.Reference, &r.At); err != nil {
			return nil, fmt.Errorf("remittances: %w", err)
		}
		r.At = r.At.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
