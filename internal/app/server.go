package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"souk/internal/api"
	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/currency"
	"souk/internal/db"
	"souk/internal/httpcache"
	"souk/internal/ledger"
	"souk/internal/order"
	"souk/internal/payout"
	"souk/internal/shipping"
	"souk/internal/vendor"
	"souk/internal/web"
)

// App is a running souk: its database, its domain services and its HTTP
// server. End-to-end tests start one on 127.0.0.1:0 and talk to URL.
type App struct {
	Config  Config
	Log     *slog.Logger
	DB      *db.DB
	Auth    *auth.Service
	Vendors *vendor.Service
	Catalog *catalog.Service
	Rates   *currency.Service
	Ship    *shipping.Service
	Orders  *order.Service
	Ledger  *ledger.Service
	Payouts *payout.Service
	// URL is where the server listens, e.g. http://127.0.0.1:8080.
	URL string

	web    *web.Server
	server *http.Server
	served chan error
	wrap   func(http.Handler) http.Handler // tests add routes around the real handler
	// stopWatch ends the catalog's watch over the search index (Start).
	stopWatch context.CancelFunc
	// payoutTimes is Config.PayoutTimes read (New).
	payoutTimes payout.Times
	// pages keeps public pages and API answers (nil: Config.PageCacheMB 0).
	pages *httpcache.Cache
	// gate holds the places for requests in flight (nil: no limit).
	gate *gate
}

// Open connects to the database, migrates it and builds the services,
// without serving anything: what every command needs.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*App, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx, log); err != nil {
		d.Close()
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(cfg.DataDir, "media"), 0o750); err != nil {
		d.Close()
		return nil, fmt.Errorf("media folder: %w", err)
	}
	a, err := New(cfg, log, d)
	if err != nil {
		d.Close()
		return nil, err
	}
	if n, err := a.Catalog.EnsureIndexed(ctx); err != nil {
		d.Close()
		return nil, err
	} else if n > 0 {
		log.Info("search index rebuilt", "products", n)
	}
	return a, nil
}

// New builds an App on an open, migrated database; tests use it to run the
// real handlers on a dbtest database.
func New(cfg Config, log *slog.Logger, d *db.DB) (*App, error) {
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 20 * time.Second
	}
	a := &App{
		Config:  cfg,
		Log:     log,
		DB:      d,
		Auth:    auth.NewService(d, auth.Config{SessionTTL: cfg.SessionTTL}, nil),
		Vendors: vendor.NewService(d, nil),
		Catalog: catalog.NewService(d, nil),
		Rates:   currency.NewService(d, nil),
		Ship:    shipping.NewService(d, nil),
	}
	a.Orders = order.NewService(d, a.Ship, nil)
	a.Ledger = ledger.NewService(d, nil)
	a.Payouts = payout.NewService(d, nil)
	if cfg.DataDir != "" {
		a.Catalog.MediaDir = filepath.Join(cfg.DataDir, "media") // what /media/ serves
	}
	var err error
	if a.web, err = web.New(a.Catalog, a.Vendors, log); err != nil {
		return nil, err
	}
	a.web.Rates = a.Rates
	a.web.Orders = a.Orders
	a.web.Shipping = a.Ship
	a.web.Audit = audit.NewLog(d)
	a.web.Ledger = a.Ledger
	a.web.Payouts = a.Payouts
	a.web.Auth = a.Auth
	if cfg.StripeSecretKey != "" {
		a.web.StripeKey = cfg.StripePublishableKey
	}
	a.web.SecureCookies = cfg.SecureCookies
	if cfg.MaxInFlight > 0 {
		a.gate = newGate(cfg.MaxInFlight, 100*time.Millisecond, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "souk_http_refused_total",
			Help: "Requests answered 503 because the node was serving --max-in-flight others for 100 ms."}))
	}
	a.Catalog.SetProductCacheBytes(int64(cfg.ProductCacheMB) << 20)
	if cfg.PageCacheMB > 0 {
		// Five minutes: what changes is dropped at once by the feed; the
		// limit only bounds what nothing in the feed covers (a
		// certification's expiry date passing). Each held page is rendered
		// again once per period: at one minute, renewing the launch's
		// 6,000 pages took a third of a core.
		a.pages = httpcache.New(int64(cfg.PageCacheMB)<<20, 5*time.Minute)
		a.pages.Fresh = a.Catalog.Sync
		if a.gate != nil {
			a.pages.Gate, a.pages.Busy = a.gate.place, busy
		}
		a.Catalog.OnChange(func(c catalog.Change) { a.pages.Invalidate(c.Products, c.Listings, c.All) })
		a.web.Pages = a.pages
	}
	if a.web.BaseURL, err = baseURL(cfg.BaseURL); err != nil {
		return nil, err
	}
	if a.payoutTimes, err = payout.ParseTimes(cfg.PayoutTimes); err != nil {
		return nil, err
	}
	a.useBaseURL(a.web.BaseURL)
	if err := a.Orders.Init(context.Background()); err != nil {
		return nil, err
	}
	return a, nil
}

// useBaseURL tells the services that link back to souk (card payments'
// return pages, e-mails' links) where it is.
func (a *App) useBaseURL(base string) {
	a.Orders.SetGateways(a.gateways(base))
	a.Vendors.Joining(vendor.DirStore(filepath.Join(a.Config.DataDir, "documents")), base)
}

