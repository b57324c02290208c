package money

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestFromMAD(t *testing.T) {
	cases := []struct {
		centimes, rate int64
		to             string
		want           int64
	}{
		{15000, 10_850_000, "EUR", 1382},                           // 150 MAD / 10.85 = 13.8248… → 13.82 €
		{15000, 9_950_000, "USD", 1508},                            // 15.0753… → 15.08 $
		{0, 10_850_000, "EUR", 0},                                  //
		{1085, 10_850_000, "EUR", 100},                             // exact
		{5, 10_000_000, "EUR", 1},                                  // 0.5 cent: half away from zero
		{-5, 10_000_000, "EUR", -1},                                // −0.5 cent: away from zero too
		{4, 10_000_000, "EUR", 0},                                  // 0.4 cent: down
		{15, 10_000_000, "EUR", 2},                                 // 1.5 cents: up (not to even)
		{25, 10_000_000, "EUR", 3},                                 // 2.5 cents: up (half-even would give 2)
		{-25, 10_000_000, "EUR", -3},                               //
		{1, 1, "EUR", 1_000_000},                                   // the smallest rate
		{math.MaxInt64, RateScale, "EUR", math.MaxInt64},           // 1:1, the largest amount
		{math.MaxInt64, 100 * RateScale, "USD", 92233720368547758}, // ÷100: …58.07 → …58
		{-math.MaxInt64, 100 * RateScale, "USD", -92233720368547758},
	}
	for _, c := range cases {
		got, err := FromMAD(Dirhams(c.centimes), c.to, c.rate)
		if err != nil || got != New(c.want, c.to) {
			t.Errorf("FromMAD(%d, %s, %d) = %v, %v; want %d", c.centimes, c.to, c.rate, got, err, c.want)
		}
	}

	if got, err := FromMAD(Dirhams(123), MAD, 0); err != nil || got != Dirhams(123) {
		t.Errorf("MAD to MAD: %v %v", got, err)
	}
	for _, c := range []struct {
		m    Money
		to   string
		rate int64
		want error
	}{
		{New(100, "EUR"), "USD", RateScale, ErrCurrency}, // only from MAD
		{Dirhams(100), "XXX", RateScale, ErrCurrency},
		{Dirhams(100), "EUR", 0, ErrRate},
		{Dirhams(100), "EUR", -1, ErrRate},
		{Dirhams(math.MaxInt64), "EUR", RateScale - 1, ErrOverflow}, // × 1.000001…
		{Dirhams(math.MinInt64), "EUR", RateScale, ErrOverflow},
		{Dirhams(math.MaxInt64), "EUR", 1, ErrOverflow},
		{Dirhams(1), "EUR", math.MaxInt64, nil}, // a huge rate: the denominator needs 128 bits
	} {
		_, err := FromMAD(c.m, c.to, c.rate)
		if !errors.Is(err, c.want) {
			t.Errorf("FromMAD(%v, %s, %d): %v, want %v", c.m, c.to, c.rate, err, c.want)
		}
	}
}

// TestFromMADMatchesBigRat checks the integer arithmetic against exact
// rational arithmetic on random amounts and rates, near-halves included.
func TestFromMADMatchesBigRat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	half := big.NewRat(1, 2)
	for i := range 20000 {
		amount := rng.Int64N(1<<40) - 1<<39
		if i%4 == 0 {
			amount = rng.Int64() - math.MaxInt64/2
		}
		rate := rng.Int64N(200*RateScale) + 1
		got, err := FromMAD(Dirhams(amount), "EUR", rate)
		// exact = amount × RateScale / rate cents (both currencies have 2 decimals)
		exact := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(amount), big.NewInt(RateScale)), big.NewInt(rate))
		abs := new(big.Rat).Abs(exact)
		abs.Add(abs, half)
		want := new(big.Int).Quo(abs.Num(), abs.Denom()) // floor(|x| + ½)
		if exact.Sign() < 0 {
			want.Neg(want)
		}
		if !want.IsInt64() {
			if !errors.Is(err, ErrOverflow) {
				t.Fatalf("%d at %d: %v %v, want overflow", amount, rate, got, err)
			}
			continue
		}
		if err != nil || got.Amount != want.Int64() {
			t.Fatalf("%d centimes at %d: got %v %v, want %s", amount, rate, got, err, want)
		}
	}
}

func TestParseRate(t *testing.T) {
	good := map[string]int64{
		"10.85": 10_850_000, "10": 10_000_000, "0.000001": 1, "9.123456": 9_123_456, "010.5": 10_500_000,
		"0": 0, "999999999999.999999": 999_999_999_999_999_999,
	}
	for s, want := range good {
		if got, err := ParseRate(s); err != nil || got != want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", s, got, err, want)
		}
		if want > 0 {
			if back, _ := ParseRate(FormatRate(want)); back != want {
				t.Errorf("FormatRate(%d) = %q does not read back", want, FormatRate(want))
			}
		}
	}
	for _, s := range []string{"", ".5", "10.", "10,85", "1e3", "-10.85", "+10.85", " 10.85", "10.85 ", "10.8500001",
		"0x10", "1_000", "١٠.٨٥", "NaN", "Inf", "1000000000000", "10..85", "10.8.5"} {
		if got, err := ParseRate(s); !errors.Is(err, ErrRateSyntax) {
			t.Errorf("ParseRate(%q) = %d, %v; want a syntax error", s, got, err)
		}
	}
}

func TestFormatRate(t *testing.T) {
	for r, want := range map[int64]string{10_850_000: "10.85", 10_000_000: "10.00", 9_123_456: "9.123456", 1: "0.000001", 10_850_500: "10.8505"} {
		if got := FormatRate(r); got != want {
			t.Errorf("FormatRate(%d) = %q, want %q", r, got, want)
		}
	}
}
