// Package i18n knows souk's locales, the order in which a missing text falls
// back to another language, and the interface's messages in each locale.
package i18n

import (
	"golang.org/x/text/language"
)

// Locales souk speaks, in the order they are offered.
var Locales = []string{"ar", "zgh", "fr", "en", "es"}

// Default is the marketplace's first language.
const Default = "ar"

// fallbacks is the documented chain a missing text follows (docs/ARCHITECTURE.md):
// Tamazight readers read Arabic; Spanish readers French before English, as
// most of souk's Spanish-speaking buyers are in Spain and northern Morocco;
// every chain ends with the other languages so something is always shown.
var fallbacks = map[string][]string{
	"ar":  {"ar", "fr", "en", "es", "zgh"},
	"zgh": {"zgh", "ar", "fr", "en", "es"},
	"fr":  {"fr", "en", "ar", "es", "zgh"},
	"en":  {"en", "fr", "ar", "es", "zgh"},
	"es":  {"es", "fr", "en", "ar", "zgh"},
}

// Valid reports whether souk has the locale.
func Valid(locale string) bool { _, ok := fallbacks[locale]; return ok }

// Chain returns the locales to try, in order, for a text wanted in locale.
func Chain(locale string) []string {
	if c, ok := fallbacks[locale]; ok {
		return c
	}
	return fallbacks[Default]
}

// Pick returns the value for locale from per-locale values, following the
// fallback chain, and the locale it came from. ok is false when no locale
// has a non-zero value.
func Pick[T comparable](values map[string]T, locale string) (v T, from string, ok bool) {
	var zero T
	for _, l := range Chain(locale) {
		if x, found := values[l]; found && x != zero {
			return x, l, true
		}
	}
	return zero, "", false
}

// Dir is the writing direction of locale: "rtl" for Arabic, else "ltr"
// (Tamazight is written left to right in Tifinagh).
func Dir(locale string) string {
	if locale == "ar" {
		return "rtl"
	}
	return "ltr"
}

var matcher = language.NewMatcher([]language.Tag{
	language.Arabic, language.Make("zgh"), language.French, language.English, language.Spanish,
})

// Negotiate picks the best of souk's locales for an Accept-Language header,
// or def when nothing in the header matches well.
func Negotiate(acceptLanguage, def string) string {
	if acceptLanguage == "" {
		return def
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return def
	}
	_, idx, conf := matcher.Match(tags...)
	if conf < language.High {
		return def
	}
	return Locales[idx]
}
