package morocco

import (
	"strings"
	"testing"
)

func TestRIB(t *testing.T) {
	first22 := "0117800000123456789012"
	valid := first22 + RIBKey(first22)
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{valid, valid, true},
		{"011 780 0000123456789012 " + RIBKey(first22), valid, true},
		{first22 + "00", "", RIBKey(first22) == "00"},
		{valid[:23], "", false},
		{valid + "1", "", false},
		{strings.Replace(valid, "1", "l", 1), "", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, ok := NormalizeRIB(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("NormalizeRIB(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	// Every single-digit change of a valid RIB is caught by the key.
	for i := 0; i < 24; i++ {
		b := []byte(valid)
		b[i] = '0' + (b[i]-'0'+1)%10
		if _, ok := NormalizeRIB(string(b)); ok {
			t.Errorf("changed digit %d still passes", i)
		}
	}
}

func TestIBAN(t *testing.T) {
	first22 := "0117800000123456789012"
	rib := first22 + RIBKey(first22)
	iban := IBAN(rib)
	if len(iban) != 28 || !strings.HasPrefix(iban, "MA") {
		t.Fatalf("IBAN(%s) = %s", rib, iban)
	}
	// ISO 13616: move the first four characters to the end, letters to numbers, mod 97 = 1.
	moved := iban[4:] + "2210" + iban[2:4]
	if mod97(moved) != 1 {
		t.Fatalf("IBAN %s fails its own check", iban)
	}
}

func TestICE(t *testing.T) {
	if got, ok := NormalizeICE("001 234 567 000 089"); !ok || got != "001234567000089" {
		t.Errorf("spaced ICE: %q %v", got, ok)
	}
	for _, bad := range []string{"12345678901234", "1234567890123456", "00123456700008A", ""} {
		if _, ok := NormalizeICE(bad); ok {
			t.Errorf("NormalizeICE(%q) accepted", bad)
		}
	}
}

func TestPhone(t *testing.T) {
	good := map[string]string{
		"0612345678":            "+212612345678",
		"06 12 34 56 78":        "+212612345678",
		"+212 6 12 34 56 78":    "+212612345678",
		"+212 (0)6-12-34-56-78": "+212612345678",
		"00212712345678":        "+212712345678",
		"0522123456":            "+212522123456",
	}
	for in, want := range good {
		if got, ok := NormalizePhone(in); !ok || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"0812345678", "061234567", "+33612345678", "612345678", "06123456789", "+212 8 12 34 56 78", "phone", ""} {
		if got, ok := NormalizePhone(bad); ok {
			t.Errorf("NormalizePhone(%q) accepted as %q", bad, got)
		}
	}
}

func TestRegions(t *testing.T) {
	if len(Regions) != 12 {
		t.Fatalf("%d regions, want 12", len(Regions))
	}
	for _, r := range Regions {
		for _, l := range []string{"ar", "fr", "en", "es", "zgh"} {
			if r.Names[l] == "" {
				t.Errorf("region %s has no %s name", r.Code, l)
			}
		}
		if got, ok := RegionByCode(r.Code); !ok || got.Code != r.Code {
			t.Errorf("RegionByCode(%s) failed", r.Code)
		}
	}
}

// isTifinagh reports whether s is a name written in Tifinagh (U+2D30–U+2D7F),
// words separated by single spaces or hyphens.
func isTifinagh(s string) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	prevSep := true
	for _, r := range s {
		sep := r == ' ' || r == '-'
		if !sep && (r < 0x2D30 || r > 0x2D7F) || sep && prevSep {
			return false
		}
		prevSep = sep
	}
	return !prevSep
}

func TestCities(t *testing.T) {
	if len(Cities) != 44 {
		t.Errorf("%d cities, want 44", len(Cities))
	}
	for _, c := range Cities {
		for _, l := range []string{"ar", "fr", "en", "es", "zgh"} {
			if c.Names[l] == "" {
				t.Errorf("city %s has no %s name", c.Code, l)
			}
		}
		if !isTifinagh(c.Names["zgh"]) {
			t.Errorf("city %s: zgh name %q is not written in Tifinagh", c.Code, c.Names["zgh"])
		}
		if got := c.Name("zgh"); got != c.Names["zgh"] {
			t.Errorf("city %s: Name(zgh) = %q, falls back instead of %q", c.Code, got, c.Names["zgh"])
		}
		if _, ok := RegionByCode(c.Region); !ok {
			t.Errorf("city %s: unknown region %s", c.Code, c.Region)
		}
		if got, ok := CityByCode(c.Code); !ok || got.Code != c.Code {
			t.Errorf("CityByCode(%s) failed", c.Code)
		}
	}
	for _, s := range []string{"ⴰⵢⵜ ⵎⵍⵍⴰⵍ", "ⵎⵕⵕⴰⴽⵯⵛ", "ⵜⵉⵟⵟⴰⵡⵉⵏ-ⴰⴳⴰⴷⵉⵔ"} {
		if !isTifinagh(s) {
			t.Errorf("isTifinagh(%q) = false", s)
		}
	}
	for _, s := range []string{"", "Tanger", "طنجة", "ⵟⴰⵏⵊⴰ ", " ⵟⴰⵏⵊⴰ", "ⴰⵢⵜ  ⵎⵍⵍⴰⵍ", "ⵟⴰⵏⵊⴰ1"} {
		if isTifinagh(s) {
			t.Errorf("isTifinagh(%q) = true", s)
		}
	}
}

func FuzzNormalizeRIB(f *testing.F) {
	f.Add("011780000012345678901234")
	f.Add("011 780 0000 1234 5678 9012 34")
	f.Add("٠١١٧٨٠")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizeRIB(s)
		if ok && (len(got) != 24 || mod97(got) != 0) {
			t.Fatalf("accepted %q as %q", s, got)
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	f.Add("0612345678")
	f.Add("+212 6 12 34 56 78")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizePhone(s)
		if ok && (len(got) != 13 || !strings.HasPrefix(got, "+212")) {
			t.Fatalf("accepted %q as %q", s, got)
		}
	})
}
