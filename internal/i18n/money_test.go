package i18n

import (
	"testing"

	"souk/internal/money"
)

func TestFormatMoney(t *testing.T) {
	cases := []struct {
		locale string
		m      money.Money
		want   string
	}{
		{"fr", money.Dirhams(12000), "120,00\u00a0DH"},
		{"fr", money.Dirhams(250000005), "2\u202f500\u202f000,05\u00a0DH"},
		{"ar", money.Dirhams(12000), "120,00\u00a0د.م."},
		{"en", money.Dirhams(1234567), "MAD 12,345.67"},
		{"es", money.New(1999, "EUR"), "19,99\u00a0€"},
		{"en", money.Dirhams(-5), "-MAD 0.05"},
		// Euros and dollars in every locale.
		{"en", money.New(1382, "EUR"), "€13.82"},
		{"en", money.New(123456789, "EUR"), "€1,234,567.89"},
		{"en", money.New(-5, "EUR"), "-€0.05"},
		{"en", money.New(1382, "USD"), "$13.82"},
		{"en", money.New(100000, "USD"), "$1,000.00"},
		{"fr", money.New(1382, "EUR"), "13,82\u00a0€"},
		{"fr", money.New(123456789, "EUR"), "1\u202f234\u202f567,89\u00a0€"},
		{"fr", money.New(1382, "USD"), "13,82\u00a0$US"},
		{"es", money.New(1382, "EUR"), "13,82\u00a0€"},
		{"es", money.New(123456789, "EUR"), "1.234.567,89\u00a0€"},
		{"es", money.New(1382, "USD"), "13,82\u00a0US$"},
		{"ar", money.New(1382, "EUR"), "13,82\u00a0€"},
		{"ar", money.New(123456789, "USD"), "1 234 567,89\u00a0US$"},
		{"ar", money.New(1382, "USD"), "13,82\u00a0US$"},
		{"zgh", money.New(1382, "EUR"), "13,82\u00a0€"},
		{"zgh", money.New(1382, "USD"), "13,82\u00a0US$"},
		{"zgh", money.Dirhams(12000), "120,00\u00a0د.م."},
		{"es", money.Dirhams(12000), "120,00\u00a0MAD"},
		// A code souk has no symbol for is written as the code.
		{"en", money.New(1382, "GBP"), "GBP 13.82"},
		{"fr", money.New(1382, "GBP"), "13,82\u00a0GBP"},
	}
	for _, c := range cases {
		if got := FormatMoney(c.locale, c.m); got != c.want {
			t.Errorf("FormatMoney(%s, %v) = %q, want %q", c.locale, c.m, got, c.want)
		}
	}
}
