package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/money"
	"souk/internal/vendor"
)

var operator = auth.User{ID: 1, Role: auth.RoleAdmin}

// fixture is a small marketplace: two approved vendors and one applicant.
type fixture struct {
	d       *db.DB
	cat     *catalog.Service
	vendors map[string]vendor.Vendor
}

func newFixture(t *testing.T, d *db.DB) fixture {
	t.Helper()
	vs := vendor.NewService(d, nil)
	f := fixture{d: d, cat: catalog.NewService(d, nil), vendors: map[string]vendor.Vendor{}}
	for _, v := range []struct {
		slug, kind, region string
		status             vendor.Status
	}{
		{"argan-tifaouine", "cooperative", "souss-massa", vendor.Approved},
		{"dar-toubkal", "publisher", "casablanca-settat", vendor.Approved},
		{"rugs-applicant", "artisan", "beni-mellal-khenifra", vendor.Applied},
	} {
		got, err := vs.Create(context.Background(), operator, vendor.Input{
			Slug: v.slug, Kind: vendor.Kind(v.kind), LegalName: v.slug, Region: v.region, City: "Ville",
			CooperativeNumber: "N-1", Texts: map[string]vendor.Texts{"fr": {DisplayName: v.slug}},
		}, v.status)
		if err != nil {
			t.Fatalf("vendor %s: %v", v.slug, err)
		}
		f.vendors[v.slug] = got
	}
	return f
}

func ownerOf(v vendor.Vendor) auth.User {
	return auth.User{ID: 100 + v.ID, Role: auth.RoleVendorOwner, VendorID: v.ID}
}

func arganOil() catalog.Input {
	return catalog.Input{
		Category: "argan-oil",
		TaxClass: "exempt",
		Texts: map[string]catalog.Texts{
			"ar": {Title: "زيت الأركان التجميلي", Description: "زيت أركان عضوي معصور على البارد."},
			"fr": {Title: "Huile d’argan cosmétique", Description: "Pressée à froid."},
			"en": {Title: "Cosmetic argan oil"},
		},
		Variants: []catalog.Variant{
			{SKU: "ARG-100", Label: "100 ml", Price: money.Dirhams(8500), Stock: 40, WeightGrams: 180},
			{SKU: "ARG-250", Label: "250 ml", Price: money.Dirhams(15000), Stock: 12, WeightGrams: 380},
		},
		Certifications: []catalog.Certification{{Kind: "igp", Issuer: "ONSSA", Number: "IGP-ARG-01", ExpiresOn: "2028-06-30"}},
	}
}

func book(isbn string) catalog.Input {
	return catalog.Input{
		Category: "literature",
		TaxClass: "exempt",
		Texts:    map[string]catalog.Texts{"fr": {Title: "La boîte à merveilles"}},
		Variants: []catalog.Variant{{SKU: "BK-1", Price: money.Dirhams(6000), Stock: 5, WeightGrams: 300}},
		Book:     &catalog.Book{ISBN: isbn, Authors: []string{"Ahmed Sefrioui"}, Publisher: "Dar Toubkal", Language: "fr", Year: 1954, Pages: 224},
	}
}

