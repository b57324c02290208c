package api

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"souk/internal/catalog"
	"souk/internal/errs"
	"souk/internal/httpcache"
	"souk/internal/morocco"
	"souk/internal/search"
)

func (s *Server) listProducts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := errs.Fields{}
	filter := catalog.Filter{
		Q:             q.Get("q"),
		Category:      q.Get("category"),
		Region:        q.Get("region"),
		Vendor:        q.Get("vendor"),
		Status:        catalog.Status(q.Get("status")),
		Kind:          q.Get("kind"),
		Certification: q.Get("certification"),
		PriceBand:     q.Get("price"),
		Language:      q.Get("language"),
		Author:        q.Get("author"),
		Publisher:     q.Get("publisher"),
		Sort:          search.Sort(q.Get("sort")),
		Page:          queryInt(r, "page", 1, maxPage, f),
		PerPage:       queryInt(r, "per_page", 20, 100, f),
	}
	switch q.Get("facets") {
	case "", "false":
	case "true":
		filter.Facets = true
	default:
		f.Add("facets", "field.type")
	}
	if _, ok := morocco.RegionByCode(filter.Region); filter.Region != "" && !ok {
		f.Add("region", "field.region")
	}
	if utf8.RuneCountInString(filter.Q) > 200 {
		f.Add("q", "field.too_long")
	}
	if err := f.Err(); err != nil {
		return err
	}
	by := viewer(r)
	page, err := s.Catalog.List(r.Context(), by, filter)
	if err != nil {
		return err
	}
	loc := locale(r)
	out := productListView{listView: listView[productView]{Items: make([]productView, 0, len(page.Items)), Total: page.Total,
		Page: page.Page, PerPage: page.PerPage}}
	for _, p := range page.Items {
		out.Items = append(out.Items, productJSON(p, loc, by))
		httpcache.Shows(r.Context(), p.ID) // its stock is in the answer
	}
	if filter.Facets && page.Facets != nil {
		out.Facets = map[string][]facetCount{}
		for name, counts := range page.Facets {
			out.Facets[name] = make([]facetCount, len(counts))
			for i, c := range counts {
				out.Facets[name][i] = facetCount{Value: c.Value, Count: c.N}
			}
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getProduct(w http.ResponseWriter, r *http.Request) error {
	by := viewer(r)
	p, err := s.Catalog.Get(r.Context(), by, r.PathValue("product"))
	if err != nil {
		return err
	}
	httpcache.Shows(r.Context(), p.ID)
	httpcache.NotAListing(r.Context())
	return writeJSON(w, http.StatusOK, productJSON(p, locale(r), by))
}

type createProductRequest struct {
	// Vendor is the id or slug of the vendor; vendor users may leave it out
	// (it is their own) and may not name another.
	Vendor string `json:"vendor"`
	catalog.Input
}

func (s *Server) createProduct(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	if !by.IsOperator() && !by.IsVendorUser() {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	var in createProductRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	vendorID := by.VendorID
	if in.Vendor != "" {
		v, err := s.Vendors.Get(r.Context(), by, in.Vendor)
		if errs.Is(err, errs.NotFound) {
			return errs.Fields{"vendor": "field.not_found"}.Err()
		}
		if err != nil {
			return err
		}
		vendorID = v.ID
	}
	if vendorID == 0 {
		return errs.Fields{"vendor": "field.required"}.Err()
	}
	p, err := s.Catalog.Create(r.Context(), by, vendorID, in.Input)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/products/"+strconv.FormatInt(p.ID, 10))
	return writeJSON(w, http.StatusCreated, productJSON(p, locale(r), by))
}

func (s *Server) updateProduct(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	cur, err := s.Catalog.Get(r.Context(), by, r.PathValue("product"))
	if err != nil {
		return err
	}
	var in catalog.Input
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.Catalog.Update(r.Context(), by, cur.ID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, productJSON(p, locale(r), by))
}

func (s *Server) deleteProduct(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	cur, err := s.Catalog.Get(r.Context(), by, r.PathValue("product"))
	if err != nil {
		return err
	}
	if err := s.Catalog.Delete(r.Context(), by, cur.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) setProductStatus(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	if !by.IsOperator() {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	cur, err := s.Catalog.Get(r.Context(), by, r.PathValue("product"))
	if err != nil {
		return err
	}
	var in statusRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.Catalog.SetStatus(r.Context(), by, cur.ID, catalog.Status(in.Status), in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, productJSON(p, locale(r), by))
}

func (s *Server) listCategories(w http.ResponseWriter, r *http.Request) error {
	cats, err := s.Catalog.Categories(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": cats})
}
