package loadtest

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Report is everything one run measured, written as the results file.
type Report struct {
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Machine  Machine   `json:"machine"`
	Commit   string    `json:"commit"`
	Settings Settings  `json:"settings"`
	Target   struct {
		URL            string  `json:"url"`
		Database       string  `json:"database"`
		Products       int     `json:"products"` // public products
		Vendors        int     `json:"vendors"`
		Categories     int     `json:"categories"`
		Sampled        int     `json:"sampled_products"`
		StartupSeconds float64 `json:"startup_seconds,omitempty"` // start to the first /healthz 200
	} `json:"target"`
	Memory struct {
		BeforeMB float64 `json:"before_mb"`         // resident after start-up, before any load
		PeakMB   float64 `json:"peak_mb,omitempty"` // the most resident at any time (VmHWM), with --pid
		AfterMB  float64 `json:"after_mb"`
	} `json:"memory"`
	Scenarios []ScenarioReport `json:"scenarios"`
	Sweep     *SweepReport     `json:"sweep,omitempty"`
	Orders    Orders           `json:"orders"`
	Checks    []Check          `json:"checks"`
	Verdicts  []Verdict        `json:"verdicts"` // each figure of the issue next to its target
	Targets   []TargetSpec     `json:"-"`
}

// Settings are the options a run used.
type Settings struct {
	Visitors      int     `json:"visitors_per_second"`
	Duration      float64 `json:"launch_seconds"`
	Ramp          float64 `json:"launch_ramp_seconds,omitempty"`
	Buy           float64 `json:"buy_share"`
	Card          float64 `json:"card_share_of_buyers"`
	Bench         float64 `json:"bench_seconds"`
	Connections   int     `json:"connections"`
	MaxWorkers    uint64  `json:"max_workers"`
	Timeout       float64 `json:"timeout_seconds"`
	SweepDuration float64 `json:"sweep_step_seconds"`
	Seed          uint64  `json:"seed"`
}

func settingsOf(o Options) Settings {
	return Settings{Visitors: o.Visitors, Duration: o.Duration.Seconds(), Ramp: o.Ramp.Seconds(), Buy: o.Buy, Card: o.Card, Bench: o.Bench.Seconds(),
		Connections: o.Connections, MaxWorkers: o.MaxWorkers, Timeout: o.Timeout.Seconds(), SweepDuration: o.SweepDuration.Seconds(), Seed: o.Seed}
}

// ScenarioReport is one attack.
type ScenarioReport struct {
	Name            string        `json:"name"`
	Model           string        `json:"model"`                 // "open" (paced) or "closed" (wrk-like)
	Asked           float64       `json:"asked_rate,omitempty"`  // open model: requests per second asked
	Visitors        int           `json:"visitors,omitempty"`    // open model: visitors per second
	Connections     int           `json:"connections"`           // closed: in flight; open: the most allowed
	Duration        float64       `json:"duration_seconds"`      // the attack, wall clock, until the last answer
	ServerCPU       float64       `json:"server_cpu_cores"`      // the server's CPU time / duration: souk, or the hello-world server
	LoadCPU         float64       `json:"loadgen_cpu_cores"`     // this tool's
	MachineCPU      float64       `json:"machine_cpu_cores"`     // every process's: the rest is the database server and other work
	RSSPeakMB       float64       `json:"rss_peak_mb,omitempty"` // the most resident seen during the attack
	Total           StepReport    `json:"total"`
	Steps           []StepReport  `json:"steps"`
	Flows           []StepReport  `json:"flows,omitempty"`            // visits, purchases, carts timed whole; rate = completed per second
	Drained         uint64        `json:"drained_requests"`           // sent after the attack's time to let the flows under way finish (in the figures)
	Cut             int           `json:"flows_cut"`                  // flows still unfinished after that
	Profile         []ProfileLine `json:"profile,omitempty"`          // souk's CPU by function, self time (perf)
	ProfilePackages []ProfileLine `json:"profile_packages,omitempty"` // self time summed by package
	ProfileTotal    []ProfileLine `json:"profile_total,omitempty"`    // with what each called
	// ErrorSamples are the distinct errors, with how often each came.
	ErrorSamples []string `json:"errors,omitempty"`
	// Timeline is the open model's requests by when they were sent.
	Timeline []Span `json:"timeline,omitempty"`
}

