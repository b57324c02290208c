// Package web is souk's storefront: server-rendered pages in Arabic (right
// to left), Tamazight, French, English and Spanish under /{locale}/, over
// the same domain services as the JSON API. Templates and the stylesheet are
// embedded and parsed at start-up, so a broken template stops the server
// from starting instead of failing a shopper.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/currency"
	"souk/internal/errs"
	"souk/internal/httpcache"
	"souk/internal/i18n"
	"souk/internal/ledger"
	"souk/internal/order"
	"souk/internal/payout"
	"souk/internal/shipping"
	"souk/internal/vendor"
)

//go:embed templates/*.html templates/bo/*.html
var templateFiles embed.FS

//go:embed assets/style.css
var styleCSS []byte

//go:embed assets/icon.svg
var iconSVG []byte

//go:embed assets/stripe.js
var stripeJS []byte

// Server renders the storefront.
type Server struct {
	Catalog *catalog.Service
	Vendors *vendor.Service
	Log     *slog.Logger
	// Rates converts prices for visitors who chose EUR or USD; nil shows MAD only.
	Rates *currency.Service
	// Orders runs carts, checkout and orders.
	Orders *order.Service
	// Shipping is carriers, zones and rates (the console edits them).
	Shipping *shipping.Service
	// Audit is the log of changes the console searches.
	Audit *audit.Log
	// Ledger keeps the money: commission rules, balances.
	Ledger *ledger.Service
	// Payouts pays vendors what is due, in batches with a bank file.
	Payouts *payout.Service
	// StripeKey is Stripe's publishable key: with it, the order page of a
	// Stripe order collects the card with Stripe.js (the only page that
	// loads a script); without it, the page waits for a payment made
	// elsewhere (an app with the API's client secret).
	StripeKey string
	// Auth creates customers' accounts and signs them in and out; nil
	// leaves the account pages answering an error (the pages that only
	// read who is signed in use the session middleware's user instead).
	Auth *auth.Service
	// SecureCookies marks the session cookie Secure (the site is served
	// over HTTPS, maybe behind a proxy); a TLS request marks it anyway.
	SecureCookies bool

	// Pages keeps the public pages shown to visitors who are not signed in
	// (home, categories, searches, products, vendors, static pages); nil
	// renders every page.
	Pages *httpcache.Cache

	// BaseURL is the storefront's public origin (https://souk.example),
	// for canonical URLs, sitemaps and sharing; "" uses the request's host.
	BaseURL string

	pages     map[string]*template.Template
	bo        boAssets
	styleURL  string
	iconURL   string
	stripeURL string
}

// localeNames are how each language names itself in the switcher.
var localeNames = map[string]string{"ar": "العربية", "zgh": "ⵜⴰⵎⴰⵣⵉⵖⵜ", "fr": "Français", "en": "English", "es": "Español"}

// CookieLocale remembers the visitor's language choice.
const CookieLocale = "souk_locale"

// New parses the templates and fingerprints the stylesheet.
func New(cat *catalog.Service, vendors *vendor.Service, log *slog.Logger) (*Server, error) {
	s := &Server{Catalog: cat, Vendors: vendors, Log: log, pages: map[string]*template.Template{}}
	base, err := template.ParseFS(templateFiles, "templates/layout.html", "templates/form.html", "templates/products.html", "templates/listingbody.html")
	if err != nil {
		return nil, fmt.Errorf("web templates: %w", err)
	}
	for _, page := range []string{"home", "listing", "product", "vendor", "notfound", "static", "cart", "checkout", "order", "pay", "signin", "register", "account", "setpassword", "sell"} {
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, "templates/"+page+".html")
		if err != nil {
			return nil, fmt.Errorf("web template %s: %w", page, err)
		}
		s.pages[page] = t
	}
	if err := s.parseBackOffice(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(styleCSS)
	s.styleURL = "/assets/style." + hex.EncodeToString(sum[:6]) + ".css"
	sum = sha256.Sum256(stripeJS)
	s.stripeURL = "/assets/stripe." + hex.EncodeToString(sum[:6]) + ".js"
	sum = sha256.Sum256(iconSVG)
	s.iconURL = "/assets/icon." + hex.EncodeToString(sum[:6]) + ".svg"
	return s, nil
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, loc string) error

