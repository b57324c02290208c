package web

import (
	"net/http"
	"strings"

	"souk/internal/i18n"
)

// staticPages are the storefront's fixed pages, their text in the
// message files (messages/pages): page.<name>.title and .body, paragraphs
// separated by a blank line.
var staticPages = []string{"about", "shipping", "returns", "contact"}

// footerLink is a fixed page in the footer.
type footerLink struct{ Href, Label string }

func footerLinks(loc string) []footerLink {
	out := make([]footerLink, len(staticPages))
	for i, name := range staticPages {
		out[i] = footerLink{Href: "/" + loc + "/" + name, Label: i18n.T(loc, "page."+name+".title", nil)}
	}
	return append(out, footerLink{Href: "/" + loc + "/sell", Label: i18n.T(loc, "sell.title", nil)})
}

func (s *Server) static(name string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, loc string) error {
		body := i18n.T(loc, "page."+name+".body", nil)
		p := s.page(r, loc, i18n.T(loc, "page."+name+".title", nil), strings.Split(body, "\n\n"))
		p.Description = strings.SplitN(body, "\n", 2)[0]
		return s.render(w, http.StatusOK, "static", p)
	}
}
