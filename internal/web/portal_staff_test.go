package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

var _ = authzRows(map[string]string{
	"GET /vendor/staff":                "owner other",
	"POST /vendor/staff":               "owner other",
	"POST /vendor/staff/{user}/remove": "owner",
})

// The owner invites a team member, who gets an e-mail in the language the
// owner chose with a link to choose a password; once signed in they see
// the orders but not the team. The owner removes them (after saying yes)
// and their session stops working. Mistakes in the invitation are named
// beside their fields; another vendor's owner cannot remove them.
func TestPortalStaffInvitedAndRemoved(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		tifaouine, akal := portalVendors(t, m)
		owner := portalPerson(t, m, auth.NewUser{Email: "fatima@tifaouine.ma", Name: "Fatima", Role: auth.RoleVendorOwner, VendorID: tifaouine.ID})
		other := portalPerson(t, m, auth.NewUser{Email: "youssef@akal.ma", Role: auth.RoleVendorOwner, VendorID: akal.ID})

		page := owner.get("/vendor/staff")
		if page.resp.StatusCode != http.StatusOK {
			t.Fatalf("team page: %d", page.resp.StatusCode)
		}
		if len(find(page.doc, "a", "href", "/vendor/staff")) != 1 || len(find(page.doc, "a", "href", "/vendor/orders")) != 1 {
			t.Errorf("the owner's menu lacks orders or team")
		}
		if people := text(byID(page.doc, "people")); !strings.Contains(people, "Fatima") || !strings.Contains(people, "responsable") {
			t.Errorf("team: %s", people)
		}

		// Mistakes first: named beside their fields, what was typed kept, nothing sent.
		form := formValues(formOf(t, page.doc, "/vendor/staff"), nil)
		if form.Get("language") != "fr" {
			t.Errorf("the invitation's language starts as the page's: %q", form.Get("language"))
		}
		form.Set("email", "aicha at tifaouine")
		bad := owner.post("/vendor/staff", form)
		if bad.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad invitation: %d", bad.resp.StatusCode)
		}
		if got := textOf(byID(bad.doc, "name-error")); got != "Son nom : est obligatoire" {
			t.Errorf("name error: %q", got)
		}
		if in := byID(bad.doc, "email"); attr(in, "value") != "aicha at tifaouine" || attr(in, "aria-invalid") != "true" {
			t.Errorf("e-mail not kept or not marked")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox`); n != 0 {
			t.Fatalf("a refused invitation sent %d e-mails", n)
		}
		form.Set("name", "Aïcha")
		form.Set("email", "aicha@tifaouine.ma")
		form.Set("language", "ar")
		if loc := owner.post("/vendor/staff", form).location(t); loc != "/vendor/staff?done=portal.staff_invited" {
			t.Errorf("after inviting: %s", loc)
		}
		form.Set("email", "youssef@akal.ma")
		if p := owner.post("/vendor/staff", form); p.resp.StatusCode != http.StatusUnprocessableEntity ||
			textOf(byID(p.doc, "email-error")) != "E-mail : est déjà utilisé" {
			t.Errorf("an address already used: %d %q", p.resp.StatusCode, textOf(byID(p.doc, "email-error")))
		}
		page = owner.get("/vendor/staff?done=portal.staff_invited")
		if people := text(byID(page.doc, "people")); !strings.Contains(people, "Aïcha") || !strings.Contains(people, "invité") {
			t.Errorf("team after inviting: %s", people)
		}

		// The e-mail, in Arabic, with the link; the new member chooses a password.
		var body string
		if err := d.Read().QueryRowContext(ctx, `SELECT body_text FROM outbox WHERE recipient = 'aicha@tifaouine.ma'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(body, "Fatima") || !strings.Contains(body, "تعاونية تيفاوين") {
			t.Errorf("invitation e-mail: %q", body)
		}
		link := regexp.MustCompile(`https?://\S+(/ar/account/set-password\?token=(\S+))`).FindStringSubmatch(body)
		if link == nil {
			t.Fatalf("no link in %q", body)
		}
		token, _ := url.QueryUnescape(link[2])
		staff := m.shopper()
		if p := staff.get(link[1]); p.resp.StatusCode != http.StatusOK {
			t.Fatalf("set-password page: %d", p.resp.StatusCode)
		}
		if loc := staff.post("/ar/account/set-password", url.Values{"token": {token}, "password": {"aicha-argan-2024"}}).location(t); loc != "/vendor/?welcome=1" {
			t.Fatalf("after choosing a password: %s", loc)
		}
		orders := staff.get("/vendor/orders")
		if orders.resp.StatusCode != http.StatusOK {
			t.Errorf("staff on the orders: %d", orders.resp.StatusCode)
		}
		if len(find(orders.doc, "a", "href", "/vendor/staff")) != 0 {
			t.Errorf("the team is in the staff member's menu")
		}
		if p := staff.get("/vendor/staff"); p.resp.StatusCode != http.StatusForbidden {
			t.Errorf("staff on the team page: %d", p.resp.StatusCode)
		}

		// Removing: another vendor's owner cannot; the owner is asked first.
		page = owner.get("/vendor/staff")
		var remove string
		for _, f := range find(page.doc, "form") {
			if a := attr(f, "action"); strings.HasSuffix(a, "/remove") {
				remove = a
			}
		}
		if remove == "" || strings.Contains(text(byID(page.doc, "people")), "invité") {
			t.Fatalf("no remove button, or still invited: %s", text(byID(page.doc, "people")))
		}
		before := fingerprint(t, d)
		if p := other.post(remove, url.Values{"csrf_token": {portalCSRF(t, other)}, "confirm": {"yes"}}); p.resp.StatusCode != http.StatusNotFound {
			t.Errorf("another vendor's owner removes: %d", p.resp.StatusCode)
		}
		ask := owner.post(remove, formValues(formOf(t, page.doc, remove), nil))
		if ask.resp.StatusCode != http.StatusOK || !strings.Contains(textOf(byID(ask.doc, "confirm")), "Retirer Aïcha ?") {
			t.Fatalf("the question: %d %s", ask.resp.StatusCode, textOf(byID(ask.doc, "confirm")))
		}
		if fingerprint(t, d) != before {
			t.Fatalf("asking removed someone")
		}
		if p := staff.get("/vendor/orders"); p.resp.StatusCode != http.StatusOK {
			t.Fatalf("staff signed out before the owner said yes: %d", p.resp.StatusCode)
		}
		yes := formValues(find(byID(ask.doc, "confirm"), "form")[0], nil)
		if loc := owner.post(remove, yes).location(t); loc != "/vendor/staff?done=portal.staff_removed" {
			t.Errorf("after removing: %s", loc)
		}
		if p := staff.get("/vendor/orders"); p.resp.StatusCode != http.StatusSeeOther || !strings.Contains(p.resp.Header.Get("Location"), "/account/signin") {
			t.Errorf("removed member's session: %d %s", p.resp.StatusCode, p.resp.Header.Get("Location"))
		}
		page = owner.get("/vendor/staff")
		if people := text(byID(page.doc, "people")); !strings.Contains(people, "retiré") {
			t.Errorf("team after removing: %s", people)
		}
		// The owner is never offered to themselves, and cannot be removed.
		var ownerID int64
		if err := d.Read().QueryRowContext(ctx, `SELECT id FROM users WHERE email = 'fatima@tifaouine.ma'`).Scan(&ownerID); err != nil {
			t.Fatal(err)
		}
		self := "/vendor/staff/" + strconv.FormatInt(ownerID, 10) + "/remove"
		if len(find(page.doc, "form", "action", self)) != 0 {
			t.Errorf("the owner is offered to remove themselves")
		}
		if p := owner.post(self, url.Values{"csrf_token": {portalCSRF(t, owner)}, "confirm": {"yes"}}); p.resp.StatusCode != http.StatusConflict {
			t.Errorf("the owner removes themselves: %d", p.resp.StatusCode)
		}
	})
}
