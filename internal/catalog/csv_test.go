package catalog_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/money"
	"souk/internal/vendor"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files under testdata/")

// sheet writes rows as a CSV file the way a spreadsheet saves one.
type sheet struct {
	sep  rune
	bom  bool
	crlf bool
}

func (s sheet) file(rows ...[]string) string {
	var b bytes.Buffer
	if s.bom {
		b.WriteString("\ufeff")
	}
	w := csv.NewWriter(&b)
	if s.sep != 0 {
		w.Comma = s.sep
	}
	w.UseCRLF = s.crlf
	if err := w.WriteAll(rows); err != nil {
		panic(err)
	}
	return b.String()
}

var plain = sheet{}

var oilHeader = []string{"sku", "product", "category", "title_ar", "title_zgh", "title_fr", "variant_label", "price_mad",
	"stock", "weight_grams", "certifications", "status", "description_ar"}

// oilRows: an argan oil in two sizes and amlou in one, with Arabic and
// Tamazight titles.
func oilRows() [][]string {
	return [][]string{
		oilHeader,
		{"ARG-100", "argan-bio", "argan-oil", "زيت الأركان العضوي", "ⴰⵣⵉⵜ ⵏ ⵡⴰⵔⴳⴰⵏ", "Huile d’argan bio", "100 ml", "120,50", "40", "180",
			"organic:Ecocert:MA-BIO-123:2027-06-30|onssa:ONSSA:AS.12.34:", "draft", "زيت معصور على البارد"},
		{"ARG-250", "argan-bio", "", "", "", "", "250 ml", "250", "12", "380", "", "", ""},
		{"AML-250", "amlou", "amlou-honey", "أملو باللوز", "", "Amlou aux amandes", "250 g", "95.00", "20", "300", "", "", ""},
	}
}

func importCSV(t *testing.T, s *catalog.Service, by auth.User, vendorID int64, file string) (catalog.ImportReport, error) {
	t.Helper()
	return s.ImportCSV(context.Background(), by, vendorID, strings.NewReader(file), nil)
}

func mustImport(t *testing.T, s *catalog.Service, by auth.User, vendorID int64, file string) catalog.ImportReport {
	t.Helper()
	rep, err := importCSV(t, s, by, vendorID, file)
	if err != nil {
		t.Fatalf("import: %v; problems: %+v", err, rep.Problems)
	}
	return rep
}

func counts(r catalog.ImportReport) string {
	return fmt.Sprintf("%d created, %d updated, %d unchanged", r.Created, r.Updated, r.Unchanged)
}

func export(t *testing.T, s *catalog.Service, by auth.User, vendorID int64) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.ExportCSV(context.Background(), by, vendorID, &b); err != nil {
		t.Fatalf("export: %v", err)
	}
	return b.String()
}

