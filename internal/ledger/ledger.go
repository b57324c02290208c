// Package ledger is souk's double-entry book: every dirham a customer pays,
// a vendor earns, the marketplace keeps as commission or gives back is an
// entry, and every money event is one balanced journal transaction written
// in the database transaction of the event itself. It owns the
// ledger_transactions, ledger_entries and commission_rules tables.
//
// # Entries
//
// An entry is an account, the vendor it concerns (if any), a signed amount
// in minor units — a debit is positive, a credit negative — and a currency.
// Post refuses a transaction whose entries do not sum to zero in each
// currency, and writes nothing then. Entries are never changed or deleted
// (the package has no UPDATE or DELETE, and database triggers refuse them):
// a correction is a new transaction. A transaction is named by its kind
// and reference (UNIQUE), so an event that is retried — a payment callback
// delivered twice — finds its transaction there and posts nothing.
//
// # Accounts
//
// Accounts are strings, "family" or "family:detail":
//
//	clearing:<method>           asset: card money the gateway (cmi, stripe) holds for the marketplace
//	cod:<carrier>               asset: cash a carrier collected on delivery and owes the marketplace
//	payable:vendor:undelivered  liability, per vendor: earnings on paid parcels not yet delivered (no due date)
//	payable:vendor              liability, per vendor: earnings due at due_at (delivery + the channel's delay)
//	revenue:commission          income: the marketplace's commission, net of VAT, per vendor it was taken from
//	vat:commission              liability: the VAT (20%) inside the commission, owed to the tax office
//	shipping:<carrier>          liability: shipping fees the customer paid, owed to the carrier
//	refunds:owed                liability: money the customer is owed back (a cancelled or returned parcel), until refunded
//	bank                        asset: the marketplace's bank account: carriers' and gateways' remittances
//	                            come in (RecordRemittance), payouts and cash-on-delivery refunds leave
//	payouts:in_transit          asset, per vendor: transfers sent to vendors and not yet confirmed (the payouts step)
//
// A vendor's balance is the credit on its two payable accounts: what is
// due (due_at has passed), what falls due later (by date), and what waits
// for delivery. Every entry of a sale carries the vendor's id — the
// customer's money, the commission, the shipping — so a vendor's statement
// can list each sale whole, and every posting balances per vendor too.
//
// # Money events
//
// The order package posts, in the transaction of each event (document = the
// order number; rates, VAT and delays as below):
//
//	payment.captured  card payment captured (CMI callback, Stripe webhook), per parcel:
//	                  clearing:<method> +paid; payable:vendor:undelivered −(items − commission);
//	                  revenue:commission −(commission − VAT); vat:commission −VAT; shipping:<carrier> −shipping.
//	                  A parcel cancelled before the money came: refunds:owed −(items + shipping) instead.
//	cod.collected     cash on delivery collected by the carrier (CODCollected): the same, with
//	                  cod:<carrier> in place of clearing; cancelled parcels were never collected and are left out.
//	sale.delivered    a parcel delivered: its undelivered earning moves to payable:vendor, due at
//	                  delivery + sales_channels.settlement_hours (72 h consumer channels, 240 h supermarkets).
//	                  A payment that comes after delivery books the earning as due at once. In the
//	                  physical shops (sales_channels.settles_from = 'sale') the payment books it due
//	                  from the sale itself: the customer left with the goods.
//	sale.cancelled    a paid parcel cancelled: everything its sale still holds (earning, commission, VAT,
//	                  shipping) goes to refunds:owed. A parcel cancelled before payment posts nothing.
//	sale.returned     a paid parcel returned: the same but the shipping, which the carrier earned.
//	payment.refunded  a refund (full or partial) of amount A: first refunds:owed is settled, then what is
//	                  left of A is taken from every line of the order's sales in proportion (the
//	                  vendors' earnings, due or not, the commission, its VAT, the shipping); the money
//	                  leaves clearing:<method> (card) or bank (cash on delivery, refunded by transfer).
//
// Placing an order posts nothing: no money has moved yet (a cash-on-delivery
// order may never be paid; a card order is paid when the gateway says so).
// Cash on delivery is recognised when the carrier's collection is recorded
// (CODCollected), as a card payment is at capture: the ledger books money
// the marketplace has (or a carrier holds for it), so a parcel the customer
// refuses at the door never becomes a vendor's earning. The carrier's
// remittance to the bank (cod:<carrier> → bank) comes with the payouts step.
//
// # Commission
//
// The commission is a share of each line's price, VAT included, rounded half
// away from zero per line, at the rate of the most specific commission rule
// in force when the order was placed (CommissionRate): a rule naming the
// vendor kind, the category (or an ancestor: the nearest wins) and the
// channel beats one naming two of them, which beats one naming one, which
// beats the default (10%, seeded by the migration). Between rules naming as
// many, vendor kind counts before category, and category before channel. The
// commission is VAT-inclusive: 20/120 of it is the VAT the marketplace owes.
//
// # Time
//
// Due dates are computed on Casablanca's clocks (DueAt): whole days are added
// to the calendar day in Africa/Casablanca, so the clock change around
// Ramadan neither advances nor delays a payout. Times are stored in UTC.
package ledger

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"time"

	"souk/internal/db"
)

