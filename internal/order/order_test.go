package order_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"sync"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/order"
	"souk/internal/payment/cmi"
)

func fieldsOf(err error) map[string]string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func TestCheckoutSplitsOneOrderPerVendor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		// Five lines from three vendors: amlou (exempt), two rugs (20%), two books (7%).
		lines := map[int64]int{s.variant(t, 0, 0): 2, s.variant(t, 1, 0): 1, s.variant(t, 1, 1): 1, s.variant(t, 2, 0): 3, s.variant(t, 2, 1): 1}
		cartID := s.cart(t, lines)
		o, created, err := s.orders.Checkout(ctx, auth.User{}, cartID, "key-1", casablancaCOD())
		if err != nil || !created {
			t.Fatalf("checkout: %v (created %v)", err, created)
		}
		if len(o.Vendors) != 3 {
			t.Fatalf("vendor orders: %d, want 3", len(o.Vendors))
		}
		// 2×100 + 200 + 200 + 3×300 + 300 = 1,800 MAD of goods.
		if o.Items.Amount != 180000 {
			t.Errorf("items %d, want 180000", o.Items.Amount)
		}
		if o.Total.Amount != o.Items.Amount+o.Shipping.Amount || o.Shipping.Amount <= 0 {
			t.Errorf("total %d = items %d + shipping %d?", o.Total.Amount, o.Items.Amount, o.Shipping.Amount)
		}
		// VAT is taken out of each line, rounded to the centime: amlou exempt;
		// rugs 200 + 200 MAD at 20% → 33.33 + 33.33; books 900 + 300 MAD at 7%
		// → 58.88 + 19.63; shipping at 14%.
		var byRate = map[int]int64{}
		var vat int64
		for _, l := range o.VATBreakdown() {
			byRate[l.RateBP] = l.VAT.Amount
			vat += l.VAT.Amount
		}
		if byRate[0] != 0 || byRate[2000] != 6666 || byRate[700] != 7851 || byRate[1400] == 0 {
			t.Errorf("VAT by rate %v", byRate)
		}
		if vat != o.VAT.Amount {
			t.Errorf("VAT breakdown sums to %d, order says %d", vat, o.VAT.Amount)
		}
		if o.Status != order.Confirmed || o.Payment.Status != order.PaymentPending || o.Payment.Method != order.COD {
			t.Errorf("COD order: status %s, payment %s %s", o.Status, o.Payment.Method, o.Payment.Status)
		}
		if o.Address.City != "casablanca" || o.Address.Region != "casablanca-settat" || o.Phone != "+212612345678" {
			t.Errorf("address %+v phone %s", o.Address, o.Phone)
		}
		for id, q := range lines {
			if got := stock(t, d, id); got != 50-q {
				t.Errorf("variant %d stock %d, want %d", id, got, 50-q)
			}
		}
		got, err := s.orders.OrderByLink(ctx, o.Number, s.orders.LinkToken(o.Number))
		if err != nil || got.ID != o.ID || len(got.Vendors) != 3 || len(got.Events) != 6 {
			t.Fatalf("order by link: %v, %d vendor orders, %d events", err, len(got.Vendors), len(got.Events))
		}
		if _, err := s.orders.OrderByLink(ctx, o.Number, "forged"); !errs.Is(err, errs.NotFound) {
			t.Errorf("forged link: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE recipient = ?`, "fatima@example.ma"); n != 1 {
			t.Errorf("%d e-mails queued, want 1", n)
		}
		c, err := s.orders.Cart(ctx, auth.User{}, cartID)
		if err != nil || c.Status != "ordered" {
			t.Errorf("cart after checkout: %v %s", err, c.Status)
		}
		if _, err := s.orders.SetItem(ctx, auth.User{}, cartID, s.variant(t, 0, 0), 1, true); !errs.Is(err, errs.Conflict) {
			t.Errorf("adding to an ordered cart: %v", err)
		}
	})
}

func TestCheckoutIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		v := s.variant(t, 0, 0)
		cartID := s.cart(t, map[int64]int{v: 2})
		// A double click: ten requests with one key at once.
		var wg sync.WaitGroup
		results := make([]order.Order, 10)
		fails := make([]error, 10)
		for i := range results {
			wg.Go(func() {
				results[i], _, fails[i] = s.orders.Checkout(ctx, auth.User{}, cartID, "double-click", casablancaCOD())
			})
		}
		wg.Wait()
		for i := range results {
			if fails[i] != nil || results[i].Number != results[0].Number {
				t.Fatalf("request %d: %v, order %q vs %q", i, fails[i], results[i].Number, results[0].Number)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 1 {
			t.Fatalf("%d orders, want 1", n)
		}
		if got := stock(t, d, v); got != 48 {
			t.Errorf("stock %d, want 48", got)
		}
		// A retry later answers the same order, not created again.
		o, created, err := s.orders.Checkout(ctx, auth.User{}, cartID, "double-click", casablancaCOD())
		if err != nil || created || o.Number != results[0].Number {
			t.Errorf("replay: %v created=%v", err, created)
		}
		// Another key on an ordered cart is refused.
		if _, _, err := s.orders.Checkout(ctx, auth.User{}, cartID, "other-key", casablancaCOD()); !errs.Is(err, errs.Conflict) {
			t.Errorf("second key: %v", err)
		}
	})
}

