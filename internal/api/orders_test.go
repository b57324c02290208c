package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"souk/internal/auth"
	"souk/internal/order"
)

type cartJSON struct {
	ID          string
	Lines       []struct{ Quantity int }
	CanCheckout bool `json:"can_checkout"`
}

type orderJSON struct {
	ID           int64
	Number       string
	Status       string
	Link         string
	Total        struct{ Amount int64 }
	VendorOrders []struct {
		ID     int64
		Vendor string
		Status string
	} `json:"vendor_orders"`
	Payment struct {
		Method, Status string
		ClientSecret   string `json:"client_secret"`
		CMI            *struct {
			URL    string
			Fields map[string]string
		}
	}
}

// checkoutBody is a cash-on-delivery checkout to Agadir.
func checkoutBody(method string) map[string]any {
	return map[string]any{"email": "customer@example.ma", "phone": "0612345678", "payment_method": method,
		"address": map[string]string{"name": "Aicha", "line1": "Rue 5, Dcheira", "city": "agadir", "country": "MA"}}
}

// newCart opens a cart as role holding quantity of the published product
// of vendor v ("a" or "b").
func (e *env) newCart(as, v string, quantity int) string {
	e.t.Helper()
	var c cartJSON
	e.call("POST", "/api/v1/carts", as, nil).status(201).decode(&c)
	p := e.products[v+"-pub"]
	e.call("POST", "/api/v1/carts/"+c.ID+"/items", as, map[string]any{"product": p.Slug, "variant": p.Variants[0].SKU, "quantity": quantity}).status(201)
	return c.ID
}

// placeOrder checks a cart out as role and returns the order.
func (e *env) placeOrder(as, cart, method string) orderJSON {
	e.t.Helper()
	var o orderJSON
	e.call("POST", "/api/v1/carts/"+cart+"/checkout", as, checkoutBody(method), map[string]string{"Idempotency-Key": e.unique("key")}).status(201).decode(&o)
	return o
}

