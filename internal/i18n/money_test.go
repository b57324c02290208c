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
		{"es", money.New(1999, "EUR"), "19,99\u00a0EUR"},
		{"en", money.Dirhams(-5), "-MAD 0.05"},
	}
	for _, c := range cases {
		if got := FormatMoney(c.locale, c.m); got != c.want {
			t.Errorf("FormatMoney(%s, %v) = %q, want %q", c.locale, c.m, got, c.want)
		}
	}
}
