package web

import (
	"net/http"
	"strconv"
	"strings"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/order"
)

// The operator console's customers (routes in adminOrderRoutes): the
// accounts with the customer role, found by e-mail or name, with how many
// orders each placed, and one customer with their orders.

type acRow struct {
	URL, Email, Name, Since, Language string
	Orders                            int
	Disabled                          bool
}

type acListData struct {
	Q          formField
	Rows       []acRow
	Total      int
	Prev, Next string
}

func (s *Server) adminCustomers(w http.ResponseWriter, r *http.Request, c bo) error {
	if s.Auth == nil {
		return errs.E(errs.Internal, "error.internal")
	}
	ctx, q, loc := r.Context(), r.URL.Query(), c.Loc
	f := auth.CustomerFilter{Q: strings.TrimSpace(q.Get("q"))}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	page, err := s.Auth.Customers(ctx, c.User, f)
	if err != nil {
		return err
	}
	ids := make([]int64, len(page.Customers))
	for i, u := range page.Customers {
		ids[i] = u.ID
	}
	counts, err := s.Orders.CustomerOrderCounts(ctx, c.User, ids)
	if err != nil {
		return err
	}
	d := acListData{Total: page.Total, Q: formField{ID: "q", Name: "q", Type: "search", Value: f.Q, Dir: "auto", Autocomplete: "off",
		Label: i18n.T(loc, "moderation.search_customers", nil)}}
	for _, u := range page.Customers {
		d.Rows = append(d.Rows, acRow{URL: "/admin/customers/" + strconv.FormatInt(u.ID, 10), Email: u.Email, Name: u.Name,
			Since: when(u.CreatedAt), Language: localeNames[u.Locale], Orders: counts[u.ID], Disabled: u.Disabled})
	}
	if page.Page > 1 {
		d.Prev = pageURL(r, page.Page-1)
	}
	if page.Page*page.PerPage < page.Total {
		d.Next = pageURL(r, page.Page+1)
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_customers", i18n.T(loc, "moderation.customers_title", nil), d)
}

type acCustomerData struct {
	acRow
	Rows       []aoRow
	Total      int
	Prev, Next string
}

func (s *Server) adminCustomer(w http.ResponseWriter, r *http.Request, c bo) error {
	if s.Auth == nil {
		return errs.E(errs.Internal, "error.internal")
	}
	ctx, loc := r.Context(), c.Loc
	id, err := strconv.ParseInt(r.PathValue("customer"), 10, 64)
	if err != nil || id <= 0 {
		return errs.NotFoundE("user")
	}
	u, err := s.Auth.Customer(ctx, c.User, id)
	if err != nil {
		return err
	}
	f := order.AdminFilter{CustomerID: u.ID}
	f.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	page, err := s.Orders.AdminOrders(ctx, c.User, f)
	if err != nil {
		return err
	}
	d := acCustomerData{acRow: acRow{Email: u.Email, Name: u.Name, Since: when(u.CreatedAt), Language: localeNames[u.Locale],
		Orders: page.Total, Disabled: u.Disabled}, Total: page.Total, Rows: s.aoRows(r, loc, page.Orders)}
	if page.Page > 1 {
		d.Prev = pageURL(r, page.Page-1)
	}
	if page.Page*page.PerPage < page.Total {
		d.Next = pageURL(r, page.Page+1)
	}
	title := u.Name
	if title == "" {
		title = u.Email
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_customer", title, d)
}
