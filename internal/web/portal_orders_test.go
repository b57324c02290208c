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
	"souk/internal/order"
	"souk/internal/vendor"
)

var _ = authzRows(map[string]string{
	"GET /vendor/orders":                  "owner staff other",
	"GET /vendor/orders/{parcel}":         "owner staff",
	"POST /vendor/orders/{parcel}/move":   "owner staff",
	"GET /vendor/orders/{parcel}/slip":    "owner staff",
	"GET /vendor/orders/{parcel}/invoice": "owner staff",
})

// portalPerson creates a vendor's (or anyone's) account and signs it in
// through the sign-in form, in French.
func portalPerson(t *testing.T, m market, nu auth.NewUser) *shopper {
	t.Helper()
	nu.Password, nu.Locale = "a-long-password-1", "fr"
	if nu.Name == "" {
		nu.Name = strings.Split(nu.Email, "@")[0]
	}
	if _, err := m.app.Auth.CreateUser(context.Background(), nu); err != nil {
		t.Fatal(err)
	}
	s := m.shopper()
	s.post("/fr/account/signin", url.Values{"email": {nu.Email}, "password": {nu.Password}}).location(t)
	s.get("/vendor/?lang=fr") // the back office in French from here on
	return s
}

// portalCSRF is the CSRF token of a signed-in person's session.
func portalCSRF(t *testing.T, s *shopper) string {
	t.Helper()
	p := s.get("/vendor/")
	token := formValues(formOf(t, p.doc, "/fr/account/signout"), nil).Get("csrf_token")
	if token == "" {
		t.Fatal("no CSRF token")
	}
	return token
}

// portalVendors is the market's cooperative, given an ICE; and a second,
// approved vendor.
func portalVendors(t *testing.T, m market) (tifaouine, akal vendor.Vendor) {
	t.Helper()
	ctx := context.Background()
	admin := auth.User{ID: 1, Role: auth.RoleAdmin}
	v, err := m.app.Vendors.BySlug(ctx, "tifaouine")
	if err != nil {
		t.Fatal(err)
	}
	v, err = m.app.Vendors.Update(ctx, admin, v.ID, vendor.Input{Slug: v.Slug, Kind: v.Kind, LegalName: v.LegalName, Texts: v.Texts,
		Region: v.Region, City: v.City, CooperativeNumber: v.CooperativeNumber, ICE: "001234567000089", ContactName: v.ContactName,
		Email: v.Email, Phone: v.Phone, RIB: v.RIB})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.app.Vendors.Create(ctx, admin, vendor.Input{Slug: "akal", Kind: vendor.Artisan, LegalName: "Atelier Akal",
		Region: "fes-meknes", City: "Fès", Texts: map[string]vendor.Texts{"fr": {DisplayName: "Akal"}}}, vendor.Approved)
	if err != nil {
		t.Fatal(err)
	}
	return v, b
}