// TestLastItemsRace: 200 buyers race for the last 10 items; exactly 10 win,
// the others hear "sold out", and the stock ends at zero.
func TestLastItemsRace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		v := s.variant(t, 1, 0)
		carts := make([]string, 200)
		for i := range carts {
			carts[i] = s.cart(t, map[int64]int{v: 1})
		}
		if _, err := d.W.ExecContext(ctx, d.Rebind(`UPDATE variants SET stock = 10 WHERE id = ?`), v); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, soldOut := 0, 0
		var other []error
		start := make(chan struct{})
		for i, c := range carts {
			wg.Go(func() {
				<-start
				_, _, err := s.orders.Checkout(ctx, auth.User{}, c, fmt.Sprint("k", i), casablancaCOD())
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case errs.Is(err, errs.Conflict) && fieldsOf(err)["items[0]"] == order.ProblemSoldOut:
					soldOut++
				default:
					other = append(other, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if won != 10 || soldOut != 190 || len(other) > 0 {
			t.Fatalf("won %d, sold out %d, other errors %v", won, soldOut, other)
		}
		if got := stock(t, d, v); got != 0 {
			t.Errorf("stock %d, want 0", got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 10 {
			t.Errorf("%d orders, want 10", n)
		}
		if n := count(t, d, `SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE variant_id = ?`, v); n != 10 {
			t.Errorf("%d sold, want 10", n)
		}
	})
}

func TestCheckoutRefusesBadInputAndChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		v := s.variant(t, 0, 0)
		cartID := s.cart(t, map[int64]int{v: 1})
		bad := casablancaCOD()
		bad.Email, bad.Phone, bad.Address.City, bad.PaymentMethod = "not-an-email", "12345", "Atlantis", "bitcoin"
		_, _, err := s.orders.Checkout(ctx, auth.User{}, cartID, "k", bad)
		f := fieldsOf(err)
		for _, field := range []string{"email", "phone", "address.city", "payment_method"} {
			if f[field] == "" {
				t.Errorf("%s not named in %v", field, err)
			}
		}
		abroad := casablancaCOD()
		abroad.Address = order.Address{Name: "Claire", Line1: "3 rue Oberkampf", City: "Paris", PostalCode: "75011", Country: "FR"}
		abroad.Phone = "+33 6 12 34 56 78"
		if _, _, err := s.orders.Checkout(ctx, auth.User{}, cartID, "k", abroad); fieldsOf(err)["payment_method"] != "checkout.cod_morocco_only" {
			t.Errorf("COD abroad: %v", err)
		}
		withCarrier := casablancaCOD()
		withCarrier.Shipping = map[string]string{"amlou-souss": "dhl", "nobody": "amana"}
		f = fieldsOf(mustFail(t, s, cartID, withCarrier))
		if f["shipping.amlou-souss"] != "checkout.carrier_unavailable" || f["shipping.nobody"] != "checkout.vendor_not_in_cart" {
			t.Errorf("carriers: %v", f)
		}
		total := int64(1)
		seen := casablancaCOD()
		seen.ExpectedTotal = &total
		if f := fieldsOf(mustFail(t, s, cartID, seen)); f["expected_total"] == "" {
			t.Errorf("changed total: %v", f)
		}
		// Negative and absurd quantities.
		if _, err := s.orders.SetItem(ctx, auth.User{}, cartID, v, -1, false); fieldsOf(err)["quantity"] != "field.negative" {
			t.Errorf("negative quantity: %v", err)
		}
		if _, err := s.orders.SetItem(ctx, auth.User{}, cartID, v, 51, false); fieldsOf(err)["quantity"] != "cart.not_enough" {
			t.Errorf("more than the stock: %v", err)
		}
		// Below the channel's minimum: the cart says how much is missing.
		small := s.cart(t, map[int64]int{})
		if _, err := s.orders.SetItem(ctx, auth.User{}, small, v, 1, false); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, `UPDATE sales_channels SET min_order_amount = 50000 WHERE code = 'web'`); err != nil {
			t.Fatal(err)
		}
		order.SettingsTTL = 0
		defer func() { order.SettingsTTL = 5 * time.Second }()
		c, err := s.orders.Cart(ctx, auth.User{}, small)
		if err != nil || c.Missing.Amount != 40000 {
			t.Errorf("missing %d, want 40000 (%v)", c.Missing.Amount, err)
		}
		var e *errs.Error
		if err := mustFail(t, s, small, casablancaCOD()); !errors.As(err, &e) || e.Message != "cart.below_minimum" {
			t.Errorf("below minimum: %v", err)
		}
		if _, err := d.W.ExecContext(ctx, `UPDATE sales_channels SET min_order_amount = 5000 WHERE code = 'web'`); err != nil {
			t.Fatal(err)
		}
		// Unpublished meanwhile: the line is named and nothing is sold.
		p, err := s.catalog.Get(ctx, s.operator, s.products[0][0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.catalog.SetStatus(ctx, s.operator, p.ID, "draft", ""); err != nil {
			t.Fatal(err)
		}
		if f := fieldsOf(mustFail(t, s, cartID, casablancaCOD())); f["items[0]"] != order.ProblemUnavailable {
			t.Errorf("unpublished: %v", f)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM orders`); n != 0 {
			t.Errorf("%d orders after refusals", n)
		}
		if got := stock(t, d, v); got != 50 {
			t.Errorf("stock %d after refusals, want 50", got)
		}
		// Someone else's cart id, or junk, is simply not found.
		if _, err := s.orders.Cart(ctx, auth.User{}, "'; DROP TABLE carts; --"); !errs.Is(err, errs.NotFound) {
			t.Errorf("junk cart id: %v", err)
		}
	})
}

func mustFail(t *testing.T, s *shop, cartID string, in order.CheckoutInput) error {
	t.Helper()
	_, _, err := s.orders.Checkout(context.Background(), auth.User{}, cartID, "k", in)
	if err == nil {
		t.Fatal("checkout succeeded")
	}
	return err
}

// cmiCallback signs a callback as CMI does.
func cmiCallback(oid string, amount int64, code, transID string) url.Values {
	f := url.Values{"clientid": {"600000001"}, "oid": {oid}, "amount": {cmi.FormatAmount(amount)}, "currency": {"504"},
		"ProcReturnCode": {code}, "Response": {map[bool]string{true: "Approved", false: "Declined"}[code == "00"]},
		"TransId": {transID}, "hashAlgorithm": {"ver3"}}
	f.Set("HASH", cmi.CallbackHash(f, storeKey))
	return f
}

func TestCMIPaymentAndHold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		v := s.variant(t, 0, 1)
		in := casablancaCOD()
		in.PaymentMethod = order.CMI
		o, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{v: 1}), "k", in)
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != order.Placed || o.HoldUntil == nil || stock(t, d, v) != 49 {
			t.Fatalf("card order: %s hold %v stock %d", o.Status, o.HoldUntil, stock(t, d, v))
		}
		form, err := s.orders.CMIPayment(ctx, o, "fr")
		if err != nil || form.Fields.Get("oid") != o.Number || form.Fields.Get("amount") != cmi.FormatAmount(o.Total.Amount) {
			t.Fatalf("form: %v %v", err, form.Fields)
		}
		// Forged and mismatched posts are refused and change nothing.
		forged := cmiCallback(o.Number, o.Total.Amount, "00", "T1")
		forged.Set("HASH", "AAAA")
		if a, _ := s.orders.CMICallback(ctx, forged); a != cmi.AnswerFailure {
			t.Errorf("forged: %s", a)
		}
		if a, _ := s.orders.CMICallback(ctx, cmiCallback(o.Number, 1, "00", "T1")); a != cmi.AnswerFailure {
			t.Errorf("wrong amount: %s", a)
		}
		// A decline, then an acceptance, then a replay of each.
		if a, err := s.orders.CMICallback(ctx, cmiCallback(o.Number, o.Total.Amount, "05", "T1")); a != cmi.AnswerAcknowledge || err != nil {
			t.Errorf("decline: %s %v", a, err)
		}
		if a, err := s.orders.CMICallback(ctx, cmiCallback(o.Number, o.Total.Amount, "00", "T2")); a != cmi.AnswerCapture || err != nil {
			t.Errorf("acceptance: %s %v", a, err)
		}
		if a, _ := s.orders.CMICallback(ctx, cmiCallback(o.Number, o.Total.Amount, "00", "T2")); a != cmi.AnswerCapture {
			t.Errorf("replayed acceptance: %s", a)
		}
		if a, _ := s.orders.CMICallback(ctx, cmiCallback(o.Number, o.Total.Amount, "05", "T1")); a != cmi.AnswerAcknowledge {
			t.Errorf("late decline: %s", a)
		}
		got, err := s.orders.Get(ctx, s.operator, o.Number)
		if err != nil || got.Payment.Status != order.PaymentCaptured || got.Status != order.Confirmed || got.HoldUntil != nil {
			t.Fatalf("after acceptance: %v payment %s order %s", err, got.Payment.Status, got.Status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM payment_events WHERE payment_id = ?`, got.Payment.ID); n != 2 {
			t.Errorf("%d payment events, want 2 (replays are not new events)", n)
		}

		// An unpaid card order gives its stock back when its hold runs out;
		// a COD order keeps it.
		unpaid, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{v: 2}), "k", in)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{v: 3}), "k", casablancaCOD()); err != nil {
			t.Fatal(err)
		}
		if stock(t, d, v) != 44 {
			t.Fatalf("stock %d, want 44", stock(t, d, v))
		}
		s.clock.add(29 * time.Minute)
		if n, err := s.orders.ExpireHolds(ctx); n != 0 || err != nil {
			t.Fatalf("expired early: %d %v", n, err)
		}
		s.clock.add(2 * time.Minute)
		if n, err := s.orders.ExpireHolds(ctx); n != 1 || err != nil {
			t.Fatalf("expired %d, want 1 (%v)", n, err)
		}
		if stock(t, d, v) != 46 {
			t.Errorf("stock %d after expiry, want 46", stock(t, d, v))
		}
		late, _ := s.orders.Get(ctx, s.operator, unpaid.Number)
		if late.Status != order.Cancelled || late.Payment.Status != order.PaymentCancelled {
			t.Errorf("expired order %s payment %s", late.Status, late.Payment.Status)
		}
		// A payment arriving after the hold is acknowledged, not captured.
		if a, _ := s.orders.CMICallback(ctx, cmiCallback(unpaid.Number, unpaid.Total.Amount, "00", "T9")); a != cmi.AnswerAcknowledge {
			t.Errorf("late payment: %s", a)
		}
	})
}