func rowCount(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCSVImportExportRoundTrip(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		owner := ownerOf(coop)

		rep := mustImport(t, f.cat, owner, coop.ID, plain.file(oilRows()...))
		if counts(rep) != "2 created, 0 updated, 0 unchanged" || rep.Rows != 3 || rep.Products != 2 || rep.VariantsCreated != 3 {
			t.Fatalf("first import: %+v", rep)
		}
		p, err := f.cat.Get(ctx, owner, "argan-bio")
		if err != nil {
			t.Fatal(err)
		}
		if p.Texts["ar"].Title != "زيت الأركان العضوي" || p.Texts["zgh"].Title != "ⴰⵣⵉⵜ ⵏ ⵡⴰⵔⴳⴰⵏ" || p.Texts["ar"].Description != "زيت معصور على البارد" ||
			p.Texts["fr"].Title != "Huile d’argan bio" || p.Status != catalog.Draft || p.Region != "souss-massa" || p.CategorySlug != "argan-oil" {
			t.Fatalf("product: %+v", p)
		}
		want := []catalog.Variant{
			{SKU: "ARG-100", Label: "100 ml", Price: money.Dirhams(12050), Stock: 40, WeightGrams: 180},
			{SKU: "ARG-250", Label: "250 ml", Price: money.Dirhams(25000), Stock: 12, WeightGrams: 380},
		}
		for i := range p.Variants {
			p.Variants[i].ID = 0
		}
		if !slices.Equal(p.Variants, want) {
			t.Fatalf("variants: %+v", p.Variants)
		}
		certs := []catalog.Certification{{Kind: "organic", Issuer: "Ecocert", Number: "MA-BIO-123", ExpiresOn: "2027-06-30"},
			{Kind: "onssa", Issuer: "ONSSA", Number: "AS.12.34"}}
		if !slices.Equal(p.Certifications, certs) {
			t.Fatalf("certifications: %+v", p.Certifications)
		}
		// Found by the search index, as the operator's draft listing searches it.
		page, err := f.cat.List(ctx, operator, catalog.Filter{Status: catalog.Draft, Q: "أملو"})
		if err != nil || page.Total != 1 || page.Items[0].Slug != "amlou" {
			t.Fatalf("search an imported product: %+v %v", page, err)
		}

		// The export: a BOM, commas, CR LF, one row per variant, and back in
		// it changes nothing.
		out := export(t, f.cat, owner, coop.ID)
		if !strings.HasPrefix(out, "\ufeffsku,product,category,title_ar,") || !strings.Contains(out, "\r\n") {
			t.Fatalf("export header: %q", out[:min(len(out), 80)])
		}
		if lines := strings.Count(out, "\r\n"); lines != 4 {
			t.Fatalf("export has %d lines, want header + 3:\n%s", lines, out)
		}
		if !strings.Contains(out, "ARG-100,argan-bio,argan-oil,زيت الأركان العضوي,ⴰⵣⵉⵜ ⵏ ⵡⴰⵔⴳⴰⵏ,Huile d’argan bio,,,100 ml,120.50,40,180,") {
			t.Errorf("export row:\n%s", out)
		}
		rep = mustImport(t, f.cat, owner, coop.ID, out)
		if counts(rep) != "0 created, 0 updated, 2 unchanged" || rep.VariantsUnchanged != 3 {
			t.Fatalf("export imported back: %+v", rep)
		}

		// A book, with every book column, round-trips too.
		pub := f.vendors["dar-toubkal"]
		bookFile := plain.file(
			[]string{"sku", "product", "category", "title_fr", "title_ar", "price_mad", "stock", "isbn", "authors", "publisher", "language", "year", "pages"},
			[]string{"BK-1", "boite-a-merveilles", "literature", "La boîte à merveilles", "صندوق العجائب", "60", "5", "978-2-07-036822-8",
				"Ahmed Sefrioui|Autre\\|Nom", "Dar Toubkal", "fr", "1954", "224"},
		)
		if rep := mustImport(t, f.cat, operator, pub.ID, bookFile); rep.Created != 1 {
			t.Fatalf("book: %+v", rep)
		}
		b, err := f.cat.Get(ctx, operator, "boite-a-merveilles")
		if err != nil || b.Book == nil || b.Book.ISBN != "9782070368228" || !slices.Equal(b.Book.Authors, []string{"Ahmed Sefrioui", "Autre|Nom"}) ||
			b.Book.Year != 1954 || b.Book.Pages != 224 {
			t.Fatalf("book: %+v %v", b.Book, err)
		}
		rep = mustImport(t, f.cat, operator, pub.ID, export(t, f.cat, operator, pub.ID))
		if counts(rep) != "0 created, 0 updated, 1 unchanged" {
			t.Fatalf("book imported back: %+v", rep)
		}
		// ISBNs are unique in the marketplace and in the file.
		twice := plain.file(
			[]string{"sku", "product", "category", "title_fr", "price_mad", "isbn", "authors", "language"},
			[]string{"BK-2", "autre-livre", "literature", "Autre", "50", "9782070368228", "X", "fr"},
			[]string{"BK-3", "livre-3", "literature", "Trois", "50", "9789954000014", "X", "fr"},
			[]string{"BK-4", "livre-4", "literature", "Quatre", "50", "978-9954-000-01-4", "X", "fr"},
		)
		rep, err = importCSV(t, f.cat, operator, pub.ID, twice)
		if !errs.Is(err, errs.Invalid) || len(rep.Problems) != 2 || rep.Problems[0].Line != 2 || rep.Problems[0].Key != "field.taken" ||
			rep.Problems[1].Line != 4 || rep.Problems[1].Key != "field.duplicate" || rep.Problems[1].Column != "isbn" {
			t.Fatalf("ISBNs taken and twice: %v %+v", err, rep.Problems)
		}
	})
}

