package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/i18n"
	"souk/internal/order"
)

// Refunds are for admins only: money leaves the marketplace and cannot be
// brought back (see admin_orders.go).
var _ = authzRows(map[string]string{
	"GET /admin/orders":                                 "moderator admin",
	"GET /admin/orders/{number}":                        "moderator admin",
	"POST /admin/orders/{number}/parcels/{parcel}/move": "moderator admin",
	"POST /admin/orders/{number}/cod-collected":         "moderator admin",
	"POST /admin/orders/{number}/refund":                "admin",
	"POST /admin/orders/{number}/cancel":                "moderator admin",
	"GET /admin/customers":                              "moderator admin",
	"GET /admin/customers/{customer}":                   "moderator admin",
})

// {customer} is the authorization test's customer account.
var _ = func() bool {
	authzFixtures = append(authzFixtures, func(t *testing.T, m market, f authzFixture) {
		u, err := m.app.Auth.UserByEmail(context.Background(), "client@example.ma")
		if err != nil {
			t.Fatal(err)
		}
		f["customer"] = strconv.FormatInt(u.ID, 10)
	})
	return true
}()

// aoCustomerOrder is an order of argan oil placed by a customer account,
// paid in cash on delivery.
func aoCustomerOrder(t *testing.T, m market, email string) (auth.User, order.Order) {
	t.Helper()
	ctx := context.Background()
	u, err := m.app.Auth.CreateUser(ctx, auth.NewUser{Email: email, Name: "Nadia Alaoui", Password: "a-long-password-1",
		Role: auth.RoleCustomer, Locale: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := m.app.Orders.NewCart(ctx, u, "")
	if err != nil {
		t.Fatal(err)
	}
	variant, err := m.app.Catalog.FindVariant(ctx, "huile-argan", "ARG-250")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.app.Orders.SetItem(ctx, u, c.ID, variant, 1, true); err != nil {
		t.Fatal(err)
	}
	o, _, err := m.app.Orders.Checkout(ctx, u, c.ID, "", order.CheckoutInput{Email: email, Phone: "06 12 34 56 78",
		PaymentMethod: order.COD, Locale: "fr", Address: order.Address{Name: "Nadia Alaoui", Line1: "3 derb Sidi Bouloukat",
			City: "marrakech", Country: "MA"}})
	if err != nil {
		t.Fatal(err)
	}
	return u, o
}

// aoOrderRows are the order numbers an orders table lists.
func aoOrderRows(p page) []string {
	var out []string
	for _, table := range find(p.doc, "table", "id", "orders") {
		for _, a := range find(table, "a") {
			out = append(out, textOf(a))
		}
	}
	return out
}

func aoParcelStatus(t *testing.T, m market, number string) order.Status {
	t.Helper()
	o, err := m.app.Orders.Get(context.Background(), operator, number)
	if err != nil {
		t.Fatal(err)
	}
	return o.Vendors[0].Status
}

// The console's orders: the list finds an order by number and by the
// customer's e-mail; the order's page moves a parcel only as the state
// machine allows (an impossible move is refused in words, 409, nothing
// changes), asks for a tracking number to ship, records the cash collected
// only at the order's total, lets admins alone refund, and says why a
// shipped order cannot be cancelled.
func TestAdminOrdersConsole(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		buyer := m.shopper()
		buyer.addToCart("fr", "amlou", 2, "")
		placed, _ := buyer.place("fr", buyer.reviewed("fr", "cod"))
		guestNumber := strings.TrimPrefix(strings.Split(placed, "?")[0], "/fr/orders/")
		_, o := aoCustomerOrder(t, m, "nadia@example.ma")
		mod := modSignIn(t, m, auth.RoleModerator, "karim@souk.ma")

		// The list: newest first, found by number, by e-mail, filtered.
		p := modPage(t, mod, "/admin/orders?lang=fr", http.StatusOK)
		if got := aoOrderRows(p); len(got) != 2 || got[0] != o.Number || got[1] != guestNumber {
			t.Fatalf("orders: %v, want %s then %s", got, o.Number, guestNumber)
		}
		for query, want := range map[string]string{
			"q=" + url.QueryEscape(strings.ToLower(guestNumber)): guestNumber,
			"q=NADIA%40example": o.Number,
			"method=cod&status=" + string(o.Status) + "&vendor=" + strconv.FormatInt(modVendorID(t, m, "tifaouine"), 10) + "&q=nadia": o.Number,
		} {
			if got := aoOrderRows(modPage(t, mod, "/admin/orders?"+query, http.StatusOK)); len(got) != 1 || got[0] != want {
				t.Errorf("%s: %v, want %s", query, got, want)
			}
		}
		if got := aoOrderRows(modPage(t, mod, "/admin/orders?method=cmi", http.StatusOK)); len(got) != 0 {
			t.Errorf("card orders: %v", got)
		}
		p = modPage(t, mod, "/admin/orders?from=2020-13-01&q="+url.QueryEscape(o.Number), http.StatusOK)
		if attr(byID(p.doc, "from"), "aria-invalid") != "true" || len(aoOrderRows(p)) != 1 {
			t.Errorf("a bad date is not named beside its field, or stops the list: %s", errorsOf(p.doc))
		}

		// The order's page.
		orderURL := "/admin/orders/" + o.Number
		parcel := o.Vendors[0]
		moveURL := fmt.Sprintf("%s/parcels/%d/move", orderURL, parcel.ID)
		p = modPage(t, mod, orderURL, http.StatusOK)
		if c := textOf(byID(p.doc, "customer")); !strings.Contains(c, "nadia@example.ma") || !strings.Contains(c, "3 derb Sidi Bouloukat") {
			t.Errorf("customer card: %q", c)
		}
		if byID(p.doc, "refund") != nil {
			t.Errorf("a moderator is offered the refund form")
		}
		if parcel.Status != order.Confirmed {
			t.Fatalf("the COD order starts %s", parcel.Status)
		}

		// An impossible move: said in words, nothing changes.
		form := formValues(formOf(t, p.doc, moveURL), nil)
		form.Set("to", string(order.Delivered))
		p = mod.post(moveURL, form)
		want := i18n.T("fr", "order.bad_transition", map[string]any{"from": i18n.T("fr", "shop.status.confirmed", nil),
			"to": i18n.T("fr", "shop.status.delivered", nil)})
		if p.resp.StatusCode != http.StatusConflict || !strings.Contains(textOf(byID(p.doc, "message")), want) {
			t.Fatalf("confirmed → delivered: %d %q, want %q", p.resp.StatusCode, errorsOf(p.doc), want)
		}
		if aoParcelStatus(t, m, o.Number) != order.Confirmed {
			t.Fatal("an impossible move changed the parcel")
		}
		// A move the state machine allows.
		form.Set("to", string(order.Packed))
		form.Set("note", "Client rappelé")
		if loc := mod.post(moveURL, form).location(t); loc != orderURL+"?done=moderation.moved" {
			t.Fatalf("after the move: %s", loc)
		}
		if aoParcelStatus(t, m, o.Number) != order.Packed {
			t.Fatal("not packed")
		}
		p = modPage(t, mod, orderURL+"?done=moderation.moved", http.StatusOK)
		if h := textOf(byID(p.doc, "history")); !strings.Contains(h, "Client rappelé") || !strings.Contains(h, i18n.T("fr", "moderation.actor.operator", nil)) {
			t.Errorf("history: %q", h)
		}
		// Shipping asks for the tracking number; what was chosen stays.
		form = formValues(formOf(t, p.doc, moveURL), nil)
		form.Set("to", string(order.Shipped))
		form.Set("tracking", "")
		p = mod.post(moveURL, form)
		trackingID := fmt.Sprintf("tracking-%d", parcel.ID)
		if p.resp.StatusCode != http.StatusUnprocessableEntity || attr(byID(p.doc, trackingID), "aria-invalid") != "true" {
			t.Fatalf("ship without tracking: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}
		if sel := find(byID(p.doc, fmt.Sprintf("to-%d", parcel.ID)), "option", "value", string(order.Shipped)); len(sel) != 1 || !hasAttr(sel[0], "selected") {
			t.Errorf("the chosen status was not kept")
		}
		form.Set("tracking", "AMANA-MA-778899")
		mod.post(moveURL, form).location(t)
		if aoParcelStatus(t, m, o.Number) != order.Shipped {
			t.Fatal("not shipped")
		}

		// A shipped order cannot be cancelled: said in words.
		p = modPage(t, mod, orderURL, http.StatusOK)
		if byID(p.doc, "cancel") != nil {
			t.Errorf("a shipped order offers to cancel")
		}
		p = mod.post(orderURL+"/cancel", url.Values{"csrf_token": {formValues(formOf(t, p.doc, "/fr/account/signout"), nil).Get("csrf_token")}, "reason": {"Erreur"}})
		if p.resp.StatusCode != http.StatusConflict || textOf(byID(p.doc, "message")) == "" {
			t.Errorf("cancel a shipped order: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}

		// Cash collected: the total, nothing else.
		p = modPage(t, mod, orderURL, http.StatusOK)
		form = formValues(formOf(t, p.doc, orderURL+"/cod-collected"), nil)
		form.Set("amount", "1")
		p = mod.post(orderURL+"/cod-collected", form)
		if p.resp.StatusCode != http.StatusUnprocessableEntity || attr(byID(p.doc, "cod-amount"), "value") != "1" ||
			!strings.Contains(textOf(byID(p.doc, "problems")), i18n.T("fr", "moderation.cod_mismatch", nil)) {
			t.Fatalf("cash collected, wrong amount: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}
		form.Set("amount", strings.ReplaceAll(fmt.Sprintf("%d,%02d", o.Total.Amount/100, o.Total.Amount%100), " ", ""))
		mod.post(orderURL+"/cod-collected", form).location(t)
		p = modPage(t, mod, orderURL, http.StatusOK)
		if got := textOf(byID(p.doc, "payment-status")); got != i18n.T("fr", "shop.payment.captured", nil) {
			t.Errorf("payment after collection: %q", got)
		}
		if ev := textOf(byID(p.doc, "payment-events")); !strings.Contains(ev, "collected") {
			t.Errorf("payment events: %q", ev)
		}
		if byID(p.doc, "refund") != nil || byID(p.doc, "refund-admins") == nil {
			t.Errorf("a moderator should see that refunds are for admins")
		}

		// Refunds: admins only, at most what was paid.
		csrf := formValues(formOf(t, p.doc, "/fr/account/signout"), nil).Get("csrf_token")
		if p := mod.post(orderURL+"/refund", url.Values{"csrf_token": {csrf}, "amount": {"10"}, "reason": {"x"}}); p.resp.StatusCode != http.StatusForbidden {
			t.Errorf("a moderator refunds: %d", p.resp.StatusCode)
		}
		admin := modSignIn(t, m, auth.RoleAdmin, "salma@souk.ma")
		p = modPage(t, admin, orderURL, http.StatusOK)
		form = formValues(formOf(t, p.doc, orderURL+"/refund"), nil)
		form.Set("amount", "100000")
		form.Set("reason", "Flacon cassé")
		p = admin.post(orderURL+"/refund", form)
		if p.resp.StatusCode != http.StatusUnprocessableEntity || attr(byID(p.doc, "refund-reason"), "value") != "Flacon cassé" ||
			!strings.Contains(textOf(byID(p.doc, "problems")), strings.Join(strings.Fields(i18n.FormatMoney("fr", o.Total)), " ")) {
			t.Fatalf("refund too much: %d %s", p.resp.StatusCode, errorsOf(p.doc))
		}
		form.Set("amount", "50")
		admin.post(orderURL+"/refund", form).location(t)
		p = modPage(t, admin, orderURL, http.StatusOK)
		if r := textOf(byID(p.doc, "refunds")); !strings.Contains(r, "Flacon cassé") {
			t.Errorf("refunds: %q", r)
		}
		modPage(t, mod, "/admin/orders/S000000-NOPE", http.StatusNotFound)
	})
}

// The console's customers: found by e-mail or name, with their number of
// orders; a customer's page lists their orders; a vendor's owner is not a
// customer.
func TestAdminCustomersConsole(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		u, o := aoCustomerOrder(t, m, "nadia@example.ma")
		if _, err := m.app.Auth.CreateUser(context.Background(), auth.NewUser{Email: "omar@example.ma", Name: "Omar", Password: "a-long-password-1",
			Role: auth.RoleCustomer}); err != nil {
			t.Fatal(err)
		}
		mod := modSignIn(t, m, auth.RoleModerator, "karim@souk.ma")
		p := modPage(t, mod, "/admin/customers?lang=fr&q=alaoui", http.StatusOK)
		rows := find(byID(p.doc, "customers"), "tr")
		customerURL := "/admin/customers/" + strconv.FormatInt(u.ID, 10)
		if len(rows) != 2 || len(find(rows[1], "a", "href", customerURL)) != 1 {
			t.Fatalf("customers named Alaoui: %q", textOf(byID(p.doc, "customers")))
		}
		if cells := find(rows[1], "td"); textOf(cells[len(cells)-1]) != "1" {
			t.Errorf("Nadia's number of orders: %q", textOf(cells[len(cells)-1]))
		}
		if rows := find(byID(modPage(t, mod, "/admin/customers", http.StatusOK).doc, "customers"), "tr"); len(rows) != 3 {
			t.Errorf("all customers: %d rows, want 2 and the heading", len(rows))
		}
		if p := modPage(t, mod, "/admin/customers?q=karim", http.StatusOK); byID(p.doc, "customers") != nil {
			t.Errorf("an operator listed as a customer")
		}
		p = modPage(t, mod, customerURL, http.StatusOK)
		if got := aoOrderRows(p); len(got) != 1 || got[0] != o.Number {
			t.Errorf("the customer's orders: %v", got)
		}
		owner, err := m.app.Auth.CreateUser(context.Background(), auth.NewUser{Email: "owner@tifaouine.ma", Password: "a-long-password-1",
			Role: auth.RoleVendorOwner, VendorID: modVendorID(t, m, "tifaouine")})
		if err != nil {
			t.Fatal(err)
		}
		modPage(t, mod, "/admin/customers/"+strconv.FormatInt(owner.ID, 10), http.StatusNotFound)
	})
}
