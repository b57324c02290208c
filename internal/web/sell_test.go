package web_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"souk/internal/app"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

var (
	applicationPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	applicationPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
)

// applicationFile is a file chosen in one of the form's document inputs.
type applicationFile struct {
	field, name string
	data        []byte
}

// sellSite is souk with nothing in it, its documents in a temporary
// folder, served on a test server.
func sellSite(t *testing.T, d *db.DB) (market, string) {
	t.Helper()
	dir := t.TempDir()
	a := newApp(t, d, app.Config{DataDir: dir})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	a.UseAddress(srv.URL)
	return market{t: t, app: a, d: d, url: srv.URL}, filepath.Join(dir, "documents")
}

// apply posts the form as a browser does: multipart, with the files.
func (s *shopper) apply(path string, form url.Values, files []applicationFile) page {
	s.m.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		if strings.HasPrefix(k, "documents.") {
			continue // the file inputs, sent below
		}
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile(f.field, f.name)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", s.abs(path), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return s.do(req)
}

// tifaouine fills the application form of doc with a good cooperative.
func tifaouine(t *testing.T, doc *html.Node, loc string) url.Values {
	t.Helper()
	first22 := "1810000000123456789012"
	v := formValues(formOf(t, doc, "/"+loc+"/sell"), nil)
	v.Set("kind", "cooperative")
	v.Set("legal_name", "Coopérative Tifaouine pour la production d’huile d’argan")
	v.Set("texts."+loc+".display_name", "Coopérative Tifaouine")
	v.Set("texts."+loc+".story", "Fondée en 2004 par 45 femmes du douar.")
	v.Set("texts.ar.display_name", "تعاونية تيفاوين")
	v.Set("region", "souss-massa")
	v.Set("city", "Taroudant")
	v.Set("cooperative_number", "2004/123")
	v.Set("ice", "001 234 567 000 089")
	v.Set("contact_name", "Fatima Aït Lahcen")
	v.Set("email", "Contact@Tifaouine.ma")
	v.Set("phone", "06 12 34 56 78")
	v.Set("rib", first22+morocco.RIBKey(first22))
	return v
}

func writtenRows(t *testing.T, d *db.DB) string {
	t.Helper()
	var out []string
	for _, table := range []string{"vendors", "vendor_documents", "vendor_events", "outbox"} {
		out = append(out, fmt.Sprintf("%s=%d", table, count(t, d, `SELECT COUNT(*) FROM `+table)))
	}
	return strings.Join(out, " ")
}

// The form in Arabic (right to left) and French: every field labelled, the
// regions and cities in the page's language, one file input per kind of
// document, linked from the footer.
func TestSellForm(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m, _ := sellSite(t, d)
		s := m.shopper()
		for _, c := range []struct{ loc, dir, title, region, kind, label string }{
			{"ar", "rtl", "البيع على سوق", "سوس ماسة", "تعاونية", "اسم المتجر بالفرنسية (اختياري)"},
			{"fr", "ltr", "Vendre sur souk", "Souss-Massa", "Une coopérative", "Nom de la boutique en arabe (facultatif)"},
		} {
			p := s.get("/" + c.loc + "/sell")
			if p.resp.StatusCode != http.StatusOK || attr(find(p.doc, "html")[0], "dir") != c.dir || text(find(p.doc, "h1")[0]) != c.title {
				t.Fatalf("%s: %d dir=%s h1=%q", c.loc, p.resp.StatusCode, attr(find(p.doc, "html")[0], "dir"), text(find(p.doc, "h1")[0]))
			}
			form := formOf(t, p.doc, "/"+c.loc+"/sell")
			if attr(form, "enctype") != "multipart/form-data" || attr(form, "method") != "post" {
				t.Errorf("%s: form %v", c.loc, form.Attr)
			}
			for _, in := range append(find(form, "input"), append(find(form, "select"), find(form, "textarea")...)...) {
				if attr(in, "type") == "hidden" {
					continue
				}
				if id := attr(in, "id"); id == "" || len(find(form, "label", "for", id)) != 1 {
					t.Errorf("%s: %s %q has no label", c.loc, in.Data, attr(in, "name"))
				}
			}
			if got := text(byID(p.doc, "region")); !strings.Contains(got, c.region) || len(find(byID(p.doc, "region"), "option")) != len(morocco.Regions)+1 {
				t.Errorf("%s: regions %q", c.loc, got)
			}
			if !strings.Contains(text(byID(p.doc, "kind")), c.kind) {
				t.Errorf("%s: kinds %q", c.loc, text(byID(p.doc, "kind")))
			}
			if len(find(byID(p.doc, "cities"), "option")) != len(morocco.Cities) {
				t.Errorf("%s: %d cities suggested", c.loc, len(find(byID(p.doc, "cities"), "option")))
			}
			files := find(form, "input", "type", "file")
			if len(files) != len(vendor.DocumentKinds) || !hasAttr(files[0], "multiple") || attr(files[0], "name") != "documents.registration" {
				t.Errorf("%s: %d file inputs", c.loc, len(files))
			}
			if !strings.Contains(text(form), c.label) {
				t.Errorf("%s: no field %q", c.loc, c.label)
			}
			if len(find(find(p.doc, "footer")[0], "a", "href", "/"+c.loc+"/sell")) != 1 {
				t.Errorf("%s: the footer does not link the form", c.loc)
			}
		}
	})
}

