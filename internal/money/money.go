// Package money is souk's only way to hold an amount: an integer count of
// minor units (centimes for the dirham) and an ISO 4217 code. Never a float.
package money

import (
	"fmt"
	"strconv"
	"strings"
)

// MAD is the Moroccan dirham, the marketplace's base currency.
const MAD = "MAD"

// Money is an amount in minor units of Currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// minorUnits are the decimals of the currencies souk knows (ISO 4217).
var minorUnits = map[string]int{"MAD": 2, "EUR": 2, "USD": 2}

// Known reports whether souk handles the currency code.
func Known(code string) bool { _, ok := minorUnits[code]; return ok }

// New returns amount minor units of currency.
func New(amount int64, currency string) Money { return Money{Amount: amount, Currency: currency} }

// Dirhams is a shorthand for amounts in MAD centimes.
func Dirhams(centimes int64) Money { return Money{Amount: centimes, Currency: MAD} }

// CompareCurrency orders currency codes as souk lists them: MAD first,
// then alphabetically.
func CompareCurrency(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == MAD:
		return -1
	case b == MAD:
		return 1
	}
	return strings.Compare(a, b)
}

// Decimal writes the amount alone with its decimals, "125.00", as machines
// read prices (schema.org offers).
func Decimal(m Money) string {
	s := m.String()
	return s[:strings.LastIndexByte(s, ' ')]
}

// String writes the amount with its decimals and code, "125.00 MAD"; pages
// format per locale through the i18n package.
func (m Money) String() string {
	d := minorUnits[m.Currency]
	if d == 0 {
		return strconv.FormatInt(m.Amount, 10) + " " + m.Currency
	}
	sign, a := "", m.Amount
	if a < 0 {
		sign, a = "-", -a
	}
	div := int64(1)
	for range d {
		div *= 10
	}
	return fmt.Sprintf("%s%d.%0*d %s", sign, a/div, d, a%div, m.Currency)
}