// A cash-on-delivery order placed in the shop waits in the owner's "to
// confirm" tab; the owner confirms, packs and ships it (the tracking
// number is asked for, by name, when missing; nothing changes then), and
// the customer's page says it is shipped. The packing slip and the
// invoice show the lines, the ICE and the cash to collect. Another
// vendor's owner finds none of it.
func TestPortalOrderFromConfirmToShipped(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		yes := true
		if _, err := m.app.Orders.SetSettings(ctx, auth.User{ID: 1, Role: auth.RoleAdmin}, order.SettingsInput{CODConfirmation: &yes}); err != nil {
			t.Fatal(err)
		}
		tifaouine, akal := portalVendors(t, m)
		owner := portalPerson(t, m, auth.NewUser{Email: "fatima@tifaouine.ma", Role: auth.RoleVendorOwner, VendorID: tifaouine.ID})
		other := portalPerson(t, m, auth.NewUser{Email: "youssef@akal.ma", Role: auth.RoleVendorOwner, VendorID: akal.ID})

		buyer := m.shopper()
		buyer.addToCart("fr", "huile-argan", 2, "").location(t)
		buyer.addToCart("fr", "amlou", 1, "").location(t)
		orderURL, _ := buyer.place("fr", buyer.reviewed("fr", "cod"))

		// The owner's orders open on "to confirm", where the parcel waits.
		list := owner.get("/vendor/orders")
		if list.resp.StatusCode != http.StatusOK {
			t.Fatalf("orders: %d", list.resp.StatusCode)
		}
		if cur := find(list.doc, "a", "aria-current", "page"); len(cur) != 2 || !strings.HasPrefix(text(cur[1]), "À confirmer 1") {
			t.Errorf("current menu entry and tab: %v", cur)
		}
		rows := find(byID(list.doc, "parcels"), "a")
		if len(rows) != 1 {
			t.Fatalf("parcels listed: %d; %s", len(rows), text(list.doc))
		}
		row := text(rows[0])
		for _, want := range []string{"Casablanca", "3 articles", "340,00 DH", "à encaisser", "Passée"} {
			if !strings.Contains(row, want) {
				t.Errorf("the parcel's row lacks %q: %s", want, row)
			}
		}
		parcel, number := attr(rows[0], "href"), text(find(rows[0], "bdi")[0])
		collect := regexp.MustCompile(`à encaisser (\S+\s*DH)`).FindStringSubmatch(row)
		if collect == nil {
			t.Fatalf("no cash to collect in %q", row)
		}
		if theirs := other.get("/vendor/orders"); theirs.resp.StatusCode != http.StatusOK || byID(theirs.doc, "parcels") != nil {
			t.Errorf("another vendor's list: %d, %s", theirs.resp.StatusCode, text(theirs.doc))
		}

		// Another vendor's owner: not found, and cannot move it.
		for _, path := range []string{parcel, parcel + "/slip", parcel + "/invoice"} {
			if p := other.get(path); p.resp.StatusCode != http.StatusNotFound {
				t.Errorf("another vendor's owner on %s: %d", path, p.resp.StatusCode)
			}
		}
		page := owner.get(parcel)
		confirm := formValues(formOf(t, page.doc, parcel+"/move"), nil)
		confirm.Set("csrf_token", portalCSRF(t, other))
		if p := other.post(parcel+"/move", confirm); p.resp.StatusCode != http.StatusNotFound {
			t.Errorf("another vendor confirms: %d", p.resp.StatusCode)
		}

		// Confirm, then pack: one button each time.
		for i, want := range []string{"confirmed", "packed"} {
			page = owner.get(parcel)
			forms := find(page.doc, "form", "action", parcel+"/move")
			v := formValues(forms[0], nil)
			if v.Get("to") != want || v.Get("csrf_token") == "" {
				t.Fatalf("step %d: next step %q, want %q", i, v.Get("to"), want)
			}
			if loc := owner.post(parcel+"/move", v).location(t); loc != parcel+"?done=portal.done_"+want {
				t.Errorf("after %s: %s", want, loc)
			}
		}
		page = owner.get(parcel + "?done=portal.done_packed")
		if got := text(find(page.doc, "p", "class", "notice")[0]); !strings.Contains(got, "Colis emballé") {
			t.Errorf("notice: %q", got)
		}
		if got := textOf(byID(page.doc, "status")); got != "Emballée" {
			t.Errorf("status once packed: %q", got)
		}

		// Shipping without a tracking number: refused, the field named, nothing changes.
		ship := formValues(formOf(t, page.doc, parcel+"/move"), nil)
		if ship.Get("to") != "shipped" || ship.Get("carrier") == "" {
			t.Fatalf("ship form: %v", ship)
		}
		before := fingerprint(t, d)
		refused := owner.post(parcel+"/move", ship)
		if refused.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("ship without tracking: %d", refused.resp.StatusCode)
		}
		if got := textOf(byID(refused.doc, "tracking-error")); got != "Numéro de suivi : est obligatoire" {
			t.Errorf("tracking error: %q", got)
		}
		if links := find(refused.doc, "a", "href", "#tracking"); len(links) != 1 {
			t.Errorf("summary does not link to the tracking field")
		}
		if fingerprint(t, d) != before || textOf(byID(refused.doc, "status")) != "Emballée" {
			t.Errorf("a refused move changed something")
		}
		// An empty form and a move the state machine refuses.
		if p := owner.post(parcel+"/move", url.Values{"csrf_token": {ship.Get("csrf_token")}}); p.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("no step: %d", p.resp.StatusCode)
		}
		back := url.Values{"csrf_token": {ship.Get("csrf_token")}, "to": {"confirmed"}}
		if p := owner.post(parcel+"/move", back); p.resp.StatusCode != http.StatusConflict ||
			!strings.Contains(textOf(byID(p.doc, "refused")), "de « Emballée » à « Confirmée »") {
			t.Errorf("packed → confirmed: %d %s", p.resp.StatusCode, textOf(byID(p.doc, "refused")))
		}
		if fingerprint(t, d) != before {
			t.Errorf("refused moves changed something")
		}

		ship.Set("tracking", "RR123456789MA")
		owner.post(parcel+"/move", ship).location(t)
		page = owner.get(parcel)
		if got := textOf(byID(page.doc, "status")); got != "Expédiée" || !strings.Contains(textOf(byID(page.doc, "next")), "RR123456789MA") {
			t.Errorf("after shipping: %q, %s", got, textOf(byID(page.doc, "next")))
		}
		if forms := find(page.doc, "form", "action", parcel+"/move"); len(forms) != 0 {
			t.Errorf("a shipped parcel still offers %d moves", len(forms))
		}
		if p := owner.post(parcel+"/move", url.Values{"csrf_token": {ship.Get("csrf_token")}, "to": {"cancelled"}, "note": {"trop tard"}}); p.resp.StatusCode != http.StatusConflict {
			t.Errorf("cancel after shipping: %d", p.resp.StatusCode)
		}
		customer := buyer.get(orderURL)
		if got := text(find(customer.doc, "dd", "class", "status")[0]); got != "Expédiée" {
			t.Errorf("the customer's order page says %q", got)
		}

		// The packing slip and the invoice.
		slip := owner.get(parcel + "/slip")
		if slip.resp.StatusCode != http.StatusOK {
			t.Fatalf("slip: %d", slip.resp.StatusCode)
		}
		lines := text(byID(slip.doc, "slip-lines"))
		for _, want := range []string{"Huile d’argan — 250 ml", "ARG-250", "Amlou — 200 g", "AML"} {
			if !strings.Contains(lines, want) {
				t.Errorf("slip lacks %q: %s", want, lines)
			}
		}
		if n := len(find(slip.doc, "span", "class", "box")); n != 2 {
			t.Errorf("slip has %d boxes to tick, want 2", n)
		}
		if got := textOf(byID(slip.doc, "collect")); !strings.Contains(got, collect[1]) {
			t.Errorf("slip's cash to collect: %q", got)
		}
		if len(find(slip.doc, "button", "onclick", "window.print()")) != 1 {
			t.Errorf("no print button")
		}
		invoice := owner.get(parcel + "/invoice")
		if invoice.resp.StatusCode != http.StatusOK {
			t.Fatalf("invoice: %d", invoice.resp.StatusCode)
		}
		seller := textOf(byID(invoice.doc, "seller"))
		for _, want := range []string{"Coopérative Tifaouine", "001234567000089", "2004/1", "Taroudant", "Souss-Massa"} {
			if !strings.Contains(seller, want) {
				t.Errorf("seller lacks %q: %s", want, seller)
			}
		}
		if buyerText := textOf(byID(invoice.doc, "buyer")); !strings.Contains(buyerText, "Fatima Zahra") || !strings.Contains(buyerText, "12 rue des Oudayas") {
			t.Errorf("buyer: %s", buyerText)
		}
		if got := textOf(byID(invoice.doc, "invoice-number")); got != number {
			t.Errorf("invoice number %q, want the parcel's %q", got, number)
		}
		il := text(byID(invoice.doc, "invoice-lines"))
		for _, want := range []string{"Huile d’argan — 250 ml", "150,00", "300,00", "Amlou — 200 g", "Livraison"} {
			if !strings.Contains(il, want) {
				t.Errorf("invoice lines lack %q: %s", want, il)
			}
		}
		if len(find(byID(invoice.doc, "vat-breakdown"), "tr")) < 2 || !strings.Contains(textOf(byID(invoice.doc, "invoice-totals")), collect[1]) {
			t.Errorf("VAT breakdown or totals: %s / %s", textOf(byID(invoice.doc, "vat-breakdown")), textOf(byID(invoice.doc, "invoice-totals")))
		}
		if byID(invoice.doc, "no-ice") != nil {
			t.Errorf("the ICE is given, yet the invoice says it is missing")
		}
	})
}

