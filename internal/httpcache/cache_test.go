package httpcache_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"souk/internal/httpcache"
)

// serve sends one request through c under key; hdr are header name, value
// pairs.
func serve(c *httpcache.Cache, method, key string, next http.HandlerFunc, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/fr/p/"+key, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	c.Serve(w, r, key, next)
	return w
}

func get(c *httpcache.Cache, key string, next http.HandlerFunc, hdr ...string) *httptest.ResponseRecorder {
	return serve(c, http.MethodGet, key, next, hdr...)
}

// counted is a handler that counts its runs and writes body.
func counted(calls *atomic.Int32, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, body)
	}
}

// gunzip decompresses b (Errorf, not Fatalf: it runs in goroutines too).
func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Errorf("gzip: %v", err)
		return ""
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Errorf("gzip: %v", err)
	}
	return string(out)
}

func stats(c *httpcache.Cache) string {
	h, m, e, b := c.Stats()
	return fmt.Sprintf("hits %d, misses %d, entries %d, bytes %d", h, m, e, b)
}

func TestAnswerIsKeptAndServedAgain(t *testing.T) {
	c := httpcache.New(1<<20, time.Minute)
	var calls atomic.Int32
	body := strings.Repeat("<p>Huile d’argan, 85 MAD</p>\n", 40)
	next := counted(&calls, body)

	first := get(c, "oil", next)
	second := get(c, "oil", next)
	if calls.Load() != 1 {
		t.Fatalf("next ran %d times, want 1", calls.Load())
	}
	for i, w := range []*httptest.ResponseRecorder{first, second} {
		if w.Code != http.StatusOK || w.Body.String() != body {
			t.Errorf("answer %d: %d %q", i, w.Code, w.Body.String())
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("answer %d: Content-Type %q", i, ct)
		}
		if cl := w.Header().Get("Content-Length"); cl != strconv.Itoa(len(body)) {
			t.Errorf("answer %d: Content-Length %q, want %d", i, cl, len(body))
		}
		if !slices.Contains(w.Header().Values("Vary"), "Accept-Encoding") {
			t.Errorf("answer %d: Vary %q", i, w.Header().Values("Vary"))
		}
	}
	if e1, e2 := first.Header().Get("ETag"), second.Header().Get("ETag"); e1 == "" || e1 != e2 || !strings.HasPrefix(e1, `"`) {
		t.Errorf("ETags %q and %q", e1, e2)
	}
	hits, misses, entries, bytes := c.Stats()
	if hits != 1 || misses != 1 || entries != 1 || bytes <= 0 || bytes >= int64(len(body)) {
		t.Errorf("stats: %s (kept gzipped only: fewer bytes than the %d-byte body)", stats(c), len(body))
	}
	// Another key is another answer.
	get(c, "amlou", next)
	if calls.Load() != 2 {
		t.Errorf("another key: next ran %d times in all, want 2", calls.Load())
	}
}

// Answers that are not everyone's are served to their caller and never
// kept.
func TestAnswersNotSharedAreNotKept(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		header [2]string
		size   int
	}{
		{"Set-Cookie", 200, [2]string{"Set-Cookie", "souk_session=abc; Path=/; HttpOnly"}, 10},
		{"private", 200, [2]string{"Cache-Control", "private, max-age=60"}, 10},
		{"Private in capitals", 200, [2]string{"Cache-Control", "Private"}, 10},
		{"no-store", 200, [2]string{"Cache-Control", "no-store"}, 10},
		{"already encoded", 200, [2]string{"Content-Encoding", "br"}, 10},
		{"not found", 404, [2]string{}, 10},
		{"server error", 500, [2]string{}, 10},
		{"redirect", 302, [2]string{"Location", "/fr/"}, 0},
		{"created", 201, [2]string{}, 10},
		{"larger than 1 MB", 200, [2]string{}, 1<<20 + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			cache := httpcache.New(8<<20, time.Minute)
			var calls atomic.Int32
			body := strings.Repeat("x", c.size)
			next := func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				if c.header[0] != "" {
					w.Header().Set(c.header[0], c.header[1])
				}
				w.WriteHeader(c.status)
				_, _ = io.WriteString(w, body)
			}
			for i := range 2 {
				w := get(cache, "k", next, "Accept-Encoding", "gzip")
				if w.Code != c.status || w.Body.String() != body {
					t.Errorf("answer %d: %d, %d bytes; want %d, %d bytes", i, w.Code, w.Body.Len(), c.status, len(body))
				}
				if c.header[0] != "" && w.Header().Get(c.header[0]) != c.header[1] {
					t.Errorf("answer %d: %s %q, want %q", i, c.header[0], w.Header().Get(c.header[0]), c.header[1])
				}
			}
			if calls.Load() != 2 {
				t.Errorf("next ran %d times, want 2: the answer was kept", calls.Load())
			}
			if _, _, entries, bytes := cache.Stats(); entries != 0 || bytes != 0 {
				t.Errorf("stats: %s", stats(cache))
			}
		})
	}
	t.Run("exactly 1 MB is kept", func(t *testing.T) {
		cache := httpcache.New(8<<20, time.Minute)
		var calls atomic.Int32
		next := counted(&calls, strings.Repeat("x", 1<<20))
		get(cache, "k", next)
		if w := get(cache, "k", next); calls.Load() != 1 || w.Body.Len() != 1<<20 {
			t.Errorf("next ran %d times, answer %d bytes", calls.Load(), w.Body.Len())
		}
	})
}

