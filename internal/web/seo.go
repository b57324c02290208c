package web

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"souk/internal/i18n"
	"souk/internal/vendor"
)

// share is what a page says to sites that show links (Open Graph).
type share struct {
	Type, URL, Locale, Image string
}

// ogLocales are Open Graph's names for souk's locales.
var ogLocales = map[string]string{"ar": "ar_MA", "zgh": "zgh_MA", "fr": "fr_MA", "en": "en_US", "es": "es_ES"}

// origin is scheme and host of the storefront's public address: the
// configured base URL, else the address the visitor used.
func (s *Server) origin(r *http.Request) string {
	if s.BaseURL != "" {
		return s.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// canonicalQuery keeps what makes a page different content (the words
// searched, the page number) and drops orders, filters, currency and
// tracking: their variants are the same page to a search engine.
func canonicalQuery(r *http.Request) string {
	q := url.Values{}
	for _, k := range []string{"q", "page"} {
		if v := r.URL.Query().Get(k); v != "" && !(k == "page" && v == "1") {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// jsonLD encodes schema.org data for a <script type="application/ld+json">.
// encoding/json escapes <, > and & as \u003c…, so no text can end the
// script early.
func jsonLD(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return template.JS(b)
}

func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /vendor/\nDisallow: /admin/\n")
	for _, l := range i18n.Locales {
		b.WriteString("Disallow: /" + l + "/search\n")
	}
	b.WriteString("\nSitemap: " + s.origin(r) + "/sitemap.xml\n")
	_, _ = w.Write([]byte(b.String()))
}

// SitemapProducts is how many products one sitemap file lists: each gives
// one URL per locale (5), each URL naming its 5 alternates and x-default,
// so 5,000 products make 25,000 URLs and about 20 MB — under the 50,000
// URLs and 50 MB a sitemap may hold.
var SitemapProducts = 5000

type sitemapIndex struct {
	XMLName  xml.Name         `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapPointer `xml:"sitemap"`
}

type sitemapPointer struct {
	Loc string `xml:"loc"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string        `xml:"loc"`
	LastMod string        `xml:"lastmod,omitempty"`
	Links   []sitemapLink `xml:"xhtml:link"`
}

type sitemapLink struct {
	Rel      string `xml:"rel,attr"`
	HrefLang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// localized is one URL per locale of path ("/p/slug"), each naming all.
func localized(origin, path, lastmod string) []sitemapURL {
	var links []sitemapLink
	for _, l := range i18n.Locales {
		links = append(links, sitemapLink{"alternate", l, origin + "/" + l + path})
	}
	links = append(links, sitemapLink{"alternate", "x-default", origin + "/" + i18n.Default + path})
	out := make([]sitemapURL, 0, len(i18n.Locales))
	for _, l := range i18n.Locales {
		out = append(out, sitemapURL{Loc: origin + "/" + l + path, LastMod: lastmod, Links: links})
	}
	return out
}

func writeXML(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return err
	}
	return xml.NewEncoder(w).Encode(v)
}

// sitemapIndex lists the sitemaps: one of pages, then one per
// SitemapProducts public products.
func (s *Server) sitemapIndex(w http.ResponseWriter, r *http.Request) {
	n, err := s.Catalog.PublicCount(r.Context())
	if err != nil {
		s.Log.Error("sitemap", "err", err)
		http.Error(w, "sitemap unavailable", http.StatusInternalServerError)
		return
	}
	origin := s.origin(r)
	idx := sitemapIndex{Sitemaps: []sitemapPointer{{origin + "/sitemaps/pages.xml"}}}
	for i := 1; (i-1)*SitemapProducts < n; i++ {
		idx.Sitemaps = append(idx.Sitemaps, sitemapPointer{fmt.Sprintf("%s/sitemaps/products-%d.xml", origin, i)})
	}
	if err := writeXML(w, idx); err != nil {
		s.Log.Warn("sitemap", "err", err)
	}
}

// sitemapPages lists the home page, the books section, the application
// form, every category and every approved vendor.
func (s *Server) sitemapPages(w http.ResponseWriter, r *http.Request) {
	origin := s.origin(r)
	set := urlSet{XHTML: "http://www.w3.org/1999/xhtml"}
	set.URLs = append(set.URLs, localized(origin, "/", "")...)
	set.URLs = append(set.URLs, localized(origin, "/books", "")...)
	set.URLs = append(set.URLs, localized(origin, "/sell", "")...)
	cats, err := s.Catalog.Categories(r.Context())
	if err == nil {
		for _, c := range cats {
			set.URLs = append(set.URLs, localized(origin, "/c/"+c.Slug, "")...)
		}
		for page := 1; err == nil; page++ {
			var vs []vendor.Vendor
			vs, _, err = s.Vendors.List(r.Context(), public, vendor.Filter{Page: page, PerPage: 100})
			for _, v := range vs {
				set.URLs = append(set.URLs, localized(origin, "/v/"+v.Slug, v.UpdatedAt.UTC().Format("2006-01-02"))...)
			}
			if len(vs) < 100 {
				break
			}
		}
	}
	if err != nil {
		s.Log.Error("sitemap", "err", err)
		http.Error(w, "sitemap unavailable", http.StatusInternalServerError)
		return
	}
	if err := writeXML(w, set); err != nil {
		s.Log.Warn("sitemap", "err", err)
	}
}

// sitemapProducts lists the n-th SitemapProducts public products.
func (s *Server) sitemapProducts(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file") // products-<n>.xml
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "products-"), ".xml"))
	if err != nil || n < 1 || n > 100000 || name != fmt.Sprintf("products-%d.xml", n) {
		http.NotFound(w, r)
		return
	}
	items, err := s.Catalog.PublicProducts(r.Context(), (n-1)*SitemapProducts, SitemapProducts)
	if err != nil {
		s.Log.Error("sitemap", "err", err)
		http.Error(w, "sitemap unavailable", http.StatusInternalServerError)
		return
	}
	if len(items) == 0 && n > 1 {
		http.NotFound(w, r)
		return
	}
	origin := s.origin(r)
	set := urlSet{XHTML: "http://www.w3.org/1999/xhtml"}
	for _, p := range items {
		set.URLs = append(set.URLs, localized(origin, "/p/"+p.Slug, p.UpdatedAt.UTC().Format("2006-01-02"))...)
	}
	if err := writeXML(w, set); err != nil {
		s.Log.Warn("sitemap", "err", err)
	}
}
