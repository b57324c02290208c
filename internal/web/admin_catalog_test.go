package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/vendor"
)

var _ = authzRows(map[string]string{
	"GET /admin/products":                    "moderator admin",
	"GET /admin/products/{product}":          "moderator admin",
	"POST /admin/products/{product}/publish": "moderator admin",
	"POST /admin/products/{product}/reject":  "moderator admin",
})

// modSignIn is a browser signed in as a new operator (or anyone), the back
// office in French.
func modSignIn(t *testing.T, m market, role auth.Role, email string) *shopper {
	t.Helper()
	const password = "a-long-password-1"
	if _, err := m.app.Auth.CreateUser(context.Background(), auth.NewUser{Email: email, Name: "Salma " + string(role),
		Password: password, Role: role, Locale: "fr"}); err != nil {
		t.Fatal(err)
	}
	s := m.shopper()
	s.post("/fr/account/signin", url.Values{"email": {email}, "password": {password}}).location(t)
	return s
}

// modPage gets a back-office page and fails unless it answers want.
func modPage(t *testing.T, s *shopper, path string, want int) page {
	t.Helper()
	p := s.get(path)
	if p.resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d; %s", path, p.resp.StatusCode, want, errorsOf(p.doc))
	}
	return p
}

// modVendor is a cooperative that applied in Spanish and was approved: its
// e-mails are in Spanish, whatever the operator reads.
func modVendor(t *testing.T, m market) vendor.Vendor {
	t.Helper()
	ctx := context.Background()
	v, err := m.app.Vendors.Apply(ctx, vendor.Application{Locale: "es", Input: vendor.Input{Kind: vendor.Cooperative,
		LegalName: "Cooperativa Atlas", Region: "draa-tafilalet", City: "Ouarzazate", CooperativeNumber: "2015/9",
		Email: "contacto@atlas.ma", ContactName: "Ahmed", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Atlas"}}},
		Documents: []vendor.Upload{{Kind: vendor.DocumentKinds[0], Filename: "statuts.pdf", Data: []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")}}})
	if err != nil {
		t.Fatal(err)
	}
	if v, err = m.app.Vendors.Review(ctx, operator, v.ID, vendor.Decision{Action: vendor.Approve}); err != nil {
		t.Fatal(err)
	}
	return v
}

// modOutbox is the e-mails queued about a product: subjects and bodies.
func modOutbox(t *testing.T, d *db.DB, productID int64) (to, subjects, bodies []string) {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT recipient, subject, body_text FROM outbox WHERE dedupe_key LIKE ? ORDER BY id`,
		"product:"+strconv.FormatInt(productID, 10)+":%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r, s, b string
		if err := rows.Scan(&r, &s, &b); err != nil {
			t.Fatal(err)
		}
		to, subjects, bodies = append(to, r), append(subjects, s), append(bodies, b)
	}
	return to, subjects, bodies
}

func modStatus(t *testing.T, m market, id int64) catalog.Status {
	t.Helper()
	p, err := m.app.Catalog.Get(context.Background(), operator, strconv.FormatInt(id, 10))
	if err != nil {
		t.Fatal(err)
	}
	return p.Status
}

// modQueue is the product links of the queue's table, in order.
func modQueue(p page) []string {
	var out []string
	for _, table := range find(p.doc, "table", "id", "queue") {
		for _, a := range find(table, "a") {
			out = append(out, attr(a, "href"))
		}
	}
	return out
}

// modChecks ticks the named boxes of the publish form (and no others).
func modChecks(v url.Values, names ...string) url.Values {
	v.Del("check")
	for _, n := range names {
		v.Add("check", n)
	}
	return v
}

// The moderation of a vendor's product through the console: it waits in
// the queue, shows what customers would see in each language, refuses to
// publish without the whole checklist (422 naming each unticked point,
// what was ticked kept), publishes — the public then sees it, the vendor
// reads the news in Spanish — and rejects only with a reason, which the
// vendor's e-mail carries. Certifications running out show in their tab.
func TestModerationConsole(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		v := modVendor(t, m)
		owner := auth.User{ID: 0, Role: auth.RoleVendorOwner, VendorID: v.ID}
		soon := time.Now().UTC().AddDate(0, 0, 20).Format(time.DateOnly)
		tea, err := m.app.Catalog.Create(ctx, owner, v.ID, catalog.Input{Category: "argan-oil", Status: catalog.PendingReview,
			Texts: map[string]catalog.Texts{"fr": {Title: "Thé du Drâa", Description: "Menthe et absinthe."}, "ar": {Title: "شاي درعة"}},
			Variants: []catalog.Variant{{SKU: "THE-100", Label: "100 g", Price: money.Dirhams(4500), Stock: 30, WeightGrams: 120,
				LengthMM: 100, WidthMM: 60, HeightMM: 40}},
			Certifications: []catalog.Certification{{Kind: "organic", Issuer: "Ecocert", Number: "EC-77", ExpiresOn: soon}}})
		if err != nil {
			t.Fatal(err)
		}
		dates, err := m.app.Catalog.Create(ctx, owner, v.ID, catalog.Input{Category: "argan-oil", Status: catalog.PendingReview,
			Texts:    map[string]catalog.Texts{"fr": {Title: "Dattes Mejhoul"}},
			Variants: []catalog.Variant{{SKU: "DAT-1", Label: "1 kg", Price: money.Dirhams(9000), Stock: 10, WeightGrams: 1000}}})
		if err != nil {
			t.Fatal(err)
		}
		draft, err := m.app.Catalog.Create(ctx, owner, v.ID, catalog.Input{Category: "argan-oil", Status: catalog.Draft,
			Texts: map[string]catalog.Texts{"fr": {Title: "Brouillon"}}, Variants: []catalog.Variant{{SKU: "BR", Price: money.Dirhams(100), Stock: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		// A published product of the market's cooperative whose
		// certification ran out a week ago.
		old, err := m.app.Catalog.Create(ctx, operator, modVendorID(t, m, "tifaouine"), catalog.Input{Category: "argan-oil", Status: catalog.Published,
			Texts:    map[string]catalog.Texts{"fr": {Title: "Huile bio"}},
			Variants: []catalog.Variant{{SKU: "BIO", Price: money.Dirhams(20000), Stock: 2}},
			Certifications: []catalog.Certification{{Kind: "organic", Issuer: "Ecocert",
				ExpiresOn: time.Now().UTC().AddDate(0, 0, -7).Format(time.DateOnly)}}})
		if err != nil {
			t.Fatal(err)
		}
		mod := modSignIn(t, m, auth.RoleModerator, "karim@souk.ma")

		// The queue: the vendor's two products, the oldest first; not the draft.
		p := modPage(t, mod, "/admin/products?lang=fr", http.StatusOK)
		teaURL, datesURL := "/admin/products/"+strconv.FormatInt(tea.ID, 10), "/admin/products/"+strconv.FormatInt(dates.ID, 10)
		if got := modQueue(p); len(got) != 2 || got[0] != teaURL || got[1] != datesURL {
			t.Fatalf("queue: %v, want %s then %s", got, teaURL, datesURL)
		}
		if nav := find(p.doc, "a", "href", "/admin/products"); len(nav) == 0 || attr(nav[0], "aria-current") != "page" {
			t.Errorf("the menu has no current Moderation entry")
		}
		if got := modQueue(modPage(t, mod, "/admin/products?q=mejhoul", http.StatusOK)); len(got) != 1 || got[0] != datesURL {
			t.Errorf("search mejhoul: %v", got)
		}
		if got := modQueue(modPage(t, mod, "/admin/products?vendor="+strconv.FormatInt(modVendorID(t, m, "tifaouine"), 10), http.StatusOK)); len(got) != 0 {
			t.Errorf("tifaouine's queue: %v", got)
		}

		// The product as customers see it.
		p = modPage(t, mod, teaURL, http.StatusOK)
		if missing := textOf(byID(p.doc, "missing-languages")); !strings.Contains(missing, i18n.T("fr", "language.en", nil)) ||
			strings.Contains(missing, i18n.T("fr", "language.fr", nil)) {
			t.Errorf("missing languages: %q", missing)
		}
		if en := textOf(byID(p.doc, "locale-en")); !strings.Contains(en, "Thé du Drâa") || !strings.Contains(en, i18n.T("fr", "moderation.no_title", nil)) {
			t.Errorf("the English version: %q", en)
		}
		if ar := textOf(byID(p.doc, "locale-ar")); !strings.Contains(ar, "شاي درعة") || !strings.Contains(ar, "Menthe et absinthe.") {
			t.Errorf("the Arabic version (its title, the French description): %q", ar)
		}
		if vt := textOf(byID(p.doc, "variants")); !strings.Contains(vt, "THE-100") || !strings.Contains(vt, "120 g") || !strings.Contains(vt, "100 × 60 × 40 mm") {
			t.Errorf("variants: %q", vt)
		}
		if certs := find(byID(p.doc, "certifications"), "span", "class", "badge warn"); len(certs) != 1 {
			t.Errorf("a certification expiring in 20 days has no warning badge")
		}
		if a := byID(p.doc, "vendor-link"); a == nil || attr(a, "href") != "/admin/vendors/"+strconv.FormatInt(v.ID, 10) {
			t.Errorf("vendor link: %v", a)
		}

		// Publishing without every box: 422 naming the unticked, nothing changes.
		form := modChecks(formValues(formOf(t, p.doc, teaURL+"/publish"), nil), "photos", "price")
		p = mod.post(teaURL+"/publish", form)
		if p.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("publish with two boxes: %d", p.resp.StatusCode)
		}
		summary := textOf(byID(p.doc, "problems"))
		for _, name := range []string{"texts", "certifications", "category"} {
			label := i18n.T("fr", "moderation.check."+name, nil)
			if !strings.Contains(summary, label) {
				t.Errorf("the summary does not name %q: %q", label, summary)
			}
			if box := byID(p.doc, "check-"+name); box == nil || attr(box, "aria-invalid") != "true" || hasAttr(box, "checked") {
				t.Errorf("box %s: not marked unticked", name)
			}
		}
		if strings.Contains(summary, i18n.T("fr", "moderation.check.photos", nil)) {
			t.Errorf("the summary names a ticked box: %q", summary)
		}
		if box := byID(p.doc, "check-photos"); box == nil || !hasAttr(box, "checked") {
			t.Errorf("the ticked box was not kept")
		}
		if modStatus(t, m, tea.ID) != catalog.PendingReview {
			t.Fatal("a refused publication changed the product")
		}
		if to, _, _ := modOutbox(t, d, tea.ID); len(to) != 0 {
			t.Fatal("a refused publication sent an e-mail")
		}

		// With every box: published, public, the vendor told in Spanish.
		form = modChecks(formValues(formOf(t, p.doc, teaURL+"/publish"), nil), catalog.QualityChecks...)
		if loc := mod.post(teaURL+"/publish", form).location(t); loc != "/admin/products?done=moderation.published" {
			t.Fatalf("after publishing: %s", loc)
		}
		if modStatus(t, m, tea.ID) != catalog.Published {
			t.Fatal("not published")
		}
		if _, err := m.app.Catalog.Get(ctx, auth.User{}, strconv.FormatInt(tea.ID, 10)); err != nil {
			t.Fatalf("the public does not see the published product: %v", err)
		}
		p = modPage(t, mod, "/admin/products?done=moderation.published", http.StatusOK)
		if n := textOf(find(p.doc, "p", "class", "notice")[0]); n != i18n.T("fr", "moderation.published", nil) {
			t.Errorf("notice: %q", n)
		}
		if got := modQueue(p); len(got) != 1 || got[0] != datesURL {
			t.Errorf("queue after publishing: %v", got)
		}
		to, subjects, bodies := modOutbox(t, d, tea.ID)
		if want := i18n.T("es", "mail.product.publish.subject", map[string]any{"title": "Thé du Drâa"}); len(to) != 1 ||
			to[0] != "contacto@atlas.ma" || subjects[0] != want || !strings.HasPrefix(bodies[0], i18n.T("es", "mail.greeting", map[string]any{"name": "Cooperativa Atlas"})) {
			t.Errorf("publication e-mail: %q %q %q; want %q in Spanish", to, subjects, bodies, want)
		}

		// Rejecting: a reason first.
		p = modPage(t, mod, datesURL, http.StatusOK)
		form = formValues(formOf(t, p.doc, datesURL+"/reject"), nil)
		p = mod.post(datesURL+"/reject", form)
		if p.resp.StatusCode != http.StatusUnprocessableEntity || attr(byID(p.doc, "reason"), "aria-invalid") != "true" ||
			!strings.Contains(textOf(byID(p.doc, "problems")), i18n.T("fr", "moderation.reason", nil)) {
			t.Fatalf("reject without a reason: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}
		reason := "Les photos manquent : ajoutez-en au moins une."
		form = formValues(formOf(t, p.doc, datesURL+"/reject"), nil)
		form.Set("reason", reason)
		if loc := mod.post(datesURL+"/reject", form).location(t); loc != "/admin/products?done=moderation.rejected" {
			t.Fatalf("after rejecting: %s", loc)
		}
		if modStatus(t, m, dates.ID) != catalog.Rejected {
			t.Fatal("not rejected")
		}
		_, subjects, bodies = modOutbox(t, d, dates.ID)
		if len(subjects) != 1 || subjects[0] != i18n.T("es", "mail.product.reject.subject", map[string]any{"title": "Dattes Mejhoul"}) ||
			!strings.Contains(bodies[0], reason) {
			t.Errorf("rejection e-mail: %q %q", subjects, bodies)
		}
		if got := modQueue(modPage(t, mod, "/admin/products", http.StatusOK)); len(got) != 0 {
			t.Errorf("queue after deciding both: %v", got)
		}
		// Deciding again is said in words (409), not a second e-mail.
		p = mod.post(datesURL+"/reject", form)
		if p.resp.StatusCode != http.StatusConflict || !strings.Contains(textOf(byID(p.doc, "message")), i18n.T("fr", "moderation.cannot_reject", nil)) {
			t.Errorf("rejecting twice: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}
		if _, subjects, _ := modOutbox(t, d, dates.ID); len(subjects) != 1 {
			t.Errorf("rejecting twice sent %d e-mails", len(subjects))
		}
		// A draft shows no decision.
		p = modPage(t, mod, "/admin/products/"+strconv.FormatInt(draft.ID, 10), http.StatusOK)
		if byID(p.doc, "publish") != nil || byID(p.doc, "reject") != nil || byID(p.doc, "not-submitted") == nil {
			t.Errorf("a draft offers a decision")
		}

		// Certifications running out: the published tea (20 days: warn) and
		// the organic oil (expired: bad).
		p = modPage(t, mod, "/admin/products?tab=expiring", http.StatusOK)
		oldURL := "/admin/products/" + strconv.FormatInt(old.ID, 10)
		if got := modQueue(p); len(got) != 2 || got[0] != oldURL || got[1] != teaURL {
			t.Fatalf("expiring: %v, want %s then %s", got, oldURL, teaURL)
		}
		rows := find(byID(p.doc, "queue"), "tr")
		if len(rows) != 3 || len(find(rows[1], "span", "class", "badge bad")) != 1 || len(find(rows[2], "span", "class", "badge warn")) != 1 {
			t.Errorf("expiry badges: %s", textOf(byID(p.doc, "queue")))
		}
		if tab := byID(p.doc, "tab-expiring"); tab == nil || attr(tab, "aria-current") != "page" {
			t.Errorf("the expiring tab is not current")
		}
		// Not found, not a server error, for what does not exist.
		modPage(t, mod, "/admin/products/99999999", http.StatusNotFound)
		modPage(t, mod, "/admin/products/x", http.StatusNotFound)
	})
}

// modVendorID is a vendor's id by slug.
func modVendorID(t *testing.T, m market, slug string) int64 {
	t.Helper()
	v, err := m.app.Vendors.BySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return v.ID
}
