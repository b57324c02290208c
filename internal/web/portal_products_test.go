package web_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/vendor"
)

var _ = authzRows(map[string]string{
	"GET /vendor/products":                                     "owner staff other",
	"GET /vendor/products/new":                                 "owner staff other",
	"POST /vendor/products/new":                                "owner staff other",
	"GET /vendor/products/{product}":                           "owner staff",
	"POST /vendor/products/{product}":                          "owner staff",
	"POST /vendor/products/{product}/photos":                   "owner staff",
	"POST /vendor/products/{product}/photos/{position}/remove": "owner staff",
	"POST /vendor/products/{product}/photos/{position}/move":   "owner staff",
	"POST /vendor/products/{product}/submit":                   "owner staff",
})

// {position} is the first photo: the fixture product has none, so those
// allowed get 422 ("this photo is no longer there"), the others 403/404.
var _ = func() bool {
	authzFixtures = append(authzFixtures, func(t *testing.T, m market, f authzFixture) { f["position"] = "0" })
	return true
}()

// seller signs someone of a vendor in, in French, and returns their
// browser and session's CSRF token.
func seller(t *testing.T, m market, email string, role auth.Role, vendorID int64) (*shopper, string) {
	t.Helper()
	const password = "a-long-password-1"
	if _, err := m.app.Auth.CreateUser(context.Background(), auth.NewUser{Email: email, Name: strings.Split(email, "@")[0],
		Password: password, Locale: "fr", Role: role, VendorID: vendorID}); err != nil {
		t.Fatal(err)
	}
	s := m.shopper()
	s.post("/fr/account/signin", url.Values{"email": {email}, "password": {password}}).location(t)
	p := s.get("/vendor/?lang=fr")
	token := formValues(formOf(t, p.doc, "/fr/account/signout"), nil).Get("csrf_token")
	if token == "" {
		t.Fatal("no CSRF token")
	}
	return s, token
}

