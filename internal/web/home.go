package web

import (
	"net/http"

	"souk/internal/catalog"
	"souk/internal/i18n"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

type named struct{ Slug, Name, Region string }

type homeData struct {
	Categories []named
	Vendors    []named
	Regions    []named
	Latest     []productCard
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, loc string) error {
	cats, err := s.Catalog.Categories(r.Context())
	if err != nil {
		return err
	}
	var d homeData
	for _, c := range cats {
		if c.Parent == "" && c.Slug != "books" {
			name, _, _ := i18n.Pick(c.Names, loc)
			d.Categories = append(d.Categories, named{Slug: c.Slug, Name: name})
		}
	}
	vs, _, err := s.Vendors.List(r.Context(), public, vendor.Filter{Kind: vendor.Cooperative, PerPage: 12})
	if err != nil {
		return err
	}
	for _, v := range vs {
		d.Vendors = append(d.Vendors, named{Slug: v.Slug, Name: v.DisplayName(loc), Region: regionName(v.Region, loc)})
	}
	for _, reg := range morocco.Regions {
		d.Regions = append(d.Regions, named{Slug: reg.Code, Name: regionName(reg.Code, loc)})
	}
	latest, err := s.Catalog.List(r.Context(), public, catalog.Filter{PerPage: 12})
	if err != nil {
		return err
	}
	d.Latest = s.cards(r, loc, latest.Items)
	p := s.page(r, loc, i18n.T(loc, "web.home", nil), d)
	p.Description = i18n.T(loc, "web.tagline", nil)
	return s.render(w, http.StatusOK, "home", p)
}
