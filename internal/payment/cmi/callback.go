package cmi

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Bodies the callback handler must answer with (spec §3). CMI acts on them,
// so they are written exactly, without a trailing newline.
const (
	// AnswerCapture accepts an approved payment and captures the
	// pre-authorisation at once.
	AnswerCapture = "ACTION=POSTAUTH"
	// AnswerAcknowledge acknowledges a declined attempt, or an approved one
	// that is to be captured or voided by hand in the Merchant Center.
	AnswerAcknowledge = "APPROVED"
	// AnswerFailure reports a technical problem (bad hash, unknown order,
	// amount mismatch); CMI then leaves the transaction to manual handling.
	AnswerFailure = "FAILURE"
)

// Errors from ParseCallback; all of them call for AnswerFailure.
var (
	ErrBadHash   = errors.New("cmi: callback HASH missing or invalid")
	ErrNoOrderID = errors.New("cmi: callback has no oid")
	ErrBadAmount = errors.New("cmi: callback amount malformed")
)

// Callback is the server-to-server notification CMI posts for every attempt,
// declined ones included. Only Approved decides the outcome; the other
// strings are kept for logs and support.
type Callback struct {
	OrderID        string
	Amount         int64 // centimes of MAD
	Approved       bool  // ProcReturnCode == "00"
	ProcReturnCode string
	Response       string // Approved, Declined or Error
	TransID        string
	AuthCode       string
	ErrMsg         string
}

// ParseCallback verifies the HASH of a callback (or okUrl/failUrl) post and
// extracts what the merchant needs. It checks the signature first, so no
// field of a forged post is ever trusted, and returns values as they were
// hashed (entities decoded). The caller must still look the order up and
// compare Amount with its stored amount before answering AnswerCapture.
func ParseCallback(fields url.Values, storeKey string) (Callback, error) {
	if !Verify(fields, storeKey) {
		return Callback{}, ErrBadHash
	}
	// Read values as the hash saw them (final newline stripped, entities
	// decoded): that is what CMI signed.
	get := func(name string) string { return callbackValue(lookup(fields, name)) }
	cb := Callback{
		OrderID:        get("oid"),
		ProcReturnCode: get("ProcReturnCode"),
		Response:       get("Response"),
		TransID:        get("TransId"),
		AuthCode:       get("AuthCode"),
		ErrMsg:         get("ErrMsg"),
	}
	if strings.TrimSpace(cb.OrderID) == "" {
		return Callback{}, ErrNoOrderID
	}
	raw := get("amount")
	amount, ok := ParseAmount(raw)
	if !ok {
		return Callback{}, fmt.Errorf("%w: %q (order %s)", ErrBadAmount, truncate(raw, 32), truncate(cb.OrderID, 64))
	}
	cb.Amount = amount
	cb.Approved = cb.ProcReturnCode == "00"
	return cb, nil
}

// lookup returns the first value of name, falling back to a case-insensitive
// match: EST gateways are not consistent about the case of response fields
// (TransId, TransID…). Ties go to the byte-wise smallest name, for determinism.
func lookup(fields url.Values, name string) string {
	if vs, ok := fields[name]; ok {
		return first(vs)
	}
	found, value := "", ""
	for k, vs := range fields {
		if strings.EqualFold(k, name) && (found == "" || k < found) {
			found, value = k, first(vs)
		}
	}
	return value
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// truncate bounds attacker-controlled text before it reaches errors and logs.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
