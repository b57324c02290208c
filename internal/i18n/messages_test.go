package i18n

import (
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestEveryMessageTranslated(t *testing.T) {
	for _, l := range Locales {
		if l == "en" {
			continue
		}
		for _, k := range Keys() {
			if !Has(l, k) {
				t.Errorf("%s has no message %q", l, k)
			}
		}
	}
}

// placeholderRE matches anything in braces, so that a misspelt
// placeholder ("{totl}", "{ total}") shows up as a different name.
var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

func placeholders(text string) []string {
	seen := map[string]bool{}
	for _, p := range placeholderRE.FindAllString(text, -1) {
		seen[p] = true
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func sameSet(a, b []string) bool {
	return strings.Join(a, " ") == strings.Join(b, " ")
}

// Every locale's message for a key has exactly the placeholders of the
// English one: a dropped or misspelt {name} would leave the visitor without
// the number, price or name the message is about. In a plural message a
// form other than "other" may spell the number out instead of using
// {count} (Arabic: "منتج واحد"), but must keep every other placeholder.
func TestPlaceholdersMatchEnglish(t *testing.T) {
	valid := map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true}
	for _, k := range Keys() {
		en := messages["en"][k]
		for _, l := range Locales {
			m, ok := messages[l][k]
			if !ok || l == "en" {
				continue
			}
			if en.forms == nil {
				if m.forms != nil {
					t.Errorf("%s/%s: plural forms for a plain English message", l, k)
				} else if got, want := placeholders(m.text), placeholders(en.text); !sameSet(got, want) {
					t.Errorf("%s/%s: placeholders %v, want %v as in English", l, k, got, want)
				}
				continue
			}
			if m.forms == nil {
				t.Errorf("%s/%s: plain text for a plural English message", l, k)
				continue
			}
			want := placeholders(en.forms["other"])
			for form, text := range m.forms {
				if !valid[form] {
					t.Errorf("%s/%s: %q is not a CLDR plural form", l, k, form)
				}
				got := placeholders(text)
				if form != "other" && !strings.Contains(strings.Join(got, " "), "{count}") {
					got = append(got, "{count}")
					sort.Strings(got)
				}
				if !sameSet(got, want) {
					t.Errorf("%s/%s[%s]: placeholders %v, want %v as in English", l, k, form, placeholders(text), want)
				}
			}
			if _, ok := m.forms["other"]; !ok {
				t.Errorf("%s/%s: no \"other\" form", l, k)
			}
		}
	}
}

// The check above must catch what it is for: a dropped and a misspelt
// placeholder.
func TestPlaceholderCheckCatchesMistakes(t *testing.T) {
	want := placeholders("Order {number}: {total}")
	for _, bad := range []string{"Commande {number}", "Commande {number} : {totl}", "Commande {number} : { total}"} {
		if sameSet(placeholders(bad), want) {
			t.Errorf("%q passes as having %v", bad, want)
		}
	}
	if !sameSet(placeholders("{total} · {number} · {total}"), want) {
		t.Errorf("order and repetition of placeholders should not matter")
	}
}

func TestT(t *testing.T) {
	got := T("fr", "error.invalid", map[string]any{"fields": "rib, price"})
	if got != "Certains champs ne sont pas valides : rib, price." {
		t.Errorf("fr: %q", got)
	}
	// Tamazight falls back to Arabic: for a per-locale value without a
	// Tamazight text, and for a message Tamazight does not have (removed
	// here for the length of the check).
	if got, from, _ := Pick(map[string]string{"ar": "تعاونية", "fr": "Coopérative", "en": "Cooperative"}, "zgh"); got != "تعاونية" || from != "ar" {
		t.Errorf("Pick for zgh: %q from %s, want the Arabic", got, from)
	}
	saved, had := messages["zgh"]["field.required"]
	delete(messages["zgh"], "field.required")
	got = T("zgh", "field.required", nil)
	if had {
		messages["zgh"]["field.required"] = saved
	}
	if got != T("ar", "field.required", nil) {
		t.Errorf("zgh should fall back to Arabic, got %q", got)
	}
	if got := T("zgh", "field.required", nil); got == T("ar", "field.required", nil) {
		t.Errorf("zgh/field.required is still the Arabic %q", got)
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
