package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
)

type productJSON struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Status      string `json:"status"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Locale      string `json:"locale"`
	Region      string `json:"region"`
	TaxClass    string `json:"tax_class"`
	Vendor      struct {
		ID   int64  `json:"id"`
		Slug string `json:"slug"`
	} `json:"vendor"`
	Category struct {
		Slug string `json:"slug"`
	} `json:"category"`
	Variants []struct {
		SKU   string `json:"sku"`
		Price struct {
			Amount   int64  `json:"amount"`
			Currency string `json:"currency"`
		} `json:"price"`
		Stock int `json:"stock"`
	} `json:"variants"`
	ReviewNote  *string `json:"review_note"`
	PublishedAt *string `json:"published_at"`
}

type productList struct {
	Items   []productJSON `json:"items"`
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	PerPage int           `json:"per_page"`
}

type vendorJSON struct {
	ID      int64             `json:"id"`
	Slug    string            `json:"slug"`
	Name    string            `json:"name"`
	Status  string            `json:"status"`
	City    string            `json:"city"`
	Private map[string]string `json:"private"`
}

type vendorList struct {
	Items   []vendorJSON `json:"items"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"per_page"`
}

func slugs(ps []productJSON) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Slug)
	}
	return out
}

func TestListingProducts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		// More than the fixtures: a published product in a sub-category of
		// cosmetics, and one of the applicant vendor C (never public).
		soap := productInput("SOAP-1", catalog.Published)
		soap.Category, soap.Texts = "soaps-ghassoul", map[string]catalog.Texts{"fr": {Title: "Savon beldi au ghassoul"}}
		if _, err := e.app.Catalog.Create(context.Background(), operator, e.vendors["b"].ID, soap); err != nil {
			t.Fatal(err)
		}
		cPub := e.mustCreateProduct("c", "C-PUB", catalog.Published)

		var l productList
		e.call("GET", "/api/v1/products", "anonymous", nil).status(200).decode(&l)
		if l.Total != 3 || len(l.Items) != 3 || l.Page != 1 || l.PerPage != 20 {
			t.Fatalf("public list: total %d, %d items, page %d, per_page %d: %v", l.Total, len(l.Items), l.Page, l.PerPage, slugs(l.Items))
		}
		for _, p := range l.Items {
			if p.Status != "published" || p.Vendor.Slug == "coop-c" || p.PublishedAt == nil {
				t.Errorf("public sees %s (%s, vendor %s)", p.Slug, p.Status, p.Vendor.Slug)
			}
		}
		if l.Items[0].ID < l.Items[1].ID || l.Items[1].ID < l.Items[2].ID {
			t.Errorf("not newest first: %v", slugs(l.Items))
		}
		// Operators and vendors get the same public catalog without a status.
		e.call("GET", "/api/v1/products", "admin", nil).status(200).decode(&l)
		if l.Total != 3 {
			t.Errorf("admin's public list: %d", l.Total)
		}

		for _, c := range []struct {
			query                 string
			total, items          int
			page, perPage         int
			firstSlug, wantVendor string
		}{
			{query: "per_page=2", total: 3, items: 2, page: 1, perPage: 2},
			{query: "per_page=2&page=2", total: 3, items: 1, page: 2, perPage: 2},
			{query: "per_page=2&page=3", total: 3, items: 0, page: 3, perPage: 2},
			{query: "page=100000", total: 3, items: 0, page: 100000, perPage: 20},
			{query: "category=food", total: 2, items: 2, page: 1, perPage: 20},
			{query: "category=argan-oil", total: 2, items: 2, page: 1, perPage: 20},
			{query: "category=cosmetics", total: 1, items: 1, page: 1, perPage: 20, firstSlug: "savon-beldi-au-ghassoul"},
			{query: "category=soaps-ghassoul", total: 1, items: 1, page: 1, perPage: 20},
			{query: "category=crafts", total: 0, items: 0, page: 1, perPage: 20},
			{query: "category=no-such-category", total: 0, items: 0, page: 1, perPage: 20},
			{query: "region=souss-massa", total: 1, items: 1, page: 1, perPage: 20, wantVendor: "coop-a"},
			{query: "region=draa-tafilalet", total: 2, items: 2, page: 1, perPage: 20, wantVendor: "coop-b"},
			{query: "region=oriental", total: 0, items: 0, page: 1, perPage: 20},
			{query: "vendor=coop-b", total: 2, items: 2, page: 1, perPage: 20, wantVendor: "coop-b"},
			{query: "vendor=" + strconv.FormatInt(e.vendors["a"].ID, 10), total: 1, items: 1, page: 1, perPage: 20, wantVendor: "coop-a"},
			{query: "vendor=coop-c", total: 0, items: 0, page: 1, perPage: 20},
			{query: "vendor=coop-b&category=cosmetics", total: 1, items: 1, page: 1, perPage: 20, firstSlug: "savon-beldi-au-ghassoul"},
			{query: "q=ARGAN", total: 2, items: 2, page: 1, perPage: 20},
			{query: "q=arg", total: 2, items: 2, page: 1, perPage: 20},
			{query: "q=B-PUB", total: 1, items: 1, page: 1, perPage: 20, wantVendor: "coop-b"},
			{query: "q=" + url.QueryEscape("الاركان"), total: 2, items: 2, page: 1, perPage: 20},
			{query: "q=" + url.QueryEscape("huile d’argan"), total: 2, items: 2, page: 1, perPage: 20},
			{query: "q=ghassoul&region=draa-tafilalet", total: 1, items: 1, page: 1, perPage: 20},
			{query: "q=C-PUB", total: 0, items: 0, page: 1, perPage: 20},
			{query: "q=nothing-like-this", total: 0, items: 0, page: 1, perPage: 20},
		} {
			e.call("GET", "/api/v1/products?"+c.query, "anonymous", nil).status(200).decode(&l)
			if l.Total != c.total || len(l.Items) != c.items || l.Page != c.page || l.PerPage != c.perPage {
				t.Errorf("?%s: total %d, %d items, page %d, per_page %d; want %d, %d, %d, %d (%v)",
					c.query, l.Total, len(l.Items), l.Page, l.PerPage, c.total, c.items, c.page, c.perPage, slugs(l.Items))
				continue
			}
			if c.firstSlug != "" && l.Items[0].Slug != c.firstSlug {
				t.Errorf("?%s: first %s, want %s", c.query, l.Items[0].Slug, c.firstSlug)
			}
			for _, p := range l.Items {
				if c.wantVendor != "" && p.Vendor.Slug != c.wantVendor {
					t.Errorf("?%s: %s of %s", c.query, p.Slug, p.Vendor.Slug)
				}
			}
		}

		// C's published product is C's own business until C is approved.
		e.call("GET", "/api/v1/products/"+cPub.Slug, "anonymous", nil).status(404)
		e.call("GET", "/api/v1/products/"+cPub.Slug, "owner-c", nil).status(200)

		for _, bad := range []string{"page=0", "page=-1", "page=abc", "page=1.5", "page=100001", "page=9223372036854775808",
			"per_page=0", "per_page=101", "region=andalucia", "q=" + strings.Repeat("x", 201), "status=sold"} {
			r := e.callOffContract("GET", "/api/v1/products?"+bad, "admin", nil).status(422)
			if name, _, _ := strings.Cut(bad, "="); r.apiError().Error.Fields[name] == "" {
				t.Errorf("?%s: error does not name %s: %s", bad, name, r.body)
			}
		}
	})
}

func TestProductLocales(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		arabicOnly := productInput("AR-ONLY", catalog.Published)
		arabicOnly.Texts = map[string]catalog.Texts{"ar": {Title: "أملو بلدي", Description: "لوز وعسل وزيت أركان."}}
		ar, err := e.app.Catalog.Create(context.Background(), operator, e.vendors["a"].ID, arabicOnly)
		if err != nil {
			t.Fatal(err)
		}
		pub := e.products["a-pub"].Slug
		for _, c := range []struct {
			path, acceptLanguage string
			wantLocale, title    string
		}{
			{pub, "", "en", "Argan oil A-PUB"},
			{pub + "?locale=ar", "", "ar", "زيت الأركان A-PUB"},
			{pub + "?locale=fr", "ar", "fr", "Huile d'argan A-PUB"}, // ?locale= wins
			{pub, "fr-MA,fr;q=0.9,en;q=0.5", "fr", "Huile d'argan A-PUB"},
			{pub, "ar-MA", "ar", "زيت الأركان A-PUB"},
			{pub, "de-DE", "en", "Argan oil A-PUB"},
			{pub + "?locale=es", "", "es", "Huile d'argan A-PUB"},                // Spanish falls back to French
			{pub + "?locale=zgh", "", "zgh", "زيت الأركان A-PUB"},                // Tamazight to Arabic
			{ar.Slug + "?locale=en", "", "en", "أملو بلدي"},                      // whatever there is
			{strconv.FormatInt(ar.ID, 10) + "?locale=fr", "", "fr", "أملو بلدي"}, // by id
		} {
			h := map[string]string{"Accept-Language": c.acceptLanguage}
			var p productJSON
			e.call("GET", "/api/v1/products/"+c.path, "anonymous", nil, h).status(200).decode(&p)
			if p.Locale != c.wantLocale || p.Title != c.title {
				t.Errorf("%s (Accept-Language %q): locale %s, title %q; want %s, %q", c.path, c.acceptLanguage, p.Locale, p.Title, c.wantLocale, c.title)
			}
			if p.Title == "أملو بلدي" && p.Description != "لوز وعسل وزيت أركان." {
				t.Errorf("description from another locale than the title: %q", p.Description)
			}
		}
		// Lists resolve titles the same way.
		var l productList
		e.call("GET", "/api/v1/products?vendor=coop-b", "anonymous", nil, map[string]string{"Accept-Language": "ar"}).status(200).decode(&l)
		if len(l.Items) != 1 || l.Items[0].Title != "زيت الأركان B-PUB" || l.Items[0].Locale != "ar" {
			t.Errorf("list in Arabic: %+v", l.Items)
		}
		// An unknown ?locale= is ignored rather than refused.
		var p productJSON
		e.callOffContract("GET", "/api/v1/products/"+pub+"?locale=de", "anonymous", nil, map[string]string{"Accept-Language": "fr"}).status(200).decode(&p)
		if p.Locale != "fr" {
			t.Errorf("?locale=de with Accept-Language fr: %s", p.Locale)
		}
	})
}

func TestReadingVendorsAndCategories(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var vl vendorList
		e.call("GET", "/api/v1/vendors", "anonymous", nil).status(200).decode(&vl)
		if vl.Total != 2 || len(vl.Items) != 2 || vl.Page != 1 || vl.PerPage != 20 || vl.Items[0].Slug != "coop-a" || vl.Items[1].Slug != "coop-b" {
			t.Fatalf("public vendors: %+v", vl)
		}
		for _, v := range vl.Items {
			if v.Private != nil || v.Status != "approved" {
				t.Errorf("public sees %s (%s) with private %v", v.Slug, v.Status, v.Private)
			}
		}
		e.call("GET", "/api/v1/vendors?per_page=1&page=2", "anonymous", nil).status(200).decode(&vl)
		if vl.Total != 2 || len(vl.Items) != 1 || vl.Items[0].Slug != "coop-b" || vl.Page != 2 || vl.PerPage != 1 {
			t.Errorf("second page: %+v", vl)
		}
		e.call("GET", "/api/v1/vendors?region=oriental", "anonymous", nil).status(200).decode(&vl)
		if vl.Total != 0 {
			t.Errorf("the applicant in oriental is listed: %+v", vl)
		}
		e.call("GET", "/api/v1/vendors?status=approved&kind=cooperative", "customer", nil).status(200).decode(&vl)
		if vl.Total != 2 {
			t.Errorf("approved cooperatives: %d", vl.Total)
		}
		e.call("GET", "/api/v1/vendors", "admin", nil).status(200).decode(&vl)
		if vl.Total != 3 {
			t.Errorf("operator sees %d vendors, want all 3", vl.Total)
		}
		e.call("GET", "/api/v1/vendors?status=applied", "moderator", nil).status(200).decode(&vl)
		if vl.Total != 1 || vl.Items[0].Slug != "coop-c" || vl.Items[0].Private["rib"] != e.vendors["c"].RIB {
			t.Errorf("operator's applicants: %+v", vl)
		}
		for _, c := range []struct{ query, want string }{
			{"?locale=ar", "تعاونية coop-a"}, {"?locale=fr", "Coopérative coop-a"}, {"?locale=en", "Coopérative coop-a"}, {"?locale=zgh", "تعاونية coop-a"},
		} {
			var v vendorJSON
			e.call("GET", "/api/v1/vendors/coop-a"+c.query, "anonymous", nil).status(200).decode(&v)
			if v.Name != c.want {
				t.Errorf("name %s: %q, want %q", c.query, v.Name, c.want)
			}
		}
		for _, bad := range []string{"page=0", "per_page=500", "page=abc", "page=9223372036854775807", "region=murcia", "kind=bank", "status=closed"} {
			r := e.callOffContract("GET", "/api/v1/vendors?"+bad, "admin", nil).status(422)
			if name, _, _ := strings.Cut(bad, "="); r.apiError().Error.Fields[name] == "" {
				t.Errorf("?%s: error does not name %s: %s", bad, name, r.body)
			}
		}

		var cats struct {
			Items []struct {
				ID       int64             `json:"id"`
				Slug     string            `json:"slug"`
				Parent   *string           `json:"parent"`
				Position int               `json:"position"`
				Names    map[string]string `json:"names"`
			} `json:"items"`
		}
		e.call("GET", "/api/v1/categories", "anonymous", nil).status(200).decode(&cats)
		seen := map[string]int{}
		for i, c := range cats.Items {
			seen[c.Slug] = i
			if c.Parent != nil {
				if at, ok := seen[*c.Parent]; !ok || at > i {
					t.Errorf("%s comes before its parent %s", c.Slug, *c.Parent)
				}
			}
			if c.Names["ar"] == "" || c.Names["fr"] == "" {
				t.Errorf("%s has no Arabic or French name: %v", c.Slug, c.Names)
			}
		}
		if len(cats.Items) < 30 || cats.Items[seen["argan-oil"]].Parent == nil || *cats.Items[seen["argan-oil"]].Parent != "food" || cats.Items[seen["food"]].Parent != nil {
			t.Errorf("category tree: %+v", cats.Items)
		}
	})
}

func TestWritingProducts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		products, variants := e.count("products"), e.count("variants")

		// Staff create a draft for their vendor, without naming it.
		in := productInput("NEW-1", "")
		in.Variants = append(in.Variants, catalog.Variant{SKU: "NEW-1-1L", Label: "1 l", Price: money.Dirhams(52000), Stock: 3})
		var p productJSON
		r := e.call("POST", "/api/v1/products", "staff-a", in).status(201).decode(&p)
		if p.Status != "draft" || p.Vendor.Slug != "coop-a" || p.Region != "souss-massa" || p.PublishedAt != nil || len(p.Variants) != 2 ||
			r.hdr.Get("Location") != "/api/v1/products/"+strconv.FormatInt(p.ID, 10) {
			t.Fatalf("created: %+v, Location %s", p, r.hdr.Get("Location"))
		}
		if e.count("products") != products+1 || e.count("variants") != variants+2 {
			t.Errorf("rows after create: %d products, %d variants", e.count("products"), e.count("variants"))
		}
		e.call("GET", r.hdr.Get("Location"), "owner-a", nil).status(200)
		e.call("GET", r.hdr.Get("Location"), "anonymous", nil).status(404)

		// The owner changes the price and drops the litre; staff submit it for review.
		in.Variants = in.Variants[:1]
		in.Variants[0].Price.Amount = 17500
		e.call("PUT", "/api/v1/products/"+p.Slug, "owner-a", in).status(200).decode(&p)
		if len(p.Variants) != 1 || p.Variants[0].Price.Amount != 17500 || e.count("variants") != variants+1 {
			t.Errorf("update: %+v", p.Variants)
		}
		in.Status = catalog.PendingReview
		e.call("PUT", "/api/v1/products/"+strconv.FormatInt(p.ID, 10), "staff-a", in).status(200).decode(&p)
		if p.Status != "pending_review" {
			t.Errorf("submitted: %s", p.Status)
		}
		in.Status = catalog.Published
		e.call("PUT", "/api/v1/products/"+p.Slug, "owner-a", in).status(403)

		// A moderator rejects it with a note only the vendor and operators see.
		e.call("POST", "/api/v1/products/"+p.Slug+"/status", "moderator", map[string]string{"status": "rejected", "note": "Photo floue"}).status(200).decode(&p)
		if p.Status != "rejected" || p.ReviewNote == nil || *p.ReviewNote != "Photo floue" {
			t.Errorf("reject: %+v", p)
		}
		e.call("GET", "/api/v1/products/"+p.Slug, "staff-a", nil).status(200).decode(&p)
		if p.ReviewNote == nil || *p.ReviewNote != "Photo floue" {
			t.Errorf("vendor does not see the review note: %+v", p)
		}
		e.call("GET", "/api/v1/products/"+p.Slug, "owner-b", nil).status(404)
		// Published, the note stays hidden from everyone else.
		e.call("POST", "/api/v1/products/"+p.Slug+"/status", "admin", map[string]string{"status": "published", "note": "Merci"}).status(200)
		var seen productJSON
		e.call("GET", "/api/v1/products/"+p.Slug, "owner-b", nil).status(200).decode(&seen)
		if seen.ReviewNote != nil || seen.PublishedAt == nil {
			t.Errorf("another vendor sees the review note: %+v", seen)
		}
		// An edit keeps a status the operator set.
		in.Status = ""
		e.call("PUT", "/api/v1/products/"+p.Slug, "owner-a", in).status(200).decode(&p)
		if p.Status != "published" {
			t.Errorf("edit unpublished the product: %s", p.Status)
		}

		// Operators create for any vendor, named in the body, in any status.
		op := map[string]any{"vendor": "coop-b", "category": "dates-dried-fruit", "texts": map[string]any{"fr": map[string]string{"title": "Dattes Mejhoul"}},
			"variants": []map[string]any{{"sku": "D1", "price": map[string]any{"amount": 9000, "currency": "MAD"}}}, "status": "published"}
		e.call("POST", "/api/v1/products", "admin", op).status(201).decode(&p)
		if p.Vendor.Slug != "coop-b" || p.Status != "published" || p.Slug != "dattes-mejhoul" || p.TaxClass != "standard" || p.Region != "draa-tafilalet" {
			t.Errorf("operator create: %+v", p)
		}
		before := e.count("products")
		for vendorRef, wantField := range map[string]string{"no-such-vendor": "vendor", "": "vendor"} {
			op["vendor"] = vendorRef
			if e.call("POST", "/api/v1/products", "moderator", op).status(422).apiError().Error.Fields[wantField] == "" {
				t.Errorf("vendor %q: not named", vendorRef)
			}
		}
		if e.count("products") != before {
			t.Error("a refused create added a product")
		}

		// Deleting: vendor users only what was never published.
		e.call("DELETE", "/api/v1/products/"+e.products["a-draft"].Slug, "staff-a", nil).status(204)
		e.call("GET", "/api/v1/products/"+e.products["a-draft"].Slug, "admin", nil).status(404)
		e.call("DELETE", "/api/v1/products/"+e.products["a-draft"].Slug, "owner-a", nil).status(404)
		e.call("DELETE", "/api/v1/products/"+e.products["a-pub"].Slug, "owner-a", nil).status(403)
		e.call("DELETE", "/api/v1/products/"+e.products["a-pub"].Slug, "moderator", nil).status(204)
		var n int
		if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM variants WHERE product_id IN (?, ?)`,
			e.products["a-draft"].ID, e.products["a-pub"].ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("deleted products left %d variants (%v)", n, err)
		}
		e.call("POST", "/api/v1/products", "anonymous", in).status(401)
		e.call("POST", "/api/v1/products", "customer", in).status(403)
	})
}