// Span is a stretch of an attack (timelineStep long): the requests sent
// then, latencies in milliseconds.
type Span struct {
	From     float64 `json:"from_s"` // seconds after the attack began
	Requests uint64  `json:"requests"`
	Errors   uint64  `json:"errors"`
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
}

// StepReport is one step's figures; latencies in milliseconds.
type StepReport struct {
	Step       string         `json:"step"`
	Requests   uint64         `json:"requests"`
	Rate       float64        `json:"rate"`       // requests sent per second
	Throughput float64        `json:"throughput"` // answers without error per second
	P50        float64        `json:"p50_ms"`
	P95        float64        `json:"p95_ms"`
	P99        float64        `json:"p99_ms"`
	Max        float64        `json:"max_ms"`
	Errors     uint64         `json:"errors"`
	Unreadable int            `json:"unreadable,omitempty"` // a 2xx whose body did not say what it should (counted in errors)
	Codes      map[string]int `json:"codes"`                // "0" is no answer (timeout, refused)
}

// ProfileLine is one function of souk's CPU profile.
type ProfileLine struct {
	Percent  float64 `json:"percent"`
	Function string  `json:"function"`
}

// SweepReport is the search for the highest visitor rate meeting the
// launch target.
type SweepReport struct {
	Skipped string           `json:"skipped,omitempty"`
	Steps   []SweepStep      `json:"steps,omitempty"`
	Best    int              `json:"best_visitors_per_second"`
	Runs    []ScenarioReport `json:"runs,omitempty"` // every rate tried, in full
}

// SweepStep is one rate tried.
type SweepStep struct {
	Visitors int     `json:"visitors_per_second"`
	Rate     float64 `json:"rate"`
	Errors   uint64  `json:"errors"`
	P99      float64 `json:"p99_ms"`
	RSSPeak  float64 `json:"rss_peak_mb"`
	OK       bool    `json:"ok"`
}

// Check is one consistency check after the attacks.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Verdict is a figure of the issue next to its target.
type Verdict struct {
	What     string `json:"what"`
	Target   string `json:"target"`
	Measured string `json:"measured"`
	Met      bool   `json:"met"`
}

// OK says whether every consistency check passed.
func (r *Report) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func stepReport(name string, m *vegeta.Metrics) StepReport {
	s := StepReport{Step: name, Requests: m.Requests, Rate: m.Rate, Throughput: m.Throughput, P50: ms(m.Latencies.P50), P95: ms(m.Latencies.P95),
		P99: ms(m.Latencies.P99), Max: ms(m.Latencies.Max), Codes: map[string]int{}}
	for code, n := range m.StatusCodes {
		s.Codes[code] = n
		if c, _ := strconv.Atoi(code); c < 200 || c >= 400 {
			s.Errors += uint64(n)
		}
	}
	return s
}