// twoVendors is the market's cooperative and a second approved vendor.
func twoVendors(t *testing.T, m market) (tifaouine, akal vendor.Vendor) {
	t.Helper()
	ctx := context.Background()
	v, err := m.app.Vendors.BySlug(ctx, "tifaouine")
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.app.Vendors.Create(ctx, operator, vendor.Input{Slug: "akal", Kind: vendor.Artisan, LegalName: "Atelier Akal",
		Region: "fes-meknes", City: "Fès", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Akal"}}}, vendor.Approved)
	if err != nil {
		t.Fatal(err)
	}
	return v, b
}

// productForm is what the browser sends for the product form: its inputs,
// selects and textareas, and the button pressed.
func productForm(t *testing.T, doc *html.Node, action string, button map[string]string) url.Values {
	t.Helper()
	form := formOf(t, doc, action)
	v := formValues(form, button)
	for _, ta := range find(form, "textarea") {
		v.Set(attr(ta, "name"), text(ta))
	}
	return v
}

// upload is one file of a multipart form.
type upload struct {
	field, name string
	data        []byte
}

// postFiles posts a multipart form with fields and files, as a browser does.
func (s *shopper) postFiles(path string, fields url.Values, files ...upload) page {
	s.m.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			s.m.t.Fatal(err)
		}
		_, _ = w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", s.abs(path), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return s.do(req)
}

// cameraPhoto is a JPEG of w×h as a phone's camera would send, in a shade
// of its own.
func cameraPhoto(t *testing.T, w, h int, shade uint8) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			copy(img.Pix[y*img.Stride+4*x:], []uint8{shade, uint8(x), uint8(y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The owner writes a product in Arabic only, with two sizes. A price typed
// wrong is named beside the second size's price and in the summary, and
// everything typed stays; a reference used twice is named by the domain
// beside the second. Saved, the list shows it with the four languages
// still missing. Photos from the phone are added (a text file is refused
// by name), reordered and kept when the form is saved again; the product
// goes to review once it has one. Another vendor's owner finds none of it.
func TestPortalProductFromDraftToReview(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		tifaouine, akal := twoVendors(t, m)
		owner, token := seller(t, m, "fatima@tifaouine.ma", auth.RoleVendorOwner, tifaouine.ID)
		other, otherToken := seller(t, m, "youssef@akal.ma", auth.RoleVendorOwner, akal.ID)
		products := func() int { return count(t, d, `SELECT COUNT(*) FROM products`) }
		before := products()

		list := owner.get("/vendor/products")
		if list.resp.StatusCode != http.StatusOK || len(find(list.doc, "a", "href", "/vendor/products/new")) == 0 {
			t.Fatalf("list: %d", list.resp.StatusCode)
		}
		if cur := find(list.doc, "a", "aria-current", "page"); len(cur) == 0 || text(cur[0]) != "Produits" {
			t.Errorf("menu entry: %v", cur)
		}
		newPage := owner.get("/vendor/products/new")
		if newPage.resp.StatusCode != http.StatusOK {
			t.Fatalf("new: %d", newPage.resp.StatusCode)
		}
		// The page's language first.
		if legends := find(byID(newPage.doc, "texts"), "fieldset", "class", "locale"); len(legends) != 5 || attr(legends[0], "id") != "texts-fr" {
			t.Errorf("language sections: %d, first %s", len(legends), attr(legends[0], "id"))
		}

		// One size typed, then "add another size": the form comes back with two.
		v := productForm(t, newPage.doc, "/vendor/products/new", map[string]string{"add_variant": "1"})
		v.Set("category", "argan-oil")
		v.Set("title_ar", "زيت الأركان البلدي")
		v.Set("description_ar", "زيت معصور على البارد")
		v.Set("variants.0.label", "250 ml")
		v.Set("variants.0.price", "120,50")
		v.Set("variants.0.stock", "5")
		v.Set("variants.0.weight", "400")
		two := owner.post("/vendor/products/new", v)
		if two.resp.StatusCode != http.StatusOK || byID(two.doc, "variants-1-price") == nil {
			t.Fatalf("add a size: %d %s", two.resp.StatusCode, errorsOf(two.doc))
		}
		if attr(byID(two.doc, "variants-0-price"), "value") != "120,50" || textOf(byID(two.doc, "description-ar")) != "زيت معصور على البارد" {
			t.Errorf("the first size was not kept")
		}
		if products() != before {
			t.Fatal("adding a row saved the product")
		}

		// The second size's price is wrong.
		v = productForm(t, two.doc, "/vendor/products/new", nil)
		v.Set("variants.1.label", "1 l")
		v.Set("variants.1.price", "12,5,0")
		v.Set("variants.1.stock", "3")
		v.Set("variants.1.weight", "1200")
		bad := owner.post("/vendor/products/new", v)
		if bad.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad price: %d", bad.resp.StatusCode)
		}
		price := byID(bad.doc, "variants-1-price")
		if attr(price, "value") != "12,5,0" || attr(price, "aria-invalid") != "true" {
			t.Errorf("the bad price input: %v", price.Attr)
		}
		if got := textOf(byID(bad.doc, "variants-1-price-error")); !strings.Contains(got, "120,50") {
			t.Errorf("beside the price: %q", got)
		}
		if links := find(byID(bad.doc, "problems"), "a", "href", "#variants-1-price"); len(links) != 1 || !strings.Contains(text(links[0]), "Taille 2") {
			t.Errorf("summary: %s", textOf(byID(bad.doc, "problems")))
		}
		if attr(byID(bad.doc, "title-ar"), "value") != "زيت الأركان البلدي" || attr(byID(bad.doc, "variants-1-label"), "value") != "1 l" ||
			attr(byID(bad.doc, "variants-0-price"), "value") != "120,50" || attr(byID(bad.doc, "variants-1-weight"), "value") != "1200" {
			t.Errorf("typed values lost")
		}
		if got := formValues(formOf(t, bad.doc, "/vendor/products/new"), nil).Get("category"); got != "argan-oil" {
			t.Errorf("category not kept: %q", got)
		}
		if products() != before {
			t.Fatal("a bad form saved the product")
		}

		// The same reference twice: the domain says so, beside the second.
		v = productForm(t, bad.doc, "/vendor/products/new", nil)
		v.Set("variants.1.price", "450")
		v.Set("variants.0.sku", "ARG-BLD")
		v.Set("variants.1.sku", "arg-bld")
		dup := owner.post("/vendor/products/new", v)
		if dup.resp.StatusCode != http.StatusUnprocessableEntity || textOf(byID(dup.doc, "variants-1-sku-error")) == "" ||
			len(find(byID(dup.doc, "problems"), "a", "href", "#variants-1-sku")) != 1 {
			t.Fatalf("duplicate reference: %d %s", dup.resp.StatusCode, errorsOf(dup.doc))
		}

		// Fixed: saved as a draft, the browser sent to the product's page.
		v = productForm(t, dup.doc, "/vendor/products/new", nil)
		v.Set("variants.1.sku", "")
		where := owner.post("/vendor/products/new", v).location(t)
		if !strings.HasPrefix(where, "/vendor/products/") || !strings.HasSuffix(where, "?done=products.created") {
			t.Fatalf("after saving: %s", where)
		}
		productURL := strings.TrimSuffix(where, "?done=products.created")
		id := strings.TrimPrefix(productURL, "/vendor/products/")
		p, err := m.app.Catalog.Get(ctx, operator, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != catalog.Draft || p.VendorID != tifaouine.ID || len(p.Texts) != 1 || p.Texts["ar"].Description != "زيت معصور على البارد" ||
			len(p.Variants) != 2 || p.Variants[0].Price.Amount != 12050 || p.Variants[1].Price.Amount != 45000 ||
			p.Variants[0].SKU != "ARG-BLD" || p.Variants[1].SKU == "" || p.Variants[1].WeightGrams != 1200 || p.Variants[0].Stock != 5 {
			t.Fatalf("saved: %+v", p)
		}
		pg := owner.get(where)
		if !strings.Contains(errorsOf(pg.doc), "photos") || textOf(byID(pg.doc, "status")) != "Brouillon" {
			t.Errorf("product page: %s / %s", errorsOf(pg.doc), textOf(byID(pg.doc, "status")))
		}

		// The list: status, price, stock and the four languages missing.
		list = owner.get("/vendor/products")
		row := find(byID(list.doc, "products"), "a", "href", productURL)
		if len(row) != 1 {
			t.Fatalf("not in the list: %s", text(list.doc))
		}
		missing := textOf(find(row[0], "span", "class", "badge warn missing")[0])
		for _, lang := range []string{"Français", "Amazighe", "Anglais", "Espagnol"} {
			if !strings.Contains(missing, lang) {
				t.Errorf("missing languages %q lack %s", missing, lang)
			}
		}
		if strings.Contains(missing, "Arabe") || !strings.Contains(text(row[0]), "Brouillon") || !strings.Contains(text(row[0]), "Stock : 8") ||
			!strings.Contains(text(row[0]), "120,50") {
			t.Errorf("row: %s", text(row[0]))
		}
		if found := owner.get("/vendor/products?q=ARG-BLD"); len(find(byID(found.doc, "products"), "li")) != 1 {
			t.Errorf("search by reference: %s", text(found.doc))
		}
		if drafts := owner.get("/vendor/products?status=published"); len(find(byID(drafts.doc, "products"), "a", "href", productURL)) != 0 {
			t.Errorf("a draft listed among the published")
		}

		// Not ready for review: no photo.
		refused := owner.post(productURL+"/submit", url.Values{"csrf_token": {token}})
		if refused.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(textOf(byID(refused.doc, "submit-problems")), "photo") {
			t.Errorf("submit without photo: %d %s", refused.resp.StatusCode, textOf(byID(refused.doc, "submit")))
		}

		// A photo from the camera, 800×600.
		form := formOf(t, pg.doc, productURL+"/photos")
		if in := byID(form, "photos-camera"); attr(in, "accept") != "image/*" || attr(in, "capture") != "environment" || !hasAttr(in, "multiple") {
			t.Errorf("camera input: %v", in.Attr)
		}
		if len(find(pg.doc, "a", "href", "/vendor/help/photos")) != 1 {
			t.Errorf("no link to the photo guide")
		}
		fields := url.Values{"csrf_token": {token}}
		if loc := owner.postFiles(productURL+"/photos", fields, upload{"photos", "IMG_0001.jpg", cameraPhoto(t, 800, 600, 10)}).location(t); loc != productURL+"?done=products.photos_added" {
			t.Errorf("after the photo: %s", loc)
		}
		p, _ = m.app.Catalog.Get(ctx, operator, id)
		if len(p.Images) != 1 || p.Images[0].Width != 800 || len(p.Images[0].Renditions()) != 3 {
			t.Fatalf("photo: %+v", p.Images)
		}
		for _, r := range append(p.Images[0].Renditions(), p.Images[0].WebPRenditions()...) {
			if got := owner.get("/media/" + r.Path); got.resp.StatusCode != http.StatusOK {
				t.Errorf("/media/%s: %d", r.Path, got.resp.StatusCode)
			}
		}
		first := p.Images[0].Path

		// A text file and a second photo together: the text file is named, the photo kept.
		mixed := owner.postFiles(productURL+"/photos", fields, upload{"photos", "notes.txt", []byte("bonjour, voici mes notes")},
			upload{"photos", "IMG_0002.jpg", cameraPhoto(t, 800, 600, 90)})
		if mixed.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a text file: %d", mixed.resp.StatusCode)
		}
		if got := textOf(byID(mixed.doc, "photo-problems")); !strings.Contains(got, "notes.txt") || !strings.Contains(got, "pas une photo") || strings.Contains(got, "IMG_0002") {
			t.Errorf("refusal: %q", got)
		}
		p, _ = m.app.Catalog.Get(ctx, operator, id)
		if len(p.Images) != 2 || p.Images[0].Path != first {
			t.Fatalf("photos after the mix: %+v", p.Images)
		}
		if none := owner.postFiles(productURL+"/photos", fields); none.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("no file: %d", none.resp.StatusCode)
		}

		// The second becomes the main photo; a photo that is not there is said so.
		pg = owner.get(productURL)
		forms := find(pg.doc, "form", "action", productURL+"/photos/1/move")
		if len(forms) != 1 {
			t.Fatalf("%d move forms for photo 2", len(forms))
		}
		if loc := owner.post(productURL+"/photos/1/move", formValues(forms[0], nil)).location(t); loc != productURL+"?done=products.photo_moved" {
			t.Errorf("after moving: %s", loc)
		}
		p, _ = m.app.Catalog.Get(ctx, operator, id)
		if p.Images[1].Path != first {
			t.Errorf("order after moving: %+v", p.Images)
		}
		if gone := owner.post(productURL+"/photos/5/remove", url.Values{"csrf_token": {token}}); gone.resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(textOf(byID(gone.doc, "photo-problems")), "plus là") {
			t.Errorf("remove a missing photo: %d", gone.resp.StatusCode)
		}
		if loc := owner.post(productURL+"/photos/0/remove", url.Values{"csrf_token": {token}}).location(t); loc != productURL+"?done=products.photo_removed" {
			t.Errorf("after removing: %s", loc)
		}

		// Saving the form again keeps the photos, the references and the variants' ids.
		pg = owner.get(productURL)
		v = productForm(t, pg.doc, productURL, nil)
		if v.Get("variants.0.price") != "120,50" || v.Get("variants.1.price") != "450" || v.Get("title_ar") != "زيت الأركان البلدي" {
			t.Fatalf("the form of the product: %v", v)
		}
		v.Set("variants.0.stock", "7")
		v.Set("title_fr", "Huile d’argan beldi")
		if loc := owner.post(productURL, v).location(t); loc != productURL+"?done=products.saved" {
			t.Errorf("after saving again: %s", loc)
		}
		q, _ := m.app.Catalog.Get(ctx, operator, id)
		if len(q.Images) != 1 || q.Images[0].Path != first || q.Variants[0].Stock != 7 || q.Variants[0].ID != p.Variants[0].ID ||
			q.Variants[1].SKU != p.Variants[1].SKU || q.Texts["fr"].Title != "Huile d’argan beldi" {
			t.Fatalf("after saving again: %+v", q)
		}

		// Another vendor's owner: not found, on the product and its photos; nothing changes.
		snapshot := fingerprint(t, d)
		for _, path := range []string{productURL} {
			if got := other.get(path); got.resp.StatusCode != http.StatusNotFound {
				t.Errorf("another vendor's owner on %s: %d", path, got.resp.StatusCode)
			}
		}
		otherFields := url.Values{"csrf_token": {otherToken}}
		for _, try := range []page{
			other.postFiles(productURL+"/photos", otherFields, upload{"photos", "x.jpg", cameraPhoto(t, 800, 600, 50)}),
			other.post(productURL+"/photos/0/remove", otherFields),
			other.post(productURL+"/photos/0/move", url.Values{"csrf_token": {otherToken}, "to": {"0"}}),
			other.post(productURL+"/submit", otherFields),
			other.post(productURL, productForm(t, pg.doc, productURL, map[string]string{"csrf_token": otherToken})),
		} {
			if try.resp.StatusCode != http.StatusNotFound {
				t.Errorf("another vendor's owner on %s: %d", try.resp.Request.URL.Path, try.resp.StatusCode)
			}
		}
		if fingerprint(t, d) != snapshot {
			t.Error("another vendor changed the product")
		}
		if theirs := other.get("/vendor/products"); len(find(theirs.doc, "a", "href", productURL)) != 0 {
			t.Error("another vendor lists the product")
		}

		// Ready: sent for review.
		pg = owner.get(productURL)
		if len(find(byID(pg.doc, "submit"), "form", "action", productURL+"/submit")) != 1 {
			t.Fatalf("no submit button: %s", textOf(byID(pg.doc, "submit")))
		}
		if loc := owner.post(productURL+"/submit", url.Values{"csrf_token": {token}}).location(t); loc != productURL+"?done=products.submitted" {
			t.Errorf("after submitting: %s", loc)
		}
		p, _ = m.app.Catalog.Get(ctx, operator, id)
		if p.Status != catalog.PendingReview {
			t.Errorf("status: %s", p.Status)
		}
		pg = owner.get(productURL + "?done=products.submitted")
		if textOf(byID(pg.doc, "status")) != "En attente de vérification" || len(find(pg.doc, "p", "class", "notice")) != 1 {
			t.Errorf("after submitting: %s", textOf(byID(pg.doc, "status")))
		}
		if products() != before+1 {
			t.Errorf("%d products, want %d", products(), before+1)
		}
	})
}

