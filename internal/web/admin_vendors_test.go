package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/vendor"
)

var _ = authzRows(map[string]string{
	"GET /admin/vendors":                          "moderator admin",
	"POST /admin/vendors/review":                  "moderator admin",
	"GET /admin/vendors/{vendor}":                 "moderator admin",
	"GET /admin/vendors/{vendor}/documents/{doc}": "moderator admin",
	"POST /admin/vendors/{vendor}/review":         "moderator admin",
	"GET /admin/audit":                            "admin",
})

// operatorIn is a browser signed in (in French) as a new operator.
func operatorIn(t *testing.T, m market, role auth.Role, email string) *shopper {
	t.Helper()
	const password = "a-long-password-1"
	if _, err := m.app.Auth.CreateUser(context.Background(), auth.NewUser{Email: email, Name: "Karim " + string(role),
		Password: password, Role: role, Locale: "fr"}); err != nil {
		t.Fatal(err)
	}
	s := m.shopper()
	if p := s.post("/fr/account/signin", url.Values{"email": {email}, "password": {password}}); p.resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", email, p.resp.StatusCode)
	}
	return s
}

// applicant sends an application in French and returns the vendor.
func applicant(t *testing.T, m market, name, region string, kind vendor.Kind, docs ...vendor.Upload) vendor.Vendor {
	t.Helper()
	slug := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	v, err := m.app.Vendors.Apply(context.Background(), vendor.Application{Locale: "fr", Input: vendor.Input{Kind: kind,
		LegalName: name, Region: region, City: "Ville", CooperativeNumber: "2020/1", Email: slug + "@example.ma",
		ContactName: "Hassan", Texts: map[string]vendor.Texts{"fr": {DisplayName: name}}}, Documents: docs})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// queueRows are the vendor ids the queue page lists, in order.
func queueRows(t *testing.T, p page) []string {
	t.Helper()
	if p.resp.StatusCode != http.StatusOK {
		t.Fatalf("queue: %d %s", p.resp.StatusCode, errorsOf(p.doc))
	}
	var out []string
	for _, tr := range find(p.doc, "tr") {
		if id := attr(tr, "id"); strings.HasPrefix(id, "vendor-") {
			out = append(out, strings.TrimPrefix(id, "vendor-"))
		}
	}
	return out
}

func ids(vs ...vendor.Vendor) []string {
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprint(v.ID))
	}
	return out
}

func statusOf(t *testing.T, m market, id int64) vendor.Status {
	t.Helper()
	v, err := m.app.Vendors.ByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Status
}