func TestCSVSemicolonsBOMAndCRLF(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		// As Excel in French saves "CSV UTF-8": a BOM, ";", CR LF, decimal
		// commas, a description over two lines holding a ";".
		excel := sheet{sep: ';', bom: true, crlf: true}
		file := excel.file(
			[]string{"SKU", "Product", "category", "title_fr", "title_ar", "description_fr", "price_mad", "stock", "weight_grams"},
			[]string{"ROSE-1", "eau-de-rose", "rose-products", "Eau de rose", "ماء الورد", "Distillée à Kelâat M’Gouna;\r\n100 % naturelle", "1 234,5", "١٢", "250"},
		)
		rep := mustImport(t, f.cat, operator, coop.ID, file)
		if rep.Created != 1 {
			t.Fatalf("import: %+v", rep)
		}
		p, err := f.cat.Get(ctx, operator, "eau-de-rose")
		if err != nil {
			t.Fatal(err)
		}
		if p.Texts["fr"].Description != "Distillée à Kelâat M’Gouna;\n100 % naturelle" || p.Texts["ar"].Title != "ماء الورد" {
			t.Errorf("texts: %+v", p.Texts)
		}
		if v := p.Variants[0]; v.Price.Amount != 123450 || v.Stock != 12 || v.WeightGrams != 250 {
			t.Errorf("variant: %+v", v)
		}
		// A LibreOffice file with a comma and no BOM reads the same.
		lo := plain.file(
			[]string{"sku", "product", "price_mad"},
			[]string{"ROSE-1", "eau-de-rose", "1234.50"},
		)
		if rep := mustImport(t, f.cat, operator, coop.ID, lo); counts(rep) != "0 created, 0 updated, 1 unchanged" {
			t.Fatalf("same price written otherwise: %+v", rep)
		}
	})
}

func TestCSVOneBadRowImportsNothing(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		header := []string{"sku", "product", "category", "title_fr", "title_ar", "price_mad", "stock", "certifications"}
		good := func(sku, product string) []string {
			return []string{sku, product, "argan-oil", "Huile " + sku, "", "100", "3", ""}
		}
		rows := [][]string{header}
		for i := range 40 {
			rows = append(rows, good(fmt.Sprintf("OK-%d", i), fmt.Sprintf("good-%d", i)))
		}
		bad := [][]string{
			{"B-1", "bad-price", "argan-oil", "Prix", "", "12,345", "1", ""},                          // line 42
			{"B-2", "bad-category", "weapons", "Arme", "", "10", "1", ""},                             // 43
			{"B-3", "negative-stock", "argan-oil", "Stock", "", "10", "-3", ""},                       // 44
			{"OK-7", "duplicate-sku", "argan-oil", "Doublon", "", "10", "1", ""},                      // 45
			{"B-5", "no-title", "argan-oil", "", "", "10", "1", ""},                                   // 46
			{"B-6", "bad-date", "argan-oil", "Date", "", "10", "1", "organic:Ecocert:X-1:30/06/2027"}, // 47
			{"B-7", "bad-cert", "argan-oil", "Certif", "", "10", "1", "organic"},                      // 48
			{"B-8", "no-price", "argan-oil", "Sans prix", "", "", "1", ""},                            // 49
			{"B-9", "words-price", "argan-oil", "Prix", "", "cent", "1", ""},                          // 50
			{"B-10", "differs", "argan-oil", "Titre", "", "10", "1", ""},                              // 51
			{"B-10x", "differs", "argan-oil", "Autre titre", "", "10", "1", ""},                       // 52: differs from 51
			{"B 11", "Bad_Key", "argan-oil", "Clé", "", "10", "2.5", ""},                              // 53
			{"B-12", "negative-price", "argan-oil", "Prix", "", "-5", "1", ""},                        // 54
			{"B-13", "", "argan-oil", "Sans produit", "", "10", "1", ""},                              // 55
			{"B-14", "fine", "argan-oil", "Rien à redire", "", "10", "1", ""},                         // 56
			{"B-15", "unknown-and-bad", "rugs", "Tapis", "", "-1", "1", ""},                           // 57: both found
			{"B-16", "two-titles", "argan-oil", "Titre", "عنوان", "0", "1", ""},                       // 58
		}
		rows = append(rows, bad...)
		rows = append(rows, good("OK-LAST", "good-last"))
		rep, err := importCSV(t, f.cat, ownerOf(coop), coop.ID, plain.file(rows...))
		if !errs.Is(err, errs.Invalid) {
			t.Fatalf("want invalid, got %v", err)
		}
		got := map[string]string{}
		for _, p := range rep.Problems {
			got[fmt.Sprintf("%d %s", p.Line, p.Column)] = p.Key
			if p.Row != p.Line {
				t.Errorf("row %d for line %d", p.Row, p.Line)
			}
		}
		want := map[string]string{
			"42 price_mad":      "csv.price",
			"43 category":       "field.category",
			"44 stock":          "field.negative",
			"45 sku":            "field.duplicate",
			"46 title_*":        "field.title_required",
			"47 certifications": "field.date",
			"48 certifications": "csv.certification",
			"49 price_mad":      "field.required",
			"50 price_mad":      "csv.price",
			"52 title_fr":       "csv.differs",
			"53 sku":            "field.sku",
			"53 product":        "field.slug",
			"53 stock":          "field.integer",
			"54 price_mad":      "field.negative",
			"55 product":        "field.required",
			"57 category":       "field.category",
			"57 price_mad":      "field.negative",
			"58 price_mad":      "field.positive",
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("problem at %s: got %q, want %q", k, got[k], v)
			}
		}
		if len(got) != len(want) || rep.ProblemCount != len(want) {
			t.Errorf("problems: %d listed, %d counted, want %d: %+v", len(got), rep.ProblemCount, len(want), rep.Problems)
		}
		if !slices.IsSortedFunc(rep.Problems, func(a, b catalog.Problem) int { return a.Line - b.Line }) {
			t.Errorf("problems out of line order: %+v", rep.Problems)
		}
		for _, p := range rep.Problems {
			if p.Line == 45 && p.Args["line"] != 9 {
				t.Errorf("duplicate SKU should name its first line (9): %+v", p)
			}
		}
		if e := asErr(err); e.Fields["lines[42].price_mad"] != "csv.price" {
			t.Errorf("error fields: %v", e.Fields)
		}
		if rep.Created+rep.Updated+rep.Unchanged != 0 {
			t.Errorf("counts on a refused file: %+v", rep)
		}
		for _, table := range []string{"products", "variants", "product_texts", "certifications", "search_index"} {
			if n := rowCount(t, d, table); n != 0 {
				t.Errorf("a refused file left %d rows in %s", n, table)
			}
		}
	})
}