// The compressed copy is the plain one compressed, sent only to clients
// that take gzip.
func TestGzipWhenAccepted(t *testing.T) {
	var calls atomic.Int32
	body := strings.Repeat("<li>Amlou aux amandes — تعاونية</li>\n", 300)
	next := func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Length", strconv.Itoa(len(body))) // the plain length: not the gzip one
		_, _ = io.WriteString(w, body)
	}
	for _, c := range []struct {
		accept string
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br, zstd", true},
		{"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0", false},
		{"gzip;q=0.000, deflate", false},
		{"gzip;q=0.001", true},
		{"*", true},
		{"identity", false},
		{"deflate, br", false},
	} {
		t.Run(fmt.Sprintf("%q", c.accept), func(t *testing.T) {
			cache := httpcache.New(1<<20, time.Minute)
			calls.Store(0)
			for i, what := range []string{"miss", "hit"} {
				w := get(cache, "k", next, "Accept-Encoding", c.accept)
				enc := w.Header().Get("Content-Encoding")
				if got := enc == "gzip"; got != c.gzip {
					t.Fatalf("%s: Content-Encoding %q", what, enc)
				}
				if cl := w.Header().Get("Content-Length"); cl != strconv.Itoa(w.Body.Len()) {
					t.Errorf("%s: Content-Length %s for %d bytes sent", what, cl, w.Body.Len())
				}
				got := w.Body.String()
				if c.gzip {
					if w.Body.Len() >= len(body)/4 {
						t.Errorf("%s: %d bytes compressed from %d", what, w.Body.Len(), len(body))
					}
					got = gunzip(t, w.Body.Bytes())
				}
				if got != body {
					t.Errorf("%s: body differs from the plain one (%d bytes)", what, len(got))
				}
				if int(calls.Load()) != 1 {
					t.Errorf("answer %d: next ran %d times", i, calls.Load())
				}
			}
		})
	}
}

func TestIfNoneMatch(t *testing.T) {
	c := httpcache.New(1<<20, time.Minute)
	var calls atomic.Int32
	next := counted(&calls, "<h1>Tapis de Taznakht</h1>")
	etag := get(c, "rug", next).Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	for _, c2 := range []struct {
		inm  string
		want int
	}{
		{etag, http.StatusNotModified},
		{`"older", ` + etag, http.StatusNotModified},
		{"W/" + etag, http.StatusNotModified},
		{`"older"`, http.StatusOK},
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			w := serve(c, method, "rug", next, "If-None-Match", c2.inm, "Accept-Encoding", "gzip")
			if w.Code != c2.want {
				t.Errorf("%s If-None-Match %s: %d, want %d", method, c2.inm, w.Code, c2.want)
			}
			if c2.want == http.StatusNotModified {
				if w.Body.Len() != 0 || w.Header().Get("ETag") != etag || w.Header().Get("Content-Encoding") != "" {
					t.Errorf("304 with %d bytes, ETag %q, Content-Encoding %q", w.Body.Len(), w.Header().Get("ETag"), w.Header().Get("Content-Encoding"))
				}
			}
		}
	}
	if calls.Load() != 1 {
		t.Errorf("next ran %d times", calls.Load())
	}
	// A new body, a new ETag; the same body under another key, the same.
	if e := get(c, "other-rug", counted(&calls, "<h1>Tapis de Tazenakht</h1>")).Header().Get("ETag"); e == etag {
		t.Errorf("two bodies share ETag %s", e)
	}
	if e := get(c, "same-rug", next).Header().Get("ETag"); e != etag {
		t.Errorf("the same body has ETags %s and %s", etag, e)
	}
	// The browser's copy answers a miss too.
	fresh := httpcache.New(1<<20, time.Minute)
	if w := get(fresh, "rug", next, "If-None-Match", etag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("miss with the right If-None-Match: %d, %d bytes", w.Code, w.Body.Len())
	}
}