// A cooperative applies in French with a PDF and a photo: one vendor
// waiting for review, its two documents, one e-mail in French; the page
// thanks them and says what comes next.
func TestSellApplication(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m, docDir := sellSite(t, d)
		s := m.shopper()
		form := tifaouine(t, s.get("/fr/sell").doc, "fr")
		loc := s.apply("/fr/sell", form, []applicationFile{
			{"documents.registration", "attestation ODCo.pdf", applicationPDF},
			{"documents.food_safety", "onssa.png", applicationPNG},
		}).location(t)
		if loc != "/fr/sell?sent=1" {
			t.Fatalf("after applying: %s", loc)
		}
		thanks := s.get(loc)
		if thanks.resp.StatusCode != http.StatusOK || len(find(thanks.doc, "form", "action", "/fr/sell")) != 0 {
			t.Fatalf("thank-you page: %d", thanks.resp.StatusCode)
		}
		for _, want := range []string{"Votre candidature est arrivée", "e-mail", "Notre équipe lit votre candidature"} {
			if !strings.Contains(text(thanks.doc), want) {
				t.Errorf("thank-you page lacks %q: %s", want, text(find(thanks.doc, "main")[0]))
			}
		}

		admin := auth.User{ID: 1, Role: auth.RoleAdmin}
		vs, n, err := m.app.Vendors.List(ctx, admin, vendor.Filter{})
		if err != nil || n != 1 {
			t.Fatalf("%d vendors: %v", n, err)
		}
		v := vs[0]
		if v.Status != vendor.Applied || v.Locale != "fr" || v.Kind != vendor.Cooperative || v.Email != "contact@tifaouine.ma" ||
			v.RIB != form.Get("rib") || v.Phone != "+212612345678" || v.ICE != "001234567000089" || v.City != "Taroudant" ||
			v.DisplayName("fr") != "Coopérative Tifaouine" || v.DisplayName("ar") != "تعاونية تيفاوين" || v.Texts["fr"].Story == "" {
			t.Errorf("vendor: %+v", v)
		}
		docs, err := m.app.Vendors.Documents(ctx, admin, v.ID)
		if err != nil || len(docs) != 2 || docs[0].Kind != vendor.Registration || docs[0].ContentType != "application/pdf" ||
			docs[1].Kind != vendor.FoodSafety || docs[1].ContentType != "image/png" || docs[1].Filename != "onssa.png" {
			t.Fatalf("documents: %+v %v", docs, err)
		}
		if _, err := os.Stat(filepath.Join(docDir, docs[0].SHA256[:2], docs[0].SHA256)); err != nil {
			t.Errorf("the PDF is not in the document store: %v", err)
		}
		var to, subject string
		if n := count(t, d, `SELECT COUNT(*) FROM outbox`); n != 1 {
			t.Fatalf("%d e-mails queued", n)
		}
		if err := d.Read().QueryRowContext(ctx, `SELECT recipient, subject FROM outbox`).Scan(&to, &subject); err != nil ||
			to != "contact@tifaouine.ma" || !strings.Contains(subject, "Nous avons bien reçu") {
			t.Errorf("e-mail: %q %q %v", to, subject, err)
		}
	})
}

