package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// tifaouineOwner creates vendor A's owner and signs them in.
func tifaouineOwner(t *testing.T, m market, role auth.Role, email string) *authzClient {
	t.Helper()
	ctx := context.Background()
	var vendorA int64
	if err := m.d.Read().QueryRowContext(ctx, `SELECT id FROM vendors WHERE slug = 'tifaouine'`).Scan(&vendorA); err != nil {
		t.Fatal(err)
	}
	if _, err := m.app.Auth.CreateUser(ctx, auth.NewUser{Email: email, Name: "Fatima", Role: role, VendorID: vendorA,
		Password: "a-long-password-1", Locale: "ar"}); err != nil {
		t.Fatal(err)
	}
	c := newAuthzClient(m.url)
	c.signIn(t, email, "a-long-password-1")
	return c
}

func (c *authzClient) page(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := c.client.Get(c.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		b.WriteString(sc.Text())
		b.WriteByte('\n')
	}
	return resp.StatusCode, b.String()
}

// The owner's dashboard counts a sale placed in the shop today, this week
// and this month, with one parcel waiting and a bar in the chart, in the
// language chosen with ?lang=.
func TestVendorDashboard(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		owner := tifaouineOwner(t, m, auth.RoleVendorOwner, "owner@tifaouine.ma")

		status, body := owner.page(t, "/vendor/?lang=ar")
		if status != http.StatusOK || !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, "لا مبيعات بعد") {
			t.Fatalf("empty dashboard: %d", status)
		}
		buyer := m.shopper()
		buyer.addToCart("fr", "huile-argan", 2, "")
		buyer.place("fr", buyer.reviewed("fr", "cod"))

		status, body = owner.page(t, "/vendor/?lang=fr")
		if status != http.StatusOK || !strings.Contains(body, `lang="fr"`) {
			t.Fatalf("dashboard in French: %d", status)
		}
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"sales-today", "sales-week", "sales-month"} {
			if got := flat(textOf(byID(doc, id))); !strings.Contains(got, "300,00") {
				t.Errorf("%s = %q, want 300,00 MAD (two bottles at 150)", id, got)
			}
		}
		if got := flat(textOf(byID(doc, "waiting"))); got != "1" {
			t.Errorf("waiting = %q, want 1", got)
		}
		bars := find(doc, "rect")
		if len(bars) != 30 {
			t.Fatalf("chart: %d bars, want 30 days", len(bars))
		}
		last := bars[len(bars)-1]
		if h := attr(last, "height"); h == "0" || h == "" {
			t.Errorf("today's bar has height %q", h)
		}

		// Cash on delivery owes the vendor nothing until the carrier has
		// collected it; then its earning (items less 10% commission)
		// waits for delivery.
		if got := flat(textOf(byID(doc, "balance-owed"))); !strings.Contains(got, "0,00") {
			t.Errorf("owed before collection: %q", got)
		}
		var number string
		if err := d.Read().QueryRowContext(context.Background(), `SELECT number FROM orders`).Scan(&number); err != nil {
			t.Fatal(err)
		}
		if _, err := m.app.Orders.CODCollected(context.Background(), auth.User{ID: 1, Role: auth.RoleAdmin}, number); err != nil {
			t.Fatal(err)
		}
		_, body = owner.page(t, "/vendor/?lang=fr")
		doc, err = html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]string{"balance-undelivered": "270,00", "balance-owed": "270,00", "balance-due": "0,00"} {
			if got := flat(textOf(byID(doc, id))); !strings.Contains(got, want) {
				t.Errorf("%s = %q, want %s", id, got, want)
			}
		}
	})
}

// A sale placed while the owner watches the live page arrives on the event
// stream, with its amount and channel in the owner's language.
func TestVendorLiveSales(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		owner := tifaouineOwner(t, m, auth.RoleVendorStaff, "staff@tifaouine.ma")
		status, body := owner.page(t, "/vendor/live?lang=fr")
		if status != http.StatusOK || !strings.Contains(body, `id="sales"`) || !strings.Contains(body, "/assets/live.") {
			t.Fatalf("live page: %d", status)
		}

		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", m.url+"/vendor/live/events?after=0", nil)
		resp, err := owner.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" || resp.Header.Get("Content-Encoding") != "" {
			t.Fatalf("stream: %q encoded %q", ct, resp.Header.Get("Content-Encoding"))
		}
		buyer := m.shopper()
		buyer.addToCart("fr", "huile-argan", 1, "")
		buyer.place("fr", buyer.reviewed("fr", "cod"))

		sc := bufio.NewScanner(resp.Body)
		var id string
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "id: "); ok {
				id = v
			}
			data, ok := strings.CutPrefix(line, "data: ")
			if !ok {
				continue
			}
			var sale struct{ Amount, Channel, Number string }
			if err := json.Unmarshal([]byte(data), &sale); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(sale.Amount, "150,00") || sale.Channel != "boutique en ligne" || sale.Number == "" || id == "" {
				t.Errorf("sale event: %+v id %q", sale, id)
			}
			return
		}
		t.Fatalf("no sale on the stream: %v", sc.Err())
	})
}

// answer is what a POST got back.
type answer struct {
	status         int
	location, body string
}

func (c *authzClient) postForm(t *testing.T, path string, form url.Values) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header.Get("Location"), string(b)}
}
