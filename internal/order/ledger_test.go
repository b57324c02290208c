package order_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/ledger"
	"souk/internal/order"
	"souk/internal/payment/cmi"
	"souk/internal/payment/stripepay"
)

// posted sums what the ledger transaction kind/reference put on each
// account (nil when there is none).
func posted(t *testing.T, d *db.DB, kind, ref string) map[string]int64 {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT e.account, SUM(e.amount) FROM ledger_entries e
		JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.kind = ? AND t.reference = ? GROUP BY e.account`, kind, ref)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out map[string]int64
	for rows.Next() {
		var a string
		var n int64
		if err := rows.Scan(&a, &n); err != nil {
			t.Fatal(err)
		}
		if out == nil {
			out = map[string]int64{}
		}
		out[a] = n
	}
	return out
}

// onAccount is an account's balance, for one vendor when vendorID ≠ 0.
func onAccount(t *testing.T, d *db.DB, account string, vendorID int64) int64 {
	t.Helper()
	var n int64
	q, args := `SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = ?`, []any{account}
	if vendorID != 0 {
		q, args = q+` AND vendor_id = ?`, append(args, vendorID)
	}
	if err := d.Read().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func balanceOf(t *testing.T, s *shop, vendorID int64) ledger.Balance {
	t.Helper()
	b, err := ledger.NewService(s.d, s.clock.now).VendorBalance(context.Background(), s.operator, vendorID, s.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	return b[0]
}

func balanced(t *testing.T, d *db.DB) {
	t.Helper()
	tb, err := ledger.Trial(context.Background(), d.Read())
	if err != nil || !tb.Balanced() {
		t.Fatalf("trial balance %+v %v", tb, err)
	}
}

// walk moves a parcel through statuses as the operator.
func walk(t *testing.T, s *shop, o order.Order, vendorOrderID int64, to ...order.Status) {
	t.Helper()
	for _, st := range to {
		tracking := ""
		if st == order.Shipped {
			tracking = "TRK1"
		}
		if _, err := s.orders.OperatorMove(context.Background(), s.operator, o.Number, vendorOrderID, st, "", tracking); err != nil {
			t.Fatalf("move to %s: %v", st, err)
		}
	}
}

// TestLedgerPostings follows orders through each money event and checks
// what each posts, as the ledger package's table says.
func TestLedgerPostings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		v0, v1, v2 := s.vendors[0].ID, s.vendors[1].ID, s.vendors[2].ID
		count := func() int { return count(t, d, `SELECT COUNT(*) FROM ledger_transactions`) }

		// A card order from two vendors: placing it posts nothing.
		in := casablancaCOD()
		in.PaymentMethod = order.CMI
		o, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{s.variant(t, 0, 0): 1, s.variant(t, 1, 0): 2}), "k", in)
		if err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 0 {
			t.Fatalf("placing an order posted %d transactions", n)
		}
		p0, p1 := o.Vendors[0], o.Vendors[1]
		if p0.VendorID != v0 {
			p0, p1 = p1, p0
		}
		// Captured: the money in clearing, each vendor's earning waiting for
		// delivery, 10% commission (VAT inside), the shipping for the carrier.
		if a, err := s.orders.CMICallback(ctx, cmiCallback(o.Number, o.Total.Amount, "00", "T1")); a != cmi.AnswerCapture || err != nil {
			t.Fatalf("capture: %s %v", a, err)
		}
		got := posted(t, d, order.LedgerCaptured, o.Number)
		ship := o.Shipping.Amount
		if got["clearing:cmi"] != o.Total.Amount || got[ledger.VendorUndelivered] != -(9000+36000) ||
			got[ledger.CommissionRevenue] != -(833+3333) || got[ledger.CommissionVAT] != -(167+667) ||
			onAccount(t, d, "shipping:"+p0.Carrier, v0)+onAccount(t, d, "shipping:"+p1.Carrier, v1) != -ship {
			t.Fatalf("captured: %v (total %d, shipping %d)", got, o.Total.Amount, ship)
		}
		if b := balanceOf(t, s, v0); b.Undelivered.Amount != 9000 || b.Due.Amount != 0 || b.Total.Amount != 9000 {
			t.Fatalf("vendor 0 after capture: %+v", b)
		}
		// Delivered: due 72 hours later on Casablanca's clocks.
		walk(t, s, o, p0.ID, order.Packed, order.Shipped, order.Delivered)
		deliveredAt := s.clock.now()
		b := balanceOf(t, s, v0)
		if b.Undelivered.Amount != 0 || len(b.Pending) != 1 || b.Pending[0].Amount.Amount != 9000 ||
			!b.Pending[0].DueAt.Equal(ledger.DueAt(deliveredAt, 72)) || b.Pending[0].DueAt.Sub(deliveredAt) != 72*time.Hour {
			t.Fatalf("vendor 0 delivered: %+v", b)
		}
		s.clock.add(72 * time.Hour)
		if b := balanceOf(t, s, v0); b.Due.Amount != 9000 || len(b.Pending) != 0 {
			t.Fatalf("vendor 0 three days on: %+v", b)
		}
		// The other parcel is cancelled after payment: its sale is owed back.
		walk(t, s, o, p1.ID, order.Cancelled)
		if b := balanceOf(t, s, v1); b.Total.Amount != 0 || onAccount(t, d, ledger.RefundsOwed, 0) != -(40000+p1.Shipping.Amount) {
			t.Fatalf("cancelled after payment: %+v, owed %d", b, onAccount(t, d, ledger.RefundsOwed, 0))
		}
		// Refunding it settles what is owed; vendor 0 keeps its earning.
		if _, err := s.orders.Refund(ctx, s.operator, o.Number, 40000+p1.Shipping.Amount, "colis annulé"); err != nil {
			t.Fatal(err)
		}
		if onAccount(t, d, ledger.RefundsOwed, 0) != 0 || balanceOf(t, s, v0).Due.Amount != 9000 ||
			onAccount(t, d, "clearing:cmi", 0) != o.Total.Amount-40000-p1.Shipping.Amount {
			t.Fatalf("refund of the cancelled parcel: owed %d, clearing %d", onAccount(t, d, ledger.RefundsOwed, 0), onAccount(t, d, "clearing:cmi", 0))
		}
		// Returned, although due: the earning and the commission go back,
		// the carrier keeps its fee.
		walk(t, s, o, p0.ID, order.ReturnRequested, order.Returned)
		if b := balanceOf(t, s, v0); b.Total.Amount != 0 || b.Due.Amount != 0 || onAccount(t, d, ledger.RefundsOwed, 0) != -10000 ||
			onAccount(t, d, ledger.CommissionRevenue, v0)+onAccount(t, d, ledger.CommissionVAT, v0) != 0 ||
			onAccount(t, d, "shipping:"+p0.Carrier, v0) != -p0.Shipping.Amount {
			t.Fatalf("returned: %+v owed %d", b, onAccount(t, d, ledger.RefundsOwed, 0))
		}
		if _, err := s.orders.Refund(ctx, s.operator, o.Number, 10000, "retour"); err != nil {
			t.Fatal(err)
		}
		if onAccount(t, d, "clearing:cmi", 0) != p0.Shipping.Amount || onAccount(t, d, ledger.RefundsOwed, 0) != 0 {
			t.Fatalf("after the refunds clearing holds %d, want the shipping %d", onAccount(t, d, "clearing:cmi", 0), p0.Shipping.Amount)
		}
		balanced(t, d)

		// Cash on delivery through a supermarket: delivered first, collected
		// five days later — due ten days after the delivery, not the collection.
		c, err := s.orders.NewCart(ctx, auth.User{}, "supermarket")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.orders.SetItem(ctx, auth.User{}, c.ID, s.variant(t, 2, 0), 1, true); err != nil {
			t.Fatal(err)
		}
		cod, _, err := s.orders.Checkout(ctx, auth.User{}, c.ID, "k", casablancaCOD())
		if err != nil {
			t.Fatal(err)
		}
		before := count()
		walk(t, s, cod, cod.Vendors[0].ID, order.Packed, order.Shipped, order.Delivered)
		deliveredAt = s.clock.now()
		if n := count(); n != before {
			t.Fatalf("an unpaid delivery posted %d transactions", n-before)
		}
		s.clock.add(5 * 24 * time.Hour)
		if _, err := s.orders.CODCollected(ctx, s.operator, cod.Number); err != nil {
			t.Fatal(err)
		}
		got = posted(t, d, order.LedgerCollected, cod.Number)
		if got["cod:"+cod.Vendors[0].Carrier] != cod.Total.Amount || got[ledger.VendorPayable] != -27000 {
			t.Fatalf("collected: %v", got)
		}
		if b := balanceOf(t, s, v2); len(b.Pending) != 1 || !b.Pending[0].DueAt.Equal(ledger.DueAt(deliveredAt, 240)) || b.Pending[0].Amount.Amount != 27000 {
			t.Fatalf("supermarket sale: %+v", b)
		}
		if _, err := s.orders.CODCollected(ctx, s.operator, cod.Number); !errs.Is(err, errs.Conflict) || len(posted(t, d, order.LedgerCollected, cod.Number)) != len(got) {
			t.Fatalf("collected twice: %v", err)
		}
		// Paid by card, then delivered: due ten days after the delivery too.
		c, err = s.orders.NewCart(ctx, auth.User{}, "supermarket")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.orders.SetItem(ctx, auth.User{}, c.ID, s.variant(t, 2, 1), 1, true); err != nil {
			t.Fatal(err)
		}
		card, _, err := s.orders.Checkout(ctx, auth.User{}, c.ID, "k", in)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := s.orders.CMICallback(ctx, cmiCallback(card.Number, card.Total.Amount, "00", "T2")); a != cmi.AnswerCapture || err != nil {
			t.Fatalf("capture: %s %v", a, err)
		}
		walk(t, s, card, card.Vendors[0].ID, order.Packed, order.Shipped, order.Delivered)
		if got := posted(t, d, order.LedgerDelivered, card.Vendors[0].Number); got[ledger.VendorUndelivered] != 27000 || got[ledger.VendorPayable] != -27000 {
			t.Fatalf("delivered: %v", got)
		}
		if b := balanceOf(t, s, v2); len(b.Pending) != 2 || !b.Pending[1].DueAt.Equal(ledger.DueAt(s.clock.now(), 240)) {
			t.Fatalf("supermarket card sale: %+v", b)
		}

		// Cash on delivery returned before the collection is recorded: the
		// carrier collected it, the customer is owed the items, the carrier
		// keeps its fee; the refund leaves the bank.
		ret, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{s.variant(t, 0, 1): 1}), "k", casablancaCOD())
		if err != nil {
			t.Fatal(err)
		}
		walk(t, s, ret, ret.Vendors[0].ID, order.Packed, order.Shipped, order.Delivered, order.ReturnRequested, order.Returned)
		due0 := balanceOf(t, s, v0).Total.Amount
		if _, err := s.orders.CODCollected(ctx, s.operator, ret.Number); err != nil {
			t.Fatal(err)
		}
		got = posted(t, d, order.LedgerCollected, ret.Number)
		if got[ledger.RefundsOwed] != -10000 || got[ledger.VendorPayable] != 0 || got["shipping:"+ret.Vendors[0].Carrier] != -ret.Shipping.Amount ||
			balanceOf(t, s, v0).Total.Amount != due0 {
			t.Fatalf("returned, then collected: %v", got)
		}
		if _, err := s.orders.Refund(ctx, s.operator, ret.Number, 10000, "retour"); err != nil {
			t.Fatal(err)
		}
		if onAccount(t, d, ledger.Bank, 0) != -10000 {
			t.Fatalf("bank %d", onAccount(t, d, ledger.Bank, 0))
		}

		// A card order cancelled before its payment posts nothing, nor does
		// the payment arriving after (not captured: given back).
		in.PaymentMethod = order.Stripe
		late, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{s.variant(t, 1, 1): 1}), "k", in)
		if err != nil {
			t.Fatal(err)
		}
		before = count()
		if _, err := s.orders.OperatorCancel(ctx, s.operator, late.Number, "client injoignable"); err != nil {
			t.Fatal(err)
		}
		if err := s.orders.StripeWebhook(ctx, stripepay.Event{ID: "evt_late", Type: "payment_intent.succeeded", IntentID: late.Number,
			Amount: late.Total.Amount}); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != before {
			t.Fatalf("a cancelled unpaid order posted %d transactions", n-before)
		}
		balanced(t, d)
	})
}

// TestLedgerConcurrentEvents races a card capture against the cancellation
// of one of the order's parcels, order after order: whichever lands first,
// no deadlock, and the ledger ends the same — the cancelled parcel's money
// owed back to the customer, the other parcel's earning booked once.
func TestLedgerConcurrentEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		in := casablancaCOD()
		in.PaymentMethod = order.CMI
		var orders []order.Order
		for range 12 {
			o, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{s.variant(t, 0, 0): 1, s.variant(t, 2, 0): 1}), "k", in)
			if err != nil {
				t.Fatal(err)
			}
			orders = append(orders, o)
		}
		errc := make(chan error, 2*len(orders))
		for i, o := range orders {
			go func() {
				a, err := s.orders.CMICallback(ctx, cmiCallback(o.Number, o.Total.Amount, "00", fmt.Sprint("T", i)))
				if err == nil && a != cmi.AnswerCapture {
					err = fmt.Errorf("%s: answered %s", o.Number, a)
				}
				errc <- err
			}()
			go func() {
				var err error
				for range 3 { // the capture may confirm the parcel first: cancel it from where it is
					if _, err = s.orders.OperatorMove(ctx, s.operator, o.Number, o.Vendors[0].ID, order.Cancelled, "", ""); !errs.Is(err, errs.Conflict) {
						break
					}
				}
				errc <- err
			}()
		}
		for range 2 * len(orders) {
			if err := <-errc; err != nil {
				t.Error(err)
			}
		}
		for _, o := range orders {
			lines, err := ledger.Lines(ctx, d.Read(), o.Number)
			if err != nil {
				t.Fatal(err)
			}
			var owed, earning int64
			for _, l := range lines {
				switch l.Account {
				case ledger.RefundsOwed:
					owed -= l.Amount
				case ledger.VendorUndelivered:
					if l.VendorID != o.Vendors[1].VendorID {
						t.Errorf("%s: the cancelled parcel's vendor still earns %d", o.Number, -l.Amount)
					}
					earning -= l.Amount
				}
			}
			if gross := o.Vendors[0].Items.Amount + o.Vendors[0].Shipping.Amount; owed != gross || earning != 27000 {
				t.Errorf("%s: owed %d (want %d), earning %d (want 27000): %+v", o.Number, owed, gross, earning, lines)
			}
		}
		// Cash on delivery: the collection recorded while the parcels are
		// being delivered. Either way, every earning ends up due.
		var cod []order.Order
		for range 12 {
			o, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{s.variant(t, 0, 0): 1, s.variant(t, 2, 0): 1}), "k", casablancaCOD())
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range o.Vendors {
				walk(t, s, o, v.ID, order.Packed, order.Shipped)
			}
			cod = append(cod, o)
		}
		for _, o := range cod {
			go func() {
				_, err := s.orders.CODCollected(ctx, s.operator, o.Number)
				errc <- err
			}()
			for _, v := range o.Vendors {
				go func() {
					_, err := s.orders.OperatorMove(ctx, s.operator, o.Number, v.ID, order.Delivered, "", "")
					errc <- err
				}()
			}
		}
		for range 3 * len(cod) {
			if err := <-errc; err != nil {
				t.Error(err)
			}
		}
		for _, o := range cod {
			lines, err := ledger.Lines(ctx, d.Read(), o.Number)
			if err != nil {
				t.Fatal(err)
			}
			var due int64
			for _, l := range lines {
				switch l.Account {
				case ledger.VendorUndelivered:
					t.Errorf("%s: delivered, yet %d waits for delivery", o.Number, -l.Amount)
				case ledger.VendorPayable:
					due -= l.Amount
				}
			}
			if due != 9000+27000 {
				t.Errorf("%s: %d due, want %d", o.Number, due, 9000+27000)
			}
		}
		balanced(t, d)
	})
}

// In a physical shop the customer leaves with the goods: the earning falls
// due 72 hours from the sale, without waiting for a delivery, and a later
// delivery record moves nothing.
func TestShopSaleFallsDueFromTheSale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		c, err := s.orders.NewCart(ctx, auth.User{}, "shop")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.orders.SetItem(ctx, auth.User{}, c.ID, s.variant(t, 0, 0), 1, true); err != nil {
			t.Fatal(err)
		}
		o, _, err := s.orders.Checkout(ctx, auth.User{}, c.ID, "shop-1", casablancaCOD())
		if err != nil {
			t.Fatal(err)
		}
		sold := o.CreatedAt
		s.clock.add(2 * time.Hour)
		if _, err := s.orders.CODCollected(ctx, s.operator, o.Number); err != nil {
			t.Fatal(err)
		}
		b := balanceOf(t, s, s.vendors[0].ID)
		if b.Undelivered.Amount != 0 || len(b.Pending) != 1 || !b.Pending[0].DueAt.Equal(ledger.DueAt(sold, 72)) || b.Pending[0].Amount.Amount != 9000 {
			t.Fatalf("shop sale: %+v (sold %s)", b, sold)
		}
		before := count(t, d, `SELECT COUNT(*) FROM ledger_transactions`)
		walk(t, s, o, o.Vendors[0].ID, order.Packed, order.Shipped, order.Delivered)
		if n := count(t, d, `SELECT COUNT(*) FROM ledger_transactions`); n != before {
			t.Fatalf("the delivery of a shop sale posted %d transactions", n-before)
		}
		balanced(t, d)
	})
}
