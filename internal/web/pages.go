package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

// public is who the storefront reads as: everyone sees the same catalog.
var public = auth.User{}

// productCard is a product in a grid.
type productCard struct {
	URL, Title, Price, Vendor string
}

func regionName(code, loc string) string {
	r, ok := morocco.RegionByCode(code)
	if !ok {
		return code
	}
	name, _, _ := i18n.Pick(r.Names, loc)
	return name
}

// cards turns products into grid cards, naming each vendor once.
func (s *Server) cards(r *http.Request, loc string, items []catalog.Product) []productCard {
	names := map[string]string{}
	out := make([]productCard, 0, len(items))
	for _, p := range items {
		if _, ok := names[p.VendorSlug]; !ok {
			if v, err := s.Vendors.BySlug(r.Context(), p.VendorSlug); err == nil {
				names[p.VendorSlug] = v.DisplayName(loc)
			}
		}
		t, _, _ := i18n.Pick(p.Texts, loc)
		c := productCard{URL: "/" + loc + "/p/" + p.Slug, Title: t.Title, Vendor: names[p.VendorSlug]}
		if len(p.Variants) > 0 {
			c.Price = i18n.FormatMoney(loc, p.Variants[0].Price)
		}
		out = append(out, c)
	}
	return out
}

type named struct{ Slug, Name, Region string }

type homeData struct {
	Categories []named
	Vendors    []named
	Regions    []string
	Latest     []productCard
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, loc string) error {
	cats, err := s.Catalog.Categories(r.Context())
	if err != nil {
		return err
	}
	var d homeData
	for _, c := range cats {
		if c.Parent == "" && c.Slug != "books" {
			name, _, _ := i18n.Pick(c.Names, loc)
			d.Categories = append(d.Categories, named{Slug: c.Slug, Name: name})
		}
	}
	vs, _, err := s.Vendors.List(r.Context(), public, vendor.Filter{Kind: vendor.Cooperative, PerPage: 12})
	if err != nil {
		return err
	}
	for _, v := range vs {
		d.Vendors = append(d.Vendors, named{Slug: v.Slug, Name: v.DisplayName(loc), Region: regionName(v.Region, loc)})
	}
	for _, reg := range morocco.Regions {
		d.Regions = append(d.Regions, regionName(reg.Code, loc))
	}
	latest, err := s.Catalog.List(r.Context(), public, catalog.Filter{PerPage: 12})
	if err != nil {
		return err
	}
	d.Latest = s.cards(r, loc, latest.Items)
	p := s.page(r, loc, i18n.T(loc, "web.home", nil), d)
	p.Description = i18n.T(loc, "web.tagline", nil)
	return s.render(w, http.StatusOK, "home", p)
}

type listingData struct {
	Heading    string
	Sub        []named
	Count      string
	Items      []productCard
	Prev, Next string
}

// listing renders one page of products matching f.
func (s *Server) listing(w http.ResponseWriter, r *http.Request, loc, heading string, sub []named, f catalog.Filter) error {
	f.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	f.Page = min(max(f.Page, 1), 10000)
	f.PerPage = 24
	res, err := s.Catalog.List(r.Context(), public, f)
	if err != nil {
		return err
	}
	d := listingData{Heading: heading, Sub: sub, Count: i18n.N(loc, "catalog.products_count", res.Total, nil),
		Items: s.cards(r, loc, res.Items)}
	if res.Page > 1 {
		d.Prev = pageURL(r, res.Page-1)
	}
	if res.Page*res.PerPage < res.Total {
		d.Next = pageURL(r, res.Page+1)
	}
	return s.render(w, http.StatusOK, "listing", s.page(r, loc, heading, d))
}

