package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"souk/internal/catalog"
	"souk/internal/httpcache"
	"souk/internal/i18n"
)

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes a flush on: the middleware around it (gzip) only looks for
// http.Flusher, and the portal's live sales stream needs each event sent.
func (w *statusWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	byRoute  sync.Map // routeKey → routeMetrics: the vectors' lookups (a hash of the labels) once per kind of request
}

type routeKey struct {
	route, method string
	code          int
}

type routeMetrics struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "souk_http_requests_total",
			Help: "HTTP requests served, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "souk_http_request_duration_seconds",
			Help:    "Time to serve a request, by route pattern and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

// wrap counts and times every request under its route pattern (the mux's
// "GET /api/v1/products/{product}", never the raw path) and its method (one
// of HTTP's, else "other"), so label values stay few whatever clients send.
func (m *httpMetrics) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		rm := m.of(routeKey{route: route, method: methodLabel(r.Method), code: sw.status})
		rm.requests.Inc()
		rm.latency.Observe(time.Since(start).Seconds())
	})
}

func (m *httpMetrics) of(k routeKey) routeMetrics {
	if v, ok := m.byRoute.Load(k); ok {
		return v.(routeMetrics)
	}
	v, _ := m.byRoute.LoadOrStore(k, routeMetrics{
		requests: m.requests.WithLabelValues(k.route, k.method, strconv.Itoa(k.code)),
		latency:  m.latency.WithLabelValues(k.route, k.method),
	})
	return v.(routeMetrics)
}

// methodLabel is r.Method as a metric label: any token is a valid method
// on the wire, and each would otherwise be a new series kept for ever.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// accessLog logs each request at debug level, and server errors at warn.
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		level := slog.LevelDebug
		if sw.status >= 500 {
			level = slog.LevelWarn
		}
		if log.Enabled(r.Context(), level) { // not the four values' allocations on every request
			log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
				"took", time.Since(start))
		}
	})
}

// registerCacheMetrics exports the page cache's counters.
func registerCacheMetrics(reg prometheus.Registerer, c *httpcache.Cache) {
	registerCacheStats(reg, "page_cache", [4]string{
		"Public pages and API answers served from the cache.",
		"Public pages and API answers that could be cached but were rendered.",
		"Answers kept in the page cache.",
		"Bytes of answers kept in the page cache (compressed).",
	}, func() [4]float64 {
		hits, misses, entries, bytes := c.Stats()
		return [4]float64{float64(hits), float64(misses), float64(entries), float64(bytes)}
	})
}

// registerProductCacheMetrics exports the catalog's product cache counters.
func registerProductCacheMetrics(reg prometheus.Registerer, s *catalog.Service) {
	registerCacheStats(reg, "product_cache", [4]string{
		"Products of public listings taken from memory.",
		"Products of public listings read from the database.",
		"Products kept in the product cache.",
		"Estimated bytes of the products kept in the product cache.",
	}, func() [4]float64 {
		c := s.ProductCacheStats()
		return [4]float64{float64(c.Hits), float64(c.Misses), float64(c.Entries), float64(c.Bytes)}
	})
}

// registerCacheStats exports a cache's hits, misses, entries and bytes, in
// that order in help and stats, as souk_<name>_hits_total and so on.
func registerCacheStats(reg prometheus.Registerer, name string, help [4]string, stats func() [4]float64) {
	stat := func(i int) func() float64 { return func() float64 { return stats()[i] } }
	prefix := "souk_" + name + "_"
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: prefix + "hits_total", Help: help[0]}, stat(0)),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: prefix + "misses_total", Help: help[1]}, stat(1)),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: prefix + "entries", Help: help[2]}, stat(2)),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: prefix + "bytes", Help: help[3]}, stat(3)),
	)
}

// gate is the places for requests being served: at most max at once; one
// more waits up to wait for a place, then is refused.
type gate struct {
	places  chan struct{}
	wait    time.Duration
	refused prometheus.Counter
}

func newGate(max int, wait time.Duration, refused prometheus.Counter) *gate {
	return &gate{places: make(chan struct{}, max), wait: wait, refused: refused}
}

// enter takes a place, waiting up to g.wait for one; release gives it back.
func (g *gate) enter(ctx context.Context) (release func(), ok bool) {
	if release, ok := g.take(); ok {
		return release, true
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.places <- struct{}{}:
		return g.leave, true
	case <-t.C:
		g.refused.Inc()
		return nil, false
	case <-ctx.Done():
		return nil, false
	}
}

// take takes a place only if one is free now.
func (g *gate) take() (release func(), ok bool) {
	select {
	case g.places <- struct{}{}:
		return g.leave, true
	default:
		return nil, false
	}
}

func (g *gate) leave() { <-g.places }

// place takes a place for the page cache: waiting for one as enter does,
// or, when the cache holds an answer it may serve instead, only if one is
// free at once.
func (g *gate) place(ctx context.Context, wait bool) (release func(), ok bool) {
	if wait {
		return g.enter(ctx)
	}
	return g.take()
}

// limitInFlight serves each request in a place of g, and answers 503 with
// Retry-After when none frees in time, so that an overloaded node says so at
// once instead of queueing visitors into seconds of latency and gigabytes of
// memory. Health checks, metrics, the portal's live sales stream
// (long-lived) and payment gateways' calls are never held back; nor are
// requests the page cache may answer (cached(r)): the cache takes a place
// only to render one, so pages it holds keep flowing when a node is full.
func limitInFlight(g *gate, cached func(*http.Request) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exemptFromLimit(r.URL.Path) || cached(r) {
			next.ServeHTTP(w, r)
			return
		}
		release, ok := g.enter(r.Context())
		if !ok {
			busy(w, r)
			return
		}
		defer release()
		next.ServeHTTP(w, r)
	})
}

func exemptFromLimit(path string) bool {
	return path == "/healthz" || path == "/metrics" || path == "/vendor/live/events" || strings.HasPrefix(path, "/payments/")
}

// busy answers 503 in the visitor's language: the page's, else their
// browser's.
func busy(w http.ResponseWriter, r *http.Request) {
	loc, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	api := strings.HasPrefix(r.URL.Path, "/api/")
	if !i18n.Valid(loc) {
		def := i18n.Default
		if api {
			def = "en"
		}
		loc = i18n.Negotiate(r.Header.Get("Accept-Language"), def)
	}
	msg := i18n.T(loc, "error.busy", nil)
	w.Header().Set("Retry-After", "1")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", loc)
	if api {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": "unavailable", "message": msg}})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte(msg + "\n"))
}
