package morocco

import "sort"

// City is a place a parcel can be sent to in Morocco: checkout offers these
// in a list, so that an address always names a known city and its region
// (shipping zones are by region).
type City struct {
	Code   string // stable slug
	Region string // Region.Code
	Names  map[string]string
}

// Cities are the main cities and towns, by region; the list is what carriers
// deliver to door to door. A customer elsewhere picks the nearest.
var Cities = []City{
	{"tanger", "tanger-tetouan-al-hoceima", names("طنجة", "Tanger", "Tangier", "Tánger", "ⵟⴰⵏⵊⴰ")},
	{"tetouan", "tanger-tetouan-al-hoceima", names("تطوان", "Tétouan", "Tetouan", "Tetuán", "ⵜⵉⵟⵟⴰⵡⵉⵏ")},
	{"al-hoceima", "tanger-tetouan-al-hoceima", names("الحسيمة", "Al Hoceïma", "Al Hoceima", "Alhucemas", "ⵍⵃⵓⵙⵉⵎⴰ")},
	{"larache", "tanger-tetouan-al-hoceima", names("العرائش", "Larache", "Larache", "Larache", "ⵍⵄⵔⴰⵢⵛ")},
	{"chefchaouen", "tanger-tetouan-al-hoceima", names("شفشاون", "Chefchaouen", "Chefchaouen", "Chauen", "ⵛⴼⵛⴰⵡⵏ")},
	{"oujda", "oriental", names("وجدة", "Oujda", "Oujda", "Uchda", "ⵡⵓⵊⴷⴰ")},
	{"nador", "oriental", names("الناظور", "Nador", "Nador", "Nador", "ⵏⵏⴰⴹⵓⵔ")},
	{"berkane", "oriental", names("بركان", "Berkane", "Berkane", "Berkán", "ⴱⵔⴽⴰⵏ")},
	{"fes", "fes-meknes", names("فاس", "Fès", "Fez", "Fez", "ⴼⴰⵙ")},
	{"meknes", "fes-meknes", names("مكناس", "Meknès", "Meknes", "Mequinez", "ⵎⴽⵏⴰⵙ")},
	{"ifrane", "fes-meknes", names("إفران", "Ifrane", "Ifrane", "Ifrán", "ⵉⴼⵔⴰⵏ")},
	{"taza", "fes-meknes", names("تازة", "Taza", "Taza", "Taza", "ⵜⴰⵣⴰ")},
	{"rabat", "rabat-sale-kenitra", names("الرباط", "Rabat", "Rabat", "Rabat", "ⵔⵔⴱⴰⵟ")},
	{"sale", "rabat-sale-kenitra", names("سلا", "Salé", "Sale", "Salé", "ⵙⵍⴰ")},
	{"kenitra", "rabat-sale-kenitra", names("القنيطرة", "Kénitra", "Kenitra", "Kenitra", "ⵇⵏⵉⵟⵔⴰ")},
	{"temara", "rabat-sale-kenitra", names("تمارة", "Témara", "Temara", "Temara", "ⵜⵎⴰⵔⴰ")},
	{"khemisset", "rabat-sale-kenitra", names("الخميسات", "Khémisset", "Khemisset", "Jemisset", "ⵍⵅⵎⵉⵙⴰⵜ")},
	{"beni-mellal", "beni-mellal-khenifra", names("بني ملال", "Béni Mellal", "Beni Mellal", "Beni Mellal", "ⴰⵢⵜ ⵎⵍⵍⴰⵍ")},
	{"khenifra", "beni-mellal-khenifra", names("خنيفرة", "Khénifra", "Khenifra", "Jenifra", "ⵅⵏⵉⴼⵕⴰ")},
	{"khouribga", "beni-mellal-khenifra", names("خريبكة", "Khouribga", "Khouribga", "Juribga", "ⵅⵔⵉⴱⴳⴰ")},
	{"azilal", "beni-mellal-khenifra", names("أزيلال", "Azilal", "Azilal", "Azilal", "ⴰⵥⵉⵍⴰⵍ")},
	{"casablanca", "casablanca-settat", names("الدار البيضاء", "Casablanca", "Casablanca", "Casablanca", "ⴰⵏⴼⴰ")},
	{"mohammedia", "casablanca-settat", names("المحمدية", "Mohammédia", "Mohammedia", "Mohammedia", "ⵎⵓⵃⵎⵎⴰⴷⵢⴰ")},
	{"el-jadida", "casablanca-settat", names("الجديدة", "El Jadida", "El Jadida", "El Jadida", "ⵍⵊⴷⵉⴷⴰ")},
	{"settat", "casablanca-settat", names("سطات", "Settat", "Settat", "Settat", "ⵙⵟⵟⴰⵜ")},
	{"berrechid", "casablanca-settat", names("برشيد", "Berrechid", "Berrechid", "Berrechid", "ⴱⵔⵔⵛⵉⴷ")},
	{"marrakech", "marrakech-safi", names("مراكش", "Marrakech", "Marrakesh", "Marrakech", "ⵎⵕⵕⴰⴽⵯⵛ")},
	{"safi", "marrakech-safi", names("آسفي", "Safi", "Safi", "Safí", "ⴰⵙⴼⵉ")},
	{"essaouira", "marrakech-safi", names("الصويرة", "Essaouira", "Essaouira", "Esauira", "ⵜⴰⵚⵚⵓⵔⵜ")},
	{"el-kelaa-des-sraghna", "marrakech-safi", names("قلعة السراغنة", "El Kelâa des Sraghna", "El Kelaa des Sraghna", "El Kelaa des Sraghna", "ⵇⵍⵄⴰⵜ ⵙⵔⴰⵖⵏⴰ")},
	{"errachidia", "draa-tafilalet", names("الرشيدية", "Errachidia", "Errachidia", "Er Rachidia", "ⵔⵔⴰⵛⵉⴷⵢⴰ")},
	{"ouarzazate", "draa-tafilalet", names("ورزازات", "Ouarzazate", "Ouarzazate", "Uarzazat", "ⵡⴰⵔⵣⴰⵣⴰⵜ")},
	{"zagora", "draa-tafilalet", names("زاكورة", "Zagora", "Zagora", "Zagora", "ⵣⴰⴳⵓⵔⴰ")},
	{"tinghir", "draa-tafilalet", names("تنغير", "Tinghir", "Tinghir", "Tinerhir", "ⵜⵉⵏⵖⵉⵔ")},
	{"agadir", "souss-massa", names("أكادير", "Agadir", "Agadir", "Agadir", "ⴰⴳⴰⴷⵉⵔ")},
	{"inezgane", "souss-massa", names("إنزكان", "Inezgane", "Inezgane", "Inezgane", "ⵉⵏⵣⴳⴰⵏ")},
	{"taroudant", "souss-massa", names("تارودانت", "Taroudant", "Taroudant", "Tarudant", "ⵜⴰⵔⵓⴷⴰⵏⵜ")},
	{"tiznit", "souss-massa", names("تيزنيت", "Tiznit", "Tiznit", "Tiznit", "ⵜⵉⵣⵏⵉⵜ")},
	{"guelmim", "guelmim-oued-noun", names("كلميم", "Guelmim", "Guelmim", "Guelmim", "ⴳⵍⵎⵉⵎ")},
	{"tan-tan", "guelmim-oued-noun", names("طانطان", "Tan-Tan", "Tan-Tan", "Tan-Tan", "ⵟⴰⵏⵟⴰⵏ")},
	{"sidi-ifni", "guelmim-oued-noun", names("سيدي إفني", "Sidi Ifni", "Sidi Ifni", "Sidi Ifni", "ⵙⵉⴷⵉ ⵉⴼⵏⵉ")},
	{"laayoune", "laayoune-sakia-el-hamra", names("العيون", "Laâyoune", "Laayoune", "El Aaiún", "ⵍⵄⵢⵓⵏ")},
	{"boujdour", "laayoune-sakia-el-hamra", names("بوجدور", "Boujdour", "Boujdour", "Bojador", "ⴱⵓⵊⴷⵓⵔ")},
	{"dakhla", "dakhla-oued-ed-dahab", names("الداخلة", "Dakhla", "Dakhla", "Dajla", "ⴷⴷⴰⵅⵍⴰ")},
}

func names(ar, fr, en, es, zgh string) map[string]string {
	return map[string]string{"ar": ar, "fr": fr, "en": en, "es": es, "zgh": zgh}
}

var cityByCode = func() map[string]*City {
	m := make(map[string]*City, len(Cities))
	for i := range Cities {
		m[Cities[i].Code] = &Cities[i]
	}
	return m
}()

// CityByCode finds a city by its code.
func CityByCode(code string) (City, bool) {
	c, ok := cityByCode[code]
	if !ok {
		return City{}, false
	}
	return *c, true
}

// Name is a city's name in locale, French where it has none. Every city has
// ar, zgh, fr, en and es names; the Tamazight ones are listed with their
// sources in docs/TAMAZIGHT.md.
func (c City) Name(locale string) string {
	if n, ok := c.Names[locale]; ok {
		return n
	}
	return c.Names["fr"]
}

// CitiesSorted lists the cities in alphabetical order of their names in
// locale, for a select box.
func CitiesSorted(locale string) []City {
	out := append([]City(nil), Cities...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name(locale) < out[j].Name(locale) })
	return out
}
