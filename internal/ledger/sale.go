package ledger

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Africa/Casablanca on every machine
)

// How a sale is booked: pure functions from amounts (and a document's
// Lines) to entries, which the order package posts in its transactions.

// Sale is one vendor's parcel of a paid order.
type Sale struct {
	VendorID   int64
	Currency   string
	Items      int64 // the parcel's lines, VAT included
	Shipping   int64 // VAT included
	Commission int64 // VAT included, taken out of Items
	Carrier    string
	// Paid is the account the customer's money is in: Clearing(method),
	// or COD(carrier) for cash on delivery.
	Paid string
	// DueAt is when the vendor may be paid its earning: zero while the
	// parcel is not delivered (the earning waits on payable:vendor:undelivered).
	DueAt time.Time
}

// Entries books the sale: the customer's money in, the vendor's earning,
// the commission and its VAT, the shipping fees.
func (s Sale) Entries() []Entry {
	vat := VATIncluded(s.Commission, CommissionVATBP)
	earning := Entry{Account: VendorUndelivered, VendorID: s.VendorID, Amount: -(s.Items - s.Commission), Currency: s.Currency}
	if !s.DueAt.IsZero() {
		earning.Account, earning.DueAt = VendorPayable, s.DueAt
	}
	return []Entry{
		{Account: s.Paid, VendorID: s.VendorID, Amount: s.Items + s.Shipping, Currency: s.Currency},
		earning,
		{Account: CommissionRevenue, VendorID: s.VendorID, Amount: -(s.Commission - vat), Currency: s.Currency},
		{Account: CommissionVAT, VendorID: s.VendorID, Amount: -vat, Currency: s.Currency},
		{Account: Shipping(s.Carrier), VendorID: s.VendorID, Amount: -s.Shipping, Currency: s.Currency},
	}
}

// Cancelled books money paid for a parcel cancelled before it came: all of
// it is owed back to the customer.
func (s Sale) Cancelled() []Entry {
	return []Entry{
		{Account: s.Paid, VendorID: s.VendorID, Amount: s.Items + s.Shipping, Currency: s.Currency},
		{Account: RefundsOwed, VendorID: s.VendorID, Amount: -(s.Items + s.Shipping), Currency: s.Currency},
	}
}

// Returned books money paid for a parcel returned before it came: the
// carrier keeps its fee, the items' price is owed back to the customer.
func (s Sale) Returned() []Entry {
	return []Entry{
		{Account: s.Paid, VendorID: s.VendorID, Amount: s.Items + s.Shipping, Currency: s.Currency},
		{Account: Shipping(s.Carrier), VendorID: s.VendorID, Amount: -s.Shipping, Currency: s.Currency},
		{Account: RefundsOwed, VendorID: s.VendorID, Amount: -s.Items, Currency: s.Currency},
	}
}

// saleAccount reports the accounts a booked sale holds: the vendor's
// earning, the commission and its VAT, and (when shipping) the carrier's fee.
func saleAccount(account string, shipping bool) bool {
	switch account {
	case VendorUndelivered, VendorPayable, CommissionRevenue, CommissionVAT:
		return true
	}
	return shipping && strings.HasPrefix(account, "shipping:")
}

// Deliver moves what vendorID earned in a document's lines and waits for
// delivery to payable:vendor, due at due.
func Deliver(lines []Line, vendorID int64, due time.Time) []Entry {
	var out []Entry
	for _, l := range lines {
		if l.VendorID == vendorID && l.Account == VendorUndelivered && l.Amount < 0 {
			out = append(out,
				Entry{Account: VendorUndelivered, VendorID: vendorID, Amount: -l.Amount, Currency: l.Currency},
				Entry{Account: VendorPayable, VendorID: vendorID, Amount: l.Amount, Currency: l.Currency, DueAt: due})
		}
	}
	return out
}

