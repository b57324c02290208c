package web

import (
	"encoding/json"
	"reflect"
	"testing"
)

// A change is shown as the fields it changed: nested objects as dotted
// paths, a field that appears or disappears with one side empty, the
// fields that stayed the same left out.
func TestAuditChanges(t *testing.T) {
	before := json.RawMessage(`{"status":"applied","note":"","texts":{"fr":{"display_name":"Amal"}},"tags":[1,2],"n":3}`)
	after := json.RawMessage(`{"status":"approved","note":"","texts":{"fr":{"display_name":"Amal"},"ar":{"display_name":"أمل"}},"tags":[1,2,3],"gone":null}`)
	got := auditChanges(before, after)
	want := []fieldChange{
		{Field: "n", Old: "3", New: ""},
		{Field: "status", Old: "applied", New: "approved"},
		{Field: "tags", Old: "[1,2]", New: "[1,2,3]"},
		{Field: "texts.ar.display_name", Old: "", New: "أمل"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes:\n got %+v\nwant %+v", got, want)
	}
	if got := auditChanges(nil, json.RawMessage(`"text"`)); len(got) != 1 || got[0].New != "text" {
		t.Errorf("a value that is not an object: %+v", got)
	}
	if got := auditChanges(nil, nil); len(got) != 0 {
		t.Errorf("nothing before or after: %+v", got)
	}
}

func TestAttachmentDisposition(t *testing.T) {
	for name, want := range map[string]string{
		"statuts.pdf":      `attachment; filename="statuts.pdf"; filename*=UTF-8''statuts.pdf`,
		`a"b\c%d.pdf`:      `attachment; filename="a_b_c_d.pdf"; filename*=UTF-8''a%22b%5Cc%25d.pdf`,
		"نظام.pdf":         `attachment; filename="____.pdf"; filename*=UTF-8''%D9%86%D8%B8%D8%A7%D9%85.pdf`,
		"line\r\nX: y.png": `attachment; filename="line__X: y.png"; filename*=UTF-8''line%0D%0AX%3A%20y.png`,
	} {
		if got := attachmentDisposition(name); got != want {
			t.Errorf("%q:\n got %s\nwant %s", name, got, want)
		}
	}
}