func TestCSVProblemsAreCapped(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		rows := [][]string{{"sku", "product", "category", "title_fr", "price_mad"}}
		for i := range 1500 {
			rows = append(rows, []string{fmt.Sprintf("S-%d", i), fmt.Sprintf("p-%d", i), "argan-oil", "T", "x"})
		}
		rep, err := importCSV(t, f.cat, operator, coop.ID, plain.file(rows...))
		if !errs.Is(err, errs.Invalid) || len(rep.Problems) != catalog.MaxImportProblems || rep.ProblemCount != 1500 ||
			rep.Problems[0].Line != 2 || rep.Problems[999].Line != 1001 {
			t.Fatalf("%v: %d listed of %d, first line %d", err, len(rep.Problems), rep.ProblemCount, rep.Problems[0].Line)
		}
	})
}

func TestCSVReimportIsIdempotentAndKeepsMissingVariants(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		owner := ownerOf(coop)
		file := plain.file(oilRows()...)
		mustImport(t, f.cat, owner, coop.ID, file)
		before, _ := f.cat.Get(ctx, owner, "argan-bio")
		for range 2 {
			rep := mustImport(t, f.cat, owner, coop.ID, file)
			if counts(rep) != "0 created, 0 updated, 2 unchanged" || rep.VariantsUnchanged != 3 {
				t.Fatalf("re-import: %+v", rep)
			}
		}
		if n := rowCount(t, d, "products"); n != 2 {
			t.Fatalf("%d products after re-imports", n)
		}

		// A new price for one size, a new size, the 250 ml left out: one
		// product updated, the variant ids kept, the missing variant kept.
		rows := oilRows()
		rows[1][7] = "130"
		rows[2] = []string{"ARG-500", "argan-bio", "", "", "", "", "500 ml", "400", "5", "700", "", "", ""}
		rep := mustImport(t, f.cat, owner, coop.ID, plain.file(rows...))
		if counts(rep) != "0 created, 1 updated, 1 unchanged" || rep.VariantsCreated != 1 || rep.VariantsUpdated != 1 || rep.VariantsUnchanged != 1 {
			t.Fatalf("edit: %+v", rep)
		}
		p, err := f.cat.Get(ctx, owner, "argan-bio")
		if err != nil {
			t.Fatal(err)
		}
		skus := []string{}
		for _, v := range p.Variants {
			skus = append(skus, v.SKU)
		}
		if !slices.Equal(skus, []string{"ARG-100", "ARG-250", "ARG-500"}) || p.Variants[0].ID != before.Variants[0].ID ||
			p.Variants[1].ID != before.Variants[1].ID || p.Variants[0].Price.Amount != 13000 || p.Variants[1].Price.Amount != 25000 {
			t.Fatalf("variants after edit: %+v", p.Variants)
		}
		page, err := f.cat.List(ctx, operator, catalog.Filter{Status: catalog.Draft, Q: "huile"})
		if err != nil || page.Total != 1 {
			t.Fatalf("search after edit: %+v %v", page.Total, err)
		}

		// Columns missing from the header keep their values: a price list
		// changes prices only.
		prices := plain.file([]string{"sku", "product", "price_mad"}, []string{"AML-250", "amlou", "99"})
		if rep := mustImport(t, f.cat, owner, coop.ID, prices); counts(rep) != "0 created, 1 updated, 0 unchanged" {
			t.Fatalf("price list: %+v", rep)
		}
		a, _ := f.cat.Get(ctx, owner, "amlou")
		if a.Variants[0].Price.Amount != 9900 || a.Variants[0].Stock != 20 || a.Texts["ar"].Title != "أملو باللوز" || a.CategorySlug != "amlou-honey" {
			t.Fatalf("amlou after a price list: %+v", a)
		}
		// A SKU of another product of the vendor cannot move.
		moved := plain.file([]string{"sku", "product", "price_mad"}, []string{"AML-250", "argan-bio", "10"})
		rep, err = importCSV(t, f.cat, owner, coop.ID, moved)
		if !errs.Is(err, errs.Invalid) || len(rep.Problems) != 1 || rep.Problems[0].Column != "sku" || rep.Problems[0].Key != "field.taken" {
			t.Fatalf("moved SKU: %v %+v", err, rep.Problems)
		}
	})
}

