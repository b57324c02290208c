package web

import (
	"errors"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/i18n"
)

// Customers' accounts: register, sign in, sign out, and the account page
// with the customer's orders. Who is signed in always comes from the
// session middleware (auth.UserFrom), whichever way the session was opened
// (these pages or POST /api/v1/sessions: the same cookie).

// minPassword is auth's rule, shown on the form and checked here too so
// that every problem of the form is named at once.
const minPassword = 10

// signInURL is the sign-in page for the header's link, back to the page
// the visitor is on afterwards (not from the account pages themselves).
func signInURL(loc string, r *http.Request) string {
	base := "/" + loc + "/account/signin"
	rest := strings.TrimPrefix(r.URL.Path, "/"+loc)
	if rest == "/account" || strings.HasPrefix(rest, "/account/") || !strings.HasPrefix(r.URL.Path, "/"+loc+"/") {
		return base
	}
	next := r.URL.Path
	if r.URL.RawQuery != "" {
		next += "?" + r.URL.RawQuery
	}
	if len(next) > 500 {
		return base
	}
	return base + "?next=" + url.QueryEscape(next)
}

// safeNext is where to send a visitor after signing in: a path of this
// site under one of souk's languages (put in loc, the language they are
// using now) or in the back office (/vendor/, /admin/), never another
// site, nor the sign-in and registration pages (a loop); "" for anything
// else.
func safeNext(loc, next string) string {
	if next == "" || len(next) > 500 || strings.Contains(next, "\\") {
		return ""
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.User != nil || u.Host != "" || u.Opaque != "" {
		return ""
	}
	for _, prefix := range append([]string{"vendor", "admin"}, i18n.Locales...) {
		rest, ok := strings.CutPrefix(next, "/"+prefix+"/")
		if !ok {
			continue
		}
		path, _, _ := strings.Cut(rest, "?")
		path, _, _ = strings.Cut(path, "#")
		// No empty or dot segments: "//host" is another site, and
		// "/ar/..//host" becomes it once a browser resolves the dots.
		for seg := range strings.SplitSeq(path, "/") {
			if seg == "." || seg == ".." {
				return ""
			}
		}
		if strings.HasPrefix(path, "/") || strings.Contains(path, "//") {
			return ""
		}
		if path == "account/signin" || path == "account/register" || path == "account/signout" {
			return ""
		}
		if prefix == "vendor" || prefix == "admin" {
			return next
		}
		return "/" + loc + "/" + rest
	}
	return ""
}

// afterSignIn is where a visitor goes once signed in: next if safe, else
// their home: the portal for a vendor's people, the console for
// operators, the account page for customers.
func afterSignIn(loc, next string, u auth.User) string {
	if n := safeNext(loc, next); n != "" {
		return n
	}
	return home(loc, u)
}

func home(loc string, u auth.User) string {
	switch {
	case u.IsVendorUser():
		return "/vendor/"
	case u.IsOperator():
		return "/admin/"
	}
	return "/" + loc + "/account"
}

// clientIP is the peer address, the key of per-address sign-in throttling
// (as the API's sign-in takes it).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// startSession hands the browser a new session and gives the account the
// guest cart filled before (the cookie is forgotten once adopted; if
// adopting fails, the cookie stays and the cart page adopts it later). A
// session the browser still held is revoked: one browser, one session.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, sess auth.Session, u auth.User) {
	if old, ok := auth.SessionFrom(r.Context()); ok && auth.ViaCookie(r.Context()) {
		if err := s.Auth.Logout(r.Context(), old.Token); err != nil {
			s.Log.Warn("sign-in: could not revoke the previous session", "err", err)
		}
	}
	auth.SetSessionCookie(w, sess, s.SecureCookies || r.TLS != nil)
	if c, err := r.Cookie(CookieCart); err == nil && c.Value != "" {
		_, err := s.Orders.Adopt(r.Context(), u, c.Value)
		switch {
		case err == nil, errs.Is(err, errs.NotFound):
			setCartCookie(w, r, "")
		default:
			s.Log.Warn("sign-in: could not adopt the guest cart", "err", err)
		}
	}
}

