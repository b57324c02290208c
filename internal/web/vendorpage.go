package web

import (
	"net/http"
	"strconv"

	"souk/internal/catalog"
	"souk/internal/i18n"
)

// vendorData is a vendor's page: who they are, then their products as a
// listing with its facets, orders and pages.
type vendorData struct {
	Name, City, Region, Story string
	listingData
}

func (s *Server) vendor(w http.ResponseWriter, r *http.Request, loc string) error {
	v, err := s.Vendors.Get(r.Context(), public, r.PathValue("vendor"))
	if err != nil {
		return err
	}
	l, err := s.listingOf(r, loc, catalog.Filter{Vendor: strconv.FormatInt(v.ID, 10)})
	if err != nil {
		return err
	}
	stories := map[string]string{}
	for l, t := range v.Texts {
		stories[l] = t.Story
	}
	story, _, _ := i18n.Pick(stories, loc)
	d := vendorData{Name: v.DisplayName(loc), City: v.City, Region: regionName(v.Region, loc), Story: story, listingData: l}
	pg := s.page(r, loc, d.Name, d)
	pg.Description = story
	pg.Share.Type = "profile"
	pg.JSONLD = jsonLD(map[string]any{"@context": "https://schema.org", "@type": "Organization", "name": d.Name, "url": pg.Canonical,
		"description": story, "address": map[string]any{"@type": "PostalAddress", "addressLocality": v.City,
			"addressRegion": d.Region, "addressCountry": "MA"}})
	return s.render(w, http.StatusOK, "vendor", pg)
}
