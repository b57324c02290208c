package demo

import (
	"math/rand/v2"
	"strings"
)

// tr is one text written in the four languages of the storefront's product
// and vendor pages. Arabic is in Arabic script; French, English and Spanish
// share the Latin spelling of place names.
type tr struct{ ar, fr, en, es string }

// locales are the locales a tr fills, in a fixed order (never a map's).
var locales = [4]string{"ar", "fr", "en", "es"}

// in returns the text for one of locales.
func (t tr) in(locale string) string {
	switch locale {
	case "ar":
		return t.ar
	case "fr":
		return t.fr
	case "en":
		return t.en
	}
	return t.es
}

// fill replaces "%s" in every language: Arabic gets the Arabic spelling of
// the name, the others the Latin one, French with "de" elided before a vowel
// when the pattern says "de %s".
func (t tr) fill(name place) tr {
	return tr{
		ar: strings.ReplaceAll(t.ar, "%s", name.ar),
		fr: elide(strings.ReplaceAll(t.fr, "%s", name.lat)),
		en: strings.ReplaceAll(t.en, "%s", name.lat),
		es: strings.ReplaceAll(t.es, "%s", name.lat),
	}
}

// place is a proper name — a douar, a town, a cooperative's chosen name — in
// Latin and Arabic script.
type place struct{ lat, ar string }

// elide applies French elision to "de", "le" and "la" before a vowel or a
// mute h: "de Essaouira" → "d'Essaouira", "le atelier" → "l'atelier".
func elide(s string) string {
	if !strings.Contains(s, " ") && !strings.HasPrefix(s, "de ") {
		return s
	}
	var b strings.Builder
	words := strings.Split(s, " ")
	for i := 0; i < len(words); i++ {
		w := words[i]
		if i+1 < len(words) && (w == "de" || w == "De" || w == "le" || w == "la") && startsWithVowel(words[i+1]) {
			b.WriteString(w[:1] + "'")
			continue
		}
		b.WriteString(w)
		if i+1 < len(words) {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func startsWithVowel(w string) bool {
	if strings.HasPrefix(w, "Ou") {
		return false // "de Ouarzazate", "de Oujda": a w sound, no elision
	}
	for _, p := range []string{"A", "E", "I", "O", "U", "É", "Â", "Î", "a", "e", "i", "o", "u", "é"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// pick returns one element of xs.
func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// chance is true with probability pct/100.
func chance(rng *rand.Rand, pct int) bool { return rng.IntN(100) < pct }

// between returns an integer in [lo, hi].
func between(rng *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + rng.IntN(hi-lo+1)
}

// digits returns n random decimal digits.
func digits(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + rng.IntN(10))
	}
	return string(b)
}