// noAuth is the error of an account page on a server without accounts.
func (s *Server) noAuth() error {
	return errs.Wrap(errs.Internal, "error.internal", errors.New("web: Server.Auth is not set"))
}

type signInData struct {
	Next            string
	Problems        []problem
	Message         string // why signing in failed, not tied to one field
	Notice          string
	Email, Password formField
	RegisterURL     string
}

// signIn is the sign-in form (GET) and signing in (POST). A wrong e-mail
// or password is one message that does not say which; too many failures
// are refused for a while (auth's throttling).
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, loc string) error {
	private(w)
	if s.Auth == nil {
		return s.noAuth()
	}
	next, err := nextOf(r)
	if err != nil {
		return err
	}
	if u, ok := auth.UserFrom(r.Context()); ok && r.Method == http.MethodGet {
		http.Redirect(w, r, afterSignIn(loc, next, u), http.StatusSeeOther)
		return nil
	}
	t := func(key string) string { return i18n.T(loc, key, nil) }
	d := signInData{Next: safeNext(loc, next), RegisterURL: "/" + loc + "/account/register"}
	if d.Next != "" {
		d.RegisterURL += "?next=" + url.QueryEscape(d.Next)
	}
	d.Email = formField{ID: "email", Name: "email", Label: t("account.email"), Type: "email", Autocomplete: "username", Dir: "ltr", Required: true}
	d.Password = formField{ID: "password", Name: "password", Label: t("account.password"), Type: "password", Autocomplete: "current-password", Required: true}
	status := http.StatusOK
	if r.URL.Query().Has("signedout") {
		d.Notice = t("account.signed_out")
	}
	if r.Method == http.MethodPost {
		email, password := strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("password")
		d.Email.Value = email
		fields := map[string]string{}
		if email == "" {
			fields["email"] = "field.required"
		}
		if password == "" {
			fields["password"] = "field.required"
		}
		if len(fields) == 0 {
			sess, u, err := s.Auth.Login(r.Context(), email, password, clientIP(r), r.UserAgent())
			if err == nil {
				s.startSession(w, r, sess, u)
				http.Redirect(w, r, afterSignIn(loc, next, u), http.StatusSeeOther)
				return nil
			}
			switch errs.CodeOf(err) {
			case errs.Unauthorized:
				status, d.Message = http.StatusUnprocessableEntity, errorText(loc, err)
			case errs.TooMany:
				status, d.Message = http.StatusTooManyRequests, errorText(loc, err)
			default:
				return err
			}
		} else {
			status = http.StatusUnprocessableEntity
			d.Problems = fieldProblems(loc, fields, []*formField{&d.Email, &d.Password})
		}
	}
	return s.render(w, status, "signin", s.privatePage(r, loc, t("account.signin_title"), d))
}

// fieldProblems puts each field's problem next to it and lists them all,
// in the form's order, for the summary.
func fieldProblems(loc string, fields map[string]string, form []*formField) []problem {
	var out []problem
	for _, f := range form {
		key, ok := fields[f.Name]
		if !ok {
			continue
		}
		f.Error = i18n.T(loc, "shop.field_error", map[string]any{"field": f.Label, "problem": i18n.T(loc, key, nil)})
		out = append(out, problem{ID: f.ID, Text: f.Error})
	}
	return out
}

type registerData struct {
	Next                  string
	Problems              []problem
	Message               string
	Name, Email, Password formField
	SignInURL             string
}

