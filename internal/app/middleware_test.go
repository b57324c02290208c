package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// TestLimitInFlight: with two requests being served, a third waits its
// moment and is told, in its language, to come back (503, Retry-After);
// health checks pass anyway; once a place frees, requests are served again.
func TestLimitInFlight(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.URL.Path == "/fast" {
			_, _ = io.WriteString(w, "ok")
			return
		}
		entered <- struct{}{}
		<-release
		_, _ = io.WriteString(w, "served")
	})
	refused := prometheus.NewCounter(prometheus.CounterOpts{Name: "refused"})
	reg := prometheus.NewRegistry()
	reg.MustRegister(refused)
	cachedPath := func(r *http.Request) bool { return r.URL.Path == "/fr/p/cached" }
	srv := httptest.NewServer(limitInFlight(newGate(2, 50*time.Millisecond, refused), cachedPath, slow))
	defer srv.Close()

	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := http.Get(srv.URL + "/fr/")
			if err != nil {
				t.Error(err)
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || string(body) != "served" {
				t.Errorf("a request within the limit: %d %q", res.StatusCode, body)
			}
		}()
	}
	<-entered
	<-entered

	start := time.Now()
	res, err := http.Get(srv.URL + "/fr/c/argan-oil")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "1" ||
		!strings.Contains(string(body), "Veuillez réessayer") || res.Header.Get("Content-Language") != "fr" {
		t.Fatalf("over the limit: %d Retry-After %q %q", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Errorf("refused after %s, before waiting its moment", waited)
	}

	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/products", nil)
	req.Header.Set("Accept-Language", "es")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	err = json.NewDecoder(res.Body).Decode(&e)
	res.Body.Close()
	if err != nil || res.StatusCode != 503 || e.Error.Code != "unavailable" || !strings.Contains(e.Error.Message, "ocupado") {
		t.Fatalf("API over the limit: %d %+v %v", res.StatusCode, e, err)
	}

	res, err = http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("/healthz while full: %d", res.StatusCode)
	}
	// A request the page cache may answer is let through (the cache takes
	// a place only to render): here it reaches the handler, which holds it.
	go func() { _, _ = http.Get(srv.URL + "/fr/p/cached") }()
	select {
	case <-entered:
	case <-time.After(2 * time.Second):
		t.Fatal("a cacheable request was held back while the node was full")
	}
	if mf, err := reg.Gather(); err != nil || mf[0].GetMetric()[0].GetCounter().GetValue() != 2 {
		t.Errorf("refused counter %v (%v), want 2", mf, err)
	}

	close(release)
	wg.Wait()
	res, err = http.Get(srv.URL + "/fast")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("after the places freed: %d", res.StatusCode)
	}
}

// The page cache's place: renewing an answer it holds never waits (nor
// counts as a refusal); a first rendering waits as any request does.
func TestGatePlace(t *testing.T) {
	refused := prometheus.NewCounter(prometheus.CounterOpts{Name: "refused"})
	g := newGate(1, 50*time.Millisecond, refused)
	release, ok := g.place(context.Background(), false)
	if !ok {
		t.Fatal("a free place was not given")
	}
	start := time.Now()
	if _, ok := g.place(context.Background(), false); ok || time.Since(start) > 20*time.Millisecond {
		t.Errorf("full, without waiting: ok %v after %s, want refused at once", ok, time.Since(start))
	}
	start = time.Now()
	if _, ok := g.place(context.Background(), true); ok || time.Since(start) < 50*time.Millisecond {
		t.Errorf("full, waiting: ok %v after %s, want refused after the 50 ms wait", ok, time.Since(start))
	}
	var m dto.Metric
	if err := refused.Write(&m); err != nil {
		t.Fatal(err)
	}
	if n := m.GetCounter().GetValue(); n != 1 {
		t.Errorf("%v refusals counted, want 1 (the waiting one)", n)
	}
	release()
	if release, ok := g.place(context.Background(), false); !ok {
		t.Error("a freed place was not given")
	} else {
		release()
	}
}
