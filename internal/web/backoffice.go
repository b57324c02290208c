package web

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/i18n"
)

// The back office: the vendor portal under /vendor/ and the operator
// console under /admin/. Their URLs carry no locale (a cooperative's
// manager bookmarks one address); the language is the one chosen with
// ?lang=, else the storefront's cookie, else the account's, else Arabic.
//
// Every route is declared once, in a table with who may use it
// (backOfficeRoutes); the guard checks that before the handler runs, and
// the authorization test walks the same table, so a route cannot be added
// without a row there. The domain services check again (a product of
// another vendor is not found), so the guard is never the only wall.

// access is who may use a back-office route.
type access int

const (
	vendorPeople access = iota + 1 // a vendor's owner and staff, on their own vendor only
	vendorOwner                    // the vendor's owner only: staff, bank details
	operators                      // moderators and admins
	admins                         // admins only: money rules, carriers, settings
)

func (a access) allows(u auth.User) bool {
	switch a {
	case vendorPeople:
		return u.IsVendorUser() && u.VendorID > 0
	case vendorOwner:
		return u.Role == auth.RoleVendorOwner && u.VendorID > 0
	case operators:
		return u.IsOperator()
	case admins:
		return u.Role == auth.RoleAdmin
	}
	return false
}

var accessNames = map[access]string{vendorPeople: "vendor", vendorOwner: "vendor_owner", operators: "operator", admins: "admin"}

// bo is what a back-office handler knows of its request besides the
// request itself: the language and the signed-in user the guard admitted.
type bo struct {
	Loc  string
	User auth.User
}

type boHandler func(w http.ResponseWriter, r *http.Request, c bo) error

// boRoute is one back-office route. Nav, when set, is the message key of
// the route's entry in the section's menu.
type boRoute struct {
	Method, Pattern string
	Access          access
	Handle          boHandler
	Nav             string
}

// backOfficeRoutes is every route of the portal and the console.
func (s *Server) backOfficeRoutes() []boRoute {
	return slices.Concat(
		s.portalRoutes(),
		s.portalProductRoutes(),
		s.portalOrderRoutes(),
		s.portalStaffRoutes(),
		s.portalShopRoutes(),
		s.portalHelpRoutes(),
		s.portalPayoutRoutes(),
		s.adminRoutes(),
		s.adminVendorRoutes(),
		s.adminCatalogRoutes(),
		s.adminOrderRoutes(),
		s.adminCommerceRoutes(),
		s.adminCommissionRoutes(),
		s.adminPayoutRoutes(),
		s.adminLedgerRoutes(),
		s.adminRemittanceRoutes(),
	)
}

// BackOfficeRoute describes one route for the authorization test.
type BackOfficeRoute struct {
	Method, Pattern string
	Access          string // vendor, vendor_owner, operator, admin
}

// BackOfficeRoutes lists the routes of the portal and the console.
func BackOfficeRoutes() []BackOfficeRoute {
	var out []BackOfficeRoute
	for _, rt := range (&Server{}).backOfficeRoutes() {
		out = append(out, BackOfficeRoute{Method: rt.Method, Pattern: rt.Pattern, Access: accessNames[rt.Access]})
	}
	return out
}

//go:embed assets/backoffice.css
var backOfficeCSS []byte

//go:embed assets/live.js
var liveJS []byte

// boAssets holds what the back office serves besides pages: templates, and
// the stylesheet and scripts under fingerprinted names.
type boAssets struct {
	pages    map[string]*template.Template
	styleURL string
	liveJS   string
	files    map[string]asset
}

type asset struct {
	contentType string
	body        []byte
}

// fingerprint serves body under a name that changes with it, cached for a year.
func (a *boAssets) fingerprint(name, ext, contentType string, body []byte) string {
	sum := sha256.Sum256(body)
	u := "/assets/" + name + "." + hex.EncodeToString(sum[:6]) + "." + ext
	a.files[u] = asset{contentType, body}
	return u
}

func (s *Server) parseBackOffice() error {
	s.bo.pages = map[string]*template.Template{}
	base, err := template.ParseFS(templateFiles, "templates/bo/layout.html", "templates/form.html")
	if err != nil {
		return fmt.Errorf("back-office templates: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/bo/*.html")
	if err != nil {
		return err
	}
	for _, name := range names {
		page := strings.TrimSuffix(path.Base(name), ".html")
		if page == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, name)
		if err != nil {
			return fmt.Errorf("back-office template %s: %w", page, err)
		}
		s.bo.pages[page] = t
	}
	s.bo.files = map[string]asset{}
	s.bo.styleURL = s.bo.fingerprint("backoffice", "css", "text/css; charset=utf-8", backOfficeCSS)
	s.bo.liveJS = s.bo.fingerprint("live", "js", "text/javascript; charset=utf-8", liveJS)
	return nil
}

func (s *Server) backOffice(mux *http.ServeMux) {
	for u, a := range s.bo.files {
		mux.HandleFunc("GET "+u, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", a.contentType)
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			_, _ = w.Write(a.body)
		})
	}
	for _, rt := range s.backOfficeRoutes() {
		mux.Handle(rt.Method+" "+rt.Pattern, s.guard(rt))
	}
	for _, section := range []string{"/vendor/", "/admin/"} {
		a := vendorPeople
		if section == "/admin/" {
			a = operators
		}
		mux.Handle(section, s.guard(boRoute{Access: a, Handle: func(http.ResponseWriter, *http.Request, bo) error {
			return errs.NotFoundE("page")
		}}))
	}
}

