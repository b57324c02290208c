package httpcache

import "testing"

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                       false,
		"gzip":                   true,
		"gzip, deflate, br":      true,
		"br;q=1.0, gzip;q=0.8":   true,
		"gzip;q=0":               false,
		"gzip; q=0.000":          false,
		"*":                      true,
		"*;q=0":                  false,
		"*;q=0, gzip":            true, // naming gzip wins over the wildcard
		"gzip;q=0, *":            false,
		"identity":               false,
		"deflate, br":            false,
		"x-gzip":                 false,
		"gzip;q=0.001, identity": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
