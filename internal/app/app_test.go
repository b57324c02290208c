package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func testConfig(dir string) Config {
	return Config{Addr: "127.0.0.1:0", DataDir: dir, LogLevel: "warn", ShutdownTimeout: 5 * time.Second}
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

type listTotal struct {
	Total int `json:"total"`
}

// A first start loads the demo marketplace before /healthz answers; a second
// start on the same folder keeps the data and loads nothing twice.
func TestFirstStartLoadsDemoSecondKeepsData(t *testing.T) {
	t.Parallel() // its own folder and port; the demo load takes most of a minute
	if testing.Short() {
		t.Skip("loads the demo marketplace")
	}
	ctx := context.Background()
	dir := t.TempDir()
	a, err := Start(ctx, testConfig(dir), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if code := getJSON(t, a.URL+"/healthz", nil); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	var vendors, products listTotal
	getJSON(t, a.URL+"/api/v1/vendors", &vendors)
	getJSON(t, a.URL+"/api/v1/products", &products)
	if vendors.Total < 55 || products.Total < 4000 { // applicants and drafts are not public
		t.Fatalf("demo marketplace: %d vendors, %d products", vendors.Total, products.Total)
	}
	if err := a.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir + "/souk.db"); err != nil {
		t.Fatalf("no SQLite file under the data folder: %v", err)
	}
	if st, err := os.Stat(dir + "/media"); err != nil || !st.IsDir() {
		t.Fatalf("no media folder under the data folder: %v", err)
	}

	b, err := Start(ctx, testConfig(dir), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Shutdown(ctx)
	var again listTotal
	getJSON(t, b.URL+"/api/v1/products", &again)
	if again.Total != products.Total {
		t.Fatalf("second start: %d products, first had %d", again.Total, products.Total)
	}
	var status struct{ Token string }
	resp, err := http.Post(b.URL+"/api/v1/sessions", "application/json",
		strings.NewReader(`{"email":"`+DemoAccounts[0].Email+`","password":"`+DemoPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&status)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || status.Token == "" {
		t.Fatalf("demo operator cannot sign in: %d", resp.StatusCode)
	}
}

func TestNoDemoStartsEmpty(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t.TempDir())
	cfg.NoDemo = true
	a, err := Start(ctx, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Shutdown(ctx)
	var vendors listTotal
	if code := getJSON(t, a.URL+"/api/v1/vendors", &vendors); code != 200 || vendors.Total != 0 {
		t.Fatalf("--no-demo: %d vendors (status %d)", vendors.Total, code)
	}
	var cats struct {
		Items []struct{ Slug string } `json:"items"`
	}
	getJSON(t, a.URL+"/api/v1/categories", &cats)
	if len(cats.Items) < 20 {
		t.Fatalf("the category tree comes with the migrations: %d categories", len(cats.Items))
	}
}

// In-flight requests finish when the server shuts down; new ones are refused.
func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t.TempDir())
	cfg.NoDemo = true
	a, err := Open(ctx, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	a.wrap = func(h http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/", h)
		mux.HandleFunc("GET /test/slow", func(w http.ResponseWriter, r *http.Request) {
			close(started)
			time.Sleep(700 * time.Millisecond)
			io.WriteString(w, "finished")
		})
		return mux
	}
	if err := a.Serve(); err != nil {
		t.Fatal(err)
	}
	type result struct {
		body string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.Get(a.URL + "/test/slow")
		if err != nil {
			done <- result{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		done <- result{body: string(b)}
	}()
	<-started
	if err := a.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	r := <-done
	if r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: %q %v", r.body, r.err)
	}
	if _, err := http.Get(a.URL + "/healthz"); err == nil {
		t.Fatal("server still accepts requests after shutdown")
	}
}

// `souk serve` stops cleanly on SIGTERM.
func TestServeStopsOnSIGTERM(t *testing.T) {
	dir := t.TempDir()
	// Port 0 is not known to the caller of Run, so pick a free one first.
	probe, err := Start(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: dir, NoDemo: true, LogLevel: "warn"}, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(probe.URL, "http://")
	probe.Shutdown(context.Background())

	var stderr bytes.Buffer
	exit := make(chan int, 1)
	go func() {
		exit <- Run(context.Background(), []string{"serve", "--addr", addr, "--data", dir, "--no-demo", "--log-level", "warn"}, nil, io.Discard, &stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("souk serve did not come up: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit code %d: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("souk serve ignored SIGTERM")
	}
}

func TestMetricsAndHealth(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t.TempDir())
	cfg.NoDemo = true
	a, err := Start(ctx, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Shutdown(ctx)
	getJSON(t, a.URL+"/api/v1/products?page=1", nil)
	getJSON(t, a.URL+"/api/v1/products/no-such-product", nil)
	for _, m := range []string{"BREW", "BREW2"} { // any token is a method: not a series each
		req, _ := http.NewRequest(m, a.URL+"/api/v1/products", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	resp, err := http.Get(a.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`souk_http_requests_total{code="200",method="GET",route="GET /api/v1/products"} 1`,
		`souk_http_requests_total{code="404",method="GET",route="GET /api/v1/products/{product}"} 1`,
		`souk_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/products",le="0.25"} 1`,
		`souk_http_requests_total{code="405",method="other",route="/api/"} 2`,
		`go_sql_open_connections{db_name="read"}`,
		`go_sql_open_connections{db_name="write"}`,
		"souk_product_cache_hits_total 0", // an empty catalog: nothing to keep
		"souk_product_cache_bytes 0",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(string(body), "BREW") {
		t.Error("/metrics keeps a method a client made up")
	}
	var h map[string]string
	if code := getJSON(t, a.URL+"/healthz", &h); code != 200 || h["status"] != "ok" || h["database"] != "sqlite" {
		t.Errorf("healthz: %d %v", code, h)
	}
	a.DB.R.Close() // a dead database makes /healthz fail, not lie
	if code := getJSON(t, a.URL+"/healthz", nil); code != http.StatusServiceUnavailable {
		t.Errorf("healthz with a closed database: %d", code)
	}
}

func TestCommandLine(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), []string{"version"}, nil, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "souk ") {
		t.Errorf("version: %d %q", code, out.String())
	}
	out.Reset()
	errOut.Reset()
	if code := Run(context.Background(), []string{"serve", "--help"}, nil, &out, &errOut); code != 0 {
		t.Errorf("serve --help exit %d", code)
	}
	for _, want := range []string{"--addr", "SOUK_ADDR", "--data", "SOUK_DATA", "SOUK_DATABASE_URL", "--no-demo"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("serve --help does not mention %s", want)
		}
	}
	if code := Run(context.Background(), []string{"bogus"}, nil, &out, &errOut); code != 2 {
		t.Errorf("unknown command exit %d", code)
	}
	dir := t.TempDir()
	if code := Run(context.Background(), []string{"migrate", "--data", dir, "--log-level", "warn"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("migrate: %s", errOut.String())
	}
	if code := Run(context.Background(), []string{"migrate", "--data", dir, "--log-level", "warn"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("migrate twice: %s", errOut.String())
	}
	out.Reset()
	errOut.Reset()
	code := Run(context.Background(), []string{"admin", "create", "--data", dir, "--email", "nadia@example.ma", "--name", "Nadia", "--log-level", "warn"},
		strings.NewReader("a long passphrase\n"), &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "created admin nadia@example.ma") {
		t.Fatalf("admin create: %d %q %q", code, out.String(), errOut.String())
	}
	errOut.Reset()
	code = Run(context.Background(), []string{"admin", "create", "--data", dir, "--email", "short@example.ma", "--log-level", "warn"},
		strings.NewReader("short\n"), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "password") {
		t.Fatalf("short password: %d %q", code, errOut.String())
	}
	t.Setenv("SOUK_LOG_LEVEL", "loud")
	if code := Run(context.Background(), []string{"migrate", "--data", dir}, nil, &out, &errOut); code != 1 {
		t.Errorf("bad SOUK_LOG_LEVEL accepted")
	}
}