// Start opens the app, loads the demo marketplace into an empty database
// (unless NoDemo), starts the background jobs and serves. It returns once
// the listener is open: /healthz answers 200 from then on. The search index
// is loaded into memory after that (watchIndex): until it is, listings are
// answered by the database's own index, so a restarted node serves at once.
func Start(ctx context.Context, cfg Config, log *slog.Logger) (*App, error) {
	a, err := Open(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if !cfg.NoDemo {
		if err := a.loadDemoIfEmpty(ctx); err != nil {
			a.DB.Close()
			return nil, err
		}
	}
	watch, stop := context.WithCancel(context.Background())
	a.stopWatch = stop
	interval := cfg.FeedInterval
	if interval <= 0 {
		interval = 200 * time.Millisecond
	}
	if err := a.Catalog.Follow(watch, interval, a.Log); err != nil {
		stop()
		a.DB.Close()
		return nil, err
	}
	if cfg.DebugAddr != "" {
		if err := a.serveDebug(watch, cfg.DebugAddr); err != nil {
			stop()
			a.DB.Close()
			return nil, err
		}
	}
	if err := a.runBackground(watch); err != nil {
		stop()
		a.DB.Close()
		return nil, err
	}
	if err := a.Serve(); err != nil {
		stop()
		a.DB.Close()
		return nil, err
	}
	go a.watchIndex(watch)
	return a, nil
}

// watchIndex loads the search index into memory (catalog.LoadIndex; the
// change feed Start follows keeps it in step with the database). A failed
// load is tried again, less and less often; listings use the database
// meanwhile.
func (a *App) watchIndex(ctx context.Context) {
	for wait := time.Second; ; wait = min(2*wait, time.Minute) {
		start := time.Now()
		err := a.Catalog.LoadIndex(ctx)
		if err == nil {
			a.Log.Info("search index in memory", "took", time.Since(start).Round(time.Millisecond))
			return
		}
		if ctx.Err() != nil {
			return
		}
		a.Log.Error("loading the search index into memory failed: listings use the database meanwhile", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// Serve opens the listener on Config.Addr and serves in the background
// until Shutdown.
func (a *App) Serve() error {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.Config.Addr, err)
	}
	a.URL = "http://" + ln.Addr().String()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() { // every interface: say how to reach it here
		a.URL = fmt.Sprintf("http://localhost:%d", tcp.Port)
	}
	if a.web.BaseURL == "" { // payment gateways and e-mails' links need an address to come back to
		a.useBaseURL(a.URL)
	}
	h := a.Handler()
	if a.wrap != nil {
		h = a.wrap(h)
	}
	a.server = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	a.served = make(chan error, 1)
	go func() { a.served <- a.server.Serve(ln) }()
	a.Log.Info("souk is serving", "url", a.URL, "database", string(a.DB.Dialect))
	return nil
}

// Handler is souk's whole HTTP surface: the API, health and metrics, with
// authentication, CSRF protection, metrics and access logs around it.
func (a *App) Handler() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if a.DB.R == a.DB.W {
		reg.MustRegister(collectors.NewDBStatsCollector(a.DB.W, "main"))
	} else {
		reg.MustRegister(collectors.NewDBStatsCollector(a.DB.W, "write"), collectors.NewDBStatsCollector(a.DB.R, "read"))
	}
	m := newHTTPMetrics(reg)
	if a.pages != nil {
		registerCacheMetrics(reg, a.pages)
	}
	registerProductCacheMetrics(reg, a.Catalog)

	mux := http.NewServeMux()
	(&api.Server{Auth: a.Auth, Vendors: a.Vendors, Catalog: a.Catalog, Rates: a.Rates, Orders: a.Orders, Shipping: a.Ship,
		Log: a.Log, SecureCookies: a.Config.SecureCookies, Cache: a.pages}).Routes(mux)
	a.mountSimulator(mux)
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	if a.Config.DataDir != "" {
		mux.Handle("GET /media/", mediaHandler(filepath.Join(a.Config.DataDir, "media")))
	}
	a.web.Routes(mux)

	var h http.Handler = mux
	h = auth.CSRF(h)
	h = a.Auth.Middleware(h)
	if a.gate != nil {
		reg.MustRegister(a.gate.refused)
		h = limitInFlight(a.gate, a.cacheable, h)
	}
	h = m.wrap(h)
	h = gzhttp.GzipHandler(h)
	h = accessLog(a.Log, h)
	return h
}

func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := a.DB.Ping(ctx); err != nil {
		a.Log.Error("health check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, `{"status":"unavailable","database":"down"}`)
		return
	}
	fmt.Fprintf(w, `{"status":"ok","database":%q}`+"\n", a.DB.Dialect)
}

// Shutdown stops accepting connections, lets in-flight requests finish
// within the configured timeout, then closes the database.
func (a *App) Shutdown(ctx context.Context) error {
	if a.stopWatch != nil {
		a.stopWatch()
	}
	var err error
	if a.server != nil {
		ctx, cancel := context.WithTimeout(ctx, a.Config.ShutdownTimeout)
		defer cancel()
		err = a.server.Shutdown(ctx)
		if serr := <-a.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
	}
	return errors.Join(err, a.DB.Close())
}

// Close releases the database of an App from Open.
func (a *App) Close() error { return a.DB.Close() }

// baseURL checks a configured public origin: http or https, a host, no path.
func baseURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		return "", fmt.Errorf("bad configuration: --base-url %q must be like https://souk.example.ma", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

// cacheable reports whether the page cache may answer r: a GET of a public
// page or catalog answer by someone not signed in.
func (a *App) cacheable(r *http.Request) bool {
	if a.pages == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) || r.Header.Get("Authorization") != "" {
		return false
	}
	if _, err := r.Cookie(auth.CookieName); err == nil {
		return false
	}
	return web.Public(r.URL.Path) || api.Public(r.URL.Path)
}