// The queue: applications by default, narrowed by region and by words,
// a bad date named and left out, 50 a page with the filters kept.
func TestConsoleVendorQueue(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		mod := operatorIn(t, m, auth.RoleModerator, "moderator@souk.ma")
		tissint := applicant(t, m, "Cooperative Tissint", "guelmim-oued-noun", vendor.Cooperative)
		cuir := applicant(t, m, "Atelier Cuir Fes", "fes-meknes", vendor.Artisan)
		amal := applicant(t, m, "Cooperative Amal", "guelmim-oued-noun", vendor.Cooperative)

		all := mod.get("/admin/vendors")
		if got, want := queueRows(t, all), ids(tissint, cuir, amal); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("queue: %v, want the three applications %v (not the approved tifaouine)", got, want)
		}
		if c := textOf(byID(all.doc, "vendor-count")); !strings.Contains(c, "3 vendeurs") {
			t.Errorf("count: %q", c)
		}
		row := textOf(byID(all.doc, "vendor-"+fmt.Sprint(cuir.ID)))
		for _, want := range []string{"Atelier Cuir Fes", "Un artisan", "Fès-Meknès", "Ville", "En attente de décision"} {
			if !strings.Contains(row, want) {
				t.Errorf("row %q lacks %q", row, want)
			}
		}
		if got := queueRows(t, mod.get("/admin/vendors?region=guelmim-oued-noun")); strings.Join(got, ",") != strings.Join(ids(tissint, amal), ",") {
			t.Errorf("by region: %v", got)
		}
		if got := queueRows(t, mod.get("/admin/vendors?region=guelmim-oued-noun&q=amal")); strings.Join(got, ",") != strings.Join(ids(amal), ",") {
			t.Errorf("by region and words: %v", got)
		}
		if got := queueRows(t, mod.get("/admin/vendors?status=approved")); len(got) != 1 {
			t.Errorf("approved: %v, want tifaouine", got)
		}

		bad := mod.get("/admin/vendors?from=2024-13-45&region=atlantis")
		if got := queueRows(t, bad); len(got) != 3 {
			t.Errorf("bad filters left out: %v", got)
		}
		if e := textOf(byID(bad.doc, "filter-problems")); !strings.Contains(e, "Du") || !strings.Contains(e, "AAAA-MM-JJ") && !strings.Contains(e, "YYYY") {
			t.Errorf("the bad date is not named: %q", e)
		}
		if in := byID(bad.doc, "filter-from"); in == nil || attr(in, "value") != "2024-13-45" || attr(in, "aria-invalid") != "true" {
			t.Errorf("the bad date is not kept and marked beside its field")
		}

		// 51 exporters: two pages, the filter kept from one to the next.
		for i := range 51 {
			if _, err := m.app.Vendors.Create(context.Background(), operator, vendor.Input{Kind: vendor.Exporter,
				LegalName: fmt.Sprintf("Export %02d", i), Region: "oriental", City: "Oujda",
				Texts: map[string]vendor.Texts{"fr": {DisplayName: fmt.Sprintf("Export %02d", i)}}}, vendor.Applied); err != nil {
				t.Fatal(err)
			}
		}
		first := mod.get("/admin/vendors?kind=exporter")
		if got := queueRows(t, first); len(got) != 50 {
			t.Fatalf("page 1: %d rows", len(got))
		}
		next := find(first.doc, "a", "rel", "next")
		if len(next) != 1 || !strings.Contains(attr(next[0], "href"), "kind=exporter") || !strings.Contains(attr(next[0], "href"), "page=2") {
			t.Fatalf("next page link: %v", next)
		}
		if got := queueRows(t, mod.get(attr(next[0], "href"))); len(got) != 1 {
			t.Errorf("page 2: %d rows", len(got))
		}
	})
}

