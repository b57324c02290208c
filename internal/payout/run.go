package payout

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/ledger"
	"souk/internal/money"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

// Held is a vendor with money due that a run did not pay, and why.
type Held struct {
	VendorID int64       `json:"vendor_id"`
	Name     string      `json:"name"`
	Amount   money.Money `json:"amount"`
	Reason   string      `json:"reason"` // HeldNoRIB, HeldNotApproved
}

// Owing is a vendor whose due total is negative: refunds or returns after
// a payout took back more than it has earned since. Its later earnings pay
// it back first.
type Owing struct {
	VendorID int64       `json:"vendor_id"`
	Name     string      `json:"name"`
	Amount   money.Money `json:"amount"` // positive: what the vendor owes
}

// Report is what a run did.
type Report struct {
	BatchID int64     `json:"batch_id,omitempty"` // 0: nothing was due, no batch
	Batch   string    `json:"batch,omitempty"`
	Source  Source    `json:"source"`
	Slot    string    `json:"slot,omitempty"`
	AsOf    time.Time `json:"as_of"`
	// AlreadyRan: the slot's run was made before (by another node).
	AlreadyRan bool          `json:"already_ran,omitempty"`
	Paid       []Payout      `json:"paid"`
	Totals     []money.Money `json:"totals"` // per currency, MAD first
	Held       []Held        `json:"held"`
	Owing      []Owing       `json:"owing"`
}

// RunOptions says who starts a run: Source, and for the schedule the slot
// it runs for.
type RunOptions struct {
	Source Source
	Slot   string
}

// part is what a vendor's payable:vendor holds at one due date.
type part struct {
	due time.Time
	sum int64 // the entries' sum: negative is owed to the vendor
}

// owed is one vendor's due total in one currency, with what the run needs
// to pay it.
type owed struct {
	vendorID          int64
	currency          string
	parts             []part
	amount            int64 // owed to the vendor: −Σ part sums
	name, rib, status string
	email, locale     string
}