// Cancelling needs a reason (asked for beside its field, the form left
// open); with one, the parcel is cancelled and its stock comes back. The
// page reads right to left in Arabic.
func TestPortalOrderCancelledWithAReason(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		tifaouine, _ := portalVendors(t, m)
		staff := portalPerson(t, m, auth.NewUser{Email: "aicha@tifaouine.ma", Role: auth.RoleVendorStaff, VendorID: tifaouine.ID})
		buyer := m.shopper()
		buyer.addToCart("fr", "huile-argan", 2, "").location(t)
		orderURL, _ := buyer.place("fr", buyer.reviewed("fr", "cod"))
		if stockOf(t, m.app, "huile-argan") != 3 {
			t.Fatalf("stock after the order: %d", stockOf(t, m.app, "huile-argan"))
		}

		// Cash on delivery is confirmed at once here: the parcel is to pack.
		list := staff.get("/vendor/orders")
		rows := find(byID(list.doc, "parcels"), "a")
		if len(rows) != 1 || len(find(list.doc, "a", "href", "/vendor/orders?tab=pack", "aria-current", "page")) != 1 {
			t.Fatalf("to pack: %d rows; %s", len(rows), text(list.doc))
		}
		parcel := attr(rows[0], "href")
		page := staff.get(parcel + "?lang=ar")
		if html := find(page.doc, "html"); attr(html[0], "dir") != "rtl" || attr(html[0], "lang") != "ar" {
			t.Errorf("Arabic page: dir=%q lang=%q", attr(html[0], "dir"), attr(html[0], "lang"))
		}
		if !strings.Contains(textOf(byID(page.doc, "next")), "الخطوة 2 من 3") {
			t.Errorf("next step in Arabic: %s", textOf(byID(page.doc, "next")))
		}
		var cancel url.Values
		for _, f := range find(page.doc, "form", "action", parcel+"/move") {
			if v := formValues(f, nil); v.Get("to") == "cancelled" {
				cancel = v
			}
		}
		if cancel == nil {
			t.Fatal("no cancel form")
		}
		refused := staff.post(parcel+"/move", cancel)
		if refused.resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(textOf(byID(refused.doc, "note-error")), "إلزامي") {
			t.Fatalf("cancel without a reason: %d %q", refused.resp.StatusCode, textOf(byID(refused.doc, "note-error")))
		}
		if d := find(refused.doc, "details", "class", "cancel no-print"); len(d) != 1 || !hasAttr(d[0], "open") {
			t.Errorf("the cancel form is not left open")
		}
		if stockOf(t, m.app, "huile-argan") != 3 {
			t.Errorf("a refused cancellation gave the stock back")
		}
		cancel.Set("note", "L’huile de ce lot est trouble.")
		staff.post(parcel+"/move", cancel).location(t)
		if stockOf(t, m.app, "huile-argan") != 5 {
			t.Errorf("stock after cancelling: %d", stockOf(t, m.app, "huile-argan"))
		}
		page = staff.get(parcel)
		if textOf(byID(page.doc, "status")) != "ملغى" {
			t.Errorf("status after cancelling: %q", textOf(byID(page.doc, "status")))
		}
		if len(find(page.doc, "form", "action", parcel+"/move")) != 0 || byID(page.doc, "collect") != nil {
			t.Errorf("a cancelled parcel still offers moves or cash to collect")
		}
		if got := text(find(buyer.get(orderURL).doc, "dd", "class", "status")[0]); got != "Annulée" {
			t.Errorf("the customer's order page says %q", got)
		}
	})
}