func TestCSVKeepsPhotos(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		in := arganOil()
		in.Images = []catalog.Image{{Path: "p/flacon.jpg", Width: 1200, Height: 800, Alt: "Flacon"}}
		p, err := f.cat.Create(ctx, operator, coop.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		out := export(t, f.cat, operator, coop.ID)
		if rep := mustImport(t, f.cat, operator, coop.ID, out); counts(rep) != "0 created, 0 updated, 1 unchanged" {
			t.Fatalf("export imported back: %+v", rep)
		}
		edited := strings.ReplaceAll(out, "Huile d’argan cosmétique", "Huile d’argan pure")
		if rep := mustImport(t, f.cat, operator, coop.ID, edited); counts(rep) != "0 created, 1 updated, 0 unchanged" {
			t.Fatalf("edited title: %+v", rep)
		}
		got, _ := f.cat.Get(ctx, operator, p.Slug)
		if got.Texts["fr"].Title != "Huile d’argan pure" || len(got.Images) != 1 || got.Images[0].Path != "p/flacon.jpg" || got.Images[0].Alt != "Flacon" {
			t.Fatalf("after import: %+v %+v", got.Texts["fr"], got.Images)
		}
	})
}

// TestCSVProductCreatedMeanwhile: a product the vendor creates while its
// file is being checked is updated by the import, not duplicated.
func TestCSVProductCreatedMeanwhile(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		created := false
		rep, err := f.cat.ImportCSV(ctx, operator, coop.ID, strings.NewReader(plain.file(oilRows()...)), func(done, total int) {
			if done == total/2 && !created { // checked, not yet written
				created = true
				_, err := f.cat.Create(ctx, operator, coop.ID, catalog.Input{Slug: "amlou", Category: "amlou-honey",
					Texts: map[string]catalog.Texts{"fr": {Title: "Amlou"}}, Variants: []catalog.Variant{{SKU: "AML-250", Price: money.Dirhams(9000)}}})
				if err != nil {
					t.Errorf("create meanwhile: %v", err)
				}
			}
		})
		if err != nil || !created || counts(rep) != "1 created, 1 updated, 0 unchanged" {
			t.Fatalf("import: %v %+v", err, rep)
		}
		p, _ := f.cat.Get(ctx, operator, "amlou")
		if rowCount(t, d, "products") != 2 || p.Variants[0].Price.Amount != 9500 || p.Texts["fr"].Title != "Amlou aux amandes" {
			t.Fatalf("amlou: %+v", p)
		}
	})
}