// Run pays every vendor whatever is due at now and positive: one transfer
// per vendor and currency, in one new batch, each posted payout.sent. The
// machine (by.ID == 0, Source Command or Schedule) or an admin (Source
// Console) may run it. A scheduled run names its slot; when that slot has
// run already the report says so and nothing is done. A run that finds
// nothing to pay makes no batch, but a scheduled one records its slot.
func (s *Service) Run(ctx context.Context, by auth.User, o RunOptions) (Report, error) {
	if err := canRun(by, o.Source); err != nil {
		return Report{}, err
	}
	now := s.now().UTC()
	r := Report{Source: o.Source, Slot: o.Slot, AsOf: now, Paid: []Payout{}, Totals: []money.Money{}, Held: []Held{}, Owing: []Owing{}}
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		r.Paid, r.Held, r.Owing, r.BatchID, r.AlreadyRan = r.Paid[:0], r.Held[:0], r.Owing[:0], 0, false
		if err := lockRuns(ctx, tx); err != nil {
			return err
		}
		if o.Slot != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM payout_batches WHERE slot = ?`, o.Slot).Scan(&n); err != nil {
				return fmt.Errorf("payout run: %w", err)
			}
			if n > 0 {
				r.AlreadyRan = true
				return nil
			}
		}
		all, err := dueTotals(ctx, tx, now)
		if err != nil {
			return err
		}
		var pay []owed
		for _, v := range all {
			m := money.New(v.amount, v.currency)
			switch {
			case v.amount < 0:
				r.Owing = append(r.Owing, Owing{VendorID: v.vendorID, Name: v.name, Amount: money.New(-v.amount, v.currency)})
			case v.amount == 0:
			case v.status != string(vendor.Approved):
				r.Held = append(r.Held, Held{VendorID: v.vendorID, Name: v.name, Amount: m, Reason: HeldNotApproved})
			case !validRIB(v.rib):
				r.Held = append(r.Held, Held{VendorID: v.vendorID, Name: v.name, Amount: m, Reason: HeldNoRIB})
			default:
				pay = append(pay, v)
			}
		}
		if len(pay) == 0 && o.Slot == "" {
			return nil
		}
		var slot, startedBy any
		if o.Slot != "" {
			slot = o.Slot
		}
		if by.ID != 0 {
			startedBy = by.ID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO payout_batches (slot, source, started_by, as_of, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, slot, string(o.Source), startedBy, now, now).Scan(&r.BatchID); err != nil {
			return fmt.Errorf("payout batch: %w", err)
		}
		r.Batch = BatchNumber(r.BatchID)
		for _, v := range pay {
			p, err := s.send(ctx, tx, r.BatchID, v, now)
			if err != nil {
				return err
			}
			r.Paid = append(r.Paid, p)
		}
		return audit.Record(ctx, tx, by, "payout.run", "payout_batch", r.BatchID, nil,
			map[string]any{"source": o.Source, "slot": o.Slot, "payouts": len(r.Paid), "held": len(r.Held)}, now)
	})
	if err != nil {
		return Report{}, err
	}
	r.Totals = totals(r.Paid)
	return r, nil
}

// validRIB: a transfer needs a valid 24-digit RIB.
func validRIB(rib string) bool {
	_, ok := morocco.NormalizeRIB(rib)
	return ok
}

// dueTotals reads, in tx, each vendor's payable:vendor parts due at now,
// with the vendor's name, RIB and status, by vendor and currency.
func dueTotals(ctx context.Context, tx db.Querier, now time.Time) ([]owed, error) {
	rows, err := tx.QueryContext(ctx, `SELECT e.vendor_id, e.currency, e.due_at, SUM(e.amount),
			v.legal_name, v.rib, v.status, v.email, v.locale
		FROM ledger_entries e JOIN vendors v ON v.id = e.vendor_id
		WHERE e.account = ? AND e.due_at <= ?
		GROUP BY e.vendor_id, e.currency, e.due_at, v.legal_name, v.rib, v.status, v.email, v.locale
		HAVING SUM(e.amount) <> 0`, ledger.VendorPayable, now)
	if err != nil {
		return nil, fmt.Errorf("payouts due: %w", err)
	}
	defer rows.Close()
	type key struct {
		vendor   int64
		currency string
	}
	at := map[key]int{}
	var out []owed
	for rows.Next() {
		var v owed
		var p part
		if err := rows.Scan(&v.vendorID, &v.currency, &p.due, &p.sum, &v.name, &v.rib, &v.status, &v.email, &v.locale); err != nil {
			return nil, fmt.Errorf("payouts due: %w", err)
		}
		k := key{v.vendorID, v.currency}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, v)
		}
		out[i].parts = append(out[i].parts, part{due: p.due.UTC(), sum: p.sum})
		out[i].amount -= p.sum
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("payouts due: %w", err)
	}
	slices.SortFunc(out, func(a, b owed) int {
		if a.vendorID != b.vendorID {
			return cmp.Compare(a.vendorID, b.vendorID)
		}
		return money.CompareCurrency(a.currency, b.currency)
	})
	return out, nil
}

// send makes one transfer in tx: the payout row (numbered for its vendor),
// its payout.sent posting, and the vendor's e-mail.
func (s *Service) send(ctx context.Context, tx db.Querier, batchID int64, v owed, now time.Time) (Payout, error) {
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(seq) FROM payouts WHERE vendor_id = ?`, v.vendorID).Scan(&last); err != nil {
		return Payout{}, fmt.Errorf("payout to vendor %d: %w", v.vendorID, err)
	}
	rib, _ := morocco.NormalizeRIB(v.rib)
	p := Payout{BatchID: batchID, Batch: BatchNumber(batchID), VendorID: v.vendorID, Seq: int(last.Int64) + 1,
		Amount: money.New(v.amount, v.currency), Beneficiary: v.name, RIB: rib, Status: Sent, CreatedAt: now}
	if err := tx.QueryRowContext(ctx, `INSERT INTO payouts (batch_id, vendor_id, seq, amount, currency, beneficiary, rib, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, batchID, v.vendorID, p.Seq, v.amount, v.currency, v.name, rib, now).Scan(&p.ID); err != nil {
		if db.IsUniqueViolation(err) {
			return Payout{}, fmt.Errorf("payout to vendor %d: another run paid it at the same time: %w", v.vendorID, err)
		}
		return Payout{}, fmt.Errorf("payout to vendor %d: %w", v.vendorID, err)
	}
	p.Reference = Reference(p.ID)
	entries := make([]ledger.Entry, 0, len(v.parts)+1)
	for _, pt := range v.parts {
		entries = append(entries, ledger.Entry{Account: ledger.VendorPayable, VendorID: v.vendorID, Amount: -pt.sum, Currency: v.currency, DueAt: pt.due})
	}
	entries = append(entries, ledger.Entry{Account: ledger.PayoutsInTransit, VendorID: v.vendorID, Amount: -v.amount, Currency: v.currency})
	posted, err := ledger.Post(ctx, tx, ledger.Transaction{Kind: LedgerSent, Reference: p.Reference, Document: p.Reference, At: now, Entries: entries})
	if err != nil {
		return Payout{}, err
	}
	if !posted {
		return Payout{}, fmt.Errorf("payout %s: posted before", p.Reference)
	}
	return p, tellVendor(ctx, tx, v.email, v.locale, v.name, p, now)
}

// totals sums payouts per currency, MAD first.
func totals(ps []Payout) []money.Money {
	sum := map[string]int64{}
	var curs []string
	for _, p := range ps {
		if _, ok := sum[p.Amount.Currency]; !ok {
			curs = append(curs, p.Amount.Currency)
		}
		sum[p.Amount.Currency] += p.Amount.Amount
	}
	slices.SortFunc(curs, money.CompareCurrency)
	out := make([]money.Money, len(curs))
	for i, c := range curs {
		out[i] = money.New(sum[c], c)
	}
	return out
}