func TestHeadHasNoBody(t *testing.T) {
	c := httpcache.New(1<<20, time.Minute)
	var calls atomic.Int32
	body := "<h1>Coopérative Tifaouine</h1>"
	next := counted(&calls, body)
	for i, method := range []string{http.MethodHead, http.MethodHead, http.MethodGet} {
		w := serve(c, method, "coop", next)
		wantBody := ""
		if method == http.MethodGet {
			wantBody = body
		}
		if w.Code != http.StatusOK || w.Body.String() != wantBody || w.Header().Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("%d %s: %d %q Content-Length %s", i, method, w.Code, w.Body.String(), w.Header().Get("Content-Length"))
		}
	}
	if calls.Load() != 1 {
		t.Errorf("next ran %d times, want 1 (HEAD then GET share the answer)", calls.Load())
	}
}

// Vary from the handler and from the caller's middleware is kept beside
// Accept-Encoding.
func TestVaryIsMerged(t *testing.T) {
	c := httpcache.New(1<<20, time.Minute)
	next := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept-Language")
		_, _ = io.WriteString(w, "souk")
	}
	for i := range 2 {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		w := httptest.NewRecorder()
		w.Header().Set("Vary", "Cookie")
		c.Serve(w, r, "k", next)
		vary := strings.Join(w.Header().Values("Vary"), ",")
		for _, v := range []string{"Cookie", "Accept-Language", "Accept-Encoding"} {
			if !strings.Contains(vary, v) {
				t.Errorf("answer %d: Vary %q lacks %s", i, vary, v)
			}
		}
	}
}

// A handler that already varies by Accept-Encoding does not get it twice.
func TestVaryAcceptEncodingOnce(t *testing.T) {
	c := httpcache.New(1<<20, time.Minute)
	next := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept-Encoding")
		_, _ = io.WriteString(w, "souk")
	}
	for i := range 2 {
		if vary := get(c, "k", next).Header().Values("Vary"); !slices.Equal(vary, []string{"Accept-Encoding"}) {
			t.Errorf("answer %d: Vary %q", i, vary)
		}
	}
}

// site is a few answers of a storefront with what each one shows.
type site struct {
	c       *httpcache.Cache
	renders map[string]int
	mu      sync.Mutex
}

var pages = map[string]struct {
	products   []int64
	notListing bool
}{
	"product-1": {[]int64{1}, true},
	"product-2": {[]int64{2}, true},
	"about":     {nil, true},            // shows no product
	"home":      {[]int64{1, 2}, false}, // a listing showing both
	"books":     {[]int64{3}, false},    // a listing showing neither
	"empty":     {nil, false},           // a listing showing nothing (yet)
}

func newSite() *site { return &site{c: httpcache.New(1<<20, time.Minute), renders: map[string]int{}} }

func (s *site) handler(key string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := pages[key]
		httpcache.Shows(r.Context(), p.products...)
		if p.notListing {
			httpcache.NotAListing(r.Context())
		}
		s.mu.Lock()
		s.renders[key]++
		s.mu.Unlock()
		_, _ = io.WriteString(w, key)
	}
}

// visit serves every page and returns those rendered afresh.
func (s *site) visit(t *testing.T) []string {
	t.Helper()
	s.mu.Lock()
	before := maps.Clone(s.renders)
	s.mu.Unlock()
	for key := range pages {
		if w := get(s.c, key, s.handler(key)); w.Body.String() != key {
			t.Fatalf("%s answered %q", key, w.Body.String())
		}
	}
	var fresh []string
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, n := range s.renders {
		if n != before[k] {
			fresh = append(fresh, k)
		}
	}
	slices.Sort(fresh)
	return fresh
}

