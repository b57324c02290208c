package web

import (
	"bytes"
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime/multipart"
	"net/http"
	"sync"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/errs"
	"souk/internal/i18n"
)

// The catalog as a spreadsheet: the vendor downloads its products (or an
// empty template) as CSV, edits them in LibreOffice or Excel, and sends the
// file back. The import runs in the background (a big file takes a few
// seconds) while the page shows its progress; then it says what was
// created and changed, or lists every problem — and then nothing was
// imported (catalog.ImportCSV is all or nothing).
//
// Jobs live in the memory of the node that runs them: the page of a job
// must be asked of that node (a load balancer without sticky sessions may
// answer "not found" on another), and a restart forgets them. A job is
// forgotten an hour after it finished.

// importJS polls a running import's status and moves the progress bar;
// inlined in the job's page (the back office's fingerprinted scripts are
// set up in backoffice.go).
//
//go:embed assets/import.js
var importJS string

// importTimeout bounds one import in the background.
const importTimeout = 15 * time.Minute

// importKeep is how long a finished job is kept for its page.
const importKeep = time.Hour

// importJob is one import running or finished.
type importJob struct {
	id       string
	vendorID int64
	file     string

	mu       sync.Mutex
	done     int
	total    int
	finished time.Time // zero while running
	report   catalog.ImportReport
	err      error
}

func (j *importJob) progress(done, total int) {
	j.mu.Lock()
	j.done, j.total = done, total
	j.mu.Unlock()
}

func (j *importJob) finish(rep catalog.ImportReport, err error) {
	j.mu.Lock()
	j.report, j.err, j.finished = rep, err, time.Now()
	if err == nil {
		j.done = j.total
	}
	j.mu.Unlock()
}

// importState is a copy of a job's state, read under its lock.
type importState struct {
	Done, Total int
	Finished    bool
	Report      catalog.ImportReport
	Err         error
}

func (j *importJob) state() importState {
	j.mu.Lock()
	defer j.mu.Unlock()
	return importState{Done: j.done, Total: j.total, Finished: !j.finished.IsZero(), Report: j.report, Err: j.err}
}

// importJobs are a server's jobs by id.
type importJobs struct {
	mu   sync.Mutex
	jobs map[string]*importJob
}

// jobStores holds each Server's jobs (a Server has no field for them).
var jobStores sync.Map // *Server → *importJobs

func (s *Server) importJobs() *importJobs {
	v, _ := jobStores.LoadOrStore(s, &importJobs{jobs: map[string]*importJob{}})
	return v.(*importJobs)
}

// sweep forgets the jobs finished more than importKeep ago; call with mu held.
func (js *importJobs) sweep(now time.Time) {
	for id, j := range js.jobs {
		j.mu.Lock()
		old := !j.finished.IsZero() && now.Sub(j.finished) > importKeep
		j.mu.Unlock()
		if old {
			delete(js.jobs, id)
		}
	}
}

func (js *importJobs) add(vendorID int64, file string) *importJob {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	j := &importJob{id: hex.EncodeToString(b), vendorID: vendorID, file: file}
	js.mu.Lock()
	defer js.mu.Unlock()
	js.sweep(time.Now())
	js.jobs[j.id] = j
	return j
}

// running is vendorID's import still running, or nil.
func (js *importJobs) running(vendorID int64) *importJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	for _, j := range js.jobs {
		if j.vendorID != vendorID {
			continue
		}
		j.mu.Lock()
		busy := j.finished.IsZero()
		j.mu.Unlock()
		if busy {
			return j
		}
	}
	return nil
}

// get finds a job of vendorID; another vendor's is not found.
func (js *importJobs) get(id string, vendorID int64) (*importJob, error) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.sweep(time.Now())
	j, ok := js.jobs[id]
	if !ok || j.vendorID != vendorID {
		return nil, errs.NotFoundE("import")
	}
	return j, nil
}

// lazyHeader writes a download's headers with its first byte, so that a
// failure before any byte is still an error page.
type lazyHeader struct {
	w           http.ResponseWriter
	contentType string
	filename    string
	started     bool
}

func (l *lazyHeader) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		h := l.w.Header()
		h.Set("Content-Type", l.contentType)
		h.Set("Content-Disposition", `attachment; filename="`+l.filename+`"`)
		h.Set("X-Content-Type-Options", "nosniff")
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(b)
}