func TestCSVOtherVendorsGetNotFound(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		mustImport(t, f.cat, ownerOf(coop), coop.ID, plain.file(oilRows()...))
		before := export(t, f.cat, operator, coop.ID)

		rows := oilRows()
		rows[1][7] = "1"
		for name, by := range map[string]auth.User{
			"other vendor's owner": ownerOf(f.vendors["dar-toubkal"]),
			"customer":             {ID: 7, Role: auth.RoleCustomer},
			"public":               {},
		} {
			if _, err := importCSV(t, f.cat, by, coop.ID, plain.file(rows...)); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s imports: %v", name, err)
			}
			if err := f.cat.ExportCSV(context.Background(), by, coop.ID, &bytes.Buffer{}); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s exports: %v", name, err)
			}
		}
		if _, err := importCSV(t, f.cat, operator, 999999, plain.file(oilRows()...)); !errs.Is(err, errs.NotFound) {
			t.Errorf("import for a vendor that does not exist: %v", err)
		}
		if after := export(t, f.cat, operator, coop.ID); after != before {
			t.Errorf("refused imports changed the catalog")
		}

		// Product keys are slugs, unique in the marketplace: another vendor's
		// file cannot take over this vendor's products.
		pub := f.vendors["dar-toubkal"]
		rep, err := importCSV(t, f.cat, ownerOf(pub), pub.ID, plain.file(oilRows()...))
		if !errs.Is(err, errs.Invalid) || len(rep.Problems) != 2 || rep.Problems[0].Column != "product" || rep.Problems[0].Key != "field.taken" {
			t.Fatalf("another vendor's product keys: %v %+v", err, rep.Problems)
		}
	})
}

func TestCSVStatusRules(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		owner := ownerOf(coop)
		rows := oilRows()
		rows[1][11] = "published"
		rep, err := importCSV(t, f.cat, owner, coop.ID, plain.file(rows...))
		if !errs.Is(err, errs.Invalid) || len(rep.Problems) != 1 || rep.Problems[0].Column != "status" ||
			rep.Problems[0].Key != "field.status_operator_only" || rep.Problems[0].Line != 2 {
			t.Fatalf("vendor publishing: %v %+v", err, rep.Problems)
		}
		rep = mustImport(t, f.cat, operator, coop.ID, plain.file(rows...))
		p, _ := f.cat.Get(ctx, owner, "argan-bio")
		if rep.Created != 2 || p.Status != catalog.Published || p.PublishedAt == nil {
			t.Fatalf("operator publishing: %+v %s", rep, p.Status)
		}
		// The owner's own export (status published) goes back in unchanged;
		// an edit keeps the product published.
		out := export(t, f.cat, owner, coop.ID)
		if rep := mustImport(t, f.cat, owner, coop.ID, out); counts(rep) != "0 created, 0 updated, 2 unchanged" {
			t.Fatalf("owner re-imports a published product: %+v", rep)
		}
		rows[1][11], rows[1][7] = "", "121"
		if rep := mustImport(t, f.cat, owner, coop.ID, plain.file(rows...)); rep.Updated != 1 {
			t.Fatalf("owner edits: %+v", rep)
		}
		if p, _ := f.cat.Get(ctx, auth.User{}, "argan-bio"); p.Status != catalog.Published || p.Variants[0].Price.Amount != 12100 {
			t.Fatalf("after the owner's edit: %s %+v", p.Status, p.Variants)
		}
	})
}

