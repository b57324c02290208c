package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"souk/internal/catalog"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/vendor"
)

// The operator console's product moderation: the queue of products waiting
// for review (the longest waiting first), the published products whose
// certifications run out, and one product as customers would see it in
// each language, with the quality checklist that publishing needs and the
// rejection with its reason. The vendor is told by e-mail
// (catalog.Moderate, in the transaction of the decision).

func (s *Server) adminCatalogRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/admin/products", Access: operators, Handle: s.moderationQueue, Nav: "moderation.nav"},
		{Method: "GET", Pattern: "/admin/products/{product}", Access: operators, Handle: s.moderationProduct},
		{Method: "POST", Pattern: "/admin/products/{product}/publish", Access: operators, Handle: s.moderationDecide(catalog.Publish)},
		{Method: "POST", Pattern: "/admin/products/{product}/reject", Access: operators, Handle: s.moderationDecide(catalog.Reject)},
	}
}

var _ = notice("moderation.published", "moderation.rejected")

// modCert is a certification with its expiry badge: bad once expired, warn
// within catalog.CertificationWarningDays, ok after.
type modCert struct {
	Label, Issuer, Number string
	Until, Badge          string
}

func modCertOf(loc string, c catalog.Certification, today time.Time) modCert {
	m := modCert{Label: i18n.T(loc, "certification."+c.Kind, nil), Issuer: c.Issuer, Number: c.Number,
		Until: i18n.T(loc, "moderation.cert_no_expiry", nil), Badge: "ok"}
	day, err := time.Parse(time.DateOnly, c.ExpiresOn)
	if err != nil {
		return m
	}
	date := map[string]any{"date": day.Format("02/01/2006")}
	switch {
	case day.Before(today):
		m.Until, m.Badge = i18n.T(loc, "moderation.cert_expired", date), "bad"
	case day.Before(catalog.CertificationWarningLimit(today)):
		m.Until, m.Badge = i18n.T(loc, "moderation.cert_expires", date), "warn"
	default:
		m.Until = i18n.T(loc, "moderation.cert_valid", date)
	}
	return m
}