// The form in Arabic: right to left, Arabic first, each language's inputs
// marked with their own language and direction; the books section opens
// when it holds something, and a certification's date that is not one is
// named beside it.
func TestPortalProductFormInArabic(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		tifaouine, _ := twoVendors(t, m)
		staff, _ := seller(t, m, "aicha@tifaouine.ma", auth.RoleVendorStaff, tifaouine.ID)
		page := staff.get("/vendor/products/new?lang=ar")
		if html := find(page.doc, "html"); attr(html[0], "dir") != "rtl" || attr(html[0], "lang") != "ar" {
			t.Errorf("html: %v", html[0].Attr)
		}
		sections := find(byID(page.doc, "texts"), "fieldset", "class", "locale")
		if len(sections) != 5 || attr(sections[0], "id") != "texts-ar" {
			t.Fatalf("sections: %d", len(sections))
		}
		if in := byID(page.doc, "title-fr"); attr(in, "lang") != "fr" || attr(in, "dir") != "ltr" {
			t.Errorf("French title input: %v", in.Attr)
		}
		if in := byID(page.doc, "title-ar"); attr(in, "dir") != "rtl" {
			t.Errorf("Arabic title input: %v", in.Attr)
		}
		if got := textOf(byID(page.doc, "missing-languages")); !strings.Contains(got, "ناقص") {
			t.Errorf("missing: %q", got)
		}
		if hasAttr(byID(page.doc, "book"), "open") {
			t.Error("the books section is open on an empty form")
		}
		kinds := find(byID(page.doc, "certs-0-kind"), "option")
		if len(kinds) != len(catalog.CertificationKinds)+1 {
			t.Errorf("certification kinds: %d", len(kinds))
		}

		v := productForm(t, page.doc, "/vendor/products/new", nil)
		v.Set("category", "argan-oil")
		v.Set("title_ar", "أملو")
		v.Set("variants.0.price", "٤٠")
		v.Set("certs.0.kind", "organic")
		v.Set("certs.0.issuer", "Ecocert")
		v.Set("certs.0.expires", "30/06/2027")
		v.Set("book_publisher", "دار")
		bad := staff.post("/vendor/products/new?lang=ar", v)
		if bad.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad date: %d", bad.resp.StatusCode)
		}
		if textOf(byID(bad.doc, "certs-0-expires-error")) == "" || !hasAttr(byID(bad.doc, "book"), "open") {
			t.Errorf("date error %q; books open %v; %s", textOf(byID(bad.doc, "certs-0-expires-error")), hasAttr(byID(bad.doc, "book"), "open"), errorsOf(bad.doc))
		}
		v.Set("certs.0.expires", "2027-06-30")
		v.Del("book_publisher")
		where := staff.post("/vendor/products/new?lang=ar", v).location(t)
		p, err := m.app.Catalog.Get(context.Background(), operator, strings.TrimSuffix(strings.TrimPrefix(where, "/vendor/products/"), "?done=products.created"))
		if err != nil {
			t.Fatal(err)
		}
		if p.Variants[0].Price.Amount != 4000 || len(p.Certifications) != 1 || p.Certifications[0].ExpiresOn != "2027-06-30" || p.Book != nil {
			t.Errorf("saved: %+v", p)
		}
		if !slices.Equal([]string{p.Texts["ar"].Title}, []string{"أملو"}) {
			t.Errorf("title: %v", p.Texts)
		}
	})
}
