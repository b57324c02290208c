package web_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"souk/internal/app"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
)

// A photo uploaded from a phone is offered as WebP in a <picture> on the
// product page and in listings, with the JPEGs as the <img> inside, which
// keeps its width and height; /media/ serves both. A product whose image
// has no WebP versions keeps a bare <img>.
func TestPhotoOffersWebP(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newApp(t, d, app.Config{DataDir: t.TempDir()})
		v, err := a.Vendors.Create(ctx, operator, vendor.Input{Slug: "tamri", Kind: vendor.Cooperative, LegalName: "Coopérative Tamri",
			Region: "souss-massa", City: "Tamri", CooperativeNumber: "2011/7", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tamri"}}}, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		input := func(slug, title string, images ...catalog.Image) catalog.Input {
			return catalog.Input{Slug: slug, Category: "amlou-honey", Status: catalog.Published, Images: images,
				Texts:    map[string]catalog.Texts{"fr": {Title: title}},
				Variants: []catalog.Variant{{SKU: "M-1", Label: "500 g", Price: money.Dirhams(9000), Stock: 4}}}
		}
		p, err := a.Catalog.Create(ctx, operator, v.ID, input("miel-thym", "Miel de thym"))
		if err != nil {
			t.Fatal(err)
		}
		img := image.NewNRGBA(image.Rect(0, 0, 800, 600))
		for i := range img.Pix {
			img.Pix[i] = uint8(i)
		}
		var jpg bytes.Buffer
		if err := jpeg.Encode(&jpg, img, nil); err != nil {
			t.Fatal(err)
		}
		if p, err = a.Catalog.AddPhoto(ctx, operator, p.ID, jpg.Bytes(), "Pot de miel"); err != nil {
			t.Fatal(err)
		}
		base := "/media/" + strings.TrimSuffix(p.Images[0].Path, ".jpg")
		if _, err := a.Catalog.Create(ctx, operator, v.ID, input("miel-euphorbe", "Miel d’euphorbe",
			catalog.Image{Path: "p/old.jpg", Width: 800, Height: 600, Alt: "Pot"})); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler())
		defer srv.Close()
		s := site{t: t, url: srv.URL}

		_, doc, _ := s.get("/fr/p/miel-thym")
		pics := find(doc, "picture")
		if len(pics) != 1 {
			t.Fatalf("%d <picture> on the product page", len(pics))
		}
		src, img0 := childElements(pics[0])
		if src == nil || src.Data != "source" || attr(src, "type") != "image/webp" ||
			attr(src, "srcset") != base+"-320.webp 320w, "+base+"-640.webp 640w, "+base+".webp 800w" || attr(src, "sizes") == "" {
			t.Errorf("product page <source>: %v", src)
		}
		if img0 == nil || attr(img0, "class") != "hero" || attr(img0, "width") != "800" || attr(img0, "height") != "600" ||
			attr(img0, "srcset") != base+"-320.jpg 320w, "+base+"-640.jpg 640w, "+base+".jpg 800w" {
			t.Errorf("product page <img>: %v", img0)
		}
		_, doc, _ = s.get("/fr/p/miel-euphorbe")
		if len(find(doc, "picture")) != 0 || len(find(doc, "img", "class", "hero")) != 1 {
			t.Errorf("an image without WebP is wrapped")
		}

		_, doc, _ = s.get("/fr/search?q=miel")
		cards := find(doc, "li", "class", "card")
		pics = find(doc, "picture")
		if len(cards) != 2 || len(pics) != 1 || len(find(doc, "img")) < 2 {
			t.Fatalf("listing: %d cards, %d <picture>", len(cards), len(pics))
		}
		if src, img0 := childElements(pics[0]); attr(src, "type") != "image/webp" || !strings.HasPrefix(attr(src, "srcset"), base+"-320.webp 320w") ||
			attr(img0, "width") != "800" || attr(img0, "height") != "600" {
			t.Errorf("listing <picture>: %v %v", src, img0)
		}

		for path, ctype := range map[string]string{base + ".webp": "image/webp", base + "-320.webp": "image/webp", base + "-640.jpg": "image/jpeg"} {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ctype {
				t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		}
	})
}

// childElements returns the first two element children of n.
func childElements(n *html.Node) (first, second *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if first == nil {
			first = c
		} else {
			return first, c
		}
	}
	return first, nil
}
