package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"souk/internal/catalog"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
)

// The product form of the vendor portal: category, a title and a
// description in each language (the page's first), the variants a customer
// chooses from (label, reference, price, stock, weight), certifications
// and, for books, their details. It keeps everything typed when something
// is wrong, and names each problem beside its field and in a summary.
// Without JavaScript, "add a size" and "add a label" post the form and get
// it back with one more empty row.

// Limits of the form's repeated rows (the domain's are higher; a product
// with more variants comes from a CSV file).
const (
	formMaxVariants = 50
	formMaxCerts    = 20
)

// productForm is the product form as shown: filled from a product, or
// from what was typed.
type productForm struct {
	Action   string // where it posts
	New      bool
	Category selectField
	Texts    []localeTexts
	Missing  string // the languages without a title, "Tamazight, English"
	Variants []variantInputs
	Certs    []certRow
	Book     bookFields
	BookOpen bool // the book section starts open: it holds something
	// VariantsError and CertsError are problems of a section as a whole
	// (no variant at all, too many).
	VariantsError, CertsError string
	// General are problems no field shows.
	General []string
}

// localeTexts is one language's section of the form.
type localeTexts struct {
	Locale, Name, Dir  string
	Missing            bool
	Title, Description formField
}

// variantInputs is one variant's inputs.
type variantInputs struct {
	N                                int // from 1, for the legend
	Label, SKU, Price, Stock, Weight formField
}

// certRow is one certification's inputs.
type certRow struct {
	N                       int
	Kind                    selectField
	Issuer, Number, Expires formField
}

// bookFields are a book's details.
type bookFields struct {
	ISBN, Authors, Publisher, Language, Year, Pages formField
}

// formLocales are the locales in the form's order: the page's first.
func formLocales(loc string) []string {
	out := []string{loc}
	for _, l := range i18n.Locales {
		if l != loc {
			out = append(out, l)
		}
	}
	return out
}

// inputID turns a field's name into its element's id.
func inputID(name string) string { return strings.NewReplacer(".", "-", "_", "-").Replace(name) }

func (s *Server) newProductForm(r *http.Request, c bo, action string, rows, certRows int) (productForm, error) {
	t := func(key string, args ...any) string {
		m := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			m[fmt.Sprint(args[i])] = args[i+1]
		}
		return i18n.T(c.Loc, key, m)
	}
	f := productForm{Action: action}
	f.Category = selectField{formField: formField{ID: "category", Name: "category", Label: t("products.category"), Help: t("products.category_help"), Required: true}}
	tree, err := s.Catalog.Categories(r.Context())
	if err != nil {
		return f, err
	}
	names := map[int64]string{}
	f.Category.Choices = append(f.Category.Choices, choice{Value: "", Label: t("products.choose")})
	for _, cat := range tree {
		name, _, ok := i18n.Pick(cat.Names, c.Loc)
		if !ok {
			name = cat.Slug
		}
		names[cat.ID] = name
		if cat.ParentID != 0 {
			name = names[cat.ParentID] + " › " + name
		}
		f.Category.Choices = append(f.Category.Choices, choice{Value: cat.Slug, Label: name})
	}
	for _, l := range formLocales(c.Loc) {
		lang := i18n.T(c.Loc, "language."+l, nil)
		f.Texts = append(f.Texts, localeTexts{Locale: l, Name: lang, Dir: i18n.Dir(l),
			Title: formField{ID: "title-" + l, Name: "title_" + l, Label: t("products.name"), Type: "text",
				Autocomplete: "off", Dir: i18n.Dir(l)},
			Description: formField{ID: "description-" + l, Name: "description_" + l, Label: t("products.description"),
				Help: t("products.description_help"), Dir: i18n.Dir(l)}})
	}
	for range max(rows, 1) {
		f.addVariant(c.Loc)
	}
	for range max(certRows, 1) {
		f.addCert(c.Loc)
	}
	f.Book = bookFields{
		ISBN:      formField{ID: "book-isbn", Name: "book_isbn", Label: t("products.book_isbn"), Type: "text", Inputs: "numeric", Dir: "ltr", Autocomplete: "off"},
		Authors:   formField{ID: "book-authors", Name: "book_authors", Label: t("products.book_authors"), Help: t("products.book_authors_help")},
		Publisher: formField{ID: "book-publisher", Name: "book_publisher", Label: t("products.book_publisher"), Type: "text", Autocomplete: "off"},
		Language:  formField{ID: "book-language", Name: "book_language", Label: t("products.book_language"), Help: t("products.book_language_help"), Type: "text", Dir: "ltr", Autocomplete: "off"},
		Year:      formField{ID: "book-year", Name: "book_year", Label: t("products.book_year"), Type: "text", Inputs: "numeric", Dir: "ltr", Autocomplete: "off"},
		Pages:     formField{ID: "book-pages", Name: "book_pages", Label: t("products.book_pages"), Type: "text", Inputs: "numeric", Dir: "ltr", Autocomplete: "off"},
	}
	return f, nil
}

