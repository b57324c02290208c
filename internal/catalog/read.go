package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/morocco"
	"souk/internal/search"
	"souk/internal/text"
	"souk/internal/vendor"
)

// productSelect reads a product row with its vendor's and category's slugs;
// vendor status decides public visibility.
const productSelect = `SELECT p.id, p.slug, p.vendor_id, v.slug, v.status, p.category_id, c.slug, p.region, p.tax_class,
	p.status, p.review_note, p.created_at, p.updated_at, p.published_at
	FROM products p JOIN vendors v ON v.id = p.vendor_id JOIN categories c ON c.id = p.category_id`

type row struct {
	Product
	vendorApproved bool
}

func scanRow(r interface{ Scan(...any) error }) (row, error) {
	var p row
	var vendorStatus string
	var published sql.NullTime
	err := r.Scan(&p.ID, &p.Slug, &p.VendorID, &p.VendorSlug, &vendorStatus, &p.CategoryID, &p.CategorySlug, &p.Region,
		&p.TaxClass, &p.Status, &p.ReviewNote, &p.CreatedAt, &p.UpdatedAt, &published)
	p.vendorApproved = vendorStatus == "approved"
	if published.Valid {
		t := published.Time
		p.PublishedAt = &t
	}
	return p, err
}

// visible: the public sees published products of approved vendors; a
// vendor's users see all of their vendor's; operators see everything.
func visible(by auth.User, p Product) bool {
	return by.IsOperator() || (by.IsVendorUser() && by.VendorID == p.VendorID)
}

func publiclyVisible(r row) bool { return r.Status == Published && r.vendorApproved }

// canSee: what by cannot see is "not found" to them, whatever they ask.
func canSee(by auth.User, r row) bool { return publiclyVisible(r) || visible(by, r.Product) }

func (s *Service) byID(ctx context.Context, id int64) (Product, error) {
	r, err := s.one(ctx, productSelect+` WHERE p.id = ?`, id)
	return r.Product, err
}

