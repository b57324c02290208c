package crashtest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The merchant credentials souk is configured with; the test plays CMI's
// gateway with the same store key.
const (
	cmiClientID = "600000777"
	cmiStoreKey = "CRASH-TEST-STORE-KEY"
)

// buildSouk builds cmd/souk with the Makefile's flags (`make vet` builds the
// same), so that CI finds it in the build cache.
func buildSouk(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatal("not inside the souk module")
	}
	bin := filepath.Join(t.TempDir(), "souk")
	start := time.Now()
	cmd := exec.Command("go", "build", "-tags", "nodynamic", "-o", bin, "./cmd/souk")
	cmd.Dir = filepath.Dir(gomod)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=") // GOFLAGS=-race would need cgo
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/souk: %v\n%s", err, out)
	}
	t.Logf("built souk in %s", time.Since(start).Round(time.Millisecond))
	return bin
}

// node runs `souk serve` as a child process, one at a time, always on the
// same address and database, so that a restart is the same souk.
type node struct {
	t      *testing.T
	bin    string
	dbArgs []string // what opens the database: --data, --database-url
	env    []string
	dir    string
	URL    string
	logs   *os.File // every run's output, one after the other
	cmd    *exec.Cmd
	exited chan struct{}
	starts int
}

func newNode(t *testing.T, bin string, dbArgs []string) *node {
	t.Helper()
	dir := t.TempDir()
	if !slices.Contains(dbArgs, "--data") { // PostgreSQL: media files still go under --data
		dbArgs = append(dbArgs, "--data", dir)
	}
	logs, err := os.Create(filepath.Join(dir, "souk.log"))
	if err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SOUK_") { // only this test's configuration
			env = append(env, kv)
		}
	}
	env = append(env, "SOUK_CMI_CLIENT_ID="+cmiClientID, "SOUK_CMI_STORE_KEY="+cmiStoreKey,
		"SOUK_CMI_GATEWAY_URL=http://127.0.0.1:9/fim/est3Dgate") // never reached: the test is the gateway
	n := &node{t: t, bin: bin, dbArgs: dbArgs, env: env, dir: dir, logs: logs,
		URL: "http://127.0.0.1:" + strconv.Itoa(freePort(t))}
	t.Cleanup(func() {
		if n.running() {
			n.kill()
		}
		logs.Close()
	})
	return n
}

// freePort picks a free port below the kernel's ephemeral range: no
// outgoing connection can take it while souk is down between a kill and its
// restart.
func freePort(t *testing.T) int {
	t.Helper()
	first := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		fmt.Sscan(string(b), &first)
	}
	const low = 10000
	for range 100 {
		p := low + rand.IntN(max(first-low, 1000))
		ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err == nil {
			ln.Close()
			return p
		}
	}
	t.Fatal("no free port for souk")
	return 0
}

// start runs souk serve and returns once /healthz answers.
func (n *node) start() {
	n.t.Helper()
	n.starts++
	fmt.Fprintf(n.logs, "=== crashtest: start %d\n", n.starts)
	args := append([]string{"serve", "--addr", strings.TrimPrefix(n.URL, "http://"), "--no-demo",
		"--payout-times", "off", "--log-level", "warn"}, n.dbArgs...)
	cmd := exec.Command(n.bin, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = n.dir, n.env, n.logs, n.logs
	if err := cmd.Start(); err != nil {
		n.t.Fatalf("start souk: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	n.cmd, n.exited = cmd, exited
	probe := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-exited:
			n.t.Fatalf("souk exited while starting (%s); its log ends:\n%s", cmd.ProcessState, n.tail())
		default:
		}
		if resp, err := probe.Get(n.URL + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			n.t.Fatalf("souk did not answer /healthz within 30 s of start %d; its log ends:\n%s", n.starts, n.tail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (n *node) running() bool {
	if n.cmd == nil {
		return false
	}
	select {
	case <-n.exited:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (n *node) kill() {
	n.t.Helper()
	if err := n.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		n.t.Fatalf("kill souk: %v", err)
	}
	<-n.exited
}

// stop asks souk to shut down (SIGTERM) and wants a clean exit.
func (n *node) stop() {
	n.t.Helper()
	if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		n.t.Fatalf("stop souk: %v", err)
	}
	select {
	case <-n.exited:
	case <-time.After(30 * time.Second):
		n.kill()
		n.t.Fatalf("souk did not stop within 30 s of SIGTERM; its log ends:\n%s", n.tail())
	}
	if !n.cmd.ProcessState.Success() {
		n.t.Errorf("souk stopped with %s; its log ends:\n%s", n.cmd.ProcessState, n.tail())
	}
}

// command runs another souk command on the same database.
func (n *node) command(args ...string) (string, error) {
	cmd := exec.Command(n.bin, append(args, n.dbArgs...)...)
	cmd.Dir, cmd.Env = n.dir, n.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// errorLines are the errors souk logged over all its runs.
func (n *node) errorLines() []string {
	b, err := os.ReadFile(n.logs.Name())
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, "level=ERROR") {
			out = append(out, l)
		}
	}
	return out
}

// tail is the end of souk's log, for failure messages.
func (n *node) tail() string {
	b, err := os.ReadFile(n.logs.Name())
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > 60 {
		lines = lines[len(lines)-60:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
