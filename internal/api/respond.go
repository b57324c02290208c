package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
)

// maxBody bounds a request body; a product with 100 variants and long texts
// in five languages fits comfortably.
const maxBody = 1 << 20

// maxPage keeps OFFSET arithmetic far from overflow; nobody pages past it.
const maxPage = 100_000

// serve adapts a handlerFunc: it recovers from panics (a bug must cost one
// request, not the server) and writes any returned error as JSON.
func (s *Server) serve(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.Log.Error("panic in API handler", "path", r.URL.Path, "panic", p)
				s.writeError(w, r, fmt.Errorf("panic: %v", p))
			}
		}()
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

var statusOf = map[errs.Code]int{
	errs.Invalid:          http.StatusUnprocessableEntity,
	errs.NotFound:         http.StatusNotFound,
	errs.Conflict:         http.StatusConflict,
	errs.Unauthorized:     http.StatusUnauthorized,
	errs.Forbidden:        http.StatusForbidden,
	errs.TooMany:          http.StatusTooManyRequests,
	errs.TooLarge:         http.StatusRequestEntityTooLarge,
	errs.MethodNotAllowed: http.StatusMethodNotAllowed,
	errs.Internal:         http.StatusInternalServerError,
}

// Body problems that are about the request's shape rather than its fields
// answer 400, the rest of errs.Invalid 422.
const badRequestMessage = "error.malformed_json"

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    errs.Code         `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// locale is the language of the caller: ?locale=, else Accept-Language,
// else English (API callers are programs more often than people).
func locale(r *http.Request) string {
	if l := r.URL.Query().Get("locale"); i18n.Valid(l) {
		return l
	}
	return i18n.Negotiate(r.Header.Get("Accept-Language"), "en")
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *errs.Error
	if !errors.As(err, &e) {
		s.Log.Error("API request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		e = errs.E(errs.Internal, "error.internal")
	} else if e.Code == errs.Internal || e.Err != nil {
		s.Log.Warn("API request refused", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	loc := locale(r)
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if e.Message == badRequestMessage || e.Message == "error.invalid_utf8" || e.Message == "error.unsupported_media_type" {
		status = http.StatusBadRequest
		if e.Message == "error.unsupported_media_type" {
			status = http.StatusUnsupportedMediaType
		}
	}
	args := map[string]any{}
	for k, v := range e.Args {
		if m, ok := v.(money.Money); ok {
			v = i18n.FormatMoney(loc, m) // "50,00 DH", "٥٠٫٠٠ د.م."
		}
		args[k] = v
	}
	detail := errorDetail{Code: e.Code}
	if len(e.Fields) > 0 {
		detail.Fields = make(map[string]string, len(e.Fields))
		names := make([]string, 0, len(e.Fields))
		for field, key := range e.Fields {
			detail.Fields[field] = i18n.T(loc, key, args)
			names = append(names, field)
		}
		sort.Strings(names)
		args["fields"] = strings.Join(names, ", ")
	}
	message := e.Message
	if what, ok := e.Args["what"].(string); ok && message == "error.not_found" {
		// "This product…", "Cette catégorie…": each thing has its own
		// sentence, so the noun is never left in English.
		if k := "error.not_found_" + what; i18n.T(loc, k, nil) != k {
			message = k
		}
	}
	detail.Message = i18n.T(loc, message, args)
	if e.Code == errs.TooMany {
		w.Header().Set("Retry-After", "60")
	}
	writeJSON(w, status, errorBody{Error: detail})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// decode reads a JSON request body into v strictly: the right media type,
// at most maxBody bytes, valid UTF-8, one value, no unknown fields, right
// types. Each problem becomes an errs.Error naming the field.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return errs.E(errs.Invalid, "error.unsupported_media_type")
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return errs.Wrap(errs.Invalid, badRequestMessage, err)
	}
	if len(body) > maxBody {
		return &errs.Error{Code: errs.TooLarge, Message: "error.too_large", Args: map[string]any{"limit": "1 MiB"}}
	}
	return decodeBytes(body, v)
}

// decodeBytes is decode without the HTTP parts, so it can be fuzzed.
func decodeBytes(body []byte, v any) error {
	if !utf8.Valid(body) {
		return errs.E(errs.Invalid, "error.invalid_utf8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, body)
	}
	if _, err := dec.Token(); err != io.EOF {
		return &errs.Error{Code: errs.Invalid, Message: badRequestMessage, Args: map[string]any{"offset": dec.InputOffset()}}
	}
	if key := misspelledKey(body, reflect.TypeOf(v)); key != "" {
		return &errs.Error{Code: errs.Invalid, Message: "error.invalid", Fields: map[string]string{key: "field.unknown"}}
	}
	return nil
}

// jsonError turns encoding/json's errors into field errors named by their
// JSON path with array indexes ("variants[1].price.amount"), found by
// reading body up to the faulty value (the type error's
// own offset, or the first key of that name for an unknown field). The
// unknown-field error has no type of its own in encoding/json, so its text
// is read.
func jsonError(err error, body []byte) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return &errs.Error{Code: errs.Invalid, Message: badRequestMessage, Args: map[string]any{"offset": syntax.Offset}, Err: err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &errs.Error{Code: errs.Invalid, Message: badRequestMessage, Args: map[string]any{"offset": "end"}, Err: err}
	case errors.As(err, &typ):
		field := walkJSON(body, func(_ string, _ string, end int64) bool { return end >= typ.Offset })
		if field == "" {
			field = jsonPath(typ.Field)
		}
		key := "field.type"
		if typ.Type != nil && strings.Contains(typ.Type.Kind().String(), "int") && strings.HasPrefix(typ.Value, "number") {
			key = "field.integer"
		}
		return &errs.Error{Code: errs.Invalid, Message: "error.invalid", Fields: map[string]string{field: key}, Err: err}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		field := walkJSON(body, func(path string, key string, _ int64) bool { return key == name })
		switch {
		case name == "":
			field = "body"
		case field == "":
			field = name
		}
		return &errs.Error{Code: errs.Invalid, Message: "error.invalid", Fields: map[string]string{field: "field.unknown"}, Err: err}
	}
	return &errs.Error{Code: errs.Invalid, Message: badRequestMessage, Args: map[string]any{"offset": "?"}, Err: err}
}

// walkJSON reads body token by token, keeping the path of where it is
// (object keys, and the index of each array element), and returns the
// path at the first key or value for which stop is true — stop gets that
// path, the key just read ("" for a value) and the offset where the token
// ends — or "" when none is.
func walkJSON(body []byte, stop func(path, key string, end int64) bool) string {
	type level struct {
		key     string
		index   int  // next element's index, in an array
		isArray bool //
		hasKey  bool // in an object, a key was read and its value not yet
	}
	var stack []level
	path := func() string {
		var b strings.Builder
		for _, l := range stack {
			switch {
			case l.isArray && l.index > 0:
				fmt.Fprintf(&b, "[%d]", l.index-1)
			case !l.isArray && l.hasKey:
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(l.key)
			}
		}
		return b.String()
	}
	value := func() { // a value starts in the innermost container
		if n := len(stack); n > 0 && stack[n-1].isArray {
			stack[n-1].index++
		}
	}
	done := func() { // a value ended
		if n := len(stack); n > 0 && !stack[n-1].isArray {
			stack[n-1].hasKey = false
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		n := len(stack)
		if n > 0 && !stack[n-1].isArray && !stack[n-1].hasKey && tok != json.Delim('}') {
			key := fmt.Sprint(tok)
			stack[n-1].key, stack[n-1].hasKey = key, true
			if p := path(); stop(p, key, dec.InputOffset()) {
				return p
			}
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			value()
			if p := path(); stop(p, "", dec.InputOffset()) {
				return p
			}
			stack = append(stack, level{isArray: tok == json.Delim('[')})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:n-1]
			done()
		default:
			value()
			if p := path(); stop(p, "", dec.InputOffset()) {
				return p
			}
			done()
		}
	}
}

// jsonPath drops the Go names of embedded structs ("Input.variants.price")
// from encoding/json's field path: callers know only the JSON names, which
// are all lower-case.
func jsonPath(field string) string {
	var parts []string
	for _, p := range strings.Split(field, ".") {
		if p != "" && !(p[0] >= 'A' && p[0] <= 'Z') {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "body"
	}
	return strings.Join(parts, ".")
}

func notFound(what string) error { return errs.NotFoundE(what) }

// queryInt reads an optional integer query parameter between 1 and max.
func queryInt(r *http.Request, name string, def, max int, f errs.Fields) int {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil || n < 1:
		f.Add(name, "field.integer")
		return def
	case n > max:
		f.Add(name, "field.too_large")
		return def
	}
	return n
}