// TestCSVImportReachesListings: the index in memory and the listing cache
// learn of an import at once, as of any write through the service.
func TestCSVImportReachesListings(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		if err := f.cat.WatchIndex(ctx, time.Hour, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		list := func(q string) int {
			t.Helper()
			page, err := f.cat.List(ctx, auth.User{}, catalog.Filter{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			return page.Total
		}
		if list("أملو") != 0 {
			t.Fatal("found before the import")
		}
		rows := oilRows()
		rows[1][11], rows[3][11] = "published", "published"
		mustImport(t, f.cat, operator, coop.ID, plain.file(rows...))
		if n := list("أملو"); n != 1 {
			t.Fatalf("imported product found %d times", n)
		}
		rows[3][5] = "Amlou traditionnel"
		mustImport(t, f.cat, operator, coop.ID, plain.file(rows...))
		if list("traditionnel") != 1 || list("amandes") != 0 {
			t.Fatal("an updated title is not what listings find")
		}
		// A new price alone moves the product to another price band; a new
		// stock alone changes nothing listings see.
		band := func(code string) int {
			t.Helper()
			page, err := f.cat.List(ctx, auth.User{}, catalog.Filter{Q: "traditionnel", PriceBand: code})
			if err != nil {
				t.Fatal(err)
			}
			return page.Total
		}
		if band("0-100") != 1 {
			t.Fatal("amlou at 95 MAD is not under 100")
		}
		rows[3][7] = "120"
		if rep := mustImport(t, f.cat, operator, coop.ID, plain.file(rows...)); rep.Updated != 1 || rep.VariantsUpdated != 1 {
			t.Fatalf("new price: %+v", rep)
		}
		if band("0-100") != 0 || band("100-250") != 1 {
			t.Fatal("the price band did not follow the new price")
		}
		rows[3][8] = "7"
		if rep := mustImport(t, f.cat, operator, coop.ID, plain.file(rows...)); rep.Updated != 1 {
			t.Fatalf("new stock: %+v", rep)
		}
		if p, _ := f.cat.Get(ctx, auth.User{}, "amlou"); p.Variants[0].Stock != 7 || band("100-250") != 1 || list("traditionnel") != 1 {
			t.Fatalf("after a new stock: %+v", p.Variants)
		}
	})
}

func TestCSVEncodingAndLimits(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		// Latin-1 ("é" as one byte 0xE9) on the third line.
		latin1 := "sku,product,category,title_fr,price_mad\nA-1,a-one,argan-oil,Huile,10\nA-2,a-two,argan-oil,Pr\xe9cieuse,10\n"
		rep, err := importCSV(t, f.cat, operator, coop.ID, latin1)
		if !errs.Is(err, errs.Invalid) || len(rep.Problems) != 1 || rep.Problems[0].Line != 3 || rep.Problems[0].Key != "csv.encoding" {
			t.Fatalf("latin-1: %v %+v", err, rep.Problems)
		}
		utf16 := "\xff\xfes\x00k\x00u\x00"
		if rep, err := importCSV(t, f.cat, operator, coop.ID, utf16); !errs.Is(err, errs.Invalid) || rep.Problems[0].Key != "csv.encoding" {
			t.Fatalf("utf-16: %v %+v", err, rep.Problems)
		}
		unclosed := "sku,product,title_fr,price_mad\nA-1,a-one,\"Huile,10\n"
		if rep, err := importCSV(t, f.cat, operator, coop.ID, unclosed); !errs.Is(err, errs.Invalid) || rep.Problems[0].Key != "csv.syntax" || rep.Problems[0].Line != 2 {
			t.Fatalf("unclosed quote: %v %+v", err, rep.Problems)
		}
		header := "sku,produit,category,price\n"
		rep, err = importCSV(t, f.cat, operator, coop.ID, header)
		if !errs.Is(err, errs.Invalid) || len(rep.Problems) != 3 {
			t.Fatalf("bad header: %v %+v", err, rep.Problems)
		}
		if rep, err := importCSV(t, f.cat, operator, coop.ID, ""); !errs.Is(err, errs.Invalid) || rep.Problems[0].Column != "sku" {
			t.Fatalf("empty file: %v %+v", err, rep.Problems)
		}
		if rep, err := importCSV(t, f.cat, operator, coop.ID, "sku,product\n,\n"); err != nil || rep.Rows != 0 {
			t.Fatalf("header only: %v %+v", err, rep)
		}

		var many strings.Builder
		many.WriteString("sku,product,price_mad\n")
		for i := range catalog.MaxCSVRows + 1 {
			fmt.Fprintf(&many, "S-%d,p-%d,1\n", i, i)
		}
		if _, err := importCSV(t, f.cat, operator, coop.ID, many.String()); !errs.Is(err, errs.TooLarge) {
			t.Fatalf("%d rows: %v", catalog.MaxCSVRows+1, err)
		}
		big := "sku,product,description_fr\nS-1,p-1," + strings.Repeat("a", catalog.MaxCSVBytes) + "\n"
		if _, err := importCSV(t, f.cat, operator, coop.ID, big); !errs.Is(err, errs.TooLarge) {
			t.Fatalf("over 20 MB: %v", err)
		}
		if n := rowCount(t, d, "products"); n != 0 {
			t.Fatalf("refused files left %d products", n)
		}
	})
}

func TestCSVProgress(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		coop := f.vendors["argan-tifaouine"]
		file := benchFile("p", 300, 4, 50, 25)
		var calls [][2]int
		_, err := f.cat.ImportCSV(context.Background(), operator, coop.ID, strings.NewReader(file), func(done, total int) {
			calls = append(calls, [2]int{done, total})
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) < 6 || calls[0] != [2]int{0, 2400} || calls[len(calls)-1] != [2]int{2400, 2400} {
			t.Fatalf("progress calls: %v", calls)
		}
		for i := 1; i < len(calls); i++ {
			if calls[i][0] < calls[i-1][0] || calls[i][1] != 2400 {
				t.Fatalf("progress goes back: %v", calls)
			}
		}
	})
}