// exerciseOrders produces every documented answer of the cart, checkout,
// order, shipping and channel routes (TestEveryDocumentedResponse counts
// them), checking what each one says.
func (e *env) exerciseOrders() {
	t := e.t
	big := `{"note":"` + strings.Repeat("a", 1<<20) + `"}`
	strict := func(method, path, as string) {
		t.Helper()
		e.call(method, path, as, `{"status":`).status(400)
		e.call(method, path, as, big).status(413)
		e.call(method, path, as, `{}`, map[string]string{"Content-Type": "text/plain"}).status(415)
		if f := e.call(method, path, as, `{"colour":"red"}`).status(422).apiError().Error.Fields; f["colour"] == "" {
			t.Errorf("%s %s: unknown field not named: %v", method, path, f)
		}
	}
	aPub, bPub := e.products["a-pub"], e.products["b-pub"]
	item := func(p string) string { return "/items/" + p + "/" + bPub.Variants[0].SKU }

	// Carts.
	strict("POST", "/api/v1/carts", "anonymous")
	e.callOffContract("POST", "/api/v1/carts", "anonymous", map[string]string{"channel": "moon"}).status(422)
	cart := e.newCart("customer", "a", 1)
	base := "/api/v1/carts/" + cart
	e.call("GET", base, "customer", nil).status(200)
	e.call("GET", base, "anonymous", nil).status(404) // a customer's cart is theirs alone
	e.call("GET", "/api/v1/carts/"+strings.Repeat("a", 32), "anonymous", nil).status(404)
	strict("POST", base+"/items", "customer")
	e.call("POST", "/api/v1/carts/nope/items", "customer", map[string]any{"product": aPub.Slug, "variant": "A-PUB", "quantity": 1}).status(404)
	e.call("POST", base+"/items", "customer", map[string]any{"product": aPub.Slug, "variant": "A-PUB", "quantity": 10}).status(409)
	if f := e.callOffContract("POST", base+"/items", "customer", map[string]any{"product": aPub.Slug, "variant": "A-PUB", "quantity": -2}).
		status(422).apiError().Error.Fields; f["quantity"] == "" {
		t.Errorf("negative quantity: %v", f)
	}
	if f := e.call("POST", base+"/items", "customer", map[string]any{"product": "no-such-thing", "variant": "X", "quantity": 1}).
		status(422).apiError().Error.Fields; f["product"] == "" {
		t.Errorf("unknown product: %v", f)
	}
	e.call("POST", base+"/items", "customer", map[string]any{"product": bPub.Slug, "variant": "B-PUB", "quantity": 2}).status(201)
	strict("PUT", base+item(bPub.Slug), "customer")
	e.call("PUT", base+item(bPub.Slug), "customer", map[string]int{"quantity": 3}).status(200)
	e.call("PUT", base+item(bPub.Slug), "customer", map[string]int{"quantity": 11}).status(409)
	e.callOffContract("PUT", base+item(bPub.Slug), "customer", map[string]int{"quantity": -1}).status(422)
	e.call("PUT", base+item("no-such-product"), "customer", map[string]int{"quantity": 1}).status(404)
	var c cartJSON
	e.call("DELETE", base+item(bPub.Slug), "customer", nil).status(200).decode(&c)
	if len(c.Lines) != 1 || !c.CanCheckout {
		t.Errorf("cart after removing a line: %+v", c)
	}
	e.call("DELETE", "/api/v1/carts/"+strings.Repeat("b", 32)+item(bPub.Slug), "customer", nil).status(404)

	// Checkout: created, replayed, refused.
	strict("POST", base+"/checkout", "customer")
	key := map[string]string{"Idempotency-Key": "c0ffee-1"}
	if f := e.callOffContract("POST", base+"/checkout", "customer", map[string]any{"email": "x", "payment_method": "gold",
		"address": map[string]string{"city": "Gotham", "country": "MA"}}, key).status(422).apiError().Error.Fields; f["email"] == "" || f["phone"] == "" ||
		f["address.city"] == "" || f["payment_method"] == "" || f["address.name"] == "" {
		t.Errorf("bad checkout: %v", f)
	}
	var o, again orderJSON
	e.call("POST", base+"/checkout", "customer", checkoutBody("cod"), key).status(201).decode(&o)
	e.call("POST", base+"/checkout", "customer", checkoutBody("cod"), key).status(200).decode(&again)
	if o.Number == "" || again.Number != o.Number || o.Status != "confirmed" || len(o.VendorOrders) != 1 {
		t.Errorf("order %+v, replay %+v", o, again)
	}
	e.call("POST", base+"/checkout", "customer", checkoutBody("cod"), map[string]string{"Idempotency-Key": "c0ffee-2"}).status(409)
	e.call("POST", "/api/v1/carts/"+strings.Repeat("c", 32)+"/checkout", "customer", checkoutBody("cod")).status(404)

	// Reading orders.
	e.call("GET", "/api/v1/orders", "customer", nil).status(200)
	e.call("GET", "/api/v1/orders", "anonymous", nil).status(401)
	op := fmt.Sprintf("/api/v1/orders/%d", o.ID)
	e.call("GET", op, "customer", nil).status(200)
	e.call("GET", op, "owner-b", nil).status(404)
	token := o.Link[strings.Index(o.Link, "?t=")+3:]
	e.call("GET", op+"?token="+token, "anonymous", nil).status(200)
	e.call("GET", "/api/v1/orders/"+o.Number+"?token=forged", "anonymous", nil).status(404)

	// The vendor packs and ships its parcel.
	vo := fmt.Sprintf("/api/v1/vendor-orders/%d/status", o.VendorOrders[0].ID)
	strict("POST", vo, "owner-a")
	e.call("POST", vo, "anonymous", map[string]string{"status": "packed"}).status(401)
	e.call("POST", vo, "owner-b", map[string]string{"status": "packed"}).status(404)
	e.call("POST", vo, "customer", map[string]string{"status": "packed"}).status(403)
	e.call("POST", vo, "owner-a", map[string]string{"status": "shipped", "tracking_number": "RR1"}).status(409)
	e.callOffContract("POST", vo, "owner-a", map[string]string{"status": "sold"}).status(422)
	e.call("POST", vo, "staff-a", map[string]string{"status": "packed"}).status(200)
	e.call("POST", vo, "owner-a", map[string]string{"status": "shipped", "tracking_number": "RR123456789MA"}).status(200)

	// The vendor's list of parcels to ship: its own, with the address.
	var parcels struct {
		Items []struct {
			Order   string
			Vendor  string
			Address struct{ City string }
			Collect struct{ Amount int64 }
		}
	}
	e.call("GET", "/api/v1/vendor-orders?status=shipped", "owner-a", nil).status(200).decode(&parcels)
	if len(parcels.Items) != 1 || parcels.Items[0].Order != o.Number || parcels.Items[0].Vendor != "coop-a" ||
		parcels.Items[0].Address.City != "agadir" || parcels.Items[0].Collect.Amount == 0 {
		t.Errorf("A's shipped parcels: %+v", parcels.Items)
	}
	e.call("GET", "/api/v1/vendor-orders?vendor=coop-b", "owner-a", nil).status(403)
	e.call("GET", "/api/v1/vendor-orders", "customer", nil).status(403)
	e.call("GET", "/api/v1/vendor-orders", "anonymous", nil).status(401)
	e.callOffContract("GET", "/api/v1/vendor-orders?status=lost", "owner-a", nil).status(422)
	e.call("GET", "/api/v1/vendor-orders?vendor=coop-b", "admin", nil).status(200)

	// Cancelling: not the customer once shipped, not even the operator.
	cancel := op + "/cancel"
	strict("POST", cancel, "customer")
	e.call("POST", cancel, "anonymous", nil).status(401)
	e.call("POST", cancel, "owner-a", nil).status(404)
	e.call("POST", cancel, "customer", map[string]string{"note": "too late?"}).status(403)
	e.call("POST", cancel, "admin", nil).status(409)
	other := e.placeOrder("customer", e.newCart("customer", "b", 1), "cod")
	e.call("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", other.ID), "customer", map[string]string{"note": "ordered twice"}).status(200)

	// The operator's side: confirming, cash collected, refunds.
	confirm := op + "/confirm"
	strict("POST", confirm, "admin")
	e.call("POST", confirm, "anonymous", nil).status(401)
	e.call("POST", confirm, "customer", nil).status(403)
	e.call("POST", "/api/v1/orders/999999/confirm", "admin", nil).status(404)
	e.call("POST", confirm, "moderator", map[string]string{"note": "called the customer"}).status(200)
	refund := op + "/refunds"
	strict("POST", refund, "admin")
	e.call("POST", refund, "anonymous", map[string]any{"amount": 100, "reason": "broken jar"}).status(401)
	e.call("POST", refund, "customer", map[string]any{"amount": 100, "reason": "broken jar"}).status(403)
	e.call("POST", "/api/v1/orders/999999/refunds", "admin", map[string]any{"amount": 100, "reason": "broken jar"}).status(404)
	e.call("POST", refund, "admin", map[string]any{"amount": 100, "reason": "broken jar"}).status(409) // not collected yet
	collected := op + "/cod-collected"
	e.call("POST", collected, "anonymous", nil).status(401)
	e.call("POST", collected, "customer", nil).status(403)
	e.call("POST", "/api/v1/orders/999999/cod-collected", "admin", nil).status(404)
	e.call("POST", collected, "admin", nil).status(200)
	e.call("POST", collected, "admin", nil).status(409)
	e.callOffContract("POST", refund, "admin", map[string]any{"amount": o.Total.Amount + 1, "reason": "too much"}).status(422)
	var refunded orderJSON
	e.call("POST", refund, "admin", map[string]any{"amount": o.Total.Amount, "reason": "jar broken in transit"}).status(200).decode(&refunded)
	if refunded.Payment.Status != "refunded" {
		t.Errorf("payment after a full refund: %s", refunded.Payment.Status)
	}

	// Shipping settings and quotes.
	e.call("GET", "/api/v1/carriers", "anonymous", nil).status(401)
	e.call("GET", "/api/v1/carriers", "owner-a", nil).status(403)
	e.call("GET", "/api/v1/carriers", "admin", nil).status(200)
	strict("PUT", "/api/v1/carriers/dhl", "admin")
	e.call("PUT", "/api/v1/carriers/dhl", "anonymous", map[string]any{"discount_bp": 9200, "active": true}).status(401)
	e.call("PUT", "/api/v1/carriers/dhl", "owner-a", map[string]any{"discount_bp": 9200, "active": true}).status(403)
	e.call("PUT", "/api/v1/carriers/pigeon", "admin", map[string]any{"discount_bp": 9200, "active": true}).status(404)
	e.call("PUT", "/api/v1/carriers/dhl", "admin", map[string]any{"discount_bp": 20000, "active": true}).status(422)
	e.call("PUT", "/api/v1/carriers/dhl", "admin", map[string]any{"discount_bp": 9200, "active": true}).status(200)
	rates := "/api/v1/carriers/ctm/rates/ma-south"
	bands := map[string]any{"bands": []map[string]int{{"max_grams": 1000, "amount": 3000}, {"max_grams": 5000, "amount": 5000}}}
	strict("PUT", rates, "admin")
	e.call("PUT", rates, "anonymous", bands).status(401)
	e.call("PUT", rates, "owner-a", bands).status(403)
	e.call("PUT", "/api/v1/carriers/ctm/rates/mars", "admin", bands).status(404)
	e.call("PUT", rates, "admin", map[string]any{"bands": []map[string]int{{"max_grams": 5000, "amount": 1}, {"max_grams": 1000, "amount": 1}}}).status(422)
	e.call("PUT", rates, "admin", bands).status(200)
	var quotes struct {
		Items []struct {
			Carrier string
			Amount  int64
		}
	}
	e.call("GET", "/api/v1/shipping-quotes?country=MA&city=agadir&grams=800", "anonymous", nil).status(200).decode(&quotes)
	// DHL's 90 MAD less the 92% negotiated: 7.20 MAD, then CTM's new table.
	if len(quotes.Items) < 2 || quotes.Items[0].Carrier != "dhl" || quotes.Items[0].Amount != 720 ||
		quotes.Items[1].Carrier != "ctm" || quotes.Items[1].Amount != 3000 {
		t.Errorf("quotes to Agadir: %+v", quotes.Items)
	}
	e.call("GET", "/api/v1/shipping-quotes?country=Morocco", "anonymous", nil).status(422)

	// Sales channels and their minimum order.
	e.call("GET", "/api/v1/sales-channels", "anonymous", nil).status(200)
	ch := "/api/v1/sales-channels/web"
	strict("PUT", ch, "admin")
	e.call("PUT", ch, "anonymous", map[string]any{"min_order": map[string]any{"amount": 50000}}).status(401)
	e.call("PUT", ch, "owner-a", map[string]any{"min_order": map[string]any{"amount": 50000}}).status(403)
	e.call("PUT", "/api/v1/sales-channels/moon", "admin", map[string]any{"min_order": map[string]any{"amount": 50000}}).status(404)
	e.call("PUT", ch, "admin", map[string]any{"min_order": map[string]any{"amount": -1}}).status(422)
	e.call("PUT", ch, "admin", map[string]any{"min_order": map[string]any{"amount": 5000, "currency": "MAD"}}).status(200)

	// Checkout settings.
	cs := "/api/v1/checkout-settings"
	e.call("GET", cs, "anonymous", nil).status(401)
	e.call("GET", cs, "customer", nil).status(403)
	e.call("GET", cs, "admin", nil).status(200)
	strict("PUT", cs, "admin")
	e.call("PUT", cs, "anonymous", map[string]any{"card_hold_minutes": 45}).status(401)
	e.call("PUT", cs, "owner-a", map[string]any{"card_hold_minutes": 45}).status(403)
	e.call("PUT", cs, "admin", map[string]any{"card_hold_minutes": 1}).status(422)
	var st struct {
		COD  bool `json:"cod_confirmation_required"`
		Hold int  `json:"card_hold_minutes"`
	}
	e.call("PUT", cs, "admin", map[string]any{"cod_confirmation_required": true, "card_hold_minutes": 45}).status(200).decode(&st)
	if !st.COD || st.Hold != 45 {
		t.Errorf("settings: %+v", st)
	}
	// From now on a cash-on-delivery order waits for the operator's call.
	waiting := e.placeOrder("customer", e.newCart("customer", "b", 1), "cod")
	if waiting.Status != "placed" {
		t.Errorf("COD order with confirmation required: %s", waiting.Status)
	}
	var confirmed orderJSON
	e.call("POST", fmt.Sprintf("/api/v1/orders/%d/confirm", waiting.ID), "admin", map[string]string{"note": "confirmed by phone"}).status(200).decode(&confirmed)
	if confirmed.Status != "confirmed" {
		t.Errorf("after the call: %s", confirmed.Status)
	}
	e.call("PUT", cs, "admin", map[string]any{"cod_confirmation_required": false}).status(200)
}

