package web

import (
	"net/http"
	"strings"
	"time"

	"souk/internal/catalog"
	"souk/internal/httpcache"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/order"
)

type variantRow struct {
	Label, Price, Stock string
	SKU                 string
	Charged             string // the MAD amount, when Price is in another currency
	SoldOut             bool
}

// certLine is a label as the product page shows it. Issuer and number are
// usually Latin inside Arabic text: the template isolates them (<bdi>).
type certLine struct {
	Label, Issuer, Number, Until string
}

type productData struct {
	Title, Description string
	Authors            string
	Variants           []variantRow
	Vendor, VendorSlug string
	VendorPlace        string // city · region of the vendor
	VendorStory        string // the start of the vendor's story, for its card
	Region             string
	Certifications     []certLine
	Picture            *picture
	CurrencyNote       string // prices are indicative, orders charged in MAD; "" in MAD
	Slug               string
	Buy                []variantRow // the variants in stock, for the add-to-cart form
	MaxQuantity        int          // the most one variant has in stock
}

func (s *Server) product(w http.ResponseWriter, r *http.Request, loc string) error {
	p, err := s.Catalog.Get(r.Context(), public, r.PathValue("product"))
	if err != nil {
		return err
	}
	httpcache.Shows(r.Context(), p.ID)
	httpcache.NotAListing(r.Context())
	v, err := s.Vendors.BySlug(r.Context(), p.VendorSlug)
	if err != nil {
		return err
	}
	t, _, _ := i18n.Pick(p.Texts, loc)
	stories := map[string]string{}
	for l, vt := range v.Texts {
		stories[l] = vt.Story
	}
	story, _, _ := i18n.Pick(stories, loc)
	d := productData{Title: t.Title, Description: t.Description, Vendor: v.DisplayName(loc), VendorSlug: v.Slug, Region: regionName(p.Region, loc),
		VendorPlace: v.City + " · " + regionName(v.Region, loc), VendorStory: excerpt(story, 280),
		Picture: firstPicture(p, t.Title), CurrencyNote: s.currencyNote(r, loc), Slug: p.Slug}
	if p.Book != nil {
		d.Authors = strings.Join(p.Book.Authors, ", ")
	}
	for _, x := range p.Variants {
		row := variantRow{Label: x.Label, SKU: x.SKU, Price: s.price(r, loc, x.Price), Charged: s.charged(r, loc, x.Price)}
		switch {
		case x.Stock == 0:
			row.Stock, row.SoldOut = i18n.T(loc, "web.sold_out", nil), true
		case x.Stock <= 5:
			row.Stock = i18n.T(loc, "web.few_left", map[string]any{"count": x.Stock})
		default:
			row.Stock = i18n.T(loc, "web.in_stock", nil)
		}
		d.Variants = append(d.Variants, row)
		if !row.SoldOut {
			d.Buy = append(d.Buy, row)
			d.MaxQuantity = max(d.MaxQuantity, min(x.Stock, order.MaxQuantity))
		}
	}
	for _, c := range p.Certifications {
		line := certLine{Label: i18n.T(loc, "certification."+c.Kind, nil), Issuer: c.Issuer, Number: c.Number}
		if when, err := time.Parse(time.DateOnly, c.ExpiresOn); err == nil {
			line.Until = i18n.T(loc, "web.valid_until", map[string]any{"date": when.Format("02/01/2006")})
		}
		d.Certifications = append(d.Certifications, line)
	}
	pg := s.page(r, loc, t.Title, d)
	pg.Description = t.Description
	pg.Share.Type = "product"
	if d.Picture != nil {
		pg.Share.Image = s.origin(r) + "/media/" + p.Images[0].Path
	}
	pg.JSONLD = jsonLD(productLD(p, t, v.DisplayName(loc), pg.Canonical, pg.Share.Image))
	return s.render(w, http.StatusOK, "product", pg)
}

// productLD is the schema.org description of a product for search engines:
// a Product (and Book) with its offers in dirhams.
func productLD(p catalog.Product, t catalog.Texts, vendorName, url, image string) map[string]any {
	ld := map[string]any{"@context": "https://schema.org", "@type": "Product", "name": t.Title, "url": url,
		"brand": map[string]any{"@type": "Brand", "name": vendorName}}
	if t.Description != "" {
		ld["description"] = t.Description
	}
	if image != "" {
		ld["image"] = image
	}
	if len(p.Variants) > 0 {
		ld["sku"] = p.Variants[0].SKU
	}
	if b := p.Book; b != nil {
		ld["@type"] = []string{"Product", "Book"}
		ld["isbn"], ld["gtin13"], ld["inLanguage"] = b.ISBN, b.ISBN, b.Language
		var authors []map[string]any
		for _, a := range b.Authors {
			authors = append(authors, map[string]any{"@type": "Person", "name": a})
		}
		ld["author"] = authors
		if b.Publisher != "" {
			ld["publisher"] = map[string]any{"@type": "Organization", "name": b.Publisher}
		}
	}
	seller := map[string]any{"@type": "Organization", "name": vendorName}
	var offers []map[string]any
	for _, v := range p.Variants {
		availability := "https://schema.org/InStock"
		if v.Stock == 0 {
			availability = "https://schema.org/OutOfStock"
		}
		offers = append(offers, map[string]any{"@type": "Offer", "sku": v.SKU, "name": v.Label, "url": url,
			"price": money.Decimal(v.Price), "priceCurrency": v.Price.Currency, "availability": availability, "seller": seller})
	}
	switch len(offers) {
	case 0:
	case 1:
		ld["offers"] = offers[0]
	default:
		low, high := p.Variants[0].Price, p.Variants[0].Price
		for _, v := range p.Variants {
			if v.Price.Amount < low.Amount {
				low = v.Price
			}
			if v.Price.Amount > high.Amount {
				high = v.Price
			}
		}
		ld["offers"] = map[string]any{"@type": "AggregateOffer", "lowPrice": money.Decimal(low), "highPrice": money.Decimal(high),
			"priceCurrency": low.Currency, "offerCount": len(offers), "offers": offers}
	}
	return ld
}

// excerpt is the start of text, cut at a word within max characters.
func excerpt(text string, max int) string {
	r := []rune(text)
	if len(r) <= max {
		return text
	}
	cut := string(r[:max])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return cut + "…"
}