// The accounts with fixed names; the others are built by Clearing, COD and
// Shipping.
const (
	VendorUndelivered = "payable:vendor:undelivered"
	VendorPayable     = "payable:vendor"
	CommissionRevenue = "revenue:commission"
	CommissionVAT     = "vat:commission"
	RefundsOwed       = "refunds:owed"
	Bank              = "bank"
	PayoutsInTransit  = "payouts:in_transit"
)

// Clearing is the account of card money held by a payment gateway ("cmi",
// "stripe").
func Clearing(method string) string { return "clearing:" + method }

// COD is the account of cash a carrier collected on delivery.
func COD(carrier string) string { return "cod:" + carrier }

// Shipping is the account of shipping fees owed to a carrier.
func Shipping(carrier string) string { return "shipping:" + carrier }

// CommissionVATBP is the VAT rate inside the commission (services, 20%).
const CommissionVATBP = 2000

// Entry is one line of a transaction.
type Entry struct {
	Account  string
	VendorID int64 // the vendor the entry concerns; 0 for none
	Amount   int64 // minor units: a debit is positive, a credit negative
	Currency string
	DueAt    time.Time // payable:vendor only: when the vendor may be paid it
}

// Transaction is one money event's entries.
type Transaction struct {
	Kind      string // what happened: "payment.captured", "sale.delivered"…
	Reference string // which one; unique with Kind, so a retried event posts once
	Document  string // the business document (an order number) the money belongs to; may be ""
	At        time.Time
	Entries   []Entry
}

// ErrUnbalanced is Post's answer to entries that do not sum to zero in each
// currency.
var ErrUnbalanced = errors.New("ledger: transaction does not balance")

var (
	accountRE  = regexp.MustCompile(`^[a-z_]+(:[a-z0-9_.-]+)*$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
)

// Post writes t in tx, the transaction of the event it records. Entries on
// the same account, vendor, currency and due date are added together and
// zero amounts left out. It returns false, writing nothing, when a
// transaction of the same kind and reference was posted before (a retried
// event) or when no entry is left. An unbalanced transaction (ErrUnbalanced)
// or a malformed entry is an error, and nothing is written.
func Post(ctx context.Context, tx db.Querier, t Transaction) (bool, error) {
	entries, err := normalise(t)
	if err != nil {
		return false, err
	}
	if len(entries) == 0 {
		return false, nil
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO ledger_transactions (kind, reference, document, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (kind, reference) DO NOTHING RETURNING id`,
		t.Kind, t.Reference, t.Document, t.At.UTC()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // posted before
	}
	if err != nil {
		return false, fmt.Errorf("post %s %s: %w", t.Kind, t.Reference, err)
	}
	rows := make([][]any, len(entries))
	for i, e := range entries {
		var vendor, due any
		if e.VendorID != 0 {
			vendor = e.VendorID
		}
		if !e.DueAt.IsZero() {
			due = e.DueAt.UTC()
		}
		rows[i] = []any{id, e.Account, vendor, e.Amount, e.Currency, due}
	}
	if _, err := db.InsertRows(ctx, tx, "ledger_entries",
		[]string{"transaction_id", "account", "vendor_id", "amount", "currency", "due_at"}, rows); err != nil {
		return false, fmt.Errorf("post %s %s: %w", t.Kind, t.Reference, err)
	}
	return true, nil
}

// normalise checks t and merges its entries.
func normalise(t Transaction) ([]Entry, error) {
	if t.Kind == "" || t.Reference == "" || t.At.IsZero() {
		return nil, fmt.Errorf("post: a transaction needs a kind, a reference and a time (%q %q)", t.Kind, t.Reference)
	}
	type key struct {
		account  string
		vendor   int64
		currency string
		due      int64
	}
	sums := map[key]int64{}
	var order []key
	balance := map[string]int64{}
	for _, e := range t.Entries {
		switch {
		case !accountRE.MatchString(e.Account) || len(e.Account) > 100:
			return nil, fmt.Errorf("post %s %s: bad account %q", t.Kind, t.Reference, e.Account)
		case !currencyRE.MatchString(e.Currency):
			return nil, fmt.Errorf("post %s %s: bad currency %q", t.Kind, t.Reference, e.Currency)
		case strings.HasPrefix(e.Account, "payable:vendor") && e.VendorID == 0:
			return nil, fmt.Errorf("post %s %s: %s needs a vendor", t.Kind, t.Reference, e.Account)
		case (e.Account == VendorPayable) != !e.DueAt.IsZero():
			return nil, fmt.Errorf("post %s %s: a due date goes with %s, and only there (%s)", t.Kind, t.Reference, VendorPayable, e.Account)
		}
		var due int64
		if !e.DueAt.IsZero() {
			due = e.DueAt.UnixNano()
		}
		k := key{e.Account, e.VendorID, e.Currency, due}
		if _, ok := sums[k]; !ok {
			order = append(order, k)
		}
		sums[k] += e.Amount
		balance[e.Currency] += e.Amount
	}
	for cur, b := range balance {
		if b != 0 {
			return nil, fmt.Errorf("post %s %s: %w (%s %+d)", t.Kind, t.Reference, ErrUnbalanced, cur, b)
		}
	}
	out := make([]Entry, 0, len(order))
	for _, k := range order {
		if sums[k] == 0 {
			continue
		}
		e := Entry{Account: k.account, VendorID: k.vendor, Amount: sums[k], Currency: k.currency}
		if k.due != 0 {
			e.DueAt = time.Unix(0, k.due).UTC()
		}
		out = append(out, e)
	}
	return out, nil
}