// customerCart is a new cart of the customer holding vendor A's product.
func (e *env) customerCart() string {
	e.t.Helper()
	ctx := context.Background()
	customer := e.users["customer"]
	c, err := e.app.Orders.NewCart(ctx, customer, "")
	if err != nil {
		e.t.Fatal(err)
	}
	v, err := e.app.Catalog.FindVariant(ctx, e.products["a-pub"].Slug, e.products["a-pub"].Variants[0].SKU)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.app.Orders.SetItem(ctx, customer, c.ID, v, 1, true); err != nil {
		e.t.Fatal(err)
	}
	return c.ID
}

// customerOrder places a cash-on-delivery order of the customer's.
func (e *env) customerOrder() order.Order {
	e.t.Helper()
	o, _, err := e.app.Orders.Checkout(context.Background(), e.users["customer"], e.customerCart(), e.unique("k"), order.CheckoutInput{
		Email: "customer@example.ma", Phone: "0612345678", PaymentMethod: order.COD, Locale: "fr",
		Address: order.Address{Name: "Aicha", Line1: "Rue 5", City: "agadir", Country: "MA"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// orderIsolationCases try the cart, order, shipping and channel routes as
// every role (see TestTenantIsolation).
func (e *env) orderIsolationCases() []isolationCase {
	ctx := context.Background()
	// Every role places orders of A's product below.
	if _, err := e.d.W.ExecContext(ctx, e.d.Rebind(`UPDATE variants SET stock = 1000 WHERE product_id = ?`), e.products["a-pub"].ID); err != nil {
		e.t.Fatal(err)
	}
	cart := e.customerCart()
	guestCart, err := e.app.Orders.NewCart(ctx, auth.User{}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	placed := e.customerOrder()
	aPub := e.products["a-pub"]
	line := "/items/" + aPub.Slug + "/" + aPub.Variants[0].SKU
	customerOnly := func(ok int) map[string]int { return only(ok, 404, 404, "customer") }
	freshOrder := func(suffix string) func(*env, string) string {
		return func(e *env, role string) string {
			return fmt.Sprintf("/api/v1/orders/%d%s", e.customerOrder().ID, suffix)
		}
	}
	collectedOrder := func(e *env, role string) string {
		o := e.customerOrder()
		if _, err := e.app.Orders.CODCollected(ctx, operator, o.Number); err != nil {
			e.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/orders/%d/refunds", o.ID)
	}
	byRole := func(f func(role string) any) func(*env, string) any {
		return func(_ *env, role string) any { return f(role) }
	}
	return []isolationCase{
		{route: "POST /api/v1/carts", path: fixed("/api/v1/carts"), want: everyone(201)},
		{route: "GET /api/v1/carts/{cart}", what: "the customer's cart", path: fixed("/api/v1/carts/" + cart),
			want: only(200, 404, 404, "customer", "moderator", "admin")},
		{route: "GET /api/v1/carts/{cart}", what: "a guest's cart", path: fixed("/api/v1/carts/" + guestCart.ID), want: everyone(200)},
		{route: "POST /api/v1/carts/{cart}/items", what: "the customer's cart", path: fixed("/api/v1/carts/" + cart + "/items"),
			body: byRole(func(string) any {
				return map[string]any{"product": aPub.Slug, "variant": aPub.Variants[0].SKU, "quantity": 1}
			}),
			want: customerOnly(201)},
		{route: "PUT /api/v1/carts/{cart}/items/{product}/{variant}", what: "the customer's cart", path: fixed("/api/v1/carts/" + cart + line),
			body: byRole(func(role string) any { return map[string]int{"quantity": 1 + len(role)%3} }), want: customerOnly(200)},
		{route: "DELETE /api/v1/carts/{cart}/items/{product}/{variant}", what: "the customer's cart",
			path: func(e *env, role string) string { return "/api/v1/carts/" + e.customerCart() + line }, want: customerOnly(200)},
		{route: "POST /api/v1/carts/{cart}/checkout", what: "the customer's cart",
			path: func(e *env, role string) string { return "/api/v1/carts/" + e.customerCart() + "/checkout" },
			body: byRole(func(string) any { return checkoutBody("cod") }), want: customerOnly(201)},
		{route: "GET /api/v1/orders", path: fixed("/api/v1/orders"), want: only(200, 200, 401),
			check: func(t *testing.T, e *env, role string, r result) {
				var l struct{ Items []orderJSON }
				r.decode(&l)
				if (role == "customer") != (len(l.Items) > 0) {
					t.Errorf("%s lists %d orders", role, len(l.Items))
				}
			}},
		{route: "GET /api/v1/orders/{order}", what: "the customer's order", path: fixed(fmt.Sprintf("/api/v1/orders/%d", placed.ID)),
			want: only(200, 404, 404, "customer", "moderator", "admin")},
		{route: "POST /api/v1/orders/{order}/cancel", what: "a confirmed COD order", path: freshOrder("/cancel"),
			want: only(200, 404, 401, "customer", "moderator", "admin")},
		{route: "POST /api/v1/orders/{order}/confirm", what: "a confirmed COD order", path: freshOrder("/confirm"),
			want: only(200, 403, 401, operators...), noop: true},
		{route: "POST /api/v1/orders/{order}/cod-collected", what: "a COD order", path: freshOrder("/cod-collected"),
			want: only(200, 403, 401, operators...)},
		{route: "POST /api/v1/orders/{order}/refunds", what: "a collected COD order", path: collectedOrder,
			body: byRole(func(string) any { return map[string]any{"amount": 500, "reason": "jar cracked"} }), want: only(200, 403, 401, "admin")},
		{route: "POST /api/v1/vendor-orders/{vendor_order}/status", what: "A's parcel, packed",
			path: func(e *env, role string) string {
				return fmt.Sprintf("/api/v1/vendor-orders/%d/status", e.customerOrder().Vendors[0].ID)
			},
			body: byRole(func(string) any { return map[string]string{"status": "packed"} }),
			want: map[string]int{"anonymous": 401, "customer": 403, "owner-a": 200, "staff-a": 200, "owner-b": 404, "owner-c": 404, "moderator": 200, "admin": 200}},
		{route: "GET /api/v1/vendor-orders", path: fixed("/api/v1/vendor-orders"),
			want: map[string]int{"anonymous": 401, "customer": 403, "owner-a": 200, "staff-a": 200, "owner-b": 200, "owner-c": 200, "moderator": 200, "admin": 200},
			check: func(t *testing.T, e *env, role string, r result) {
				var l struct{ Items []struct{ Vendor string } }
				r.decode(&l)
				for _, p := range l.Items {
					if want := vendorOf[role]; want != "" && p.Vendor != want {
						t.Errorf("%s sees a parcel of %s", role, p.Vendor)
					}
				}
			}},
		{route: "GET /api/v1/carriers", path: fixed("/api/v1/carriers"), want: only(200, 403, 401, operators...)},
		{route: "PUT /api/v1/carriers/{carrier}", what: "DHL", path: fixed("/api/v1/carriers/dhl"),
			body: byRole(func(role string) any { return map[string]any{"discount_bp": 100 * len(role), "active": true} }),
			want: only(200, 403, 401, operators...)},
		{route: "PUT /api/v1/carriers/{carrier}/rates/{zone}", what: "Amana to the EU", path: fixed("/api/v1/carriers/amana/rates/eu"),
			body: byRole(func(role string) any {
				return map[string]any{"bands": []map[string]int{{"max_grams": 2000, "amount": 20000 + len(role)}}}
			}),
			want: only(200, 403, 401, operators...)},
		{route: "GET /api/v1/shipping-quotes", path: fixed("/api/v1/shipping-quotes?country=FR&grams=1500"), want: everyone(200)},
		{route: "GET /api/v1/sales-channels", path: fixed("/api/v1/sales-channels"), want: everyone(200)},
		{route: "GET /api/v1/checkout-settings", path: fixed("/api/v1/checkout-settings"), want: only(200, 403, 401, operators...)},
		{route: "PUT /api/v1/checkout-settings", path: fixed("/api/v1/checkout-settings"),
			body: byRole(func(role string) any { return map[string]any{"card_hold_minutes": 20 + len(role)} }),
			want: only(200, 403, 401, operators...)},
		{route: "PUT /api/v1/sales-channels/{channel}", what: "the export shop", path: fixed("/api/v1/sales-channels/export"),
			body: byRole(func(role string) any { return map[string]any{"min_order": map[string]any{"amount": 1000 * len(role)}} }),
			want: only(200, 403, 401, operators...)},
	}
}