// One decision on many: the one still waiting is approved (its owner
// e-mailed), the one already rejected is reported with the reason and
// left alone; the operator is back on the same filtered queue. A
// rejection without its reason is refused (422, the field named) and
// changes nothing.
func TestConsoleBulkReview(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		mod := operatorIn(t, m, auth.RoleModerator, "moderator@souk.ma")
		waiting := applicant(t, m, "Cooperative Tissint", "guelmim-oued-noun", vendor.Cooperative)
		decided := applicant(t, m, "Cooperative Amal", "guelmim-oued-noun", vendor.Cooperative)
		other := applicant(t, m, "Atelier Cuir Fes", "fes-meknes", vendor.Artisan)
		if _, err := m.app.Vendors.Review(ctx, operator, decided.ID, vendor.Decision{Action: vendor.Reject, Note: "Pièces illisibles"}); err != nil {
			t.Fatal(err)
		}
		mails := func(v vendor.Vendor, event string) int {
			return count(t, d, fmt.Sprintf(`SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'vendor:%d:%s:%%'`, v.ID, event))
		}

		queue := mod.get("/admin/vendors?region=guelmim-oued-noun")
		form := formValues(formOf(t, queue.doc, "/admin/vendors/review"), nil)
		form["id"] = ids(waiting, decided)
		form.Set("action", "approve")
		back := mod.post("/admin/vendors/review", form).location(t)
		if back != "/admin/vendors?region=guelmim-oued-noun" {
			t.Errorf("back to %q, want the same filtered queue", back)
		}
		if statusOf(t, m, waiting.ID) != vendor.Approved || statusOf(t, m, decided.ID) != vendor.Rejected {
			t.Fatalf("statuses: %s %s", statusOf(t, m, waiting.ID), statusOf(t, m, decided.ID))
		}
		if mails(waiting, "approve") != 1 || mails(decided, "approve") != 0 {
			t.Errorf("approval e-mails: %d to the approved, %d to the rejected", mails(waiting, "approve"), mails(decided, "approve"))
		}
		result := mod.get(back)
		if done := textOf(byID(result.doc, "bulk-done")); !strings.Contains(done, "Accepter") || !strings.Contains(done, "1 vendeur") {
			t.Errorf("result: %q", done)
		}
		failed := textOf(byID(result.doc, "bulk-failed"))
		if !strings.Contains(failed, "Cooperative Amal") || !strings.Contains(failed, "Refusé") || strings.Contains(failed, "Tissint") {
			t.Errorf("failures: %q", failed)
		}
		if again := mod.get(back); byID(again.doc, "bulk-done") != nil {
			t.Errorf("the result shows once")
		}

		// A rejection without its reason.
		form = formValues(formOf(t, mod.get("/admin/vendors").doc, "/admin/vendors/review"), nil)
		form["id"] = ids(other)
		form.Set("action", "reject")
		before := mails(other, "reject")
		p := mod.post("/admin/vendors/review", form)
		if p.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("reject without a reason: %d", p.resp.StatusCode)
		}
		if note := byID(p.doc, "bulk-note"); note == nil || attr(note, "aria-invalid") != "true" {
			t.Errorf("the note is not marked")
		}
		if e := textOf(byID(p.doc, "bulk-problems")); !strings.Contains(e, "Motif ou question") {
			t.Errorf("problems: %q", e)
		}
		if c := find(p.doc, "input", "value", fmt.Sprint(other.ID)); len(c) != 1 || !hasAttr(c[0], "checked") {
			t.Errorf("the ticked vendor is not ticked any more")
		}
		if statusOf(t, m, other.ID) != vendor.Applied || mails(other, "reject") != before {
			t.Errorf("a refused form changed something")
		}
		// Nothing ticked.
		form.Del("id")
		form.Set("note", "Pièces manquantes")
		if p := mod.post("/admin/vendors/review", form); p.resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(textOf(byID(p.doc, "bulk-problems")), "200") {
			t.Errorf("nothing ticked: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}
	})
}

var (
	pdfBytes = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 40)...)
)