// portalProductsExport downloads the vendor's products as CSV.
func (s *Server) portalProductsExport(w http.ResponseWriter, r *http.Request, c bo) error {
	out := &lazyHeader{w: w, contentType: "text/csv; charset=utf-8", filename: "products.csv"}
	err := s.Catalog.ExportCSV(r.Context(), c.User, c.User.VendorID, out)
	if err != nil && out.started {
		s.Log.Error("export products", "vendor", c.User.VendorID, "err", err)
		return nil // the download is cut short: the browser says it failed
	}
	return err
}

// portalProductsTemplate downloads the empty CSV template.
func (s *Server) portalProductsTemplate(w http.ResponseWriter, r *http.Request, c bo) error {
	var buf bytes.Buffer
	if err := catalog.CSVTemplate(&buf); err != nil {
		return err
	}
	out := &lazyHeader{w: w, contentType: "text/csv; charset=utf-8", filename: "products-template.csv"}
	_, err := out.Write(buf.Bytes())
	return err
}

type importFormData struct {
	File     formField
	Problems []problem
	Running  string // the page of the vendor's import still running, "" for none
}

func importFileField(loc string) formField {
	return formField{ID: "file", Name: "file", Label: i18n.T(loc, "products.import_file", nil), Type: "file",
		Help: i18n.T(loc, "products.import_file_help", nil), Required: true}
}

// portalImportForm explains the file and asks for it.
func (s *Server) portalImportForm(w http.ResponseWriter, r *http.Request, c bo) error {
	d := importFormData{File: importFileField(c.Loc)}
	if j := s.importJobs().running(c.User.VendorID); j != nil {
		d.Running = "/vendor/products/import/" + j.id
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_import", i18n.T(c.Loc, "products.nav_import", nil), d)
}

// portalImportStart reads the file sent and starts its import in the
// background, then sends the browser to the job's page.
func (s *Server) portalImportStart(w http.ResponseWriter, r *http.Request, c bo) error {
	d := importFormData{File: importFileField(c.Loc)}
	refuse := func(status int, key string, args map[string]any) error {
		d.File.Error = i18n.T(c.Loc, key, args)
		d.Problems = []problem{{ID: d.File.ID, Text: i18n.T(c.Loc, "shop.field_error", map[string]any{"field": d.File.Label, "problem": d.File.Error})}}
		return s.renderBO(w, r, c, status, "portal_import", i18n.T(c.Loc, "products.nav_import", nil), d)
	}
	tooLarge := map[string]any{"limit": "20 MB"}
	r.Body = http.MaxBytesReader(w, r.Body, catalog.MaxCSVBytes+1<<20)
	err := r.ParseMultipartForm(8 << 20) // a no-op when auth.CSRF parsed it already
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	var mb *http.MaxBytesError
	switch {
	case err == nil, errors.Is(err, http.ErrNotMultipart):
	case errors.As(err, &mb), errors.Is(err, multipart.ErrMessageTooLarge):
		return refuse(http.StatusRequestEntityTooLarge, "error.too_large", tooLarge)
	default:
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	var fh *multipart.FileHeader
	if r.MultipartForm != nil {
		for _, f := range r.MultipartForm.File["file"] {
			if f.Filename != "" || f.Size > 0 {
				fh = f
				break
			}
		}
	}
	if fh == nil {
		return refuse(http.StatusUnprocessableEntity, "products.import_choose", nil)
	}
	if fh.Size > catalog.MaxCSVBytes {
		return refuse(http.StatusRequestEntityTooLarge, "error.too_large", tooLarge)
	}
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("import: open upload: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(f, catalog.MaxCSVBytes+1))
	f.Close()
	if err != nil {
		return fmt.Errorf("import: read upload: %w", err)
	}
	if len(data) == 0 {
		return refuse(http.StatusUnprocessableEntity, "products.import_empty", nil)
	}
	// One import at a time per vendor: a second would wait for the first's
	// transaction anyway, and the vendor would not know which one won.
	if j := s.importJobs().running(c.User.VendorID); j != nil {
		d.Running = "/vendor/products/import/" + j.id
		return refuse(http.StatusConflict, "products.import_busy", nil)
	}
	job := s.importJobs().add(c.User.VendorID, fh.Filename)
	s.runImport(job, c.User, data)
	http.Redirect(w, r, "/vendor/products/import/"+job.id, http.StatusSeeOther)
	return nil
}

// runImport imports data for job in a goroutine of its own, with its own
// context: the request that sent the file ends at once.
func (s *Server) runImport(job *importJob, by auth.User, data []byte) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), importTimeout)
		defer cancel()
		defer func() {
			if p := recover(); p != nil {
				s.Log.Error("panic in product import", "vendor", job.vendorID, "panic", p)
				job.finish(catalog.ImportReport{}, fmt.Errorf("panic: %v", p))
			}
		}()
		rep, err := s.Catalog.ImportCSV(ctx, by, job.vendorID, bytes.NewReader(data), job.progress)
		if err != nil && errs.CodeOf(err) != errs.Invalid && errs.CodeOf(err) != errs.TooLarge {
			s.Log.Error("product import", "vendor", job.vendorID, "err", err)
		}
		job.finish(rep, err)
	}()
}

