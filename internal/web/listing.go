package web

import (
	"net/http"
	"strconv"
	"strings"

	"souk/internal/catalog"
	"souk/internal/errs"
	"souk/internal/i18n"
)

type listingData struct {
	Heading    string
	Sub        []named
	Count      string
	Items      []productCard
	Prev, Next string
}

// listing renders one page of products matching f.
func (s *Server) listing(w http.ResponseWriter, r *http.Request, loc, heading string, sub []named, f catalog.Filter) error {
	f.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	f.Page = min(max(f.Page, 1), 10000)
	f.PerPage = 24
	res, err := s.Catalog.List(r.Context(), public, f)
	if err != nil {
		return err
	}
	d := listingData{Heading: heading, Sub: sub, Count: i18n.N(loc, "catalog.products_count", res.Total, nil),
		Items: s.cards(r, loc, res.Items)}
	if res.Page > 1 {
		d.Prev = pageURL(r, res.Page-1)
	}
	if res.Page*res.PerPage < res.Total {
		d.Next = pageURL(r, res.Page+1)
	}
	return s.render(w, http.StatusOK, "listing", s.page(r, loc, heading, d))
}

func (s *Server) category(w http.ResponseWriter, r *http.Request, loc string) error {
	slug := r.PathValue("category")
	cats, err := s.Catalog.Categories(r.Context())
	if err != nil {
		return err
	}
	heading, found := "", false
	var sub []named
	for _, c := range cats {
		name, _, _ := i18n.Pick(c.Names, loc)
		if c.Slug == slug {
			heading, found = name, true
		}
		if c.Parent == slug {
			sub = append(sub, named{Slug: c.Slug, Name: name})
		}
	}
	if !found {
		return errs.NotFoundE("category")
	}
	return s.listing(w, r, loc, heading, sub, catalog.Filter{Category: slug})
}

func (s *Server) books(w http.ResponseWriter, r *http.Request, loc string) error {
	r.SetPathValue("category", "books")
	return s.category(w, r, loc)
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, loc string) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	return s.listing(w, r, loc, i18n.T(loc, "web.results_for", map[string]any{"q": q}), nil, catalog.Filter{Q: q})
}