// addVariant adds an empty variant row.
func (f *productForm) addVariant(loc string) {
	i := len(f.Variants)
	p := "variants." + strconv.Itoa(i) + "."
	in := func(name, label, help, inputs string) formField {
		return formField{ID: inputID(p + name), Name: p + name, Label: i18n.T(loc, label, nil), Help: help, Type: "text",
			Inputs: inputs, Autocomplete: "off"}
	}
	row := variantInputs{N: i + 1,
		Label:  in("label", "products.variant_label", i18n.T(loc, "products.variant_label_help", nil), ""),
		SKU:    in("sku", "products.variant_sku", i18n.T(loc, "products.variant_sku_help", nil), ""),
		Price:  in("price", "products.variant_price", i18n.T(loc, "products.variant_price_help", nil), "decimal"),
		Stock:  in("stock", "products.variant_stock", "", "numeric"),
		Weight: in("weight", "products.variant_weight", i18n.T(loc, "products.variant_weight_help", nil), "numeric"),
	}
	row.SKU.Dir, row.Price.Dir, row.Stock.Dir, row.Weight.Dir = "ltr", "ltr", "ltr", "ltr"
	f.Variants = append(f.Variants, row)
}

// addCert adds an empty certification row.
func (f *productForm) addCert(loc string) {
	i := len(f.Certs)
	p := "certs." + strconv.Itoa(i) + "."
	row := certRow{N: i + 1,
		Kind:    selectField{formField: formField{ID: inputID(p + "kind"), Name: p + "kind", Label: i18n.T(loc, "products.cert_kind", nil)}},
		Issuer:  formField{ID: inputID(p + "issuer"), Name: p + "issuer", Label: i18n.T(loc, "products.cert_issuer", nil), Help: i18n.T(loc, "products.cert_issuer_help", nil), Type: "text", Autocomplete: "off"},
		Number:  formField{ID: inputID(p + "number"), Name: p + "number", Label: i18n.T(loc, "products.cert_number", nil), Type: "text", Dir: "ltr", Autocomplete: "off"},
		Expires: formField{ID: inputID(p + "expires"), Name: p + "expires", Label: i18n.T(loc, "products.cert_expires", nil), Help: i18n.T(loc, "products.cert_expires_help", nil), Type: "date", Dir: "ltr"},
	}
	row.Kind.Choices = append(row.Kind.Choices, choice{Value: "", Label: i18n.T(loc, "products.cert_none", nil)})
	for _, k := range catalog.CertificationKinds {
		row.Kind.Choices = append(row.Kind.Choices, choice{Value: k, Label: i18n.T(loc, "certification."+k, nil)})
	}
	f.Certs = append(f.Certs, row)
}

// choose marks the choice with value v selected.
func (sf *selectField) choose(v string) {
	sf.Value = v
	for i := range sf.Choices {
		sf.Choices[i].Selected = sf.Choices[i].Value == v
	}
}

// formatPrice writes a price as people type it: "120", "120,50" ("120.50"
// in English).
func formatPrice(loc string, m money.Money) string {
	sep := ","
	if loc == "en" {
		sep = "."
	}
	if m.Amount%100 == 0 {
		return strconv.FormatInt(m.Amount/100, 10)
	}
	sign := ""
	a := m.Amount
	if a < 0 {
		sign, a = "-", -a
	}
	return fmt.Sprintf("%s%d%s%02d", sign, a/100, sep, a%100)
}