func TestCreateReadPublish(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		owner := ownerOf(coop)

		p, err := f.cat.Create(ctx, owner, coop.ID, arganOil())
		if err != nil {
			t.Fatal(err)
		}
		if p.Slug != "huile-d-argan-cosmetique" || p.Status != catalog.Draft || p.Region != "souss-massa" || p.VendorSlug != coop.Slug {
			t.Fatalf("created: %+v", p)
		}
		if len(p.Variants) != 2 || p.Variants[1].Price != money.Dirhams(15000) || p.Variants[0].SKU != "ARG-100" {
			t.Fatalf("variants: %+v", p.Variants)
		}
		if len(p.Certifications) != 1 || p.Certifications[0].ExpiresOn != "2028-06-30" {
			t.Fatalf("certifications: %+v", p.Certifications)
		}
		if p.Texts["ar"].Title != "زيت الأركان التجميلي" {
			t.Fatalf("arabic text: %+v", p.Texts)
		}

		// A draft is invisible to the public and to other vendors, visible to its owner.
		other := ownerOf(f.vendors["dar-toubkal"])
		for name, by := range map[string]auth.User{"public": {}, "other vendor": other, "customer": {ID: 5, Role: auth.RoleCustomer}} {
			if _, err := f.cat.Get(ctx, by, p.Slug); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s sees a draft: %v", name, err)
			}
		}
		if _, err := f.cat.Get(ctx, owner, strconv.FormatInt(p.ID, 10)); err != nil {
			t.Errorf("owner cannot see own draft: %v", err)
		}

		// Vendors cannot publish; operators can.
		in := arganOil()
		in.Status = catalog.Published
		if _, err := f.cat.Update(ctx, owner, p.ID, in); !errs.Is(err, errs.Forbidden) {
			t.Errorf("vendor published: %v", err)
		}
		if _, err := f.cat.SetStatus(ctx, owner, p.ID, catalog.Published, ""); !errs.Is(err, errs.Forbidden) {
			t.Errorf("vendor set status: %v", err)
		}
		p, err = f.cat.SetStatus(ctx, operator, p.ID, catalog.Published, "")
		if err != nil || p.PublishedAt == nil {
			t.Fatalf("publish: %v", err)
		}
		if _, err := f.cat.Get(ctx, auth.User{}, p.Slug); err != nil {
			t.Errorf("public cannot see a published product: %v", err)
		}
		page, err := f.cat.List(ctx, auth.User{}, catalog.Filter{Category: "food"})
		if err != nil || page.Total != 1 || page.Items[0].ID != p.ID {
			t.Fatalf("list by parent category: %+v %v", page, err)
		}

		// The owner edits: variants keep their ids by SKU, a removed one goes, the status stays.
		in = arganOil()
		in.Variants = []catalog.Variant{
			{SKU: "ARG-250", Label: "250 ml", Price: money.Dirhams(14000), Stock: 3, WeightGrams: 380},
			{SKU: "ARG-500", Label: "500 ml", Price: money.Dirhams(26000), Stock: 1, WeightGrams: 700},
		}
		before := p.Variants[1].ID
		p, err = f.cat.Update(ctx, owner, p.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != catalog.Published || len(p.Variants) != 2 || p.Variants[0].ID != before || p.Variants[0].Price.Amount != 14000 || p.Variants[1].SKU != "ARG-500" {
			t.Fatalf("after edit: status=%s variants=%+v", p.Status, p.Variants)
		}
		// Another vendor cannot edit or delete it, and nothing changes.
		if _, err := f.cat.Update(ctx, other, p.ID, arganOil()); !errs.Is(err, errs.Forbidden) {
			t.Errorf("other vendor edited: %v", err)
		}
		if err := f.cat.Delete(ctx, other, p.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("other vendor deleted: %v", err)
		}
		if got, _ := f.cat.Get(ctx, auth.User{}, p.Slug); got.Variants[0].Price.Amount != 14000 {
			t.Errorf("product changed by a refused edit")
		}
	})
}

func TestApplicantsProductsStayHidden(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		in := arganOil()
		in.Category = "rugs-textiles"
		in.Status = catalog.Published
		p, err := f.cat.Create(ctx, operator, f.vendors["rugs-applicant"].ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.cat.Get(ctx, auth.User{}, p.Slug); !errs.Is(err, errs.NotFound) {
			t.Errorf("product of an unapproved vendor is public: %v", err)
		}
		if page, _ := f.cat.List(ctx, auth.User{}, catalog.Filter{}); page.Total != 0 {
			t.Errorf("public list shows it")
		}
	})
}

