package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"souk/internal/catalog"
	"souk/internal/money"
)

// Word lists for generated book titles, per language of the text. Titles are
// "<head> <tail>" so that 90,000 books stay varied and readable.
type bookWords struct {
	lang         string
	heads, tails []string
	authors      []string
}

var bookLangs = []bookWords{
	{"ar",
		[]string{"ذاكرة", "ليالي", "حكايات", "أسرار", "طريق", "رسائل", "ظلال", "أصوات", "مدن", "أحلام", "تاريخ", "أيام", "ضفاف", "نوافذ", "أوراق"},
		[]string{"الأطلس", "فاس القديمة", "الصحراء", "البحر", "الغياب", "مراكش", "الريف", "الواحة", "الطفولة", "الأندلس", "الرمال", "الذاكرة المغربية", "سوس", "الحمراء", "الرباط"},
		[]string{"محمد برادة", "ليلى أبو زيد", "عبد الله العروي", "محمد زفزاف", "بنسالم حميش", "ربيعة ريحان", "أحمد بوزفور", "الزهرة رميج", "يوسف فاضل", "مليكة مستظرف", "عبد الكريم جويطي", "لطيفة باقا"}},
	{"fr",
		[]string{"Le jardin", "La mémoire", "Les nuits", "Le chemin", "Chroniques", "Le silence", "Les portes", "Voyage", "L'histoire", "Le goût", "Les femmes", "Le chant", "Lettres", "L'ombre", "Le marché"},
		[]string{"de l'Atlas", "de Fès", "du désert", "de Tanger", "des oasis", "de la médina", "de Mogador", "du Rif", "des caravanes", "de l'argan", "de Marrakech", "de la mer", "des tisserandes", "du Souss", "de Salé"},
		[]string{"Leïla Slimani", "Tahar Ben Jelloun", "Driss Chraïbi", "Fouad Laroui", "Abdellatif Laâbi", "Mahi Binebine", "Kenza Sefrioui", "Yasmine Chami", "Youssouf Amine Elalamy", "Rita El Khayat", "Abdelhak Serhane", "Souad Bahéchar"}},
	{"zgh",
		[]string{"ⵜⵉⵏⴼⵓⵙⵉⵏ", "ⴰⵎⴰⵡⴰⵍ", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "ⵉⵙⴼⵔⴰ", "ⴰⵖⴰⵔⴰⵙ", "ⵜⴰⵡⵍⴰⴼⵜ", "ⴰⴷⵍⵉⵙ"},
		[]string{"ⵏ ⵡⴰⴷⵔⴰⵔ", "ⵏ ⵙⵓⵙ", "ⵏ ⵜⵎⵓⵔⵜ", "ⵏ ⵓⵎⴰⴹⴰⵍ", "ⵏ ⵜⵉⴳⵎⵎⵉ", "ⵏ ⵡⴰⵙⵙ"},
		[]string{"Mohamed Akounad", "Lahcen Zahour", "Ahmed Assid", "Meryem Demnati", "Brahim Akhiat"}},
	{"en",
		[]string{"The Garden", "Letters", "The Road", "Stories", "The Weavers", "Songs", "The House", "A History"},
		[]string{"of the Atlas", "of Fez", "from the Desert", "of Tangier", "of the Oases", "of the Medina", "of Morocco"},
		[]string{"Laila Lalami", "Anouar Majid", "Mohammed Mrabet", "Hisham Aidi", "Amina Tazi"}},
	{"es",
		[]string{"El jardín", "Cartas", "El camino", "Historias", "Las tejedoras", "La casa"},
		[]string{"del Atlas", "de Fez", "del desierto", "de Tetuán", "de los oasis", "de la medina"},
		[]string{"Mohamed Bouissef Rekab", "Ahmed Daoudi", "Mohamed Lahchiri", "Said Jedidi"}},
}

var bookBlurb = map[string]string{
	"ar":  "إصدار مغربي من منشورات %s، ضمن سلسلة تعرّف بالأدب والفكر المغربي.",
	"fr":  "Un titre publié au Maroc par %s, dans une collection qui fait connaître la littérature et la pensée marocaines.",
	"zgh": "ⴰⴷⵍⵉⵙ ⵙⴳ %s.",
	"en":  "A book published in Morocco by %s, in a series that brings Moroccan writing to readers everywhere.",
	"es":  "Un libro publicado en Marruecos por %s, en una colección que acerca la escritura marroquí a los lectores.",
}

// bookProfile is what a publisher or bookshop sells: its share of the
// books (weight), and percentages of its titles by language (in bookLangs
// order: ar, fr, zgh, en, es) and by category (in bookCategories order).
// A bookshop sells other houses' titles: imprints.
type bookProfile struct {
	weight   int
	langs    [5]int
	cats     [6]int
	imprints []string
}

// bookCategories are the categories under "books", in the order of
// bookProfile.cats.
var bookCategories = [6]string{"literature", "history-society", "religion-thought", "children", "education", "cooking-arts"}

// shelf picks the publisher of each book by weight.
type shelf struct {
	makers  []maker
	weights []int
}

func newShelf(publishers []maker) shelf {
	s := shelf{makers: publishers}
	for _, m := range publishers {
		s.weights = append(s.weights, m.seed.books.weight)
	}
	return s
}

func (s shelf) pick(rng *rand.Rand) maker { return s.makers[weighted(rng, s.weights)] }

// book is the k-th book, with a valid Moroccan ISBN (978-9954, then
// 978-9920 past 100,000).
func book(rng *rand.Rand, k int, m maker) catalog.NewProduct {
	p := m.seed.books
	w := bookLangs[weighted(rng, p.langs[:])]
	title := pick(rng, w.heads) + " " + pick(rng, w.tails)
	authors := []string{pick(rng, w.authors)}
	if chance(rng, 20) {
		if a := pick(rng, w.authors); a != authors[0] {
			authors = append(authors, a)
		}
	}
	prefix := "9789954"
	if k >= 100000 {
		prefix = "9789920"
	}
	isbn := catalog.ISBNCheckDigit(fmt.Sprintf("%s%05d", prefix, k%100000))
	publisher := m.v.DisplayName("fr")
	if len(p.imprints) > 0 {
		publisher = pick(rng, p.imprints)
	}
	pages := between(rng, 48, 640)
	texts := map[string]catalog.Texts{w.lang: {Title: title, Description: fmt.Sprintf(bookBlurb[w.lang], publisher)}}
	if w.lang == "zgh" {
		texts["fr"] = catalog.Texts{Title: title, Description: fmt.Sprintf(bookBlurb["fr"], publisher) + " En amazighe, écrit en tifinagh."}
	}
	return catalog.NewProduct{VendorID: m.v.ID, Input: catalog.Input{
		Slug:     "isbn-" + isbn,
		Category: bookCategories[weighted(rng, p.cats[:])],
		TaxClass: "exempt", // books are exempt from VAT in Morocco
		Status:   status(rng),
		Texts:    texts,
		Variants: []catalog.Variant{{
			SKU:         fmt.Sprintf("BK-%06d", k+1),
			Label:       strings.ToUpper(w.lang),
			Price:       money.Dirhams(int64(between(rng, 30, 350)) * 100),
			Stock:       rng.IntN(60),
			WeightGrams: 100 + pages*2,
			LengthMM:    210, WidthMM: 140, HeightMM: 5 + pages/12,
		}},
		Book: &catalog.Book{ISBN: isbn, Authors: authors, Publisher: publisher, Language: w.lang, Year: between(rng, 1985, 2026), Pages: pages},
	}}
}
