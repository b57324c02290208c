package cmi_test

import (
	"math"
	"strings"
	"testing"

	"souk/internal/payment/cmi"
)

func TestFormatAmount(t *testing.T) {
	cases := map[int64]string{
		0:             "0.00",
		5:             "0.05",
		1060:          "10.60",
		123400:        "1234.00",
		-5:            "-0.05",
		-1060:         "-10.60",
		math.MaxInt64: "92233720368547758.07",
		math.MinInt64: "-92233720368547758.08",
	}
	for in, want := range cases {
		if got := cmi.FormatAmount(in); got != want {
			t.Errorf("FormatAmount(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	ok := map[string]int64{
		"0":                    0,
		"10.60":                1060,
		"10.6":                 1060,
		"10":                   1000,
		"1234.00":              123400,
		"007.05":               705,
		"92233720368547758.07": math.MaxInt64,
	}
	for in, want := range ok {
		got, valid := cmi.ParseAmount(in)
		if !valid || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d, true", in, got, valid, want)
		}
	}
	for _, in := range []string{"", ".", "10.", ".5", "10.600", "10,60", "-1", "+1", " 1", "1 ", "1e3",
		"1.2.3", "١٠", "0x10", "NaN", "92233720368547758.08", "99999999999999999999", "10.6a"} {
		if got, valid := cmi.ParseAmount(in); valid {
			t.Errorf("ParseAmount(%q) = %d, true; want false", in, got)
		}
	}
	for _, c := range []int64{0, 1, 99, 100, 1060, 987654321} {
		if got, ok := cmi.ParseAmount(cmi.FormatAmount(c)); !ok || got != c {
			t.Errorf("round trip of %d gave %d, %v", c, got, ok)
		}
	}
}

func testConfig() cmi.Config {
	return cmi.Config{ClientID: "600002599", StoreKey: "TEST1234", GatewayURL: "https://testpayment.cmi.co.ma/fim/est3Dgate"}
}

func testPayment() cmi.Payment {
	return cmi.Payment{
		OrderID:     "SOUK-42-1",
		Amount:      1060,
		OkURL:       "https://souk.example.ma/cmi/ok",
		FailURL:     "https://souk.example.ma/cmi/fail",
		CallbackURL: "https://souk.example.ma/cmi/callback",
		ShopURL:     "https://souk.example.ma/",
		Lang:        "ar",
		Email:       "client@example.ma",
		Name:        "Fatima Zahra",
	}
}

func TestForm(t *testing.T) {
	c := testConfig()
	f := c.Form(testPayment(), "nonce")
	want := map[string]string{
		"clientid":      "600002599",
		"storetype":     "3D_PAY_HOSTING",
		"TranType":      "PreAuth",
		"amount":        "10.60",
		"currency":      "504",
		"oid":           "SOUK-42-1",
		"okUrl":         "https://souk.example.ma/cmi/ok",
		"failUrl":       "https://souk.example.ma/cmi/fail",
		"CallbackURL":   "https://souk.example.ma/cmi/callback",
		"shopurl":       "https://souk.example.ma/",
		"lang":          "ar",
		"rnd":           "nonce",
		"hashAlgorithm": "ver3",
		"encoding":      "UTF-8",
		"email":         "client@example.ma",
		"BillToName":    "Fatima Zahra",
	}
	for name, v := range want {
		if got := f.Get(name); got != v {
			t.Errorf("%s = %q, want %q", name, got, v)
		}
	}
	if len(f) != len(want)+1 {
		t.Errorf("form has %d fields, want %d + HASH: %v", len(f), len(want), f)
	}
	if _, ok := f["tel"]; ok {
		t.Error("tel sent although empty")
	}
	if got, want := f.Get("HASH"), cmi.Hash(f, c.StoreKey); got != want {
		t.Errorf("HASH = %q, want %q", got, want)
	}
	for name, vs := range f {
		for _, v := range vs {
			if strings.Contains(v, c.StoreKey) || strings.EqualFold(name, "storekey") {
				t.Errorf("store key leaked in %s", name)
			}
		}
	}

	p := testPayment()
	p.Phone = " +212600000000 "
	p.Lang = "es"
	f = c.Form(p, "nonce")
	if got := f.Get("tel"); got != "+212600000000" {
		t.Errorf("tel = %q", got)
	}
	if got := f.Get("lang"); got != "fr" {
		t.Errorf("lang for es = %q, want fr", got)
	}
	for in, want := range map[string]string{"EN": "en", "fr": "fr", "": "fr", "zgh": "fr", " ar ": "ar"} {
		p.Lang = in
		if got := c.Form(p, "n").Get("lang"); got != want {
			t.Errorf("lang %q → %q, want %q", in, got, want)
		}
	}
}

func TestRandomNonce(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		n := cmi.RandomNonce()
		if len(n) < 16 || seen[n] {
			t.Fatalf("weak or repeated nonce %q", n)
		}
		seen[n] = true
	}
}
