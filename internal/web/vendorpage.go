package web

import (
	"net/http"
	"strconv"

	"souk/internal/catalog"
	"souk/internal/i18n"
)

type vendorData struct {
	Name, City, Region, Story string
	Count                     string
	Products                  []productCard
}

func (s *Server) vendor(w http.ResponseWriter, r *http.Request, loc string) error {
	v, err := s.Vendors.Get(r.Context(), public, r.PathValue("vendor"))
	if err != nil {
		return err
	}
	res, err := s.Catalog.List(r.Context(), public, catalog.Filter{Vendor: strconv.FormatInt(v.ID, 10), PerPage: 24})
	if err != nil {
		return err
	}
	stories := map[string]string{}
	for l, t := range v.Texts {
		stories[l] = t.Story
	}
	story, _, _ := i18n.Pick(stories, loc)
	d := vendorData{Name: v.DisplayName(loc), City: v.City, Region: regionName(v.Region, loc), Story: story,
		Count: i18n.N(loc, "catalog.products_count", res.Total, nil), Products: s.cards(r, loc, res.Items)}
	pg := s.page(r, loc, d.Name, d)
	pg.Description = story
	return s.render(w, http.StatusOK, "vendor", pg)
}