func (s *Server) category(w http.ResponseWriter, r *http.Request, loc string) error {
	slug := r.PathValue("category")
	cats, err := s.Catalog.Categories(r.Context())
	if err != nil {
		return err
	}
	heading, found := "", false
	var sub []named
	for _, c := range cats {
		name, _, _ := i18n.Pick(c.Names, loc)
		if c.Slug == slug {
			heading, found = name, true
		}
		if c.Parent == slug {
			sub = append(sub, named{Slug: c.Slug, Name: name})
		}
	}
	if !found {
		return errs.NotFoundE("category")
	}
	return s.listing(w, r, loc, heading, sub, catalog.Filter{Category: slug})
}

func (s *Server) books(w http.ResponseWriter, r *http.Request, loc string) error {
	r.SetPathValue("category", "books")
	return s.category(w, r, loc)
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, loc string) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	return s.listing(w, r, loc, i18n.T(loc, "web.results_for", map[string]any{"q": q}), nil, catalog.Filter{Q: q})
}

type variantRow struct {
	Label, Price, Stock string
	SoldOut             bool
}

type productData struct {
	Title, Description string
	Authors            string
	Variants           []variantRow
	Vendor, VendorSlug string
	Region             string
	Certifications     []string
}

func (s *Server) product(w http.ResponseWriter, r *http.Request, loc string) error {
	p, err := s.Catalog.Get(r.Context(), public, r.PathValue("product"))
	if err != nil {
		return err
	}
	v, err := s.Vendors.BySlug(r.Context(), p.VendorSlug)
	if err != nil {
		return err
	}
	t, _, _ := i18n.Pick(p.Texts, loc)
	d := productData{Title: t.Title, Description: t.Description, Vendor: v.DisplayName(loc), VendorSlug: v.Slug, Region: regionName(p.Region, loc)}
	if p.Book != nil {
		d.Authors = strings.Join(p.Book.Authors, ", ")
	}
	for _, x := range p.Variants {
		row := variantRow{Label: x.Label, Price: i18n.FormatMoney(loc, x.Price)}
		switch {
		case x.Stock == 0:
			row.Stock, row.SoldOut = i18n.T(loc, "web.sold_out", nil), true
		case x.Stock <= 5:
			row.Stock = i18n.T(loc, "web.few_left", map[string]any{"count": x.Stock})
		default:
			row.Stock = i18n.T(loc, "web.in_stock", nil)
		}
		d.Variants = append(d.Variants, row)
	}
	for _, c := range p.Certifications {
		line := c.Issuer
		if c.Number != "" {
			line += " — " + c.Number
		}
		if c.ExpiresOn != "" {
			if when, err := time.Parse(time.DateOnly, c.ExpiresOn); err == nil {
				line += " (" + i18n.T(loc, "web.valid_until", map[string]any{"date": when.Format("02/01/2006")}) + ")"
			}
		}
		d.Certifications = append(d.Certifications, line)
	}
	pg := s.page(r, loc, t.Title, d)
	pg.Description = t.Description
	return s.render(w, http.StatusOK, "product", pg)
}

type vendorData struct {
	Name, City, Region, Story string
	Count                     string
	Products                  []productCard
}

func (s *Server) vendor(w http.ResponseWriter, r *http.Request, loc string) error {
	v, err := s.Vendors.Get(r.Context(), public, r.PathValue("vendor"))
	if err != nil {
		return err
	}
	res, err := s.Catalog.List(r.Context(), public, catalog.Filter{Vendor: strconv.FormatInt(v.ID, 10), PerPage: 24})
	if err != nil {
		return err
	}
	stories := map[string]string{}
	for l, t := range v.Texts {
		stories[l] = t.Story
	}
	story, _, _ := i18n.Pick(stories, loc)
	d := vendorData{Name: v.DisplayName(loc), City: v.City, Region: regionName(v.Region, loc), Story: story,
		Count: i18n.N(loc, "catalog.products_count", res.Total, nil), Products: s.cards(r, loc, res.Items)}
	pg := s.page(r, loc, d.Name, d)
	pg.Description = story
	return s.render(w, http.StatusOK, "vendor", pg)
}
