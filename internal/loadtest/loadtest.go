// Package loadtest is souk's load harness: the launch day replayed against a
// running souk (visitors arriving at a set rate, each viewing pages, a share
// of them buying), the wrk-like measurements of the issue (product list, one
// product by the API and as a page, cart create + add line), and the same
// tool against a plain Go hello-world server for the machine's ceiling.
//
// The load comes from vegeta used as a library. Requests that depend on an
// earlier answer (a cart's id, the order to pay) come from a stateful
// targeter: the results reader reads each answer and queues the flow's next
// request, which the targeter hands out before starting new flows. Each
// request carries its flow and step in its URL's fragment, which HTTP never
// sends, so souk sees ordinary requests and every result is classified
// exactly. After the attacks it checks, through souk's API, its own
// `souk ledger check` and read-only SQL, that every order the client saw
// exists and that the stock taken is the stock sold.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"souk/internal/db"
)

// Scenario names, in the order Run plays them.
const (
	Hello       = "hello"
	List        = "list"
	Product     = "product"
	ProductPage = "product-page"
	Cart        = "cart"
	Launch      = "launch"
	LaunchRamp  = "launch-ramp" // played before the launch, not a scenario of its own
	Sweep       = "sweep"
)

// Scenarios lists every scenario in play order.
var Scenarios = []string{Hello, List, Product, ProductPage, Cart, Launch, Sweep}

// Options say what to attack, how hard and for how long.
type Options struct {
	URL       string   // souk's address, http://127.0.0.1:PORT
	Scenarios []string // a subset of Scenarios; empty: all

	Visitors int           // launch: visitors arriving per second
	Duration time.Duration // launch: how long they keep arriving
	// Ramp is how long visitors take to arrive at the full rate before
	// the launch is measured (a launch day's traffic builds up over
	// minutes; an empty cache at full rate at once is another test):
	// reported apart, as "launch-ramp". 0: none.
	Ramp time.Duration

	Buy  float64 // share of visitors who check out (0.005); 0: nobody buys
	Card float64 // share of buyers who pay by card through the CMI simulator, the rest cash on delivery

	Bench       time.Duration // each wrk-like scenario
	Connections int           // wrk-like: requests in flight at once (wrk -c)

	SweepDuration time.Duration // each step of the sweep
	SweepFrom     int           // the sweep's first visitor rate

	Pause      time.Duration // between scenarios, so each starts on a quiet server (2 s)
	MaxWorkers uint64        // launch: most requests in flight at once
	Timeout    time.Duration // a request not answered by then is an error
	Sample     int           // products sampled from the catalog

	Seed uint64

	// PID is souk's process, for its memory and CPU from /proc; 0 reads
	// souk's /metrics instead.
	PID int
	// PerfDir, with PID, is where perf(1) records souk's CPU profile during
	// each scenario (<scenario>.perf.data); each report names the top
	// functions.
	PerfDir string
	// Hello builds the command that serves the hello-world ceiling (see
	// HelloMain); nil skips the scenario.
	Hello func() *exec.Cmd
	// LedgerCheck runs `souk ledger check --json` on souk's database and
	// returns what it printed; nil skips the check.
	LedgerCheck func(ctx context.Context) ([]byte, error)
	// DB, when set, is souk's database, read (never written) for the checks.
	DB *db.DB

	Startup time.Duration // start-up to /healthz, measured by whoever started souk
	Commit  string

	Log io.Writer // progress; nil for none
}

