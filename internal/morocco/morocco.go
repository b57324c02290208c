// Package morocco holds the Moroccan facts souk checks input against: the 12
// regions, bank account numbers (RIB), company identifiers (ICE) and phone
// numbers. Each check takes what a person types (spaces, dashes, a leading 0)
// and returns the canonical form.
package morocco

import (
	"strings"
)

// Region is one of the 12 regions of the 2015 administrative division.
type Region struct {
	Code  string            // stable slug used in URLs, the API and the database
	Names map[string]string // per locale
}

// Regions lists the 12 regions, north to south.
var Regions = []Region{
	{"tanger-tetouan-al-hoceima", map[string]string{"ar": "طنجة تطوان الحسيمة", "fr": "Tanger-Tétouan-Al Hoceïma", "en": "Tanger-Tetouan-Al Hoceima", "es": "Tánger-Tetuán-Alhucemas", "zgh": "ⵟⴰⵏⵊⴰ ⵜⵉⵟⵟⴰⵡⵉⵏ ⵍⵃⵓⵙⵉⵎⴰ"}},
	{"oriental", map[string]string{"ar": "الشرق", "fr": "L'Oriental", "en": "Oriental", "es": "Oriental", "zgh": "ⴰⴳⵎⵎⵓⴹ"}},
	{"fes-meknes", map[string]string{"ar": "فاس مكناس", "fr": "Fès-Meknès", "en": "Fez-Meknes", "es": "Fez-Mequinez", "zgh": "ⴼⴰⵙ ⵎⴽⵏⴰⵙ"}},
	{"rabat-sale-kenitra", map[string]string{"ar": "الرباط سلا القنيطرة", "fr": "Rabat-Salé-Kénitra", "en": "Rabat-Sale-Kenitra", "es": "Rabat-Salé-Kenitra", "zgh": "ⵔⵔⴱⴰⵟ ⵙⵍⴰ ⵇⵏⵉⵟⵔⴰ"}},
	{"beni-mellal-khenifra", map[string]string{"ar": "بني ملال خنيفرة", "fr": "Béni Mellal-Khénifra", "en": "Beni Mellal-Khenifra", "es": "Beni Mellal-Jenifra", "zgh": "ⴰⵢⵜ ⵎⵍⵍⴰⵍ ⵅⵏⵉⴼⵕⴰ"}},
	{"casablanca-settat", map[string]string{"ar": "الدار البيضاء سطات", "fr": "Casablanca-Settat", "en": "Casablanca-Settat", "es": "Casablanca-Settat", "zgh": "ⴰⵏⴼⴰ ⵙⵟⵟⴰⵜ"}},
	{"marrakech-safi", map[string]string{"ar": "مراكش آسفي", "fr": "Marrakech-Safi", "en": "Marrakesh-Safi", "es": "Marrakech-Safí", "zgh": "ⵎⵕⵕⴰⴽⵯⵛ ⴰⵙⴼⵉ"}},
	{"draa-tafilalet", map[string]string{"ar": "درعة تافيلالت", "fr": "Drâa-Tafilalet", "en": "Draa-Tafilalet", "es": "Draa-Tafilalet", "zgh": "ⴷⵔⵄⴰ ⵜⴰⴼⵉⵍⴰⵍⵜ"}},
	{"souss-massa", map[string]string{"ar": "سوس ماسة", "fr": "Souss-Massa", "en": "Souss-Massa", "es": "Sus-Masa", "zgh": "ⵙⵓⵙ ⵎⴰⵙⵙⴰ"}},
	{"guelmim-oued-noun", map[string]string{"ar": "كلميم واد نون", "fr": "Guelmim-Oued Noun", "en": "Guelmim-Oued Noun", "es": "Guelmim-Oued Noun", "zgh": "ⴳⵍⵎⵉⵎ ⴰⵙⵉⴼ ⵏⵓⵏ"}},
	{"laayoune-sakia-el-hamra", map[string]string{"ar": "العيون الساقية الحمراء", "fr": "Laâyoune-Sakia El Hamra", "en": "Laayoune-Sakia El Hamra", "es": "El Aaiún-Saguía el Hamra", "zgh": "ⵍⵄⵢⵓⵏ ⵙⴰⴳⵢⴰ ⵍⵃⴰⵎⵔⴰ"}},
	{"dakhla-oued-ed-dahab", map[string]string{"ar": "الداخلة وادي الذهب", "fr": "Dakhla-Oued Ed-Dahab", "en": "Dakhla-Oued Ed-Dahab", "es": "Dajla-Río de Oro", "zgh": "ⴷⴷⴰⵅⵍⴰ ⵡⴰⴷ ⴷⴷⴰⵀⴰⴱ"}},
}