// guard admits a request to a back-office route: an anonymous visitor is
// sent to sign in and brought back; a signed-in user without the right is
// refused (403) before anything runs.
func (s *Server) guard(rt boRoute) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		private(w)
		w.Header().Set("Content-Security-Policy", "frame-ancestors 'none'")
		loc := s.boLocale(w, r)
		u, ok := auth.UserFrom(r.Context())
		c := bo{Loc: loc, User: u}
		if !ok {
			next := r.URL.Path
			if r.Method == http.MethodGet && r.URL.RawQuery != "" {
				next += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, "/"+loc+"/account/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.Log.Error("panic in back office", "path", r.URL.Path, "panic", p)
				s.boError(w, r, c, fmt.Errorf("panic: %v", p))
			}
		}()
		if !rt.Access.allows(u) {
			s.boError(w, r, c, errs.E(errs.Forbidden, "error.forbidden"))
			return
		}
		if err := rt.Handle(w, r, c); err != nil {
			s.boError(w, r, c, err)
		}
	})
}

// boLocale is the back office's language: ?lang= (remembered in the
// storefront's cookie), else that cookie, else the account's, else Arabic.
func (s *Server) boLocale(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); i18n.Valid(l) {
		http.SetCookie(w, &http.Cookie{Name: CookieLocale, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie(CookieLocale); err == nil && i18n.Valid(c.Value) {
		return c.Value
	}
	if u, ok := auth.UserFrom(r.Context()); ok && i18n.Valid(u.Locale) {
		return u.Locale
	}
	return i18n.Default
}

// navLink is one entry of a section's menu.
type navLink struct {
	Href, Label string
	Current     bool
}

// boPage is what every back-office template gets.
type boPage struct {
	Page
	Section string // "vendor" or "admin"
	Nav     []navLink
	User    auth.User
	Help    string // the help guides, in the portal
	Notice  string // what the last action did
	Script  string // the page's one script, "" for none (most pages need none)
}

// boNotices are the messages a redirect after an action may show
// (?done=<key>); anything else is ignored, so a link cannot make the
// portal say what did not happen.
var boNotices = map[string]bool{}

// notice registers the keys that ?done= may show; call from var blocks.
func notice(keys ...string) bool {
	for _, k := range keys {
		boNotices[k] = true
	}
	return true
}

func (s *Server) boPage(r *http.Request, c bo, title string, data any) boPage {
	p := boPage{Page: Page{Locale: c.Loc, Dir: i18n.Dir(c.Loc), Title: title, StyleURL: s.bo.styleURL, IconURL: s.iconURL,
		NoIndex: true, Data: data}, User: c.User}
	if sess, ok := auth.SessionFrom(r.Context()); ok && auth.ViaCookie(r.Context()) {
		p.CSRF = sess.CSRFToken
	}
	p.Section = "vendor"
	if strings.HasPrefix(r.URL.Path, "/admin") {
		p.Section = "admin"
	}
	q := r.URL.Query()
	q.Del("done")
	for _, l := range i18n.Locales {
		q.Set("lang", l)
		p.Alternates = append(p.Alternates, alternate{Locale: l, Name: localeNames[l], Href: r.URL.Path + "?" + q.Encode()})
	}
	if key := r.URL.Query().Get("done"); boNotices[key] {
		p.Notice = i18n.T(c.Loc, key, nil)
	}
	for _, rt := range s.backOfficeRoutes() {
		if rt.Nav == "" || rt.Method != http.MethodGet || !strings.HasPrefix(rt.Pattern, "/"+p.Section+"/") || !rt.Access.allows(c.User) {
			continue
		}
		href := strings.TrimSuffix(rt.Pattern, "{$}")
		current := r.URL.Path == href || (href != "/"+p.Section+"/" && strings.HasPrefix(r.URL.Path, href+"/"))
		p.Nav = append(p.Nav, navLink{Href: href, Label: i18n.T(c.Loc, rt.Nav, nil), Current: current})
	}
	if p.Section == "vendor" {
		p.Help = "/vendor/help"
	}
	return p
}

// renderBO writes a back-office page.
func (s *Server) renderBO(w http.ResponseWriter, r *http.Request, c bo, status int, name, title string, data any) error {
	return s.writeBO(w, status, name, s.boPage(r, c, title, data))
}

func (s *Server) writeBO(w http.ResponseWriter, status int, name string, p boPage) error {
	t, ok := s.bo.pages[name]
	if !ok {
		return fmt.Errorf("no back-office template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", p.Locale)
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// boError shows an error in the back office's own frame.
func (s *Server) boError(w http.ResponseWriter, r *http.Request, c bo, err error) {
	status, title, text := s.errorView(r, c.Loc, err)
	if rerr := s.renderBO(w, r, c, status, "error", i18n.T(c.Loc, title, nil), text); rerr != nil {
		s.Log.Error("render back-office error page", "err", rerr)
	}
}

// done sends the browser back after an action, with a notice to show.
func done(w http.ResponseWriter, r *http.Request, to, key string) error {
	if !boNotices[key] {
		return fmt.Errorf("notice %q is not registered", key)
	}
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	http.Redirect(w, r, to+sep+"done="+url.QueryEscape(key), http.StatusSeeOther)
	return nil
}
