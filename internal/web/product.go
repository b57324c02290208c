package web

import (
	"net/http"
	"strings"
	"time"

	"souk/internal/i18n"
)

type variantRow struct {
	Label, Price, Stock string
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
	Region             string
	Certifications     []certLine
	Picture            *picture
	CurrencyNote       string // prices are indicative, orders charged in MAD; "" in MAD
}

func (s *Server) product(w http.ResponseWriter, r *http.Request, loc string) error {
	p, err := s.Catalog.Get(r.Context(), public, r.PathValue("product"))
	if err != nil {
		return err
	}
	v, err := s.Vendors.BySlug(r.Context(), p.VendorSlug)
	if err != nil {
		return err
	}
	t, _, _ := i18n.Pick(p.Texts, loc)
	d := productData{Title: t.Title, Description: t.Description, Vendor: v.DisplayName(loc), VendorSlug: v.Slug, Region: regionName(p.Region, loc),
		Picture: firstPicture(p, t.Title), CurrencyNote: s.currencyNote(r, loc)}
	if p.Book != nil {
		d.Authors = strings.Join(p.Book.Authors, ", ")
	}
	for _, x := range p.Variants {
		row := variantRow{Label: x.Label, Price: s.price(r, loc, x.Price), Charged: s.charged(r, loc, x.Price)}
		switch {
		case x.Stock == 0:
			row.Stock, row.SoldOut = i18n.T(loc, "web.sold_out", nil), true
		case x.Stock <= 5:
			row.Stock = i18n.T(loc, "web.few_left", map[string]any{"count": x.Stock})
		default:
			row.Stock = i18n.T(loc, "web.in_stock", nil)
		}
		d.Variants = append(d.Variants, row)
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
	return s.render(w, http.StatusOK, "product", pg)
}
