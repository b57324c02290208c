package order_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/money"
	"souk/internal/order"
	"souk/internal/payment/cmi"
	"souk/internal/shipping"
	"souk/internal/vendor"
)

// clock is a test clock the services read.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// shop is a marketplace with three approved vendors, each selling products
// with stock, and an operator.
type shop struct {
	d        *db.DB
	orders   *order.Service
	catalog  *catalog.Service
	auth     *auth.Service
	clock    *clock
	operator auth.User
	vendors  []vendor.Vendor
	// variants[v][i] is the i-th product of vendor v: product slug and SKU.
	products [][]string
}

const storeKey = "TEST-STORE-KEY"

func newShop(t testing.TB, d *db.DB) *shop {
	t.Helper()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	s := &shop{d: d, clock: c, catalog: catalog.NewService(d, c.now), auth: auth.NewService(d, auth.Config{}, c.now)}
	s.orders = order.NewService(d, shipping.NewService(d, c.now), c.now)
	s.orders.SetGateways(order.Gateways{CMI: &cmi.Config{ClientID: "600000001", StoreKey: storeKey, GatewayURL: "http://127.0.0.1:1/fim/est3Dgate"},
		BaseURL: "http://127.0.0.1:8080"})
	if err := s.orders.Init(ctx); err != nil {
		t.Fatal(err)
	}
	op, err := s.auth.CreateUser(ctx, auth.NewUser{Email: "ops@souk.test", Name: "Ops", Password: "correct horse battery", Role: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	s.operator = op
	vs := vendors()
	for i, in := range vs {
		in.Texts = map[string]vendor.Texts{"fr": {DisplayName: in.LegalName}}
		v, err := vendor.NewService(d, c.now).Create(ctx, op, in, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		s.vendors = append(s.vendors, v)
		var slugs []string
		for j := range 2 {
			var book *catalog.Book
			if in.Kind == vendor.Publisher {
				first12 := fmt.Sprintf("97899540010%d", j)
				book = &catalog.Book{ISBN: catalog.ISBNCheckDigit(first12), Authors: []string{"Leïla Slimani"}, Language: "fr"}
			}
			p, err := s.catalog.Create(ctx, op, v.ID, catalog.Input{Book: book,
				Category: []string{"amlou-honey", "rugs-textiles", "literature"}[i], Status: catalog.Published,
				TaxClass: []string{"exempt", "standard", "reduced7"}[i],
				Texts:    map[string]catalog.Texts{"fr": {Title: fmt.Sprintf("Produit %d-%d", i, j)}, "ar": {Title: fmt.Sprintf("منتج %d-%d", i, j)}},
				Variants: []catalog.Variant{{SKU: "STD", Label: "", Price: money.Dirhams(int64(10000 * (i + 1))), Stock: 50, WeightGrams: 500}},
			})
			if err != nil {
				t.Fatal(err)
			}
			slugs = append(slugs, p.Slug)
		}
		s.products = append(s.products, slugs)
	}
	return s
}

func vendors() []vendor.Input {
	return []vendor.Input{
		{Slug: "amlou-souss", Kind: vendor.Cooperative, LegalName: "Coopérative Amlou Souss", Region: "souss-massa", City: "Agadir", CooperativeNumber: "2010/7"},
		{Slug: "tapis-atlas", Kind: vendor.Cooperative, LegalName: "Coopérative Tapis Atlas", Region: "beni-mellal-khenifra", City: "Azilal", CooperativeNumber: "2012/3"},
		{Slug: "dar-kitab", Kind: vendor.Publisher, LegalName: "Dar Kitab", Region: "casablanca-settat", City: "Casablanca", ICE: "001234567000089"},
	}
}

// variant resolves vendor v's i-th product to its variant id.
func (s *shop) variant(t testing.TB, v, i int) int64 {
	t.Helper()
	id, err := s.catalog.FindVariant(context.Background(), s.products[v][i], "STD")
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// cart fills a new guest cart with quantity of each variant.
func (s *shop) cart(t testing.TB, lines map[int64]int) string {
	t.Helper()
	ctx := context.Background()
	c, err := s.orders.NewCart(ctx, auth.User{}, "")
	if err != nil {
		t.Fatal(err)
	}
	for id, q := range lines {
		if _, err := s.orders.SetItem(ctx, auth.User{}, c.ID, id, q, true); err != nil {
			t.Fatal(err)
		}
	}
	return c.ID
}

func casablancaCOD() order.CheckoutInput {
	return order.CheckoutInput{Email: "fatima@example.ma", Phone: "06 12 34 56 78", PaymentMethod: order.COD, Locale: "fr",
		Address: order.Address{Name: "Fatima Zahra", Line1: "12 rue des Oudayas", City: "casablanca", Country: "MA"}}
}

func stock(t testing.TB, d *db.DB, variantID int64) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT stock FROM variants WHERE id = ?`, variantID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func count(t testing.TB, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
