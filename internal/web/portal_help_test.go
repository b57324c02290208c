package web_test

import (
	"bytes"
	"image"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	_ "golang.org/x/image/webp"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
)

var _ = authzRows(map[string]string{
	"GET /vendor/help":            "owner staff other",
	"GET /vendor/help/{guide}":    "owner staff other",
	"GET /vendor/help/img/{file}": "owner staff other",
})

var _ = func() bool {
	authzFixtures = append(authzFixtures, func(t *testing.T, m market, f authzFixture) {
		f["guide"] = "photos"
		f["file"] = helpAnyImage(t)
	})
	return true
}()

// helpAnyImage is the name of one of the guides' screenshots.
func helpAnyImage(t *testing.T) string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join("assets", "help", "*.webp"))
	if len(names) == 0 {
		t.Fatal("no screenshot in assets/help: run SOUK_HELP_SCREENSHOTS=1 go test -run TestHelpScreenshots ./internal/web/")
	}
	return filepath.Base(names[0])
}

// helpGuides are the guides the help page must offer, with words each must
// say in French.
var helpGuides = map[string][]string{
	"photos":   {"Ajouter un produit", "lumière du jour", "fenêtre", "fond uni", "filtre", "Envoyer à la vérification"},
	"shipping": {"À confirmer", "Confirmer la commande", "Imprimer le bon de préparation", "numéro de suivi", "Le colis est expédié", "encaisse"},
	"payment":  {"CMI", "Stripe", "livraison", "72 heures", "10 jours", "grandes surfaces", "Facture"},
}