var regionByCode = func() map[string]*Region {
	m := make(map[string]*Region, len(Regions))
	for i := range Regions {
		m[Regions[i].Code] = &Regions[i]
	}
	return m
}()

// RegionByCode finds a region by its code.
func RegionByCode(code string) (Region, bool) {
	r, ok := regionByCode[code]
	if !ok {
		return Region{}, false
	}
	return *r, true
}

// digitsOnly drops the spaces, dashes and dots people type between groups;
// ok is false when anything else is there.
func digitsOnly(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '\u00a0':
		default:
			return "", false
		}
	}
	return b.String(), true
}

// mod97 returns the number written by digits, modulo 97.
func mod97(digits string) int {
	m := 0
	for i := 0; i < len(digits); i++ {
		m = (m*10 + int(digits[i]-'0')) % 97
	}
	return m
}

// NormalizeRIB checks a 24-digit Moroccan RIB — bank (3), locality (3),
// account (16), key (2) — and returns it as 24 digits. The key makes the
// whole number divisible by 97.
func NormalizeRIB(s string) (string, bool) {
	d, ok := digitsOnly(s)
	if !ok || len(d) != 24 {
		return "", false
	}
	if mod97(d) != 0 {
		return "", false
	}
	return d, true
}

// RIBKey computes the two-digit key for the first 22 digits of a RIB:
// 97 − ((first 22 digits × 100) mod 97).
func RIBKey(first22 string) string {
	k := 97 - mod97(first22+"00")
	return string([]byte{byte('0' + k/10), byte('0' + k%10)})
}

// IBAN returns the 28-character IBAN ("MA" + 2 check digits + the RIB) of a
// valid RIB, per ISO 13616: the check digits make RIB+"2210"+"00" ≡ 1 mod 97
// once moved to the end (M=22, A=10).
func IBAN(rib string) string {
	check := 98 - mod97(rib+"221000")
	return "MA" + string([]byte{byte('0' + check/10), byte('0' + check%10)}) + rib
}

// NormalizeICE checks a 15-digit Identifiant Commun de l'Entreprise.
func NormalizeICE(s string) (string, bool) {
	d, ok := digitsOnly(s)
	if !ok || len(d) != 15 {
		return "", false
	}
	return d, true
}

// NormalizePhone accepts a Moroccan number written locally (06…, 07…, 05…) or
// internationally (+212 6…, 00212 6…) and returns it as +212 followed by nine
// digits; mobiles start with 6 or 7, landlines with 5.
func NormalizePhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	plus := strings.HasPrefix(s, "+")
	if plus {
		s = s[1:]
	}
	s = strings.NewReplacer("(", "", ")", "").Replace(s)
	d, ok := digitsOnly(s)
	if !ok {
		return "", false
	}
	switch {
	case plus && strings.HasPrefix(d, "212"):
		d = d[3:]
	case !plus && strings.HasPrefix(d, "00212"):
		d = d[5:]
	case !plus && strings.HasPrefix(d, "0"):
		d = d[1:]
	default:
		return "", false
	}
	d = strings.TrimPrefix(d, "0") // "+212 (0)6…" is a common way of writing it
	if len(d) != 9 || (d[0] != '5' && d[0] != '6' && d[0] != '7') {
		return "", false
	}
	return "+212" + d, true
}
