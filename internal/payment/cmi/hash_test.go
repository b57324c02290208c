package cmi

import (
	"crypto/sha512"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// specExample is the worked example of shared/specs/cmi.md §2.
func specExample() url.Values {
	return url.Values{
		"clientid":      {"600002599"},
		"oid":           {"136ABC"},
		"amount":        {"10.60"},
		"currency":      {"504"},
		"okUrl":         {"https://shop.example.ma/cmi/ok"},
		"failUrl":       {"https://shop.example.ma/cmi/fail"},
		"CallbackURL":   {"https://shop.example.ma/cmi/callback"},
		"shopurl":       {"https://shop.example.ma"},
		"email":         {"client@example.ma"},
		"BillToName":    {"mehdi rochdi"},
		"BillToCompany": {"company name"},
		"storetype":     {"3D_PAY_HOSTING"},
		"trantype":      {"PreAuth"},
		"rnd":           {"0.12345600 1700000000"},
		"lang":          {"fr"},
		"hashAlgorithm": {"ver3"},
		"encoding":      {"UTF-8"},
		"refreshtime":   {"5"},
	}
}

const (
	specStoreKey  = "TEST1234"
	specPlaintext = "10.60|company name|mehdi rochdi|https://shop.example.ma/cmi/callback|600002599|504|client@example.ma|https://shop.example.ma/cmi/fail|ver3|fr|136ABC|https://shop.example.ma/cmi/ok|5|0.12345600 1700000000|https://shop.example.ma|3D_PAY_HOSTING|PreAuth|TEST1234"
	specSHA512Hex = "0756f160927cbb355e914dddf7eadecb5b14704a239525fcbcbc6f5ef730cd005d6612409593018d33ea90a5e80fefe4b0639acda4b5457a353786d9c8470c81"
	specHash      = "B1bxYJJ8uzVekU3d9+rey1sUcEojlSX8vLxvXvcwzQBdZhJAlZMBjTPqkKXoD+/ksGOazaS1RXo1N4bZyEcMgQ=="
)

func TestSpecWorkedExample(t *testing.T) {
	f := specExample()
	if got := plaintext(f, specStoreKey, requestValue); got != specPlaintext {
		t.Fatalf("plaintext\n got %s\nwant %s", got, specPlaintext)
	}
	sum := sha512.Sum512([]byte(specPlaintext))
	if got := hex.EncodeToString(sum[:]); got != specSHA512Hex {
		t.Fatalf("sha512 = %s, want %s", got, specSHA512Hex)
	}
	if got := Hash(f, specStoreKey); got != specHash {
		t.Fatalf("Hash = %s, want %s", got, specHash)
	}
	if len(specHash) != 88 {
		t.Fatalf("hash length %d, want 88", len(specHash))
	}
	// Without entities or trailing newlines both variants agree, and a HASH
	// field already present does not change the result.
	f.Set("HASH", specHash)
	if got := CallbackHash(f, specStoreKey); got != specHash {
		t.Fatalf("CallbackHash = %s, want %s", got, specHash)
	}
	if !Verify(f, specStoreKey) {
		t.Fatal("Verify rejects the spec example")
	}
}

func TestSortedNamesSpecOrder(t *testing.T) {
	want := []string{"amount", "BillToCompany", "BillToName", "CallbackURL", "clientid", "currency", "email",
		"encoding", "failUrl", "hashAlgorithm", "lang", "oid", "okUrl", "refreshtime", "rnd", "shopurl",
		"storetype", "trantype"}
	if got := sortedNames(specExample()); !slices.Equal(got, want) {
		t.Fatalf("order\n got %v\nwant %v", got, want)
	}
}

func TestStrnatcasecmp(t *testing.T) {
	less := [][2]string{
		{"amount", "BillToCompany"},
		{"BillToCompany", "BillToName"},
		{"BillToName", "CallbackURL"},
		{"CallbackURL", "clientid"},
		{"BillToStreet2", "BillToStreet12"},
		{"BillToStreet1", "BillToStreet2"},
		{"a", "B"},
		{"A", "b"},
		{"x9", "x10"},
		{"x9y", "x10a"},
		{"x01", "x1a"},    // a run starting with 0 compares digit by digit
		{"x0.5", "x0.12"}, // "5" < "12" as numbers
		{"a", "ab"},       // a prefix comes first
		{"a", "_a"},       // PHP folds to upper case: 'A' (0x41) < '_' (0x5F)
		{"HASH2", "hashAlgorithm"},
		{"", "a"},
	}
	for _, p := range less {
		if c := strnatcasecmp(p[0], p[1]); c != -1 {
			t.Errorf("strnatcasecmp(%q, %q) = %d, want -1", p[0], p[1], c)
		}
		if c := strnatcasecmp(p[1], p[0]); c != 1 {
			t.Errorf("strnatcasecmp(%q, %q) = %d, want 1", p[1], p[0], c)
		}
	}
	equal := [][2]string{
		{"amount", "AMOUNT"},
		{"x1", "x1"},
		{"007", "7"}, // leading zeros at the start are skipped
		{"a b", "a  b"},
	}
	for _, p := range equal {
		if c := strnatcasecmp(p[0], p[1]); c != 0 {
			t.Errorf("strnatcasecmp(%q, %q) = %d, want 0", p[0], p[1], c)
		}
	}
}

// Names equal to strnatcasecmp must still sort deterministically, or the
// hash of the same fields would change from run to run.
func TestSortedNamesDeterministicTies(t *testing.T) {
	f := url.Values{"OID": {"1"}, "oid": {"2"}, "Oid": {"3"}, "amount": {"4"}}
	want := []string{"amount", "OID", "Oid", "oid"}
	for range 50 {
		if got := sortedNames(f); !slices.Equal(got, want) {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}

func TestEscaping(t *testing.T) {
	f := url.Values{"a": {`x|y\z`}, "b": {`\|`}, "c": {"|"}}
	want := `x\|y\\z|\\\||\||k\|e\\y`
	if got := plaintext(f, `k|e\y`, requestValue); got != want {
		t.Fatalf("plaintext %q, want %q", got, want)
	}
	// Escaping keeps fields apart: moving a pipe between values changes the hash.
	g := url.Values{"a": {"x"}, "b": {"|y"}}
	h := url.Values{"a": {"x|"}, "b": {"y"}}
	if Hash(g, "k") == Hash(h, "k") {
		t.Fatal("pipe moved between fields gives the same hash")
	}
}

func TestRequestAndCallbackValues(t *testing.T) {
	f := url.Values{"a": {"  v \t\n"}, "b": {"x"}, "c": {"first", "second"}, "hash": {"ignored"}, "Encoding": {"ignored"}}
	if got, want := plaintext(f, "k", requestValue), "v|x|first|k"; got != want {
		t.Fatalf("request plaintext %q, want %q", got, want)
	}
	// PHP's trim leaves Unicode spaces alone.
	if got := requestValue("\u00a0x\u00a0"); got != "\u00a0x\u00a0" {
		t.Fatalf("requestValue trimmed a no-break space: %q", got)
	}
	cases := map[string]string{
		"a\n":                           "a",
		"a\n\n":                         "a", // PCRE "$" also matches before a final newline
		"a\n\n\n":                       "a\n",
		"a\nb":                          "a\nb",
		" a ":                           " a ",
		"a\r\n":                         "a\r",
		"R&amp;D &lt;b&gt;":             "R&D <b>",
		"&quot;x&#039;&#39;":            `"x''`,
		"&#233;t&#xE9;&eacute;":         "étéé",
		"&#x0x41;":                      "A", // strtol takes a 0x prefix in base 16
		"?a=1&copy=2&notify=3":          "?a=1&copy=2&notify=3",
		"&copy;&amp":                    "©&amp",
		"&apos;":                        "&apos;", // not an HTML 4.01 entity
		"&lang;":                        "\u2329", // HTML 4.01 meaning, not HTML5's U+27E8
		"&#0;&#128;&#1114112;":          "&#0;&#128;&#1114112;",
		"&#65&#66;":                     "&#65B",
		"&a;":                           "&a;", // too short for PHP to look at
		"&#99999999999999999999999999;": "&#99999999999999999999999999;",
		"&amp;amp;":                     "&amp;",
		"&&lt;":                         "&<",
	}
	for in, want := range cases {
		if got := callbackValue(in); got != want {
			t.Errorf("callbackValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVerify(t *testing.T) {
	const key = "k3y|with\\specials"
	signed := func() url.Values {
		f := specExample()
		f.Set("ProcReturnCode", "00")
		f.Set("HASH", CallbackHash(f, key))
		return f
	}
	if !Verify(signed(), key) {
		t.Fatal("Verify rejects a correctly signed post")
	}
	for name := range signed() {
		if strings.EqualFold(name, "HASH") || strings.EqualFold(name, "encoding") {
			continue
		}
		f := signed()
		f.Set(name, f.Get(name)+"x")
		if Verify(f, key) {
			t.Errorf("Verify accepts a changed %s", name)
		}
	}
	f := signed()
	f.Set("extra", "")
	if Verify(f, key) {
		t.Error("Verify accepts an added field")
	}
	f = signed()
	f.Del("HASH")
	if Verify(f, key) {
		t.Error("Verify accepts a missing HASH")
	}
	f = signed()
	f.Set("HASH", "")
	if Verify(f, key) {
		t.Error("Verify accepts an empty HASH")
	}
	f = signed()
	f.Del("oid")
	if Verify(f, key) {
		t.Error("Verify accepts a removed field")
	}
	if Verify(signed(), "other key") {
		t.Error("Verify accepts another store key")
	}
	if Verify(nil, key) {
		t.Error("Verify accepts nil fields")
	}
	// encoding is outside the hash by design.
	f = signed()
	f.Set("encoding", "ISO-8859-1")
	if !Verify(f, key) {
		t.Error("Verify should ignore encoding")
	}
}

func FuzzStrnatcasecmp(f *testing.F) {
	for _, s := range []string{"", "a", "A1", "a01", "x 1", "0", "007", "a\x00", "BillToStreet12"} {
		f.Add(s, "BillToStreet2")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := strnatcasecmp(a, b), strnatcasecmp(b, a)
		if ab != -ba {
			t.Fatalf("not antisymmetric: cmp(%q,%q)=%d, reverse %d", a, b, ab, ba)
		}
		if strnatcasecmp(a, a) != 0 {
			t.Fatalf("cmp(%q,%q) != 0", a, a)
		}
	})
}

func FuzzCallbackValue(f *testing.F) {
	for _, s := range []string{"", "&", "&#", "&#x", "&#x;", "&amp;", "&#1;", "a\n\n", "&#x0x;", "&#0x41;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = callbackValue(s)
		_ = Hash(url.Values{s: {s}}, s)
	})
}
