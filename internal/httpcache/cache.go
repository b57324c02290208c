// Package httpcache keeps whole public answers — storefront pages and API
// answers for callers who are not signed in — in memory, compressed once,
// and drops each one as soon as what it shows changes: the caller says what
// changed (Invalidate: on souk's nodes, the catalog's change feed), and each
// answer says, while it is made, which products it shows (Shows) and
// whether it is a listing (NotAListing). Concurrent misses of one answer
// share one rendering. Answers are kept gzipped only (browsers take gzip;
// the rare client that does not gets it decompressed on the way out), so a
// budget holds four to five times more pages. An answer past its time to
// live that nothing changed is still served while one request renders it
// again, so popular pages never expire all at once under load.
package httpcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/sync/singleflight"
)

// maxBody is the largest answer kept; bigger ones are served, not kept.
const maxBody = 1 << 20

// maxTracked is how many changed products the cache remembers one by one
// before it treats the next change as a change of everything.
const maxTracked = 100_000

// Cache is a cache of whole answers. The zero value is not usable: call New.
type Cache struct {
	maxBytes int64
	ttl      time.Duration
	group    singleflight.Group

	// Fresh, when set, is called before every lookup: souk's catalog reads
	// its change feed there when this process wrote since its last read,
	// so a visitor sees their own change at once.
	Fresh func(context.Context)

	// Gate, when set, is asked for a place before rendering an answer;
	// without one the request gets Busy. Answers held are given without,
	// and renewing a due answer does not wait for a place (wait false):
	// when none is free the answer held is served at once.
	Gate func(ctx context.Context, wait bool) (release func(), ok bool)
	Busy http.HandlerFunc

	hits, misses atomic.Uint64

	mu         sync.RWMutex
	entries    map[string]*entry
	bytes      int64
	seq        uint64           // counts Invalidate calls
	allSeq     uint64           // the last change of everything
	listingSeq uint64           // the last change of listings
	productSeq map[int64]uint64 // the last change of each product since allSeq
}

// New makes a cache of at most maxBytes of answers, each rendered again
// after ttl to one and a half ttl (a backstop: what changes is dropped at
// once); for one more ttl the old answer serves the other requests
// meanwhile.
func New(maxBytes int64, ttl time.Duration) *Cache {
	return &Cache{maxBytes: maxBytes, ttl: ttl, entries: map[string]*entry{}, productSeq: map[int64]uint64{}}
}

type entry struct {
	header   http.Header
	gz       []byte // the body, gzipped
	plainLen int
	etag     string
	seq      uint64 // Cache.seq when its rendering began
	products []int64
	listing  bool
	expires  time.Time // then one request renders it again; the others still get it, until ttl later
	size     int64

	refreshing atomic.Bool // a request took it on itself to render it again
}

// deps is what an answer being rendered shows.
type deps struct {
	mu         sync.Mutex
	products   []int64
	notListing bool
}

type depsKey struct{}

// Shows records that the answer being rendered for ctx shows these products:
// it is dropped when any of them changes (its stock included).
func Shows(ctx context.Context, ids ...int64) {
	if d, ok := ctx.Value(depsKey{}).(*deps); ok {
		d.mu.Lock()
		d.products = append(d.products, ids...)
		d.mu.Unlock()
	}
}

// NotAListing records that the answer being rendered for ctx depends only on
// the products it Shows (and vendors, categories), not on which products a
// listing holds: a product's page. Answers are listings unless they say so,
// and listings are dropped whenever any product's price, availability,
// texts or status changes.
func NotAListing(ctx context.Context) {
	if d, ok := ctx.Value(depsKey{}).(*deps); ok {
		d.mu.Lock()
		d.notListing = true
		d.mu.Unlock()
	}
}

// Invalidate drops the answers that show any of products, every listing
// when listings is true, and everything when all is true.
func (c *Cache) Invalidate(products []int64, listings, all bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	if all || len(c.productSeq)+len(products) > maxTracked {
		c.allSeq, c.listingSeq = c.seq, c.seq
		clear(c.entries)
		clear(c.productSeq)
		c.bytes = 0
		return
	}
	if listings {
		c.listingSeq = c.seq
		for k, e := range c.entries {
			if e.listing {
				c.drop(k, e)
			}
		}
	}
	for _, p := range products {
		c.productSeq[p] = c.seq
	}
}

func (c *Cache) drop(key string, e *entry) {
	delete(c.entries, key)
	c.bytes -= e.size
}

// forget drops e if it is still key's answer.
func (c *Cache) forget(key string, e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[key] == e {
		c.drop(key, e)
	}
}

// Stats are the cache's counters: answers served from it, answers
// rendered, answers kept and their bytes.
func (c *Cache) Stats() (hits, misses uint64, entries int, bytes int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.hits.Load(), c.misses.Load(), len(c.entries), c.bytes
}

// get returns key's answer if it is still true, and whether it is due to
// be rendered again.
func (c *Cache) get(key string, now time.Time) (e *entry, due bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e = c.entries[key]
	if e == nil || now.After(e.expires.Add(c.ttl)) || !c.freshLocked(e) {
		return nil, false
	}
	return e, now.After(e.expires)
}

// fresh reports whether no change since e's rendering began concerns it: a
// request that joined a rendering begun before a change must not take it.
func (c *Cache) fresh(e *entry) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.freshLocked(e)
}

func (c *Cache) freshLocked(e *entry) bool {
	if e.seq < c.allSeq || (e.listing && e.seq < c.listingSeq) {
		return false
	}
	for _, p := range e.products {
		if c.productSeq[p] > e.seq {
			return false
		}
	}
	return true
}

