package web_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
)

// A product page names its labels in the visitor's language and isolates
// the Latin issuer and number inside Arabic text.
func TestProductPageCertificationsAndPhoto(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a, v := shopWithCooperative(t, d, "taliouine", "Taliouine", map[string]vendor.Texts{
			"fr": {DisplayName: "Coopérative Taliouine", Story: "Fondée en 2009 par 30 femmes de Taliouine."}, "ar": {DisplayName: "تعاونية تالوين"}})
		_, err := a.Catalog.Create(ctx, operator, v.ID, catalog.Input{Slug: "safran", Category: "saffron-spices", Status: catalog.Published,
			Texts:          map[string]catalog.Texts{"ar": {Title: "زعفران تالوين"}, "fr": {Title: "Safran de Taliouine"}},
			Variants:       []catalog.Variant{{SKU: "SAF-1", Label: "1 g", Price: money.Dirhams(4500), Stock: 10}},
			Certifications: []catalog.Certification{{Kind: "aop", Issuer: "Normacert", Number: "AOP-SAF-0042", ExpiresOn: "2028-06-30"}},
			Images:         []catalog.Image{{Path: "p/saf.jpg", Width: 1200, Height: 900, Alt: "Safran"}}})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler())
		defer srv.Close()
		s := site{t: t, url: srv.URL}

		_, _, arBody := s.get("/ar/p/safran")
		if !strings.Contains(arBody, "تسمية منشأ محمية · <bdi>Normacert</bdi> · <bdi dir=\"ltr\">AOP-SAF-0042</bdi>") || !strings.Contains(arBody, "30/06/2028") {
			t.Errorf("Arabic certification line: %s", between(arBody, "<ul>", "</ul>"))
		}
		_, doc, body := s.get("/fr/p/safran")
		if card := between(body, `<aside class="card vendor-card"`, "</aside>"); !strings.Contains(card, "Fondée en 2009") ||
			!strings.Contains(card, `href="/fr/v/taliouine"`) || !strings.Contains(card, "Taliouine · Souss-Massa") {
			t.Errorf("vendor card: %s", card)
		}
		imgs := find(doc, "img", "class", "hero")
		if len(imgs) != 1 || attr(imgs[0], "alt") != "Safran de Taliouine" || attr(imgs[0], "width") != "1200" ||
			attr(imgs[0], "srcset") != "/media/p/saf-320.jpg 320w, /media/p/saf-640.jpg 640w, /media/p/saf-960.jpg 960w, /media/p/saf.jpg 1200w" {
			t.Errorf("product photo: %v", imgs)
		}
	})
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(to)]
}