// A bad RIB, a bad e-mail and a text file named .pdf: 422, each problem in
// French beside its field and in the summary, what was typed still there,
// files to be chosen again, nothing written.
func TestSellRefused(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m, docDir := sellSite(t, d)
		s := m.shopper()
		form := tifaouine(t, s.get("/fr/sell").doc, "fr")
		form.Set("rib", "1234 5678")
		form.Set("email", "contact.tifaouine.ma")
		before := writtenRows(t, d)
		p := s.apply("/fr/sell", form, []applicationFile{
			{"documents.registration", "attestation.pdf", []byte("Bonjour, voici notre attestation.\n")},
			{"documents.food_safety", "onssa.png", applicationPNG},
		})
		if p.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("refused application: %d, want 422; %s", p.resp.StatusCode, errorsOf(p.doc))
		}
		if after := writtenRows(t, d); after != before {
			t.Errorf("a refused application wrote: %s, then %s", before, after)
		}
		if entries, _ := os.ReadDir(docDir); len(entries) != 0 {
			t.Errorf("a refused application stored %d documents", len(entries))
		}

		summary := find(p.doc, "div", "class", "errors")
		if len(summary) != 1 {
			t.Fatalf("no summary: %s", errorsOf(p.doc))
		}
		links := map[string]string{}
		for _, a := range find(summary[0], "a") {
			links[attr(a, "href")] = text(a)
		}
		for href, want := range map[string]string{
			"#rib":                    "RIB (facultatif) : doit être un RIB de 24 chiffres avec une clé correcte",
			"#email":                  "E-mail : n’est pas une adresse e-mail valide",
			"#documents-registration": "Attestation d’enregistrement, « attestation.pdf » : Envoyez un PDF ou une photo",
		} {
			if !strings.Contains(links[href], want) {
				t.Errorf("summary link %s: %q, want %q", href, links[href], want)
			}
		}
		if len(links) != 3 {
			t.Errorf("summary: %v", links)
		}
		for _, id := range []string{"rib", "email", "documents-registration"} {
			in := byID(p.doc, id)
			if attr(in, "aria-invalid") != "true" || !strings.Contains(attr(in, "aria-describedby"), id+"-error") || byID(p.doc, id+"-error") == nil {
				t.Errorf("%s: aria-invalid=%q aria-describedby=%q", id, attr(in, "aria-invalid"), attr(in, "aria-describedby"))
			}
		}
		if in := byID(p.doc, "legal_name"); attr(in, "aria-invalid") != "" {
			t.Errorf("a good field is marked invalid")
		}
		kept := formValues(formOf(t, p.doc, "/fr/sell"), nil)
		for _, name := range []string{"texts.fr.display_name", "texts.ar.display_name", "legal_name", "email", "rib", "city", "kind", "region"} {
			if kept.Get(name) != form.Get(name) {
				t.Errorf("%s: %q after the refusal, typed %q", name, kept.Get(name), form.Get(name))
			}
		}
		if story := byID(p.doc, "texts-fr-story"); textOf(story) != form.Get("texts.fr.story") {
			t.Errorf("story: %q", textOf(story))
		}
		if again := byID(p.doc, "files-again"); !strings.Contains(textOf(again), "choisissez de nouveau vos fichiers") ||
			!strings.Contains(attr(byID(p.doc, "documents-food_safety"), "aria-describedby"), "files-again") {
			t.Errorf("no word that the files must be chosen again: %q", textOf(again))
		}

		// In Arabic, a shop without a name in any language: the name field says so.
		form = tifaouine(t, s.get("/ar/sell").doc, "ar")
		form.Set("texts.ar.display_name", "")
		form.Set("texts.fr.display_name", "")
		p = s.apply("/ar/sell", form, nil)
		if p.resp.StatusCode != http.StatusUnprocessableEntity || attr(byID(p.doc, "texts-ar-display_name"), "aria-invalid") != "true" ||
			!strings.Contains(textOf(byID(p.doc, "texts-ar-display_name-error")), "يلزم اسم بلغة واحدة على الأقل") || byID(p.doc, "files-again") != nil {
			t.Errorf("no name, in Arabic: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}
		if after := writtenRows(t, d); after != before {
			t.Errorf("a refused application wrote: %s, then %s", before, after)
		}
	})
}