func TestOrderTransitions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		customer, err := s.auth.CreateUser(ctx, auth.NewUser{Email: "amina@example.ma", Password: "correct horse battery", Role: auth.RoleCustomer})
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.orders.NewCart(ctx, customer, "")
		if err != nil {
			t.Fatal(err)
		}
		a, b := s.variant(t, 0, 0), s.variant(t, 1, 0)
		for _, v := range []int64{a, b} {
			if _, err := s.orders.SetItem(ctx, customer, c.ID, v, 1, true); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.orders.Cart(ctx, auth.User{}, c.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("a customer's cart seen by a stranger: %v", err)
		}
		o, _, err := s.orders.Checkout(ctx, customer, c.ID, "k", casablancaCOD())
		if err != nil {
			t.Fatal(err)
		}
		amlou, rugs := o.Vendors[0], o.Vendors[1]
		amlouUser := auth.User{ID: 0, Role: auth.RoleVendorOwner, VendorID: amlou.VendorID}
		rugsUser := auth.User{ID: 0, Role: auth.RoleVendorOwner, VendorID: rugs.VendorID}
		if _, err := s.orders.Move(ctx, rugsUser, amlou.ID, order.Packed, "", ""); !errs.Is(err, errs.NotFound) {
			t.Errorf("another vendor's order: %v", err)
		}
		if _, err := s.orders.Move(ctx, amlouUser, amlou.ID, order.Shipped, "", "RR123"); !errs.Is(err, errs.Conflict) {
			t.Errorf("confirmed → shipped: %v", err)
		}
		if _, err := s.orders.Move(ctx, amlouUser, amlou.ID, order.Packed, "", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.orders.Move(ctx, amlouUser, amlou.ID, order.Shipped, "", ""); fieldsOf(err)["tracking_number"] == "" {
			t.Errorf("shipping without tracking: %v", err)
		}
		got, err := s.orders.Move(ctx, amlouUser, amlou.ID, order.Shipped, "", "RR123456789MA")
		if err != nil || got.Vendors[0].Tracking != "RR123456789MA" {
			t.Fatalf("ship: %v", err)
		}
		if got.Status != order.Confirmed {
			t.Errorf("order status %s while the rugs are not packed, want confirmed", got.Status)
		}
		// The customer cancels the part not yet packed: its stock comes back.
		if _, err := s.orders.Move(ctx, customer, amlou.ID, order.Cancelled, "", ""); !errs.Is(err, errs.Forbidden) {
			t.Errorf("customer cancels a shipped parcel: %v", err)
		}
		got, err = s.orders.Move(ctx, customer, rugs.ID, order.Cancelled, "changed my mind", "")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != order.Shipped || stock(t, d, b) != 50 || stock(t, d, a) != 49 {
			t.Errorf("after cancel: order %s, stock %d/%d", got.Status, stock(t, d, a), stock(t, d, b))
		}
		if _, err := s.orders.CODCollected(ctx, customer, o.Number); !errs.Is(err, errs.Forbidden) {
			t.Errorf("customer marks COD collected: %v", err)
		}
		got, err = s.orders.CODCollected(ctx, s.operator, o.Number)
		if err != nil || got.Payment.Status != order.PaymentCaptured {
			t.Fatalf("collected: %v %s", err, got.Payment.Status)
		}
		list, err := s.orders.Orders(ctx, customer, 10)
		if err != nil || len(list) != 1 || list[0].Number != o.Number {
			t.Errorf("history: %v %d", err, len(list))
		}
		last := got.Events[len(got.Events)-1]
		if last.To != order.Cancelled || last.Actor != "customer" || last.ActorUserID != customer.ID || last.Note != "changed my mind" {
			t.Errorf("last event %+v", last)
		}
	})
}

func TestGuestCartJoinsTheAccountAtSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		customer, err := s.auth.CreateUser(ctx, auth.NewUser{Email: "youssef@example.ma", Password: "correct horse battery", Role: auth.RoleCustomer})
		if err != nil {
			t.Fatal(err)
		}
		a, b := s.variant(t, 0, 0), s.variant(t, 2, 0)
		own, _ := s.orders.NewCart(ctx, customer, "")
		if _, err := s.orders.SetItem(ctx, customer, own.ID, a, 1, true); err != nil {
			t.Fatal(err)
		}
		guest := s.cart(t, map[int64]int{a: 2, b: 1})
		id, err := s.orders.Adopt(ctx, customer, guest)
		if err != nil || id != own.ID {
			t.Fatalf("adopt: %q %v", id, err)
		}
		c, err := s.orders.Cart(ctx, customer, id)
		if err != nil || len(c.Lines) != 2 {
			t.Fatalf("merged cart: %v %d lines", err, len(c.Lines))
		}
		for _, l := range c.Lines {
			if (l.VariantID == a && l.Quantity != 3) || (l.VariantID == b && l.Quantity != 1) {
				t.Errorf("line %d quantity %d", l.VariantID, l.Quantity)
			}
		}
		if g, _ := s.orders.Cart(ctx, auth.User{}, guest); g.Status != "merged" {
			t.Errorf("guest cart %s, want merged", g.Status)
		}
	})
}

