package api

import (
	"net/http"

	"souk/internal/errs"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

func (s *Server) listVendors(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := errs.Fields{}
	filter := vendor.Filter{
		Status:  vendor.Status(q.Get("status")),
		Kind:    vendor.Kind(q.Get("kind")),
		Region:  q.Get("region"),
		Page:    queryInt(r, "page", 1, maxPage, f),
		PerPage: queryInt(r, "per_page", 20, 100, f),
	}
	if filter.Status != "" && !filter.Status.Valid() {
		f.Add("status", "field.enum")
	}
	if filter.Kind != "" && !filter.Kind.Valid() {
		f.Add("kind", "field.enum")
	}
	if _, ok := morocco.RegionByCode(filter.Region); filter.Region != "" && !ok {
		f.Add("region", "field.region")
	}
	if err := f.Err(); err != nil {
		return err
	}
	by := viewer(r)
	vs, total, err := s.Vendors.List(r.Context(), by, filter)
	if err != nil {
		return err
	}
	loc := locale(r)
	out := listView[vendorView]{Items: make([]vendorView, 0, len(vs)), Total: total, Page: filter.Page, PerPage: filter.PerPage}
	for _, v := range vs {
		out.Items = append(out.Items, vendorJSON(v, loc, by))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getVendor(w http.ResponseWriter, r *http.Request) error {
	by := viewer(r)
	v, err := s.Vendors.Get(r.Context(), by, r.PathValue("vendor"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, vendorJSON(v, locale(r), by))
}

type createVendorRequest struct {
	vendor.Input
	Status vendor.Status `json:"status"`
}

// createVendor adds a vendor directly: operators only (applicants use the
// application form).
func (s *Server) createVendor(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	if !by.IsOperator() {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	var in createVendorRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Status == "" {
		in.Status = vendor.Applied
	}
	v, err := s.Vendors.Create(r.Context(), by, in.Input, in.Status)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/vendors/"+v.Slug)
	return writeJSON(w, http.StatusCreated, vendorJSON(v, locale(r), by))
}

func (s *Server) updateVendor(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	cur, err := s.Vendors.Get(r.Context(), by, r.PathValue("vendor"))
	if err != nil {
		return err
	}
	var in vendor.Input
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.Vendors.Update(r.Context(), by, cur.ID, in)
	if err != nil {
		return err
	}
	// Products are found by their vendor's names too.
	if err := s.Catalog.ReindexVendor(r.Context(), v.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, vendorJSON(v, locale(r), by))
}

type statusRequest struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

func (s *Server) setVendorStatus(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	if !by.IsOperator() {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	cur, err := s.Vendors.Get(r.Context(), by, r.PathValue("vendor"))
	if err != nil {
		return err
	}
	var in statusRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.Vendors.MoveTo(r.Context(), by, cur.ID, vendor.Status(in.Status), in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, vendorJSON(v, locale(r), by))
}