// TakeBack reverses everything vendorID's sale still holds in a document's
// lines — its earning (due or not, even paid out), the commission, its VAT,
// and the shipping when shipping is true — into refunds:owed: the customer
// is owed it back.
func TakeBack(lines []Line, vendorID int64, shipping bool) []Entry {
	var out []Entry
	owed := map[string]int64{}
	var currencies []string
	for _, l := range lines {
		if l.VendorID != vendorID || l.Amount >= 0 || !saleAccount(l.Account, shipping) {
			continue
		}
		out = append(out, Entry{Account: l.Account, VendorID: vendorID, Amount: -l.Amount, Currency: l.Currency, DueAt: l.DueAt})
		if _, ok := owed[l.Currency]; !ok {
			currencies = append(currencies, l.Currency)
		}
		owed[l.Currency] += -l.Amount
	}
	for _, cur := range currencies {
		out = append(out, Entry{Account: RefundsOwed, VendorID: vendorID, Amount: -owed[cur], Currency: cur})
	}
	return out
}

// ErrRefundTooLarge is Refund's answer when a document holds less than the
// amount to refund.
var ErrRefundTooLarge = errors.New("ledger: refund larger than what the sale holds")

// Refundable is what a document can still give back in currency: what it
// owes the customer and what its sales still hold.
func Refundable(lines []Line, currency string) int64 {
	var n int64
	for _, l := range lines {
		if l.Currency == currency && l.Amount < 0 && (l.Account == RefundsOwed || saleAccount(l.Account, true)) {
			n -= l.Amount
		}
	}
	return n
}

// Refund books amount going back to the customer out of account from
// (Clearing(method) or Bank): first what the document owes the customer
// (refunds:owed), then the rest from every line of its sales in proportion
// — each vendor's earning (due or not), the commission, its VAT, the
// shipping — with Allocate, so the shares add up to the amount exactly.
// Each vendor's part leaves from with that vendor's id.
func Refund(lines []Line, currency string, amount int64, from string) ([]Entry, error) {
	if amount <= 0 {
		return nil, fmt.Errorf("ledger refund: amount %d", amount)
	}
	if n := Refundable(lines, currency); amount > n {
		return nil, fmt.Errorf("%w: %d of %d %s", ErrRefundTooLarge, amount, n, currency)
	}
	var out []Entry
	paid := map[int64]int64{}
	left := amount
	for _, l := range lines {
		if left == 0 {
			break
		}
		if l.Account != RefundsOwed || l.Currency != currency || l.Amount >= 0 {
			continue
		}
		take := min(left, -l.Amount)
		out = append(out, Entry{Account: RefundsOwed, VendorID: l.VendorID, Amount: take, Currency: currency})
		paid[l.VendorID] += take
		left -= take
	}
	if left > 0 {
		var sale []Line
		var weights []int64
		for _, l := range lines {
			if l.Currency == currency && l.Amount < 0 && saleAccount(l.Account, true) {
				sale = append(sale, l)
				weights = append(weights, -l.Amount)
			}
		}
		for i, share := range Allocate(left, weights) {
			if share == 0 {
				continue
			}
			l := sale[i]
			out = append(out, Entry{Account: l.Account, VendorID: l.VendorID, Amount: share, Currency: currency, DueAt: l.DueAt})
			paid[l.VendorID] += share
		}
	}
	vendors := make([]int64, 0, len(paid))
	for v := range paid {
		vendors = append(vendors, v)
	}
	slices.Sort(vendors)
	for _, v := range vendors {
		out = append(out, Entry{Account: from, VendorID: v, Amount: -paid[v], Currency: currency})
	}
	return out, nil
}

// Casablanca is the time zone of due dates.
var Casablanca = func() *time.Location {
	l, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		panic(err)
	}
	return l
}()

// DueAt is when an earning that starts at from (a delivery) may be paid,
// hours later on Casablanca's clocks: whole days are added to the calendar
// day in Africa/Casablanca and the hours left to its time, so 72 hours after
// Monday 15:00 is Thursday 15:00 even across the clock change of Ramadan.
func DueAt(from time.Time, hours int) time.Time {
	l := from.In(Casablanca)
	return time.Date(l.Year(), l.Month(), l.Day()+hours/24, l.Hour()+hours%24, l.Minute(), l.Second(), l.Nanosecond(), Casablanca).UTC()
}
