package money

import (
	"errors"
	"strconv"
	"strings"
)

// ErrAmountSyntax is ParseDirhams failing to read an amount. Callers turn it
// into an errs.Error naming the field.
var ErrAmountSyntax = errors.New("money: not an amount such as 120,50 or 120.50")

// westernDigits writes Arabic-Indic and Persian digits as ASCII and the
// Arabic decimal separator as a comma, and drops the spaces (plain,
// no-break, thin) people put between thousands.
var westernDigits = strings.NewReplacer(
	"٠", "0", "١", "1", "٢", "2", "٣", "3", "٤", "4", "٥", "5", "٦", "6", "٧", "7", "٨", "8", "٩", "9",
	"۰", "0", "۱", "1", "۲", "2", "۳", "3", "۴", "4", "۵", "5", "۶", "6", "۷", "7", "۸", "8", "۹", "9",
	"٫", ",", "٬", "", " ", "", "\u00a0", "", "\u202f", "", "\u2009", "")

// WesternDigits writes a number as typed on an Arabic or Persian keyboard
// with ASCII digits, and drops the spaces grouping thousands: "١ ٢٠٠" is
// "1200".
func WesternDigits(s string) string { return westernDigits.Replace(strings.TrimSpace(s)) }

// dirhamUnits are what people write after an amount of dirhams.
var dirhamUnits = []string{"د.م.", "درهم", "MAD", "DHS", "DH"}

// ParseDirhams reads an amount of dirhams as people type it: "120",
// "120,5", "120.50", "1 200,50", "120,50 DH", "١٢٠٫٥٠ د.م.", "-3" (a sign is
// kept, so that the domain refuses it as negative). A third decimal, or both
// "," and "." in one amount, are ErrAmountSyntax: "1.200" may mean 1.2 or
// 1200, and a typo in a price must be refused, not guessed at.
func ParseDirhams(s string) (Money, error) {
	s = strings.ToUpper(WesternDigits(s))
	for _, unit := range dirhamUnits {
		s = strings.TrimSuffix(s, unit)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if strings.Contains(s, ",") && strings.Contains(s, ".") {
		return Money{}, ErrAmountSyntax
	}
	whole, frac, hasSep := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" || len(whole) > 12 || len(frac) > 2 || (hasSep && frac == "") || !digitsOnly(whole) || !digitsOnly(frac) {
		return Money{}, ErrAmountSyntax
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	c, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	v := w*100 + c
	if neg {
		v = -v
	}
	return Dirhams(v), nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
