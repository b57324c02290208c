package search

import "testing"

func TestNormalizeArabic(t *testing.T) {
	same := [][]string{
		{"زيت الأركان", "زيت الاركان", "زَيْتُ الأَرْكان", "زيـــت الإركان", "زيت الآركان"},
		{"مكتبة", "مكتبه"},
		{"مستشفى", "مستشفي"},
		{"مسؤول", "مسوول"},
		{"رئيس", "رييس"},
		{"سماء", "سما"},
		{"٢٥٠ مل", "250 مل", "۲۵۰ مل"},
	}
	for _, group := range same {
		want := Normalize(group[0])
		for _, s := range group[1:] {
			if got := Normalize(s); got != want {
				t.Errorf("Normalize(%q) = %q, want %q (as %q)", s, got, want, group[0])
			}
		}
	}
}

func TestNormalizeLatin(t *testing.T) {
	cases := map[string]string{
		"Huile d’Argan":          "huile d argan",
		"huile d'argan":          "huile d argan",
		"  Crème   à la ROSE! ":  "creme a la rose",
		"Piñones & Jalapeño":     "pinones jalapeno",
		"Œuvres complètes":       "oeuvres completes",
		"ⵜⴰⵎⴰⵣⵉⵖⵜ":               "ⵜⴰⵎⴰⵣⵉⵖⵜ",
		"ISBN 978-2-07-036822-8": "isbn 978 2 07 036822 8",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Terms("a b c d e f g h i j"); len(got) != 8 {
		t.Errorf("Terms keeps %d words", len(got))
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("زَيْتُ الأَرْكان d’Argan")
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, Normalize(n))
		}
	})
}
