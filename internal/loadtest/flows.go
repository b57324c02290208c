package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// request is one HTTP request of a flow.
type request struct {
	method string
	url    string // a path under the target, or an absolute URL (a payment page)
	body   []byte
	header http.Header
}

// step is one request of a flow, built when it is due (it may need what an
// earlier answer said) and its answer read when it comes.
type step struct {
	name string
	part string // what the flow is doing ("visit", "purchase", "cart"): timed as a whole
	// skippable steps are left out once the attack's time is up: a
	// visitor still browsing goes straight to the checkout, or leaves.
	skippable bool
	make      func() request
	read      func(r *vegeta.Result) error // nil: the status is all that matters
}

// flow is one visitor, or one loop of a wrk-like scenario: its steps are
// sent one after the other, each once the previous one answered.
type flow struct {
	id    uint64
	steps []step
	pos   int

	part      string    // the part under way
	partBegan time.Time // when its first request left
	partOK    bool
	// done is called once the flow ends, whether it went through (ok) or
	// stopped at a failed step.
	done func(ok bool)
}

// timelineStep is how much of an open-model attack each line of its
// timeline covers: a latency that grows as the attack goes on (caches
// renewed, memory filling) shows there, not in the whole's percentiles.
const timelineStep = 30 * time.Second

// attackSpec is one vegeta attack.
type attackSpec struct {
	name       string
	base       string
	rate       int          // requests per second; 0: closed model, as fast as workers answers come back
	pacer      vegeta.Pacer // instead of rate: requests paced by it (the launch's ramp)
	workers    uint64
	maxWorkers uint64
	duration   time.Duration
	timeout    time.Duration
	newFlow    func(id uint64) *flow // called under the engine's lock
	proc       *process              // the server measured; nil: souk
}

// engine hands vegeta its targets: queued next steps first, then new flows.
type engine struct {
	spec      attackSpec
	transport *fastTransport

	mu       sync.Mutex
	more     *sync.Cond // a step was queued, or a flow ended
	ready    []vegeta.Target
	flows    map[uint64]*flow
	lastID   uint64
	draining bool
	stopped  bool // draining is over, whatever is left
	drained  uint64

	all    vegeta.Metrics             // every request
	began  time.Time                  // when the attack began
	window time.Duration              // the timeline's step; 0 for none
	spans  []*vegeta.Metrics          // every request by when it was sent: window after window
	steps  map[string]*vegeta.Metrics // by step name
	parts  map[string]*vegeta.Metrics // by part: each a synthetic result per completed part
	bad    map[string]int             // answers that did not say what they should, by step
	errors map[string]int             // error messages and how often
}

// target is vegeta's Targeter. It is called by every worker at once.
func (e *engine) target(t *vegeta.Target) error {
	e.mu.Lock()
	if len(e.ready) > 0 {
		*t = e.ready[0]
		e.ready[0] = vegeta.Target{}
		e.ready = e.ready[1:]
		e.mu.Unlock()
		return nil
	}
	e.lastID++
	f := e.spec.newFlow(e.lastID)
	f.id = e.lastID
	e.flows[f.id] = f
	e.mu.Unlock()
	*t = e.targetOf(f)
	return nil
}

// targetOf builds f's current request. Its URL's fragment names the flow and
// the step: HTTP clients never send a fragment, so souk sees the plain URL.
func (e *engine) targetOf(f *flow) vegeta.Target {
	s := f.steps[f.pos]
	r := s.make()
	u := r.url
	if strings.HasPrefix(u, "/") {
		u = e.spec.base + u
	}
	u += "#" + strconv.FormatUint(f.id, 10) + "/" + s.name
	if s.read != nil {
		u += readMark // the transport keeps this answer's body
	}
	return vegeta.Target{Method: r.method, URL: u, Body: r.body, Header: r.header}
}

// flowOf reads a result's flow id and step name back from its URL.
func flowOf(u string) (id uint64, step string, ok bool) {
	i := strings.LastIndexByte(u, '#')
	if i < 0 {
		return 0, "", false
	}
	idText, step, ok := strings.Cut(strings.TrimSuffix(u[i+1:], readMark), "/")
	id, err := strconv.ParseUint(idText, 10, 64)
	return id, step, ok && err == nil
}