func (o *Options) defaults() {
	if len(o.Scenarios) == 0 {
		o.Scenarios = Scenarios
	}
	o.URL = strings.TrimRight(o.URL, "/")
	if o.Visitors == 0 {
		o.Visitors = 1740
	}
	if o.Duration == 0 {
		o.Duration = 5 * time.Minute
	}
	if o.Bench == 0 {
		o.Bench = 30 * time.Second
	}
	if o.Connections == 0 {
		o.Connections = 50
	}
	if o.SweepDuration == 0 {
		o.SweepDuration = 20 * time.Second
	}
	if o.SweepFrom == 0 {
		o.SweepFrom = max(1, o.Visitors/32)
	}
	if o.Pause == 0 {
		o.Pause = 2 * time.Second
	}
	if o.MaxWorkers == 0 {
		o.MaxWorkers = 2000
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Sample == 0 {
		o.Sample = 2000
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// Run measures the target and checks it afterwards. The report holds every
// figure; the error is for a harness that could not run (the target down,
// an empty catalog), not for what it measured: failed checks are in the
// report (Report.OK).
func Run(ctx context.Context, o Options) (*Report, error) {
	h, err := newHarness(ctx, o)
	if err != nil {
		return nil, err
	}
	return h.report, h.run(ctx)
}

// newHarness reads the target's catalog and souk's memory before the load.
func newHarness(ctx context.Context, o Options) (*harness, error) {
	o.defaults()
	for _, s := range o.Scenarios {
		if !slices.Contains(Scenarios, s) {
			return nil, fmt.Errorf("unknown scenario %q (want %s)", s, strings.Join(Scenarios, ", "))
		}
	}
	r := &Report{Started: time.Now().UTC(), Machine: readMachine(), Commit: o.Commit,
		Settings: settingsOf(o), Targets: targets}
	r.Target.URL = o.URL
	if o.Startup > 0 {
		r.Target.StartupSeconds = o.Startup.Seconds()
	}
	h := &harness{o: o, report: r, client: &http.Client{Timeout: 30 * time.Second}}
	fmt.Fprintf(o.Log, "reading the catalog of %s…\n", o.URL)
	cat, err := discover(ctx, h.client, o.URL, o.Sample)
	if err != nil {
		return nil, err
	}
	h.cat, h.shop = cat, newShop(cat, o.Seed)
	h.shop.buy, h.shop.card = o.Buy, o.Card
	r.Target.Database, r.Target.Products = cat.Database, cat.Total
	r.Target.Vendors, r.Target.Categories, r.Target.Sampled = len(cat.Vendors), len(cat.Categories), len(cat.Items)
	h.proc = newProcess(o.PID, o.URL, h.client)
	r.Memory.BeforeMB = h.proc.rssMB(ctx)
	if o.DB != nil {
		if h.ordersBefore, err = lastOrderID(ctx, o.DB); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// run plays the scenarios, then checks and judges.
func (h *harness) run(ctx context.Context) error {
	r := h.report
	if err := h.play(ctx); err != nil {
		return err
	}
	r.Memory.AfterMB = h.proc.rssMB(ctx)
	r.Memory.PeakMB = h.proc.peakMB()
	r.Orders = h.shop.summary()
	fmt.Fprintln(h.o.Log, "checking…")
	r.Checks = h.check(ctx)
	r.Machine.LoadAfter = loadAverage()
	r.Finished = time.Now().UTC()
	r.judge()
	return nil
}

// harness is one run: the catalog read, the shop's orders, the report.
type harness struct {
	o            Options
	client       *http.Client // for everything but the attacks
	cat          *catalog
	proc         *process
	report       *Report
	shop         *shop
	ordersBefore int64 // the last order id before the run (with DB)
}

// play runs the chosen scenarios in order, with a pause between them so
// each starts on a quiet server.
func (h *harness) play(ctx context.Context) error {
	pause := func() {
		select {
		case <-ctx.Done():
		case <-time.After(h.o.Pause):
		}
	}
	for _, name := range h.o.Scenarios {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var s *ScenarioReport
		var err error
		switch name {
		case Hello:
			if h.o.Hello == nil {
				continue
			}
			s, err = h.hello(ctx)
		case List:
			s, err = h.closed(ctx, List, single(List, "GET", "/api/v1/products?per_page=20"))
		case Product:
			s, err = h.closed(ctx, Product, single(Product, "GET", "/api/v1/products/"+h.cat.hot().Slug))
		case ProductPage:
			s, err = h.closed(ctx, ProductPage, single(ProductPage, "GET", "/fr/p/"+h.cat.hot().Slug))
		case Cart:
			s, err = h.closed(ctx, Cart, h.shop.cartFlow)
		case Launch:
			if h.o.Ramp > 0 {
				if s, err = h.ramp(ctx, h.o.Visitors, h.o.Ramp); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				h.report.Scenarios = append(h.report.Scenarios, *s)
				s.print(h.o.Log)
			}
			s, err = h.launch(ctx, Launch, h.o.Visitors, h.o.Duration)
		case Sweep:
			err = h.sweep(ctx)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if s != nil {
			h.report.Scenarios = append(h.report.Scenarios, *s)
			s.print(h.o.Log)
		}
		pause()
	}
	return nil
}

// closed is a wrk-like measurement: Connections requests in flight, each
// sent as soon as the previous one answered, for Bench.
func (h *harness) closed(ctx context.Context, name string, newFlow func(id uint64) *flow) (*ScenarioReport, error) {
	fmt.Fprintf(h.o.Log, "%s: %d connections, %s…\n", name, h.o.Connections, h.o.Bench)
	return h.attack(ctx, attackSpec{name: name, base: h.o.URL, workers: uint64(h.o.Connections), maxWorkers: uint64(h.o.Connections),
		duration: h.o.Bench, newFlow: newFlow})
}

// launch is the open model: visitors arrive at visitors per second, each
// with about eight pages, so requests are paced at visitors × views per
// second whatever souk's answers take, up to MaxWorkers in flight.
func (h *harness) launch(ctx context.Context, name string, visitors int, d time.Duration) (*ScenarioReport, error) {
	rate := int(float64(visitors) * viewsPerVisitor)
	fmt.Fprintf(h.o.Log, "%s: %d visitors/s (%d requests/s), %s…\n", name, visitors, rate, d)
	s, err := h.attack(ctx, attackSpec{name: name, base: h.o.URL, rate: rate, workers: min(64, h.o.MaxWorkers), maxWorkers: h.o.MaxWorkers,
		duration: d, newFlow: h.shop.visitor})
	if s != nil {
		s.Visitors = visitors
	}
	return s, err
}

// ramp brings visitors from a tenth of visitors per second to all of them
// over d, steadily.
func (h *harness) ramp(ctx context.Context, visitors int, d time.Duration) (*ScenarioReport, error) {
	from, to := float64(visitors)*viewsPerVisitor/10, float64(visitors)*viewsPerVisitor
	fmt.Fprintf(h.o.Log, "%s: %d to %d visitors/s over %s…\n", LaunchRamp, visitors/10, visitors, d)
	s, err := h.attack(ctx, attackSpec{name: LaunchRamp, base: h.o.URL, workers: min(64, h.o.MaxWorkers), maxWorkers: h.o.MaxWorkers,
		duration: d, newFlow: h.shop.visitor,
		pacer: vegeta.LinearPacer{StartAt: vegeta.Rate{Freq: int(from), Per: time.Second}, Slope: (to - from) / d.Seconds()}})
	if s != nil {
		s.Visitors = visitors
	}
	return s, err
}

// sweep looks for the highest visitor rate served with no error and a p99
// under the launch target, when the launch itself missed it: doubling from
// SweepFrom, then halving the gap three times.
func (h *harness) sweep(ctx context.Context) error {
	for _, s := range h.report.Scenarios {
		if s.Name == Launch && s.meetsLaunchTarget() {
			h.report.Sweep = &SweepReport{Skipped: "the launch rate met its target"}
			return nil
		}
	}
	sw := &SweepReport{}
	h.report.Sweep = sw
	try := func(v int) (bool, error) {
		s, err := h.launch(ctx, fmt.Sprintf("sweep-%d", v), v, h.o.SweepDuration)
		if err != nil {
			return false, err
		}
		ok := s.meetsLaunchTarget()
		sw.Steps = append(sw.Steps, SweepStep{Visitors: v, Rate: s.Total.Throughput, Errors: s.Total.Errors, P99: s.Total.P99, RSSPeak: s.RSSPeakMB, OK: ok})
		sw.Runs = append(sw.Runs, *s)
		fmt.Fprintf(h.o.Log, "  %d visitors/s: %.0f of %.0f req/s answered, %d errors, p99 %.1f ms: %v\n", v, s.Total.Throughput, s.Asked, s.Total.Errors, s.Total.P99, ok)
		time.Sleep(h.o.Pause)
		return ok, nil
	}
	good, bad := 0, 0
	for v := h.o.SweepFrom; v <= h.o.Visitors; v *= 2 {
		ok, err := try(v)
		if err != nil {
			return err
		}
		if !ok {
			bad = v
			break
		}
		good = v
	}
	if bad == 0 { // every rate tried passed
		sw.Best = good
		return nil
	}
	for range 3 {
		if bad-good <= max(1, good/20) {
			break
		}
		mid := (good + bad) / 2
		ok, err := try(mid)
		if err != nil {
			return err
		}
		if ok {
			good = mid
		} else {
			bad = mid
		}
	}
	sw.Best = good
	return nil
}

var errNoCatalog = errors.New("the target has no public product in stock to sample")