func (s *Service) one(ctx context.Context, query string, arg any) (row, error) {
	q := s.db.Read()
	r, err := scanRow(q.QueryRowContext(ctx, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return row{}, errs.NotFoundE("product")
	}
	if err != nil {
		return row{}, fmt.Errorf("get product: %w", err)
	}
	items := []Product{r.Product}
	if err := hydrate(ctx, q, items); err != nil {
		return row{}, err
	}
	r.Product = items[0]
	return r, nil
}

// Get finds a product by numeric id or slug. Products by may not see are
// errs.NotFound, so a draft's existence does not leak.
func (s *Service) Get(ctx context.Context, by auth.User, idOrSlug string) (Product, error) {
	query, arg := productSelect+` WHERE p.slug = ?`, any(idOrSlug)
	if id, err := strconv.ParseInt(idOrSlug, 10, 64); err == nil {
		query, arg = productSelect+` WHERE p.id = ?`, id
	}
	r, err := s.one(ctx, query, arg)
	if err != nil {
		return Product{}, err
	}
	if !canSee(by, r) {
		return Product{}, errs.NotFoundE("product")
	}
	return r.Product, nil
}

// List returns one page of products matching f, newest first. Without a
// Status the public catalog is listed, answered from the search index.
// Other statuses are for operators, and for a vendor's users listing their
// own vendor (errs.Forbidden otherwise).
func (s *Service) List(ctx context.Context, by auth.User, f Filter) (Page, error) {
	f.Page = max(f.Page, 1)
	if f.PerPage < 1 {
		f.PerPage = 20
	}
	f.PerPage = min(f.PerPage, 100)
	if f.Status == "" {
		return s.listPublic(ctx, f)
	}
	q := s.db.Read()
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	switch {
	case !f.Status.Valid():
		return Page{}, errs.Fields{"status": "field.enum"}.Err()
	case by.IsOperator():
		add("p.status = ?", string(f.Status))
	case by.IsVendorUser():
		add("p.status = ? AND p.vendor_id = ?", string(f.Status), by.VendorID)
	default:
		return Page{}, &errs.Error{Code: errs.Forbidden, Message: "error.forbidden", Fields: map[string]string{"status": "field.status_operator_only"}}
	}
	if f.Vendor != "" {
		if id, err := strconv.ParseInt(f.Vendor, 10, 64); err == nil {
			add("p.vendor_id = ?", id)
		} else {
			add("v.slug = ?", f.Vendor)
		}
	}
	if f.Category != "" {
		add(`p.category_id IN (WITH RECURSIVE sub(id) AS (
			SELECT id FROM categories WHERE slug = ?
			UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)`, f.Category)
	}
	if f.Region != "" {
		add("p.region = ?", f.Region)
	}
	if isbn, ok := NormalizeISBN(f.Q); ok {
		add(`p.id IN (SELECT product_id FROM books WHERE isbn = ?)`, isbn)
	} else if cond, a, ok := search.Match(q.Dialect(), "p.id", search.Query{Text: f.Q}); ok {
		add(cond, a...)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	page := Page{Page: f.Page, PerPage: f.PerPage, Items: []Product{}}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM products p JOIN vendors v ON v.id = p.vendor_id`+cond, args...).Scan(&page.Total); err != nil {
		return Page{}, fmt.Errorf("count products: %w", err)
	}
	items, err := s.load(ctx, productSelect+cond+` ORDER BY p.id DESC LIMIT ? OFFSET ?`, append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return Page{}, err
	}
	page.Items = items
	return page, nil
}

// listPublic answers the public catalog from the search index alone: words,
// category, region, vendor, facets and visibility are all index terms, so
// one lookup gives the page and the count whatever the catalog's size.
// Answers are cached for a few seconds (see listingCache), the products
// they show until they change (see productCache).
func (s *Service) listPublic(ctx context.Context, f Filter) (Page, error) {
	s.Sync(ctx) // this node's own changes first: the caches below drop them only when the feed is read
	q := s.db.Read()
	page := Page{Page: f.Page, PerPage: f.PerPage, Items: []Product{}}
	sq, err := s.publicQuery(ctx, q, f)
	if errors.Is(err, errNoMatch) {
		return page, nil
	}
	if err != nil {
		return Page{}, err
	}
	if f.Sort == "" {
		f.Sort = search.Newest
		if len(search.Terms(f.Q)) > 0 {
			f.Sort = search.Relevance
		}
	}
	ans, err := s.cache.get(s.cacheKey(q.Dialect(), sq, f), func() (listing, error) {
		offset := (f.Page - 1) * f.PerPage
		if ids, total, counts, ok := s.memory.List(sq, f.Sort, f.PerPage, offset, f.Facets); ok {
			return listing{ids: ids, total: total, facets: counts}, nil
		}
		var l listing
		var err error
		l.ids, l.total, err = search.Page(ctx, q, sq, f.Sort, f.PerPage, offset)
		if err != nil || !f.Facets {
			return l, err
		}
		l.facets, err = search.Facets(ctx, q, sq)
		return l, err
	})
	if err != nil {
		return Page{}, err
	}
	page.Total, page.Sort = ans.total, f.Sort
	if f.Facets {
		if page.Facets, err = s.namedFacets(ctx, ans.facets); err != nil {
			return Page{}, err
		}
	}
	if len(ans.ids) == 0 {
		return page, nil
	}
	if page.Items, err = s.publicProducts(ctx, ans.ids); err != nil {
		return Page{}, err
	}
	return page, nil
}

// errNoMatch: the filter names a vendor or category that does not exist,
// so nothing can match.
var errNoMatch = errors.New("no match")

// publicQuery checks a public filter and turns it into an index query.
func (s *Service) publicQuery(ctx context.Context, q db.Querier, f Filter) (search.Query, error) {
	sq := search.Query{Text: f.Q, PublishedOnly: true, Region: f.Region, Kind: f.Kind, Certification: f.Certification,
		PriceBand: f.PriceBand, Language: f.Language, Author: f.Author, Publisher: f.Publisher}
	bad := errs.Fields{}
	if _, ok := morocco.RegionByCode(f.Region); f.Region != "" && !ok {
		bad.Add("region", "field.enum")
	}
	if f.Kind != "" && !slices.Contains(vendor.Kinds, vendor.Kind(f.Kind)) {
		bad.Add("kind", "field.enum")
	}
	if f.Certification != "" && !slices.Contains(CertificationKinds, f.Certification) {
		bad.Add("certification", "field.enum")
	}
	if f.PriceBand != "" && !search.ValidBand(f.PriceBand) {
		bad.Add("price", "field.enum")
	}
	if f.Sort != "" && !slices.Contains(search.Sorts, f.Sort) {
		bad.Add("sort", "field.enum")
	}
	for field, v := range map[string]string{"language": f.Language, "author": f.Author, "publisher": f.Publisher} {
		if msg := text.Check(v, false, 200); msg != "" {
			bad.Add(field, msg)
		}
	}
	if err := bad.Err(); err != nil {
		return sq, err
	}
	if isbn, ok := NormalizeISBN(f.Q); ok {
		sq.Text = isbn
	}
	if f.Vendor != "" {
		query, arg := `SELECT id FROM vendors WHERE slug = ?`, any(f.Vendor)
		if id, err := strconv.ParseInt(f.Vendor, 10, 64); err == nil {
			query, arg = `SELECT id FROM vendors WHERE id = ?`, id
		}
		if err := q.QueryRowContext(ctx, query, arg).Scan(&sq.VendorID); errors.Is(err, sql.ErrNoRows) {
			return sq, errNoMatch
		} else if err != nil {
			return sq, fmt.Errorf("list products: %w", err)
		}
	}
	if f.Category != "" {
		if err := q.QueryRowContext(ctx, `SELECT id FROM categories WHERE slug = ?`, f.Category).Scan(&sq.CategoryID); errors.Is(err, sql.ErrNoRows) {
			return sq, errNoMatch
		} else if err != nil {
			return sq, fmt.Errorf("list products: %w", err)
		}
	}
	var err error
	sq.ExcludeVendors, err = s.hiddenVendors(ctx, q)
	return sq, err
}

// hiddenVendors lists the vendors not (or no longer) approved that have
// published products, which public listings leave out. Every listing asks:
// the answer is kept until the change feed reports a change of listings or
// of a vendor (see readFeed).
func (s *Service) hiddenVendors(ctx context.Context, q db.Querier) ([]int64, error) {
	h := &s.hidden
	h.mu.Lock()
	ids, known, gen := h.ids, h.known, h.gen
	h.mu.Unlock()
	if known {
		return ids, nil
	}
	if err := collectIDs(ctx, q, &ids, `SELECT id FROM vendors v WHERE v.status <> 'approved'
		AND EXISTS (SELECT 1 FROM products p WHERE p.vendor_id = v.id AND p.status = 'published') ORDER BY id`); err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	h.mu.Lock()
	if h.gen == gen { // no change since the read began: it may be kept
		h.ids, h.known = ids, true
	}
	h.mu.Unlock()
	return ids, nil
}

// hiddenList is hiddenVendors' answer, kept; gen counts its changes.
type hiddenList struct {
	mu    sync.Mutex
	ids   []int64
	known bool
	gen   uint64
}

// forget drops the list: a listing or a vendor changed.
func (h *hiddenList) forget() {
	h.mu.Lock()
	h.ids, h.known = nil, false
	h.gen++
	h.mu.Unlock()
}

// namedFacets turns the category ids of facet counts into slugs.
func (s *Service) namedFacets(ctx context.Context, counts map[string][]search.Count) (map[string][]search.Count, error) {
	out := make(map[string][]search.Count, len(counts))
	for k, v := range counts {
		out[k] = v
	}
	cats, ok := counts[search.FacetCategory]
	if !ok {
		return out, nil
	}
	tree, err := s.Categories(ctx)
	if err != nil {
		return nil, err
	}
	slugs := make(map[string]string, len(tree))
	for _, c := range tree {
		slugs[strconv.FormatInt(c.ID, 10)] = c.Slug
	}
	named := make([]search.Count, 0, len(cats))
	for _, c := range cats {
		if slug, ok := slugs[c.Value]; ok {
			named = append(named, search.Count{Value: slug, N: c.N})
		}
	}
	out[search.FacetCategory] = named
	return out, nil
}

// load reads the products a query selects, with everything they hold.
func (s *Service) load(ctx context.Context, query string, args ...any) ([]Product, error) {
	q := s.db.Read()
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	defer rows.Close()
	items := []Product{}
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("list products: %w", err)
		}
		items = append(items, r.Product)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	return items, hydrate(ctx, q, items)
}

// hydrate loads texts, variants, certifications, images and book details of
// items with one query per table.
func hydrate(ctx context.Context, q db.Querier, items []Product) error {
	if len(items) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(items))
	args := make([]any, len(items))
	for i := range items {
		idx[items[i].ID] = i
		args[i] = items[i].ID
		items[i].Texts = map[string]Texts{}
		items[i].Variants = []Variant{}
		items[i].Certifications = []Certification{}
		items[i].Images = []Image{}
	}
	in := "(" + db.Placeholders(len(items)) + ")"
	each := func(query string, scan func(rows *sql.Rows) error) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("load products: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("load products: %w", err)
			}
		}
		return rows.Err()
	}
	var id int64
	err := each(`SELECT product_id, locale, title, description FROM product_texts WHERE product_id IN `+in, func(r *sql.Rows) error {
		var loc string
		var t Texts
		if err := r.Scan(&id, &loc, &t.Title, &t.Description); err != nil {
			return err
		}
		items[idx[id]].Texts[loc] = t
		return nil
	})
	if err != nil {
		return err
	}
	err = each(`SELECT product_id, id, sku, label, price_amount, price_currency, stock, weight_grams, length_mm, width_mm, height_mm
		FROM variants WHERE product_id IN `+in+` ORDER BY product_id, position`, func(r *sql.Rows) error {
		var v Variant
		if err := r.Scan(&id, &v.ID, &v.SKU, &v.Label, &v.Price.Amount, &v.Price.Currency, &v.Stock, &v.WeightGrams,
			&v.LengthMM, &v.WidthMM, &v.HeightMM); err != nil {
			return err
		}
		p := &items[idx[id]]
		p.Variants = append(p.Variants, v)
		return nil
	})
	if err != nil {
		return err
	}
	err = each(`SELECT product_id, kind, issuer, number, expires_on FROM certifications WHERE product_id IN `+in+` ORDER BY id`, func(r *sql.Rows) error {
		var c Certification
		var exp sql.NullTime
		if err := r.Scan(&id, &c.Kind, &c.Issuer, &c.Number, &exp); err != nil {
			return err
		}
		if exp.Valid {
			c.ExpiresOn = exp.Time.Format(time.DateOnly)
		}
		p := &items[idx[id]]
		p.Certifications = append(p.Certifications, c)
		return nil
	})
	if err != nil {
		return err
	}
	err = each(`SELECT product_id, path, width, height, alt, webp FROM product_images WHERE product_id IN `+in+` ORDER BY product_id, position`, func(r *sql.Rows) error {
		var im Image
		if err := r.Scan(&id, &im.Path, &im.Width, &im.Height, &im.Alt, &im.WebP); err != nil {
			return err
		}
		p := &items[idx[id]]
		p.Images = append(p.Images, im)
		return nil
	})
	if err != nil {
		return err
	}
	err = each(`SELECT product_id, isbn, publisher, language, year, pages FROM books WHERE product_id IN `+in, func(r *sql.Rows) error {
		b := &Book{Authors: []string{}}
		if err := r.Scan(&id, &b.ISBN, &b.Publisher, &b.Language, &b.Year, &b.Pages); err != nil {
			return err
		}
		items[idx[id]].Book = b
		return nil
	})
	if err != nil {
		return err
	}
	return each(`SELECT product_id, name FROM book_authors WHERE product_id IN `+in+` ORDER BY product_id, position`, func(r *sql.Rows) error {
		var name string
		if err := r.Scan(&id, &name); err != nil {
			return err
		}
		if b := items[idx[id]].Book; b != nil {
			b.Authors = append(b.Authors, name)
		}
		return nil
	})
}

// Categories returns the whole category tree, parents before children.
// The tree is reference data read on every storefront page: it is kept for
// a minute, and callers share it — they must not change it.
func (s *Service) Categories(ctx context.Context) ([]Category, error) {
	if c := s.categories.Load(); c != nil && time.Now().Before(c.expires) {
		return c.tree, nil
	}
	tree, err := categoryTree(ctx, s.db.Read())
	if err != nil {
		return nil, err
	}
	s.categories.Store(&categoryCache{tree: tree, expires: time.Now().Add(time.Minute)})
	return tree, nil
}

type categoryCache struct {
	tree    []Category
	expires time.Time
}

func categoryTree(ctx context.Context, q db.Querier) ([]Category, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.slug, COALESCE(c.parent_id, 0), COALESCE(p.slug, ''), c.position
		FROM categories c LEFT JOIN categories p ON p.id = c.parent_id
		ORDER BY COALESCE(p.position, c.position), c.parent_id IS NOT NULL, c.position, c.id`)
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	defer rows.Close()
	var out []Category
	idx := map[int64]int{}
	for rows.Next() {
		var c Category
		if err := rows.Scan(&c.ID, &c.Slug, &c.ParentID, &c.Parent, &c.Position); err != nil {
			return nil, fmt.Errorf("categories: %w", err)
		}
		c.Names = map[string]string{}
		idx[c.ID] = len(out)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows2, err := q.QueryContext(ctx, `SELECT category_id, locale, name FROM category_texts`)
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	defer rows2.Close()
	for rows2.Next() {
		var id int64
		var loc, name string
		if err := rows2.Scan(&id, &loc, &name); err != nil {
			return nil, err
		}
		if i, ok := idx[id]; ok {
			out[i].Names[loc] = name
		}
	}
	return out, rows2.Err()
}
