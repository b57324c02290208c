package i18n

import (
	"strings"
	"testing"
)

func TestEveryMessageTranslated(t *testing.T) {
	for _, l := range []string{"fr", "ar", "es"} {
		for _, k := range Keys() {
			if !Has(l, k) {
				t.Errorf("%s has no message %q", l, k)
			}
		}
	}
}

func TestT(t *testing.T) {
	got := T("fr", "error.invalid", map[string]any{"fields": "rib, price"})
	if got != "Certains champs ne sont pas valides : rib, price." {
		t.Errorf("fr: %q", got)
	}
	if got := T("zgh", "field.required", nil); got != T("ar", "field.required", nil) {
		t.Errorf("zgh should fall back to Arabic, got %q", got)
	}
	if got := T("en", "no.such.key", nil); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
	for _, k := range Keys() {
		for _, l := range Locales {
			if msg := T(l, k, nil); strings.TrimSpace(msg) == "" {
				t.Errorf("%s/%s is empty", l, k)
			}
		}
	}
}

func TestPluralsInArabic(t *testing.T) {
	want := map[int]string{
		0:   "لا منتجات",
		1:   "منتج واحد",
		2:   "منتجان",
		3:   "3 منتجات",
		11:  "11 منتجًا",
		100: "100 منتج",
		102: "102 منتج",
		103: "103 منتجات",
	}
	for n, w := range want {
		if got := N("ar", "catalog.products_count", n, nil); got != w {
			t.Errorf("%d: %q, want %q", n, got, w)
		}
	}
}

func TestPluralsElsewhere(t *testing.T) {
	cases := []struct {
		locale string
		n      int
		want   string
	}{
		{"en", 1, "1 product"}, {"en", 0, "0 products"}, {"en", 2, "2 products"},
		{"fr", 0, "0 produit"}, {"fr", 1, "1 produit"}, {"fr", 2, "2 produits"},
		{"es", 1, "1 producto"}, {"es", 5, "5 productos"},
		{"zgh", 1, "1 ⵓⴼⴰⵔⵉⵙ"}, {"zgh", 3, "3 ⵉⴼⴰⵔⵉⵙⵏ"},
	}
	for _, c := range cases {
		if got := N(c.locale, "catalog.products_count", c.n, nil); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.locale, c.n, got, c.want)
		}
	}
}
