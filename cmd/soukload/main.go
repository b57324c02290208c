// Command soukload is souk's load harness (package loadtest): it attacks a
// running souk with launch-day visitors and wrk-like measurements, measures
// a hello-world server for the machine's ceiling, checks souk's data
// afterwards and writes every figure to a JSON results file.
// scripts/loadtest (make loadtest) builds and starts everything around it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"souk/internal/db"
	"souk/internal/loadtest"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "hello-server" {
		if err := loadtest.HelloMain(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "soukload hello-server:", err)
			os.Exit(1)
		}
		return
	}
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if os.Getenv("GOGC") == "" {
		// The load generator shares the cores with what it measures: it
		// trades memory for less of its time collecting garbage.
		debug.SetGCPercent(400)
	}
	fs := flag.NewFlagSet("soukload", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: soukload --url http://127.0.0.1:PORT [flags]\n\nScenarios: %s.\nExits 1 when a consistency check fails.\n\nFlags:\n",
			strings.Join(loadtest.Scenarios, ", "))
		fs.PrintDefaults()
	}
	var o loadtest.Options
	var scenarios, soukBin, dataDir, databaseURL, out string
	var seed uint64
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "souk's address (loopback)")
	fs.StringVar(&scenarios, "scenarios", strings.Join(loadtest.Scenarios, ","), "scenarios to play, in order")
	fs.IntVar(&o.Visitors, "visitors", 1740, "launch: visitors arriving per second (about 8 page views each)")
	fs.DurationVar(&o.Duration, "duration", 5*time.Minute, "launch: how long visitors keep arriving")
	fs.DurationVar(&o.Ramp, "ramp", 2*time.Minute, "launch: before it, how long visitors take to build up from a tenth of the rate to all of it (reported apart as launch-ramp); 0 for none")
	fs.Float64Var(&o.Buy, "buy", 0.005, "share of visitors who check out")
	fs.Float64Var(&o.Card, "card", 0.25, "share of buyers who pay by card through the CMI simulator (the rest: cash on delivery)")
	fs.DurationVar(&o.Bench, "bench-duration", 30*time.Second, "each wrk-like scenario (list, product, product-page, cart, hello)")
	fs.IntVar(&o.Connections, "connections", 50, "wrk-like scenarios: requests in flight (wrk -c)")
	fs.DurationVar(&o.SweepDuration, "sweep-duration", 20*time.Second, "sweep: each rate tried")
	fs.IntVar(&o.SweepFrom, "sweep-from", 0, "sweep: the first visitor rate tried (default visitors/32)")
	fs.Uint64Var(&o.MaxWorkers, "max-workers", 2000, "open model: most requests in flight")
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Second, "a request not answered by then is an error")
	fs.IntVar(&o.Sample, "sample", 2000, "products sampled from the catalog")
	fs.Uint64Var(&seed, "seed", 1, "random seed of the visitors' choices")
	fs.IntVar(&o.PID, "pid", 0, "souk's process id: memory and CPU from /proc (else from its /metrics)")
	fs.StringVar(&o.PerfDir, "perf", "", "with --pid: record souk's CPU profile with perf(1) during each scenario into this folder")
	fs.StringVar(&soukBin, "souk", "", "the souk binary: runs `souk ledger check --json` afterwards (with --data or --database-url)")
	fs.StringVar(&dataDir, "data", "", "souk's --data folder: read-only SQL checks afterwards (SQLite)")
	fs.StringVar(&databaseURL, "database-url", "", "souk's PostgreSQL URL: read-only SQL checks afterwards")
	fs.DurationVar(&o.Startup, "startup", 0, "souk's start-up time to /healthz, measured by whoever started it (recorded)")
	fs.StringVar(&o.Commit, "commit", "", "the git commit measured (recorded)")
	fs.StringVar(&out, "out", loadtest.DefaultOut(time.Now()), "results file (JSON)")
	var cpuProfile string
	fs.StringVar(&cpuProfile, "cpuprofile", "", "write soukload's own CPU profile to this file (what the load generator costs)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "soukload: unexpected arguments:", strings.Join(fs.Args(), " "))
		return 2
	}
	o.Scenarios = strings.Split(scenarios, ",")
	o.Seed = seed
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "soukload:", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "soukload:", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	o.Log = os.Stdout

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if exe, err := os.Executable(); err == nil {
		o.Hello = func() *exec.Cmd { return exec.Command(exe, "hello-server") }
	}
	dbFlags := []string{"--data", dataDir}
	if databaseURL != "" {
		dbFlags = []string{"--database-url", databaseURL}
	}
	if dataDir != "" || databaseURL != "" {
		d, err := db.Open(ctx, databaseURL, dataDir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "soukload:", err)
			return 1
		}
		defer d.Close()
		o.DB = d
		if soukBin != "" {
			o.LedgerCheck = func(ctx context.Context) ([]byte, error) {
				cmd := exec.CommandContext(ctx, soukBin, append([]string{"ledger", "check", "--json", "--log-level", "warn"}, dbFlags...)...)
				cmd.Stderr = os.Stderr
				return cmd.Output()
			}
		}
	}

	report, err := loadtest.Run(ctx, o)
	if report != nil {
		report.Print(os.Stdout)
		if werr := report.WriteFile(out); werr != nil {
			fmt.Fprintln(os.Stderr, "soukload:", werr)
			return 1
		}
		fmt.Println("results:", out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "soukload:", err)
		return 1
	}
	if !report.OK() {
		return 1
	}
	return 0
}
