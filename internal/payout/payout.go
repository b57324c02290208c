// Package payout pays vendors what the ledger says is due: a payout run
// takes every vendor's earnings whose due date has passed (package ledger,
// payable:vendor), pays each vendor whose total is positive one bank
// transfer, writes them as one batch with its bank transfer file, and posts
// each transfer in the ledger in the same database transaction. Later the
// bank says each transfer arrived (confirmed) or came back (failed: the
// money returns to the vendor's balance and the next run pays it again). It
// owns the payout_batches and payouts tables.
//
// # Nothing paid twice
//
// A run is one transaction, and runs take turns: on PostgreSQL each takes
// a transaction-scoped advisory lock first (so the balances it reads were
// written by every run before it, on any node); SQLite has one writer at a
// time and begins every transaction IMMEDIATE, across processes too. The
// payout itself empties the parts it pays (each payable:vendor due date),
// so the next run finds nothing there. Two backstops stand behind the lock:
// a vendor's payouts are numbered (UNIQUE vendor, seq), so two runs that
// read one balance at once cannot both commit; and a scheduled run names
// its slot (UNIQUE), so two nodes make one batch per slot.
//
// # Postings
//
//	payout.sent       payable:vendor +due part by part (each due date emptied); payouts:in_transit −amount.
//	payout.confirmed  payouts:in_transit +amount; bank −amount: the money left the marketplace's account.
//	payout.failed     payout.sent reversed: each part owed again at its due date; the vendor is told why.
//
// Each posting's reference and document is the payout's reference
// (SOUK-P000123), which is also the transfer's on the bank file, so a
// statement line, a ledger transaction and a line on the vendor's bank
// statement name each other.
//
// A vendor is held, not paid, while it is not approved (suspended) or has
// no valid RIB; one whose due total is negative (refunds after a payout)
// owes it back, and its later earnings pay it first.
package payout

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
)

// Status is where a transfer stands.
type Status string

// A transfer is sent when the run makes it, then confirmed or failed.
const (
	Sent      Status = "sent"
	Confirmed Status = "confirmed"
	Failed    Status = "failed"
)

// Source is what started a run.
type Source string

// Runs are started by the schedule (every node), the command line (souk
// payouts run) or an admin in the console.
const (
	Schedule Source = "schedule"
	Command  Source = "command"
	Console  Source = "console"
)

// Ledger transaction kinds posted by payouts.
const (
	LedgerSent      = "payout.sent"
	LedgerConfirmed = "payout.confirmed"
	LedgerFailed    = "payout.failed"
)

// Held reasons: why a vendor with money due was not paid.
const (
	HeldNoRIB       = "no_rib"
	HeldNotApproved = "not_approved"
)

// Service runs payouts and reads them back.
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

// Payout is one transfer to one vendor.
type Payout struct {
	ID          int64       `json:"id"`
	Reference   string      `json:"reference"`
	BatchID     int64       `json:"batch_id"`
	Batch       string      `json:"batch"`
	VendorID    int64       `json:"vendor_id"`
	Seq         int         `json:"seq"` // the vendor's payout number: 1, 2, …
	Amount      money.Money `json:"amount"`
	Beneficiary string      `json:"beneficiary"`
	RIB         string      `json:"rib"`
	Status      Status      `json:"status"`
	Failure     string      `json:"failure,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
	SettledAt   time.Time   `json:"settled_at,omitzero"`
}

// Reference is the transfer reference of payout id, on the bank file, the
// vendor's statement and the ledger.
func Reference(id int64) string { return fmt.Sprintf("SOUK-P%06d", id) }

// BatchNumber names batch id.
func BatchNumber(id int64) string { return fmt.Sprintf("SOUK-B%05d", id) }

// ParseReference is Reference's inverse; false for anything else.
func ParseReference(s string) (int64, bool) {
	return parseNumbered(s, "SOUK-P")
}

// ParseBatchNumber is BatchNumber's inverse; false for anything else.
func ParseBatchNumber(s string) (int64, bool) {
	return parseNumbered(s, "SOUK-B")
}

func parseNumbered(s, prefix string) (int64, bool) {
	rest, ok := strings.CutPrefix(strings.ToUpper(strings.TrimSpace(s)), prefix)
	if !ok || rest == "" {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0
}

// canRun: the machine (the command and the schedule, by.ID == 0) or an
// admin in the console.
func canRun(by auth.User, src Source) error {
	switch {
	case src == Console && by.Role == auth.RoleAdmin:
		return nil
	case src == Console && by.ID == 0:
		return errs.E(errs.Unauthorized, "error.unauthorized")
	case src != Console && by.ID == 0 && (src == Command || src == Schedule):
		return nil
	}
	return errs.E(errs.Forbidden, "error.forbidden")
}

// canSettle: the machine or an admin.
func canSettle(by auth.User) error {
	if (by.ID == 0 && by.Role == "") || by.Role == auth.RoleAdmin {
		return nil
	}
	return errs.E(errs.Forbidden, "error.forbidden")
}

// canRead: operators may read every vendor's payouts; admins only, since
// they carry bank details.
func canRead(by auth.User) error {
	switch {
	case by.ID == 0:
		return errs.E(errs.Unauthorized, "error.unauthorized")
	case by.Role == auth.RoleAdmin:
		return nil
	}
	return errs.E(errs.Forbidden, "error.forbidden")
}

// lockRuns makes runs take turns (PostgreSQL; SQLite's IMMEDIATE
// transactions already do): the lock is released when tx ends.
func lockRuns(ctx context.Context, tx db.Querier) error {
	if tx.Dialect() != db.Postgres {
		return nil
	}
	// The key is "payouts" in ASCII (0x7061796f757473): one lock for every
	// souk on the database.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(31632371580499059)`); err != nil {
		return fmt.Errorf("payout run lock: %w", err)
	}
	return nil
}
