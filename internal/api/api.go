// Package api is souk's JSON API under /api/v1/: the contract that mobile
// apps, partner shops and the load harness use. Handlers parse and check the
// request, call one domain function, and write the result; errors become
// {"error":{"code","message","fields"}} in the caller's language.
package api

import (
	"log/slog"
	"net/http"
	"strings"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/currency"
	"souk/internal/errs"
	"souk/internal/httpcache"
	"souk/internal/order"
	"souk/internal/shipping"
	"souk/internal/vendor"
)

// Server holds the domain services the API calls.
type Server struct {
	Auth     *auth.Service
	Vendors  *vendor.Service
	Catalog  *catalog.Service
	Rates    *currency.Service
	Orders   *order.Service
	Shipping *shipping.Service
	Log      *slog.Logger
	// SecureCookies marks session cookies Secure (behind HTTPS).
	SecureCookies bool
	// Cache keeps the catalog's answers to callers who are not signed in
	// (products, categories, vendors); nil answers every request afresh.
	Cache *httpcache.Cache
}

// handlerFunc is an API handler; a returned error is written by serve.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Routes registers the API on mux. Authentication (auth.Middleware) and
// CSRF protection (auth.CSRF) wrap the whole server in package app.
func (s *Server) Routes(mux *http.ServeMux) {
	h := func(pattern string, fn handlerFunc) { mux.Handle(pattern, s.serve(fn)) }
	public := func(pattern string, fn handlerFunc) { mux.Handle(pattern, s.cached(s.serve(fn))) }

	h("GET /api/v1/openapi.json", s.openAPI)

	h("POST /api/v1/sessions", s.login)
	h("DELETE /api/v1/sessions/current", s.logout)
	h("GET /api/v1/me", s.me)

	public("GET /api/v1/categories", s.listCategories)

	public("GET /api/v1/vendors", s.listVendors)
	h("POST /api/v1/vendors", s.createVendor)
	public("GET /api/v1/vendors/{vendor}", s.getVendor)
	h("PUT /api/v1/vendors/{vendor}", s.updateVendor)
	h("POST /api/v1/vendors/{vendor}/status", s.setVendorStatus)

	public("GET /api/v1/products", s.listProducts)
	h("POST /api/v1/products", s.createProduct)
	public("GET /api/v1/products/{product}", s.getProduct)
	h("PUT /api/v1/products/{product}", s.updateProduct)
	h("DELETE /api/v1/products/{product}", s.deleteProduct)
	h("POST /api/v1/products/{product}/status", s.setProductStatus)

	h("POST /api/v1/carts", s.createCart)
	h("GET /api/v1/carts/{cart}", s.getCart)
	h("POST /api/v1/carts/{cart}/items", s.addCartItem)
	h("PUT /api/v1/carts/{cart}/items/{product}/{variant}", s.setCartItem)
	h("DELETE /api/v1/carts/{cart}/items/{product}/{variant}", s.deleteCartItem)
	h("POST /api/v1/carts/{cart}/checkout", s.checkout)

	h("GET /api/v1/orders", s.listOrders)
	h("GET /api/v1/orders/{order}", s.getOrder)
	h("POST /api/v1/orders/{order}/cancel", s.cancelOrder)
	h("POST /api/v1/orders/{order}/confirm", s.confirmOrder)
	h("POST /api/v1/orders/{order}/cod-collected", s.codCollected)
	h("POST /api/v1/orders/{order}/refunds", s.refund)
	h("GET /api/v1/vendor-orders", s.listVendorOrders)
	h("POST /api/v1/vendor-orders/{vendor_order}/status", s.setVendorOrderStatus)

	h("GET /api/v1/carriers", s.listCarriers)
	h("PUT /api/v1/carriers/{carrier}", s.setCarrier)
	h("PUT /api/v1/carriers/{carrier}/rates/{zone}", s.setRates)
	h("GET /api/v1/shipping-quotes", s.shippingQuotes)
	h("GET /api/v1/sales-channels", s.listChannels)
	h("PUT /api/v1/sales-channels/{channel}", s.setChannel)
	h("GET /api/v1/checkout-settings", s.getSettings)
	h("PUT /api/v1/checkout-settings", s.setSettings)

	h("POST /payments/cmi/callback", s.cmiCallback)
	h("POST /payments/stripe/webhook", s.stripeWebhook)

	h("GET /api/v1/exchange-rates", s.listRates)
	h("PUT /api/v1/exchange-rates/{currency}", s.setRate)

	// Anything else under /api/ is a JSON 404, not the storefront's HTML
	// one — or a 405 naming the methods the path takes.
	h("/api/", func(w http.ResponseWriter, r *http.Request) error {
		if allow := allowedMethods(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			return errs.E(errs.MethodNotAllowed, "error.method_not_allowed")
		}
		return notFound("route")
	})
}

// allowedMethods lists the methods with a route for r's path (the
// catch-all aside).
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/api/" {
			out = append(out, m)
		}
	}
	return out
}

// cached answers callers who are not signed in from s.Cache: what they see
// depends only on the address and their language.
func (s *Server) cached(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, signedIn := auth.UserFrom(r.Context()); signedIn || s.Cache == nil {
			next.ServeHTTP(w, r)
			return
		}
		s.Cache.Serve(w, r, "api|"+locale(r)+"|"+r.URL.RequestURI(), next.ServeHTTP)
	})
}

// Public reports whether path is one of the answers Routes registers as
// public (kept by the cache for callers not signed in), so that a node that
// is full still gives them from the cache.
func Public(path string) bool {
	rest, ok := strings.CutPrefix(path, "/api/v1/")
	if !ok {
		return false
	}
	if rest == "products" || rest == "categories" || rest == "vendors" {
		return true
	}
	kind, name, ok := strings.Cut(rest, "/")
	return ok && name != "" && !strings.Contains(name, "/") && (kind == "products" || kind == "vendors")
}
