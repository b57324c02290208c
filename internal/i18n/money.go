package i18n

import (
	"strconv"
	"strings"

	"souk/internal/money"
)

// FormatMoney writes an amount the way readers of locale expect: "120,00 DH"
// in French, "120,00 د.م." in Arabic, "MAD 120.00" in English, "120,00 MAD"
// in Spanish. Digits stay Western, as Moroccan shops print them.
//
// Euros and US dollars take their CLDR symbols and places: "€13.82" and
// "$13.82" in English; "13,82 €" and "13,82 $US" in French; "13,82 €" and
// "13,82 US$" in Spanish, Arabic and Tamazight (Arabic as in Morocco: comma
// decimals, the symbol after the number, as its dirham amounts are written).
// Other codes are written as the code itself.
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
		switch code {
		case "EUR":
			return sign + "€" + group(",") + "." + cents
		case "USD":
			return sign + "$" + group(",") + "." + cents
		}
		return sign + code + " " + group(",") + "." + cents
	case "ar", "zgh":
		code = symbol(code, map[string]string{money.MAD: "د.م.", "EUR": "€", "USD": "US$"})
		return sign + group(" ") + "," + cents + "\u00a0" + code
	case "fr":
		code = symbol(code, map[string]string{money.MAD: "DH", "EUR": "€", "USD": "$US"})
		return sign + group("\u202f") + "," + cents + "\u00a0" + code
	}
	code = symbol(code, map[string]string{"EUR": "€", "USD": "US$"})
	return sign + group(".") + "," + cents + "\u00a0" + code
}

// symbol is the locale's sign for code, else the code.
func symbol(code string, symbols map[string]string) string {
	if s, ok := symbols[code]; ok {
		return s
	}
	return code
}