// Routes registers the storefront on mux: one set of routes per locale, so
// they never overlap the API's.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.root)
	mux.HandleFunc("GET "+s.styleURL, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		_, _ = w.Write(styleCSS)
	})
	mux.HandleFunc("GET "+s.stripeURL, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		_, _ = w.Write(stripeJS)
	})
	mux.HandleFunc("GET "+s.iconURL, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		_, _ = w.Write(iconSVG)
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.iconURL, http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /robots.txt", s.robots)
	mux.HandleFunc("GET /sitemap.xml", s.sitemapIndex)
	mux.HandleFunc("GET /sitemaps/pages.xml", s.sitemapPages)
	mux.HandleFunc("GET /sitemaps/{file}", s.sitemapProducts)
	// The customer's browser back from CMI's payment page (CMI's own
	// server-to-server callback is the API's).
	mux.HandleFunc("POST /payments/cmi/ok", s.cmiReturn("paid"))
	mux.HandleFunc("POST /payments/cmi/fail", s.cmiReturn("declined"))
	for _, loc := range i18n.Locales {
		h := func(pattern string, fn handlerFunc) { mux.Handle("GET /"+loc+pattern, s.serve(loc, fn, false)) }
		public := func(pattern string, fn handlerFunc) { mux.Handle("GET /"+loc+pattern, s.serve(loc, fn, true)) }
		post := func(pattern string, fn handlerFunc) { mux.Handle("POST /"+loc+pattern, s.serve(loc, fn, false)) }
		public("/{$}", s.home)
		public("/c/{category}", s.category)
		public("/p/{product}", s.product)
		public("/v/{vendor}", s.vendor)
		public("/search", s.search)
		public("/books", s.books)
		for _, name := range staticPages {
			public("/"+name, s.static(name))
		}
		h("/cart", s.cartPage)
		post("/cart/items", s.addToCart)
		post("/cart/items/{variant}", s.setCartItem)
		h("/checkout", s.checkout)
		post("/checkout", s.checkout)
		h("/orders/{number}", s.orderPage)
		h("/orders/{number}/pay", s.payPage)
		post("/orders/{number}/cancel", s.cancelOrder)
		h("/account", s.accountPage)
		h("/account/register", s.register)
		post("/account/register", s.register)
		h("/account/signin", s.signIn)
		post("/account/signin", s.signIn)
		post("/account/signout", s.signOut)
		h("/account/set-password", s.setPassword)
		post("/account/set-password", s.setPassword)
		h("/sell", s.sell)
		post("/sell", s.sell)
		h("/", func(w http.ResponseWriter, r *http.Request, loc string) error { return errs.NotFoundE("page") })
	}
	s.backOffice(mux)
}

// Public reports whether path is one of the pages Routes registers as
// public (kept by the page cache for visitors not signed in), so that a
// node that is full still serves them from the cache.
func Public(path string) bool {
	loc, rest, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if !ok || !i18n.Valid(loc) {
		return false
	}
	if rest == "" || rest == "search" || rest == "books" || slices.Contains(staticPages, rest) {
		return true
	}
	kind, name, ok := strings.Cut(rest, "/")
	return ok && name != "" && !strings.Contains(name, "/") && (kind == "c" || kind == "p" || kind == "v")
}

// root sends a visitor to their language: the one they chose before, else
// the best match of their browser's, else Arabic.
func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	loc := i18n.Negotiate(r.Header.Get("Accept-Language"), i18n.Default)
	if c, err := r.Cookie(CookieLocale); err == nil && i18n.Valid(c.Value) {
		loc = c.Value
	}
	w.Header().Set("Vary", "Accept-Language, Cookie")
	http.Redirect(w, r, "/"+loc+"/", http.StatusFound)
}

// serve runs fn for the pages of loc; public pages (the same for every
// visitor who is not signed in) come from s.Pages when it has them.
func (s *Server) serve(loc string, fn handlerFunc, public bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(CookieLocale); err != nil || c.Value != loc {
			http.SetCookie(w, &http.Cookie{Name: CookieLocale, Value: loc, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.Log.Error("panic in page", "path", r.URL.Path, "panic", p)
				s.renderError(w, r, loc, fmt.Errorf("panic: %v", p))
			}
		}()
		r = s.chooseCurrency(w, r)
		run := func(w http.ResponseWriter, r *http.Request) {
			if err := fn(w, r, loc); err != nil {
				s.renderError(w, r, loc, err)
			}
		}
		if _, signedIn := auth.UserFrom(r.Context()); public && !signedIn && s.Pages != nil {
			d := displayOf(r)
			// What a public page depends on besides the catalog: its
			// address, language, display currency and rate, and the host
			// its links are made for when no public origin is set.
			key := loc + "|" + d.code + "|" + strconv.FormatInt(d.rate, 10) + "|" + r.Host + "|" + r.URL.RequestURI()
			s.Pages.Serve(w, r, key, run)
			return
		}
		run(w, r)
	})
}

// alternate is one language version of the current page.
type alternate struct{ Locale, Name, Href string }