// Every guide opens from the help page and shows, in Arabic, French and
// Tamazight, numbered steps each with a screenshot in that language, which
// is served; English and Spanish readers get their text and the French
// screenshots. An unknown guide, a file that is not a screenshot and a path
// leaving the folder are not found; a customer is refused.
func TestPortalHelpGuides(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		m := newMarket(t, d)
		tifaouine, _ := portalVendors(t, m)
		owner := portalPerson(t, m, auth.NewUser{Email: "fatima@tifaouine.ma", Role: auth.RoleVendorOwner, VendorID: tifaouine.ID})
		customer := portalPerson(t, m, auth.NewUser{Email: "nadia@example.ma", Role: auth.RoleCustomer})

		served := map[string]bool{}
		for _, loc := range []string{"ar", "fr", "zgh", "en", "es"} {
			index := owner.get("/vendor/help?lang=" + loc)
			if index.resp.StatusCode != http.StatusOK {
				t.Fatalf("help in %s: %d", loc, index.resp.StatusCode)
			}
			if cur := find(index.doc, "a", "aria-current", "page"); len(cur) != 1 || attr(cur[0], "href") != "/vendor/help" {
				t.Errorf("help in %s: the menu does not mark the guides", loc)
			}
			for slug := range helpGuides {
				if len(find(byID(index.doc, "guides"), "a", "href", "/vendor/help/"+slug)) != 1 {
					t.Errorf("help in %s does not list %q", loc, slug)
				}
			}
			shots := loc
			if loc == "en" || loc == "es" {
				shots = "fr"
			}
			for slug, words := range helpGuides {
				p := owner.get("/vendor/help/" + slug + "?lang=" + loc)
				if p.resp.StatusCode != http.StatusOK {
					t.Fatalf("%s in %s: %d", slug, loc, p.resp.StatusCode)
				}
				body := text(byID(p.doc, "steps"))
				if strings.Contains(body, "{") || strings.Contains(body, "help.") || strings.Contains(body, "products.") || strings.Contains(body, "portal.") {
					t.Errorf("%s in %s: a message is missing or a placeholder unfilled: %s", slug, loc, body)
				}
				if loc == "fr" {
					for _, w := range words {
						if !strings.Contains(body, w) {
							t.Errorf("%s in French does not say %q", slug, w)
						}
					}
				}
				if (byID(p.doc, "shots-language") != nil) != (shots != loc) {
					t.Errorf("%s in %s: the note on the pictures' language is wrong", slug, loc)
				}
				steps := find(byID(p.doc, "steps"), "li")
				if len(steps) < 5 {
					t.Errorf("%s in %s: %d steps", slug, loc, len(steps))
				}
				for i, st := range steps {
					if attr(st, "id") != "step-"+strconv.Itoa(i+1) || len(find(st, "h2")) != 1 || len(find(st, "p")) != 1 {
						t.Errorf("%s in %s: step %d is not numbered text", slug, loc, i+1)
					}
					imgs := find(st, "img")
					if len(imgs) != 1 {
						t.Errorf("%s in %s: step %d has %d screenshots", slug, loc, i+1, len(imgs))
						continue
					}
					img := imgs[0]
					src := attr(img, "src")
					if !strings.HasPrefix(src, "/vendor/help/img/") || !strings.HasSuffix(src, "."+shots+".webp") {
						t.Errorf("%s in %s: step %d shows %q", slug, loc, i+1, src)
					}
					w, _ := strconv.Atoi(attr(img, "width"))
					h, _ := strconv.Atoi(attr(img, "height"))
					if w != 390 || h < 100 || attr(img, "loading") != "lazy" || len([]rune(attr(img, "alt"))) < 10 {
						t.Errorf("%s in %s: step %d: width %q height %q loading %q alt %q", slug, loc, i+1,
							attr(img, "width"), attr(img, "height"), attr(img, "loading"), attr(img, "alt"))
					}
					if served[src] {
						continue
					}
					served[src] = true
					resp, err := owner.client.Get(m.url + src)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") ||
						!strings.Contains(resp.Header.Get("Cache-Control"), "max-age=86400") || !strings.Contains(resp.Header.Get("Cache-Control"), "public") {
						t.Errorf("%s: %d %q %q", src, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
						continue
					}
					cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
					if err != nil || cfg.Width < 390 || cfg.Width > 2*390 || helpAbs(cfg.Height*390/cfg.Width-h) > 1 {
						t.Errorf("%s: %v, %d×%d, shown %d×%d", src, err, cfg.Width, cfg.Height, w, h)
					}
					if len(b) > 80_000 {
						t.Errorf("%s: %d bytes", src, len(b))
					}
				}
			}
		}

		// Nothing else: an unknown guide, a file that is no screenshot, a way out of the folder.
		file := helpAnyImage(t)
		for _, path := range []string{"/vendor/help/returns", "/vendor/help/img/README.md", "/vendor/help/img/nothing.fr.webp",
			"/vendor/help/img/..%2f..%2fbackoffice.go", "/vendor/help/img/..%2fbackoffice.css", "/vendor/help/img/%2e%2e%2f" + file,
			"/vendor/help/img/" + file + "%2f..%2f..%2fportal_help.go"} {
			if p := owner.get(path); p.resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, p.resp.StatusCode)
			}
		}
		// A customer is refused; an anonymous visitor is sent to sign in.
		for _, path := range []string{"/vendor/help", "/vendor/help/photos", "/vendor/help/img/" + file} {
			if p := customer.get(path); p.resp.StatusCode != http.StatusForbidden {
				t.Errorf("customer on %s: %d", path, p.resp.StatusCode)
			}
			if p := m.shopper().get(path); p.resp.StatusCode != http.StatusSeeOther {
				t.Errorf("anonymous on %s: %d", path, p.resp.StatusCode)
			}
		}
		// A second look at a screenshot costs nothing.
		req, _ := http.NewRequest("GET", m.url+"/vendor/help/img/"+file, nil)
		resp, err := owner.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		if resp, err = owner.client.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
			t.Errorf("screenshot asked again with its ETag: %v %d", err, resp.StatusCode)
		}
		resp.Body.Close()

		// The total of the screenshots stays small enough to ship in the binary.
		var total int64
		names, _ := filepath.Glob(filepath.Join("assets", "help", "*"))
		for _, n := range names {
			if st, err := os.Stat(n); err == nil {
				total += st.Size()
			}
		}
		if total > 3<<20 {
			t.Errorf("the screenshots weigh %d bytes, over 3 MB", total)
		}
	})
}

func helpAbs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
