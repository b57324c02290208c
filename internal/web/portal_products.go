package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"souk/internal/catalog"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/photo"
)

// The vendor's products in the portal: the list (status, photo, price,
// stock, languages still missing), the product form, photos taken with the
// phone, sending a product for review, and the catalog as a spreadsheet
// (portal_import.go). Every route is for the vendor's own people; a
// product of another vendor is not found.

func (s *Server) portalProductRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/vendor/products", Access: vendorPeople, Handle: s.portalProducts, Nav: "products.nav"},
		{Method: "GET", Pattern: "/vendor/products/new", Access: vendorPeople, Handle: s.portalProductNew},
		{Method: "POST", Pattern: "/vendor/products/new", Access: vendorPeople, Handle: s.portalProductCreate},
		{Method: "GET", Pattern: "/vendor/products/{product}", Access: vendorPeople, Handle: s.portalProduct},
		{Method: "POST", Pattern: "/vendor/products/{product}", Access: vendorPeople, Handle: s.portalProductSave},
		{Method: "POST", Pattern: "/vendor/products/{product}/photos", Access: vendorPeople, Handle: s.portalPhotosAdd},
		{Method: "POST", Pattern: "/vendor/products/{product}/photos/{position}/remove", Access: vendorPeople, Handle: s.portalPhotoRemove},
		{Method: "POST", Pattern: "/vendor/products/{product}/photos/{position}/move", Access: vendorPeople, Handle: s.portalPhotoMove},
		{Method: "POST", Pattern: "/vendor/products/{product}/submit", Access: vendorPeople, Handle: s.portalProductSubmit},
		{Method: "GET", Pattern: "/vendor/products/export.csv", Access: vendorPeople, Handle: s.portalProductsExport},
		{Method: "GET", Pattern: "/vendor/products/template.csv", Access: vendorPeople, Handle: s.portalProductsTemplate},
		{Method: "GET", Pattern: "/vendor/products/import", Access: vendorPeople, Handle: s.portalImportForm, Nav: "products.nav_import"},
		{Method: "POST", Pattern: "/vendor/products/import", Access: vendorPeople, Handle: s.portalImportStart},
		{Method: "GET", Pattern: "/vendor/products/import/{job}", Access: vendorPeople, Handle: s.portalImportJob},
		{Method: "GET", Pattern: "/vendor/products/import/{job}/status", Access: vendorPeople, Handle: s.portalImportStatus},
	}
}

var _ = notice("products.created", "products.saved", "products.photos_added", "products.photo_removed", "products.photo_moved",
	"products.submitted")

// productBadge is the badge class of a product status.
func productBadge(st catalog.Status) string {
	switch st {
	case catalog.Published:
		return "ok"
	case catalog.PendingReview:
		return "warn"
	case catalog.Rejected:
		return "bad"
	}
	return ""
}

// missingLanguages names, in loc, the languages p has no title in.
func missingLanguages(loc string, texts map[string]catalog.Texts) string {
	var out []string
	for _, l := range formLocales(loc) {
		if strings.TrimSpace(texts[l].Title) == "" {
			out = append(out, i18n.T(loc, "language."+l, nil))
		}
	}
	return strings.Join(out, i18n.T(loc, "products.list_sep", nil))
}

// productTitle is p's title in loc, along the fallback chain.
func productTitle(loc string, p catalog.Product) string {
	t, _, ok := i18n.Pick(p.Texts, loc)
	if !ok || t.Title == "" {
		return i18n.T(loc, "products.untitled", nil)
	}
	return t.Title
}

// priceRange is the lowest price, or "lowest – highest".
func priceRange(loc string, vs []catalog.Variant) string {
	if len(vs) == 0 {
		return ""
	}
	lo, hi := vs[0].Price, vs[0].Price
	for _, v := range vs[1:] {
		if v.Price.Amount < lo.Amount {
			lo = v.Price
		}
		if v.Price.Amount > hi.Amount {
			hi = v.Price
		}
	}
	if lo == hi {
		return i18n.FormatMoney(loc, lo)
	}
	return i18n.FormatMoney(loc, lo) + " – " + i18n.FormatMoney(loc, hi)
}

type productRow struct {
	URL, Title            string
	Status, Badge, Reason string
	Price                 string
	Stock                 int
	Thumb                 *picture
	Missing               string
}