// Page is what every template gets: the locale and the page's own data.
type Page struct {
	Locale, Dir string
	Title       string
	Description string
	Canonical   string      // absolute; "" for pages search engines should not keep
	HrefLang    []alternate // absolute URLs of the language versions, for search engines
	XDefault    string      // the version for other languages (Arabic, souk's default)
	NoIndex     bool        // search results: followed, not indexed
	Share       share       // Open Graph
	JSONLD      template.JS // schema.org data of the page, "" for none
	StyleURL    string
	IconURL     string
	Query       string
	Alternates  []alternate    // the language switcher (same query)
	Currencies  []currencyLink // the header's currency switcher
	Footer      []footerLink
	// CSRF is the session's token for forms, "" for visitors not signed
	// in by cookie (they need none: the cross-origin check suffices). The
	// header shows "My account" when it is set, "Sign in" (SignIn) when not:
	// a page varies only on the session cookie, which Vary: Cookie covers.
	CSRF   string
	SignIn string // the sign-in page, back to this one afterwards
	Data   any
}

// T translates key in the page's locale; args are name/value pairs.
func (p Page) T(key string, args ...any) string {
	m := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		m[fmt.Sprint(args[i])] = args[i+1]
	}
	return i18n.T(p.Locale, key, m)
}

func (s *Server) page(r *http.Request, loc, title string, data any) Page {
	rest := strings.TrimPrefix(r.URL.Path, "/"+loc)
	query := ""
	if r.URL.RawQuery != "" {
		query = "?" + r.URL.RawQuery
	}
	origin, keep := s.origin(r), canonicalQuery(r)
	p := Page{Locale: loc, Dir: i18n.Dir(loc), Title: title, StyleURL: s.styleURL, IconURL: s.iconURL, Data: data,
		Canonical: origin + "/" + loc + rest + keep, Query: r.URL.Query().Get("q"), Currencies: currencyLinks(r),
		XDefault: origin + "/" + i18n.Default + rest + keep}
	p.Share = share{Type: "website", URL: p.Canonical, Locale: ogLocales[loc]}
	p.Footer = footerLinks(loc)
	if sess, ok := auth.SessionFrom(r.Context()); ok && auth.ViaCookie(r.Context()) {
		p.CSRF = sess.CSRFToken
	}
	p.SignIn = signInURL(loc, r)
	for _, l := range i18n.Locales {
		p.Alternates = append(p.Alternates, alternate{Locale: l, Name: localeNames[l], Href: "/" + l + rest + query})
		p.HrefLang = append(p.HrefLang, alternate{Locale: l, Href: origin + "/" + l + rest + keep})
	}
	return p
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p Page) error {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", p.Locale)
	if p.CSRF != "" && w.Header().Get("Cache-Control") == "" {
		// A signed-in visitor's page carries their form token and their
		// header: for their browser only.
		w.Header().Set("Cache-Control", "private")
	}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// renderError shows a helpful page in the visitor's language: 404 for what
// does not exist or is not theirs to see; with the reason in words, 400 for
// a refused request (a forged payment return), 409 for what cannot be done
// now (a cart already ordered), 403 for what is not theirs to do; 500
// otherwise (logged).
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, loc string, err error) {
	status, title, text := s.errorView(r, loc, err)
	p := s.page(r, loc, i18n.T(loc, title, nil), text)
	p.Canonical, p.HrefLang, p.XDefault, p.NoIndex = "", nil, "", true
	if rerr := s.render(w, status, "notfound", p); rerr != nil && !errors.Is(rerr, http.ErrHandlerTimeout) {
		s.Log.Error("render error page", "err", rerr)
	}
}

// errorView is an error's status, title key and explanation in loc;
// internal causes are logged, never shown.
func (s *Server) errorView(r *http.Request, loc string, err error) (status int, title, text string) {
	status, title = http.StatusNotFound, "web.not_found_title"
	text = i18n.T(loc, "web.not_found_text", nil)
	switch errs.CodeOf(err) {
	case errs.NotFound:
	case errs.Invalid:
		status = http.StatusBadRequest
		if e := (*errs.Error)(nil); errors.As(err, &e) && e.Message != "error.invalid" && len(e.Fields) == 0 {
			title, text = "web.error_title", errorText(loc, err)
		}
	case errs.Conflict, errs.Forbidden:
		status, title, text = http.StatusConflict, "web.error_title", errorText(loc, err)
		if errs.Is(err, errs.Forbidden) {
			status = http.StatusForbidden
		}
	case errs.TooLarge:
		status, title, text = http.StatusRequestEntityTooLarge, "web.error_title", errorText(loc, err)
	default:
		s.Log.Error("page failed", "path", r.URL.Path, "err", err)
		status, title = http.StatusInternalServerError, "web.error_title"
		text = i18n.T(loc, "error.internal", nil)
	}
	return status, title, text
}

func pageURL(r *http.Request, page int) string {
	q := r.URL.Query()
	q.Set("page", fmt.Sprint(page))
	return r.URL.Path + "?" + q.Encode()
}

// N is the counting message key for n things in the page's locale.
func (p Page) N(key string, n int) string { return i18n.N(p.Locale, key, n, nil) }
