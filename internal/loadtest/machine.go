package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine is where the figures came from.
type Machine struct {
	CPU        string     `json:"cpu"`
	Cores      int        `json:"cores"`
	MemoryGiB  float64    `json:"memory_gib"`
	Kernel     string     `json:"kernel"`
	Go         string     `json:"go"`
	LoadBefore [3]float64 `json:"load_average_before"`
	LoadAfter  [3]float64 `json:"load_average_after"`
}

func readMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), LoadBefore: loadAverage()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if kb := procField("/proc/meminfo", "MemTotal"); kb > 0 {
		m.MemoryGiB = float64(kb) / (1 << 20)
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// loadAverage is the 1, 5 and 15 minute load averages.
func loadAverage() [3]float64 {
	var l [3]float64
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return l
	}
	for i, f := range strings.Fields(string(b)) {
		if i == 3 {
			break
		}
		l[i], _ = strconv.ParseFloat(f, 64)
	}
	return l
}

// procField reads a "Name:  123 kB" line of a /proc file, in kB.
func procField(path, name string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && k == name {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// machineBusy is the CPU time every core of the machine has spent busy
// (not idle, not waiting for I/O), in seconds, from /proc/stat.
func machineBusy() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return 0
	}
	var busy int64
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i != 3 && i != 4 && i < 8 { // idle, iowait; guest times are already in user
			busy += n
		}
	}
	return float64(busy) / clockTicks
}

// clockTicks is Linux's USER_HZ, the unit of /proc/<pid>/stat's times (100
// on every architecture Go supports).
const clockTicks = 100

// process is a server seen from outside: /proc/<pid> when its pid is known,
// else its Prometheus /metrics (process_resident_memory_bytes,
// process_cpu_seconds_total).
type process struct {
	pid     int
	metrics string
	client  *http.Client
}

func newProcess(pid int, base string, client *http.Client) *process {
	return &process{pid: pid, metrics: base + "/metrics", client: client}
}

// sample reads resident memory (bytes) and CPU time used (seconds).
func (p *process) sample(ctx context.Context) (rss int64, cpu float64, err error) {
	if p.pid > 0 {
		rss = procField(fmt.Sprintf("/proc/%d/status", p.pid), "VmRSS") << 10
		cpu, err = procCPU(p.pid)
		return rss, cpu, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.metrics, nil)
	if err != nil {
		return 0, 0, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		switch name {
		case "process_resident_memory_bytes":
			f, _ := strconv.ParseFloat(value, 64)
			rss = int64(f)
		case "process_cpu_seconds_total":
			cpu, _ = strconv.ParseFloat(value, 64)
		}
	}
	return rss, cpu, sc.Err()
}

// procCPU is a process's user + system time from /proc/<pid>/stat.
func procCPU(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces: fields start after its ')'.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too short", pid)
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return float64(utime+stime) / clockTicks, nil
}

func (p *process) rssMB(ctx context.Context) float64 {
	rss, _, _ := p.sample(ctx)
	return float64(rss) / (1 << 20)
}

// peakMB is the most the process has ever held resident (VmHWM); 0
// without a pid.
func (p *process) peakMB() float64 {
	if p.pid == 0 {
		return 0
	}
	return float64(procField(fmt.Sprintf("/proc/%d/status", p.pid), "VmHWM")) / 1024
}

// usage is what a process spent during an attack.
type usage struct {
	cpu    float64 // seconds
	peakMB float64 // the most resident seen
}

// watcher samples a process every half second until stop.
type watcher struct {
	p      *process
	cancel context.CancelFunc
	done   chan struct{}

	cpu0, lastCPU float64
	peak          int64
}

func (p *process) watch() *watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{p: p, cancel: cancel, done: make(chan struct{})}
	rss, cpu, _ := p.sample(ctx)
	w.cpu0, w.lastCPU, w.peak = cpu, cpu, rss
	go func() {
		defer close(w.done)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				rss, cpu, err := p.sample(ctx)
				if err != nil {
					continue
				}
				w.peak, w.lastCPU = max(w.peak, rss), cpu
			}
		}
	}()
	return w
}

func (w *watcher) stop() usage {
	w.cancel()
	<-w.done
	if rss, cpu, err := w.p.sample(context.Background()); err == nil {
		w.peak, w.lastCPU = max(w.peak, rss), cpu
	}
	return usage{cpu: w.lastCPU - w.cpu0, peakMB: float64(w.peak) / (1 << 20)}
}