func TestWritingVendors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		in := vendorInput("", "marrakech-safi")
		in.Kind, in.CooperativeNumber, in.LegalName, in.Email = vendor.Artisan, "", "Atelier Zellige Fès", "atelier@zellige.ma"
		in.Texts = map[string]vendor.Texts{"fr": {DisplayName: "Atelier Zellige"}}
		in.RIB = "011 780 0000123456789012 " + rib("0117800000123456789012")[22:]
		var v vendorJSON
		e.call("POST", "/api/v1/vendors", "admin", in).status(201).decode(&v)
		if v.Slug != "atelier-zellige" || v.Status != "applied" || v.Private["rib"] != rib("0117800000123456789012") || v.Private["phone"] != "+212612345678" {
			t.Errorf("created: %+v", v)
		}
		e.call("GET", "/api/v1/vendors/atelier-zellige", "anonymous", nil).status(404)
		e.call("POST", "/api/v1/vendors/atelier-zellige/status", "moderator", map[string]string{"status": "approved"}).status(200).decode(&v)
		if v.Status != "approved" {
			t.Errorf("approve: %+v", v)
		}
		e.call("GET", "/api/v1/vendors/atelier-zellige", "anonymous", nil).status(200)
		// Approving through the API is the console's approval: the owner
		// is invited by e-mail; asking again changes nothing; a move the
		// review does not allow is a conflict.
		var invited int
		if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM users WHERE email = 'atelier@zellige.ma' AND role = 'vendor_owner'`).Scan(&invited); err != nil || invited != 1 {
			t.Errorf("owner invited on approval: %d %v", invited, err)
		}
		e.call("POST", "/api/v1/vendors/atelier-zellige/status", "moderator", map[string]string{"status": "approved"}).status(200)
		e.call("POST", "/api/v1/vendors/atelier-zellige/status", "moderator", map[string]string{"status": "rejected", "note": "x"}).status(409)

		// The owner edits their vendor; staff may not.
		edit := vendorInput("coop-a", "souss-massa")
		edit.City = "Taroudant"
		e.call("PUT", "/api/v1/vendors/coop-a", "owner-a", edit).status(200).decode(&v)
		if v.City != "Taroudant" || v.Status != "approved" {
			t.Errorf("owner edit: %+v", v)
		}
		edit.City = "Tiznit"
		e.call("PUT", "/api/v1/vendors/coop-a", "staff-a", edit).status(403)

		// Suspending B takes its products out of the catalog.
		e.call("POST", "/api/v1/vendors/coop-b/status", "admin", map[string]string{"status": "suspended"}).status(200)
		var l productList
		e.call("GET", "/api/v1/products", "anonymous", nil).status(200).decode(&l)
		if l.Total != 1 || l.Items[0].Vendor.Slug != "coop-a" {
			t.Errorf("suspended vendor's products listed: %v", slugs(l.Items))
		}
		e.call("GET", "/api/v1/products/"+e.products["b-pub"].Slug, "anonymous", nil).status(404)
		e.call("GET", "/api/v1/products/"+e.products["b-pub"].Slug, "owner-b", nil).status(200)
	})
}

// TestBadInput sends what a careless or hostile client sends: each is
// refused with the field named, in the caller's language, and changes
// nothing.
func TestBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tables := []string{"products", "variants", "product_texts", "books", "vendors", "vendor_texts"}
		counts := func() string {
			var s []string
			for _, table := range tables {
				s = append(s, fmt.Sprintf("%s=%d", table, e.count(table)))
			}
			return strings.Join(s, " ")
		}
		before, digest := counts(), e.digest()

		valid := `{"category":"argan-oil","texts":{"fr":{"title":"Huile"}},"variants":[{"sku":"X1","price":{"amount":100,"currency":"MAD"}}]}`
		book := strings.Replace(strings.Replace(valid, `"argan-oil"`, `"literature"`, 1), `"variants"`, `"book":{"isbn":"9782070368229","authors":["Driss Chraïbi"],"language":"fr"},"variants"`, 1)
		r := func(old, new string) string {
			if !strings.Contains(valid, old) {
				t.Fatalf("%q not in the valid body", old)
			}
			return strings.Replace(valid, old, new, 1)
		}
		cases := []struct {
			name, body string
			status     int
			field      string
		}{
			{"empty body", ``, 400, ""},
			{"malformed", `{"category":`, 400, ""},
			{"trailing data", valid + `{}`, 400, ""},
			{"single quotes", `{'category':'argan-oil'}`, 400, ""},
			{"invalid UTF-8", "{\"category\":\"argan-oil\",\"texts\":{\"fr\":{\"title\":\"\xff\xfe\"}}}", 400, ""},
			{"not an object", `[1,2]`, 422, "body"},
			{"unknown field", r(`"category"`, `"colour":"red","category"`), 422, "colour"},
			{"string price", r(`"amount":100`, `"amount":"100"`), 422, "variants[0].price.amount"},
			{"fractional price", r(`"amount":100`, `"amount":1.5`), 422, "variants[0].price.amount"},
			{"price beyond int64", r(`"amount":100`, `"amount":1e40`), 422, "variants[0].price.amount"},
			{"price as object", r(`"price":{"amount":100,"currency":"MAD"}`, `"price":100`), 422, "variants[0].price"},
			{"texts as list", r(`{"fr":{"title":"Huile"}}`, `["Huile"]`), 422, "texts"},
			{"negative price", r(`"amount":100`, `"amount":-100`), 422, "variants[0].price.amount"},
			{"zero price", r(`"amount":100`, `"amount":0`), 422, "variants[0].price.amount"},
			{"price over the limit", r(`"amount":100`, `"amount":10000000001`), 422, "variants[0].price.amount"},
			{"euro price", r(`"MAD"`, `"EUR"`), 422, "variants[0].price.currency"},
			{"negative stock", r(`"sku":"X1"`, `"sku":"X1","stock":-1`), 422, "variants[0].stock"},
			{"second variant", r(`}]`, `},{"sku":"X 2","price":{"amount":5}}]`), 422, "variants[1].sku"},
			{"duplicate SKU", r(`}]`, `},{"sku":"x1","price":{"amount":5}}]`), 422, "variants[1].sku"},
			{"no variants", r(`[{"sku":"X1","price":{"amount":100,"currency":"MAD"}}]`, `[]`), 422, "variants"},
			{"no title", r(`{"fr":{"title":"Huile"}}`, `{"fr":{"title":""}}`), 422, "texts"},
			{"unknown locale", r(`"fr"`, `"de"`), 422, "texts.de"},
			{"control characters", r(`"Huile"`, `"Hu\u0000ile"`), 422, "texts.fr.title"},
			{"unknown category", r(`"argan-oil"`, `"cars"`), 422, "category"},
			{"unknown region", r(`"category"`, `"region":"andalucia","category"`), 422, "region"},
			{"bad ISBN", book, 422, "book.isbn"},
			{"book outside books", strings.Replace(strings.Replace(book, `"literature"`, `"argan-oil"`, 1), "9782070368229", "9782070368228", 1), 422, "book"},
			{"bad image path", r(`"variants"`, `"images":[{"path":"../../etc/passwd"}],"variants"`), 422, "images[0].path"},
			{"bad certification date", r(`"variants"`, `"certifications":[{"kind":"organic","issuer":"Ecocert","expires_on":"31/12/2030"}],"variants"`), 422, "certifications[0].expires_on"},
			{"status for operators", r(`"category"`, `"status":"published","category"`), 403, "status"},
		}
		for _, c := range cases {
			res := e.call("POST", "/api/v1/products", "owner-a", []byte(c.body))
			if res.code != c.status {
				t.Errorf("%s: status %d, want %d: %s", c.name, res.code, c.status, res.body)
				continue
			}
			if c.field != "" && res.apiError().Error.Fields[c.field] == "" {
				t.Errorf("%s: error does not name %s: %s", c.name, c.field, res.body)
			}
		}
		big := `{"category":"argan-oil","texts":{"fr":{"title":"` + strings.Repeat("a", 1<<20) + `"}}}`
		if e.call("POST", "/api/v1/products", "owner-a", []byte(big)).status(413).apiError().Error.Code != "too_large" {
			t.Error("413 without too_large")
		}
		e.call("POST", "/api/v1/products", "owner-a", []byte(valid), map[string]string{"Content-Type": "text/plain"}).status(415)
		e.call("POST", "/api/v1/products", "owner-a", []byte(valid), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}).status(415)
		// Updates are read as strictly, and a refused one leaves the product as it was.
		e.call("PUT", "/api/v1/products/"+e.products["a-draft"].Slug, "owner-a", []byte(r(`"amount":100`, `"amount":-5`))).status(422)
		e.call("PUT", "/api/v1/products/"+e.products["a-draft"].Slug, "owner-a", []byte(r(`"category"`, `"vendor":"coop-b","category"`))).status(422)

		// Messages speak the caller's language and name the field.
		negative := []byte(r(`"amount":100`, `"amount":-100`))
		for _, c := range []struct {
			headers        map[string]string
			query          string
			message, field string
		}{
			{map[string]string{"Accept-Language": "fr-FR,fr;q=0.9"}, "", "Certains champs ne sont pas valides : variants[0].price.amount.", "ne doit pas être négatif"},
			{map[string]string{"Accept-Language": "ar"}, "", "بعض الحقول غير صالحة: variants[0].price.amount.", "يجب ألا يكون سالبا"},
			{map[string]string{"Accept-Language": "fr"}, "?locale=ar", "بعض الحقول غير صالحة: variants[0].price.amount.", "يجب ألا يكون سالبا"},
			{nil, "", "Some fields are not valid: variants[0].price.amount.", "must not be negative"},
		} {
			got := e.call("POST", "/api/v1/products"+c.query, "owner-a", negative, c.headers).status(422).apiError().Error
			if got.Message != c.message || got.Fields["variants[0].price.amount"] != c.field {
				t.Errorf("%v%s: %q / %v", c.headers, c.query, got.Message, got.Fields)
			}
		}
		typeErr := e.call("POST", "/api/v1/products", "owner-a", []byte(r(`"amount":100`, `"amount":"100"`)), map[string]string{"Accept-Language": "fr"}).status(422).apiError().Error
		if !strings.Contains(typeErr.Message, "variants[0].price.amount") || typeErr.Fields["variants[0].price.amount"] != "n’a pas le bon type" {
			t.Errorf("type error in French: %+v", typeErr)
		}
		malformed := e.call("POST", "/api/v1/products", "owner-a", []byte(`{"category":`), map[string]string{"Accept-Language": "ar"}).status(400).apiError().Error
		if !strings.Contains(malformed.Message, "JSON") || !strings.Contains(malformed.Message, "البايت") {
			t.Errorf("malformed JSON in Arabic: %+v", malformed)
		}

		// Vendors: Moroccan identifiers are checked, each named.
		badVendor := vendorInput("coop-new", "souss-massa")
		badVendor.RIB = "011780000012345678901234" // wrong key
		badVendor.ICE = "12345"
		badVendor.Phone = "+33612345678"
		badVendor.Email = "not an address"
		badVendor.Slug = "Coop New!"
		badVendor.CooperativeNumber = ""
		fr := e.call("POST", "/api/v1/vendors", "admin", badVendor, map[string]string{"Accept-Language": "fr"}).status(422).apiError().Error
		for field, want := range map[string]string{"rib": "RIB de 24 chiffres", "ice": "ICE de 15 chiffres", "phone": "numéro marocain",
			"email": "adresse e-mail", "slug": "lettres minuscules", "cooperative_number": "obligatoire"} {
			if !strings.Contains(fr.Fields[field], want) || !strings.Contains(fr.Message, field) {
				t.Errorf("French error for %s: %q in %+v", field, fr.Fields[field], fr)
			}
		}
		ar := e.call("POST", "/api/v1/vendors?locale=ar", "admin", badVendor).status(422).apiError().Error
		if !strings.Contains(ar.Fields["rib"], "بمفتاح صحيح") || !strings.HasPrefix(ar.Message, "بعض الحقول غير صالحة") {
			t.Errorf("Arabic error: %+v", ar)
		}
		e.call("PUT", "/api/v1/vendors/coop-a", "owner-a", badVendor).status(422)
		e.call("PUT", "/api/v1/vendors/coop-a", "owner-a", strings.Replace(mustJSON(t, vendorInput("coop-a", "souss-massa")), `"city"`, `"status":"suspended","city"`, 1)).status(422)
		e.call("POST", "/api/v1/vendors", "admin", map[string]any{"kind": "cooperative", "status": "open"}).status(422)

		if after := counts(); after != before {
			t.Errorf("bad input changed the database: %s -> %s", before, after)
		}
		if e.digest() != digest {
			t.Error("bad input changed the database's contents")
		}

		// Sign-in.
		e.call("POST", "/api/v1/sessions", "anonymous", map[string]string{"email": "customer@example.ma", "password": "wrong password"}).status(401)
		if f := e.call("POST", "/api/v1/sessions", "anonymous", []byte(`{"email":"x@example.ma","password":"12345678901","admin":true}`)).status(422).apiError().Error.Fields; f["admin"] == "" {
			t.Errorf("unknown login field not named: %v", f)
		}
		e.call("POST", "/api/v1/sessions", "anonymous", []byte(`{"email":["x"],"password":"12345678901"}`)).status(422)
	})
}

func TestSessionsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var me struct {
			Email    string `json:"email"`
			Role     string `json:"role"`
			VendorID *int64 `json:"vendor_id"`
			Locale   string `json:"locale"`
		}
		e.call("GET", "/api/v1/me", "owner-a", nil).status(200).decode(&me)
		if me.Email != "owner-a@example.ma" || me.Role != "vendor_owner" || me.VendorID == nil || *me.VendorID != e.vendors["a"].ID || me.Locale == "" {
			t.Errorf("me: %+v", me)
		}
		e.call("GET", "/api/v1/me", "customer", nil).status(200).decode(&me)
		if me.Role != "customer" || me.VendorID != nil {
			t.Errorf("customer: %+v", me)
		}
		e.call("GET", "/api/v1/me", "anonymous", nil).status(401)
		e.call("GET", "/api/v1/me", "anonymous", nil, map[string]string{"Authorization": "Bearer not-a-token"}).status(401)
		e.call("GET", "/api/v1/products", "anonymous", nil, map[string]string{"Authorization": "Bearer not-a-token"}).status(200)
		e.call("DELETE", "/api/v1/sessions/current", "owner-a", nil).status(204)
		e.call("GET", "/api/v1/me", "owner-a", nil).status(401)
		e.call("DELETE", "/api/v1/sessions/current", "owner-a", nil).status(401)
		e.call("DELETE", "/api/v1/sessions/current", "anonymous", nil).status(401)
		for range 5 {
			e.call("POST", "/api/v1/sessions", "anonymous", map[string]string{"email": "customer@example.ma", "password": "not the password"}).status(401)
		}
		r := e.call("POST", "/api/v1/sessions", "anonymous", map[string]string{"email": "Customer@Example.ma", "password": password}).status(429)
		if r.hdr.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		// A write from another site is refused even with a bearer token.
		e.call("POST", "/api/v1/products", "staff-a", productInput("X-SITE", ""), map[string]string{"Sec-Fetch-Site": "cross-site"}).status(403)
		e.call("POST", "/api/v1/products", "staff-a", productInput("X-SITE", ""), map[string]string{"Origin": "https://evil.example"}).status(403)
	})
}

// TestReportedBugsStayFixed: bugs once reported in the API's behaviour,
// each checked so that it does not come back.
func TestReportedBugsStayFixed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		valid := `{"category":"argan-oil","texts":{"fr":{"title":"Huile"}},"variants":[{"sku":"X0","price":{"amount":1}},{"sku":"X1","price":{"amount":100}}]}`
		t.Run("type error names the variant", func(t *testing.T) {
			e := e.in(t)
			f := e.call("POST", "/api/v1/products", "owner-a", strings.Replace(valid, `"amount":100`, `"amount":"100"`, 1)).status(422).apiError().Error.Fields
			if f["variants[1].price.amount"] == "" {
				t.Errorf("fields %v, want variants[1].price.amount", f)
			}
		})
		t.Run("unknown nested field names its path", func(t *testing.T) {
			e := e.in(t)
			f := e.call("POST", "/api/v1/products", "owner-a", strings.Replace(valid, `"sku":"X1"`, `"sku":"X1","colour":"red"`, 1)).status(422).apiError().Error.Fields
			if f["variants[1].colour"] == "" {
				t.Errorf("fields %v, want variants[1].colour", f)
			}
		})
		t.Run("field names are case-sensitive", func(t *testing.T) {
			e := e.in(t)
			e.call("POST", "/api/v1/products", "owner-a", strings.Replace(valid, `"category"`, `"CATEGORY"`, 1)).status(422)
		})
		t.Run("not-found message is translated whole", func(t *testing.T) {
			e := e.in(t)
			m := e.call("GET", "/api/v1/products/no-such-product", "anonymous", nil, map[string]string{"Accept-Language": "fr"}).status(404).apiError().Error.Message
			if strings.Contains(m, "product") {
				t.Errorf("English word in the French message: %q", m)
			}
		})
		t.Run("q is limited in characters", func(t *testing.T) {
			e := e.in(t)
			e.call("GET", "/api/v1/products?q="+url.QueryEscape(strings.Repeat("ز", 150)), "anonymous", nil).status(200)
		})
		t.Run("renamed vendor is found by its new name", func(t *testing.T) {
			e := e.in(t)
			in := vendorInput("coop-a", "souss-massa")
			in.Texts["fr"] = vendor.Texts{DisplayName: "Tifaouine"}
			e.call("PUT", "/api/v1/vendors/coop-a", "owner-a", in).status(200)
			var l productList
			e.call("GET", "/api/v1/products?q=tifaouine", "anonymous", nil).status(200).decode(&l)
			if l.Total != 1 {
				t.Errorf("products of the renamed vendor found: %d, want 1", l.Total)
			}
		})
		t.Run("wrong method is 405 with Allow", func(t *testing.T) {
			e := e.in(t)
			req, _ := http.NewRequest("PATCH", e.url+"/api/v1/products/"+e.products["a-pub"].Slug, strings.NewReader(valid))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 405 || resp.Header.Get("Allow") == "" {
				t.Errorf("PATCH: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
			}
		})
		t.Run("created vendor has a Location", func(t *testing.T) {
			e := e.in(t)
			r := e.call("POST", "/api/v1/vendors", "admin", vendorInput("coop-loc", "oriental")).status(201)
			if r.hdr.Get("Location") == "" {
				t.Error("no Location")
			}
		})
		t.Run("API CSRF refusal speaks the caller's locale", func(t *testing.T) {
			e := e.in(t)
			m := e.call("POST", "/api/v1/sessions?locale=fr", "anonymous", map[string]string{"email": "a@b.ma", "password": "x"}, map[string]string{"Sec-Fetch-Site": "cross-site"}).status(403).apiError().Error.Message
			if !strings.Contains(m, "autoris") {
				t.Errorf("message %q", m)
			}
		})
	})
}
