// Package text cleans what people type before souk stores it: valid UTF-8
// in NFC, trimmed, within a length, and turns names into URL slugs.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Clean returns s trimmed and in NFC, so that the same word typed on two
// keyboards is stored the same way.
func Clean(s string) string {
	return norm.NFC.String(strings.TrimSpace(s))
}

// Check reports the problem with a cleaned string as an errs message key, or
// "" when it is fine: required (empty when required), too_long (over max
// characters), invalid (control characters other than newlines and tabs).
func Check(s string, required bool, max int) string {
	switch {
	case s == "" && required:
		return "field.required"
	case !utf8.ValidString(s):
		return "field.utf8"
	case utf8.RuneCountInString(s) > max:
		return "field.too_long"
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return "field.control_chars"
		}
	}
	return ""
}

// Slugify turns a name into a URL slug of ASCII letters, digits and dashes:
// "Coopérative Tifaouine d'Argan" -> "cooperative-tifaouine-d-argan". Text
// with no Latin letters (an Arabic name) gives "".
func Slugify(s string) string {
	// A transform.Chain keeps state: each call needs its own, or two
	// requests slugifying at once corrupt each other's output.
	foldMarks := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(foldMarks, s)
	if err != nil {
		folded = s
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(folded) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r == 'ß':
			b.WriteString("ss")
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// ValidSlug reports whether s can be a slug: 2 to 100 characters of a-z, 0-9
// and inner dashes, and not only digits (so it never reads as an id).
func ValidSlug(s string) bool {
	if len(s) < 2 || len(s) > 100 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	letter := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			letter = true
		case c >= '0' && c <= '9':
		case c == '-':
			if s[i-1] == '-' {
				return false
			}
		default:
			return false
		}
	}
	return letter
}
