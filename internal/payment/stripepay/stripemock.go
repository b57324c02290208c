package stripepay

import (
	"bufio"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// stripeMockInstall is what the skip/fail message tells people to run; the
// version matches the one CI installs.
const stripeMockInstall = "go install github.com/stripe/stripe-mock@v0.203.0"

// StartMock starts a private stripe-mock on 127.0.0.1 for the test and
// returns its http base URL (use it as Config.BaseURL with any sk_test_ key).
// Ports are chosen by the kernel, so parallel test packages never collide.
// The process is killed when the test ends. Without the binary the test is
// skipped, or fails when SOUK_REQUIRE_STRIPE_MOCK=1 (as in CI).
func StartMock(t testing.TB) string {
	t.Helper()
	bin := findStripeMock(t)
	if bin == "" {
		msg := "stripe-mock not found (looked at $STRIPE_MOCK, PATH, $GOBIN, $GOPATH/bin); install it with: " + stripeMockInstall
		if os.Getenv("SOUK_REQUIRE_STRIPE_MOCK") == "1" {
			t.Fatalf("%s", msg)
		}
		t.Skipf("%s", msg)
	}

	// -http-addr binds loopback only (-http-port would bind every interface);
	// -https-addr must be given too, or HTTPS also starts on the fixed :12112.
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatalf("stripe-mock: pipe: %v", err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		t.Fatalf("stripe-mock: start %s: %v", bin, err)
	}
	pw.Close() // the child holds its own copy; EOF on pr now means it exited
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		pr.Close()
	})

	// stripe-mock prints "Listening for HTTP at address: 127.0.0.1:<port>"
	// once its listener is bound. Keep draining afterwards so it never
	// blocks on a full pipe.
	var (
		mu     sync.Mutex
		output strings.Builder
	)
	addrc := make(chan string, 1)
	go func() {
		defer close(addrc)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			output.WriteString(line + "\n")
			mu.Unlock()
			if addr, ok := strings.CutPrefix(line, "Listening for HTTP at address: "); ok {
				select {
				case addrc <- strings.TrimSpace(addr):
				default: // already reported; just keep draining
				}
			}
		}
	}()
	logs := func() string { mu.Lock(); defer mu.Unlock(); return output.String() }

	deadline := time.Now().Add(30 * time.Second)
	var addr string
	select {
	case a, ok := <-addrc:
		if !ok {
			t.Fatalf("stripe-mock exited before listening; output:\n%s", logs())
		}
		addr = a
	case <-time.After(time.Until(deadline)):
		t.Fatalf("stripe-mock did not report its address within 30s; output:\n%s", logs())
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		t.Fatalf("stripe-mock: unexpected address %q: %v", addr, err)
	}
	base := "http://" + addr

	// Wait until it answers HTTP; any response, even 401, means it is up.
	hc := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := hc.Get(base + "/v1/balance")
		if err == nil {
			resp.Body.Close()
			return base
		}
		if time.Now().After(deadline) {
			t.Fatalf("stripe-mock at %s does not answer: %v; output:\n%s", base, err, logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// findStripeMock looks in $STRIPE_MOCK, PATH, $GOBIN, then each $GOPATH/bin
// (default ~/go/bin), where `go install` puts it. It returns "" when absent,
// but fails the test if $STRIPE_MOCK names a file that is not there: an
// explicit setting should not be silently ignored.
func findStripeMock(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("STRIPE_MOCK"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("STRIPE_MOCK=%q: %v", p, err)
		}
		return p
	}
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p
	}
	var dirs []string
	if gobin := os.Getenv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if home, err := os.UserHomeDir(); err == nil {
			gopath = filepath.Join(home, "go")
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		if dir != "" {
			dirs = append(dirs, filepath.Join(dir, "bin"))
		}
	}
	for _, dir := range dirs {
		p := filepath.Join(dir, "stripe-mock")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}