// One vendor's file: what was sent, the documents (downloaded with the
// exact bytes, as attachments), decisions (a rejection needs its reason;
// a question shows in the queue; deciding twice is a conflict), and for
// admins the link to the vendor's changes.
func TestConsoleVendorFile(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		mod := operatorIn(t, m, auth.RoleModerator, "moderator@souk.ma")
		admin := operatorIn(t, m, auth.RoleAdmin, "admin@souk.ma")
		v := applicant(t, m, "Cooperative Tissint", "guelmim-oued-noun", vendor.Cooperative,
			vendor.Upload{Kind: vendor.Registration, Filename: "النظام الأساسي.pdf", Data: pdfBytes},
			vendor.Upload{Kind: vendor.FoodSafety, Filename: "onssa.png", Data: pngBytes})
		path := fmt.Sprintf("/admin/vendors/%d", v.ID)

		file := mod.get(path)
		if file.resp.StatusCode != http.StatusOK {
			t.Fatalf("vendor file: %d", file.resp.StatusCode)
		}
		facts := textOf(find(file.doc, "dl")[0])
		for _, want := range []string{"Cooperative Tissint", "2020/1", "cooperative-tissint@example.ma", "Hassan", "Guelmim-Oued Noun", "Français"} {
			if !strings.Contains(facts, want) {
				t.Errorf("the file lacks %q", want)
			}
		}
		docs := find(byID(file.doc, "documents"), "tr")
		if len(docs) != 3 || !strings.Contains(textOf(docs[1]), "النظام الأساسي.pdf") || !strings.Contains(textOf(docs[1]), "Attestation d’enregistrement") ||
			!strings.Contains(textOf(docs[2]), "onssa.png") {
			t.Fatalf("documents: %d rows", len(docs))
		}
		links := find(docs[1], "a")
		if len(links) != 1 {
			t.Fatal("no download link")
		}
		dl := mod.get(attr(links[0], "href"))
		h := dl.resp.Header
		if dl.resp.StatusCode != http.StatusOK || dl.body != string(pdfBytes) {
			t.Fatalf("download: %d, %d bytes", dl.resp.StatusCode, len(dl.body))
		}
		fallback := strings.Map(func(r rune) rune {
			if r > 0x7e {
				return '_'
			}
			return r
		}, "النظام الأساسي.pdf")
		wantDisp := `attachment; filename="` + fallback + `"; filename*=UTF-8''` + url.PathEscape("النظام الأساسي.pdf")
		if h.Get("Content-Type") != "application/pdf" || h.Get("Content-Disposition") != wantDisp ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "private, no-store" {
			t.Errorf("download headers: %v", h)
		}
		if p := mod.get(fmt.Sprintf("/admin/vendors/%d/documents/999999", v.ID)); p.resp.StatusCode != http.StatusNotFound {
			t.Errorf("another document: %d", p.resp.StatusCode)
		}

		// A rejection without its reason: named beside the field, nothing changes.
		token := formValues(formOf(t, file.doc, path+"/review"), nil).Get("csrf_token")
		p := mod.post(path+"/review", url.Values{"csrf_token": {token}, "action": {"reject"}, "note": {"  "}})
		if p.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("reject without a reason: %d", p.resp.StatusCode)
		}
		if e := byID(p.doc, "note-reject-error"); e == nil || len(find(byID(p.doc, "problems"), "a", "href", "#note-reject")) != 1 {
			t.Errorf("the reason is not named: %s", errorsOf(p.doc))
		}
		if statusOf(t, m, v.ID) != vendor.Applied {
			t.Fatal("a refused rejection changed the status")
		}

		// A question: the queue shows the application waiting for information.
		ask := mod.post(path+"/review", url.Values{"csrf_token": {token}, "action": {"ask_info"}, "note": {"Envoyez le certificat ONSSA lisible."}})
		if loc := ask.location(t); loc != path+"?done=console.vendors.done.ask_info" {
			t.Errorf("after asking: %s", loc)
		}
		row := byID(mod.get("/admin/vendors").doc, fmt.Sprintf("vendor-%d", v.ID))
		if row == nil || len(find(row, "span", "class", "badge warn info-requested")) != 1 {
			t.Errorf("no “information requested” badge in the queue")
		}
		if got := queueRows(t, mod.get("/admin/vendors?waiting=no")); len(got) != 0 {
			t.Errorf("waiting=no still lists %v", got)
		}

		// Approved, then approved again: a conflict, said in words.
		if loc := mod.post(path+"/review", url.Values{"csrf_token": {token}, "action": {"approve"}}).location(t); !strings.Contains(loc, "done=console.vendors.done.approve") {
			t.Errorf("after approving: %s", loc)
		}
		again := mod.post(path+"/review", url.Values{"csrf_token": {token}, "action": {"approve"}})
		if again.resp.StatusCode != http.StatusConflict || !strings.Contains(textOf(byID(again.doc, "conflict")), "Accepté") {
			t.Errorf("approving twice: %d %q", again.resp.StatusCode, textOf(byID(again.doc, "conflict")))
		}
		history := find(byID(mod.get(path).doc, "history"), "tr")
		if len(history) != 4 || !strings.Contains(textOf(history[1]), "Karim moderator") || !strings.Contains(textOf(history[1]), "Accepter") {
			t.Errorf("history: %d rows, newest %q", len(history), textOf(history[1]))
		}

		if byID(file.doc, "audit-link") != nil {
			t.Errorf("moderators see a link to the audit log they may not open")
		}
		link := byID(admin.get(path).doc, "audit-link")
		if link == nil || attr(link, "href") != fmt.Sprintf("/admin/audit?entity=vendor&entity_id=%d", v.ID) {
			t.Errorf("no link to the vendor's changes for admins")
		}
	})
}

