package order_test

import (
	"context"
	"testing"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/money"
	"souk/internal/order"
)

// Changing a minimum order or the checkout settings writes the audit log
// in the same transaction; a refused change writes nothing.
func TestChannelAndSettingsChangesAreAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := order.NewService(d, nil, nil)
		op := auth.User{Role: auth.RoleAdmin}
		entries := func() []audit.Entry {
			t.Helper()
			es, err := audit.List(ctx, d.Read(), op, audit.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		min := func(m money.Money) order.ChannelInput { return order.ChannelInput{MinOrder: &m} }
		if _, err := s.SetChannel(ctx, op, "web", min(money.Dirhams(50000))); err != nil {
			t.Fatal(err)
		}
		es := entries()
		if len(es) != 1 || es[0].Action != "sales_channel.set_min_order" || es[0].EntityID != "web" ||
			string(es[0].Before) != `{"min_order":{"amount":5000,"currency":"MAD"}}` || string(es[0].After) != `{"min_order":{"amount":50000,"currency":"MAD"}}` {
			t.Errorf("min order audit: %+v", es)
		}
		if _, err := s.SetChannel(ctx, op, "moon", min(money.Dirhams(1))); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown channel: %v", err)
		}
		if _, err := s.SetChannel(ctx, op, "web", min(money.Dirhams(-1))); !errs.Is(err, errs.Invalid) {
			t.Errorf("negative minimum: %v", err)
		}
		if n := len(entries()); n != 1 {
			t.Errorf("refused changes left %d entries", n)
		}

		yes, hold := true, 45
		st, err := s.SetSettings(ctx, op, order.SettingsInput{CODConfirmation: &yes, CardHoldMinutes: &hold})
		if err != nil {
			t.Fatal(err)
		}
		if !st.CODConfirmation || st.CardHold.Minutes() != 45 {
			t.Errorf("settings: %+v", st)
		}
		es = entries()
		if len(es) != 2 || es[0].Action != "settings.set" ||
			string(es[0].After) != `{"card_hold_minutes":"45","cod_confirmation_required":"true"}` {
			t.Errorf("settings audit: %+v", es[0])
		}
		if _, err := s.SetSettings(ctx, op, order.SettingsInput{}); err != nil {
			t.Fatal(err)
		}
		if n := len(entries()); n != 2 {
			t.Errorf("an empty change left an entry: %d", n)
		}
	})
}

// The settlement delay is the admins': moderators may not change it; out
// of range is named; a change is audited and a value given unchanged is
// not a change.
func TestSettlementDelay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := order.NewService(d, nil, nil)
		h := func(n int) order.ChannelInput { return order.ChannelInput{SettlementHours: &n} }
		if _, err := s.SetChannel(ctx, auth.User{ID: 7, Role: auth.RoleModerator}, "supermarket", h(24)); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("moderator: %v", err)
		}
		admin := auth.User{ID: 1, Role: auth.RoleAdmin}
		for _, n := range []int{-1, order.MaxSettlementHours + 1} {
			if _, err := s.SetChannel(ctx, admin, "supermarket", h(n)); !errs.Is(err, errs.Invalid) {
				t.Fatalf("%d hours: %v", n, err)
			}
		}
		c, err := s.SetChannel(ctx, admin, "supermarket", h(360))
		if err != nil || c.SettlementHours != 360 || c.SettlesFrom != "delivery" || c.MinOrder.Amount != 0 {
			t.Fatalf("set: %+v %v", c, err)
		}
		if _, err := s.SetChannel(ctx, admin, "supermarket", h(360)); err != nil {
			t.Fatal(err)
		}
		es, err := audit.List(ctx, d.Read(), admin, audit.Filter{})
		if err != nil || len(es) != 1 || es[0].Action != "sales_channel.set_settlement" || string(es[0].After) != `{"settlement_hours":360}` {
			t.Fatalf("audit: %+v %v", es, err)
		}
		cs, err := s.Channels(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Code == "shop" && (c.SettlesFrom != "sale" || c.SettlementHours != 72) {
				t.Errorf("shop: %+v", c)
			}
		}
	})
}
