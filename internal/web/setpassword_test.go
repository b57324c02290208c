package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/vendor"
)

// An approved cooperative's owner follows the e-mailed link, chooses a
// password (a short one is named beside the field), lands signed in on
// their account; the link then no longer works.
func TestOwnerSetsPasswordFromTheLink(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		v, err := m.app.Vendors.Apply(ctx, vendor.Application{Locale: "fr", Input: vendor.Input{Kind: vendor.Cooperative,
			LegalName: "Coopérative Aït Baha", Region: "souss-massa", City: "Aït Baha", CooperativeNumber: "2011/9",
			Email: "owner@aitbaha.ma", ContactName: "Fatima", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Aït Baha"}}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.app.Vendors.Review(ctx, auth.User{ID: 1, Role: auth.RoleAdmin}, v.ID, vendor.Decision{Action: vendor.Approve}); err != nil {
			t.Fatal(err)
		}
		var body string
		if err := d.Read().QueryRowContext(ctx, `SELECT body_text FROM outbox WHERE recipient = 'owner@aitbaha.ma' ORDER BY id DESC LIMIT 1`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		link := regexp.MustCompile(`https?://\S+(/fr/account/set-password\?token=\S+)`).FindStringSubmatch(body)
		if link == nil {
			t.Fatalf("no link in %q", body)
		}
		token, _ := url.QueryUnescape(strings.TrimPrefix(link[1], "/fr/account/set-password?token="))

		s := m.shopper()
		form := s.get(link[1])
		if form.resp.StatusCode != http.StatusOK || len(find(form.doc, "input", "name", "token")) != 1 {
			t.Fatalf("set-password page: %d", form.resp.StatusCode)
		}
		short := s.post("/fr/account/set-password", url.Values{"token": {token}, "password": {"court"}})
		if short.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(short.body, "10") {
			t.Fatalf("short password: %d %s", short.resp.StatusCode, errorsOf(short.doc))
		}
		if loc := s.post("/fr/account/set-password", url.Values{"token": {token}, "password": {"argan-aitbaha-2011"}}).location(t); loc != "/vendor/?welcome=1" {
			t.Fatalf("after choosing a password: %s", loc)
		}
		if acct := s.get("/vendor/?welcome=1"); acct.resp.StatusCode != http.StatusOK || !strings.Contains(acct.body, "Bienvenue") {
			t.Fatalf("account page once signed in: %d", acct.resp.StatusCode)
		}
		again := m.shopper().post("/fr/account/set-password", url.Values{"token": {token}, "password": {"another-password-22"}})
		if again.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(again.body, "Ce lien a expiré") {
			t.Fatalf("link used twice: %d", again.resp.StatusCode)
		}
	})
}
