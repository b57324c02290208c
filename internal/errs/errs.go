// Package errs is souk's one error type: a small set of codes that the HTTP
// layers map to statuses, a message key a user may see (translated by the
// i18n package), per-field problems, and the internal cause, which is logged
// and never shown.
package errs

import (
	"errors"
	"fmt"
	"sort"
)

// Code classifies an error for callers and for the HTTP status it becomes.
type Code string

// The codes. Every domain error carries one of them.
const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Unauthorized Code = "unauthorized"
	Forbidden    Code = "forbidden"
	TooMany      Code = "too_many_requests"
	TooLarge     Code = "too_large"
	// MethodNotAllowed: the address exists, not with that method.
	MethodNotAllowed Code = "method_not_allowed"
	Internal         Code = "internal"
)

// Error is a domain error. Message and Fields hold message keys (see
// internal/i18n/messages) so that each surface shows them in its user's
// language; Args fill the key's placeholders.
type Error struct {
	Code    Code
	Message string            // message key, e.g. "error.invalid"
	Args    map[string]any    // template data for Message
	Fields  map[string]string // field path -> message key, e.g. "variants[0].price" -> "field.negative"
	Err     error             // internal cause, logged only
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s += fmt.Sprintf(" [%s: %s]", k, e.Fields[k])
		}
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error with a code and a message key.
func E(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Wrap keeps cause for the log while showing the user only code and message.
func Wrap(code Code, message string, cause error) *Error {
	return &Error{Code: code, Message: message, Err: cause}
}

// NotFoundE is the usual "no such thing" error; what is the message key's subject.
func NotFoundE(what string) *Error {
	return &Error{Code: NotFound, Message: "error.not_found", Args: map[string]any{"what": what}}
}

// CodeOf returns the code of err, Internal for errors that are not *Error,
// and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// Fields collects field problems while validating an input; it is nil-safe to
// read and becomes an Invalid *Error when any were added.
type Fields map[string]string

// Add records the first problem found for field.
func (f Fields) Add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

// Err returns nil when nothing was added, else an Invalid error listing the fields.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "error.invalid", Fields: map[string]string(f)}
}
