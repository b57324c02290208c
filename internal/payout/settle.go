package payout

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/ledger"
	"souk/internal/notify"
	"souk/internal/text"
)

// Confirm records that the bank made transfer id: the money leaves
// payouts:in_transit for the bank account (payout.confirmed). Confirming a
// confirmed payout changes nothing; a failed one is a conflict. The machine
// or an admin.
func (s *Service) Confirm(ctx context.Context, by auth.User, id int64) (Payout, error) {
	return s.settle(ctx, by, id, Confirmed, "")
}

// Fail records that transfer id came back (a closed account, a wrong RIB):
// payout.sent is reversed, so what it paid is owed to the vendor again at
// its due dates and the next run pays it; the vendor is told why. reason is
// required. Failing a failed payout changes nothing; a confirmed one is a
// conflict.
func (s *Service) Fail(ctx context.Context, by auth.User, id int64, reason string) (Payout, error) {
	reason = text.Clean(reason)
	if p := text.Check(reason, true, 300); p != "" {
		if err := canSettle(by); err != nil {
			return Payout{}, err
		}
		return Payout{}, errs.Fields{"reason": p}.Err()
	}
	return s.settle(ctx, by, id, Failed, reason)
}

// ConfirmBatch confirms every transfer of a batch still sent, and says how
// many it confirmed.
func (s *Service) ConfirmBatch(ctx context.Context, by auth.User, batchID int64) (int, error) {
	if err := canSettle(by); err != nil {
		return 0, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id FROM payouts WHERE batch_id = ? AND status = 'sent' ORDER BY id`, batchID)
	if err != nil {
		return 0, fmt.Errorf("confirm batch: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("confirm batch: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("confirm batch: %w", err)
	}
	if len(ids) == 0 {
		var n int
		if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM payout_batches WHERE id = ?`, batchID).Scan(&n); err != nil {
			return 0, fmt.Errorf("confirm batch: %w", err)
		}
		if n == 0 {
			return 0, errs.NotFoundE("payout_batch")
		}
	}
	done := 0
	for _, id := range ids {
		p, err := s.settle(ctx, by, id, Confirmed, "")
		if errs.Is(err, errs.Conflict) {
			continue // failed meanwhile
		}
		if err != nil {
			return done, err
		}
		if p.Status == Confirmed {
			done++
		}
	}
	return done, nil
}

func (s *Service) settle(ctx context.Context, by auth.User, id int64, to Status, reason string) (Payout, error) {
	if err := canSettle(by); err != nil {
		return Payout{}, err
	}
	now := s.now().UTC()
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		var settledBy any
		if by.ID != 0 {
			settledBy = by.ID
		}
		res, err := tx.ExecContext(ctx, `UPDATE payouts SET status = ?, failure = ?, settled_at = ?, settled_by = ?
			WHERE id = ? AND status = 'sent'`, string(to), reason, now, settledBy, id)
		if err != nil {
			return fmt.Errorf("payout %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("payout %d: %w", id, err)
		} else if n == 0 {
			cur, err := byID(ctx, tx, id)
			switch {
			case errors.Is(err, errNotFound):
				return errs.NotFoundE("payout")
			case err != nil:
				return err
			case cur.Status == to:
				return nil // settled so before
			}
			return errs.E(errs.Conflict, "payout.settled")
		}
		ref := Reference(id)
		lines, err := ledger.Lines(ctx, tx, ref)
		if err != nil {
			return err
		}
		var entries []ledger.Entry
		kind := LedgerConfirmed
		if to == Failed {
			kind = LedgerFailed
			for _, l := range lines {
				entries = append(entries, ledger.Entry{Account: l.Account, VendorID: l.VendorID, Amount: -l.Amount, Currency: l.Currency, DueAt: l.DueAt})
			}
		} else {
			for _, l := range lines {
				if l.Account == ledger.PayoutsInTransit {
					entries = append(entries,
						ledger.Entry{Account: ledger.PayoutsInTransit, VendorID: l.VendorID, Amount: -l.Amount, Currency: l.Currency},
						ledger.Entry{Account: ledger.Bank, VendorID: l.VendorID, Amount: l.Amount, Currency: l.Currency})
				}
			}
		}
		if posted, err := ledger.Post(ctx, tx, ledger.Transaction{Kind: kind, Reference: ref, Document: ref, At: now, Entries: entries}); err != nil {
			return err
		} else if !posted {
			return fmt.Errorf("payout %s: %s posted before", ref, kind)
		}
		if err := audit.Record(ctx, tx, by, "payout."+string(to), "payout", id,
			map[string]any{"status": Sent}, map[string]any{"status": to, "failure": reason}, now); err != nil {
			return err
		}
		if to != Failed {
			return nil
		}
		p, err := byID(ctx, tx, id)
		if err != nil {
			return err
		}
		var email, locale string
		if err := tx.QueryRowContext(ctx, `SELECT email, locale FROM vendors WHERE id = ?`, p.VendorID).Scan(&email, &locale); err != nil {
			return fmt.Errorf("payout %d: %w", id, err)
		}
		return tellVendor(ctx, tx, email, locale, p.Beneficiary, p, now)
	})
	if err != nil {
		return Payout{}, err
	}
	return byID(ctx, s.db.Read(), id)
}