func TestBooks(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		pub := f.vendors["dar-toubkal"]
		p, err := f.cat.Create(ctx, operator, pub.ID, book("978-2-07-036822-8"))
		if err != nil {
			t.Fatal(err)
		}
		if p.Book == nil || p.Book.ISBN != "9782070368228" || p.Book.Authors[0] != "Ahmed Sefrioui" || p.Book.Pages != 224 {
			t.Fatalf("book: %+v", p.Book)
		}
		_, err = f.cat.Create(ctx, operator, pub.ID, book("9782070368228"))
		if e := asErr(err); e == nil || e.Code != errs.Conflict || e.Fields["book.isbn"] == "" {
			t.Fatalf("duplicate ISBN: %v", err)
		}
		page, err := f.cat.List(ctx, operator, catalog.Filter{Q: "978-2-07-036822-8", Status: catalog.Draft})
		if err != nil || page.Total != 1 {
			t.Fatalf("find by ISBN: %+v %v", page.Total, err)
		}
		bad := book("9782070368229")
		_, err = f.cat.Create(ctx, operator, pub.ID, bad)
		if e := asErr(err); e == nil || e.Fields["book.isbn"] != "field.isbn" {
			t.Fatalf("bad ISBN: %v", err)
		}
		nob := book("9782070368228")
		nob.Book = nil
		if _, err := f.cat.Create(ctx, operator, pub.ID, nob); asErr(err) == nil || asErr(err).Fields["book"] == "" {
			t.Fatalf("book category without book details: %v", err)
		}
	})
}

func TestBadInputNamesTheFieldAndChangesNothing(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		cases := []struct {
			field string
			edit  func(*catalog.Input)
		}{
			{"variants[0].price.amount", func(in *catalog.Input) { in.Variants[0].Price.Amount = -1 }},
			{"variants[1].price.amount", func(in *catalog.Input) { in.Variants[1].Price.Amount = 0 }},
			{"variants[0].price.currency", func(in *catalog.Input) { in.Variants[0].Price.Currency = "EUR" }},
			{"variants[0].stock", func(in *catalog.Input) { in.Variants[0].Stock = -3 }},
			{"variants[1].sku", func(in *catalog.Input) { in.Variants[1].SKU = "arg-100" }},
			{"variants[0].sku", func(in *catalog.Input) { in.Variants[0].SKU = "bad sku!" }},
			{"variants", func(in *catalog.Input) { in.Variants = nil }},
			{"category", func(in *catalog.Input) { in.Category = "weapons" }},
			{"tax_class", func(in *catalog.Input) { in.TaxClass = "zero" }},
			{"region", func(in *catalog.Input) { in.Region = "murcia" }},
			{"texts", func(in *catalog.Input) { in.Texts = map[string]catalog.Texts{} }},
			{"texts.de", func(in *catalog.Input) { in.Texts["de"] = catalog.Texts{Title: "Arganöl"} }},
			{"certifications[0].expires_on", func(in *catalog.Input) { in.Certifications[0].ExpiresOn = "30/06/2028" }},
			{"certifications[0].kind", func(in *catalog.Input) { in.Certifications[0].Kind = "gold" }},
			{"book", func(in *catalog.Input) {
				in.Book = &catalog.Book{ISBN: "9782070368228", Authors: []string{"x"}, Language: "fr"}
			}},
			{"slug", func(in *catalog.Input) { in.Slug = "123" }},
			{"images[0].path", func(in *catalog.Input) { in.Images = []catalog.Image{{Path: "../../etc/passwd"}} }},
		}
		for _, c := range cases {
			in := arganOil()
			c.edit(&in)
			_, err := f.cat.Create(ctx, operator, coop.ID, in)
			if e := asErr(err); e == nil || e.Code != errs.Invalid || e.Fields[c.field] == "" {
				t.Errorf("%s: want an invalid-field error naming it, got %v", c.field, err)
			}
		}
		for _, table := range []string{"products", "variants", "product_texts", "certifications"} {
			var n int
			if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil || n != 0 {
				t.Errorf("bad input left %d rows in %s (%v)", n, table, err)
			}
		}
	})
}