type importProblemRow struct {
	Line, Row int
	Column    string
	Text      string
}

type importJobData struct {
	File      string
	Running   bool
	Done      int
	Total     int
	Percent   int
	URL       string
	StatusURL string
	Script    template.JS
	// When finished: the counts, or the problems (nothing imported), or
	// why it failed.
	OK           bool
	Counts       string
	Variants     string
	Problems     []importProblemRow
	More         int // problems found beyond those listed
	ProblemCount int
	Failed       string
}

func importPercent(done, total int) int {
	if total <= 0 {
		return 0
	}
	return min(100, done*100/total)
}

// importProblemText is a problem of the file in words.
func importProblemText(loc string, p catalog.Problem) string {
	text := i18n.T(loc, p.Key, p.Args)
	switch {
	case p.Key == "field.duplicate" && p.Args["line"] != nil:
		text = i18n.T(loc, "products.import_duplicate", map[string]any{"problem": text, "line": p.Args["line"]})
	case p.Key == "field.taken" && p.Args["product"] != nil:
		text = i18n.T(loc, "products.import_taken", map[string]any{"problem": text, "product": p.Args["product"]})
	}
	return text
}

// portalImportJob shows a job: its progress while it runs (the page
// refreshes itself every 2 s, or a script moves the bar every second),
// then what it did.
func (s *Server) portalImportJob(w http.ResponseWriter, r *http.Request, c bo) error {
	job, err := s.importJobs().get(r.PathValue("job"), c.User.VendorID)
	if err != nil {
		return err
	}
	st := job.state()
	d := importJobData{File: job.file, Running: !st.Finished, Done: st.Done, Total: st.Total, Percent: importPercent(st.Done, st.Total),
		URL: "/vendor/products/import/" + job.id, StatusURL: "/vendor/products/import/" + job.id + "/status"}
	if d.Running {
		w.Header().Set("Refresh", "2")
		d.Script = template.JS(importJS)
	} else {
		rep := st.Report
		switch {
		case st.Err == nil:
			d.OK = true
			d.Counts = i18n.T(c.Loc, "products.import_counts", map[string]any{"created": rep.Created, "updated": rep.Updated, "unchanged": rep.Unchanged})
			d.Variants = i18n.T(c.Loc, "products.import_variants", map[string]any{"created": rep.VariantsCreated, "updated": rep.VariantsUpdated,
				"unchanged": rep.VariantsUnchanged})
		case rep.ProblemCount > 0:
			for _, p := range rep.Problems {
				d.Problems = append(d.Problems, importProblemRow{Line: p.Line, Row: p.Row, Column: p.Column, Text: importProblemText(c.Loc, p)})
			}
			d.More, d.ProblemCount = rep.ProblemCount-len(rep.Problems), rep.ProblemCount
		default:
			d.Failed = errorText(c.Loc, st.Err)
		}
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_import_job", i18n.T(c.Loc, "products.import_job_title", nil), d)
}

// portalImportStatus is a job's progress for the page's script.
func (s *Server) portalImportStatus(w http.ResponseWriter, r *http.Request, c bo) error {
	job, err := s.importJobs().get(r.PathValue("job"), c.User.VendorID)
	if err != nil {
		return err
	}
	st := job.state()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	return json.NewEncoder(w).Encode(map[string]any{"done": st.Done, "total": st.Total, "percent": importPercent(st.Done, st.Total),
		"finished": st.Finished, "ok": st.Finished && st.Err == nil})
}