func TestInvalidateDropsWhatChanged(t *testing.T) {
	s := newSite()
	s.visit(t)
	for _, c := range []struct {
		name     string
		products []int64
		listings bool
		all      bool
		want     []string
	}{
		{"nothing", nil, false, false, nil},
		{"another product's stock", []int64{9}, false, false, nil},
		{"product 1's stock", []int64{1}, false, false, []string{"home", "product-1"}},
		{"product 2's price", []int64{2}, true, false, []string{"books", "empty", "home", "product-2"}},
		{"listings only (a new product)", nil, true, false, []string{"books", "empty", "home"}},
		{"everything", nil, false, true, slices.Sorted(maps.Keys(pages))},
		{"nothing again", nil, false, false, nil},
	} {
		s.c.Invalidate(c.products, c.listings, c.all)
		if got := s.visit(t); !slices.Equal(got, c.want) {
			t.Errorf("%s: rendered afresh %v, want %v", c.name, got, c.want)
		}
	}
	// Listings are dropped at once, not only passed over.
	_, _, before, _ := s.c.Stats()
	s.c.Invalidate(nil, true, false)
	if _, _, after, _ := s.c.Stats(); after != before-3 {
		t.Errorf("a change of listings left %d of %d answers, want %d", after, before, before-3)
	}
	s.c.Invalidate(nil, false, true)
	if _, _, entries, bytes := s.c.Stats(); entries != 0 || bytes != 0 {
		t.Errorf("after a change of everything: %s", stats(s.c))
	}
}

// More changed products than the cache remembers one by one count as a
// change of everything.
func TestManyChangedProductsAreAChangeOfEverything(t *testing.T) {
	s := newSite()
	s.visit(t)
	few := make([]int64, 1000)
	for i := range few {
		few[i] = int64(1000 + i)
	}
	s.c.Invalidate(few, false, false)
	if got := s.visit(t); len(got) != 0 {
		t.Errorf("1,000 other products changed: rendered afresh %v", got)
	}
	many := make([]int64, 100_000)
	for i := range many {
		many[i] = int64(10_000 + i)
	}
	s.c.Invalidate(many, false, false)
	if got := s.visit(t); !slices.Equal(got, slices.Sorted(maps.Keys(pages))) {
		t.Errorf("101,000 products changed in all: rendered afresh %v, want every page", got)
	}
}

// A change that happens while an answer is rendered may have come too
// late for it: that answer is not served afterwards.
func TestInvalidateDuringRendering(t *testing.T) {
	for _, c := range []struct {
		name       string
		notListing bool
		products   []int64
		listings   bool
		all        bool
		stale      bool
	}{
		{"its product", true, []int64{1}, false, false, true},
		{"listings, for a listing", false, nil, true, false, true},
		{"everything", true, nil, false, true, true},
		{"another product", true, []int64{2}, false, false, false},
		{"listings, for a product's page", true, nil, true, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cache := httpcache.New(1<<20, time.Minute)
			var calls atomic.Int32
			next := func(w http.ResponseWriter, r *http.Request) {
				httpcache.Shows(r.Context(), 1)
				if c.notListing {
					httpcache.NotAListing(r.Context())
				}
				if calls.Add(1) == 1 {
					cache.Invalidate(c.products, c.listings, c.all) // the change commits while this renders
				}
				_, _ = io.WriteString(w, "v"+strconv.Itoa(int(calls.Load())))
			}
			if w := get(cache, "k", next); w.Body.String() != "v1" {
				t.Fatalf("first answer %q", w.Body.String())
			}
			w := get(cache, "k", next)
			if stale := w.Body.String() == "v1"; stale && c.stale {
				t.Errorf("the answer rendered across the change was served again")
			} else if !stale && !c.stale {
				t.Errorf("an answer the change does not concern was rendered again: %q", w.Body.String())
			}
			// Rendered after the change, the new answer is served.
			before := calls.Load()
			get(cache, "k", next)
			if calls.Load() != before {
				t.Errorf("the answer rendered after the change was not kept")
			}
		})
	}
}

// Concurrent misses of one answer run next once; each caller still gets
// its own encoding.
func TestConcurrentMissesShareOneRendering(t *testing.T) {
	c := httpcache.New(1<<20, time.Minute)
	const n = 8
	release := make(chan struct{})
	var calls atomic.Int32
	body := strings.Repeat("<li>Safran de Taliouine</li>", 50)
	next := func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		<-release
		_, _ = io.WriteString(w, body)
	}
	answers := make([]*httptest.ResponseRecorder, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			enc := ""
			if i%2 == 0 {
				enc = "gzip"
			}
			answers[i] = get(c, "saffron", next, "Accept-Encoding", enc)
		})
	}
	waitMisses(t, c, n)
	close(release)
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("next ran %d times for %d concurrent misses", calls.Load(), n)
	}
	for i, w := range answers {
		got := w.Body.String()
		if i%2 == 0 {
			got = gunzip(t, w.Body.Bytes())
		}
		if w.Code != http.StatusOK || got != body {
			t.Errorf("caller %d: %d, %d bytes", i, w.Code, len(got))
		}
	}
}

