package web

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"souk/internal/catalog"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/search"
)

type listingData struct {
	Heading    string
	Count      string
	Notice     string // filters that were ignored, and why
	Facets     []facetGroup
	Sorts      []option
	Items      []productCard
	Prev, Next string
}

// facetGroup is one way to narrow a listing, with its values and counts.
type facetGroup struct {
	Label   string
	Options []option
}

// option is a link that applies (or, when Selected, removes) a filter or
// an order.
type option struct {
	Label    string
	Count    int
	URL      string
	Selected bool
}

// filterParams are the query parameters a listing narrows by, and the
// catalog.Filter field each sets.
var filterParams = []struct {
	param, facet string
	set          func(*catalog.Filter, string)
}{
	{"category", search.FacetCategory, func(f *catalog.Filter, v string) { f.Category = v }},
	{"region", search.FacetRegion, func(f *catalog.Filter, v string) { f.Region = v }},
	{"kind", search.FacetKind, func(f *catalog.Filter, v string) { f.Kind = v }},
	{"certification", search.FacetCertification, func(f *catalog.Filter, v string) { f.Certification = v }},
	{"price", search.FacetPrice, func(f *catalog.Filter, v string) { f.PriceBand = v }},
	{"language", search.FacetLanguage, func(f *catalog.Filter, v string) { f.Language = v }},
	{"author", search.FacetAuthor, func(f *catalog.Filter, v string) { f.Author = v }},
	{"publisher", search.FacetPublisher, func(f *catalog.Filter, v string) { f.Publisher = v }},
}

// maxFacetValues keeps long facets (authors, publishers) to their most
// frequent values.
const maxFacetValues = 12

// listing renders one page of products matching f and the query's filters,
// with facet counts and orders.
func (s *Server) listing(w http.ResponseWriter, r *http.Request, loc, heading string, f catalog.Filter) error {
	d, err := s.listingOf(r, loc, f)
	if err != nil {
		return err
	}
	d.Heading = heading
	p := s.page(r, loc, heading, d)
	p.Description = heading + " — " + d.Count + ". " + i18n.T(loc, "web.tagline", nil)
	p.NoIndex = strings.HasSuffix(r.URL.Path, "/search") // results pages: followed, not kept
	return s.render(w, http.StatusOK, "listing", p)
}

// listingOf reads one page of products matching f and the query's
// filters, with facet counts and orders. A filter value the catalog
// refuses is dropped and named in a notice, so a stale link still shows
// products.
func (s *Server) listingOf(r *http.Request, loc string, f catalog.Filter) (listingData, error) {
	query := r.URL.Query()
	f.Page, _ = strconv.Atoi(query.Get("page"))
	f.Page = min(max(f.Page, 1), 10000)
	f.PerPage = 24
	f.Facets = true
	f.Sort = search.Sort(query.Get("sort"))
	for _, p := range filterParams {
		if v := strings.TrimSpace(query.Get(p.param)); v != "" && !(p.param == "category" && f.Category != "") {
			p.set(&f, v)
		}
	}
	res, err := s.Catalog.List(r.Context(), public, f)
	var bad *errs.Error
	var notice []string
	if errors.As(err, &bad) && bad.Code == errs.Invalid && len(bad.Fields) > 0 {
		for field, msg := range bad.Fields {
			notice = append(notice, i18n.T(loc, "listing.ignored", map[string]any{"field": i18n.T(loc, "facet."+field, nil),
				"problem": i18n.T(loc, msg, nil)}))
			switch field {
			case "sort":
				f.Sort = ""
			default:
				for _, p := range filterParams {
					if p.param == field {
						p.set(&f, "")
					}
				}
			}
		}
		sort.Strings(notice)
		res, err = s.Catalog.List(r.Context(), public, f)
	}
	if err != nil {
		return listingData{}, err
	}
	d := listingData{Count: i18n.N(loc, "catalog.products_count", res.Total, nil),
		Items: s.cards(r, loc, res.Items), Notice: strings.Join(notice, " ")}
	if res.Page > 1 {
		d.Prev = pageURL(r, res.Page-1)
	}
	if res.Page*res.PerPage < res.Total {
		d.Next = pageURL(r, res.Page+1)
	}
	d.Facets, err = s.facetGroups(r, loc, f, res.Facets)
	if err != nil {
		return listingData{}, err
	}
	current := res.Sort // the order the catalog gave, which may differ from the default asked
	for _, o := range search.Sorts {
		if o == search.Relevance && strings.TrimSpace(f.Q) == "" {
			continue
		}
		d.Sorts = append(d.Sorts, option{Label: i18n.T(loc, "sort."+string(o), nil), URL: withParam(r, "sort", string(o)), Selected: o == current})
	}
	return d, nil
}