type productsData struct {
	Q        string
	Status   selectField
	Rows     []productRow
	Total    int
	Filtered bool // a search or a status is chosen
	Prev     string
	Next     string
}

// portalProducts lists the vendor's products, newest first.
func (s *Server) portalProducts(w http.ResponseWriter, r *http.Request, c bo) error {
	q := r.URL.Query()
	f := catalog.VendorFilter{Q: strings.TrimSpace(q.Get("q")), Status: catalog.Status(q.Get("status")), PerPage: 30}
	if !f.Status.Valid() {
		f.Status = ""
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	page, err := s.Catalog.VendorProducts(r.Context(), c.User, c.User.VendorID, f)
	if err != nil {
		return err
	}
	d := productsData{Q: f.Q, Total: page.Total, Filtered: f.Q != "" || f.Status != ""}
	all := 0
	for _, n := range page.Counts {
		all += n
	}
	d.Status = selectField{formField: formField{ID: "status", Name: "status", Label: i18n.T(c.Loc, "products.show", nil)}}
	d.Status.Choices = append(d.Status.Choices, choice{Value: "", Label: i18n.T(c.Loc, "products.all", map[string]any{"count": all})})
	for _, st := range []catalog.Status{catalog.Draft, catalog.PendingReview, catalog.Published, catalog.Rejected} {
		d.Status.Choices = append(d.Status.Choices, choice{Value: string(st),
			Label: i18n.T(c.Loc, "products.status."+string(st), nil) + " (" + strconv.Itoa(page.Counts[st]) + ")"})
	}
	d.Status.choose(string(f.Status))
	for _, p := range page.Items {
		row := productRow{URL: "/vendor/products/" + strconv.FormatInt(p.ID, 10), Title: productTitle(c.Loc, p),
			Status: i18n.T(c.Loc, "products.status."+string(p.Status), nil), Badge: productBadge(p.Status),
			Price: priceRange(c.Loc, p.Variants), Missing: missingLanguages(c.Loc, p.Texts), Thumb: firstPicture(p, "")}
		if p.Status == catalog.Rejected {
			row.Reason = p.ReviewNote
		}
		for _, v := range p.Variants {
			row.Stock += v.Stock
		}
		d.Rows = append(d.Rows, row)
	}
	if page.Page > 1 {
		d.Prev = pageURL(r, page.Page-1)
	}
	if page.Page*page.PerPage < page.Total {
		d.Next = pageURL(r, page.Page+1)
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_products", i18n.T(c.Loc, "products.nav", nil), d)
}

// ownProduct is the product the path names, if it is the vendor's own:
// anything else — another vendor's, even published — is not found.
func (s *Server) ownProduct(r *http.Request, c bo) (catalog.Product, error) {
	id, err := strconv.ParseInt(r.PathValue("product"), 10, 64)
	if err != nil || id <= 0 {
		return catalog.Product{}, errs.NotFoundE("product")
	}
	p, err := s.Catalog.Get(r.Context(), c.User, strconv.FormatInt(id, 10))
	if err != nil {
		return catalog.Product{}, err
	}
	if p.VendorID != c.User.VendorID {
		return catalog.Product{}, errs.NotFoundE("product")
	}
	return p, nil
}

type photoView struct {
	Pic                 *picture
	Position, N         int
	RemoveURL, MoveURL  string
	First, Last         bool
	Earlier, Later      int
	RemoveLabel, Legend string
}

// submitBox is the "send for review" step of a product.
type submitBox struct {
	URL       string
	Can       bool     // draft or rejected: it may be sent
	Missing   []string // what it needs first
	Pending   bool
	Published bool
	Problems  []string // why the last press was refused
}

type productPageData struct {
	ID           int64
	Title        string
	Status       string
	Badge        string
	Reason       string // the moderator's, when rejected
	PublicURL    string
	Problems     []problem
	Form         productForm
	VariantRows  int
	CertRows     int
	Photos       []photoView
	PhotosURL    string
	PhotoCount   int
	MaxPhotos    int
	CanAddPhotos bool
	PhotoErrors  []string
	Submit       submitBox
}

// productPage is the product's page: its status, next step, photos and form.
func (s *Server) productPage(r *http.Request, c bo, p *catalog.Product, form productForm) productPageData {
	d := productPageData{Form: form, VariantRows: len(form.Variants), CertRows: len(form.Certs), MaxPhotos: catalog.MaxPhotos}
	if p == nil {
		d.Title = i18n.T(c.Loc, "products.new_title", nil)
		return d
	}
	d.ID, d.Title = p.ID, productTitle(c.Loc, *p)
	d.Status, d.Badge = i18n.T(c.Loc, "products.status."+string(p.Status), nil), productBadge(p.Status)
	base := "/vendor/products/" + strconv.FormatInt(p.ID, 10)
	if p.Status == catalog.Rejected {
		d.Reason = p.ReviewNote
	}
	if p.Status == catalog.Published {
		d.PublicURL = "/" + c.Loc + "/p/" + p.Slug
	}
	d.PhotosURL, d.PhotoCount = base+"/photos", len(p.Images)
	d.CanAddPhotos = len(p.Images) < catalog.MaxPhotos
	for i, im := range p.Images {
		n := i + 1
		v := photoView{Pic: pictureOf(im, i18n.T(c.Loc, "products.photo_n", map[string]any{"n": n})), Position: i, N: n,
			RemoveURL: fmt.Sprintf("%s/photos/%d/remove", base, i), MoveURL: fmt.Sprintf("%s/photos/%d/move", base, i),
			First: i == 0, Last: i == len(p.Images)-1, Earlier: i - 1, Later: i + 1,
			Legend: i18n.T(c.Loc, "products.photo_n", map[string]any{"n": n})}
		if i == 0 {
			v.Legend = i18n.T(c.Loc, "products.photo_main", nil)
		}
		d.Photos = append(d.Photos, v)
	}
	d.Submit = submitBox{URL: base + "/submit", Pending: p.Status == catalog.PendingReview, Published: p.Status == catalog.Published,
		Can: p.Status == catalog.Draft || p.Status == catalog.Rejected}
	if d.Submit.Can {
		d.Submit.Missing = readiness(c.Loc, catalog.ReadyForReview(*p))
	}
	return d
}

// readiness says in words what a product needs before review.
func readiness(loc string, err error) []string {
	var e *errs.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, k := range []string{"photos", "texts"} {
		if key, ok := e.Fields[k]; ok {
			out = append(out, i18n.T(loc, key, nil))
		}
	}
	return out
}

// finish puts the form's, the photos' and the review's problems in the
// page's summary.
func (d *productPageData) finish(loc string, formProblems []problem) {
	d.Problems = append(d.Problems, formProblems...)
	for _, p := range d.PhotoErrors {
		d.Problems = append(d.Problems, problem{ID: "photos", Text: p})
	}
	for _, p := range d.Submit.Problems {
		d.Problems = append(d.Problems, problem{ID: "submit", Text: p})
	}
}

func (s *Server) renderProduct(w http.ResponseWriter, r *http.Request, c bo, status int, d productPageData) error {
	return s.renderBO(w, r, c, status, "portal_product", d.Title, d)
}

// portalProductNew shows an empty product form.
func (s *Server) portalProductNew(w http.ResponseWriter, r *http.Request, c bo) error {
	f, err := s.newProductForm(r, c, "/vendor/products/new", 1, 1)
	if err != nil {
		return err
	}
	f.New = true
	f.settle(c.Loc)
	return s.renderProduct(w, r, c, http.StatusOK, s.productPage(r, c, nil, f))
}

// portalProduct shows a product: its status, photos and form.
func (s *Server) portalProduct(w http.ResponseWriter, r *http.Request, c bo) error {
	p, err := s.ownProduct(r, c)
	if err != nil {
		return err
	}
	f, err := s.productFormOf(r, c, p)
	if err != nil {
		return err
	}
	return s.renderProduct(w, r, c, http.StatusOK, s.productPage(r, c, &p, f))
}

// productFormOf is the form filled with p.
func (s *Server) productFormOf(r *http.Request, c bo, p catalog.Product) (productForm, error) {
	f, err := s.newProductForm(r, c, "/vendor/products/"+strconv.FormatInt(p.ID, 10), len(p.Variants), 1)
	if err != nil {
		return f, err
	}
	f.fill(c.Loc, p)
	return f, nil
}

func (s *Server) portalProductCreate(w http.ResponseWriter, r *http.Request, c bo) error {
	return s.saveProduct(w, r, c, nil)
}

func (s *Server) portalProductSave(w http.ResponseWriter, r *http.Request, c bo) error {
	p, err := s.ownProduct(r, c)
	if err != nil {
		return err
	}
	return s.saveProduct(w, r, c, &p)
}

// saveProduct creates (cur nil) or changes a product from the posted form.
// "add_variant" and "add_certification" only give the form back with one
// more empty row, nothing saved.
func (s *Server) saveProduct(w http.ResponseWriter, r *http.Request, c bo, cur *catalog.Product) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	v := r.PostForm
	action := "/vendor/products/new"
	if cur != nil {
		action = "/vendor/products/" + strconv.FormatInt(cur.ID, 10)
	}
	f, err := s.newProductForm(r, c, action, rowCount(v, "variant_rows", formMaxVariants), rowCount(v, "cert_rows", formMaxCerts))
	if err != nil {
		return err
	}
	f.New = cur == nil
	f.read(c.Loc, v)
	switch {
	case v.Has("add_variant"):
		if len(f.Variants) < formMaxVariants {
			f.addVariant(c.Loc)
		}
		return s.renderProduct(w, r, c, http.StatusOK, s.productPage(r, c, cur, f))
	case v.Has("add_certification"):
		if len(f.Certs) < formMaxCerts {
			f.addCert(c.Loc)
		}
		return s.renderProduct(w, r, c, http.StatusOK, s.productPage(r, c, cur, f))
	}
	in, problems, variantRows, certRows := f.input(cur)
	if len(problems) == 0 {
		var p catalog.Product
		if cur == nil {
			p, err = s.Catalog.Create(r.Context(), c.User, c.User.VendorID, in)
		} else {
			p, err = s.Catalog.Update(r.Context(), c.User, cur.ID, in)
		}
		if err == nil {
			key := "products.saved"
			if cur == nil {
				key = "products.created"
			}
			return done(w, r, "/vendor/products/"+strconv.FormatInt(p.ID, 10), key)
		}
		if !f.domainProblems(c.Loc, err, problems, variantRows, certRows) {
			return err
		}
	}
	d := s.productPage(r, c, cur, f)
	d.finish(c.Loc, d.Form.explain(c.Loc, problems))
	return s.renderProduct(w, r, c, http.StatusUnprocessableEntity, d)
}

// photoPage shows the product's page again after a photo action, with its
// problems.
func (s *Server) photoPage(w http.ResponseWriter, r *http.Request, c bo, status int, problems, submit []string) error {
	p, err := s.ownProduct(r, c) // read again: some photos may have been added
	if err != nil {
		return err
	}
	f, err := s.productFormOf(r, c, p)
	if err != nil {
		return err
	}
	d := s.productPage(r, c, &p, f)
	d.PhotoErrors, d.Submit.Problems = problems, submit
	d.finish(c.Loc, nil)
	return s.renderProduct(w, r, c, status, d)
}

// photoBodyLimit is the largest photo upload read: a product's ten photos
// at their largest, and the form.
const photoBodyLimit = catalog.MaxPhotos*photo.MaxBytes + 1<<20

// portalPhotosAdd adds the photos sent (one or several, from the phone's
// camera or gallery), each on its own: a refused one is named with its
// file name and why; the others are kept.
func (s *Server) portalPhotosAdd(w http.ResponseWriter, r *http.Request, c bo) error {
	p, err := s.ownProduct(r, c)
	if err != nil {
		return err
	}
	t := func(key string, args map[string]any) string { return i18n.T(c.Loc, key, args) }
	r.Body = http.MaxBytesReader(w, r.Body, photoBodyLimit)
	err = r.ParseMultipartForm(8 << 20) // a no-op when auth.CSRF parsed it already
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	var mb *http.MaxBytesError
	switch {
	case err == nil, errors.Is(err, http.ErrNotMultipart):
	case errors.As(err, &mb), errors.Is(err, multipart.ErrMessageTooLarge):
		return s.photoPage(w, r, c, http.StatusRequestEntityTooLarge, []string{t("products.photos_too_large", nil)}, nil)
	default:
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	var files []*multipart.FileHeader
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["photos"] {
			if fh.Filename != "" || fh.Size > 0 {
				files = append(files, fh)
			}
		}
	}
	if len(files) == 0 {
		return s.photoPage(w, r, c, http.StatusUnprocessableEntity, []string{t("products.photo_choose", nil)}, nil)
	}
	var refused []string
	count := len(p.Images)
	for _, fh := range files {
		name := fh.Filename
		if name == "" {
			name = t("products.photo_unnamed", nil)
		}
		why := ""
		if count >= catalog.MaxPhotos {
			why = t("products.photo_limit", map[string]any{"max": catalog.MaxPhotos})
		} else if data, err := readPhoto(fh); err != nil {
			return fmt.Errorf("read photo %q: %w", fh.Filename, err)
		} else if _, err := s.Catalog.AddPhoto(r.Context(), c.User, p.ID, data, ""); err != nil {
			var e *errs.Error
			switch {
			case !errors.As(err, &e) || e.Code != errs.Invalid:
				return err
			case e.Fields["photos"] != "":
				why = t("products.photo_limit", map[string]any{"max": catalog.MaxPhotos})
			case e.Fields[photo.Field] != "":
				why = t(e.Fields[photo.Field], nil)
			default:
				why = errorText(c.Loc, err)
			}
		} else {
			count++
		}
		if why != "" {
			refused = append(refused, t("products.photo_refused", map[string]any{"file": name, "problem": why}))
		}
	}
	if len(refused) > 0 {
		return s.photoPage(w, r, c, http.StatusUnprocessableEntity, refused, nil)
	}
	return done(w, r, "/vendor/products/"+strconv.FormatInt(p.ID, 10), "products.photos_added")
}

// readPhoto reads an upload, a byte past photo.MaxBytes at most (so that
// the domain says it is too large).
func readPhoto(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, photo.MaxBytes+1))
}

