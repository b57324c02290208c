package catalog

import "strings"

// NormalizeISBN accepts an ISBN-13 or ISBN-10 as people write it (with
// hyphens or spaces, "ISBN" in front, an X check digit for ISBN-10) and
// returns the 13 digits, converting ISBN-10 to its 978 form. ok is false when
// the check digit does not match.
func NormalizeISBN(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "ISBN"), "-13")
	s = strings.TrimPrefix(strings.TrimPrefix(s, ":"), " ")
	var d []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case (c == 'X' || c == 'x') && len(d) == 9 && i == len(s)-1:
			d = append(d, 'X')
		case c == '-' || c == ' ':
		default:
			return "", false
		}
		if len(d) > 13 {
			return "", false
		}
	}
	switch len(d) {
	case 13:
		if (d[0] != '9' || d[1] != '7' || (d[2] != '8' && d[2] != '9')) || isbn13Check(d[:12]) != d[12] {
			return "", false
		}
		return string(d), true
	case 10:
		sum := 0
		for i := 0; i < 10; i++ {
			v := int(d[i] - '0')
			if d[i] == 'X' {
				v = 10
			}
			sum += v * (10 - i)
		}
		if sum%11 != 0 {
			return "", false
		}
		b := append([]byte("978"), d[:9]...)
		return string(append(b, isbn13Check(b))), true
	}
	return "", false
}

// isbn13Check computes the 13th digit: weights 1 and 3 alternate, and the
// total must be a multiple of 10.
func isbn13Check(first12 []byte) byte {
	sum := 0
	for i, c := range first12 {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += int(c-'0') * w
	}
	return byte('0' + (10-sum%10)%10)
}

// ISBNCheckDigit completes a 12-digit 978/979 prefix into a valid ISBN-13,
// for generated catalogs and tests.
func ISBNCheckDigit(first12 string) string {
	return first12 + string(isbn13Check([]byte(first12)))
}
