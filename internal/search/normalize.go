// Package search is the catalog's full-text index: text normalised so that
// the ways people type Arabic and accented Latin words meet, stored in
// SQLite FTS5 or a PostgreSQL tsvector, and queried word by word with
// prefix matching as the visitor types. It owns the search_index table;
// catalog hands it the words of each product.
package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// arabicFold maps the letters that people type interchangeably to one form:
// every alef with hamza or madda to bare alef, hamza carriers to their
// carrier letter, ta marbuta to ha, alef maqsura and Persian yeh to ya,
// Persian kaf to kaf, and Eastern Arabic digits to ASCII.
var arabicFold = map[rune]rune{
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ٲ': 'ا', 'ٳ': 'ا',
	'ؤ': 'و', 'ئ': 'ي', 'ى': 'ي', 'ی': 'ي', 'ة': 'ه', 'ک': 'ك',
}

// dropped are letters that carry no meaning for matching: the lone hamza
// and the tatweel that stretches words.
var dropped = map[rune]bool{'ء': true, 'ـ': true}

// Normalize returns text as the index stores it and queries are matched:
// lower case, Latin accents folded (é→e, ç→c), Arabic diacritics and
// tatweel removed, letter variants folded (see arabicFold), digits in ASCII,
// and words separated by single spaces. Apostrophes separate words, so
// "d’Argan" and "d'argan" both give "d argan".
func Normalize(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	space := true
	for _, r := range norm.NFD.String(text) {
		switch {
		case unicode.Is(unicode.Mn, r) || dropped[r]:
			continue // diacritics, harakat, superscript alef, hamza, tatweel
		case r >= '٠' && r <= '٩':
			r = '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			r = '0' + (r - '۰')
		}
		if f, ok := arabicFold[r]; ok {
			r = f
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
			space = false
			continue
		case 'œ', 'Œ':
			b.WriteString("oe")
			space = false
			continue
		case 'æ', 'Æ':
			b.WriteString("ae")
			space = false
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// Terms splits a query into normalised words, at most 8 of them (a longer
// query is a paste, not a search, and each word costs an index lookup).
func Terms(query string) []string {
	words := strings.Fields(Normalize(query))
	if len(words) > 8 {
		words = words[:8]
	}
	return words
}
