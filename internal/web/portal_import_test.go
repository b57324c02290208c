package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

var _ = authzRows(map[string]string{
	"GET /vendor/products/export.csv":          "owner staff other",
	"GET /vendor/products/template.csv":        "owner staff other",
	"GET /vendor/products/import":              "owner staff other",
	"POST /vendor/products/import":             "owner staff other",
	"GET /vendor/products/import/{job}":        "owner staff",
	"GET /vendor/products/import/{job}/status": "owner staff",
})

// {job} is an import vendor A ran (a price list that changes nothing),
// finished before the routes are tried, so that it writes nothing then.
var _ = func() bool {
	authzFixtures = append(authzFixtures, func(t *testing.T, m market, f authzFixture) {
		ctx := context.Background()
		var vendorA int64
		if err := m.d.Read().QueryRowContext(ctx, `SELECT id FROM vendors WHERE slug = 'tifaouine'`).Scan(&vendorA); err != nil {
			t.Fatal(err)
		}
		const password = "a-long-password-1"
		if _, err := m.app.Auth.CreateUser(ctx, auth.NewUser{Email: "importer@tifaouine.ma", Name: "Importer", Password: password,
			Locale: "fr", Role: auth.RoleVendorStaff, VendorID: vendorA}); err != nil {
			t.Fatal(err)
		}
		c := newAuthzClient(m.url)
		c.signIn(t, "importer@tifaouine.ma", password)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("csrf_token", c.csrf)
		w, _ := mw.CreateFormFile("file", "prices.csv")
		fmt.Fprint(w, "sku,product,price_mad\nARG-250,huile-argan,150\n")
		mw.Close()
		req, _ := http.NewRequest("POST", m.url+"/vendor/products/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := c.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		job, ok := strings.CutPrefix(resp.Header.Get("Location"), "/vendor/products/import/")
		if resp.StatusCode != http.StatusSeeOther || !ok {
			t.Fatalf("start an import: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		waitImport(t, c.client, m.url+"/vendor/products/import/"+job+"/status")
		f["job"] = job
	})
	return true
}()

// importStatus is what a job's status says.
type importStatus struct {
	Done, Total, Percent int
	Finished, OK         bool
}

// waitImport polls a job's status, as the page's script does, until it is
// finished.
func waitImport(t *testing.T, client *http.Client, statusURL string) importStatus {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get(statusURL)
		if err != nil {
			t.Fatal(err)
		}
		var st importStatus
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("status: %d %v", resp.StatusCode, err)
		}
		if st.Finished {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import did not finish: %+v", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The owner downloads the template, sends a 3-row file (a new product of
// two sizes and a new price for amlou), follows the job to its counts;
// then a file with mistakes, whose report names each line and column and
// says nothing was imported, and nothing was. The export has a byte-order
// mark and one row per variant; another vendor sees neither the jobs nor
// the rows.
func TestPortalImportExport(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		tifaouine, akal := twoVendors(t, m)
		owner, token := seller(t, m, "fatima@tifaouine.ma", auth.RoleVendorOwner, tifaouine.ID)
		other, _ := seller(t, m, "youssef@akal.ma", auth.RoleVendorOwner, akal.ID)

		form := owner.get("/vendor/products/import")
		if form.resp.StatusCode != http.StatusOK || len(find(form.doc, "a", "href", "/vendor/products/template.csv")) != 1 {
			t.Fatalf("import page: %d", form.resp.StatusCode)
		}
		for _, want := range []string{"UTF-8", "remplace votre stock", "rien n’est importé"} {
			if !strings.Contains(text(byID(form.doc, "import-rules")), want) && !strings.Contains(text(form.doc), want) {
				t.Errorf("the import page does not say %q", want)
			}
		}
		tpl := owner.get("/vendor/products/template.csv")
		if tpl.resp.StatusCode != http.StatusOK || !strings.Contains(tpl.resp.Header.Get("Content-Disposition"), "attachment") ||
			!strings.Contains(tpl.body, "sku,product,category") {
			t.Errorf("template: %d %q", tpl.resp.StatusCode, tpl.resp.Header.Get("Content-Disposition"))
		}

		// No file: the field says so.
		if p := owner.postFiles("/vendor/products/import", map[string][]string{"csrf_token": {token}}); p.resp.StatusCode != http.StatusUnprocessableEntity ||
			textOf(byID(p.doc, "file-error")) == "" {
			t.Errorf("no file: %d", p.resp.StatusCode)
		}

		good := "sku,product,category,title_fr,title_ar,variant_label,price_mad,stock\n" +
			"MIEL-250,miel-thym,amlou-honey,Miel de thym,عسل الزعتر,250 g,\"95,50\",12\n" +
			"MIEL-500,miel-thym,amlou-honey,Miel de thym,عسل الزعتر,500 g,170,4\n" +
			"AML,amlou,,Amlou,أملو,200 g,45,20\n"
		start := owner.postFiles("/vendor/products/import", map[string][]string{"csrf_token": {token}}, upload{"file", "produits.csv", []byte(good)})
		jobURL := start.location(t)
		if !strings.HasPrefix(jobURL, "/vendor/products/import/") {
			t.Fatalf("job: %s", jobURL)
		}
		st := waitImport(t, owner.client, m.url+jobURL+"/status")
		if !st.OK || st.Percent != 100 || st.Done != st.Total || st.Total != 6 {
			t.Errorf("status: %+v", st)
		}
		job := owner.get(jobURL)
		if job.resp.StatusCode != http.StatusOK || job.resp.Header.Get("Refresh") != "" || len(find(job.doc, "progress")) != 0 {
			t.Errorf("finished job: %d, Refresh %q", job.resp.StatusCode, job.resp.Header.Get("Refresh"))
		}
		if got := textOf(byID(job.doc, "import-counts")); got != "1 créés, 1 modifiés, 0 inchangés (produits)" {
			t.Errorf("counts: %q", got)
		}
		if p, err := m.app.Catalog.Get(ctx, operator, "miel-thym"); err != nil || len(p.Variants) != 2 || p.Variants[0].Price.Amount != 9550 || p.VendorID != tifaouine.ID {
			t.Errorf("imported: %+v %v", p, err)
		}
		if p, _ := m.app.Catalog.Get(ctx, operator, "amlou"); p.Variants[0].Price.Amount != 4500 {
			t.Errorf("amlou's price: %v", p.Variants[0].Price)
		}

		// Another vendor: neither the job nor its status.
		for _, path := range []string{jobURL, jobURL + "/status"} {
			if p := other.get(path); p.resp.StatusCode != http.StatusNotFound {
				t.Errorf("another vendor on %s: %d", path, p.resp.StatusCode)
			}
		}
		if p := owner.get("/vendor/products/import/0123456789abcdef0123456789abcdef"); p.resp.StatusCode != http.StatusNotFound {
			t.Errorf("a job that does not exist: %d", p.resp.StatusCode)
		}

		// A file with mistakes: every line named, nothing imported.
		snapshot := fingerprint(t, d)
		bad := "sku,product,category,title_fr,price_mad,stock\n" +
			"FIG-1,figues,amlou-honey,Figues,\"12,5,0\",3\n" +
			"FIG-2,figues,amlou-honey,Figues,30,beaucoup\n" +
			"DATE-1,dattes,nulle-part,Dattes,40,1\n"
		jobURL = owner.postFiles("/vendor/products/import", map[string][]string{"csrf_token": {token}}, upload{"file", "erreurs.csv", []byte(bad)}).location(t)
		if st := waitImport(t, owner.client, m.url+jobURL+"/status"); st.OK {
			t.Errorf("a bad file imported: %+v", st)
		}
		job = owner.get(jobURL)
		if got := textOf(byID(job.doc, "import-problems")); !strings.Contains(got, "Rien n’a été importé. Corrigez ces lignes") {
			t.Errorf("policy: %q", got)
		}
		var rows [][]string
		for _, tr := range find(byID(job.doc, "problem-table"), "tr")[1:] {
			var cells []string
			for _, td := range find(tr, "td") {
				cells = append(cells, strings.TrimSpace(text(td)))
			}
			rows = append(rows, cells)
		}
		want := map[string]bool{"2 price_mad": false, "3 stock": false, "4 category": false}
		for _, r := range rows {
			if _, ok := want[r[0]+" "+r[1]]; ok {
				want[r[0]+" "+r[1]] = true
			}
		}
		for k, found := range want {
			if !found {
				t.Errorf("the report lacks line/column %s: %v", k, rows)
			}
		}
		for _, r := range rows {
			if r[0]+" "+r[1] == "2 price_mad" && !strings.Contains(r[2], "120,50") {
				t.Errorf("price problem in words: %q", r[2])
			}
		}
		if fingerprint(t, d) != snapshot {
			t.Error("a refused import changed the database")
		}
		// Not UTF-8 (Windows-1252): one problem, said plainly.
		jobURL = owner.postFiles("/vendor/products/import", map[string][]string{"csrf_token": {token}},
			upload{"file", "excel.csv", []byte("sku,product,title_fr\nX-1,x,Caf\xe9\n")}).location(t)
		waitImport(t, owner.client, m.url+jobURL+"/status")
		if got := text(owner.get(jobURL).doc); !strings.Contains(got, "CSV UTF-8") {
			t.Errorf("not UTF-8: %s", got)
		}

		// The export: a byte-order mark, one row per variant of the vendor.
		exp := owner.get("/vendor/products/export.csv")
		if exp.resp.StatusCode != http.StatusOK || exp.resp.Header.Get("Content-Disposition") != `attachment; filename="products.csv"` ||
			!strings.HasPrefix(exp.resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export: %d %q", exp.resp.StatusCode, exp.resp.Header.Get("Content-Disposition"))
		}
		if !strings.HasPrefix(exp.body, "\ufeff") {
			t.Errorf("no byte-order mark")
		}
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(exp.body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var skus []string
		for _, r := range records[1:] {
			skus = append(skus, r[0])
		}
		slices.Sort(skus)
		var want2 []string
		rowsDB, err := d.Read().QueryContext(ctx, `SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id WHERE p.vendor_id = ? ORDER BY v.sku`, tifaouine.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rowsDB.Next() {
			var s string
			_ = rowsDB.Scan(&s)
			want2 = append(want2, s)
		}
		rowsDB.Close()
		slices.Sort(want2)
		if !slices.Equal(skus, want2) || len(skus) != 6 || records[0][0] != "sku" {
			t.Errorf("export rows %v, want %v", skus, want2)
		}
		for _, r := range records[1:] {
			if r[0] == "MIEL-250" && (r[1] != "miel-thym" || r[9] != "95.50" || r[10] != "12") {
				t.Errorf("exported row: %v", r)
			}
		}
		// Imported back: nothing changes.
		jobURL = owner.postFiles("/vendor/products/import", map[string][]string{"csrf_token": {token}}, upload{"file", "products.csv", []byte(exp.body)}).location(t)
		waitImport(t, owner.client, m.url+jobURL+"/status")
		if got := textOf(byID(owner.get(jobURL).doc, "import-counts")); got != "0 créés, 0 modifiés, 4 inchangés (produits)" {
			t.Errorf("export imported back: %q", got)
		}
		// Another vendor's export holds none of them.
		if theirs := other.get("/vendor/products/export.csv"); strings.Contains(theirs.body, "MIEL-250") || theirs.resp.StatusCode != http.StatusOK {
			t.Errorf("another vendor's export: %d", theirs.resp.StatusCode)
		}
	})
}
