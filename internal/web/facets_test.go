package web_test

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// facetLinks maps the facet links of a listing page to their text.
func facetLinks(doc *html.Node) map[string]string {
	out := map[string]string{}
	for _, aside := range find(doc, "aside") {
		for _, a := range find(aside, "a") {
			out[attr(a, "href")] = text(a)
		}
	}
	return out
}

func TestListingFacetsAndSorting(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)

		// A category page offers its sub-categories and the other facets, with counts.
		resp, doc, body := s.get("/fr/c/food")
		if resp.StatusCode != 200 {
			t.Fatalf("/fr/c/food: %d", resp.StatusCode)
		}
		links := facetLinks(doc)
		if links["/fr/c/argan-oil"] == "" {
			t.Errorf("no link to the argan-oil sub-category among %v", links)
		}
		if !strings.Contains(body, "(2)</span>") {
			t.Errorf("sub-category count missing")
		}
		if strings.Contains(body, "Coopératives</bdi>") {
			t.Errorf("a facet with one value that narrows nothing is offered")
		}

		// A facet narrows, and its link then removes it.
		_, doc, body = s.get("/fr/c/argan-oil?kind=cooperative")
		if !strings.Contains(body, "2 produits") {
			t.Errorf("kind=cooperative: want 2 products")
		}
		var selected []string
		for _, a := range find(doc, "a", "aria-current", "true") {
			selected = append(selected, attr(a, "href"))
		}
		if !strings.Contains(body, "Coopératives</bdi></a> <span class=\"muted\">(2)</span>") || !contains(selected, "/fr/c/argan-oil") {
			t.Errorf("the selected facet should link back to the unfiltered page; aria-current links: %v", selected)
		}
		if _, _, body = s.get("/fr/c/argan-oil?kind=artisan"); !strings.Contains(body, "0 produit") {
			t.Errorf("kind=artisan: want no product")
		}

		// Orders: price and newest, the current one marked.
		_, doc, _ = s.get("/fr/search?q=" + url.QueryEscape("argan") + "&sort=price_desc")
		cur := find(doc, "nav", "class", "sorts")
		if len(cur) != 1 || len(find(cur[0], "a", "aria-current", "true")) != 1 || text(find(cur[0], "a", "aria-current", "true")[0]) != "Prix décroissant" {
			t.Errorf("sort navigation does not mark the price order")
		}

		// A bad filter value is named, ignored, and the products still show.
		resp, _, body = s.get("/fr/c/argan-oil?price=cheap&region=atlantis")
		if resp.StatusCode != 200 || !strings.Contains(body, "« Prix » a été ignoré") || !strings.Contains(body, "« Région d’origine » a été ignoré") ||
			!strings.Contains(body, "2 produits") {
			t.Errorf("bad filters: status %d, body %.600s", resp.StatusCode, body)
		}
		// A vendor's page lists its products like any listing: count, orders, facets.
		_, doc, body = s.get("/fr/v/tifaouine?sort=price_asc")
		if !strings.Contains(body, "2 produits") || len(find(doc, "nav", "class", "sorts")) != 1 || len(find(doc, "h1")) != 1 {
			t.Errorf("vendor page listing: %.500s", between(body, "<main>", "</main>"))
		}

		// A region from the home page lists that region's products.
		_, doc, _ = s.get("/fr/")
		if len(find(doc, "a", "href", "/fr/search?region=souss-massa")) != 1 {
			t.Errorf("the home page does not link its regions")
		}
		if _, doc, body = s.get("/fr/search?region=souss-massa"); !strings.Contains(text(find(doc, "h1")[0]), "Souss-Massa") || !strings.Contains(body, "2 produits") {
			t.Errorf("region listing: %q", text(find(doc, "h1")[0]))
		}
		// In Arabic, the same notice in Arabic.
		if _, _, body = s.get("/ar/c/argan-oil?sort=random"); !strings.Contains(body, "تم تجاهل عامل التصفية «الترتيب»") {
			t.Errorf("Arabic notice missing")
		}
	})
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