func TestBulkCreateIsAllOrNothing(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		var items []catalog.NewProduct
		for i := range 1200 {
			in := arganOil()
			in.Slug = fmt.Sprintf("argan-%d", i)
			items = append(items, catalog.NewProduct{VendorID: coop.ID, Input: in})
		}
		items[700].Input.Variants[0].Price.Amount = -5
		_, err := f.cat.BulkCreate(ctx, items)
		if e := asErr(err); e == nil || e.Fields["products[700].variants[0].price.amount"] == "" {
			t.Fatalf("bad item in bulk: %v", err)
		}
		var n int
		_ = d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM products`).Scan(&n)
		if n != 0 {
			t.Fatalf("half a bulk load went in: %d", n)
		}
		items[700].Input.Variants[0].Price.Amount = 500
		ids, err := f.cat.BulkCreate(ctx, items)
		if err != nil || len(ids) != 1200 {
			t.Fatalf("bulk: %d %v", len(ids), err)
		}
		p, err := f.cat.Get(ctx, operator, "argan-700")
		if err != nil || p.ID != ids[700] || p.Variants[0].Price.Amount != 500 || len(p.Texts) != 3 {
			t.Fatalf("item 700: %+v %v", p, err)
		}
	})
}

func TestConcurrentCreatesWithTheSameTitle(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		var wg sync.WaitGroup
		slugs := make(chan string, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, err := f.cat.Create(ctx, operator, coop.ID, arganOil())
				if err != nil {
					if !errs.Is(err, errs.Conflict) { // PostgreSQL may race two writers to one slug
						t.Errorf("create: %v", err)
					}
					return
				}
				slugs <- p.Slug
			}()
		}
		wg.Wait()
		close(slugs)
		seen := map[string]bool{}
		for s := range slugs {
			if seen[s] {
				t.Errorf("slug %s given twice", s)
			}
			seen[s] = true
		}
		if len(seen) == 0 {
			t.Fatal("no product created")
		}
	})
}

func TestCategories(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		cats, err := catalog.NewService(d, nil).Categories(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		bySlug := map[string]catalog.Category{}
		for _, c := range cats {
			bySlug[c.Slug] = c
		}
		for _, top := range []string{"food", "cosmetics", "crafts", "books", "press"} {
			if c, ok := bySlug[top]; !ok || c.Parent != "" || c.Names["ar"] == "" || c.Names["fr"] == "" {
				t.Errorf("top category %s: %+v", top, c)
			}
		}
		if bySlug["argan-oil"].Parent != "food" || bySlug["magazines"].Parent != "press" {
			t.Errorf("sub-categories: %+v %+v", bySlug["argan-oil"], bySlug["magazines"])
		}
		if cats[0].Slug != "food" || cats[1].Parent != "food" {
			t.Errorf("order: parents before their children, got %s, %s", cats[0].Slug, cats[1].Slug)
		}
	})
}

// TestEveryCategoryHasATamazightName: the reference categories carry a zgh
// name (migration 00008), written in Tifinagh, so that /zgh/ pages don't fall
// back to Arabic.
func TestEveryCategoryHasATamazightName(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var categories, missing int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN NOT EXISTS (
			SELECT 1 FROM category_texts t WHERE t.category_id = c.id AND t.locale = 'zgh' AND t.name <> '') THEN 1 ELSE 0 END), 0)
			FROM categories c`).Scan(&categories, &missing); err != nil {
			t.Fatal(err)
		}
		if categories != 32 || missing != 0 {
			t.Errorf("%d categories, %d without a zgh row in category_texts; want 32 and 0", categories, missing)
		}
		cats, err := catalog.NewService(d, nil).Categories(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cats {
			name := c.Names["zgh"]
			ok := name != "" && strings.TrimSpace(name) == name
			for _, r := range name {
				if r != ' ' && r != '-' && (r < 0x2D30 || r > 0x2D7F) {
					ok = false
				}
			}
			if !ok {
				t.Errorf("category %s: zgh name %q is not written in Tifinagh", c.Slug, name)
			}
		}
	})
}

func asErr(err error) *errs.Error {
	var e *errs.Error
	errors.As(err, &e)
	return e
}

func TestImageRenditions(t *testing.T) {
	for _, c := range []struct {
		im   catalog.Image
		want []catalog.Rendition
	}{
		{catalog.Image{Path: "p/ab12.jpg", Width: 1200}, []catalog.Rendition{{"p/ab12-320.jpg", 320}, {"p/ab12-640.jpg", 640}, {"p/ab12-960.jpg", 960}, {"p/ab12.jpg", 1200}}},
		{catalog.Image{Path: "demo/x.png", Width: 960}, []catalog.Rendition{{"demo/x-320.png", 320}, {"demo/x-640.png", 640}, {"demo/x.png", 960}}},
		{catalog.Image{Path: "small.webp", Width: 300}, []catalog.Rendition{{"small.webp", 300}}},
	} {
		if got := c.im.Renditions(); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", c.im.Path, got, c.want)
		}
	}
}
