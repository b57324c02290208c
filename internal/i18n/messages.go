package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// The interface's messages, one JSON object per locale: messages/<locale>.json
// and, for a part of souk that keeps its own words, messages/<part>/<locale>.json.
// A value is either a text with {name} placeholders, or an object of CLDR
// plural forms ("zero", "one", "two", "few", "many", "other") for messages
// that count. A key missing in a locale falls back along Chain; a key
// defined twice for one locale stops souk from starting.
//
//go:embed messages
var messageFiles embed.FS

// message is one entry: a plain text, or texts per plural form.
type message struct {
	text  string
	forms map[string]string
}

func (m *message) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &m.text); err == nil {
		return nil
	}
	return json.Unmarshal(b, &m.forms)
}

var messages = func() map[string]map[string]message {
	out := map[string]map[string]message{}
	for _, l := range Locales {
		out[l] = map[string]message{}
	}
	err := fs.WalkDir(messageFiles, "messages", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		l := strings.TrimSuffix(e.Name(), ".json")
		if _, ok := out[l]; !ok || !strings.HasSuffix(e.Name(), ".json") {
			return fmt.Errorf("%s: not named after a locale", path)
		}
		b, err := messageFiles.ReadFile(path)
		if err != nil {
			return err
		}
		m := map[string]message{}
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for k, v := range m {
			if _, dup := out[l][k]; dup {
				return fmt.Errorf("%s: %q is defined twice", path, k)
			}
			out[l][k] = v
		}
		return nil
	})
	if err != nil {
		panic("i18n: " + err.Error())
	}
	return out
}()

// T returns the message key in locale, with {name} placeholders filled from
// args. An unknown key comes back as itself, so a missing translation shows
// up instead of an empty string.
func T(locale, key string, args map[string]any) string {
	for _, l := range Chain(locale) {
		if m, ok := messages[l][key]; ok && m.text != "" {
			return fill(m.text, args)
		}
	}
	return key
}

// N returns the counting message key for n things in locale, in the plural
// form the locale's CLDR rules choose (Arabic has six), with {count} and
// args filled in.
func N(locale, key string, n int, args map[string]any) string {
	for _, l := range Chain(locale) {
		m, ok := messages[l][key]
		if !ok || m.forms == nil {
			continue
		}
		text, ok := m.forms[PluralForm(l, n)]
		if !ok {
			text = m.forms["other"]
		}
		all := map[string]any{"count": strconv.Itoa(n)}
		for k, v := range args {
			all[k] = v
		}
		return fill(text, all)
	}
	return key
}

var formNames = map[plural.Form]string{plural.Other: "other", plural.Zero: "zero", plural.One: "one",
	plural.Two: "two", plural.Few: "few", plural.Many: "many"}

// PluralForm is the CLDR plural category of the integer n in locale. CLDR
// has no rules for Standard Moroccan Tamazight; souk uses one for 1 and
// other for every other number, as Tamazight grammar marks the plural,
// until a linguist says otherwise.
func PluralForm(locale string, n int) string {
	if n < 0 {
		n = -n
	}
	if locale == "zgh" {
		if n == 1 {
			return "one"
		}
		return "other"
	}
	tag, err := language.Parse(locale)
	if err != nil {
		return "other"
	}
	return formNames[plural.Cardinal.MatchPlural(tag, n%10_000_000, 0, 0, 0, 0)]
}

func fill(msg string, args map[string]any) string {
	if len(args) == 0 || !strings.Contains(msg, "{") {
		return msg
	}
	pairs := make([]string, 0, 2*len(args))
	for k, v := range args {
		pairs = append(pairs, "{"+k+"}", fmt.Sprint(v))
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

// Has reports whether key is defined in locale itself, without fallback.
func Has(locale, key string) bool {
	_, ok := messages[locale][key]
	return ok
}

// Keys returns every key of the English messages, the reference set.
func Keys() []string {
	keys := make([]string, 0, len(messages["en"]))
	for k := range messages["en"] {
		keys = append(keys, k)
	}
	return keys
}
