package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"souk/internal/app"
	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
)

type site struct {
	t   *testing.T
	url string
}

// operator acts for the marketplace's team in the fixtures.
var operator = auth.User{Role: auth.RoleAdmin}

// newApp is souk on d, not started: its services and its handler.
func newApp(t testing.TB, d *db.DB, cfg app.Config) *app.App {
	t.Helper()
	if cfg.PageCacheMB == 0 {
		cfg.PageCacheMB = 8 // as souk serves: every page test also tests that cached pages change when their data does
	}
	a, err := app.New(cfg, slog.New(slog.DiscardHandler), d)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// shopWithCooperative is souk on d with one approved cooperative of the
// Souss, named by texts.
func shopWithCooperative(t testing.TB, d *db.DB, slug, city string, texts map[string]vendor.Texts) (*app.App, vendor.Vendor) {
	t.Helper()
	a := newApp(t, d, app.Config{})
	v, err := a.Vendors.Create(context.Background(), operator, vendor.Input{Slug: slug, Kind: vendor.Cooperative, LegalName: "Coopérative " + slug,
		Region: "souss-massa", City: city, CooperativeNumber: "2004/1", Texts: texts}, vendor.Approved)
	if err != nil {
		t.Fatal(err)
	}
	return a, v
}

func newSite(t *testing.T, d *db.DB) site {
	t.Helper()
	ctx := context.Background()
	a, v := shopWithCooperative(t, d, "tifaouine", "Taroudant",
		map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine", Story: "Fondée par 45 femmes."}, "ar": {DisplayName: "تعاونية تيفاوين"}})

	for _, p := range []struct {
		slug, ar, fr string
		status       catalog.Status
	}{
		{"huile-argan", "زيت الأركان البلدي", "Huile d’argan", catalog.Published},
		{"amlou", "أملو باللوز", "Amlou aux amandes", catalog.Published},
		{"brouillon", "مسودة", "Brouillon", catalog.Draft},
	} {
		_, err := a.Catalog.Create(ctx, operator, v.ID, catalog.Input{Slug: p.slug, Category: "argan-oil", Status: p.status,
			Texts:    map[string]catalog.Texts{"ar": {Title: p.ar}, "fr": {Title: p.fr}},
			Variants: []catalog.Variant{{SKU: "S", Label: "250 ml", Price: money.Dirhams(15000), Stock: 3}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return site{t: t, url: srv.URL}
}

// get fetches a page (without following redirects) and parses it.
func (s site) get(path string, headers ...string) (*http.Response, *html.Node, string) {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.url+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		s.t.Fatal(err)
	}
	return resp, doc, string(body)
}

// find returns the elements named tag whose attributes include attrs.
func find(n *html.Node, tag string, attrs ...string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			ok := true
			for i := 0; i+1 < len(attrs); i += 2 {
				if attr(n, attrs[i]) != attrs[i+1] {
					ok = false
				}
			}
			if ok {
				out = append(out, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestStorefront(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)

		resp, _, _ := s.get("/", "Accept-Language", "fr-FR,fr;q=0.9")
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/fr/" {
			t.Errorf("/ with French browser: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, _, _ = s.get("/", "Accept-Language", "fr", "Cookie", "souk_locale=es")
		if resp.Header.Get("Location") != "/es/" {
			t.Errorf("a remembered choice wins: %s", resp.Header.Get("Location"))
		}
		resp, _, _ = s.get("/")
		if resp.Header.Get("Location") != "/ar/" {
			t.Errorf("default: %s", resp.Header.Get("Location"))
		}

		for loc, dir := range map[string]string{"ar": "rtl", "zgh": "ltr", "fr": "ltr", "en": "ltr", "es": "ltr"} {
			resp, doc, _ := s.get("/" + loc + "/")
			h := find(doc, "html")
			if resp.StatusCode != 200 || len(h) != 1 || attr(h[0], "lang") != loc || attr(h[0], "dir") != dir {
				t.Errorf("/%s/: status %d, html %v", loc, resp.StatusCode, h)
			}
			if alts := find(doc, "link", "rel", "alternate"); len(alts) != 6 || !strings.HasPrefix(attr(alts[0], "href"), s.url+"/") {
				t.Errorf("/%s/: %d hreflang alternates, want 5 and x-default, absolute", loc, len(alts))
			}
		}

		// Searching in Arabic without hamza finds the product; its page in French shows the price.
		_, doc, _ := s.get("/ar/search?q=" + url.QueryEscape("زيت الاركان"))
		links := find(doc, "a", "href", "/ar/p/huile-argan")
		if len(links) != 1 || text(links[0]) != "زيت الأركان البلدي" {
			t.Fatalf("search without hamza: %v", links)
		}
		resp, doc, _ = s.get("/fr/p/huile-argan")
		if resp.StatusCode != 200 || !strings.Contains(text(doc), "150,00 DH") || text(find(doc, "h1")[0]) != "Huile d’argan" {
			t.Errorf("French product page: %d %q", resp.StatusCode, text(find(doc, "h1")[0]))
		}
		if !strings.Contains(text(doc), "Plus que 3") {
			t.Errorf("low stock not shown")
		}

		// Arabic plural forms on a listing: two products is the dual.
		_, doc, _ = s.get("/ar/c/argan-oil")
		if !strings.Contains(text(doc), "منتجان") {
			t.Errorf("Arabic count of two products: %q", text(doc))
		}
		_, doc, _ = s.get("/fr/c/food")
		if !strings.Contains(text(doc), "2 produits") {
			t.Errorf("French count under the parent category")
		}

		// Drafts, unknown pages and categories: a 404 in the visitor's language.
		for _, p := range []string{"/fr/p/brouillon", "/fr/p/nope", "/fr/c/nope", "/fr/nowhere", "/fr/v/nope"} {
			resp, doc, _ := s.get(p)
			if resp.StatusCode != 404 || text(find(doc, "h1")[0]) != "Page introuvable" {
				t.Errorf("%s: %d %q", p, resp.StatusCode, text(doc))
			}
		}
		_, doc, _ = s.get("/es/v/tifaouine")
		if !strings.Contains(text(doc), "Fondée par 45 femmes.") || !strings.Contains(text(doc), "2 productos") {
			t.Errorf("vendor page: %q", text(doc))
		}

		// The stylesheet has a content-hash URL cached for a year; pages are compressed.
		css := find(doc, "link", "rel", "stylesheet")
		resp, _, _ = s.get(attr(css[0], "href"))
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
			t.Errorf("stylesheet %s: %d %v", attr(css[0], "href"), resp.StatusCode, resp.Header)
		}
		req, _ := http.NewRequest("GET", s.url+"/fr/", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		gz, err := http.DefaultTransport.RoundTrip(req)
		if err != nil || gz.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("home page not gzipped: %v", gz.Header)
		}
		gz.Body.Close()
	})
}