// tellVendor queues the e-mail of a transfer sent or failed, in the
// vendor's language; a vendor without an address is not written to.
func tellVendor(ctx context.Context, tx db.Querier, email, locale, name string, p Payout, now time.Time) error {
	if strings.TrimSpace(email) == "" {
		return nil
	}
	if !i18n.Valid(locale) {
		locale = i18n.Default
	}
	args := map[string]any{"name": name, "amount": i18n.FormatMoney(locale, p.Amount), "reference": p.Reference,
		"rib": MaskRIB(p.RIB), "reason": p.Failure}
	event := "mail.payout." + string(p.Status)
	return notify.Enqueue(ctx, tx, now, notify.Message{
		Key:     fmt.Sprintf("payout:%d:%s", p.ID, p.Status),
		To:      email,
		Subject: i18n.T(locale, event+".subject", args),
		Text:    i18n.T(locale, "mail.greeting", args) + "\n\n" + i18n.T(locale, event+".body", args) + "\n",
	})
}

// MaskRIB shows a RIB's bank code and last four digits only, for e-mails
// and pages that need to say which account without giving it away.
func MaskRIB(rib string) string {
	if len(rib) != 24 {
		return rib
	}
	return rib[:3] + " … " + rib[20:]
}

const payoutColumns = `p.id, p.batch_id, p.vendor_id, p.seq, p.amount, p.currency, p.beneficiary, p.rib, p.status, p.failure,
	p.created_at, p.settled_at`

func scanPayout(sc interface{ Scan(...any) error }) (Payout, error) {
	var p Payout
	var amount int64
	var currency string
	var settled sql.NullTime
	if err := sc.Scan(&p.ID, &p.BatchID, &p.VendorID, &p.Seq, &amount, &currency, &p.Beneficiary, &p.RIB, &p.Status, &p.Failure,
		&p.CreatedAt, &settled); err != nil {
		return Payout{}, err
	}
	p.Reference, p.Batch = Reference(p.ID), BatchNumber(p.BatchID)
	p.Amount.Amount, p.Amount.Currency = amount, currency
	p.CreatedAt = p.CreatedAt.UTC()
	if settled.Valid {
		p.SettledAt = settled.Time.UTC()
	}
	return p, nil
}

// errNotFound is a payout that does not exist.
var errNotFound = errors.New("payout: not found")

func byID(ctx context.Context, q db.Querier, id int64) (Payout, error) {
	p, err := scanPayout(q.QueryRowContext(ctx, `SELECT `+payoutColumns+` FROM payouts p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Payout{}, errNotFound
	}
	if err != nil {
		return Payout{}, fmt.Errorf("payout %d: %w", id, err)
	}
	return p, nil
}