// facetGroups turns facet counts into groups of links. The category facet
// offers the sub-categories of the category in force (or the top level).
func (s *Server) facetGroups(r *http.Request, loc string, f catalog.Filter, counts map[string][]search.Count) ([]facetGroup, error) {
	cats, err := s.Catalog.Categories(r.Context())
	if err != nil {
		return nil, err
	}
	catNames := map[string]string{}
	children := map[string]bool{}
	for _, c := range cats {
		catNames[c.Slug], _, _ = i18n.Pick(c.Names, loc)
		if c.Parent == f.Category {
			children[c.Slug] = true
		}
	}
	inForce := map[string]string{"region": f.Region, "kind": f.Kind, "certification": f.Certification, "price": f.PriceBand,
		"language": f.Language, "author": f.Author, "publisher": f.Publisher}
	var groups []facetGroup
	for _, p := range filterParams {
		g := facetGroup{Label: i18n.T(loc, "facet."+p.param, nil)}
		values := counts[p.facet]
		if p.param == "price" {
			values = inBandOrder(values)
		}
		for _, c := range values {
			if len(g.Options) == maxFacetValues {
				break
			}
			o := option{Count: c.N, Label: facetLabel(loc, p.param, c.Value, catNames)}
			switch {
			case p.param == "category":
				if !children[c.Value] {
					continue
				}
				o.URL = categoryURL(r, loc, c.Value)
			case inForce[p.param] == c.Value:
				o.Selected, o.URL = true, withParam(r, p.param, "")
			default:
				o.URL = withParam(r, p.param, c.Value)
			}
			g.Options = append(g.Options, o)
		}
		// Offer sub-categories always (they are the way down the tree), and
		// other facets when they can narrow the listing or undo a filter.
		if len(g.Options) > 1 || len(g.Options) == 1 && (p.param == "category" || g.Options[0].Selected || g.Options[0].Count < countAll(counts)) {
			groups = append(groups, g)
		}
	}
	return groups, nil
}

// countAll is how many products the listing holds, read off a facet every
// product has.
func countAll(counts map[string][]search.Count) int {
	n := 0
	for _, c := range counts[search.FacetKind] {
		n += c.N
	}
	return n
}

func inBandOrder(values []search.Count) []search.Count {
	out := make([]search.Count, 0, len(values))
	for _, b := range search.Bands {
		for _, c := range values {
			if c.Value == b.Code {
				out = append(out, c)
			}
		}
	}
	return out
}

// facetLabel is how a facet value reads in loc.
func facetLabel(loc, param, value string, catNames map[string]string) string {
	switch param {
	case "category":
		return catNames[value]
	case "region":
		return regionName(value, loc)
	case "kind", "certification", "language":
		return i18n.T(loc, param+"."+value, nil)
	case "price":
		for _, b := range search.Bands {
			if b.Code != value {
				continue
			}
			from, to := wholeDirhams(loc, b.From), wholeDirhams(loc, b.To)
			switch {
			case b.From == 0:
				return i18n.T(loc, "price.under", map[string]any{"to": to})
			case b.To == 0:
				return i18n.T(loc, "price.over", map[string]any{"from": from})
			}
			return i18n.T(loc, "price.between", map[string]any{"from": from, "to": to})
		}
	}
	return value
}

// wholeDirhams formats a round amount of dirhams without centimes.
func wholeDirhams(loc string, dh int64) string {
	s := i18n.FormatMoney(loc, money.Dirhams(dh*100))
	for _, zeros := range []string{",00", ".00"} {
		s = strings.Replace(s, zeros, "", 1)
	}
	return s
}

// withParam is the current URL with param set to value (removed when
// value is ""), back on the first page.
func withParam(r *http.Request, param, value string) string {
	q := r.URL.Query()
	q.Del("page")
	if value == "" {
		q.Del(param)
	} else {
		q.Set(param, value)
	}
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

// categoryURL narrows to a sub-category: its own page, keeping the other
// filters; search results keep their words and take ?category=.
func categoryURL(r *http.Request, loc, slug string) string {
	if strings.HasSuffix(r.URL.Path, "/search") {
		return withParam(r, "category", slug)
	}
	q := r.URL.Query()
	q.Del("page")
	u := url.URL{Path: "/" + loc + "/c/" + slug, RawQuery: q.Encode()}
	return u.String()
}

func (s *Server) category(w http.ResponseWriter, r *http.Request, loc string) error {
	slug := r.PathValue("category")
	cats, err := s.Catalog.Categories(r.Context())
	if err != nil {
		return err
	}
	for _, c := range cats {
		if c.Slug == slug {
			heading, _, _ := i18n.Pick(c.Names, loc)
			return s.listing(w, r, loc, heading, catalog.Filter{Category: slug})
		}
	}
	return errs.NotFoundE("category")
}

func (s *Server) books(w http.ResponseWriter, r *http.Request, loc string) error {
	r.SetPathValue("category", "books")
	return s.category(w, r, loc)
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, loc string) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if rs := []rune(q); len(rs) > 200 {
		q = string(rs[:200]) // whole letters: an Arabic query cut mid-letter would not match
	}
	heading := i18n.T(loc, "web.results_for", map[string]any{"q": q})
	if q == "" { // browsing by facets alone, e.g. a region from the home page
		heading = i18n.T(loc, "listing.all_products", nil)
		if reg := r.URL.Query().Get("region"); reg != "" {
			heading = i18n.T(loc, "listing.from_region", map[string]any{"region": regionName(reg, loc)})
		}
	}
	return s.listing(w, r, loc, heading, catalog.Filter{Q: q})
}