func (c *Cache) put(key string, e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[key]; old != nil {
		c.drop(key, old)
	}
	c.entries[key] = e
	c.bytes += e.size
	if c.bytes > c.maxBytes {
		for k, x := range c.entries { // map order is random: random eviction
			if c.bytes <= c.maxBytes*9/10 {
				break
			}
			c.drop(k, x)
		}
	}
}

// Serve answers r from the cache under key or, failing that, with next;
// next's answer is kept when anyone may be given it: a 200 that sets no
// cookie and is not marked private or no-store. The caller decides that r
// may share answers at all (not signed in) and what key tells answers apart.
func (c *Cache) Serve(w http.ResponseWriter, r *http.Request, key string, next http.HandlerFunc) {
	if c.Fresh != nil {
		c.Fresh(r.Context())
	}
	old, due := c.get(key, time.Now())
	if old != nil && (!due || !old.refreshing.CompareAndSwap(false, true)) {
		c.hits.Add(1)
		old.write(w, r)
		return
	}
	c.misses.Add(1)
	for try := 0; ; try++ {
		leader := false
		v, _, _ := c.group.Do(key, func() (any, error) {
			leader = true
			if c.Gate != nil {
				release, ok := c.Gate(r.Context(), old == nil)
				if !ok {
					return &result{busy: true}, nil
				}
				defer release()
			}
			c.mu.RLock()
			seq := c.seq
			c.mu.RUnlock()
			d := &deps{}
			rec := &recorder{header: http.Header{}}
			next(rec, r.WithContext(context.WithValue(r.Context(), depsKey{}, d)))
			e := rec.entry()
			if e != nil {
				e.seq, e.products, e.listing, e.expires = seq, d.products, !d.notListing, time.Now().Add(c.lifetime())
				c.put(key, e)
			} else if old != nil {
				c.forget(key, old) // no longer an answer to share
			}
			return &result{rec: rec, e: e}, nil
		})
		res := v.(*result)
		switch {
		case res.busy && old != nil: // no place to render it again: the answer held will do
			old.refreshing.Store(false)
			old.write(w, r)
		case res.busy:
			c.Busy(w, r)
		case res.e != nil && (leader || c.fresh(res.e)):
			res.e.write(w, r)
		case leader:
			res.rec.replay(w)
		case res.e != nil && try == 0: // joined a rendering begun before a change: render again
			continue
		default: // someone else's answer that is theirs alone: make ours
			next(w, r)
		}
		return
	}
}

// lifetime is how long a new answer is held before it is renewed: the
// time to live and up to half of it more, drawn at random, so that pages
// rendered together (a node's first minutes) are not all due together.
func (c *Cache) lifetime() time.Duration {
	return c.ttl + rand.N(c.ttl/2+1)
}

type result struct {
	rec  *recorder
	e    *entry
	busy bool // no place to render it
}

// recorder keeps an answer while it is rendered.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func (r *recorder) replay(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body.Bytes())
}

// entry is the answer to keep, or nil when it may not be shared.
func (r *recorder) entry() *entry {
	cc := strings.ToLower(r.header.Get("Cache-Control"))
	if r.status != http.StatusOK && r.status != 0 || len(r.header.Values("Set-Cookie")) > 0 || r.body.Len() > maxBody ||
		strings.Contains(cc, "private") || strings.Contains(cc, "no-store") || r.header.Get("Content-Encoding") != "" {
		return nil
	}
	body := r.body.Bytes()
	var gz bytes.Buffer
	zw, _ := writers.Get().(*gzip.Writer)
	if zw == nil { // a megabyte of state each: kept for the next answer
		zw, _ = gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
	} else {
		zw.Reset(&gz)
	}
	_, _ = zw.Write(body)
	_ = zw.Close()
	writers.Put(zw)
	sum := sha256.Sum256(body)
	h := r.header.Clone()
	h.Del("Content-Length")
	e := &entry{header: h, gz: bytes.Clone(gz.Bytes()), plainLen: len(body), etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
	e.size = int64(len(e.gz) + 512)
	return e
}

// write sends the kept answer: 304 when the browser has it, compressed when
// the client takes gzip.
func (e *entry) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range e.header {
		if k == "Vary" {
			h[k] = append(h[k], v...)
		} else {
			h[k] = v
		}
	}
	h.Set("ETag", e.etag)
	if !slices.Contains(h.Values("Vary"), "Accept-Encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, e.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(e.gz)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(e.gz)
		}
		return
	}
	h.Set("Content-Length", strconv.Itoa(e.plainLen))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		e.gunzip(w)
	}
}

var (
	writers sync.Pool // of *gzip.Writer
	readers sync.Pool // of *gzip.Reader
)

// gunzip writes the plain body to w.
func (e *entry) gunzip(w io.Writer) {
	src := bytes.NewReader(e.gz)
	zr, _ := readers.Get().(*gzip.Reader)
	if zr == nil {
		var err error
		if zr, err = gzip.NewReader(src); err != nil {
			return // cannot happen: the cache wrote it
		}
	} else if err := zr.Reset(src); err != nil {
		return
	}
	_, _ = io.Copy(w, zr)
	readers.Put(zr)
}

// acceptsGzip reads an Accept-Encoding header: gzip not refused with q=0,
// or, when gzip is not named, * not refused.
func acceptsGzip(header string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		switch strings.TrimSpace(name) {
		case "gzip":
			return !refused(params)
		case "*":
			star = !refused(params)
		}
	}
	return star
}

// refused says whether an encoding's parameters give it q=0.
func refused(params string) bool {
	q := strings.ReplaceAll(params, " ", "")
	return strings.HasPrefix(q, "q=0") && strings.Trim(strings.TrimPrefix(q, "q="), "0.") == ""
}
