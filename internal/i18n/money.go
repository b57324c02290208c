package i18n

import (
	"strconv"
	"strings"

	"souk/internal/money"
)

// FormatMoney writes an amount the way readers of locale expect: "120,00 DH"
// in French, "120,00 د.م." in Arabic, "MAD 120.00" in English, "120,00 MAD"
// in Spanish. Digits stay Western, as Moroccan shops print them.
func FormatMoney(locale string, m money.Money) string {
	sign, a := "", m.Amount
	if a < 0 {
		sign, a = "-", -a
	}
	whole := strconv.FormatInt(a/100, 10)
	cents := strconv.FormatInt(a%100+100, 10)[1:]
	group := func(sep string) string {
		var b strings.Builder
		for i, r := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	code := m.Currency
	switch locale {
	case "en":
		return sign + code + " " + group(",") + "." + cents
	case "ar", "zgh":
		if code == money.MAD {
			code = "د.م."
		}
		return sign + group(" ") + "," + cents + "\u00a0" + code
	case "fr":
		if code == money.MAD {
			code = "DH"
		}
		return sign + group("\u202f") + "," + cents + "\u00a0" + code
	}
	return sign + group(".") + "," + cents + "\u00a0" + code
}
