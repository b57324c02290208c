// Package cmi speaks the 3-D Secure hosted payment page protocol of CMI
// (Centre Monétique Interbancaire, Morocco), an EST/NestPay gateway: it builds
// the signed request form, verifies the server-to-server callback, and ships a
// local simulator so souk can pay by card end to end without the real gateway.
//
// The protocol is described in shared/specs/cmi.md. CMI publishes no official
// reference, so the hashing follows the PHP code merchants copy from CMI's
// sample and the most used PHP client byte for byte, quirks included.
package cmi

import (
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Hash returns the "ver3" HASH of a payment request: every field but HASH and
// encoding, ordered by PHP natcasesort of the names, values trimmed the way
// PHP's trim does. Only the first value of a repeated field counts.
func Hash(fields url.Values, storeKey string) string {
	return hashPlaintext(plaintext(fields, storeKey, requestValue))
}

// CallbackHash returns the "ver3" HASH of a callback or okUrl/failUrl post.
// Like CMI's sample callback.php it does not trim: it removes a final "\n"
// and decodes HTML entities exactly as PHP's html_entity_decode does (only
// ";"-terminated HTML 4.01 references), so that values such as
// "?a=1&copy=2" in a URL are left alone.
func CallbackHash(fields url.Values, storeKey string) string {
	return hashPlaintext(plaintext(fields, storeKey, callbackValue))
}

// Verify reports whether a callback or okUrl/failUrl post carries a valid
// HASH (CallbackHash). The comparison is constant-time so the hash cannot be
// guessed byte by byte through timing.
func Verify(fields url.Values, storeKey string) bool {
	return hashMatches(fields.Get("HASH"), CallbackHash(fields, storeKey))
}

// verifyRequest is Verify for the request side, used by the simulator.
func verifyRequest(fields url.Values, storeKey string) bool {
	return hashMatches(fields.Get("HASH"), Hash(fields, storeKey))
}

func hashMatches(got, want string) bool {
	if got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func hashPlaintext(s string) string {
	sum := sha512.Sum512([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// hashEscaper escapes in one pass, which gives the same result as PHP's
// nested str_replace calls (backslashes first, then pipes).
var hashEscaper = strings.NewReplacer(`\`, `\\`, `|`, `\|`)

// plaintext builds the string that is hashed: "v1|v2|…|vN|storeKey" with each
// value transformed by value and escaped.
func plaintext(fields url.Values, storeKey string, value func(string) string) string {
	var b strings.Builder
	for _, name := range sortedNames(fields) {
		if excludedFromHash(name) {
			continue
		}
		var v string
		if vs := fields[name]; len(vs) > 0 {
			v = vs[0]
		}
		b.WriteString(hashEscaper.Replace(value(v)))
		b.WriteByte('|')
	}
	b.WriteString(hashEscaper.Replace(storeKey))
	return b.String()
}

func excludedFromHash(name string) bool {
	return strings.EqualFold(name, "HASH") || strings.EqualFold(name, "encoding")
}

// sortedNames returns the field names in PHP natcasesort order. PHP breaks
// ties (names equal to strnatcasecmp, such as "oid" and "OID") by post order,
// which url.Values has lost, so ties are broken by byte order instead to keep
// the hash deterministic.
func sortedNames(fields url.Values) []string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	slices.SortStableFunc(names, strnatcasecmp)
	return names
}

// phpTrimSet is the set of bytes PHP's trim() removes by default; it is
// narrower than strings.TrimSpace (no Unicode spaces) but includes NUL.
const phpTrimSet = " \t\n\r\x00\x0B"

func requestValue(v string) string {
	return strings.Trim(v, phpTrimSet)
}

// callbackValue mirrors CMI's sample callback:
// html_entity_decode(preg_replace("/\n$/", "", $value), ENT_QUOTES, 'UTF-8').
func callbackValue(v string) string {
	return phpHTMLEntityDecode(stripFinalNewline(v))
}

// stripFinalNewline is preg_replace("/\n$/", "", v). In PCRE "$" also matches
// just before a final "\n", so the global replace removes the last newline
// and, when the value ends in "\n\n", the one before it as well.
func stripFinalNewline(v string) string {
	if strings.HasSuffix(v, "\n\n") {
		return v[:len(v)-2]
	}
	return strings.TrimSuffix(v, "\n")
}

// phpHTMLEntityDecode is PHP's html_entity_decode($s, ENT_QUOTES, 'UTF-8')
// with the default HTML 4.01 document type. Unlike html.UnescapeString it only
// decodes references closed by ";" and only HTML 4.01 names, so URLs such as
// "?a=1&copy=2" or "&notify=1" in a callback survive unchanged, as they do in
// PHP.
func phpHTMLEntityDecode(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for p := 0; p < len(s); {
		// PHP skips any "&" with fewer than three bytes after it.
		if s[p] != '&' || p+3 >= len(s) {
			b.WriteByte(s[p])
			p++
			continue
		}
		r, next, ok := decodeReference(s, p)
		if !ok {
			// Copy what was read and resume at the byte that stopped the
			// scan; it may start another reference.
			b.WriteString(s[p:next])
			p = next
			continue
		}
		b.WriteRune(r)
		p = next + 1 // past the ';'
	}
	return b.String()
}

// decodeReference decodes the reference starting with the '&' at s[p]. It
// returns the index of the closing ';' on success, and on failure the index
// of the byte where scanning stopped (always > p).
func decodeReference(s string, p int) (r rune, next int, ok bool) {
	if s[p+1] == '#' {
		return decodeNumericReference(s, p+2)
	}
	start := p + 1
	next = start
	for next < len(s) && isASCIIAlnum(s[next]) {
		next++
	}
	if next == start || next >= len(s) || s[next] != ';' {
		return 0, next, false
	}
	r, ok = html4Entities[s[start:next]]
	return r, next, ok
}

// decodeNumericReference parses "123;" or "x1F;" at s[i:], following PHP's
// process_numeric_entity and its HTML 4.01 code point check.
func decodeNumericReference(s string, i int) (r rune, next int, ok bool) {
	base := 10
	if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
		base = 16
		i++
	}
	next = i
	if next >= len(s) || digitValue(s[next], base) < 0 {
		return 0, next, false
	}
	// PHP parses with strtol, which in base 16 also eats a "0x" prefix.
	if base == 16 && s[next] == '0' && next+2 < len(s) &&
		(s[next+1] == 'x' || s[next+1] == 'X') && digitValue(s[next+2], 16) >= 0 {
		next += 2
	}
	code := 0
	for ; next < len(s) && digitValue(s[next], base) >= 0; next++ {
		if code <= utf8.MaxRune { // stop growing once out of range: no overflow
			code = code*base + digitValue(s[next], base)
		}
	}
	if next >= len(s) || s[next] != ';' || code > utf8.MaxRune {
		return 0, next, false
	}
	if !html401Allowed(rune(code)) {
		return 0, next, false
	}
	return rune(code), next, true
}

// html401Allowed is PHP's unicode_cp_is_allowed for ENT_HTML401.
func html401Allowed(c rune) bool {
	return c == 0x09 || c == 0x0A || c == 0x0D ||
		(c >= 0x20 && c <= 0x7E) ||
		(c >= 0xA0 && c <= 0xD7FF) ||
		(c >= 0xE000 && c <= 0x10FFFF)
}

func isASCIIAlnum(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digitValue returns the value of c as a digit in base 10 or 16, or -1.
func digitValue(c byte, base int) int {
	switch {
	case isDigit(c):
		return int(c - '0')
	case base == 16 && 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case base == 16 && 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// strnatcasecmp is a port of PHP 8's strnatcmp_ex with case folding, the
// comparison natcasesort uses: digit runs compare as numbers (a run with a
// leading zero compares digit by digit, as a fraction), everything else
// compares byte by byte after ASCII upper-casing; leading zeros at the very
// start and whitespace are skipped. Reads past the end yield 0, standing in
// for C's terminating NUL.
func strnatcasecmp(a, b string) int {
	if len(a) == 0 || len(b) == 0 {
		return cmpInt(len(a), len(b))
	}
	at := func(s string, i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	ai, bi := 0, 0
	leading := true
	for {
		ca, cb := at(a, ai), at(b, bi)

		// Skip over leading zeros.
		for leading && ca == '0' && ai+1 < len(a) && isDigit(a[ai+1]) {
			ai++
			ca = a[ai]
		}
		for leading && cb == '0' && bi+1 < len(b) && isDigit(b[bi+1]) {
			bi++
			cb = b[bi]
		}
		leading = false

		// Skip consecutive whitespace.
		for isCSpace(ca) {
			ai++
			ca = at(a, ai)
		}
		for isCSpace(cb) {
			bi++
			cb = at(b, bi)
		}

		if isDigit(ca) && isDigit(cb) {
			var result int
			if ca == '0' || cb == '0' {
				result = compareLeft(a, &ai, b, &bi)
			} else {
				result = compareRight(a, &ai, b, &bi)
			}
			switch {
			case result != 0:
				return result
			case ai >= len(a) && bi >= len(b):
				return 0
			case ai >= len(a):
				return -1
			case bi >= len(b):
				return 1
			}
			ca, cb = a[ai], b[bi]
		}

		ca, cb = asciiUpper(ca), asciiUpper(cb)
		if ca != cb {
			return cmpInt(int(ca), int(cb))
		}

		ai++
		bi++
		switch {
		case ai >= len(a) && bi >= len(b):
			return 0
		case ai >= len(a):
			return -1
		case bi >= len(b):
			return 1
		}
	}
}

// compareRight compares two right-aligned digit runs: the longer run wins,
// otherwise the first differing digit. It leaves the indexes after the runs.
func compareRight(a string, ai *int, b string, bi *int) int {
	bias := 0
	for ; ; *ai, *bi = *ai+1, *bi+1 {
		da := *ai < len(a) && isDigit(a[*ai])
		db := *bi < len(b) && isDigit(b[*bi])
		switch {
		case !da && !db:
			return bias
		case !da:
			return -1
		case !db:
			return 1
		}
		if bias == 0 {
			bias = cmpInt(int(a[*ai]), int(b[*bi]))
		}
	}
}

// compareLeft compares two left-aligned digit runs (fractional parts): the
// first differing digit wins, then the longer run.
func compareLeft(a string, ai *int, b string, bi *int) int {
	for ; ; *ai, *bi = *ai+1, *bi+1 {
		da := *ai < len(a) && isDigit(a[*ai])
		db := *bi < len(b) && isDigit(b[*bi])
		switch {
		case !da && !db:
			return 0
		case !da:
			return -1
		case !db:
			return 1
		}
		if c := cmpInt(int(a[*ai]), int(b[*bi])); c != 0 {
			return c
		}
	}
}

// isCSpace is C's isspace in the "C" locale.
func isCSpace(c byte) bool {
	return c == ' ' || ('\t' <= c && c <= '\r')
}

func asciiUpper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