// waitMisses waits until n requests missed, then a little more for the
// last ones to join the rendering under way.
func waitMisses(t *testing.T, c *httpcache.Cache, n uint64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, m, _, _ := c.Stats(); m >= n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %s", stats(c))
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}

// Callers waiting on a rendering whose answer is not shareable run next
// themselves: nobody gets someone else's cookie or private page.
func TestWaitersNeverGetAnotherCallersAnswer(t *testing.T) {
	for _, c := range []struct {
		name   string
		header [2]string
		status int
	}{
		{"Set-Cookie", [2]string{"Set-Cookie", "souk_cart=%d"}, 200},
		{"private", [2]string{"Cache-Control", "private"}, 200},
		{"error", [2]string{}, 500},
	} {
		t.Run(c.name, func(t *testing.T) {
			cache := httpcache.New(1<<20, time.Minute)
			const n = 8
			release := make(chan struct{})
			var calls, direct atomic.Int32
			next := func(w http.ResponseWriter, r *http.Request) {
				k := calls.Add(1)
				if _, ok := w.(*httptest.ResponseRecorder); ok {
					direct.Add(1) // a waiter running next on its own writer
				} else {
					<-release // the leader, rendering into the cache's recorder
				}
				if c.header[0] != "" {
					w.Header().Set(c.header[0], strings.ReplaceAll(c.header[1], "%d", strconv.Itoa(int(k))))
				}
				w.WriteHeader(c.status)
				fmt.Fprintf(w, "cart %d", k)
			}
			answers := make([]*httptest.ResponseRecorder, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { answers[i] = get(cache, "cart", next) })
			}
			waitMisses(t, cache, n)
			close(release)
			wg.Wait()
			if calls.Load() != n || direct.Load() != n-1 {
				t.Errorf("next ran %d times, %d of them by waiters; want %d and %d", calls.Load(), direct.Load(), n, n-1)
			}
			seen := map[string]bool{}
			for i, w := range answers {
				b := w.Body.String()
				if seen[b] {
					t.Errorf("caller %d got %q, another caller's answer", i, b)
				}
				seen[b] = true
				if c.header[0] == "Set-Cookie" && "cart "+strings.TrimPrefix(w.Header().Get("Set-Cookie"), "souk_cart=") != b {
					t.Errorf("caller %d: cookie %q with body %q", i, w.Header().Get("Set-Cookie"), b)
				}
				if w.Code != c.status {
					t.Errorf("caller %d: status %d", i, w.Code)
				}
			}
			if _, _, entries, _ := cache.Stats(); entries != 0 {
				t.Errorf("stats: %s", stats(cache))
			}
		})
	}
}

// A request that arrives after a change must not be given an answer whose
// rendering began before it, even by joining that rendering: a visitor who
// just changed a price and opens the product's page sees the new price.
func TestWaiterAfterAChangeIsNotGivenTheOldAnswer(t *testing.T) {
	c := httpcache.New(1<<20, time.Minute)
	var price atomic.Int32
	price.Store(85)
	started, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	next := func(w http.ResponseWriter, r *http.Request) {
		httpcache.Shows(r.Context(), 1)
		httpcache.NotAListing(r.Context())
		p := price.Load() // the page reads the price, then takes its time
		if calls.Add(1) == 1 {
			close(started)
			<-release
		}
		fmt.Fprintf(w, "%d MAD", p)
	}
	first := make(chan string)
	go func() { first <- get(c, "oil", next).Body.String() }()
	<-started
	price.Store(95) // the vendor's edit commits
	c.Invalidate([]int64{1}, true, false)
	second := make(chan string)
	go func() { second <- get(c, "oil", next).Body.String() }()
	waitMisses(t, c, 2)
	close(release)
	if got := <-first; got != "85 MAD" {
		t.Errorf("first visitor: %q", got)
	}
	if got := <-second; got != "95 MAD" {
		t.Errorf("visitor arriving after the change got %q, want 95 MAD: it joined a rendering begun before the change", got)
	}
	if got := get(c, "oil", next).Body.String(); got != "95 MAD" {
		t.Errorf("next visitor: %q", got)
	}
}