// The audit log: admins find an approval by its words and by the vendor,
// with what changed; moderators may not open it.
func TestConsoleAuditLog(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		mod := operatorIn(t, m, auth.RoleModerator, "moderator@souk.ma")
		admin := operatorIn(t, m, auth.RoleAdmin, "admin@souk.ma")
		v := applicant(t, m, "Cooperative Tissint", "guelmim-oued-noun", vendor.Cooperative)
		applicant(t, m, "Atelier Cuir Fes", "fes-meknes", vendor.Artisan)
		path := fmt.Sprintf("/admin/vendors/%d", v.ID)
		token := formValues(formOf(t, mod.get(path).doc, path+"/review"), nil).Get("csrf_token")
		mod.post(path+"/review", url.Values{"csrf_token": {token}, "action": {"approve"}}).location(t)

		if p := mod.get("/admin/audit"); p.resp.StatusCode != http.StatusForbidden {
			t.Errorf("moderator on the audit log: %d", p.resp.StatusCode)
		}

		found := admin.get("/admin/audit?q=approved")
		entries := entriesOf(t, found)
		if len(entries) != 1 {
			t.Fatalf("approvals: %d entries", len(entries))
		}
		e := textOf(entries[0])
		for _, want := range []string{"vendor.approve", fmt.Sprintf("vendor %d", v.ID), "Karim moderator", "status", "applied", "approved"} {
			if !strings.Contains(e, want) {
				t.Errorf("the entry %q lacks %q", e, want)
			}
		}

		byVendor := entriesOf(t, admin.get(fmt.Sprintf("/admin/audit?entity=vendor&entity_id=%d", v.ID)))
		if len(byVendor) != 2 || !strings.Contains(textOf(byVendor[0]), "vendor.approve") || !strings.Contains(textOf(byVendor[1]), "vendor.apply") {
			t.Fatalf("the vendor's changes: %d", len(byVendor))
		}
		if !strings.Contains(textOf(byVendor[1]), "legal_name") || !strings.Contains(textOf(byVendor[1]), "texts.fr.display_name") {
			t.Errorf("the application's fields: %q", textOf(byVendor[1]))
		}
		if got := entriesOf(t, admin.get("/admin/audit?action=vendor.approve")); len(got) != 1 {
			t.Errorf("by action: %d", len(got))
		}
		if got := entriesOf(t, admin.get("/admin/audit?action=vendor")); len(got) != 3 {
			t.Errorf("by action prefix: %d", len(got))
		}
		bad := admin.get("/admin/audit?action=vendor&actor=karim&from=hier")
		if got := entriesOf(t, bad); len(got) != 3 || byID(bad.doc, "filter-problems") == nil {
			t.Errorf("bad filters: %d entries, problems %q", len(got), textOf(byID(bad.doc, "filter-problems")))
		}
	})
}

func entriesOf(t *testing.T, p page) []*html.Node {
	t.Helper()
	if p.resp.StatusCode != http.StatusOK {
		t.Fatalf("audit log: %d %s", p.resp.StatusCode, errorsOf(p.doc))
	}
	var out []*html.Node
	for _, li := range find(p.doc, "li") {
		if strings.HasPrefix(attr(li, "id"), "entry-") {
			out = append(out, li)
		}
	}
	return out
}
