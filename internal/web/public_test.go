package web_test

import (
	"testing"

	"souk/internal/web"
)

// TestPublic: the pages the page cache keeps are known to the limit on
// requests in flight (which lets them through to the cache), and nothing
// that is a visitor's own (cart, checkout, orders, account) is among them.
func TestPublic(t *testing.T) {
	for _, p := range []string{"/ar/", "/fr/c/argan-oil", "/fr/p/huile-argan", "/zgh/v/tifaouine", "/en/search", "/es/books", "/fr/about"} {
		if !web.Public(p) {
			t.Errorf("%s is a public page", p)
		}
	}
	for _, p := range []string{"/", "/xx/", "/fr", "/fr/cart", "/fr/checkout", "/fr/orders/SOUK-1", "/fr/orders/SOUK-1/pay", "/fr/account",
		"/fr/account/signin", "/fr/sell", "/fr/p/", "/fr/p/a/b", "/vendor/", "/admin/", "/media/p/x.jpg", "/api/v1/products"} {
		if web.Public(p) {
			t.Errorf("%s is not a public page", p)
		}
	}
}
