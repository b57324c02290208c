package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"souk/internal/app"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/demo"
)

// TestMain doubles as the hello-world server: the harness runs it in a
// process of its own, as soukload runs itself with "hello-server".
func TestMain(m *testing.M) {
	if os.Getenv("SOUKLOAD_HELLO_SERVER") == "1" {
		if err := HelloMain(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func helloCommand() *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SOUKLOAD_HELLO_SERVER=1")
	return cmd
}

// startSouk serves souk's real handler on d with a small demo catalog, as
// `souk serve` does (index in memory, the CMI simulator on).
func startSouk(t *testing.T, d *db.DB) *app.App {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	a, err := app.New(app.Config{DataDir: t.TempDir()}, log, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, a.Vendors, a.Catalog, demo.Options{Seed: 1, Products: 200, Books: 60}); err != nil {
		t.Fatal(err)
	}
	watch, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	if err := a.Catalog.WatchIndex(watch, time.Second, log); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	a.UseAddress(srv.URL)
	a.URL = srv.URL
	return a
}

// A short run of every scenario but the sweep against a real souk: every
// step answered without error, the figures hang together, the orders the
// report counts are in the database, and the checks pass — then fail once
// stock goes missing behind the orders' back.
func TestHarness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := startSouk(t, d)
		flags := dbtest.Flags(t, d)
		var progress bytes.Buffer
		h, err := newHarness(ctx, Options{
			URL: a.URL, Scenarios: []string{Hello, List, Product, ProductPage, Cart, Launch},
			Visitors: 3, Duration: 3 * time.Second, Ramp: time.Second, Buy: 0.34, Card: 0.5,
			Bench: 700 * time.Millisecond, Connections: 8, Sample: 200, Seed: 7, Pause: 50 * time.Millisecond,
			Hello: helloCommand, DB: d, Log: &progress,
			LedgerCheck: func(ctx context.Context) ([]byte, error) {
				var out bytes.Buffer
				if code := app.Run(ctx, append([]string{"ledger", "check", "--json", "--log-level", "warn"}, flags...), nil, &out, io.Discard); code != 0 {
					return out.Bytes(), fmt.Errorf("exit status %d", code)
				}
				return out.Bytes(), nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.run(ctx); err != nil {
			t.Fatalf("%v\n%s", err, progress.String())
		}
		r := h.report
		if r.Target.Database != string(d.Dialect) || r.Target.Products < 200 || r.Target.Vendors < 50 {
			t.Errorf("target %+v", r.Target)
		}

		var names []string
		for _, s := range r.Scenarios {
			names = append(names, s.Name)
			if s.Total.Requests == 0 || s.Total.Throughput <= 0 || s.Total.Errors != 0 {
				t.Errorf("%s: %d requests, %.0f/s, %d errors: %v", s.Name, s.Total.Requests, s.Total.Throughput, s.Total.Errors, s.ErrorSamples)
			}
			var sum uint64
			for _, st := range append(s.Steps, s.Total) {
				codes := 0
				for _, n := range st.Codes {
					codes += n
				}
				if st.Requests == 0 || uint64(codes) != st.Requests || st.Errors != 0 {
					t.Errorf("%s/%s: %d requests, %d in codes %v, %d errors", s.Name, st.Step, st.Requests, codes, st.Codes, st.Errors)
				}
				if !(0 < st.P50 && st.P50 <= st.P95 && st.P95 <= st.P99 && st.P99 <= st.Max) {
					t.Errorf("%s/%s: percentiles out of order: %.2f %.2f %.2f %.2f", s.Name, st.Step, st.P50, st.P95, st.P99, st.Max)
				}
				if st.Step != "all" {
					sum += st.Requests
				}
			}
			if sum != s.Total.Requests {
				t.Errorf("%s: steps add up to %d requests, total says %d", s.Name, sum, s.Total.Requests)
			}
		}
		if !slices.Equal(names, []string{Hello, List, Product, ProductPage, Cart, LaunchRamp, Launch}) {
			t.Errorf("scenarios %v", names)
		}
		if hw := r.scenario(Hello); hw == nil || hw.ServerCPU <= 0 {
			t.Errorf("the hello-world ceiling did not run on a server of its own: %+v", hw)
		}
		// Every step of a visit that buys by card was taken; a vendor's page
		// and the second search come to half the visitors, once souk's
		// answers let them get that far.
		launch := r.scenario(Launch)
		var steps []string
		for _, st := range launch.Steps {
			steps = append(steps, st.Step)
		}
		for _, want := range []string{"home", "category", "product-page", "cart-create", "cart-add", "checkout", "cmi-pay"} {
			if !slices.Contains(steps, want) {
				t.Errorf("launch steps %v: no %s", steps, want)
			}
		}
		if !slices.Contains(steps, "search-ar") && !slices.Contains(steps, "search-fr") {
			t.Errorf("launch steps %v: no search", steps)
		}
		var spanned uint64 // the timeline holds every request once
		for _, sp := range launch.Timeline {
			spanned += sp.Requests
		}
		if len(launch.Timeline) == 0 || spanned != launch.Total.Requests {
			t.Errorf("launch timeline %+v: %d requests, want %d", launch.Timeline, spanned, launch.Total.Requests)
		}
		if r.scenario(Cart).Timeline != nil {
			t.Errorf("a closed-model scenario has a timeline")
		}
		if cart := r.scenario(Cart); len(cart.Flows) != 1 || cart.Flows[0].Step != "cart" || cart.Flows[0].Rate <= 0 {
			t.Errorf("cart flows %+v", cart.Flows)
		}

		// The orders: some of each kind, all in the database as the report says.
		o := r.Orders
		if o.Placed < 2 || o.COD < 1 || o.Card < 1 || o.Paid < 1 || o.Failed != 0 || o.COD+o.Card != o.Placed {
			t.Errorf("orders %+v", o)
		}
		var inDB, captured int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM orders WHERE email LIKE 'visitor+loadtest-%'`).Scan(&inDB); err != nil {
			t.Fatal(err)
		}
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM payments WHERE method = 'cmi' AND status = 'captured'`).Scan(&captured); err != nil {
			t.Fatal(err)
		}
		if inDB != o.Placed || captured != o.Paid {
			t.Errorf("database: %d orders, %d cards captured; report: %+v", inDB, captured, o)
		}
		if len(r.Checks) != 8 || !r.OK() {
			t.Errorf("checks: %+v", r.Checks)
		}
		if len(r.Verdicts) != 7 { // every figure but start-up (not measured here)
			t.Errorf("verdicts: %+v", r.Verdicts)
		}

		// One unit of a bought variant goes without an order: both stock checks see it.
		bought := h.shop.orders[0].Line
		if _, err := d.W.ExecContext(ctx, d.Rebind(`UPDATE variants SET stock = stock - 1
			WHERE sku = ? AND product_id = (SELECT id FROM products WHERE slug = ?)`), bought.SKU, bought.Product); err != nil {
			t.Fatal(err)
		}
		failed := map[string]string{}
		for _, c := range h.check(ctx) {
			if !c.OK {
				failed[c.Name] = c.Detail
			}
		}
		api, sql := failed["stock gone = stock in the client's orders"], failed["stock taken = quantities in the orders (no oversell)"]
		if len(failed) != 2 || !strings.Contains(api, bought.SKU) || !strings.Contains(sql, bought.SKU) {
			t.Errorf("after stock went missing, failed checks: %v", failed)
		}
		t.Logf("%s\n%d requests in the launch, %d orders", progress.String(), launch.Total.Requests, o.Placed)
	})
}

// Shares are spread evenly: every 200th visitor buys at 0.5%, and a small
// run gets its share too.
func TestEvery(t *testing.T) {
	count := func(n int, share float64) (k int) {
		for i := 1; i <= n; i++ {
			if every(i, share) {
				k++
			}
		}
		return k
	}
	if got := count(1000, 0.005); got != 5 {
		t.Errorf("0.5%% of 1000: %d", got)
	}
	if got := count(10, 0.2); got != 2 {
		t.Errorf("20%% of 10: %d", got)
	}
	if every(1, 0.25) || !every(4, 0.25) || count(7, 0) != 0 || count(7, 1) != 7 {
		t.Error("every: wrong turns")
	}
}

func TestFlowOf(t *testing.T) {
	id, step, ok := flowOf("http://127.0.0.1:1/ar/search?q=%23x#42/search-ar")
	if !ok || id != 42 || step != "search-ar" {
		t.Errorf("got %d %q %v", id, step, ok)
	}
	if _, _, ok := flowOf("http://127.0.0.1:1/ar/"); ok {
		t.Error("a URL without a fragment has no flow")
	}
}

func TestParsePerf(t *testing.T) {
	got := parsePerf(`# Samples: 12K of event 'cpu-clock'
#
    12.50%  [.] runtime.scanobject                          -      -
     3.25%  [k] _raw_spin_unlock_irqrestore
     2.00%  [.] github.com/klauspost/compress/flate.(*fastEncL5).Encode
     1.00%  [.] runtime.mallocgc
`)
	want := []ProfileLine{{12.5, "runtime.scanobject"}, {3.25, "[kernel] _raw_spin_unlock_irqrestore"},
		{2, "github.com/klauspost/compress/flate.(*fastEncL5).Encode"}, {1, "runtime.mallocgc"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v", got)
	}
	packages := []ProfileLine{{13.5, "runtime"}, {3.25, "kernel"}, {2, "github.com/klauspost/compress/flate"}}
	if got := byPackage(got); !slices.Equal(got, packages) {
		t.Errorf("by package: %v", got)
	}
}