// Posted reports whether the transaction kind/reference exists.
func Posted(ctx context.Context, q db.Querier, kind, reference string) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_transactions WHERE kind = ? AND reference = ?`,
		kind, reference).Scan(&n); err != nil {
		return false, fmt.Errorf("ledger: %w", err)
	}
	return n > 0, nil
}

// Line is what a document's transactions left on one account for one
// vendor, currency and due date.
type Line struct {
	Account  string
	VendorID int64
	Currency string
	DueAt    time.Time
	Amount   int64 // debit positive, credit negative
}

// Lines returns the balances a document's transactions left, by account,
// vendor, currency and due date, zero ones left out, ordered by vendor,
// account, currency and due date. Read it in the transaction that posts
// after it, with the document's row locked, so nothing moves in between.
func Lines(ctx context.Context, q db.Querier, document string) ([]Line, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.account, COALESCE(e.vendor_id, 0), e.currency, e.due_at, SUM(e.amount)
		FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
		WHERE t.document = ? GROUP BY e.account, e.vendor_id, e.currency, e.due_at`, document)
	if err != nil {
		return nil, fmt.Errorf("ledger lines: %w", err)
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		var l Line
		var due sql.NullTime
		if err := rows.Scan(&l.Account, &l.VendorID, &l.Currency, &due, &l.Amount); err != nil {
			return nil, fmt.Errorf("ledger lines: %w", err)
		}
		if l.Amount == 0 {
			continue
		}
		if due.Valid {
			l.DueAt = due.Time.UTC()
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger lines: %w", err)
	}
	slices.SortFunc(out, func(a, b Line) int {
		switch {
		case a.VendorID != b.VendorID:
			return cmp.Compare(a.VendorID, b.VendorID)
		case a.Account != b.Account:
			return strings.Compare(a.Account, b.Account)
		case a.Currency != b.Currency:
			return strings.Compare(a.Currency, b.Currency)
		}
		return a.DueAt.Compare(b.DueAt)
	})
	return out, nil
}

// Allocate splits total (≥ 0) among weights (≥ 0, not all zero) in
// proportion, in whole minor units that add up to total exactly: each share
// is the floor of its exact part, and the units left over go one each to the
// largest remainders (the first of equal ones). A share never exceeds its
// weight when total does not exceed the weights' sum.
func Allocate(total int64, weights []int64) []int64 {
	shares := make([]int64, len(weights))
	var sum uint64
	for _, w := range weights {
		if w < 0 {
			panic("ledger.Allocate: negative weight")
		}
		sum += uint64(w)
	}
	if total < 0 || sum == 0 {
		if total == 0 {
			return shares
		}
		panic("ledger.Allocate: negative total or no weight")
	}
	rems := make([]uint64, len(weights))
	var given int64
	for i, w := range weights {
		hi, lo := bits.Mul64(uint64(total), uint64(w))
		q, r := bits.Div64(hi, lo, sum) // total×w < sum×2⁶⁴ as total < 2⁶³
		shares[i], rems[i] = int64(q), r
		given += int64(q)
	}
	idx := make([]int, len(weights))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case rems[a] > rems[b]:
			return -1
		case rems[a] < rems[b]:
			return 1
		}
		return 0
	})
	for _, i := range idx[:total-given] {
		shares[i]++
	}
	return shares
}

// VATIncluded is the VAT inside a VAT-inclusive amount at rateBP, rounded
// half away from zero to the minor unit (as order lines' VAT is).
func VATIncluded(amount int64, rateBP int) int64 {
	if rateBP == 0 || amount == 0 {
		return 0
	}
	neg := amount < 0
	if neg {
		amount = -amount
	}
	net := (amount*10000 + int64(10000+rateBP)/2) / int64(10000+rateBP)
	if neg {
		return -(amount - net)
	}
	return amount - net
}

// Commission is rateBP basis points of amount, rounded half away from zero.
func Commission(amount int64, rateBP int) int64 {
	neg := amount < 0
	if neg {
		amount = -amount
	}
	c := (amount*int64(rateBP) + 5000) / 10000
	if neg {
		return -c
	}
	return c
}