// register creates a customer's account (GET shows the form) and signs
// them in. Every problem is named next to its field and in a summary; what
// was typed stays, except the password.
func (s *Server) register(w http.ResponseWriter, r *http.Request, loc string) error {
	private(w)
	if s.Auth == nil {
		return s.noAuth()
	}
	next, err := nextOf(r)
	if err != nil {
		return err
	}
	if u, ok := auth.UserFrom(r.Context()); ok {
		http.Redirect(w, r, afterSignIn(loc, next, u), http.StatusSeeOther)
		return nil
	}
	t := func(key string) string { return i18n.T(loc, key, nil) }
	d := registerData{Next: safeNext(loc, next), SignInURL: "/" + loc + "/account/signin"}
	if d.Next != "" {
		d.SignInURL += "?next=" + url.QueryEscape(d.Next)
	}
	d.Name = formField{ID: "name", Name: "name", Label: t("account.name"), Type: "text", Autocomplete: "name", Required: true}
	d.Email = formField{ID: "email", Name: "email", Label: t("account.email"), Type: "email", Autocomplete: "email", Dir: "ltr",
		Help: t("account.email_help"), Required: true}
	d.Password = formField{ID: "password", Name: "password", Label: t("account.password"), Type: "password", Autocomplete: "new-password",
		Help: t("account.password_rules"), Required: true}
	if r.Method == http.MethodGet {
		return s.render(w, http.StatusOK, "register", s.privatePage(r, loc, t("account.register_title"), d))
	}

	name, email, password := r.PostForm.Get("name"), strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("password")
	d.Name.Value, d.Email.Value = name, email
	// The form's own rules first, so that every problem is named at once;
	// auth.CreateUser checks again and has the last word.
	fields := map[string]string{}
	if strings.TrimSpace(name) == "" {
		fields["name"] = "field.required"
	}
	switch {
	case email == "":
		fields["email"] = "field.required"
	default:
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			fields["email"] = "field.email"
		}
	}
	switch {
	case password == "":
		fields["password"] = "field.required"
	case !utf8.ValidString(password):
		fields["password"] = "field.utf8"
	case utf8.RuneCountInString(password) < minPassword:
		fields["password"] = "field.password_short"
	case len(password) > 256:
		fields["password"] = "field.password_long"
	}
	if len(fields) == 0 {
		var u auth.User
		u, err = s.Auth.CreateUser(r.Context(), auth.NewUser{Email: email, Name: name, Password: password, Role: auth.RoleCustomer, Locale: loc})
		if err == nil {
			sess, signedIn, lerr := s.Auth.Login(r.Context(), u.Email, password, clientIP(r), r.UserAgent())
			if lerr != nil { // created, but not signed in (throttled): they sign in by hand
				s.Log.Warn("register: created but could not sign in", "err", lerr)
				http.Redirect(w, r, d.SignInURL, http.StatusSeeOther)
				return nil
			}
			s.startSession(w, r, sess, signedIn)
			target := afterSignIn(loc, next, signedIn)
			if safeNext(loc, next) == "" {
				target += "?welcome=1"
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return nil
		}
		var e *errs.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			return err
		}
		for k, v := range e.Fields {
			fields[k] = v
		}
	}
	if _, ok := fields["email"]; !ok {
		// An address already in use is named with the other problems.
		if _, err := s.Auth.UserByEmail(r.Context(), email); err == nil {
			fields["email"] = "field.taken"
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
	}
	d.Problems = fieldProblems(loc, fields, []*formField{&d.Name, &d.Email, &d.Password})
	for k, v := range fields { // anything else auth names, so nothing goes unsaid
		if k != "name" && k != "email" && k != "password" {
			d.Problems = append(d.Problems, problem{ID: "summary", Text: i18n.T(loc, "shop.field_error", map[string]any{"field": k, "problem": i18n.T(loc, v, nil)})})
		}
	}
	status := http.StatusUnprocessableEntity
	if fields["email"] == "field.taken" {
		status = http.StatusConflict
	}
	return s.render(w, status, "register", s.privatePage(r, loc, t("account.register_title"), d))
}

