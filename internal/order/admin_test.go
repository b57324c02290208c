package order_test

import (
	"context"
	"errors"
	"slices"
	"souk/internal/audit"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/order"
)

func numbers(p order.OrderPage) []string {
	var out []string
	for _, o := range p.Orders {
		out = append(out, o.Number)
	}
	return out
}

// Operators list orders across vendors, newest first, narrowed by status,
// vendor, way of paying, dates, customer and number or e-mail; nobody else
// may.
func TestAdminOrders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		customer, err := s.auth.CreateUser(ctx, auth.NewUser{Email: "amina@example.ma", Name: "Amina", Password: "correct horse battery", Role: auth.RoleCustomer})
		if err != nil {
			t.Fatal(err)
		}
		place := func(by auth.User, email string, variants ...int64) order.Order {
			t.Helper()
			lines := map[int64]int{}
			for _, v := range variants {
				lines[v] = 1
			}
			cartID := s.cart(t, lines)
			if by.ID != 0 {
				c, err := s.orders.NewCart(ctx, by, "")
				if err != nil {
					t.Fatal(err)
				}
				for v := range lines {
					if _, err := s.orders.SetItem(ctx, by, c.ID, v, 1, true); err != nil {
						t.Fatal(err)
					}
				}
				cartID = c.ID
			}
			in := casablancaCOD()
			in.Email = email
			o, _, err := s.orders.Checkout(ctx, by, cartID, "", in)
			if err != nil {
				t.Fatal(err)
			}
			s.clock.add(time.Hour)
			return o
		}
		first := place(auth.User{}, "fatima@example.ma", s.variant(t, 0, 0))
		s.clock.add(48 * time.Hour)
		second := place(customer, "Amina@Example.ma", s.variant(t, 1, 0), s.variant(t, 2, 0))
		third := place(auth.User{}, "youssef@example.ma", s.variant(t, 2, 1))

		if _, err := s.orders.AdminOrders(ctx, customer, order.AdminFilter{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a customer lists every order: %v", err)
		}
		vendorUser := auth.User{ID: 9, Role: auth.RoleVendorOwner, VendorID: s.vendors[0].ID}
		if _, err := s.orders.AdminOrders(ctx, vendorUser, order.AdminFilter{}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a vendor lists every order: %v", err)
		}
		all, err := s.orders.AdminOrders(ctx, s.operator, order.AdminFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := numbers(all); all.Total != 3 || !slices.Equal(got, []string{third.Number, second.Number, first.Number}) {
			t.Fatalf("all orders: %d %v, want newest first", all.Total, got)
		}
		if o := all.Orders[1]; len(o.Vendors) != 2 || o.Payment.Method != order.COD || o.Payment.Status != order.PaymentPending {
			t.Errorf("outline of the second order: %+v %+v", o.Vendors, o.Payment)
		}
		for name, c := range map[string]struct {
			f    order.AdminFilter
			want []string
		}{
			"number":           {order.AdminFilter{Q: strings.ToLower(second.Number)}, []string{second.Number}},
			"number start":     {order.AdminFilter{Q: first.Number[:len(first.Number)-2]}, []string{first.Number}},
			"parcel number":    {order.AdminFilter{Q: second.Vendors[1].Number}, []string{second.Number}},
			"e-mail part":      {order.AdminFilter{Q: "AMINA@"}, []string{second.Number}},
			"vendor":           {order.AdminFilter{VendorID: s.vendors[2].ID}, []string{third.Number, second.Number}},
			"customer":         {order.AdminFilter{CustomerID: customer.ID}, []string{second.Number}},
			"method":           {order.AdminFilter{Method: order.CMI}, nil},
			"status":           {order.AdminFilter{Status: first.Status}, []string{third.Number, second.Number, first.Number}},
			"from":             {order.AdminFilter{From: first.CreatedAt.Add(time.Minute)}, []string{third.Number, second.Number}},
			"to":               {order.AdminFilter{To: first.CreatedAt.Add(time.Minute)}, []string{first.Number}},
			"page 2 of 2 each": {order.AdminFilter{Page: 2, PerPage: 2}, []string{first.Number}},
			"like wildcards":   {order.AdminFilter{Q: "%"}, nil},
		} {
			p, err := s.orders.AdminOrders(ctx, s.operator, c.f)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got := numbers(p); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
		if _, err := s.orders.AdminOrders(ctx, s.operator, order.AdminFilter{Status: "lost", Method: "cheque"}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown status and method: %v", err)
		}
		counts, err := s.orders.CustomerOrderCounts(ctx, s.operator, []int64{customer.ID, 424242})
		if err != nil || counts[customer.ID] != 1 || counts[424242] != 0 {
			t.Errorf("order counts: %v %v", counts, err)
		}
		if _, err := s.orders.CustomerOrderCounts(ctx, customer, []int64{customer.ID}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a customer counts orders: %v", err)
		}
	})
}

