package vendor_test

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/vendor"
)

var (
	pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
)

type mail struct{ to, subject, body string }

func outbox(t *testing.T, d *db.DB) []mail {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT recipient, subject, body_text FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []mail
	for rows.Next() {
		var m mail
		if err := rows.Scan(&m.to, &m.subject, &m.body); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func countRows(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func application() vendor.Application {
	return vendor.Application{Input: arganInput(), Locale: "fr", Documents: []vendor.Upload{
		{Kind: vendor.Registration, Filename: "attestation ODCo.pdf", Data: pdf},
		{Kind: vendor.FoodSafety, Filename: "../../onssa.png", Data: png},
	}}
}

// An applicant applies with documents, the operator asks for more, then
// approves; the owner sets a password through the one-time link and signs in.
func TestJoining(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := vendor.NewService(d, nil)
		s.Joining(vendor.DirStore(t.TempDir()), "https://souk.example")
		users := auth.NewService(d, auth.Config{}, nil)
		moderator := auth.User{ID: 7, Role: auth.RoleModerator}

		v, err := s.Apply(ctx, application())
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != vendor.Applied || v.Locale != "fr" {
			t.Fatalf("applied: %+v", v)
		}
		docs, err := s.Documents(ctx, moderator, v.ID)
		if err != nil || len(docs) != 2 || docs[0].ContentType != "application/pdf" || docs[1].ContentType != "image/png" || docs[1].Filename != "onssa.png" {
			t.Fatalf("documents: %+v %v", docs, err)
		}
		if _, b, err := s.Document(ctx, moderator, v.ID, docs[0].ID); err != nil || string(b) != string(pdf) {
			t.Fatalf("document bytes: %v", err)
		}
		if m := outbox(t, d); len(m) != 1 || m[0].to != "contact@tifaouine.ma" || !strings.Contains(m[0].subject, "Nous avons bien reçu") {
			t.Fatalf("received e-mail: %+v", m)
		}

		// Only operators decide; a question needs its text.
		if _, err := s.Review(ctx, auth.User{ID: 9, Role: auth.RoleVendorOwner, VendorID: v.ID}, v.ID, vendor.Decision{Action: vendor.Approve}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("owner approving own application: %v", err)
		}
		if _, err := s.Review(ctx, moderator, v.ID, vendor.Decision{Action: vendor.AskInfo}); fieldOf(err, "note") != "field.required" {
			t.Fatalf("question without text: %v", err)
		}
		v, err = s.Review(ctx, moderator, v.ID, vendor.Decision{Action: vendor.AskInfo, Note: "L’attestation ONSSA est illisible."})
		if err != nil || v.InfoRequestedAt == nil || v.ReviewNote != "L’attestation ONSSA est illisible." {
			t.Fatalf("ask info: %+v %v", v, err)
		}
		waiting := true
		if got, n, err := s.List(ctx, moderator, vendor.Filter{Status: vendor.Applied, Waiting: &waiting}); err != nil || n != 1 || got[0].ID != v.ID {
			t.Fatalf("waiting queue: %d %v", n, err)
		}

		v, err = s.Review(ctx, moderator, v.ID, vendor.Decision{Action: vendor.Approve})
		if err != nil || v.Status != vendor.Approved || v.InfoRequestedAt != nil || v.ApprovedAt == nil {
			t.Fatalf("approve: %+v %v", v, err)
		}
		if _, err := s.Review(ctx, moderator, v.ID, vendor.Decision{Action: vendor.Approve}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("approving twice: %v", err)
		}
		m := outbox(t, d)
		if len(m) != 3 || !strings.Contains(m[1].body, "ONSSA est illisible") || !strings.Contains(m[2].subject, "Bienvenue") {
			t.Fatalf("e-mails: %+v", m)
		}
		link := regexp.MustCompile(`https://souk\.example/fr/account/set-password\?token=(\S+)`).FindStringSubmatch(m[2].body)
		if link == nil {
			t.Fatalf("no link in %q", m[2].body)
		}
		token, _ := url.QueryUnescape(link[1])

		// Before the link is used nobody signs in as the owner.
		if _, _, err := users.Login(ctx, "contact@tifaouine.ma", "", "127.0.0.1", "test"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("sign-in without a password: %v", err)
		}
		if _, err := users.UseSetPasswordLink(ctx, token, "short"); fieldOf(err, "password") != "field.password_short" {
			t.Fatalf("short password: %v", err)
		}
		owner, err := users.UseSetPasswordLink(ctx, token, "tifaouine-argan-2004")
		if err != nil || owner.Role != auth.RoleVendorOwner || owner.VendorID != v.ID || owner.Locale != "fr" {
			t.Fatalf("set password: %+v %v", owner, err)
		}
		if _, err := users.UseSetPasswordLink(ctx, token, "another-password-1"); fieldOf(err, "token") != "field.link_expired" {
			t.Fatalf("link used twice: %v", err)
		}
		if _, u, err := users.Login(ctx, "contact@tifaouine.ma", "tifaouine-argan-2004", "127.0.0.1", "test"); err != nil || u.ID != owner.ID {
			t.Fatalf("owner signs in: %v", err)
		}

		// The owner sees its own documents and history; another vendor's owner does not.
		ownerUser := auth.User{ID: owner.ID, Role: auth.RoleVendorOwner, VendorID: v.ID}
		if docs, err := s.Documents(ctx, ownerUser, v.ID); err != nil || len(docs) != 2 {
			t.Fatalf("owner's documents: %v", err)
		}
		stranger := auth.User{ID: 99, Role: auth.RoleVendorOwner, VendorID: v.ID + 100}
		if _, err := s.Documents(ctx, stranger, v.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("another vendor reads the documents: %v", err)
		}
		if _, _, err := s.Document(ctx, stranger, v.ID, docs[0].ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("another vendor downloads a document: %v", err)
		}
		h, err := s.History(ctx, ownerUser, v.ID)
		if err != nil || len(h) != 3 || h[0].Action != "applied" || h[1].Action != vendor.AskInfo || h[2].Action != vendor.Approve || h[2].ActorID != moderator.ID {
			t.Fatalf("history: %+v %v", h, err)
		}
		log, err := audit.List(ctx, d.Read(), moderator, audit.Filter{Entity: "vendor", EntityID: "1", Action: "vendor."})
		if err != nil || len(log) != 3 || log[0].Action != "vendor.approve" || log[0].ActorID != moderator.ID || log[2].Action != "vendor.apply" {
			t.Fatalf("audit log: %+v %v", log, err)
		}
		if _, err := audit.List(ctx, d.Read(), ownerUser, audit.Filter{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a vendor reads the audit log: %v", err)
		}
	})
}

// Bad applications name every bad field and change nothing.
func TestApplicationRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		s := vendor.NewService(d, nil)
		s.Joining(vendor.DirStore(dir), "https://souk.example")
		app := application()
		app.Email = ""
		app.RIB = "1234"
		app.Documents = append(app.Documents,
			vendor.Upload{Kind: vendor.Certification, Filename: "virus.exe", Data: []byte("MZ\x90\x00 this is not a document")},
			vendor.Upload{Kind: "passport", Filename: "x.pdf", Data: pdf},
			vendor.Upload{Kind: vendor.OtherDocument, Filename: "big.pdf", Data: append(append([]byte{}, pdf...), make([]byte, vendor.MaxDocumentBytes)...)})
		_, err := s.Apply(ctx, app)
		want := map[string]string{"email": "field.required", "rib": "field.rib", "documents[2]": "field.document_type",
			"documents[3].kind": "field.enum", "documents[4]": "field.document_size"}
		for field, key := range want {
			if got := fieldOf(err, field); got != key {
				t.Errorf("%s: %q, want %q (%v)", field, got, key, err)
			}
		}
		for _, table := range []string{"vendors", "vendor_documents", "vendor_events", "audit_log", "outbox"} {
			if n := countRows(t, d, table); n != 0 {
				t.Errorf("%s has %d rows after a refused application", table, n)
			}
		}
	})
}

