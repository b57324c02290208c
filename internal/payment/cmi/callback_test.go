package cmi_test

import (
	"errors"
	"net/url"
	"testing"

	"souk/internal/payment/cmi"
)

const key = "TEST1234"

func signedCallback(mod func(url.Values)) url.Values {
	f := url.Values{
		"clientid":       {"600002599"},
		"oid":            {"SOUK-42-1"},
		"amount":         {"10.60"},
		"currency":       {"504"},
		"ProcReturnCode": {"00"},
		"Response":       {"Approved"},
		"mdStatus":       {"1"},
		"AuthCode":       {"123456"},
		"TransId":        {"25001ABCD1234"},
		"ErrMsg":         {""},
		"encoding":       {"UTF-8"},
	}
	if mod != nil {
		mod(f)
	}
	f.Set("HASH", cmi.CallbackHash(f, key))
	return f
}

func TestParseCallbackApproved(t *testing.T) {
	cb, err := cmi.ParseCallback(signedCallback(nil), key)
	if err != nil {
		t.Fatal(err)
	}
	want := cmi.Callback{OrderID: "SOUK-42-1", Amount: 1060, Approved: true, ProcReturnCode: "00",
		Response: "Approved", TransID: "25001ABCD1234", AuthCode: "123456"}
	if cb != want {
		t.Fatalf("got %+v\nwant %+v", cb, want)
	}
}

func TestParseCallbackApprovedOnlyOn00(t *testing.T) {
	for _, code := range []string{"05", "99", "", " 00", "00 ", "0", "000"} {
		f := signedCallback(func(f url.Values) { f.Set("ProcReturnCode", code) })
		cb, err := cmi.ParseCallback(f, key)
		if err != nil {
			t.Fatalf("code %q: %v", code, err)
		}
		if cb.Approved {
			t.Errorf("ProcReturnCode %q counted as approved", code)
		}
	}
	f := signedCallback(func(f url.Values) { f.Del("ProcReturnCode") })
	if cb, err := cmi.ParseCallback(f, key); err != nil || cb.Approved {
		t.Errorf("missing ProcReturnCode: %+v, %v", cb, err)
	}
}

func TestParseCallbackErrors(t *testing.T) {
	tampered := signedCallback(nil)
	tampered.Set("amount", "1.00")
	noHash := signedCallback(nil)
	noHash.Del("HASH")
	cases := []struct {
		name   string
		fields url.Values
		key    string
		want   error
	}{
		{"tampered amount", tampered, key, cmi.ErrBadHash},
		{"missing HASH", noHash, key, cmi.ErrBadHash},
		{"wrong key", signedCallback(nil), "other", cmi.ErrBadHash},
		{"empty", url.Values{}, key, cmi.ErrBadHash},
		{"nil", nil, key, cmi.ErrBadHash},
		{"bad amount", signedCallback(func(f url.Values) { f.Set("amount", "10,60") }), key, cmi.ErrBadAmount},
		{"negative amount", signedCallback(func(f url.Values) { f.Set("amount", "-1") }), key, cmi.ErrBadAmount},
		{"missing amount", signedCallback(func(f url.Values) { f.Del("amount") }), key, cmi.ErrBadAmount},
		{"missing oid", signedCallback(func(f url.Values) { f.Del("oid") }), key, cmi.ErrNoOrderID},
	}
	for _, c := range cases {
		_, err := cmi.ParseCallback(c.fields, c.key)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

// A value carrying an HTML entity or a trailing newline is hashed the way
// CMI's sample callback.php does, not verbatim.
func TestParseCallbackDecodesLikeCMISample(t *testing.T) {
	f := url.Values{"oid": {"A&amp;B"}, "amount": {"1.00\n"}, "ProcReturnCode": {"00"}}
	plain := url.Values{"oid": {"A&B"}, "amount": {"1.00"}, "ProcReturnCode": {"00"}}
	f.Set("HASH", cmi.CallbackHash(plain, key))
	if !cmi.Verify(f, key) {
		t.Fatal("entity-encoded post does not verify")
	}
	cb, err := cmi.ParseCallback(f, key)
	if err != nil {
		t.Fatal(err)
	}
	if cb.OrderID != "A&B" || cb.Amount != 100 || !cb.Approved {
		t.Fatalf("got %+v", cb)
	}
}
