package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"souk/internal/app"
	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
	"souk/internal/web"
)

// TestSearchEnginesAndSharing: JSON-LD, canonical and hreflang URLs,
// robots.txt and sitemaps show what the public may see, and only that.
func TestSearchEnginesAndSharing(t *testing.T) {
	// Sitemaps are split past SitemapProducts (below): set for both
	// subtests at once, as they run in parallel, and restored after them.
	n := web.SitemapProducts
	t.Cleanup(func() { web.SitemapProducts = n })
	web.SitemapProducts = 3
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a, err := app.New(app.Config{BaseURL: "https://souk.example.ma/"}, slog.New(slog.DiscardHandler), d)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"souk.example.ma", "ftp://souk.example.ma", "https://souk.example.ma/shop", "https://"} {
			if _, err := app.New(app.Config{BaseURL: bad}, slog.New(slog.DiscardHandler), d); err == nil {
				t.Errorf("base URL %q accepted", bad)
			}
		}
		op := auth.User{Role: auth.RoleAdmin}
		mkVendor := func(slug string, status vendor.Status) vendor.Vendor {
			v, err := a.Vendors.Create(ctx, op, vendor.Input{Slug: slug, Kind: vendor.Cooperative, LegalName: slug, Region: "souss-massa",
				City: "Tiznit", CooperativeNumber: "1", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coop " + slug, Story: "Fondée en 2001."}}}, status)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		coop, applicant := mkVendor("amlou-tiznit", vendor.Approved), mkVendor("candidate", vendor.Applied)
		mk := func(v vendor.Vendor, slug, title string, status catalog.Status, stock int) {
			_, err := a.Catalog.Create(ctx, op, v.ID, catalog.Input{Slug: slug, Category: "amlou-honey", Status: status,
				Texts: map[string]catalog.Texts{"fr": {Title: title, Description: "Amandes, argan et miel."}},
				Variants: []catalog.Variant{{SKU: slug + "-1", Label: "250 g", Price: money.Dirhams(9000), Stock: stock},
					{SKU: slug + "-2", Label: "500 g", Price: money.Dirhams(16050), Stock: 0}}})
			if err != nil {
				t.Fatal(err)
			}
		}
		mk(coop, "amlou", `Amlou </script><script>alert(1)</script>`, catalog.Published, 4)
		for _, slug := range []string{"amlou-2", "amlou-3", "amlou-4"} {
			mk(coop, slug, "Amlou "+slug, catalog.Published, 1)
		}
		mk(coop, "brouillon", "Brouillon", catalog.Draft, 1)
		mk(applicant, "hidden", "Caché", catalog.Published, 1)
		srv := httptest.NewServer(a.Handler())
		defer srv.Close()
		get := func(path string) (*http.Response, string) {
			t.Helper()
			c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := c.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}

		// The product page: JSON-LD that parses, whatever the title holds.
		_, body := get("/fr/p/amlou?sort=price_asc&currency=EUR&utm_source=x")
		if strings.Count(body, "</script>") != 1+strings.Count(body, "<script type=\"application/ld+json\">")-1 ||
			strings.Contains(body, "<script>alert(1)") {
			t.Fatalf("a title broke out of the JSON-LD script: %s", between(body, "<head>", "</head>"))
		}
		raw := between(body, `<script type="application/ld+json">`, "</script>")
		raw = strings.TrimSuffix(strings.TrimPrefix(raw, `<script type="application/ld+json">`), "</script>")
		var ld struct {
			Type   string `json:"@type"`
			Name   string `json:"name"`
			URL    string `json:"url"`
			Offers struct {
				Type      string `json:"@type"`
				LowPrice  string `json:"lowPrice"`
				HighPrice string `json:"highPrice"`
				Currency  string `json:"priceCurrency"`
				Offers    []struct {
					Price, PriceCurrency, Availability string
				} `json:"offers"`
			} `json:"offers"`
		}
		if err := json.Unmarshal([]byte(raw), &ld); err != nil {
			t.Fatalf("JSON-LD %q: %v", raw, err)
		}
		if ld.Type != "Product" || ld.Name != `Amlou </script><script>alert(1)</script>` || ld.URL != "https://souk.example.ma/fr/p/amlou" ||
			ld.Offers.Type != "AggregateOffer" || ld.Offers.LowPrice != "90.00" || ld.Offers.HighPrice != "160.50" || ld.Offers.Currency != "MAD" ||
			len(ld.Offers.Offers) != 2 || ld.Offers.Offers[0].Availability != "https://schema.org/InStock" ||
			ld.Offers.Offers[1].Availability != "https://schema.org/OutOfStock" {
			t.Errorf("JSON-LD: %+v", ld)
		}
		for _, want := range []string{
			`<link rel="canonical" href="https://souk.example.ma/fr/p/amlou">`,
			`<link rel="alternate" hreflang="ar" href="https://souk.example.ma/ar/p/amlou">`,
			`<link rel="alternate" hreflang="x-default" href="https://souk.example.ma/ar/p/amlou">`,
			`<meta property="og:type" content="product">`,
			`<meta property="og:locale" content="fr_MA">`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("product page lacks %s", want)
			}
		}
		// Search results are followed, not indexed.
		if _, body := get("/fr/search?q=amlou"); !strings.Contains(body, `<meta name="robots" content="noindex,follow">`) {
			t.Errorf("search results are not noindex")
		}
		if _, body := get("/fr/v/amlou-tiznit"); !strings.Contains(body, `"@type":"Organization"`) {
			t.Errorf("vendor page has no Organization JSON-LD")
		}

		resp, robots := get("/robots.txt")
		if resp.StatusCode != 200 || !strings.Contains(robots, "Disallow: /api/") || !strings.Contains(robots, "Sitemap: https://souk.example.ma/sitemap.xml") {
			t.Errorf("robots.txt: %d %q", resp.StatusCode, robots)
		}

		// Sitemaps: split past SitemapProducts (3, above), with alternates, public products only.
		_, index := get("/sitemap.xml")
		var idx struct {
			Sitemaps []struct {
				Loc string `xml:"loc"`
			} `xml:"sitemap"`
		}
		if err := xml.Unmarshal([]byte(index), &idx); err != nil || len(idx.Sitemaps) != 3 ||
			idx.Sitemaps[2].Loc != "https://souk.example.ma/sitemaps/products-2.xml" {
			t.Fatalf("sitemap index (%v): %s", err, index)
		}
		var urls []string
		for _, sm := range idx.Sitemaps {
			resp, body := get(strings.TrimPrefix(sm.Loc, "https://souk.example.ma"))
			var set struct {
				URLs []struct {
					Loc   string `xml:"loc"`
					Links []struct {
						HrefLang string `xml:"hreflang,attr"`
					} `xml:"link"`
				} `xml:"url"`
			}
			if err := xml.Unmarshal([]byte(body), &set); err != nil || resp.Header.Get("Content-Type") != "application/xml; charset=utf-8" {
				t.Fatalf("%s: %v %s", sm.Loc, err, resp.Header.Get("Content-Type"))
			}
			for _, u := range set.URLs {
				urls = append(urls, u.Loc)
				if len(u.Links) != 6 {
					t.Errorf("%s has %d alternates, want 5 and x-default", u.Loc, len(u.Links))
				}
			}
		}
		all := strings.Join(urls, " ")
		for _, want := range []string{"/fr/p/amlou-4", "/zgh/p/amlou", "/ar/c/amlou-honey", "/es/v/amlou-tiznit", "/en/books"} {
			if !strings.Contains(all, "https://souk.example.ma"+want+" ") && !strings.HasSuffix(all, want) {
				t.Errorf("sitemaps lack %s", want)
			}
		}
		for _, never := range []string{"brouillon", "hidden", "candidate"} {
			if strings.Contains(all, never) {
				t.Errorf("sitemaps show %s, which the public may not see", never)
			}
		}
		for _, path := range []string{"/sitemaps/products-3.xml", "/sitemaps/products-0.xml", "/sitemaps/products-x.xml", "/sitemaps/products-01.xml"} {
			if resp, _ := get(path); resp.StatusCode != 404 {
				t.Errorf("%s: %d, want 404", path, resp.StatusCode)
			}
		}
		if resp, _ := get("/favicon.ico"); resp.StatusCode != http.StatusMovedPermanently {
			t.Errorf("/favicon.ico: %d", resp.StatusCode)
		}
	})
}