// photoPosition is the {position} of the path, -1 when it is not a number
// (the domain then says the photo is not there).
func photoPosition(r *http.Request) int {
	n, err := strconv.Atoi(r.PathValue("position"))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// photoChange runs a photo action; a position that is not (or no longer)
// there is said on the page, with 422.
func (s *Server) photoChange(w http.ResponseWriter, r *http.Request, c bo, key string, change func(p catalog.Product) error) error {
	p, err := s.ownProduct(r, c)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	if err := change(p); err != nil {
		var e *errs.Error
		if errors.As(err, &e) && e.Code == errs.Invalid && len(e.Fields) > 0 {
			return s.photoPage(w, r, c, http.StatusUnprocessableEntity, []string{i18n.T(c.Loc, "products.photo_gone", nil)}, nil)
		}
		return err
	}
	return done(w, r, "/vendor/products/"+strconv.FormatInt(p.ID, 10), key)
}

func (s *Server) portalPhotoRemove(w http.ResponseWriter, r *http.Request, c bo) error {
	return s.photoChange(w, r, c, "products.photo_removed", func(p catalog.Product) error {
		_, err := s.Catalog.RemovePhoto(r.Context(), c.User, p.ID, photoPosition(r))
		return err
	})
}

func (s *Server) portalPhotoMove(w http.ResponseWriter, r *http.Request, c bo) error {
	return s.photoChange(w, r, c, "products.photo_moved", func(p catalog.Product) error {
		to, err := strconv.Atoi(money.WesternDigits(r.PostForm.Get("to")))
		if err != nil {
			return errs.Fields{"to": "field.integer"}.Err()
		}
		_, err = s.Catalog.MovePhoto(r.Context(), c.User, p.ID, photoPosition(r), to)
		return err
	})
}

// portalProductSubmit sends the product for review; what it lacks is said
// on its page.
func (s *Server) portalProductSubmit(w http.ResponseWriter, r *http.Request, c bo) error {
	p, err := s.ownProduct(r, c)
	if err != nil {
		return err
	}
	if _, err := s.Catalog.Submit(r.Context(), c.User, p.ID); err != nil {
		if why := readiness(c.Loc, err); len(why) > 0 {
			return s.photoPage(w, r, c, http.StatusUnprocessableEntity, nil, why)
		}
		return err
	}
	return done(w, r, "/vendor/products/"+strconv.FormatInt(p.ID, 10), "products.submitted")
}
