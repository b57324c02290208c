package web

import (
	"testing"

	"souk/internal/i18n"
)

// Every guide's texts exist, and the portal words its steps quote (button
// names) are messages the portal has, so renaming a button does not leave
// a guide naming one that is gone.
func TestHelpGuidesMessages(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range helpGuides {
		if seen[g.Slug] {
			t.Errorf("two guides %q", g.Slug)
		}
		seen[g.Slug] = true
		keys := []string{"help." + g.Slug + ".title", "help." + g.Slug + ".summary"}
		for _, st := range g.Steps {
			keys = append(keys, "help."+g.Slug+"."+st.Key, "help.shot."+st.Shot)
			for _, k := range st.Args {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			for _, l := range []string{"en", "fr", "ar"} {
				if !i18n.Has(l, k) {
					t.Errorf("guide %s: no message %q in %s", g.Slug, k, l)
				}
			}
		}
	}
}
