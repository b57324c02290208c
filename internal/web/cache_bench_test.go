package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"souk/internal/catalog"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
)

// BenchmarkCachedProductPage is souk's whole handler (access log, gzip,
// metrics, the limit in flight, sessions, CSRF, routing, the storefront)
// answering a product page from the page cache, next to a hello-world
// handler on the same machine: the ratio is what the launch-day harness's
// "product page / ceiling" figure depends on, without the network.
//
//	go test ./internal/web -run '^$' -bench CachedProductPage -cpuprofile /tmp/cpu.out
func BenchmarkCachedProductPage(b *testing.B) {
	a, v := shopWithCooperative(b, dbtest.SQLite(b), "tifaouine", "Taroudant",
		map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine", Story: "Fondée par 45 femmes."}})
	if _, err := a.Catalog.Create(context.Background(), operator, v.ID, catalog.Input{Slug: "huile-argan", Category: "argan-oil",
		Status: catalog.Published, Texts: map[string]catalog.Texts{"fr": {Title: "Huile d’argan", Description: strings.Repeat("Pressée à froid. ", 40)}},
		Variants: []catalog.Variant{{SKU: "S", Label: "250 ml", Price: money.Dirhams(15000), Stock: 30}}}); err != nil {
		b.Fatal(err)
	}
	h := a.Handler()
	for _, enc := range []string{"", "gzip"} {
		name := "plain"
		if enc != "" {
			name = "gzip"
		}
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/fr/p/huile-argan", nil)
			if enc != "" {
				req.Header.Set("Accept-Encoding", enc)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatalf("product page: %d", w.Code)
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := discard{h: http.Header{}}
					h.ServeHTTP(&w, req)
				}
			})
		})
	}
	b.Run("hello", func(b *testing.B) {
		hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, "Hello, World!")
		})
		req := httptest.NewRequest("GET", "/", nil)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				w := discard{h: http.Header{}}
				hello.ServeHTTP(&w, req)
			}
		})
	})
}

// discard is a ResponseWriter that keeps nothing.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(code int)        { d.code = code }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