func TestBudgetIsKept(t *testing.T) {
	const budget = 64 << 10
	c := httpcache.New(budget, time.Minute)
	var calls atomic.Int32
	bodies := map[string]string{}
	const n = 40
	for i := range n {
		b := make([]byte, 4<<10)
		_, _ = rand.Read(b) // does not compress: each answer costs its size
		key := "page-" + strconv.Itoa(i)
		bodies[key] = string(b)
		if w := get(c, key, counted(&calls, string(b))); w.Body.String() != string(b) {
			t.Fatalf("%s: wrong body", key)
		}
		if _, _, _, bytes := c.Stats(); bytes > budget {
			t.Fatalf("after %d answers: %s, budget %d", i+1, stats(c), budget)
		}
	}
	_, _, entries, bytes := c.Stats()
	t.Logf("%d answers of 4 KiB in a 64 KiB budget: %d kept, %d bytes", n, entries, bytes)
	if entries == 0 || entries >= n || bytes <= 0 {
		t.Errorf("stats: %s", stats(c))
	}
	// Whatever was kept is served right; what was dropped is rendered again.
	calls.Store(0)
	for key, body := range bodies {
		if w := get(c, key, counted(&calls, body)); w.Body.String() != body {
			t.Fatalf("%s: wrong body", key)
		}
	}
	if again := int(calls.Load()); again < n-entries {
		t.Errorf("%d of %d rendered again with %d kept", again, n, entries)
	}
	// One answer larger than the budget is served, not kept.
	big := strings.Repeat("y", 2*budget)
	if w := get(c, "big", counted(&calls, big)); w.Body.String() != big {
		t.Error("big answer: wrong body")
	}
	if _, _, _, bytes := c.Stats(); bytes > budget {
		t.Errorf("after an answer larger than the budget: %s", stats(c))
	}
}

func TestTTL(t *testing.T) {
	c := httpcache.New(1<<20, 40*time.Millisecond)
	var calls atomic.Int32
	next := counted(&calls, "souk")
	get(c, "k", next)
	get(c, "k", next)
	if calls.Load() != 1 {
		t.Fatalf("next ran %d times within the TTL", calls.Load())
	}
	time.Sleep(70 * time.Millisecond) // past one and a half times the TTL: due whatever the draw
	get(c, "k", next)
	if calls.Load() != 2 {
		t.Errorf("next ran %d times after the TTL, want 2", calls.Load())
	}
}

type ctxKey struct{}

// Fresh runs before every lookup, with the request's context: a change it
// reports is seen by that very request.
func TestFreshRunsBeforeEachLookup(t *testing.T) {
	c := httpcache.New(1<<20, time.Minute)
	var fresh, calls atomic.Int32
	var wrongCtx atomic.Bool
	c.Fresh = func(ctx context.Context) {
		if ctx.Value(ctxKey{}) != "visitor" {
			wrongCtx.Store(true)
		}
		if fresh.Add(1) == 3 {
			c.Invalidate([]int64{1}, false, false) // this node committed an edit of product 1
		}
	}
	next := func(w http.ResponseWriter, r *http.Request) {
		httpcache.Shows(r.Context(), 1)
		httpcache.NotAListing(r.Context())
		_, _ = fmt.Fprintf(w, "render %d", calls.Add(1))
	}
	var bodies []string
	for range 4 {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "visitor"))
		w := httptest.NewRecorder()
		c.Serve(w, r, "k", next)
		bodies = append(bodies, w.Body.String())
	}
	if want := []string{"render 1", "render 1", "render 2", "render 2"}; !slices.Equal(bodies, want) {
		t.Errorf("answers %q, want %q", bodies, want)
	}
	if fresh.Load() != 4 || wrongCtx.Load() {
		t.Errorf("Fresh ran %d times for 4 requests (wrong context: %t)", fresh.Load(), wrongCtx.Load())
	}
	if hits, misses, _, _ := c.Stats(); hits != 2 || misses != 2 {
		t.Errorf("stats: %s", stats(c))
	}
}

// Shows and NotAListing outside Serve do nothing (and do not panic).
func TestDependenciesOutsideServe(t *testing.T) {
	httpcache.Shows(context.Background(), 1, 2)
	httpcache.NotAListing(context.Background())
}