// A body over the limit is a page that says so in the visitor's language,
// announced (Content-Length) or found while reading (chunked); nothing is
// written and the server carries on.
func TestSellTooLarge(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m, _ := sellSite(t, d)
		before := writtenRows(t, d)
		host := strings.TrimPrefix(m.url, "http://")
		const limit = vendor.MaxDocuments*vendor.MaxDocumentBytes + 1<<20
		head := "--b\r\nContent-Disposition: form-data; name=\"legal_name\"\r\n\r\nCoopérative\r\n" +
			"--b\r\nContent-Disposition: form-data; name=\"documents.other\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"

		check := func(what string, resp *http.Response) {
			t.Helper()
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			doc, err := html.Parse(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(errorsOf(doc), "Vos fichiers sont trop lourds ensemble") ||
				len(find(doc, "form", "action", "/fr/sell")) != 1 {
				t.Errorf("%s: %d %q", what, resp.StatusCode, errorsOf(doc))
			}
		}

		// Announced: refused before reading.
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /fr/sell HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n%s",
			host, limit+1, head)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		check("announced", resp)

		// Chunked: read up to the limit, then refused (once: it moves 100 MB).
		if d.Dialect == db.SQLite {
			body := io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, limit))
			req, _ := http.NewRequest("POST", m.url+"/fr/sell", body)
			req.ContentLength = -1
			req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			check("chunked", resp)
		}
		if after := writtenRows(t, d); after != before {
			t.Errorf("a refused application wrote: %s, then %s", before, after)
		}
		if p := m.shopper().get("/fr/sell"); p.resp.StatusCode != http.StatusOK {
			t.Errorf("the form after a refusal: %d", p.resp.StatusCode)
		}
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// A signed-in customer applies too: the form carries their CSRF token in
// the multipart body; without it the post is refused.
func TestSellSignedIn(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m, _ := sellSite(t, d)
		s := m.shopper()
		reg := formValues(formOf(t, s.get("/fr/account/register").doc, "/fr/account/register"), nil)
		reg.Set("name", "Fatima")
		reg.Set("email", "fatima@example.ma")
		reg.Set("password", "argan et amlou 2004")
		s.post("/fr/account/register", reg).location(t)
		form := tifaouine(t, s.get("/fr/sell").doc, "fr")
		if form.Get("csrf_token") == "" {
			t.Fatal("no CSRF token in a signed-in visitor's form")
		}
		token := form.Get("csrf_token")
		form.Del("csrf_token")
		if p := s.apply("/fr/sell", form, nil); p.resp.StatusCode != http.StatusForbidden {
			t.Errorf("without the token: %d", p.resp.StatusCode)
		}
		form.Set("csrf_token", token)
		if loc := s.apply("/fr/sell", form, []applicationFile{{"documents.registration", "a.pdf", applicationPDF}}).location(t); loc != "/fr/sell?sent=1" {
			t.Errorf("signed in: %s", loc)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM vendor_documents`); n != 1 {
			t.Errorf("%d documents", n)
		}
	})
}
