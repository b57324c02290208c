package catalog_test

import (
	"context"
	"strings"
	"testing"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
)

// Every change a vendor or an operator makes to a product is in the audit
// log, in the transaction of the change, with what it was and became.
func TestProductChangesAreAudited(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.cat.MediaDir = t.TempDir()
		coop := f.vendors["argan-tifaouine"]
		owner := ownerOf(coop)
		moderator := auth.User{ID: 9, Role: auth.RoleModerator}
		p, err := f.cat.Create(ctx, owner, coop.ID, arganOil())
		if err != nil {
			t.Fatal(err)
		}
		in := arganOil()
		in.Slug = p.Slug
		in.Variants[0].Price = money.Dirhams(17500)
		if _, err := f.cat.Update(ctx, owner, p.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := f.cat.AddPhoto(ctx, owner, p.ID, phonePhoto(t, 800, 600, 3), ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.cat.SetStatus(ctx, moderator, p.ID, catalog.Published, ""); err != nil {
			t.Fatal(err)
		}
		// A refused change records nothing.
		bad := in
		bad.Variants = nil
		if _, err := f.cat.Update(ctx, owner, p.ID, bad); err == nil {
			t.Fatal("an update without variants was accepted")
		}

		entries, err := audit.List(ctx, d.Read(), moderator, audit.Filter{Entity: "product"})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for i := len(entries) - 1; i >= 0; i-- {
			actions = append(actions, entries[i].Action)
		}
		if got := strings.Join(actions, " "); got != "product.create product.update product.photo_add product.status" {
			t.Fatalf("audited: %s", got)
		}
		upd := entries[2]
		if upd.ActorID != owner.ID || !strings.Contains(string(upd.Before), `"price":8500`) || !strings.Contains(string(upd.After), `"price":17500`) {
			t.Errorf("update entry: actor %d before %s after %s", upd.ActorID, upd.Before, upd.After)
		}
		if st := entries[0]; st.ActorID != moderator.ID || !strings.Contains(string(st.After), `"published"`) {
			t.Errorf("status entry: %+v", st)
		}
	})
}
