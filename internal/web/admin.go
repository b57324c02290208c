package web

import (
	"net/http"

	"souk/internal/catalog"
	"souk/internal/i18n"
	"souk/internal/vendor"
)

// The operator console's home: what is waiting for the operator.

func (s *Server) adminRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/admin/{$}", Access: operators, Handle: s.adminHome, Nav: "bo.nav_overview"},
	}
}

type adminHomeData struct {
	Applications, WaitingInfo, ToModerate, ToShip int
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx := r.Context()
	var d adminHomeData
	no, yes := false, true
	_, n, err := s.Vendors.List(ctx, c.User, vendor.Filter{Status: vendor.Applied, Waiting: &no, PerPage: 1})
	if err != nil {
		return err
	}
	d.Applications = n
	if _, d.WaitingInfo, err = s.Vendors.List(ctx, c.User, vendor.Filter{Status: vendor.Applied, Waiting: &yes, PerPage: 1}); err != nil {
		return err
	}
	pending, err := s.Catalog.List(ctx, c.User, catalog.Filter{Status: catalog.PendingReview, PerPage: 1})
	if err != nil {
		return err
	}
	d.ToModerate = pending.Total
	if d.ToShip, err = s.Orders.OpenParcels(ctx, c.User); err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_home", i18n.T(c.Loc, "bo.nav_overview", nil), d)
}
