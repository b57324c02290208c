package loadtest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// startPerf records pid's stacks with perf(1) until stopPerf; nil when perf
// is not there.
func startPerf(out string, pid int, log io.Writer) *exec.Cmd {
	path, err := exec.LookPath("perf")
	if err != nil {
		fmt.Fprintln(log, "perf not found: no CPU profile")
		return nil
	}
	cmd := exec.Command(path, "record", "-F", "499", "-g", "-p", strconv.Itoa(pid), "-o", out)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(log, "perf:", err)
		return nil
	}
	return cmd
}

// stopPerf ends the recording and says where souk's CPU time went: the
// functions by self time, by package, and with what they called.
func stopPerf(cmd *exec.Cmd, data string, log io.Writer) (self, packages, total []ProfileLine) {
	_ = cmd.Process.Signal(os.Interrupt)
	_ = cmd.Wait()
	report := func(children, limit string) []ProfileLine {
		out, err := exec.Command("perf", "report", "-i", data, "--stdio", children, "--sort", "symbol",
			"-g", "none", "--percent-limit", limit).Output()
		if err != nil {
			fmt.Fprintln(log, "perf report:", err)
			return nil
		}
		return parsePerf(string(out))
	}
	all := report("--no-children", "0")
	packages = byPackage(all)
	for _, l := range all {
		if l.Percent >= 0.7 {
			self = append(self, l)
		}
	}
	for _, l := range report("--children", "5") {
		if !passThrough(l.Function) {
			total = append(total, l)
		}
	}
	return self, packages, total
}

// passThrough frames hold every request (the goroutine, net/http, souk's
// middleware and route adapters): their totals say nothing.
func passThrough(fn string) bool {
	for _, p := range []string{"runtime.goexit", "net/http.", "github.com/klauspost/compress/gzhttp."} {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return strings.Contains(fn, ".(*App).Handler.") || strings.Contains(fn, ".Routes.") || strings.HasSuffix(fn, "-fm")
}

// parsePerf reads perf report's "  12.34%  [.] symbol" lines (and, with
// --children, "  45.00%  0.10%  [.] symbol"); kernel symbols ("[k]") are
// named "[kernel] symbol".
func parsePerf(report string) []ProfileLine {
	var out []ProfileLine
	for _, line := range strings.Split(report, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		pct, rest, ok := strings.Cut(line, "%")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(pct), 64)
		if err != nil {
			continue
		}
		i := strings.Index(rest, "] ")
		if i < 1 {
			continue
		}
		kernel := rest[i-1] == 'k'
		name := strings.TrimSpace(rest[i+2:])
		if j := strings.Index(name, "  "); j >= 0 { // perf's empty columns after the name
			name = name[:j]
		}
		if kernel {
			name = "[kernel] " + name
		}
		out = append(out, ProfileLine{Percent: v, Function: name})
	}
	return out
}

// byPackage sums self time by Go package (the kernel as one).
func byPackage(lines []ProfileLine) []ProfileLine {
	sum := map[string]float64{}
	for _, l := range lines {
		sum[packageOf(l.Function)] += l.Percent
	}
	out := make([]ProfileLine, 0, len(sum))
	for p, v := range sum {
		if v >= 0.5 {
			out = append(out, ProfileLine{Percent: v, Function: p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Percent > out[j].Percent })
	return out
}

// packageOf is a Go symbol's package: "github.com/a/b.(*T).M" → "github.com/a/b".
func packageOf(fn string) string {
	if strings.HasPrefix(fn, "[kernel] ") {
		return "kernel"
	}
	slash := strings.LastIndexByte(fn, '/')
	if dot := strings.IndexByte(fn[slash+1:], '.'); dot >= 0 {
		return fn[:slash+1+dot]
	}
	return fn
}
