package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/morocco"
	"souk/internal/text"
)

// Limits on what one product may hold; they keep a page and a cart sane.
const (
	maxVariants       = 100
	maxCertifications = 20
	maxImages         = 30
	maxAuthors        = 20
	maxStock          = 1_000_000_000
	maxPrice          = 100_000_000_00 // 100 million dirhams, in centimes
	maxWeightGrams    = 1_000_000      // one tonne: bulk sacks, not containers
	maxDimensionMM    = 100_000
)

var skuPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// clean normalises in and checks every field, naming each bad one with its
// path as the API shows it ("variants[1].price").
func (in *Input) clean(now time.Time) error {
	f := errs.Fields{}
	in.Slug = strings.ToLower(text.Clean(in.Slug))
	in.Category = strings.TrimSpace(in.Category)
	in.Region = strings.TrimSpace(in.Region)
	in.TaxClass = strings.TrimSpace(in.TaxClass)
	if in.TaxClass == "" {
		in.TaxClass = "standard"
	}
	if in.Slug != "" && !text.ValidSlug(in.Slug) {
		f.Add("slug", "field.slug")
	}
	if in.Category == "" {
		f.Add("category", "field.required")
	}
	if in.Region != "" {
		if _, ok := morocco.RegionByCode(in.Region); !ok {
			f.Add("region", "field.region")
		}
	}
	if in.Status != "" && !in.Status.Valid() {
		f.Add("status", "field.enum")
	}

	titled := false
	for loc, t := range in.Texts {
		if !i18n.Valid(loc) {
			f.Add("texts."+loc, "field.locale")
			continue
		}
		t.Title, t.Description = text.Clean(t.Title), text.Clean(t.Description)
		if k := text.Check(t.Title, false, 200); k != "" {
			f.Add("texts."+loc+".title", k)
		}
		if k := text.Check(t.Description, false, 20000); k != "" {
			f.Add("texts."+loc+".description", k)
		}
		if t.Title == "" && t.Description != "" {
			f.Add("texts."+loc+".title", "field.required")
		}
		titled = titled || t.Title != ""
		in.Texts[loc] = t
	}
	if !titled {
		f.Add("texts", "field.title_required")
	}

	switch {
	case len(in.Variants) == 0:
		f.Add("variants", "field.required")
	case len(in.Variants) > maxVariants:
		f.Add("variants", "field.too_many")
	}
	seen := map[string]bool{}
	for i := range in.Variants {
		v := &in.Variants[i]
		p := fmt.Sprintf("variants[%d].", i)
		v.SKU, v.Label = strings.TrimSpace(v.SKU), text.Clean(v.Label)
		switch {
		case v.SKU == "":
			f.Add(p+"sku", "field.required")
		case !skuPattern.MatchString(v.SKU):
			f.Add(p+"sku", "field.sku")
		case seen[strings.ToLower(v.SKU)]:
			f.Add(p+"sku", "field.duplicate")
		}
		seen[strings.ToLower(v.SKU)] = true
		if k := text.Check(v.Label, false, 100); k != "" {
			f.Add(p+"label", k)
		}
		if v.Price.Currency == "" {
			v.Price.Currency = money.MAD
		}
		switch {
		case v.Price.Currency != money.MAD:
			f.Add(p+"price.currency", "field.currency_mad")
		case v.Price.Amount < 0:
			f.Add(p+"price.amount", "field.negative")
		case v.Price.Amount == 0:
			f.Add(p+"price.amount", "field.positive")
		case v.Price.Amount > maxPrice:
			f.Add(p+"price.amount", "field.too_large")
		}
		checkRange(f, p+"stock", v.Stock, maxStock)
		checkRange(f, p+"weight_grams", v.WeightGrams, maxWeightGrams)
		checkRange(f, p+"length_mm", v.LengthMM, maxDimensionMM)
		checkRange(f, p+"width_mm", v.WidthMM, maxDimensionMM)
		checkRange(f, p+"height_mm", v.HeightMM, maxDimensionMM)
	}

	if len(in.Certifications) > maxCertifications {
		f.Add("certifications", "field.too_many")
	}
	for i := range in.Certifications {
		c := &in.Certifications[i]
		p := fmt.Sprintf("certifications[%d].", i)
		c.Issuer, c.Number, c.ExpiresOn = text.Clean(c.Issuer), text.Clean(c.Number), strings.TrimSpace(c.ExpiresOn)
		if !slices.Contains(CertificationKinds, c.Kind) {
			f.Add(p+"kind", "field.enum")
		}
		if k := text.Check(c.Issuer, true, 200); k != "" {
			f.Add(p+"issuer", k)
		}
		if k := text.Check(c.Number, false, 80); k != "" {
			f.Add(p+"number", k)
		}
		if c.ExpiresOn != "" {
			if _, err := time.Parse(time.DateOnly, c.ExpiresOn); err != nil {
				f.Add(p+"expires_on", "field.date")
			}
		}
	}

	if len(in.Images) > maxImages {
		f.Add("images", "field.too_many")
	}
	for i := range in.Images {
		im := &in.Images[i]
		p := fmt.Sprintf("images[%d].", i)
		im.Path, im.Alt = strings.TrimSpace(im.Path), text.Clean(im.Alt)
		if im.Path == "" || strings.Contains(im.Path, "..") || strings.HasPrefix(im.Path, "/") || text.Check(im.Path, true, 300) != "" {
			f.Add(p+"path", "field.path")
		}
		checkRange(f, p+"width", im.Width, 20000)
		checkRange(f, p+"height", im.Height, 20000)
		if k := text.Check(im.Alt, false, 300); k != "" {
			f.Add(p+"alt", k)
		}
	}

	if b := in.Book; b != nil {
		if isbn, ok := NormalizeISBN(b.ISBN); ok {
			b.ISBN = isbn
		} else {
			f.Add("book.isbn", "field.isbn")
		}
		switch {
		case len(b.Authors) == 0:
			f.Add("book.authors", "field.required")
		case len(b.Authors) > maxAuthors:
			f.Add("book.authors", "field.too_many")
		}
		for i := range b.Authors {
			b.Authors[i] = text.Clean(b.Authors[i])
			if k := text.Check(b.Authors[i], true, 200); k != "" {
				f.Add(fmt.Sprintf("book.authors[%d]", i), k)
			}
		}
		b.Publisher = text.Clean(b.Publisher)
		if k := text.Check(b.Publisher, false, 200); k != "" {
			f.Add("book.publisher", k)
		}
		b.Language = strings.ToLower(strings.TrimSpace(b.Language))
		if _, err := language.ParseBase(b.Language); err != nil || len(b.Language) < 2 || len(b.Language) > 3 {
			f.Add("book.language", "field.language")
		}
		if b.Year != 0 && (b.Year < 1000 || b.Year > now.Year()+1) {
			f.Add("book.year", "field.year")
		}
		checkRange(f, "book.pages", b.Pages, 100000)
	}

	if in.Slug == "" {
		in.Slug = deriveSlug(*in)
	}
	return f.Err()
}

func checkRange(f errs.Fields, field string, v, max int) {
	switch {
	case v < 0:
		f.Add(field, "field.negative")
	case v > max:
		f.Add(field, "field.too_large")
	}
}

// deriveSlug takes the first Latin-script title; a product titled only in
// Arabic gets "product", made unique by the store.
func deriveSlug(in Input) string {
	for _, l := range []string{"fr", "en", "es"} {
		if s := text.Slugify(in.Texts[l].Title); text.ValidSlug(s) {
			return s
		}
	}
	if in.Book != nil && in.Book.ISBN != "" {
		return "isbn-" + in.Book.ISBN
	}
	return "product"
}
