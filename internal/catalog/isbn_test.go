package catalog

import "testing"

func TestNormalizeISBN(t *testing.T) {
	good := map[string]string{
		"978-9954-1-0000-4":          "9789954100004",
		"9789981890022":              "9789981890022",
		"ISBN 978-2-07-036822-8":     "9782070368228",
		"ISBN-13: 978 2 07 036822 8": "9782070368228",
		"2-07-036822-X":              "9782070368228",
		"0-306-40615-2":              "9780306406157",
	}
	for in, want := range good {
		if got, ok := NormalizeISBN(in); !ok || got != want {
			t.Errorf("NormalizeISBN(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"9782070368229", "978207036822", "97820703682280", "2070368228", "abc", "", "X782070368228", "9772070368228", "207036X822"} {
		if got, ok := NormalizeISBN(bad); ok {
			t.Errorf("NormalizeISBN(%q) accepted as %q", bad, got)
		}
	}
	if got := ISBNCheckDigit("978995410000"); got != "9789954100004" {
		t.Errorf("ISBNCheckDigit = %s", got)
	}
}

func FuzzNormalizeISBN(f *testing.F) {
	f.Add("978-2-07-036822-8")
	f.Add("2-07-036822-X")
	f.Add("ISBN-13: 978 9954 1 0000 7")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizeISBN(s)
		if !ok {
			return
		}
		if len(got) != 13 || isbn13Check([]byte(got[:12])) != got[12] {
			t.Fatalf("accepted %q as invalid %q", s, got)
		}
		if again, ok := NormalizeISBN(got); !ok || again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}