// stepOrder puts steps in the order a visitor meets them.
func stepOrder(names []string) []string {
	rank := func(n string) int {
		if i := slices.Index(stepNames, n); i >= 0 {
			return i
		}
		return len(stepNames)
	}
	sort.Slice(names, func(i, j int) bool {
		if ri, rj := rank(names[i]), rank(names[j]); ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	return names
}

func sortSteps(s []StepReport) { sort.Slice(s, func(i, j int) bool { return s[i].Step < s[j].Step }) }

func (s *ScenarioReport) print(w io.Writer) {
	head := fmt.Sprintf("== %s: closed model, %d connections, %.0f s", s.Name, s.Connections, s.Duration)
	if s.Model == "open" {
		head = fmt.Sprintf("== %s: open model, %d visitors/s = %.0f requests/s asked, at most %d in flight, %.0f s",
			s.Name, s.Visitors, s.Asked, s.Connections, s.Duration)
	}
	fmt.Fprintln(w, head)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\trequests\treq/s\tok/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\terrors\t")
	row := func(r StepReport) {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%.1f\t%d\t\n", r.Step, r.Requests, r.Rate, r.Throughput, r.P50, r.P95, r.P99, r.Max, r.Errors)
	}
	for _, r := range s.Steps {
		row(r)
	}
	if len(s.Steps) > 1 {
		row(s.Total)
	}
	for _, r := range s.Flows {
		fmt.Fprintf(tw, "flow %s\t%d\t\t%.1f\t%.2f\t%.2f\t%.2f\t%.1f\t%d\t\n", r.Step, r.Requests-r.Errors, r.Rate, r.P50, r.P95, r.P99, r.Max, r.Errors)
	}
	tw.Flush()
	fmt.Fprintf(w, "server %.2f cores, load generator %.2f cores, the whole machine %.2f", s.ServerCPU, s.LoadCPU, s.MachineCPU)
	if s.RSSPeakMB > 0 {
		fmt.Fprintf(w, ", server resident up to %.0f MB", s.RSSPeakMB)
	}
	fmt.Fprintln(w)
	if len(s.Timeline) > 1 {
		fmt.Fprintf(w, "every %.0f s: p99", timelineStep.Seconds())
		for _, sp := range s.Timeline {
			fmt.Fprintf(w, " %.0f", sp.P99)
		}
		fmt.Fprint(w, " ms; errors")
		for _, sp := range s.Timeline {
			fmt.Fprintf(w, " %d", sp.Errors)
		}
		fmt.Fprintln(w)
	}
	for i, e := range s.ErrorSamples {
		if i == 5 {
			fmt.Fprintf(w, "  … %d more kinds of error in the results file\n", len(s.ErrorSamples)-5)
			break
		}
		fmt.Fprintln(w, "  error:", e)
	}
	for _, prof := range []struct {
		title string
		lines []ProfileLine
	}{{"by package", s.ProfilePackages}, {"self time", s.Profile}, {"with what it called", s.ProfileTotal}} {
		for i, p := range prof.lines {
			if i == 0 {
				fmt.Fprintf(w, "souk's CPU profile (%s):\n", prof.title)
			}
			if i == 12 {
				break
			}
			fmt.Fprintf(w, "  %5.1f%%  %s\n", p.Percent, p.Function)
		}
	}
}

// Print writes the summary: orders, memory, checks and the verdicts.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "\n== %s on %s (%d cores, %.0f GiB), load %.2f %.2f %.2f before, %.2f %.2f %.2f after; commit %s\n",
		r.Target.Database, r.Machine.CPU, r.Machine.Cores, r.Machine.MemoryGiB,
		r.Machine.LoadBefore[0], r.Machine.LoadBefore[1], r.Machine.LoadBefore[2],
		r.Machine.LoadAfter[0], r.Machine.LoadAfter[1], r.Machine.LoadAfter[2], r.Commit)
	fmt.Fprintf(w, "catalog: %d public products, %d vendors, %d categories\n", r.Target.Products, r.Target.Vendors, r.Target.Categories)
	if r.Sweep != nil {
		if r.Sweep.Skipped != "" {
			fmt.Fprintln(w, "sweep skipped:", r.Sweep.Skipped)
		} else {
			fmt.Fprintf(w, "sweep: the highest visitor rate with no error and p99 < %.0f ms: %d visitors/s\n", launchP99, r.Sweep.Best)
		}
	}
	fmt.Fprintf(w, "orders: %d placed (%d cash on delivery, %d by card, %d paid); %d checkouts failed or unanswered\n",
		r.Orders.Placed, r.Orders.COD, r.Orders.Card, r.Orders.Paid, r.Orders.Failed)
	fmt.Fprintf(w, "souk resident: %.0f MB before, %.0f MB peak, %.0f MB after\n", r.Memory.BeforeMB, r.Memory.PeakMB, r.Memory.AfterMB)
	for _, c := range r.Checks {
		mark := "ok  "
		if !c.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "check %s %s: %s\n", mark, c.Name, c.Detail)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nfigure\ttarget\tmeasured\t")
	for _, v := range r.Verdicts {
		mark := "met"
		if !v.Met {
			mark = "MISSED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.What, v.Target, v.Measured, mark)
	}
	tw.Flush()
}

// WriteFile writes the report as indented JSON, making the folder.
func (r *Report) WriteFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// The targets.
const (
	launchVisitors = 1740
	launchP99      = 250.0 // ms
)

// TargetSpec is a figure the issue asks for.
type TargetSpec struct {
	What, Target string
	measure      func(r *Report) (string, bool, bool) // measured, met, measured at all
}

var targets = []TargetSpec{
	{"product list, API, 20 items", "≥ 2,900 req/s", rateAtLeast(List, 2900)},
	{"one product, API", "≥ 6,000 req/s", rateAtLeast(Product, 6000)},
	{"one product, page", "≥ 6,000 req/s", rateAtLeast(ProductPage, 6000)},
	{"cart create + add line", "≥ 500 flows/s", func(r *Report) (string, bool, bool) {
		s := r.scenario(Cart)
		if s == nil || len(s.Flows) == 0 {
			return "", false, false
		}
		f := s.Flows[0]
		return fmt.Sprintf("%.0f flows/s, p99 %.1f ms", f.Rate, f.P99), f.Rate >= 500, true
	}},
	{"launch day ×10", "1,740 visitors/s for 5 min, 0 errors, p99 < 250 ms", func(r *Report) (string, bool, bool) {
		s := r.scenario(Launch)
		if s == nil {
			return "", false, false
		}
		return fmt.Sprintf("%d visitors/s for %.0f s: %.0f of %.0f req/s answered, %d errors, p99 %.1f ms", s.Visitors, s.Duration,
				s.Total.Throughput, s.Asked, s.Total.Errors, s.Total.P99),
			s.Visitors >= launchVisitors && s.Duration >= 290 && s.meetsLaunchTarget(), true
	}},
	{"product page / hello-world ceiling", "≥ 40%", func(r *Report) (string, bool, bool) {
		p, hw := r.scenario(ProductPage), r.scenario(Hello)
		if p == nil || hw == nil || hw.Total.Throughput == 0 {
			return "", false, false
		}
		pct := 100 * p.Total.Throughput / hw.Total.Throughput
		return fmt.Sprintf("%.1f%% (%.0f of %.0f req/s)", pct, p.Total.Throughput, hw.Total.Throughput), pct >= 40, true
	}},
	{"souk resident memory, under load", "< 300 MB", func(r *Report) (string, bool, bool) {
		peak, where := r.Memory.PeakMB, "since start"
		for _, s := range r.Scenarios {
			if s.Name != Hello && s.RSSPeakMB > peak {
				peak, where = s.RSSPeakMB, s.Name
			}
		}
		if peak == 0 {
			return "", false, false
		}
		got := fmt.Sprintf("%.0f MB before load, peak %.0f MB (%s)", r.Memory.BeforeMB, peak, where)
		if r.Sweep != nil {
			for _, st := range r.Sweep.Steps {
				if st.Visitors == r.Sweep.Best {
					got += fmt.Sprintf(", %.0f MB at %d visitors/s (the best sustained)", st.RSSPeak, st.Visitors)
				}
			}
		}
		return got, peak < 300, true
	}},
	{"start-up to the first served request", "< 2 s", func(r *Report) (string, bool, bool) {
		if r.Target.StartupSeconds == 0 {
			return "", false, false
		}
		return fmt.Sprintf("%.2f s", r.Target.StartupSeconds), r.Target.StartupSeconds < 2, true
	}},
}

func rateAtLeast(name string, want float64) func(r *Report) (string, bool, bool) {
	return func(r *Report) (string, bool, bool) {
		s := r.scenario(name)
		if s == nil {
			return "", false, false
		}
		return fmt.Sprintf("%.0f req/s, p99 %.1f ms, %d errors", s.Total.Throughput, s.Total.P99, s.Total.Errors),
			s.Total.Throughput >= want && s.Total.Errors == 0, true
	}
}

func (r *Report) scenario(name string) *ScenarioReport {
	for i := range r.Scenarios {
		if r.Scenarios[i].Name == name {
			return &r.Scenarios[i]
		}
	}
	return nil
}

// meetsLaunchTarget: no error, p99 under the target, and the rate asked was
// the rate sent (within 5%): a harness that could not keep up proves nothing.
func (s *ScenarioReport) meetsLaunchTarget() bool {
	return s.Total.Requests > 0 && s.Total.Errors == 0 && s.Total.P99 < launchP99 && s.Total.Throughput >= 0.95*s.Asked
}

// judge sets the verdicts of the figures this run measured.
func (r *Report) judge() {
	r.Verdicts = nil
	for _, t := range r.Targets {
		if got, met, ok := t.measure(r); ok {
			r.Verdicts = append(r.Verdicts, Verdict{What: t.What, Target: t.Target, Measured: got, Met: met})
		}
	}
}

// stepNames is the order steps are shown in.
var stepNames = []string{
	"hello", "list", "product", "home", "category", "search-ar", "search-fr", "product-page", "vendor-page",
	"cart-create", "cart-add", "checkout", "cmi-pay",
}

// DefaultOut is the results file's name for a run started at t.
func DefaultOut(t time.Time) string {
	return filepath.Join("results", "loadtest-"+t.Format("20060102-1504")+".json")
}
