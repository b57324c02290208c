package web

import (
	"bytes"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/errs"
)

// While an import runs, its page refreshes itself every 2 s (Refresh
// header, and a link) and carries the script that moves the progress bar
// every second from the status; another vendor's users do not find the
// job; a job is forgotten an hour after it finished.
func TestImportJobPage(t *testing.T) {
	s, err := New(nil, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	job := s.importJobs().add(7, "produits.csv")
	job.progress(40, 200)
	show := func(vendorID int64) (*httptest.ResponseRecorder, error) {
		r := httptest.NewRequest("GET", "/vendor/products/import/"+job.id, nil)
		r.SetPathValue("job", job.id)
		w := httptest.NewRecorder()
		return w, s.portalImportJob(w, r, bo{Loc: "fr", User: auth.User{ID: 3, Role: auth.RoleVendorStaff, VendorID: vendorID}})
	}
	w, err := show(7)
	if err != nil {
		t.Fatal(err)
	}
	body := w.Body.String()
	if w.Header().Get("Refresh") != "2" {
		t.Errorf("Refresh: %q", w.Header().Get("Refresh"))
	}
	for _, want := range []string{`<progress id="import-progress" data-status="/vendor/products/import/` + job.id + `/status" max="200" value="40">`,
		`<span id="import-percent">20%</span>`, `<a class="button secondary" href="/vendor/products/import/` + job.id + `" id="refresh">`,
		`fetch(url`, `produits.csv`} {
		if !strings.Contains(body, want) {
			t.Errorf("running job page lacks %s", want)
		}
	}
	if _, err := show(8); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("another vendor: %v", err)
	}

	// While it runs, a second file waits: the form says which job runs.
	if s.importJobs().running(7) != job || s.importJobs().running(8) != nil {
		t.Error("running jobs")
	}
	var upload bytes.Buffer
	mw := multipart.NewWriter(&upload)
	fw, _ := mw.CreateFormFile("file", "encore.csv")
	fw.Write([]byte("sku,product\nA,b\n"))
	mw.Close()
	r := httptest.NewRequest("POST", "/vendor/products/import", &upload)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	w = httptest.NewRecorder()
	if err := s.portalImportStart(w, r, bo{Loc: "fr", User: auth.User{ID: 3, Role: auth.RoleVendorStaff, VendorID: 7}}); err != nil || w.Code != http.StatusConflict ||
		!strings.Contains(w.Body.String(), `href="/vendor/products/import/`+job.id+`"`) {
		t.Errorf("a second import while one runs: %d %v", w.Code, err)
	}

	job.finish(catalog.ImportReport{Created: 2}, nil)
	if s.importJobs().running(7) != nil {
		t.Error("a finished job still runs")
	}
	if w, _ := show(7); w.Header().Get("Refresh") != "" || strings.Contains(w.Body.String(), "<script") || !strings.Contains(w.Body.String(), "2 créés") {
		t.Errorf("finished job: Refresh %q", w.Header().Get("Refresh"))
	}
	job.mu.Lock()
	job.finished = time.Now().Add(-importKeep - time.Minute)
	job.mu.Unlock()
	if _, err := show(7); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("a job finished over an hour ago: %v", err)
	}
}