// Changes to one cart take turns: adds arriving together all count, and
// each answer is the cart as it is read back afterwards.
func TestCartChangesTakeTurns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		c, err := s.orders.NewCart(ctx, auth.User{}, "")
		if err != nil {
			t.Fatal(err)
		}
		a, b := s.variant(t, 1, 1), s.variant(t, 0, 0) // the later-added line has the smaller id: the clock stands still
		if _, err := s.orders.SetItem(ctx, auth.User{}, c.ID, a, 1, true); err != nil {
			t.Fatal(err)
		}
		const adds = 8
		var wg sync.WaitGroup
		failed := make(chan error, adds)
		start := make(chan struct{})
		for range adds {
			wg.Go(func() {
				<-start
				if _, err := s.orders.SetItem(ctx, auth.User{}, c.ID, b, 1, true); err != nil {
					failed <- err
				}
			})
		}
		close(start)
		wg.Wait()
		close(failed)
		for err := range failed {
			t.Error(err)
		}
		answer, err := s.orders.SetItem(ctx, auth.User{}, c.ID, a, 2, false)
		if err != nil {
			t.Fatal(err)
		}
		read, err := s.orders.Cart(ctx, auth.User{}, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(read.Lines) != 2 || read.Lines[0].VariantID != b || read.Lines[0].Quantity != adds || read.Lines[1].Quantity != 2 {
			t.Fatalf("cart read back: %+v, want %d of %d then 2 of %d", read.Lines, adds, b, a)
		}
		if !answer.UpdatedAt.Equal(read.UpdatedAt) {
			t.Errorf("SetItem answered updated at %v, the cart read back %v", answer.UpdatedAt, read.UpdatedAt)
		}
		answer.UpdatedAt = read.UpdatedAt // the same instant, perhaps in another *time.Location
		if !reflect.DeepEqual(answer, read) {
			t.Errorf("SetItem answered\n%+v\nthe cart read back is\n%+v", answer, read)
		}
	})
}