// modToday is the first instant of today (UTC, as certification dates are).
func modToday() time.Time {
	y, m, d := now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// modMissing names the languages in which p has no title or no
// description of its own.
func modMissing(loc string, p catalog.Product) []string {
	var out []string
	for _, l := range i18n.Locales {
		if t := p.Texts[l]; t.Title == "" || t.Description == "" {
			out = append(out, i18n.T(loc, "language."+l, nil))
		}
	}
	return out
}

type modQueueRow struct {
	URL, Title, Vendor, Category string
	Since                        string
	Photos                       int
	Missing                      []string
	Certs                        []modCert // the expiring ones, in the certifications tab
}

type modQueueData struct {
	Expiring                  bool // the certifications tab
	ReviewURL, ExpiringURL    string
	ReviewTotal, ExpiringDays int
	ExpiringTotal             int
	Vendor, Q                 string
	Vendors                   []choice
	Rows                      []modQueueRow
	Total                     int
	Prev, Next                string
}

// moderationQueue lists the products waiting for review, or (?tab=expiring)
// the published ones whose certifications run out.
func (s *Server) moderationQueue(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx, q := r.Context(), r.URL.Query()
	f := catalog.QueueFilter{Vendor: strings.TrimSpace(q.Get("vendor")), Q: strings.TrimSpace(q.Get("q"))}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	d := modQueueData{Expiring: q.Get("tab") == "expiring", Vendor: f.Vendor, Q: f.Q, ExpiringDays: catalog.CertificationWarningDays}
	keep := url.Values{}
	for _, k := range []string{"vendor", "q"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	d.ReviewURL = "/admin/products?" + keep.Encode()
	keep.Set("tab", "expiring")
	d.ExpiringURL = "/admin/products?" + keep.Encode()
	review, err := s.Catalog.ReviewQueue(ctx, c.User, f)
	if err != nil {
		return err
	}
	expiring, err := s.Catalog.ExpiringCertifications(ctx, c.User, f)
	if err != nil {
		return err
	}
	d.ReviewTotal, d.ExpiringTotal = review.Total, expiring.Total
	page := review
	if d.Expiring {
		page = expiring
	}
	d.Total = page.Total
	vendors, _, err := s.Vendors.List(ctx, c.User, vendor.Filter{PerPage: 100})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	d.Vendors = append(d.Vendors, choice{Value: "", Label: i18n.T(c.Loc, "moderation.all_vendors", nil)})
	for _, v := range vendors {
		names[v.ID] = v.DisplayName(c.Loc)
		d.Vendors = append(d.Vendors, choice{Value: strconv.FormatInt(v.ID, 10), Label: names[v.ID],
			Selected: f.Vendor == strconv.FormatInt(v.ID, 10) || f.Vendor == v.Slug})
	}
	cats, err := s.modCategoryNames(r, c.Loc)
	if err != nil {
		return err
	}
	today := modToday()
	for _, p := range page.Items {
		t, _, _ := i18n.Pick(p.Texts, c.Loc)
		row := modQueueRow{URL: "/admin/products/" + strconv.FormatInt(p.ID, 10), Title: t.Title, Vendor: names[p.VendorID],
			Category: cats[p.CategoryID], Since: when(p.UpdatedAt), Photos: len(p.Images), Missing: modMissing(c.Loc, p)}
		if row.Vendor == "" {
			row.Vendor = p.VendorSlug
		}
		if d.Expiring {
			for _, cert := range p.Certifications {
				if m := modCertOf(c.Loc, cert, today); m.Badge != "ok" {
					row.Certs = append(row.Certs, m)
				}
			}
		}
		d.Rows = append(d.Rows, row)
	}
	if page.Page > 1 {
		d.Prev = pageURL(r, page.Page-1)
	}
	if page.Page*page.PerPage < page.Total {
		d.Next = pageURL(r, page.Page+1)
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_products", i18n.T(c.Loc, "moderation.queue_title", nil), d)
}

// modCategoryNames names every category in loc, by id.
func (s *Server) modCategoryNames(r *http.Request, loc string) (map[int64]string, error) {
	tree, err := s.Catalog.Categories(r.Context())
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(tree))
	for _, cat := range tree {
		name, _, ok := i18n.Pick(cat.Names, loc)
		if !ok {
			name = cat.Slug
		}
		out[cat.ID] = name
	}
	return out, nil
}

// modLocale is the product in one language as a customer reading it sees
// it: its own words, or those the fallback chain finds.
type modLocale struct {
	Locale, Name, Dir  string
	Title, Description string
	TitleFrom          string // the language the title comes from when it has none of its own
	NoTitle, NoText    bool   // no title, no description of its own
}

type modVariant struct {
	SKU, Label, Price, Stock, Weight, Size string
	SoldOut                                bool
}

type modCheck struct {
	ID, Value, Label, Error string
	Checked                 bool
}

type modBook struct {
	ISBN, Authors, Publisher, Language string
	Year, Pages                        int
}

type modProductData struct {
	ID                         int64
	Title, Status, StatusBadge string
	Slug, PublicURL            string
	Vendor, VendorURL          string
	VendorShopURL              string
	VendorApproved             bool
	Category, Region, Changed  string
	ReviewNote                 string
	Locales                    []modLocale
	Missing                    []string
	Photos                     []*picture
	Variants                   []modVariant
	Certs                      []modCert
	Book                       *modBook
	Checks                     []modCheck
	Reason, ReasonError        string
	CanPublish, CanReject      bool
	PublishURL, RejectURL      string
	Message                    string // what stopped the last decision
	Problems                   []problem
	Failed                     catalog.Verdict // the form the problems belong to
}

func modProductID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("product"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundE("product")
	}
	return id, nil
}

// moderationProduct shows one product to review.
func (s *Server) moderationProduct(w http.ResponseWriter, r *http.Request, c bo) error {
	id, err := modProductID(r)
	if err != nil {
		return err
	}
	d, err := s.modProduct(r, c, id)
	if err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_product", i18n.T(c.Loc, "moderation.product_title", map[string]any{"title": d.Title}), d)
}

func (s *Server) modProduct(r *http.Request, c bo, id int64) (modProductData, error) {
	ctx, loc := r.Context(), c.Loc
	p, err := s.Catalog.Get(ctx, c.User, strconv.FormatInt(id, 10))
	if err != nil {
		return modProductData{}, err
	}
	v, err := s.Vendors.Get(ctx, c.User, strconv.FormatInt(p.VendorID, 10))
	if err != nil {
		return modProductData{}, err
	}
	cats, err := s.modCategoryNames(r, loc)
	if err != nil {
		return modProductData{}, err
	}
	t, _, _ := i18n.Pick(p.Texts, loc)
	d := modProductData{ID: p.ID, Title: t.Title, Status: i18n.T(loc, "moderation.status."+string(p.Status), nil), Slug: p.Slug,
		Vendor: v.DisplayName(loc), VendorURL: "/admin/vendors/" + strconv.FormatInt(v.ID, 10), VendorApproved: v.Status == vendor.Approved,
		VendorShopURL: "/" + loc + "/v/" + v.Slug, Category: cats[p.CategoryID], Region: regionName(p.Region, loc),
		Changed: when(p.UpdatedAt), ReviewNote: p.ReviewNote, Missing: modMissing(loc, p),
		CanPublish: p.Status == catalog.PendingReview || p.Status == catalog.Rejected,
		CanReject:  p.Status == catalog.PendingReview || p.Status == catalog.Published,
		PublishURL: fmt.Sprintf("/admin/products/%d/publish", p.ID), RejectURL: fmt.Sprintf("/admin/products/%d/reject", p.ID)}
	switch p.Status {
	case catalog.Published:
		d.StatusBadge, d.PublicURL = "ok", "/"+loc+"/p/"+p.Slug
	case catalog.Rejected:
		d.StatusBadge = "bad"
	case catalog.PendingReview:
		d.StatusBadge = "warn"
	}
	for _, l := range i18n.Locales {
		own := p.Texts[l]
		picked, from, _ := i18n.Pick(p.Texts, l)
		m := modLocale{Locale: l, Name: localeNames[l], Dir: i18n.Dir(l), Title: picked.Title, Description: own.Description,
			NoTitle: own.Title == "", NoText: own.Description == ""}
		if m.NoTitle && from != "" {
			m.TitleFrom = localeNames[from]
		}
		if m.NoText {
			// What a customer reads: the description of the language the title
			// comes from along the chain.
			for _, fl := range i18n.Chain(l) {
				if desc := p.Texts[fl].Description; desc != "" {
					m.Description = desc
					break
				}
			}
		}
		d.Locales = append(d.Locales, m)
	}
	for _, im := range p.Images {
		alt := im.Alt
		if alt == "" {
			alt = t.Title
		}
		d.Photos = append(d.Photos, pictureOf(im, alt))
	}
	for _, x := range p.Variants {
		mv := modVariant{SKU: x.SKU, Label: x.Label, Price: i18n.FormatMoney(loc, x.Price), Stock: strconv.Itoa(x.Stock), SoldOut: x.Stock == 0,
			Weight: i18n.T(loc, "moderation.grams", map[string]any{"grams": x.WeightGrams})}
		if x.LengthMM > 0 || x.WidthMM > 0 || x.HeightMM > 0 {
			mv.Size = fmt.Sprintf("%d × %d × %d mm", x.LengthMM, x.WidthMM, x.HeightMM)
		}
		d.Variants = append(d.Variants, mv)
	}
	today := modToday()
	for _, cert := range p.Certifications {
		d.Certs = append(d.Certs, modCertOf(loc, cert, today))
	}
	if b := p.Book; b != nil {
		d.Book = &modBook{ISBN: b.ISBN, Authors: strings.Join(b.Authors, ", "), Publisher: b.Publisher,
			Language: i18n.T(loc, "language."+b.Language, nil), Year: b.Year, Pages: b.Pages}
	}
	for _, name := range catalog.QualityChecks {
		d.Checks = append(d.Checks, modCheck{ID: "check-" + name, Value: name, Label: i18n.T(loc, "moderation.check."+name, nil)})
	}
	return d, nil
}

// moderationDecide publishes or rejects a product. A refused decision
// shows the product again with what to correct (422), or why it cannot be
// taken now (409); what was ticked and typed stays.
func (s *Server) moderationDecide(verdict catalog.Verdict) boHandler {
	return func(w http.ResponseWriter, r *http.Request, c bo) error {
		id, err := modProductID(r)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return errs.E(errs.Invalid, "error.invalid")
		}
		dec := catalog.Decision{Verdict: verdict, Checked: r.PostForm["check"], Reason: r.PostFormValue("reason")}
		_, err = s.Catalog.Moderate(r.Context(), c.User, id, dec)
		if err == nil {
			return done(w, r, "/admin/products", map[catalog.Verdict]string{catalog.Publish: "moderation.published", catalog.Reject: "moderation.rejected"}[verdict])
		}
		var e *errs.Error
		if !errors.As(err, &e) || (e.Code != errs.Invalid && e.Code != errs.Conflict) {
			return err
		}
		d, lerr := s.modProduct(r, c, id)
		if lerr != nil {
			return lerr
		}
		d.Failed, d.Reason = verdict, dec.Reason
		if verdict == catalog.Publish {
			for i := range d.Checks {
				d.Checks[i].Checked = slices.Contains(dec.Checked, d.Checks[i].Value)
			}
		}
		status := http.StatusUnprocessableEntity
		if e.Code == errs.Conflict {
			status, d.Message = http.StatusConflict, errorText(c.Loc, err)
		}
		for i := range d.Checks {
			if key, ok := e.Fields["check."+d.Checks[i].Value]; ok {
				d.Checks[i].Error = i18n.T(c.Loc, "shop.field_error", map[string]any{"field": d.Checks[i].Label, "problem": i18n.T(c.Loc, key, nil)})
				d.Problems = append(d.Problems, problem{ID: d.Checks[i].ID, Text: d.Checks[i].Error})
			}
		}
		if key, ok := e.Fields["reason"]; ok {
			d.ReasonError = i18n.T(c.Loc, "shop.field_error", map[string]any{"field": i18n.T(c.Loc, "moderation.reason", nil), "problem": i18n.T(c.Loc, key, nil)})
			d.Problems = append(d.Problems, problem{ID: "reason", Text: d.ReasonError})
		}
		if e.Code == errs.Invalid && len(d.Problems) == 0 {
			d.Message = errorText(c.Loc, err)
		}
		return s.renderBO(w, r, c, status, "admin_product", i18n.T(c.Loc, "moderation.product_title", map[string]any{"title": d.Title}), d)
	}
}