// Many requests, renderings and changes at once (run with -race): every
// caller gets its own key's answer.
func TestConcurrentUse(t *testing.T) {
	c := httpcache.New(32<<10, time.Minute)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := int64(0); !stop.Load(); i++ {
			c.Invalidate([]int64{i % 10}, i%7 == 0, i%50 == 0)
			time.Sleep(time.Millisecond)
		}
	})
	var served atomic.Int32
	var readers sync.WaitGroup
	for g := range 6 {
		readers.Go(func() {
			for i := range 100 {
				k := (g + i) % 20
				key := "k" + strconv.Itoa(k)
				next := func(w http.ResponseWriter, r *http.Request) {
					httpcache.Shows(r.Context(), int64(k%10))
					if k%2 == 0 {
						httpcache.NotAListing(r.Context())
					}
					_, _ = io.WriteString(w, strings.Repeat(key, 100))
				}
				enc := ""
				if i%3 == 0 {
					enc = "gzip"
				}
				w := get(c, key, next, "Accept-Encoding", enc)
				got := w.Body.String()
				if w.Header().Get("Content-Encoding") == "gzip" { // a request that met changes twice is rendered for itself, plain
					got = gunzip(t, w.Body.Bytes())
				}
				if got != strings.Repeat(key, 100) {
					t.Errorf("%s answered %.20q…", key, got)
					return
				}
				served.Add(1)
			}
		})
	}
	readers.Wait()
	stop.Store(true)
	wg.Wait()
	if _, _, _, bytes := c.Stats(); bytes > 32<<10 || served.Load() != 600 {
		t.Errorf("%d served; %s", served.Load(), stats(c))
	}
	t.Logf("after 600 requests with changes under way: %s", stats(c))
}

// TestGateOnlyForRendering: a node that is full still gives the answers it
// holds; an answer it would have to render gets Busy, and nothing is kept.
func TestGateOnlyForRendering(t *testing.T) {
	c := httpcache.New(1<<20, time.Minute)
	full := false
	asked := 0
	c.Gate = func(context.Context, bool) (func(), bool) {
		asked++
		if full {
			return nil, false
		}
		return func() {}, true
	}
	c.Busy = func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }
	page := func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "page") }
	if w := get(c, "held", page); w.Code != 200 || asked != 1 {
		t.Fatalf("first rendering: %d, gate asked %d times", w.Code, asked)
	}
	full = true
	if w := get(c, "held", page); w.Code != 200 || w.Body.String() != "page" || asked != 1 {
		t.Fatalf("a held answer while full: %d %q, gate asked %d times", w.Code, w.Body.String(), asked)
	}
	if w := get(c, "other", page); w.Code != http.StatusServiceUnavailable || asked != 2 {
		t.Fatalf("an answer to render while full: %d, gate asked %d times", w.Code, asked)
	}
	full = false
	if w := get(c, "other", page); w.Code != 200 || w.Body.String() != "page" {
		t.Fatalf("after the node freed: %d %q", w.Code, w.Body.String())
	}
}

// blocking is a handler writing *body whose renderings after the first wait
// for release; rendering says how many began.
func blocking(body *atomic.Value, release chan struct{}) (next http.HandlerFunc, rendering *atomic.Int32) {
	rendering = &atomic.Int32{}
	return func(w http.ResponseWriter, r *http.Request) {
		httpcache.Shows(r.Context(), 7)
		httpcache.NotAListing(r.Context())
		if rendering.Add(1) > 1 {
			<-release
		}
		_, _ = io.WriteString(w, body.Load().(string))
	}, rendering
}

// whileRendering starts a request for key that renders it again, and once
// that rendering is under way asks once more, without waiting longer than
// a second: it returns what the second request got ("" if it waited) and,
// after release, what the first got.
func whileRendering(t *testing.T, c *httpcache.Cache, key string, next http.HandlerFunc, rendering *atomic.Int32, release chan struct{}) (during, renderer string) {
	t.Helper()
	first := make(chan string, 1)
	go func() { first <- get(c, key, next).Body.String() }()
	deadline := time.Now().Add(5 * time.Second)
	for rendering.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the answer was not rendered again")
		}
		time.Sleep(time.Millisecond)
	}
	second := make(chan string, 1)
	go func() { second <- gunzip(t, get(c, key, next, "Accept-Encoding", "gzip").Body.Bytes()) }()
	select {
	case during = <-second:
	case <-time.After(time.Second):
	}
	close(release)
	renderer = <-first
	if during == "" {
		during = <-second
		if during == renderer {
			during = "" // it waited for the new rendering
		}
	}
	return during, renderer
}

// TestDueAnswerServedWhileRenderedAgain: past its time to live an answer
// nothing changed is rendered again by one request while the others still
// get it at once.
func TestDueAnswerServedWhileRenderedAgain(t *testing.T) {
	const ttl = 50 * time.Millisecond
	c := httpcache.New(1<<20, ttl)
	var body atomic.Value
	body.Store("v1")
	release := make(chan struct{})
	next, rendering := blocking(&body, release)
	get(c, "rug", next)
	time.Sleep(ttl*3/2 + 10*time.Millisecond) // due whatever the draw
	body.Store("v2")
	during, renderer := whileRendering(t, c, "rug", next, rendering, release)
	if during != "v1" || renderer != "v2" {
		t.Errorf("while rendering again another request got %q (want the held v1 at once); the one rendering got %q", during, renderer)
	}
	if got := get(c, "rug", next).Body.String(); got != "v2" || rendering.Load() != 2 {
		t.Errorf("after rendering again: %q, rendered %d times; want v2 and 2", got, rendering.Load())
	}
}