// TestCSVTemplate: the template the portal offers is the golden file under
// testdata, and it imports as it is.
func TestCSVTemplate(t *testing.T) {
	var b bytes.Buffer
	if err := catalog.CSVTemplate(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "products-template.csv")
	if *updateGolden {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Fatalf("CSVTemplate differs from %s (go test -run TestCSVTemplate -update):\n%s", golden, b.String())
	}
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pub := f.vendors["dar-toubkal"]
		rep := mustImport(t, f.cat, ownerOf(pub), pub.ID, b.String())
		if counts(rep) != "2 created, 0 updated, 0 unchanged" || rep.VariantsCreated != 3 {
			t.Fatalf("template: %+v", rep)
		}
	})
}

// benchFile is a catalog of products × variants rows, keys prefixed.
func benchFile(prefix string, products, variants, cents, stock int) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"sku", "product", "category", "title_ar", "title_zgh", "title_fr", "title_en", "variant_label", "price_mad",
		"stock", "weight_grams", "certifications", "description_fr"})
	for p := range products {
		for v := range variants {
			w.Write([]string{fmt.Sprintf("%s-%d-%d", strings.ToUpper(prefix), p, v), fmt.Sprintf("%s-product-%d", prefix, p), "argan-oil",
				fmt.Sprintf("زيت الأركان رقم %d", p), "ⴰⵣⵉⵜ ⵏ ⵡⴰⵔⴳⴰⵏ", fmt.Sprintf("Huile d’argan n° %d", p), fmt.Sprintf("Argan oil %d", p),
				fmt.Sprintf("%d ml", 100*(v+1)), fmt.Sprintf("%d,%02d", 80+v*40+p%7, cents), fmt.Sprint(stock), fmt.Sprint(150 + 100*v),
				"organic:Ecocert:MA-BIO-123:2027-06-30", "Huile pressée à froid par une coopérative de femmes de la région de Souss-Massa."})
		}
	}
	w.Flush()
	return b.String()
}

// BenchmarkImportCSV10k imports 10,000 rows — 2,500 products of 4
// variants, or 10,000 products of one — into an empty vendor ("create"),
// the same file with every price changed ("update"), every stock changed
// ("stock") and unchanged ("unchanged"), and reports rows per second. PostgreSQL runs when
// SOUK_TEST_DATABASE_URL is set.
func BenchmarkImportCSV10k(b *testing.B) {
	dbs := []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}}
	for _, dbc := range dbs {
		for _, shape := range []struct {
			name               string
			products, variants int
		}{{"2500x4", 2500, 4}, {"10000x1", 10000, 1}} {
			for _, mode := range []string{"create", "update", "stock", "unchanged"} {
				b.Run(dbc.name+"/"+shape.name+"/"+mode, func(b *testing.B) {
					d := dbc.open(b)
					ctx := context.Background()
					s := catalog.NewService(d, nil)
					vs := vendor.NewService(d, nil)
					rows := shape.products * shape.variants
					n := 0
					var vendorID int64
					newVendor := func() {
						n++
						v, err := vs.Create(ctx, operator, vendor.Input{Slug: fmt.Sprintf("coop-%d", n), Kind: "cooperative", LegalName: "Coop",
							Region: "souss-massa", City: "Agadir", CooperativeNumber: "N-1", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coop"}}}, vendor.Approved)
						if err != nil {
							b.Fatal(err)
						}
						vendorID = v.ID
					}
					importFile := func(file string) catalog.ImportReport {
						rep, err := s.ImportCSV(ctx, operator, vendorID, strings.NewReader(file), nil)
						if err != nil {
							b.Fatalf("%v: %+v", err, rep.Problems[:min(len(rep.Problems), 5)])
						}
						return rep
					}
					base := benchFile("p", shape.products, shape.variants, 50, 25)
					if mode != "create" {
						newVendor()
						importFile(base)
					}
					var took time.Duration
					i := 0
					for b.Loop() {
						i++
						file := base
						switch mode {
						case "create":
							b.StopTimer()
							newVendor()
							file = benchFile(fmt.Sprintf("p%d", n), shape.products, shape.variants, 50, 25)
							b.StartTimer()
						case "update":
							b.StopTimer()
							file = benchFile("p", shape.products, shape.variants, 1+i%40, 25)
							b.StartTimer()
						case "stock":
							b.StopTimer()
							file = benchFile("p", shape.products, shape.variants, 50, 26+i%40)
							b.StartTimer()
						}
						start := time.Now()
						rep := importFile(file)
						took += time.Since(start)
						want := map[string]int{"create": rep.Created, "update": rep.Updated, "stock": rep.Updated, "unchanged": rep.Unchanged}[mode]
						if want != shape.products || rep.Rows != rows {
							b.Fatalf("%s: %+v", mode, rep)
						}
					}
					b.ReportMetric(float64(rows*i)/took.Seconds(), "rows/s")
				})
			}
		}
	}
}
