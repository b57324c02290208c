package loadtest

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// fastTransport carries vegeta's requests on fasthttp's client. Go's own
// client costs about as much CPU per request as souk does to answer it (a
// reader and a writer goroutine per connection, a channel hand-over each
// way, a body read into a growing buffer): on a machine whose two cores
// are shared by the generator and the server, that halves what souk can
// be shown to do. fasthttp writes and reads on the caller's goroutine with
// pooled buffers. vegeta still paces, times and counts every request.
//
// Only the answers a flow reads (a fragment ending in readMark) keep their
// body and headers; the others are read in full and dropped, so the cost of
// each page to the generator is what a browser's socket costs, not a copy.
type fastTransport struct {
	client  *fasthttp.Client
	timeout time.Duration
}

// readMark ends the URL fragment of a request whose answer is read.
const readMark = "/read"

func newFastTransport(conns int, timeout time.Duration) *fastTransport {
	return &fastTransport{timeout: timeout, client: &fasthttp.Client{
		MaxConnsPerHost:    conns,
		MaxConnWaitTimeout: timeout, // wait for a connection rather than fail
		// Like a proxy's keep-alive pool in front of souk: the connection
		// used last is used next, so those a burst opened fall idle and
		// close ten seconds later instead of all being kept warm in turn
		// (fasthttp's default, first in first out, kept every connection
		// the launch's cold first seconds opened, 2,000, for the whole run).
		ConnPoolStrategy:    fasthttp.LIFO,
		MaxIdleConnDuration: 10 * time.Second,
		// A failed request is an error to count, never retried out of sight.
		MaxIdemponentCallAttempts: 1,
		NoDefaultUserAgentHeader:  true,
		// Paths and queries (Arabic searches) go out exactly as written.
		DisablePathNormalizing:        true,
		DisableHeaderNamesNormalizing: true,
		ReadBufferSize:                16 << 10, // a page's headers fit
	}}
}

// RoundTrip sends r and returns its answer. Errors are fasthttp's
// ("timeout", "the server closed connection before returning the first
// response byte"…), which the reports count by message.
func (t *fastTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(r.URL.Scheme + "://" + r.URL.Host + r.URL.RequestURI()) // the fragment stays here
	req.Header.SetMethod(r.Method)
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if r.Body != nil {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		req.SetBodyRaw(body)
	}
	if err := t.client.DoTimeout(req, resp, t.timeout); err != nil {
		return nil, err
	}
	code := resp.StatusCode()
	out := &http.Response{StatusCode: code, Status: statusLine(code), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: http.NoBody, Request: r}
	if strings.HasSuffix(r.URL.Fragment, readMark) {
		for k, v := range resp.Header.All() {
			out.Header.Add(string(k), string(v))
		}
		out.Body = io.NopCloser(bytes.NewReader(bytes.Clone(resp.Body())))
		out.ContentLength = int64(len(resp.Body()))
	}
	return out, nil
}

// closeIdle closes the connections no request is using: an attack's
// visitors leaving.
func (t *fastTransport) closeIdle() { t.client.CloseIdleConnections() }

// statusLine is Go's "200 OK" for a status code.
func statusLine(code int) string {
	if code == http.StatusOK {
		return "200 OK"
	}
	return strconv.Itoa(code) + " " + http.StatusText(code)
}