// The review queue: filters, search, dates, and decisions in bulk where one
// that cannot be taken does not stop the others.
func TestReviewQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		s := vendor.NewService(d, func() time.Time { return now })
		s.Joining(vendor.DirStore(t.TempDir()), "https://souk.example")
		admin := auth.User{ID: 1, Role: auth.RoleAdmin}
		var ids []int64
		for i, region := range []string{"souss-massa", "draa-tafilalet", "souss-massa"} {
			app := vendor.Application{Input: arganInput(), Locale: "ar"}
			app.Slug = ""
			app.Region = region
			app.CooperativeNumber = []string{"2004/123", "2011/77", "2019/5"}[i]
			app.Email = []string{"a@coop.ma", "b@coop.ma", "c@coop.ma"}[i]
			v, err := s.Apply(ctx, app)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, v.ID)
			now = now.Add(24 * time.Hour)
		}
		if _, n, err := s.List(ctx, admin, vendor.Filter{Status: vendor.Applied, Region: "souss-massa"}); err != nil || n != 2 {
			t.Fatalf("by region: %d %v", n, err)
		}
		if got, n, err := s.List(ctx, admin, vendor.Filter{Query: "2011/77"}); err != nil || n != 1 || got[0].ID != ids[1] {
			t.Fatalf("search by cooperative number: %d %v", n, err)
		}
		from := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
		if _, n, err := s.List(ctx, admin, vendor.Filter{From: from, To: from.Add(24 * time.Hour)}); err != nil || n != 1 {
			t.Fatalf("by date: %d %v", n, err)
		}
		if _, _, err := s.List(ctx, auth.User{}, vendor.Filter{Query: "coop"}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("the public searches applications: %v", err)
		}

		if _, err := s.Review(ctx, admin, ids[0], vendor.Decision{Action: vendor.Approve}); err != nil {
			t.Fatal(err)
		}
		res, err := s.ReviewMany(ctx, admin, ids, vendor.Decision{Action: vendor.Reject, Note: "Hors du périmètre du programme."})
		if err != nil {
			t.Fatal(err)
		}
		if !errs.Is(res[ids[0]], errs.Conflict) || res[ids[1]] != nil || res[ids[2]] != nil {
			t.Fatalf("bulk results: %v", res)
		}
		if _, n, _ := s.List(ctx, admin, vendor.Filter{Status: vendor.Rejected}); n != 2 {
			t.Fatalf("%d rejected", n)
		}
		// The rejection reached the applicants in Arabic, with the reason.
		m := outbox(t, d)
		last := m[len(m)-1]
		if last.to != "c@coop.ma" || !strings.Contains(last.body, "Hors du périmètre") || !strings.Contains(last.body, "السبب") {
			t.Fatalf("rejection e-mail: %+v", last)
		}
	})
}

// fieldOf is the message key an error gives field, or "".
func fieldOf(err error, field string) string {
	var e *errs.Error
	if !errors.As(err, &e) {
		return ""
	}
	return e.Fields[field]
}