func auditEntries(t *testing.T, d *db.DB, action string) int {
	t.Helper()
	return count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = ?`, action)
}

// An operator moves a parcel as the state machine allows, with a tracking
// number to ship, and the audit log records it; an impossible move, a
// parcel of another order, a customer trying it are refused and change
// nothing. Cancelling needs a reason and cancels every parcel or none.
func TestOperatorMovesAndCancels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		a, b := s.variant(t, 0, 0), s.variant(t, 1, 0)
		o, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{a: 1, b: 1}), "", casablancaCOD())
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{a: 1}), "", casablancaCOD())
		if err != nil {
			t.Fatal(err)
		}
		amlou, rugs := o.Vendors[0], o.Vendors[1]
		if amlou.Status != order.Confirmed {
			t.Fatalf("a COD order starts %s", amlou.Status)
		}
		if got := order.NextStatuses(order.Confirmed); !slices.Equal(got, []order.Status{order.Packed, order.Cancelled}) {
			t.Errorf("next statuses from confirmed: %v", got)
		}
		customer := auth.User{ID: 77, Role: auth.RoleCustomer}
		if _, err := s.orders.OperatorMove(ctx, customer, o.Number, amlou.ID, order.Packed, "", ""); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a customer moves as an operator: %v", err)
		}
		if _, err := s.orders.OperatorMove(ctx, s.operator, other.Number, amlou.ID, order.Packed, "", ""); !errs.Is(err, errs.NotFound) {
			t.Fatalf("a parcel under another order's number: %v", err)
		}
		_, err = s.orders.OperatorMove(ctx, s.operator, o.Number, amlou.ID, order.Delivered, "", "")
		var e *errs.Error
		if !errs.Is(err, errs.Conflict) || !errors.As(err, &e) || e.Message != "order.bad_transition" || e.Args["to"] != "delivered" {
			t.Fatalf("confirmed → delivered: %v", err)
		}
		if _, err := s.orders.OperatorMove(ctx, s.operator, o.Number, amlou.ID, "lost", "", ""); fieldsOf(err)["to"] != "field.enum" {
			t.Fatalf("unknown status: %v", err)
		}
		if _, err := s.orders.OperatorMove(ctx, s.operator, o.Number, amlou.ID, order.Shipped, "", ""); fieldsOf(err)["tracking_number"] != "field.required" {
			t.Fatalf("shipping without tracking: %v", err)
		}
		if n := auditEntries(t, d, "order.move"); n != 0 {
			t.Fatalf("refused moves left %d audit entries", n)
		}
		got, err := s.orders.OperatorMove(ctx, s.operator, o.Number, amlou.ID, order.Packed, "Appel du client", "")
		if err != nil {
			t.Fatal(err)
		}
		if got.Vendors[0].Status != order.Packed {
			t.Fatalf("after the move: %s", got.Vendors[0].Status)
		}
		got, err = s.orders.OperatorMove(ctx, s.operator, o.Number, amlou.ID, order.Shipped, "", "AMANA-123")
		if err != nil {
			t.Fatal(err)
		}
		if got.Vendors[0].Status != order.Shipped || got.Vendors[0].Tracking != "AMANA-123" {
			t.Fatalf("shipped: %+v", got.Vendors[0])
		}
		if n := auditEntries(t, d, "order.move"); n != 2 {
			t.Errorf("audit entries for two moves: %d", n)
		}
		last := got.Events[len(got.Events)-1]
		if last.Actor != "operator" || last.ActorUserID != s.operator.ID || last.To != order.Shipped {
			t.Errorf("last event: %+v", last)
		}

		// Cancelling: a reason; a shipped parcel stops it all.
		if _, err := s.orders.OperatorCancel(ctx, s.operator, o.Number, ""); fieldsOf(err)["reason"] != "field.required" {
			t.Fatalf("cancel without a reason: %v", err)
		}
		stockB := stock(t, d, b)
		if _, err := s.orders.OperatorCancel(ctx, s.operator, o.Number, "Rupture chez le transporteur"); !errs.Is(err, errs.Conflict) {
			t.Fatalf("cancel with a shipped parcel: %v", err)
		}
		now, err := s.orders.Get(ctx, s.operator, o.Number)
		if err != nil {
			t.Fatal(err)
		}
		if now.Vendors[1].Status != rugs.Status || stock(t, d, b) != stockB || auditEntries(t, d, "order.cancel") != 0 {
			t.Fatalf("a refused cancellation changed the order: %s, stock %d → %d", now.Vendors[1].Status, stockB, stock(t, d, b))
		}
		stockA := stock(t, d, a)
		cancelled, err := s.orders.OperatorCancel(ctx, s.operator, other.Number, "Le client a appelé")
		if err != nil {
			t.Fatal(err)
		}
		if cancelled.Status != order.Cancelled || stock(t, d, a) != stockA+1 || auditEntries(t, d, "order.cancel") != 1 {
			t.Fatalf("cancelled order: %s, stock %d → %d", cancelled.Status, stockA, stock(t, d, a))
		}
		if _, err := s.orders.OperatorCancel(ctx, s.operator, other.Number, "encore"); !errs.Is(err, errs.Conflict) {
			t.Errorf("cancelling twice: %v", err)
		}
	})
}

// An order's payment history: the cash collected, the refunds, and what
// may still be refunded.
func TestPaymentHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newShop(t, d)
		ctx := context.Background()
		o, _, err := s.orders.Checkout(ctx, auth.User{}, s.cart(t, map[int64]int{s.variant(t, 0, 0): 2}), "", casablancaCOD())
		if err != nil {
			t.Fatal(err)
		}
		h, err := s.orders.PaymentHistory(ctx, s.operator, o.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Events) != 0 || len(h.Refunds) != 0 || h.Refundable.Amount != 0 {
			t.Fatalf("history of a new COD order: %+v", h)
		}
		if _, err := s.orders.PaymentHistory(ctx, auth.User{ID: 5, Role: auth.RoleCustomer}, o.Number); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a customer reads the payment history: %v", err)
		}
		if _, err := s.orders.CODCollected(ctx, s.operator, o.Number); err != nil {
			t.Fatal(err)
		}
		if _, err := s.orders.Refund(ctx, auth.User{ID: 6, Role: auth.RoleModerator}, o.Number, 1500, "Pot abîmé"); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a moderator refunds: %v", err)
		}
		if _, err := s.orders.Refund(ctx, s.operator, o.Number, 1500, "Pot abîmé"); err != nil {
			t.Fatal(err)
		}
		// Both are in the audit log, with who did them.
		entries, err := audit.List(ctx, s.d.Read(), s.operator, audit.Filter{Entity: "order", Action: "payment."})
		if err != nil || len(entries) != 2 || entries[0].Action != "payment.refund" || entries[1].Action != "payment.cod_collected" ||
			entries[0].ActorID != s.operator.ID || !strings.Contains(string(entries[0].After), `"amount":1500`) {
			t.Errorf("audit of the payment: %+v %v", entries, err)
		}
		h, err = s.orders.PaymentHistory(ctx, s.operator, o.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Events) != 1 || h.Events[0].Kind != "collected" || h.Events[0].Amount.Amount != o.Total.Amount {
			t.Errorf("payment events: %+v", h.Events)
		}
		if len(h.Refunds) != 1 || h.Refunds[0].Amount.Amount != 1500 || h.Refunds[0].Reason != "Pot abîmé" || h.Refunds[0].ActorUserID != s.operator.ID {
			t.Errorf("refunds: %+v", h.Refunds)
		}
		if h.Refundable.Amount != o.Total.Amount-1500 {
			t.Errorf("refundable: %d, want %d", h.Refundable.Amount, o.Total.Amount-1500)
		}
		if _, err := s.orders.PaymentHistory(ctx, s.operator, "S000000-NONE"); !errs.Is(err, errs.NotFound) {
			t.Errorf("no such order: %v", err)
		}
	})
}
