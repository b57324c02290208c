package catalog_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/vendor"
)

// moderationDay is the clock of the moderation tests.
var moderationDay = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// mailsAbout returns the subjects and bodies of the e-mails queued about a
// product, oldest first.
func mailsAbout(t *testing.T, d *db.DB, productID int64) (to, subjects, bodies []string) {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT recipient, subject, body_text FROM outbox
		WHERE dedupe_key LIKE ? ORDER BY id`, "product:"+itoa(productID)+":%")
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

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func auditCount(t *testing.T, d *db.DB, action string, id int64) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ? AND entity = 'product' AND entity_id = ?`,
		action, itoa(id)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func fieldsOf(err error) map[string]string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// A vendor's product submitted for review waits in the queue; publishing
// needs every quality check, then shows it to the public and e-mails the
// vendor in the vendor's language; rejecting needs a reason, which the
// e-mail carries; deciding twice is a conflict, not a second e-mail.
func TestModerate(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		cat := catalog.NewService(d, func() time.Time { return moderationDay })
		coop, err := vendor.NewService(d, nil).Create(ctx, operator, vendor.Input{Slug: "coop-tiznit", Kind: vendor.Cooperative,
			LegalName: "Coopérative Tiznit", Region: "souss-massa", City: "Tiznit", CooperativeNumber: "2001/4", Email: "coop@tiznit.ma",
			Texts: map[string]vendor.Texts{"fr": {DisplayName: "Tiznit"}}}, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		owner := ownerOf(coop)
		in := arganOil()
		in.Status = catalog.PendingReview
		first, err := cat.Create(ctx, owner, coop.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Texts = map[string]catalog.Texts{"fr": {Title: "Amlou aux amandes"}, "ar": {Title: "أملو باللوز"}}
		in.Variants = []catalog.Variant{{SKU: "AML", Price: money.Dirhams(6000), Stock: 3, WeightGrams: 250}}
		second, err := cat.Create(ctx, owner, coop.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.cat.Create(ctx, ownerOf(f.vendors["argan-tifaouine"]), f.vendors["argan-tifaouine"].ID,
			catalog.Input{Category: "argan-oil", Status: catalog.PendingReview, Texts: map[string]catalog.Texts{"fr": {Title: "Savon noir"}},
				Variants: []catalog.Variant{{SKU: "SAV", Price: money.Dirhams(3000), Stock: 3}}}); err != nil {
			t.Fatal(err)
		}

		if _, err := cat.ReviewQueue(ctx, owner, catalog.QueueFilter{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a vendor reads the queue: %v", err)
		}
		q, err := cat.ReviewQueue(ctx, operator, catalog.QueueFilter{Vendor: "coop-tiznit"})
		if err != nil {
			t.Fatal(err)
		}
		if q.Total != 2 || len(q.Items) != 2 || q.Items[0].ID != first.ID || q.Items[1].ID != second.ID {
			t.Fatalf("queue of coop-tiznit: total %d, %v; want the oldest (%d) first", q.Total, ids(q.Items), first.ID)
		}
		if q, _ := cat.ReviewQueue(ctx, operator, catalog.QueueFilter{}); q.Total != 3 {
			t.Errorf("whole queue: %d, want 3", q.Total)
		}
		if q, _ := cat.ReviewQueue(ctx, operator, catalog.QueueFilter{Q: "amlou"}); q.Total != 1 || q.Items[0].ID != second.ID {
			t.Errorf("search amlou: %v", ids(q.Items))
		}

		// Publishing: the checklist first, all of it.
		if _, err := cat.Moderate(ctx, owner, first.ID, catalog.Decision{Verdict: catalog.Publish, Checked: catalog.QualityChecks}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a vendor publishes: %v", err)
		}
		_, err = cat.Moderate(ctx, operator, first.ID, catalog.Decision{Verdict: catalog.Publish, Checked: []string{"photos", "price"}})
		want := map[string]string{"check.texts": "moderation.unchecked", "check.certifications": "moderation.unchecked", "check.category": "moderation.unchecked"}
		if got := fieldsOf(err); !errs.Is(err, errs.Invalid) || len(got) != len(want) || got["check.texts"] != want["check.texts"] ||
			got["check.certifications"] == "" || got["check.category"] == "" {
			t.Fatalf("publish with two checks: %v", err)
		}
		if p, _ := cat.Get(ctx, operator, itoa(first.ID)); p.Status != catalog.PendingReview {
			t.Fatalf("a refused publication changed the status to %s", p.Status)
		}
		if to, _, _ := mailsAbout(t, d, first.ID); len(to) != 0 {
			t.Fatal("a refused publication sent an e-mail")
		}
		if _, err := cat.Get(ctx, auth.User{}, itoa(first.ID)); !errs.Is(err, errs.NotFound) {
			t.Fatalf("the public sees a product in review: %v", err)
		}
		p, err := cat.Moderate(ctx, operator, first.ID, catalog.Decision{Verdict: catalog.Publish, Checked: catalog.QualityChecks})
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != catalog.Published || p.PublishedAt == nil {
			t.Fatalf("published product: %s %v", p.Status, p.PublishedAt)
		}
		if _, err := cat.Get(ctx, auth.User{}, p.Slug); err != nil {
			t.Fatalf("the public does not see the published product: %v", err)
		}
		if page, err := cat.List(ctx, auth.User{}, catalog.Filter{Vendor: "coop-tiznit"}); err != nil || page.Total != 1 {
			t.Fatalf("public listing of coop-tiznit: %d, %v", page.Total, err)
		}
		to, subjects, bodies := mailsAbout(t, d, first.ID)
		wantSubject := i18n.T("ar", "mail.product.publish.subject", map[string]any{"title": "زيت الأركان التجميلي"})
		if len(to) != 1 || to[0] != "coop@tiznit.ma" || subjects[0] != wantSubject || !strings.Contains(bodies[0], "Coopérative Tiznit") {
			t.Fatalf("publication e-mail: %q %q %q, want the subject %q in the vendor's language (ar)", to, subjects, bodies, wantSubject)
		}
		if n := auditCount(t, d, "product.publish", first.ID); n != 1 {
			t.Errorf("audit entries for the publication: %d", n)
		}
		_, err = cat.Moderate(ctx, operator, first.ID, catalog.Decision{Verdict: catalog.Publish, Checked: catalog.QualityChecks})
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("publishing twice: %v", err)
		}
		if to, _, _ := mailsAbout(t, d, first.ID); len(to) != 1 {
			t.Fatalf("publishing twice sent %d e-mails", len(to))
		}

		// Rejecting: a reason, sent to the vendor.
		if _, err := cat.Moderate(ctx, operator, second.ID, catalog.Decision{Verdict: catalog.Reject, Reason: "  "}); fieldsOf(err)["reason"] != "field.required" {
			t.Fatalf("reject without a reason: %v", err)
		}
		reason := "La photo montre un autre produit."
		p, err = cat.Moderate(ctx, operator, second.ID, catalog.Decision{Verdict: catalog.Reject, Reason: reason})
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != catalog.Rejected || p.ReviewNote != reason {
			t.Fatalf("rejected product: %s %q", p.Status, p.ReviewNote)
		}
		_, subjects, bodies = mailsAbout(t, d, second.ID)
		if len(subjects) != 1 || !strings.Contains(bodies[0], reason) || subjects[0] != i18n.T("ar", "mail.product.reject.subject", map[string]any{"title": "أملو باللوز"}) {
			t.Fatalf("rejection e-mail: %q %q", subjects, bodies)
		}
		if n := auditCount(t, d, "product.reject", second.ID); n != 1 {
			t.Errorf("audit entries for the rejection: %d", n)
		}
		if q, _ := cat.ReviewQueue(ctx, operator, catalog.QueueFilter{Vendor: itoa(coop.ID)}); q.Total != 0 {
			t.Errorf("decided products still in the queue: %v", ids(q.Items))
		}
		// A published product may be taken down (a certification ran out).
		if p, err := cat.Moderate(ctx, operator, first.ID, catalog.Decision{Verdict: catalog.Reject, Reason: "Certificat IGP expiré."}); err != nil || p.Status != catalog.Rejected {
			t.Fatalf("take down: %v %s", err, p.Status)
		}
		if _, err := cat.Get(ctx, auth.User{}, itoa(first.ID)); !errs.Is(err, errs.NotFound) {
			t.Errorf("the public still sees a rejected product: %v", err)
		}
		if _, err := cat.Moderate(ctx, operator, first.ID, catalog.Decision{Verdict: "approve"}); fieldsOf(err)["verdict"] != "field.enum" {
			t.Errorf("unknown verdict: %v", err)
		}
		if _, err := cat.Moderate(ctx, operator, 999999, catalog.Decision{Verdict: catalog.Reject, Reason: "x"}); !errs.Is(err, errs.NotFound) {
			t.Errorf("no such product: %v", err)
		}
	})
}

func ids(ps []catalog.Product) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// Published products whose certification expired or expires within 60
// days are listed, the soonest expiry first; a certification further off,
// or a product not published, is not.
func TestExpiringCertifications(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		cat := catalog.NewService(d, func() time.Time { return moderationDay })
		v := f.vendors["argan-tifaouine"]
		add := func(title string, status catalog.Status, expires ...string) int64 {
			t.Helper()
			in := catalog.Input{Category: "argan-oil", Status: status, Texts: map[string]catalog.Texts{"fr": {Title: title}},
				Variants: []catalog.Variant{{SKU: "S", Price: money.Dirhams(1000), Stock: 1}}}
			for _, e := range expires {
				in.Certifications = append(in.Certifications, catalog.Certification{Kind: "organic", Issuer: "Ecocert", ExpiresOn: e})
			}
			p, err := cat.Create(ctx, operator, v.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			return p.ID
		}
		soon := add("Bientôt", catalog.Published, "2028-01-01", "2026-03-31")
		expired := add("Expiré", catalog.Published, "2026-02-01")
		edge := add("Limite", catalog.Published, "2026-04-30") // 60 days after 1 March
		add("Lointain", catalog.Published, "2026-05-01")
		add("Sans date", catalog.Published, "")
		add("Brouillon", catalog.Draft, "2026-02-01")

		if _, err := cat.ExpiringCertifications(ctx, ownerOf(v), catalog.QueueFilter{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a vendor reads the expiry list: %v", err)
		}
		page, err := cat.ExpiringCertifications(ctx, operator, catalog.QueueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got := ids(page.Items)
		if page.Total != 3 || len(got) != 3 || got[0] != expired || got[1] != soon || got[2] != edge {
			t.Fatalf("expiring: total %d, %v; want %v", page.Total, got, []int64{expired, soon, edge})
		}
		if page, _ := cat.ExpiringCertifications(ctx, operator, catalog.QueueFilter{Q: "bientot"}); page.Total != 1 {
			t.Errorf("search in the expiry list: %d", page.Total)
		}
	})
}
