package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// HelloMain is the hello-world server of the ceiling measurement: plain
// net/http on 127.0.0.1, a port of its own, in a process of its own (as
// souk is), so the same tool on the same machine measures what Go's HTTP
// alone can do. It prints its address on the first line of out and serves
// until in is closed.
func HelloMain(in io.Reader, out io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "Hello, world!\n")
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		_, _ = io.Copy(io.Discard, in) // the parent closes our stdin, or dies
		_ = srv.Close()
	}()
	fmt.Fprintln(out, "http://"+ln.Addr().String())
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// hello measures the ceiling: the hello-world server, attacked like the
// wrk-like scenarios.
func (h *harness) hello(ctx context.Context) (*ScenarioReport, error) {
	cmd := h.o.Hello()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the hello-world server: %w", err)
	}
	defer func() {
		stdin.Close()
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("the hello-world server said nothing: %w", err)
	}
	base := strings.TrimSpace(line)
	fmt.Fprintf(h.o.Log, "%s: %s, %d connections, %s…\n", Hello, base, h.o.Connections, h.o.Bench)
	return h.attack(ctx, attackSpec{name: Hello, base: base, workers: uint64(h.o.Connections), maxWorkers: uint64(h.o.Connections),
		duration: h.o.Bench, newFlow: single(Hello, "GET", "/"), proc: &process{pid: cmd.Process.Pid}})
}
