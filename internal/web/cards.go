package web

import (
	"net/http"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/i18n"
	"souk/internal/morocco"
)

// public is who the storefront reads as: everyone sees the same catalog.
var public = auth.User{}

// productCard is a product in a grid.
type productCard struct {
	URL, Title, Price, Vendor string
	Picture                   *picture // nil without a photo
}

func regionName(code, loc string) string {
	r, ok := morocco.RegionByCode(code)
	if !ok {
		return code
	}
	name, _, _ := i18n.Pick(r.Names, loc)
	return name
}

// cards turns products into grid cards, reading the vendors' names in one query.
func (s *Server) cards(r *http.Request, loc string, items []catalog.Product) []productCard {
	ids := make([]int64, 0, len(items))
	for _, p := range items {
		ids = append(ids, p.VendorID)
	}
	names, err := s.Vendors.DisplayNames(r.Context(), ids)
	if err != nil {
		s.Log.Warn("vendor names for product cards", "err", err) // the cards still show, without the names
	}
	out := make([]productCard, 0, len(items))
	for _, p := range items {
		vendorName, _, _ := i18n.Pick(names[p.VendorID], loc)
		t, _, _ := i18n.Pick(p.Texts, loc)
		// The title is the card's link text: the photo beside it is decorative.
		c := productCard{URL: "/" + loc + "/p/" + p.Slug, Title: t.Title, Vendor: vendorName, Picture: firstPicture(p, "")}
		if len(p.Variants) > 0 {
			c.Price = s.price(r, loc, p.Variants[0].Price)
		}
		out = append(out, c)
	}
	return out
}
