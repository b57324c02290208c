package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"image"
	_ "image/png" // screenshots may be PNG
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"sync"
	"time"

	_ "golang.org/x/image/webp" // or WebP

	"souk/internal/errs"
	"souk/internal/i18n"
)

// The portal's help: step-by-step guides for the people who run a
// cooperative's shop, often on a phone and new to online tools. Each step
// is a sentence or two in the reader's language and a screenshot of the
// real portal screen it talks about, in Arabic, French or Tamazight
// (English and Spanish readers see the French screenshots).
//
// The screenshots are files under assets/help/, named <shot>.<locale>.webp
// (or .png), embedded in the binary. TestHelpScreenshots
// (portal_help_shots_test.go) makes them: it runs the real server with a
// demo cooperative and captures each screen in chromium at a phone's size.
// Run it after a change to a screen a guide shows:
//
//	SOUK_HELP_SCREENSHOTS=1 go test -run TestHelpScreenshots ./internal/web/
//
// A step whose screenshot is missing is shown without one.

//go:embed assets/help
var helpFiles embed.FS

// helpGuide is one guide: its steps, in order. Its title and summary are
// the messages help.<slug>.title and help.<slug>.summary.
type helpGuide struct {
	Slug  string
	Steps []helpStep
}

// helpStep is one step: its text is the message help.<guide>.<key>, whose
// placeholders are filled with the words of the portal itself (Args: name →
// message key), so a guide names a button as the screen does; Shot names
// its screenshot, described by the message help.shot.<shot>.
type helpStep struct {
	Key, Shot string
	Args      map[string]string
}

// helpGuides are the guides, in the order the help page lists them.
var helpGuides = []helpGuide{
	{"photos", []helpStep{
		{Key: "open", Shot: "products", Args: map[string]string{"products": "products.nav", "button": "products.add"}},
		{Key: "add", Shot: "product-new"},
		{Key: "name", Shot: "product-title", Args: map[string]string{"texts": "products.section_texts"}},
		{Key: "price", Shot: "product-price", Args: map[string]string{"variants": "products.variants"}},
		{Key: "save", Shot: "product-saved", Args: map[string]string{"button": "products.save_draft", "draft": "products.status.draft"}},
		{Key: "languages", Shot: "product-languages", Args: map[string]string{"missing": "products.locale_missing", "button": "products.save"}},
		{Key: "shoot", Shot: "product-photos"},
		{Key: "upload", Shot: "product-upload", Args: map[string]string{"photos": "products.photos", "take": "products.photo_take", "button": "products.photo_send"}},
		{Key: "submit", Shot: "product-submit", Args: map[string]string{"button": "products.submit"}},
		{Key: "review", Shot: "product-pending"},
	}},
	{"shipping", []helpStep{
		{Key: "tab", Shot: "orders-confirm", Args: map[string]string{"orders": "portal.nav_orders", "tab": "portal.tab_confirm"}},
		{Key: "confirm", Shot: "order-confirm", Args: map[string]string{"button": "portal.do_confirm"}},
		{Key: "slip", Shot: "order-pack", Args: map[string]string{"button": "portal.print_slip"}},
		{Key: "pack", Shot: "order-slip", Args: map[string]string{"button": "portal.do_pack"}},
		{Key: "carrier", Shot: "order-ship"},
		{Key: "tracking", Shot: "order-tracking", Args: map[string]string{"button": "portal.do_ship"}},
		{Key: "cod", Shot: "order-cod"},
	}},
	{"payment", []helpStep{
		{Key: "methods", Shot: "order-payment"},
		{Key: "card", Shot: "order-unpaid"},
		{Key: "cod", Shot: "orders-collect"},
		{Key: "payout", Shot: "dashboard"},
		{Key: "records", Shot: "order-invoice", Args: map[string]string{"invoice": "portal.invoice"}},
	}},
}

// helpShotLocale is the language of the screenshots a reader sees: their
// own where screenshots are made in it, else French.
func helpShotLocale(loc string) string {
	switch loc {
	case "ar", "fr", "zgh":
		return loc
	}
	return "fr"
}

// helpShotCSSWidth is how wide a screenshot is shown, in CSS pixels: a
// phone's screen, which it was taken on.
const helpShotCSSWidth = 390

// helpFile is one embedded screenshot, ready to serve.
type helpFile struct {
	name, contentType, etag string
	body                    []byte
	width, height           int // CSS pixels
}

