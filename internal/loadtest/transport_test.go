package loadtest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The transport sends what vegeta asks (method, path and query as written,
// headers, body, never the fragment), keeps the answers a flow reads and
// drops the others' bodies, and turns a slow answer into an error.
func TestFastTransport(t *testing.T) {
	type seen struct{ method, uri, header, body string }
	got := make(chan seen, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.RequestURI, r.Header.Get("Idempotency-Key"), string(b)}
		if r.URL.Path == "/slow" {
			time.Sleep(300 * time.Millisecond)
		}
		w.Header().Set("X-Answer", "yes")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "the answer")
	}))
	var open atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()
	tr := newFastTransport(4, 200*time.Millisecond)
	client := &http.Client{Transport: tr}

	send := func(method, u, body string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+u, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Idempotency-Key", "k1")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := send("POST", "/api/v1/carts?q=%D8%A7%D8%B1%D9%83%D8%A7%D9%86#7/cart-create"+readMark, `{"a":1}`)
	if s := <-got; s != (seen{"POST", "/api/v1/carts?q=%D8%A7%D8%B1%D9%83%D8%A7%D9%86", "k1", `{"a":1}`}) {
		t.Errorf("the server saw %+v", s)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated || res.Status != "201 Created" || string(body) != "the answer" || res.Header.Get("X-Answer") != "yes" {
		t.Errorf("a read answer: %d %q %q %v", res.StatusCode, res.Status, body, res.Header)
	}

	res = send("GET", "/fr/p/x#8/product-page", "")
	<-got
	body, _ = io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated || len(body) != 0 {
		t.Errorf("an answer nobody reads: %d, %d bytes kept", res.StatusCode, len(body))
	}

	// An attack over, its connections close: the next one's figures must
	// not carry them.
	if open.Load() == 0 {
		t.Fatal("no connection open after two requests")
	}
	tr.closeIdle()
	for deadline := time.Now().Add(2 * time.Second); open.Load() > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still open after closeIdle", open.Load())
		}
	}

	req, _ := http.NewRequest("GET", srv.URL+"/slow#9/home", nil)
	if _, err := client.Do(req); err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("a request slower than the timeout: %v, want a timeout error", err)
	}
	<-got
}
