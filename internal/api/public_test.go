package api_test

import (
	"testing"

	"souk/internal/api"
)

// TestPublic: the answers the cache keeps are the ones the limit on
// requests in flight lets through to it, and nothing else.
func TestPublic(t *testing.T) {
	for _, p := range []string{"/api/v1/products", "/api/v1/products/huile-argan", "/api/v1/categories", "/api/v1/vendors", "/api/v1/vendors/7"} {
		if !api.Public(p) {
			t.Errorf("%s is a public answer", p)
		}
	}
	for _, p := range []string{"/api/v1/carts", "/api/v1/carts/x", "/api/v1/orders", "/api/v1/me", "/api/v1/products/x/status", "/api/v1/products/",
		"/api/v1/vendor-orders", "/api/v1/exchange-rates", "/fr/p/x"} {
		if api.Public(p) {
			t.Errorf("%s is not a public answer", p)
		}
	}
}
