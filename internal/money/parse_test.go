package money

import (
	"errors"
	"testing"
)

func TestParseDirhams(t *testing.T) {
	for in, want := range map[string]int64{
		"120": 12000, "120,5": 12050, "120.50": 12050, "0,05": 5, "1 200,50": 120050, "1\u202f200,50": 120050,
		"120,50 MAD": 12050, "120 dh": 12000, "45DHS": 4500, "١٢٠٫٥٠ د.م.": 12050, "۵۰۰": 50000, " 500 ": 50000,
		"-3": -300, "0": 0,
	} {
		got, err := ParseDirhams(in)
		if err != nil || got != Dirhams(want) {
			t.Errorf("ParseDirhams(%q) = %v, %v; want %d centimes", in, got, err, want)
		}
	}
	for _, in := range []string{"", " ", "abc", "1.200,50", "1,200.50", "12,345", "12.", ".5", "12a", "--3", "1e3", "EUR 12",
		"1234567890123"} {
		if got, err := ParseDirhams(in); !errors.Is(err, ErrAmountSyntax) {
			t.Errorf("ParseDirhams(%q) = %v, %v; want ErrAmountSyntax", in, got, err)
		}
	}
}

func TestWesternDigits(t *testing.T) {
	if got := WesternDigits(" ١ ٢٠٠ "); got != "1200" {
		t.Errorf("WesternDigits = %q", got)
	}
}