// handle records a result and moves its flow on.
func (e *engine) handle(res *vegeta.Result) {
	e.all.Add(res)
	if e.window > 0 {
		i := max(0, int(res.Timestamp.Sub(e.began)/e.window))
		for len(e.spans) <= i {
			e.spans = append(e.spans, &vegeta.Metrics{})
		}
		e.spans[i].Add(res)
	}
	id, name, _ := flowOf(res.URL)
	e.count(e.steps, name).Add(res)
	if res.Error != "" {
		e.errors[name+": "+withoutURL(res.Error)]++
	}
	e.mu.Lock()
	f := e.flows[id]
	e.mu.Unlock()
	s := f.steps[f.pos]
	good := res.Error == ""
	if good && s.read != nil {
		if err := s.read(res); err != nil {
			good = false
			e.bad[name]++
			e.errors[name+": "+err.Error()]++
		}
	}
	if s.part != f.part {
		f.part, f.partBegan, f.partOK = s.part, res.Timestamp, true
	}
	f.partOK = f.partOK && good
	f.pos++
	if e.draining && e.skip(f) {
		f.part = "" // left unfinished: not timed
	}
	if !good || f.pos == len(f.steps) || f.steps[f.pos].part != f.part {
		e.endPart(f, res.End())
	}
	if !good || f.pos == len(f.steps) {
		if f.done != nil {
			f.done(good)
		}
		e.mu.Lock()
		delete(e.flows, id)
		e.mu.Unlock()
		e.more.Broadcast()
		return
	}
	next := e.targetOf(f)
	e.mu.Lock()
	e.ready = append(e.ready, next)
	e.mu.Unlock()
	e.more.Broadcast()
}

// withoutURL drops the URL from a client error (`Get "http://…": timeout`),
// so that errors of one kind count as one.
func withoutURL(err string) string {
	if _, rest, ok := strings.Cut(err, `": `); ok {
		return rest
	}
	return err
}

// skip moves f past its skippable steps; it says whether it skipped any.
func (e *engine) skip(f *flow) bool {
	from := f.pos
	for f.pos < len(f.steps) && f.steps[f.pos].skippable {
		f.pos++
	}
	return f.pos > from
}

// drain lets the flows under way when the attack ended finish their
// purchases and carts, starting no new flow and skipping the pages left to
// view (a buyer still browsing goes straight to the checkout), for at most
// limit.
func (e *engine) drain(ctx context.Context, limit time.Duration) {
	e.mu.Lock()
	e.draining = true
	ready := e.ready
	e.ready = nil
	for _, t := range ready {
		id, _, _ := flowOf(t.URL)
		f := e.flows[id]
		if !e.skip(f) {
			e.ready = append(e.ready, t)
			continue
		}
		f.part = ""
		if f.pos == len(f.steps) { // a visitor who was only looking: gone
			delete(e.flows, id)
			continue
		}
		e.ready = append(e.ready, e.targetOf(f))
	}
	n := uint64(len(e.flows))
	e.mu.Unlock()
	if n == 0 {
		return
	}
	halt := func() {
		e.mu.Lock()
		e.stopped = true
		e.mu.Unlock()
		e.more.Broadcast()
	}
	giveUp := time.AfterFunc(limit, halt)
	defer giveUp.Stop()
	stop := context.AfterFunc(ctx, halt)
	defer stop()
	for res := range e.attacker(n, n).Attack(e.queued, vegeta.ConstantPacer{}, 0, e.spec.name) {
		if res.URL == "" { // a worker found no flow left: the drain is over
			continue
		}
		e.drained++
		e.handle(res)
	}
}

// queued is the drain's Targeter: the next queued step, waiting for one
// while flows are still under way.
func (e *engine) queued(t *vegeta.Target) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for len(e.ready) == 0 {
		if len(e.flows) == 0 || e.stopped {
			return vegeta.ErrNoTargets
		}
		e.more.Wait()
	}
	*t = e.ready[0]
	e.ready[0] = vegeta.Target{}
	e.ready = e.ready[1:]
	return nil
}

// attacker is a vegeta attacker on the engine's transport, which keeps its
// connections from the attack to its drain.
func (e *engine) attacker(workers, maxWorkers uint64) *vegeta.Attacker {
	return vegeta.NewAttacker(vegeta.Client(&http.Client{Transport: e.transport}),
		vegeta.Workers(workers), vegeta.MaxWorkers(maxWorkers),
		vegeta.Redirects(vegeta.NoFollow), vegeta.MaxBody(1<<20))
}

// endPart times the part f just finished (or failed) as one result.
func (e *engine) endPart(f *flow, end time.Time) {
	if f.part == "" {
		return
	}
	r := &vegeta.Result{Timestamp: f.partBegan, Latency: end.Sub(f.partBegan), Code: http.StatusOK}
	if !f.partOK {
		r.Code, r.Error = 0, "failed"
	}
	e.count(e.parts, f.part).Add(r)
	f.part = ""
}

func (e *engine) count(m map[string]*vegeta.Metrics, name string) *vegeta.Metrics {
	x, ok := m[name]
	if !ok {
		x = &vegeta.Metrics{}
		m[name] = x
	}
	return x
}