// helpImages reads the embedded screenshots once: their sizes for the
// <img> tags, their types and ETags for serving.
var helpImages = sync.OnceValue(func() map[string]helpFile {
	out := map[string]helpFile{}
	entries, _ := fs.ReadDir(helpFiles, "assets/help")
	for _, e := range entries {
		name := e.Name()
		ct := map[string]string{".webp": "image/webp", ".png": "image/png"}[path.Ext(name)]
		if e.IsDir() || ct == "" {
			continue
		}
		body, err := helpFiles.ReadFile("assets/help/" + name)
		if err != nil {
			continue
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
		if err != nil || cfg.Width == 0 {
			continue
		}
		sum := sha256.Sum256(body)
		out[name] = helpFile{name: name, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, body: body,
			width: helpShotCSSWidth, height: (cfg.Height*helpShotCSSWidth + cfg.Width/2) / cfg.Width}
	}
	return out
})

// helpShot is the screenshot shot in loc's screenshot language, if made.
func helpShot(shot, loc string) (helpFile, bool) {
	files := helpImages()
	for _, ext := range []string{".webp", ".png"} {
		if f, ok := files[shot+"."+helpShotLocale(loc)+ext]; ok {
			return f, true
		}
	}
	return helpFile{}, false
}

func (s *Server) portalHelpRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/vendor/help", Access: vendorPeople, Handle: s.helpIndex, Nav: "help.nav"},
		{Method: "GET", Pattern: "/vendor/help/{guide}", Access: vendorPeople, Handle: s.helpGuide},
		{Method: "GET", Pattern: "/vendor/help/img/{file}", Access: vendorPeople, Handle: s.helpImage},
	}
}

type helpGuideLink struct {
	Href, Title, Summary string
	Steps                int
}

type helpIndexData struct {
	Guides []helpGuideLink
}

type helpImageView struct {
	Src, Alt      string
	Width, Height int
}

type helpStepView struct {
	N     int
	ID    string
	Text  string
	Image *helpImageView
}

type helpGuideData struct {
	Title, Summary string
	Steps          []helpStepView
	FrenchShots    bool // the reader's language has no screenshots of its own
	Others         []helpGuideLink
}

func helpLink(loc string, g helpGuide) helpGuideLink {
	return helpGuideLink{Href: "/vendor/help/" + g.Slug, Title: i18n.T(loc, "help."+g.Slug+".title", nil),
		Summary: i18n.T(loc, "help."+g.Slug+".summary", nil), Steps: len(g.Steps)}
}

// helpIndex lists the guides.
func (s *Server) helpIndex(w http.ResponseWriter, r *http.Request, c bo) error {
	var d helpIndexData
	for _, g := range helpGuides {
		d.Guides = append(d.Guides, helpLink(c.Loc, g))
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_help", i18n.T(c.Loc, "help.title", nil), d)
}

// helpGuide shows one guide, step by step.
func (s *Server) helpGuide(w http.ResponseWriter, r *http.Request, c bo) error {
	slug := r.PathValue("guide")
	var guide *helpGuide
	for i := range helpGuides {
		if helpGuides[i].Slug == slug {
			guide = &helpGuides[i]
		}
	}
	if guide == nil {
		return errs.NotFoundE("page")
	}
	d := helpGuideData{Title: i18n.T(c.Loc, "help."+slug+".title", nil), Summary: i18n.T(c.Loc, "help."+slug+".summary", nil),
		FrenchShots: helpShotLocale(c.Loc) != c.Loc}
	for i, st := range guide.Steps {
		args := map[string]any{}
		for name, key := range st.Args {
			args[name] = i18n.T(c.Loc, key, nil)
		}
		v := helpStepView{N: i + 1, ID: "step-" + strconv.Itoa(i+1), Text: i18n.T(c.Loc, "help."+slug+"."+st.Key, args)}
		if f, ok := helpShot(st.Shot, c.Loc); ok {
			v.Image = &helpImageView{Src: "/vendor/help/img/" + f.name, Alt: i18n.T(c.Loc, "help.shot."+st.Shot, nil),
				Width: f.width, Height: f.height}
		}
		d.Steps = append(d.Steps, v)
	}
	for _, g := range helpGuides {
		if g.Slug != slug {
			d.Others = append(d.Others, helpLink(c.Loc, g))
		}
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_help_guide", d.Title, d)
}

// helpImage serves one embedded screenshot, by its exact name: nothing
// else in the binary or on disk can be reached through it.
func (s *Server) helpImage(w http.ResponseWriter, r *http.Request, c bo) error {
	f, ok := helpImages()[r.PathValue("file")]
	if !ok {
		return errs.NotFoundE("page")
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("ETag", f.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
	return nil
}
