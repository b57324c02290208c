package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/ledger"
)

var _ = authzRows(map[string]string{
	"GET /admin/commission":  "moderator admin",
	"POST /admin/commission": "admin",
})

// The admin sets 0% for cooperatives from tomorrow (a solidarity
// programme): the rule is listed as to come, the default stays in force,
// and the rate is the one sales get from that day; bad input is named and
// changes nothing; a moderator reads the rules but adds none.
func TestAdminCommissionRules(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		m := newMarket(t, d)
		for _, p := range []auth.NewUser{
			{Email: "admin@souk.ma", Name: "Salma", Role: auth.RoleAdmin, Password: "a-long-password-1", Locale: "fr"},
			{Email: "moderator@souk.ma", Name: "Karim", Role: auth.RoleModerator, Password: "a-long-password-1", Locale: "fr"},
		} {
			if _, err := m.app.Auth.CreateUser(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		admin := newAuthzClient(m.url)
		admin.signIn(t, "admin@souk.ma", "a-long-password-1")
		status, body := admin.page(t, "/admin/commission?lang=fr")
		if status != http.StatusOK || !strings.Contains(body, "10\u00a0%") || !strings.Contains(body, "en vigueur") {
			t.Fatalf("rules page: %d", status)
		}
		before := count(t, d, `SELECT COUNT(*) FROM commission_rules`)
		for _, bad := range []url.Values{
			{"rate": {"dix"}},
			{"rate": {"7,555"}},
			{"rate": {"120"}},
			{"rate": {"5"}, "effective_from": {"2001-01-01"}},
			{"rate": {"5"}, "vendor_kind": {"bank"}},
		} {
			bad.Set("csrf_token", admin.csrf)
			if a := admin.postForm(t, "/admin/commission?lang=fr", bad); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `class="error"`) {
				t.Errorf("%v: %d", bad, a.status)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM commission_rules`); n != before {
			t.Fatalf("refused rules were written: %d → %d", before, n)
		}
		tomorrow := time.Now().In(mustZone(t, "Africa/Casablanca")).AddDate(0, 0, 1).Format(time.DateOnly)
		ok := admin.postForm(t, "/admin/commission", url.Values{"csrf_token": {admin.csrf}, "vendor_kind": {"cooperative"},
			"rate": {"0"}, "effective_from": {tomorrow}, "note": {"Programme solidaire 2027"}})
		if ok.status != http.StatusSeeOther || ok.location != "/admin/commission?done=commission.saved" {
			t.Fatalf("add: %d %q", ok.status, ok.location)
		}
		_, body = admin.page(t, "/admin/commission?lang=fr")
		if !strings.Contains(body, "Programme solidaire 2027") || !strings.Contains(body, "à venir") {
			t.Error("the new rule is not listed as to come")
		}
		day, _ := time.ParseInLocation(time.DateOnly, tomorrow, mustZone(t, "Africa/Casablanca"))
		for _, c := range []struct {
			kind string
			at   time.Time
			want int
		}{{"cooperative", time.Now(), 1000}, {"cooperative", day.Add(time.Hour), 0}, {"artisan", day.Add(time.Hour), 1000}} {
			if got, err := ledger.CommissionRate(ctx, d.Read(), c.kind, 0, "web", c.at); err != nil || got != c.want {
				t.Errorf("rate for %s at %v: %d %v, want %d", c.kind, c.at, got, err, c.want)
			}
		}
		moderator := newAuthzClient(m.url)
		moderator.signIn(t, "moderator@souk.ma", "a-long-password-1")
		if status, body := moderator.page(t, "/admin/commission?lang=fr"); status != http.StatusOK || strings.Contains(body, `action="/admin/commission"`) {
			t.Errorf("moderator: %d, form shown: %v", status, strings.Contains(body, `action="/admin/commission"`))
		}
	})
}