// fill puts a product's details into the form.
func (f *productForm) fill(loc string, p catalog.Product) {
	f.Category.choose(p.CategorySlug)
	for i := range f.Texts {
		t := p.Texts[f.Texts[i].Locale]
		f.Texts[i].Title.Value, f.Texts[i].Description.Value = t.Title, t.Description
	}
	for len(f.Variants) < len(p.Variants) {
		f.addVariant(loc)
	}
	for i, v := range p.Variants {
		row := &f.Variants[i]
		row.Label.Value, row.SKU.Value, row.Price.Value = v.Label, v.SKU, formatPrice(loc, v.Price)
		row.Stock.Value, row.Weight.Value = strconv.Itoa(v.Stock), strconv.Itoa(v.WeightGrams)
	}
	for len(f.Certs) < len(p.Certifications)+1 && len(f.Certs) < formMaxCerts {
		f.addCert(loc) // and one empty row to add a label
	}
	for i, c := range p.Certifications {
		if i >= len(f.Certs) {
			break
		}
		row := &f.Certs[i]
		row.Kind.choose(c.Kind)
		row.Issuer.Value, row.Number.Value, row.Expires.Value = c.Issuer, c.Number, c.ExpiresOn
	}
	if b := p.Book; b != nil {
		f.Book.ISBN.Value, f.Book.Authors.Value, f.Book.Publisher.Value = b.ISBN, strings.Join(b.Authors, "\n"), b.Publisher
		f.Book.Language.Value = b.Language
		if b.Year != 0 {
			f.Book.Year.Value = strconv.Itoa(b.Year)
		}
		if b.Pages != 0 {
			f.Book.Pages.Value = strconv.Itoa(b.Pages)
		}
	}
	f.settle(loc)
}

// rowCount reads a hidden count of rows, within limits.
func rowCount(v url.Values, name string, limit int) int {
	n, err := strconv.Atoi(v.Get(name))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, limit)
}

// read puts what was typed into the form.
func (f *productForm) read(loc string, v url.Values) {
	f.Category.choose(v.Get("category"))
	for i := range f.Texts {
		f.Texts[i].Title.Value = v.Get(f.Texts[i].Title.Name)
		f.Texts[i].Description.Value = v.Get(f.Texts[i].Description.Name)
	}
	for i := range f.Variants {
		row := &f.Variants[i]
		for _, fl := range []*formField{&row.Label, &row.SKU, &row.Price, &row.Stock, &row.Weight} {
			fl.Value = v.Get(fl.Name)
		}
	}
	for i := range f.Certs {
		row := &f.Certs[i]
		row.Kind.choose(v.Get(row.Kind.Name))
		for _, fl := range []*formField{&row.Issuer, &row.Number, &row.Expires} {
			fl.Value = v.Get(fl.Name)
		}
	}
	for _, fl := range f.Book.fields() {
		fl.Value = v.Get(fl.Name)
	}
	f.settle(loc)
}

func (b *bookFields) fields() []*formField {
	return []*formField{&b.ISBN, &b.Authors, &b.Publisher, &b.Language, &b.Year, &b.Pages}
}

// settle marks the languages without a title and opens the book section
// when it holds something.
func (f *productForm) settle(loc string) {
	var missing []string
	for i := range f.Texts {
		f.Texts[i].Missing = strings.TrimSpace(f.Texts[i].Title.Value) == ""
		if f.Texts[i].Missing {
			missing = append(missing, f.Texts[i].Name)
		}
	}
	f.Missing = strings.Join(missing, i18n.T(loc, "products.list_sep", nil))
	f.BookOpen = false
	for _, fl := range f.Book.fields() {
		f.BookOpen = f.BookOpen || strings.TrimSpace(fl.Value) != ""
	}
}

func blank(fs ...formField) bool {
	for _, f := range fs {
		if strings.TrimSpace(f.Value) != "" {
			return false
		}
	}
	return true
}

