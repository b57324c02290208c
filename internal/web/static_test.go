package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"souk/internal/app"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// The fixed pages exist in every language, linked from every footer; the
// 404 and 500 pages speak the visitor's language and help them on.
func TestStaticAndErrorPages(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		for _, c := range []struct{ path, dir, title, text string }{
			{"/ar/returns", "rtl", "الإرجاع والاسترداد", "31-08"},
			{"/fr/shipping", "ltr", "Livraison", "Amana"},
			{"/en/about", "ltr", "About souk", "72 hours"},
			{"/es/contact", "ltr", "Contacto", "contact@souk.ma"},
			{"/zgh/about", "ltr", "ⵖⴼ souk", "72"}, // Tamazight text, left to right
		} {
			resp, doc, body := s.get(c.path)
			h := find(doc, "html")
			if resp.StatusCode != 200 || attr(h[0], "dir") != c.dir || text(find(doc, "h1")[0]) != c.title || !strings.Contains(body, c.text) {
				t.Errorf("%s: %d dir=%s h1=%q", c.path, resp.StatusCode, attr(h[0], "dir"), text(find(doc, "h1")[0]))
			}
		}
		_, doc, _ := s.get("/fr/")
		if len(find(doc, "a", "href", "/fr/returns")) != 1 {
			t.Errorf("the footer does not link the returns page")
		}

		resp, doc, _ := s.get("/es/p/no-such-product")
		if resp.StatusCode != 404 || attr(find(doc, "html")[0], "lang") != "es" || len(find(doc, "form", "action", "/es/search")) != 2 ||
			len(find(doc, "a", "href", "/es/books")) != 1 {
			t.Errorf("404: status %d, not a helpful Spanish page", resp.StatusCode)
		}

		// A failing database: a 500 page in the visitor's language, nothing leaked.
		a := newApp(t, d, app.Config{})
		srv := httptest.NewServer(a.Handler())
		defer srv.Close()
		broken := site{t: t, url: srv.URL}
		d.Close()
		resp, doc, body := broken.get("/ar/c/food")
		if resp.StatusCode != 500 || attr(find(doc, "html")[0], "dir") != "rtl" || text(find(doc, "h1")[0]) == "" ||
			strings.Contains(body, "closed") || strings.Contains(body, "sql") {
			t.Errorf("500: status %d, h1 %q, body %.300s", resp.StatusCode, text(find(doc, "h1")[0]), between(body, "<main>", "</main>"))
		}
	})
}