// attack runs one scenario and reports it, with what souk and the load
// generator spent meanwhile.
func (h *harness) attack(ctx context.Context, spec attackSpec) (*ScenarioReport, error) {
	if spec.timeout == 0 {
		spec.timeout = h.o.Timeout
	}
	e := &engine{spec: spec, transport: newFastTransport(int(spec.maxWorkers), spec.timeout), flows: map[uint64]*flow{}, steps: map[string]*vegeta.Metrics{},
		parts: map[string]*vegeta.Metrics{}, bad: map[string]int{}, errors: map[string]int{}}
	e.more = sync.NewCond(&e.mu)
	atk := e.attacker(spec.workers, spec.maxWorkers)
	var pacer vegeta.Pacer = vegeta.ConstantPacer{Freq: spec.rate, Per: time.Second}
	switch {
	case spec.pacer != nil:
		pacer = spec.pacer
	case spec.rate == 0:
		pacer = vegeta.ConstantPacer{} // as fast as the workers go
	}

	if spec.proc == nil {
		spec.proc = h.proc
	}
	watch := spec.proc.watch()
	self, busy := selfCPU(), machineBusy()
	var perf *exec.Cmd
	perfData := filepath.Join(h.o.PerfDir, spec.name+".perf.data")
	if h.o.PerfDir != "" && h.o.PID > 0 && spec.proc == h.proc {
		perf = startPerf(perfData, h.o.PID, h.o.Log)
	}
	stop := context.AfterFunc(ctx, func() { atk.Stop() })
	began := time.Now()
	e.began = began
	if spec.rate > 0 || spec.pacer != nil {
		e.window = timelineStep
	}
	for res := range atk.Attack(e.target, pacer, spec.duration, spec.name) {
		e.handle(res)
	}
	stop()
	e.drain(ctx, 2*spec.timeout)
	elapsed := time.Since(began)
	// Its visitors leave: their connections must not weigh on the next
	// scenario's figures (the launch's ramp left 2,000 open beside the
	// launch's own, and souk's memory held both).
	e.transport.closeIdle()
	var selfTop, packages, totalTop []ProfileLine
	if perf != nil {
		selfTop, packages, totalTop = stopPerf(perf, perfData, h.o.Log)
	}
	usage := watch.stop()

	s := &ScenarioReport{Name: spec.name, Duration: elapsed.Seconds(), Connections: int(spec.workers),
		ServerCPU: usage.cpu / elapsed.Seconds(), LoadCPU: (selfCPU() - self) / elapsed.Seconds(),
		MachineCPU: (machineBusy() - busy) / elapsed.Seconds(), RSSPeakMB: usage.peakMB, Profile: selfTop, ProfilePackages: packages, ProfileTotal: totalTop}
	if spec.rate > 0 || spec.pacer != nil {
		s.Model, s.Asked, s.Connections = "open", float64(spec.rate), int(spec.maxWorkers)
		if spec.pacer != nil { // the rate asked on average
			s.Asked = (spec.pacer.Rate(0) + spec.pacer.Rate(spec.duration)) / 2
		}
	} else {
		s.Model = "closed"
	}
	names := make([]string, 0, len(e.steps))
	for name := range e.steps {
		names = append(names, name)
	}
	for _, name := range stepOrder(names) {
		m := e.steps[name]
		m.Close()
		st := stepReport(name, m)
		st.Unreadable = e.bad[name]
		st.Errors += uint64(st.Unreadable)
		s.Steps = append(s.Steps, st)
	}
	e.all.Close()
	s.Total = stepReport("all", &e.all)
	for _, st := range s.Steps {
		s.Total.Unreadable += st.Unreadable
	}
	s.Total.Errors += uint64(s.Total.Unreadable)
	for i, m := range e.spans {
		m.Close()
		w := stepReport("", m)
		s.Timeline = append(s.Timeline, Span{From: (time.Duration(i) * e.window).Seconds(), Requests: w.Requests,
			Errors: w.Errors, P50: w.P50, P99: w.P99})
	}
	for name, m := range e.parts {
		m.Close()
		p := stepReport(name, m)
		p.Rate = float64(p.Requests-p.Errors) / elapsed.Seconds() // completed per second
		s.Flows = append(s.Flows, p)
	}
	s.Cut, s.Drained = len(e.flows), e.drained
	msgs := make([]string, 0, len(e.errors))
	for msg := range e.errors {
		msgs = append(msgs, msg)
	}
	sort.Slice(msgs, func(i, j int) bool { // the most frequent first
		if a, b := e.errors[msgs[i]], e.errors[msgs[j]]; a != b {
			return a > b
		}
		return msgs[i] < msgs[j]
	})
	for _, msg := range msgs {
		s.ErrorSamples = append(s.ErrorSamples, fmt.Sprintf("%d× %s", e.errors[msg], msg))
	}
	sortSteps(s.Flows)
	return s, nil
}

// selfCPU is the CPU time this process has used, in seconds.
func selfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