// signOut ends the session and sends the visitor to the sign-in page,
// saying so.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request, loc string) error {
	private(w)
	if s.Auth == nil {
		return s.noAuth()
	}
	if sess, ok := auth.SessionFrom(r.Context()); ok && auth.ViaCookie(r.Context()) {
		if err := s.Auth.Logout(r.Context(), sess.Token); err != nil {
			return err
		}
	}
	auth.ClearSessionCookie(w, s.SecureCookies || r.TLS != nil)
	http.Redirect(w, r, "/"+loc+"/account/signin?signedout=1", http.StatusSeeOther)
	return nil
}

type accountOrder struct {
	Number, URL, Placed, Status, Total string
}

type accountData struct {
	Name, Email string
	Welcome     bool
	Orders      []accountOrder
}

// accountPage shows the signed-in customer's details and orders, newest
// first; a guest is sent to sign in, and back here afterwards.
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, loc string) error {
	private(w)
	u, ok := auth.UserFrom(r.Context())
	if !ok {
		http.Redirect(w, r, "/"+loc+"/account/signin?next="+url.QueryEscape("/"+loc+"/account"), http.StatusSeeOther)
		return nil
	}
	orders, err := s.Orders.Orders(r.Context(), u, 50)
	if err != nil {
		return err
	}
	d := accountData{Name: u.Name, Email: u.Email, Welcome: r.URL.Query().Has("welcome")}
	for _, o := range orders {
		d.Orders = append(d.Orders, accountOrder{Number: o.Number, URL: "/" + loc + "/orders/" + url.PathEscape(o.Number),
			Placed: when(o.CreatedAt), Status: i18n.T(loc, "shop.status."+string(o.Status), nil), Total: i18n.FormatMoney(loc, o.Total)})
	}
	return s.render(w, http.StatusOK, "account", s.privatePage(r, loc, i18n.T(loc, "account.my_account", nil), d))
}

// nextOf is where the visitor goes after signing in or registering: the
// form's "next" on a POST, the query's on a GET (checked by afterSignIn).
func nextOf(r *http.Request) (string, error) {
	if r.Method != http.MethodPost {
		return r.URL.Query().Get("next"), nil
	}
	if err := r.ParseForm(); err != nil {
		return "", errs.E(errs.Invalid, "error.invalid")
	}
	return r.PostForm.Get("next"), nil
}

type setPasswordData struct {
	Token    string
	Problems []problem
	Message  string
	Password formField
}

// setPassword is where the one-time link of an approved vendor's owner (or
// of anyone an operator invited) leads: choose a password, then be signed
// in. A used or expired link says so and how to get another.
func (s *Server) setPassword(w http.ResponseWriter, r *http.Request, loc string) error {
	private(w)
	if s.Auth == nil {
		return s.noAuth()
	}
	t := func(key string) string { return i18n.T(loc, key, nil) }
	d := setPasswordData{Token: r.URL.Query().Get("token")}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			return errs.Wrap(errs.Invalid, "error.invalid", err)
		}
		d.Token = r.PostForm.Get("token")
	}
	d.Password = formField{ID: "password", Name: "password", Label: t("account.password"), Type: "password", Autocomplete: "new-password",
		Help: t("account.password_rules"), Required: true}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		password := r.PostForm.Get("password")
		u, err := s.Auth.UseSetPasswordLink(r.Context(), d.Token, password)
		if err == nil {
			sess, signedIn, err := s.Auth.Login(r.Context(), u.Email, password, clientIP(r), r.UserAgent())
			if err != nil { // the password is set; signing in can wait (throttled)
				http.Redirect(w, r, "/"+loc+"/account/signin", http.StatusSeeOther)
				return nil
			}
			s.startSession(w, r, sess, signedIn)
			http.Redirect(w, r, home(loc, signedIn)+"?welcome=1", http.StatusSeeOther)
			return nil
		}
		var e *errs.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			return err
		}
		status = http.StatusUnprocessableEntity
		if key, ok := e.Fields["token"]; ok {
			d.Message = i18n.T(loc, key, nil)
		}
		d.Problems = fieldProblems(loc, e.Fields, []*formField{&d.Password})
	}
	return s.render(w, status, "setpassword", s.privatePage(r, loc, t("account.set_password_title"), d))
}
