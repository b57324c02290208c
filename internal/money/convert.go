package money

import (
	"errors"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// RateScale is the fixed point of exchange rates: a rate is the price of one
// unit of a foreign currency in MAD, times RateScale (six decimals), so
// 10.85 MAD per euro is 10_850_000. Integers only, like every amount.
const RateScale = 1_000_000

// Conversion and rate errors. Callers turn them into errs.Error values naming
// the field; they never reach a user as they are.
var (
	ErrOverflow   = errors.New("money: converted amount out of range")
	ErrCurrency   = errors.New("money: unknown or unconvertible currency")
	ErrRate       = errors.New("money: exchange rate must be greater than zero")
	ErrRateSyntax = errors.New("money: exchange rate must be a decimal number with at most 6 decimals")
)

// pow10 returns 10^n for the small n of minor units (0–3).
func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

// FromMAD converts m, an amount in MAD, into currency to at madPerUnit (MAD
// per one unit of to, times RateScale). It uses integer arithmetic only, on
// 128-bit intermediates, so every int64 amount converts exactly up to the
// one rounding step.
//
// Rounding: the exact quotient is rounded to the nearest minor unit of to,
// and a quotient exactly halfway between two minor units is rounded half
// away from zero (0.5 cent → 1 cent, −0.5 cent → −1 cent), the "commercial"
// rounding shoppers expect. There is no other rounding anywhere.
//
// Converting MAD to MAD returns m unchanged. A result that does not fit an
// int64 is ErrOverflow; a rate ≤ 0 (or too large to use) is ErrRate; m not
// in MAD, or to unknown, is ErrCurrency.
func FromMAD(m Money, to string, madPerUnit int64) (Money, error) {
	if m.Currency != MAD || !Known(to) {
		return Money{}, ErrCurrency
	}
	if to == MAD {
		return m, nil
	}
	if madPerUnit <= 0 {
		return Money{}, ErrRate
	}
	// amount in to's minor units = centimes × RateScale × 10^dTo / (rate × 10^dMAD)
	neg := m.Amount < 0
	abs := uint64(m.Amount)
	if neg {
		abs = -abs // two's complement: right for math.MinInt64 too
	}
	// The powers of ten of the minor units cancel first (MAD, EUR and USD all
	// have two), so the denominator is the rate itself for every known pair.
	mult, den := uint64(RateScale), uint64(madPerUnit)
	if dTo, dMAD := minorUnits[to], minorUnits[MAD]; dTo >= dMAD {
		mult *= pow10(dTo - dMAD)
	} else {
		var denHi uint64
		if denHi, den = bits.Mul64(den, pow10(dMAD-dTo)); denHi != 0 {
			return Money{}, ErrRate
		}
	}
	hi, lo := bits.Mul64(abs, mult)
	if hi >= den { // the quotient would not fit 64 bits (and Div64 would panic)
		return Money{}, ErrOverflow
	}
	q, r := bits.Div64(hi, lo, den)
	if r >= den-r && q < math.MaxInt64+1 { // r ≥ den/2 without computing 2·r: half away from zero
		q++
	}
	if q > math.MaxInt64 {
		return Money{}, ErrOverflow
	}
	out := int64(q)
	if neg {
		out = -out
	}
	return Money{Amount: out, Currency: to}, nil
}

// maxRateDigits bounds the whole part of a rate, so that whole × RateScale
// fits an int64 with room to spare.
const maxRateDigits = 12

// ParseRate reads a rate written as a decimal string with a dot and at most
// six decimals ("10.85", "9", "10.853210") into units of 1/RateScale. No
// sign, exponent, spaces, grouping or comma: a rate is typed by an operator
// and a typo must be refused, not guessed at. Zero parses; callers check
// the range.
func ParseRate(s string) (int64, error) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(whole) > maxRateDigits || (hasDot && (frac == "" || len(frac) > 6)) {
		return 0, ErrRateSyntax
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, ErrRateSyntax
			}
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, ErrRateSyntax
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
	}
	return w*RateScale + f, nil
}

// FormatRate writes a rate in units of 1/RateScale as a decimal string with
// at least two and at most six decimals: 10850000 → "10.85", 9123456 →
// "9.123456". ParseRate reads it back to the same value.
func FormatRate(r int64) string {
	sign, a := "", uint64(r)
	if r < 0 {
		sign, a = "-", -a
	}
	frac := strings.TrimRight(strconv.FormatUint(a%RateScale+RateScale, 10)[1:], "0")
	for len(frac) < 2 {
		frac += "0"
	}
	return sign + strconv.FormatUint(a/RateScale, 10) + "." + frac
}