// TestAnswerHeldAtMostTwiceTheTTL: past twice its time to live an answer is
// not served while it is rendered again: requests wait for the new one.
func TestAnswerHeldAtMostTwiceTheTTL(t *testing.T) {
	const ttl = 30 * time.Millisecond
	c := httpcache.New(1<<20, ttl)
	var body atomic.Value
	body.Store("v1")
	release := make(chan struct{})
	next, rendering := blocking(&body, release)
	get(c, "rug", next)
	time.Sleep(ttl*5/2 + 10*time.Millisecond) // past the answer's due time (at most 1.5 TTL) and one TTL more
	body.Store("v2")
	if during, renderer := whileRendering(t, c, "rug", next, rendering, release); during != "" || renderer != "v2" {
		t.Errorf("past twice the time to live another request got %q at once (want it to wait for v2); the one rendering got %q", during, renderer)
	}
}

// TestChangedAnswerNeverServedWhileRenderedAgain: an answer dropped by a
// change is not an answer held: every request waits for the new one.
func TestChangedAnswerNeverServedWhileRenderedAgain(t *testing.T) {
	const ttl = 50 * time.Millisecond
	c := httpcache.New(1<<20, ttl)
	var body atomic.Value
	body.Store("85 MAD")
	release := make(chan struct{})
	next, rendering := blocking(&body, release)
	get(c, "oil", next)
	time.Sleep(ttl*3/2 + 10*time.Millisecond) // due, and then changed
	body.Store("95 MAD")
	c.Invalidate([]int64{7}, false, false)
	if during, renderer := whileRendering(t, c, "oil", next, rendering, release); during != "" || renderer != "95 MAD" {
		t.Errorf("after a change another request got %q at once (want it to wait for 95 MAD); the one rendering got %q", during, renderer)
	}
}

// TestDueAnswerWhenFull: a node with no place to render a due answer again
// serves the one it holds instead of refusing, and renders it later.
func TestDueAnswerWhenFull(t *testing.T) {
	const ttl = 30 * time.Millisecond
	c := httpcache.New(1<<20, ttl)
	full := false
	var waits []bool
	c.Gate = func(_ context.Context, wait bool) (func(), bool) {
		waits = append(waits, wait)
		return func() {}, !full
	}
	c.Busy = func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }
	version := "v1"
	next := func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, version) }
	get(c, "tea", next)
	time.Sleep(ttl*3/2 + 5*time.Millisecond)
	full, version = true, "v2"
	for i := range 2 {
		if w := get(c, "tea", next); w.Code != http.StatusOK || w.Body.String() != "v1" {
			t.Errorf("full, request %d: %d %q, want the held v1", i, w.Code, w.Body.String())
		}
	}
	// A first rendering may wait for a place; renewing one held never does.
	if !slices.Equal(waits, []bool{true, false, false}) {
		t.Errorf("the gate was asked with wait %v, want [true false false]", waits)
	}
	full = false
	if got := get(c, "tea", next).Body.String(); got != "v2" {
		t.Errorf("once a place is free: %q, want it rendered again", got)
	}
}

// TestDueAnswerNoLongerShareable: when the new rendering may not be
// shared, the old answer goes too.
func TestDueAnswerNoLongerShareable(t *testing.T) {
	const ttl = 30 * time.Millisecond
	c := httpcache.New(1<<20, ttl)
	status := http.StatusOK
	next := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, http.StatusText(status))
	}
	get(c, "gone", next)
	time.Sleep(ttl*3/2 + 5*time.Millisecond)
	status = http.StatusNotFound
	if w := get(c, "gone", next); w.Code != http.StatusNotFound {
		t.Errorf("rendering again: %d", w.Code)
	}
	if w := get(c, "gone", next); w.Code != http.StatusNotFound {
		t.Errorf("after a rendering that may not be kept: %d %q, want the new 404, not the old page", w.Code, w.Body.String())
	}
	if _, _, entries, _ := c.Stats(); entries != 0 {
		t.Errorf("stats: %s", stats(c))
	}
}
