package i18n

import "testing"

func TestPickFollowsChain(t *testing.T) {
	texts := map[string]string{"fr": "Huile d'argan", "ar": "زيت الأركان"}
	cases := []struct{ locale, want, from string }{
		{"ar", "زيت الأركان", "ar"},
		{"zgh", "زيت الأركان", "ar"},
		{"en", "Huile d'argan", "fr"},
		{"es", "Huile d'argan", "fr"},
		{"xx", "زيت الأركان", "ar"},
	}
	for _, c := range cases {
		got, from, ok := Pick(texts, c.locale)
		if !ok || got != c.want || from != c.from {
			t.Errorf("Pick(%s) = %q from %s, want %q from %s", c.locale, got, from, c.want, c.from)
		}
	}
	if _, _, ok := Pick(map[string]string{"fr": ""}, "fr"); ok {
		t.Error("empty texts must not count")
	}
}

func TestNegotiate(t *testing.T) {
	cases := map[string]string{
		"fr-FR,fr;q=0.9,en;q=0.8": "fr",
		"ar-MA":                   "ar",
		"es-ES,es;q=0.9":          "es",
		"zgh":                     "zgh",
		"de-DE":                   "en",
		"":                        "en",
		";;;garbage":              "en",
	}
	for in, want := range cases {
		if got := Negotiate(in, "en"); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", in, got, want)
		}
	}
}
