package web

import (
	"errors"
	"net/http"
	"net/mail"
	"strconv"
	"strings"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/vendor"
)

// The vendor's people, for its owner: who can sign in to the portal, an
// invitation for someone new (an e-mail with a link to choose a password),
// and removing someone who should no longer come in. Staff handle orders
// and products; only the owner sees this page (vendorOwner).

func (s *Server) portalStaffRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/vendor/staff", Access: vendorOwner, Handle: s.portalStaff, Nav: "portal.nav_staff"},
		{Method: "POST", Pattern: "/vendor/staff", Access: vendorOwner, Handle: s.portalStaffInvite},
		{Method: "POST", Pattern: "/vendor/staff/{user}/remove", Access: vendorOwner, Handle: s.portalStaffRemove},
	}
}

var _ = notice("portal.staff_invited", "portal.staff_removed")

type memberRow struct {
	ID                int64
	Name, Email, Role string
	State, Badge      string
	LastSignIn        string
	Owner, Removable  bool
	RemoveURL         string
}

type localeOption struct {
	Code, Name string
	Selected   bool
}

type portalStaffData struct {
	Members     []memberRow
	Confirm     *memberRow // the member the owner asked to remove, to confirm
	Problems    []problem
	Name, Email formField
	Locales     []localeOption
}

func (s *Server) staffData(r *http.Request, c bo) (portalStaffData, error) {
	t := func(key string) string { return i18n.T(c.Loc, key, nil) }
	members, err := s.Auth.VendorMembers(r.Context(), c.User, c.User.VendorID)
	if err != nil {
		return portalStaffData{}, err
	}
	var d portalStaffData
	for _, m := range members {
		row := memberRow{ID: m.ID, Name: m.Name, Email: m.Email, Role: t("portal.role_staff"),
			RemoveURL: "/vendor/staff/" + strconv.FormatInt(m.ID, 10) + "/remove"}
		if m.Role == auth.RoleVendorOwner {
			row.Role, row.Owner = t("portal.role_owner"), true
		}
		switch {
		case m.Disabled:
			row.State, row.Badge = t("portal.state_removed"), "bad"
		case m.Invited:
			row.State, row.Badge = t("portal.state_invited"), "warn"
		default:
			row.State, row.Badge = t("portal.state_active"), "ok"
		}
		if m.LastSignIn != nil {
			row.LastSignIn = when(*m.LastSignIn)
		}
		row.Removable = m.Role == auth.RoleVendorStaff && !m.Disabled
		d.Members = append(d.Members, row)
	}
	d.Name = formField{ID: "name", Name: "name", Label: t("portal.staff_name"), Type: "text", Autocomplete: "off", Required: true}
	d.Email = formField{ID: "email", Name: "email", Label: t("account.email"), Type: "email", Autocomplete: "off", Dir: "ltr",
		Help: t("portal.staff_email_help"), Required: true}
	for _, l := range i18n.Locales {
		d.Locales = append(d.Locales, localeOption{Code: l, Name: localeNames[l], Selected: l == c.Loc})
	}
	return d, nil
}

// portalStaff lists the vendor's people, with the invitation form.
func (s *Server) portalStaff(w http.ResponseWriter, r *http.Request, c bo) error {
	d, err := s.staffData(r, c)
	if err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_staff", i18n.T(c.Loc, "portal.nav_staff", nil), d)
}

// portalStaffInvite invites a staff member: name, email, language.
func (s *Server) portalStaffInvite(w http.ResponseWriter, r *http.Request, c bo) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	d, err := s.staffData(r, c)
	if err != nil {
		return err
	}
	name, email, locale := r.PostForm.Get("name"), strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("language")
	d.Name.Value, d.Email.Value = name, email
	if i18n.Valid(locale) {
		for i := range d.Locales {
			d.Locales[i].Selected = d.Locales[i].Code == locale
		}
	}
	// The form's own rules first, so every problem is named at once;
	// the domain checks again and has the last word.
	fields := map[string]string{}
	if strings.TrimSpace(name) == "" {
		fields["name"] = "field.required"
	}
	if email == "" {
		fields["email"] = "field.required"
	} else if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		fields["email"] = "field.email"
	}
	if len(fields) == 0 {
		_, err := s.Vendors.InviteStaff(r.Context(), c.User, c.User.VendorID, vendor.StaffInvite{Name: name, Email: email, Locale: locale})
		if err == nil {
			return done(w, r, "/vendor/staff", "portal.staff_invited")
		}
		var e *errs.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			return err
		}
		for k, v := range e.Fields {
			fields[k] = v
		}
	}
	d.Problems = fieldProblems(c.Loc, fields, []*formField{&d.Name, &d.Email})
	return s.renderBO(w, r, c, http.StatusUnprocessableEntity, "portal_staff", i18n.T(c.Loc, "portal.nav_staff", nil), d)
}

// portalStaffRemove removes a staff member once the owner confirms
// (confirm=yes); without it, the page asks first. Someone who is not the
// vendor's is not found; the owner cannot be removed.
func (s *Server) portalStaffRemove(w http.ResponseWriter, r *http.Request, c bo) error {
	id, err := strconv.ParseInt(r.PathValue("user"), 10, 64)
	if err != nil || id <= 0 {
		return errs.NotFoundE("user")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	if r.PostForm.Get("confirm") == "yes" {
		if _, err := s.Vendors.RemoveStaff(r.Context(), c.User, c.User.VendorID, id); err != nil {
			return err
		}
		return done(w, r, "/vendor/staff", "portal.staff_removed")
	}
	d, err := s.staffData(r, c)
	if err != nil {
		return err
	}
	for i := range d.Members {
		if d.Members[i].ID == id {
			d.Confirm = &d.Members[i]
		}
	}
	switch {
	case d.Confirm == nil:
		return errs.NotFoundE("user")
	case d.Confirm.Owner:
		return errs.E(errs.Conflict, "staff.owner_stays")
	case !d.Confirm.Removable: // removed already
		return done(w, r, "/vendor/staff", "portal.staff_removed")
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_staff", i18n.T(c.Loc, "portal.nav_staff", nil), d)
}