// wholeNumber reads a count typed with any digits; "" is 0.
func wholeNumber(s string) (int, bool) {
	s = money.WesternDigits(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// newSKU makes a reference for a variant typed without one.
func newSKU() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "S-" + strings.ToUpper(hex.EncodeToString(b))
}

// formInput turns the form into the domain's input. cur is the product
// edited (nil for a new one): what the form does not show — photos, web
// address, region, tax class, status, the variants' sizes — is kept.
// problems are what the form itself finds wrong, by field name; rows maps
// the domain's variant and certification indexes to the form's rows
// (rows left blank are skipped).
func (f *productForm) input(cur *catalog.Product) (in catalog.Input, problems map[string]string, variantRows, certRows []int) {
	problems = map[string]string{}
	in = catalog.Input{Category: f.Category.Value, Texts: map[string]catalog.Texts{}}
	if cur != nil {
		in.Slug, in.Region, in.TaxClass, in.Images = cur.Slug, cur.Region, cur.TaxClass, cur.Images
	} else {
		in.Status = catalog.Draft
	}
	if strings.TrimSpace(in.Category) == "" {
		problems[f.Category.Name] = "field.required"
	}
	titled := false
	for _, lt := range f.Texts {
		t := catalog.Texts{Title: lt.Title.Value, Description: lt.Description.Value}
		if strings.TrimSpace(t.Title) != "" || strings.TrimSpace(t.Description) != "" {
			in.Texts[lt.Locale] = t
		}
		titled = titled || strings.TrimSpace(t.Title) != ""
	}
	if !titled {
		problems[f.Texts[0].Title.Name] = "field.title_required"
	}
	sizes := map[string]catalog.Variant{}
	if cur != nil {
		for _, v := range cur.Variants {
			sizes[strings.ToLower(v.SKU)] = v
		}
	}
	for i, row := range f.Variants {
		if blank(row.Label, row.SKU, row.Price, row.Stock, row.Weight) {
			continue
		}
		v := catalog.Variant{SKU: strings.TrimSpace(row.SKU.Value), Label: row.Label.Value}
		if v.SKU == "" {
			v.SKU = newSKU()
		}
		if old, ok := sizes[strings.ToLower(v.SKU)]; ok {
			v.LengthMM, v.WidthMM, v.HeightMM = old.LengthMM, old.WidthMM, old.HeightMM
		}
		if strings.TrimSpace(row.Price.Value) == "" {
			problems[row.Price.Name] = "field.required"
		} else if p, err := money.ParseDirhams(row.Price.Value); err != nil {
			problems[row.Price.Name] = "csv.price"
		} else {
			v.Price = p
		}
		var ok bool
		if v.Stock, ok = wholeNumber(row.Stock.Value); !ok {
			problems[row.Stock.Name] = "field.integer"
		}
		if v.WeightGrams, ok = wholeNumber(row.Weight.Value); !ok {
			problems[row.Weight.Name] = "field.integer"
		}
		in.Variants = append(in.Variants, v)
		variantRows = append(variantRows, i)
	}
	if len(in.Variants) == 0 {
		problems[f.Variants[0].Price.Name] = "products.variant_needed"
	}
	for i, row := range f.Certs {
		if row.Kind.Value == "" && blank(row.Issuer, row.Number, row.Expires) {
			continue
		}
		in.Certifications = append(in.Certifications, catalog.Certification{Kind: row.Kind.Value, Issuer: row.Issuer.Value,
			Number: row.Number.Value, ExpiresOn: strings.TrimSpace(row.Expires.Value)})
		certRows = append(certRows, i)
	}
	if !blank(f.Book.ISBN, f.Book.Authors, f.Book.Publisher, f.Book.Language, f.Book.Year, f.Book.Pages) {
		b := &catalog.Book{ISBN: f.Book.ISBN.Value, Publisher: f.Book.Publisher.Value, Language: f.Book.Language.Value}
		for _, a := range strings.FieldsFunc(f.Book.Authors.Value, func(r rune) bool { return r == '\n' || r == '\r' }) {
			if strings.TrimSpace(a) != "" {
				b.Authors = append(b.Authors, a)
			}
		}
		var ok bool
		if b.Year, ok = wholeNumber(f.Book.Year.Value); !ok {
			problems[f.Book.Year.Name] = "field.integer"
		}
		if b.Pages, ok = wholeNumber(f.Book.Pages.Value); !ok {
			problems[f.Book.Pages.Name] = "field.integer"
		}
		in.Book = b
	}
	return in, problems, variantRows, certRows
}

var indexedField = regexp.MustCompile(`^(variants|certifications)\[(\d+)\]\.(.+)$`)

// fieldOfKey is the form field a domain field key names ("variants[1].
// price.amount" → "variants.<row>.price"), or "" for one the form does not
// show; section is "variants" or "certifications" for a problem of the
// section as a whole.
func (f *productForm) fieldOfKey(key string, variantRows, certRows []int) (name, section string) {
	switch key {
	case "category":
		return f.Category.Name, ""
	case "texts":
		return f.Texts[0].Title.Name, ""
	case "variants", "certifications":
		return "", key
	case "book", "book.isbn":
		return f.Book.ISBN.Name, ""
	case "book.publisher":
		return f.Book.Publisher.Name, ""
	case "book.language":
		return f.Book.Language.Name, ""
	case "book.year":
		return f.Book.Year.Name, ""
	case "book.pages":
		return f.Book.Pages.Name, ""
	}
	if key == "book.authors" || strings.HasPrefix(key, "book.authors[") {
		return f.Book.Authors.Name, ""
	}
	if rest, ok := strings.CutPrefix(key, "texts."); ok {
		loc, part, _ := strings.Cut(rest, ".")
		if part == "title" || part == "description" {
			return part + "_" + loc, ""
		}
		return "", ""
	}
	m := indexedField.FindStringSubmatch(key)
	if m == nil {
		return "", ""
	}
	i, _ := strconv.Atoi(m[2])
	if m[1] == "variants" {
		if i >= len(variantRows) {
			return "", "variants"
		}
		p := "variants." + strconv.Itoa(variantRows[i]) + "."
		switch {
		case strings.HasPrefix(m[3], "price"):
			return p + "price", ""
		case m[3] == "sku", m[3] == "label", m[3] == "stock":
			return p + m[3], ""
		case m[3] == "weight_grams":
			return p + "weight", ""
		}
		return "", "variants" // a size the form does not show
	}
	if i >= len(certRows) {
		return "", "certifications"
	}
	p := "certs." + strconv.Itoa(certRows[i]) + "."
	switch m[3] {
	case "kind", "issuer", "number":
		return p + m[3], ""
	case "expires_on":
		return p + "expires", ""
	}
	return "", "certifications"
}

// labelled is a field with what the summary calls it.
type labelled struct {
	f     *formField
	where string // the field's label, with its row's ("Size 2 – Price")
}

// all lists the form's fields in the page's order.
func (f *productForm) all(loc string) []labelled {
	out := []labelled{{&f.Category.formField, f.Category.Label}}
	for i := range f.Texts {
		lt := &f.Texts[i]
		out = append(out, labelled{&lt.Title, lt.Name + " – " + lt.Title.Label}, labelled{&lt.Description, lt.Name + " – " + lt.Description.Label})
	}
	for i := range f.Variants {
		row := &f.Variants[i]
		legend := i18n.T(loc, "products.variant_n", map[string]any{"n": row.N})
		for _, fl := range []*formField{&row.Label, &row.SKU, &row.Price, &row.Stock, &row.Weight} {
			out = append(out, labelled{fl, legend + " – " + fl.Label})
		}
	}
	for i := range f.Certs {
		row := &f.Certs[i]
		legend := i18n.T(loc, "products.cert_n", map[string]any{"n": row.N})
		for _, fl := range []*formField{&row.Kind.formField, &row.Issuer, &row.Number, &row.Expires} {
			out = append(out, labelled{fl, legend + " – " + fl.Label})
		}
	}
	for _, fl := range f.Book.fields() {
		out = append(out, labelled{fl, fl.Label})
	}
	return out
}

// explain puts each problem beside its field (problems by field name) and
// returns the summary, in the form's order; sectionProblems are the
// variants' and certifications' as a whole, general the rest.
func (f *productForm) explain(loc string, problems map[string]string) []problem {
	var out []problem
	for _, l := range f.all(loc) {
		key, ok := problems[l.f.Name]
		if !ok {
			continue
		}
		l.f.Error = i18n.T(loc, key, nil)
		out = append(out, problem{ID: l.f.ID, Text: i18n.T(loc, "shop.field_error", map[string]any{"field": l.where, "problem": l.f.Error})})
	}
	if f.VariantsError != "" {
		out = append(out, problem{ID: "variants", Text: i18n.T(loc, "shop.field_error",
			map[string]any{"field": i18n.T(loc, "products.variants", nil), "problem": f.VariantsError})})
	}
	if f.CertsError != "" {
		out = append(out, problem{ID: "certifications", Text: i18n.T(loc, "shop.field_error",
			map[string]any{"field": i18n.T(loc, "products.certifications", nil), "problem": f.CertsError})})
	}
	for _, g := range f.General {
		out = append(out, problem{ID: "product-form", Text: g})
	}
	return out
}

// domainProblems adds the domain's field problems of err to problems (by
// form field name), the section ones to the form; false when err names no
// field (another kind of failure).
func (f *productForm) domainProblems(loc string, err error, problems map[string]string, variantRows, certRows []int) bool {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 || (e.Code != errs.Invalid && e.Code != errs.Conflict) {
		return false
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		msg := e.Fields[k]
		name, section := f.fieldOfKey(k, variantRows, certRows)
		switch {
		case name != "":
			if _, dup := problems[name]; !dup {
				problems[name] = msg
			}
		case section == "variants":
			f.VariantsError = i18n.T(loc, msg, nil)
		case section == "certifications":
			f.CertsError = i18n.T(loc, msg, nil)
		default:
			f.General = append(f.General, i18n.T(loc, "shop.field_error", map[string]any{"field": k, "problem": i18n.T(loc, msg, nil)}))
		}
	}
	return true
}
