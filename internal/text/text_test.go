package text

import (
	"sync"
	"testing"
)

func TestSlugify(t *testing.T) {
	cases := map[string]string{
		"Coopérative Tifaouine d'Argan": "cooperative-tifaouine-d-argan",
		"  Huile d’Argan — 250 ml ":     "huile-d-argan-250-ml",
		"تعاونية أركان":                 "",
		"Safran de Taliouine (1 g)":     "safran-de-taliouine-1-g",
	}
	for in, want := range cases {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidSlug(t *testing.T) {
	for _, s := range []string{"ab", "argan-oil-250", "a1"} {
		if !ValidSlug(s) {
			t.Errorf("ValidSlug(%q) = false", s)
		}
	}
	for _, s := range []string{"", "a", "123", "-ab", "ab-", "a--b", "Ab", "a b", "زيت"} {
		if ValidSlug(s) {
			t.Errorf("ValidSlug(%q) = true", s)
		}
	}
}

func TestCheck(t *testing.T) {
	if Check("", true, 10) != "field.required" || Check("", false, 10) != "" {
		t.Error("required")
	}
	if Check("زيت الأركان", true, 11) != "" || Check("زيت الأركان", true, 10) != "field.too_long" {
		t.Error("length counts characters, not bytes")
	}
	if Check("a\x00b", true, 10) != "field.control_chars" || Check("a\xffb", true, 10) != "field.utf8" {
		t.Error("bad characters")
	}
	if Clean(" e\u0301 ") != "é" {
		t.Error("Clean must trim and compose to NFC")
	}
}

// TestSlugifyConcurrently: requests slugify names at the same time; each
// must get its own answer (run with -race).
func TestSlugifyConcurrently(t *testing.T) {
	names := map[string]string{"Coopérative Tifaouine": "cooperative-tifaouine", "Éditions Le Fennec": "editions-le-fennec", "Huile d’argan": "huile-d-argan"}
	var wg sync.WaitGroup
	for range 8 {
		for in, want := range names {
			wg.Go(func() {
				for range 200 {
					if got := Slugify(in); got != want {
						t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
						return
					}
				}
			})
		}
	}
	wg.Wait()
}
