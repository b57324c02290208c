package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/morocco"
)

var _ = authzRows(map[string]string{
	"GET /vendor/shop":  "owner other",
	"POST /vendor/shop": "owner other",
})

// The owner writes the shop's story in Tamazight and changes the bank
// account: the storefront's vendor page shows the story, the audit log has
// the change; a bad RIB is named and changes nothing; staff may not.
func TestOwnerEditsTheShopPage(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		owner := tifaouineOwner(t, m, auth.RoleVendorOwner, "owner@tifaouine.ma")
		status, body := owner.page(t, "/vendor/shop?lang=fr")
		if status != http.StatusOK || !strings.Contains(body, `value="Coopérative Tifaouine"`) || !strings.Contains(body, "manquant") {
			t.Fatalf("shop page: %d", status)
		}
		form := url.Values{"csrf_token": {owner.csrf}, "texts.fr.display_name": {"Coopérative Tifaouine"},
			"texts.ar.display_name": {"تعاونية تيفاوين"}, "texts.zgh.display_name": {"ⵜⴰⵎⵢⴰⵡⴰⵙⵜ ⵜⵉⴼⴰⵡⵉⵏ"},
			"texts.zgh.story": {"ⵏⴽⵙⵙⵓ ⴰⵣⵉⵜ ⵏ ⵜⴰⵔⴳⴰⵏⵜ ⴳ ⵜⴰⵔⵓⴷⴰⵏⵜ."}, "contact_name": {"Fatima"}, "email": {"contact@tifaouine.ma"},
			"phone": {"0612345678"}, "city": {"Taroudant"}, "rib": {"123"}}
		bad := owner.postForm(t, "/vendor/shop?lang=fr", form)
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="rib-error"`) || !strings.Contains(bad.body, "ⵏⴽⵙⵙⵓ") {
			t.Fatalf("bad RIB: %d", bad.status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'vendor.update'`); n != 0 {
			t.Fatalf("a refused edit was recorded: %d", n)
		}
		goodRIB := "0117800000123456789012" + morocco.RIBKey("0117800000123456789012")
		form.Set("rib", goodRIB)
		form.Set("texts.fr.display_name", "Coopérative Tifaouine Tiznitia")
		ok := owner.postForm(t, "/vendor/shop", form)
		if ok.status != http.StatusSeeOther || ok.location != "/vendor/shop?done=myshop.saved" {
			t.Fatalf("save: %d %q %s", ok.status, ok.location, ok.body)
		}
		// Products are found by their vendor's new name.
		res, err := http.Get(m.url + "/fr/search?q=tiznitia")
		if err != nil {
			t.Fatal(err)
		}
		found, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(found), "/fr/p/huile-argan") {
			t.Errorf("a search for the vendor's new name finds none of its products:\n%.3000s", found)
		}
		if _, page := owner.page(t, "/zgh/v/tifaouine"); !strings.Contains(page, "ⵏⴽⵙⵙⵓ ⴰⵣⵉⵜ") {
			t.Error("the storefront's vendor page does not show the Tamazight story")
		}
		entries, err := audit.List(ctx, d.Read(), auth.User{ID: 1, Role: auth.RoleAdmin}, audit.Filter{Action: "vendor.update"})
		if err != nil || len(entries) != 1 || !strings.Contains(string(entries[0].After), goodRIB) {
			t.Errorf("audit: %+v %v", entries, err)
		}
		staff := tifaouineOwner(t, m, auth.RoleVendorStaff, "staff@tifaouine.ma")
		if status, _ := staff.page(t, "/vendor/shop"); status != http.StatusForbidden {
			t.Errorf("staff on the shop page: %d", status)
		}
	})
}
