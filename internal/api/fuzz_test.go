package api

import (
	"encoding/json"
	"errors"
	"testing"

	"souk/internal/catalog"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/vendor"
)

// FuzzDecode feeds arbitrary bodies to the request decoder. It must never
// panic, and must answer nil or an *errs.Error a client can be shown: code
// invalid, a message that becomes 400 or a 422 naming at least one field,
// and only message keys that exist. What it accepts must survive being
// encoded and decoded again.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"category":"argan-oil","texts":{"fr":{"title":"Huile"}},"variants":[{"sku":"A","price":{"amount":100,"currency":"MAD"}}]}`))
	f.Add([]byte(`{"kind":"cooperative","rib":"011780000012345678901234","texts":{"ar":{"display_name":"تعاونية"}}}`))
	f.Add([]byte(`{"email":"a@b.ma","password":"x"}`))
	f.Add([]byte(`{"variants":[{"price":{"amount":1e400}}]}`))
	f.Add([]byte("{\"a\":\"\xff\"}"))
	f.Add([]byte(`{"Input":{},"book":{"authors":[null]}}`))
	f.Add([]byte(`{"status":"draft"} []`))
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []func() any{
			func() any { return &catalog.Input{} },
			func() any { return &vendor.Input{} },
			func() any { return &loginRequest{} },
			func() any { return &createProductRequest{} },
			func() any { return &createVendorRequest{} },
			func() any { return &statusRequest{} },
		}
		for _, target := range targets {
			v := target()
			err := decodeBytes(body, v)
			if err == nil {
				again, merr := json.Marshal(v)
				if merr != nil {
					t.Fatalf("%T: accepted %q but cannot encode it: %v", v, body, merr)
				}
				if err := decodeBytes(again, target()); err != nil {
					t.Fatalf("%T: accepted %q but not its own encoding %s: %v", v, body, again, err)
				}
				continue
			}
			var e *errs.Error
			if !errors.As(err, &e) {
				t.Fatalf("%T: %q: not a client error: %v", v, body, err)
			}
			if e.Code != errs.Invalid {
				t.Fatalf("%T: %q: code %s", v, body, e.Code)
			}
			switch e.Message {
			case badRequestMessage, "error.invalid_utf8":
			case "error.invalid":
				if len(e.Fields) == 0 {
					t.Fatalf("%T: %q: 422 naming no field", v, body)
				}
			default:
				t.Fatalf("%T: %q: unexpected message %s", v, body, e.Message)
			}
			if !i18n.Has("en", e.Message) {
				t.Fatalf("%T: message key %s does not exist", v, e.Message)
			}
			for field, key := range e.Fields {
				if field == "" || !i18n.Has("en", key) {
					t.Fatalf("%T: %q: field %q with key %q", v, body, field, key)
				}
			}
		}
	})
}
