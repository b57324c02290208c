package money

import "testing"

func TestString(t *testing.T) {
	cases := map[Money]string{
		Dirhams(12500):   "125.00 MAD",
		Dirhams(5):       "0.05 MAD",
		Dirhams(-199):    "-1.99 MAD",
		New(1000, "EUR"): "10.00 EUR",
	}
	for m, want := range cases {
		if got := m.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", m, got, want)
		}
	}
	if Known("XXX") || !Known("MAD") {
		t.Error("Known")
	}
}
