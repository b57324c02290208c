package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/search"
)

// Service reads and changes the catalog.
type Service struct {
	db     *db.DB
	now    func() time.Time
	cache  *listingCache
	memory *search.Memory // facet index in memory; used once loaded (see LoadIndex)
	feed   *feed          // the change feed this process follows (Follow)

	products *productCache // hydrated products of public listings
	hidden   hiddenList    // vendors whose products listings leave out (hiddenVendors)

	categories atomic.Pointer[categoryCache]

	// MediaDir is the folder /media/ serves, where AddPhoto writes photos;
	// set it before use.
	MediaDir string
}

// ListingCacheTTL is how long a public listing's answer is reused; tests
// and benchmarks of the index itself set it to 0.
var ListingCacheTTL = 5 * time.Second

// NewService returns a Service on d; now is the clock (nil for time.Now).
func NewService(d *db.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, now: now, cache: newListingCache(ListingCacheTTL), memory: search.NewMemory(), feed: &feed{},
		products: newProductCache(DefaultProductCacheBytes)}
}

// NewProduct is one product of a bulk load: the vendor it belongs to and
// what it holds.
type NewProduct struct {
	VendorID int64
	Input    Input
}

// Create adds a product for vendorID. Vendor users may add products to their
// own vendor only, as draft or pending review; operators to any vendor, in
// any status. Bad input is errs.Invalid naming each field; a slug or SKU
// already taken is errs.Conflict.
func (s *Service) Create(ctx context.Context, by auth.User, vendorID int64, in Input) (Product, error) {
	if err := authorizeWrite(by, vendorID, in.Status, ""); err != nil {
		return Product{}, err
	}
	var ids []int64
	var err error
	for attempt := 0; ; attempt++ {
		ids, err = s.bulkCreate(ctx, []NewProduct{{VendorID: vendorID, Input: in}}, func(tx db.Querier, ids []int64) error {
			return s.record(ctx, tx, by, "product.create", ids[0], nil, inputView(in))
		})
		// Two writers on PostgreSQL may derive the same free slug at once:
		// the loser tries again and finds the next one.
		var e *errs.Error
		if err == nil || in.Slug != "" || attempt == 4 || !errors.As(err, &e) || e.Code != errs.Conflict || len(e.Fields) > 0 {
			break
		}
	}
	if err != nil {
		return Product{}, err
	}
	return s.byID(ctx, ids[0])
}

// authorizeWrite lets operators do anything, and a vendor's users change
// their own vendor's products without publishing or rejecting them (keeping
// a status the operator set is fine).
func authorizeWrite(by auth.User, vendorID int64, status, current Status) error {
	switch {
	case by.IsOperator():
		return nil
	case !by.IsVendorUser() || by.VendorID != vendorID:
		return errs.E(errs.Forbidden, "error.forbidden")
	case (status == Published || status == Rejected) && status != current:
		return &errs.Error{Code: errs.Forbidden, Message: "error.forbidden", Fields: map[string]string{"status": "field.status_operator_only"}}
	}
	return nil
}

// BulkCreate adds many products in one transaction with multi-row inserts:
// the path for the demo marketplace and catalog imports. It checks nothing
// about who asks — callers do. Either every product goes in or none; the
// error names the first bad product's fields as "products[i].field".
// It returns the new ids in input order.
func (s *Service) BulkCreate(ctx context.Context, items []NewProduct) ([]int64, error) {
	return s.bulkCreate(ctx, items, nil)
}

// bulkCreate is BulkCreate with then run in its transaction on the new ids.
func (s *Service) bulkCreate(ctx context.Context, items []NewProduct, then func(tx db.Querier, ids []int64) error) ([]int64, error) {
	now := s.now().UTC()
	var ids []int64
	err := s.write(ctx, func(tx db.Querier) error {
		refs, err := loadRefs(ctx, tx)
		if err != nil {
			return err
		}
		rows := make([]prepared, len(items))
		explicit := make([]bool, len(items))
		for i := range items {
			explicit[i] = strings.TrimSpace(items[i].Input.Slug) != ""
			p, err := refs.prepare(ctx, tx, items[i].VendorID, items[i].Input, now)
			if err != nil {
				return prefixFields(err, len(items), i)
			}
			rows[i] = p
		}
		if err := assignSlugs(ctx, tx, rows, explicit); err != nil {
			return err
		}
		mark, err := feedMark(ctx, tx)
		if err != nil {
			return err
		}
		if ids, err = insertProducts(ctx, tx, rows, now); err != nil {
			return err
		}
		if len(ids) >= bulkFeedRows {
			if err := collapseFeed(ctx, tx, mark); err != nil {
				return err
			}
		}
		if then == nil {
			return nil
		}
		return then(tx, ids)
	}, func() []int64 { return ids })
	if err != nil {
		return nil, fmt.Errorf("create products: %w", err)
	}
	return ids, nil
}

// prefixFields names fields of item i as "products[i].…" when there is more
// than one item, so a bulk caller knows which product was bad.
func prefixFields(err error, n, i int) error {
	var e *errs.Error
	if n == 1 || !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make(map[string]string, len(e.Fields))
	for k, v := range e.Fields {
		out.Fields[fmt.Sprintf("products[%d].%s", i, k)] = v
	}
	return &out
}

// prepared is a checked input with its references resolved.
type prepared struct {
	vendorID   int64
	vendorKind string
	categoryID int64
	// variantsWritten: an update matched the variants by SKU itself, so
	// insertDetails must only index them.
	variantsWritten bool
	region          string
	in              Input
	vendorNames     string
	categoryPath    []int64
}

// refs are the small reference tables a product points into, read once per
// write transaction.
type refs struct {
	categories map[string]category // by slug
	taxClasses map[string]bool
	vendors    map[int64]vendorRef // filled as met
	names      map[int64]string    // id -> every display name, for the search index
	parents    map[int64]int64     // category id -> parent id (0 at the top)
}

// vendorRef is what a product takes from its vendor.
type vendorRef struct {
	region, kind string
}

type category struct {
	id     int64
	isBook bool // in the books tree
}

func loadRefs(ctx context.Context, q db.Querier) (*refs, error) {
	r := &refs{categories: map[string]category{}, taxClasses: map[string]bool{}, vendors: map[int64]vendorRef{}, names: map[int64]string{}, parents: map[int64]int64{}}
	cats, err := categoryTree(ctx, q)
	if err != nil {
		return nil, err
	}
	byID := map[int64]Category{}
	for _, c := range cats {
		byID[c.ID] = c
		r.parents[c.ID] = c.ParentID
	}
	for _, c := range cats {
		root := c
		for root.ParentID != 0 {
			root = byID[root.ParentID]
		}
		r.categories[c.Slug] = category{id: c.ID, isBook: root.Slug == "books"}
	}
	rows, err := q.QueryContext(ctx, `SELECT code FROM tax_classes`)
	if err != nil {
		return nil, fmt.Errorf("tax classes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		r.taxClasses[code] = true
	}
	return r, rows.Err()
}

func (r *refs) prepare(ctx context.Context, q db.Querier, vendorID int64, in Input, now time.Time) (prepared, error) {
	in.Texts = cloneTexts(in.Texts)
	if err := in.clean(now); err != nil {
		return prepared{}, err
	}
	f := errs.Fields{}
	cat, ok := r.categories[in.Category]
	switch {
	case !ok:
		f.Add("category", "field.category")
	case cat.isBook && in.Book == nil:
		f.Add("book", "field.book_required")
	case !cat.isBook && in.Book != nil:
		f.Add("book", "field.book_category")
	}
	if !r.taxClasses[in.TaxClass] {
		f.Add("tax_class", "field.enum")
	}
	v, ok := r.vendors[vendorID]
	if !ok {
		var err error
		switch v, err = r.vendor(ctx, q, vendorID); {
		case errors.Is(err, sql.ErrNoRows):
			f.Add("vendor", "field.not_found")
		case err != nil:
			return prepared{}, err
		}
	}
	region := v.region
	if in.Region == "" {
		in.Region = region
	}
	if in.Status == "" {
		in.Status = Draft
	}
	if err := f.Err(); err != nil {
		return prepared{}, err
	}
	return prepared{vendorID: vendorID, vendorKind: v.kind, categoryID: cat.id, region: in.Region, in: in, vendorNames: r.names[vendorID],
		categoryPath: ancestry(r.parents, cat.id)}, nil
}

// vendor reads what products take from a vendor, once per transaction;
// sql.ErrNoRows when there is no such vendor.
func (r *refs) vendor(ctx context.Context, q db.Querier, id int64) (vendorRef, error) {
	if v, ok := r.vendors[id]; ok {
		return v, nil
	}
	var v vendorRef
	if err := q.QueryRowContext(ctx, `SELECT region, kind FROM vendors WHERE id = ?`, id).Scan(&v.region, &v.kind); err != nil {
		return v, err
	}
	names, err := vendorNames(ctx, q, id)
	if err != nil {
		return v, err
	}
	r.vendors[id], r.names[id] = v, names
	return v, nil
}

// vendorNames reads a vendor's display names in every locale: shoppers
// search by the cooperative's name too.
func vendorNames(ctx context.Context, q db.Querier, vendorID int64) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT display_name FROM vendor_texts WHERE vendor_id = ? ORDER BY locale`, vendorID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return "", err
		}
		names = append(names, n)
	}
	return strings.Join(names, " "), rows.Err()
}

func cloneTexts(t map[string]Texts) map[string]Texts {
	out := make(map[string]Texts, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}

// assignSlugs makes every slug unique: a slug the user chose must be free
// (errs.Conflict otherwise); a derived one gets the first free "-N" suffix.
func assignSlugs(ctx context.Context, q db.Querier, rows []prepared, explicit []bool) error {
	want := make([]any, 0, len(rows))
	for _, r := range rows {
		want = append(want, r.in.Slug)
	}
	taken := map[string]bool{}
	for start := 0; start < len(want); start += 500 {
		chunk := want[start:min(start+500, len(want))]
		if err := collect(ctx, q, taken, `SELECT slug FROM products WHERE slug IN (`+db.Placeholders(len(chunk))+`)`, chunk...); err != nil {
			return err
		}
	}
	for i := range rows {
		slug := rows[i].in.Slug
		if !taken[slug] {
			taken[slug] = true
			continue
		}
		if explicit[i] {
			return prefixFields(&errs.Error{Code: errs.Conflict, Message: "error.conflict", Fields: map[string]string{"slug": "field.taken"}}, len(rows), i)
		}
		// Rare: look up every "slug-N" once for this base.
		if err := collect(ctx, q, taken, `SELECT slug FROM products WHERE slug LIKE ?`, slug+"-%"); err != nil {
			return err
		}
		for n := 2; ; n++ {
			if c := slug + "-" + strconv.Itoa(n); !taken[c] {
				rows[i].in.Slug = c
				taken[c] = true
				break
			}
		}
	}
	return nil
}

func collect(ctx context.Context, q db.Querier, into map[string]bool, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		into[s] = true
	}
	return rows.Err()
}

func insertProducts(ctx context.Context, tx db.Querier, items []prepared, now time.Time) ([]int64, error) {
	rows := make([][]any, len(items))
	for i, p := range items {
		var published *time.Time
		if p.in.Status == Published {
			published = &now
		}
		rows[i] = []any{p.vendorID, p.in.Slug, p.categoryID, p.region, p.in.TaxClass, string(p.in.Status), now, now, published}
	}
	back, err := db.InsertRows(ctx, tx, "products",
		[]string{"vendor_id", "slug", "category_id", "region", "tax_class", "status", "created_at", "updated_at", "published_at"},
		rows, "id", "slug")
	if err != nil {
		return nil, mapWriteErr(err)
	}
	idBySlug := make(map[string]int64, len(back))
	for _, r := range back {
		idBySlug[db.String(r[1])] = db.Int64(r[0])
	}
	ids := make([]int64, len(items))
	for i, p := range items {
		ids[i] = idBySlug[p.in.Slug]
	}
	if err := insertDetails(ctx, tx, ids, items); err != nil {
		return nil, err
	}
	return ids, nil
}

// insertDetails writes everything a product holds besides its own row.
func insertDetails(ctx context.Context, tx db.Querier, ids []int64, items []prepared) error {
	var texts, variants, certs, images, books, authors [][]any
	for i, p := range items {
		id := ids[i]
		for loc, t := range p.in.Texts {
			if t.Title != "" {
				texts = append(texts, []any{id, loc, t.Title, t.Description})
			}
		}
		for pos, v := range p.in.Variants {
			if !p.variantsWritten {
				variants = append(variants, []any{id, v.SKU, v.Label, v.Price.Amount, v.Price.Currency, v.Stock,
					v.WeightGrams, v.LengthMM, v.WidthMM, v.HeightMM, pos})
			}
		}
		for _, c := range p.in.Certifications {
			certs = append(certs, []any{id, c.Kind, c.Issuer, c.Number, dateOrNil(c.ExpiresOn)})
		}
		for pos, im := range p.in.Images {
			images = append(images, []any{id, pos, im.Path, im.Width, im.Height, im.Alt, im.WebP})
		}
		if b := p.in.Book; b != nil {
			books = append(books, []any{id, b.ISBN, b.Publisher, b.Language, b.Year, b.Pages})
			for pos, a := range b.Authors {
				authors = append(authors, []any{id, pos, a})
			}
		}
	}
	steps := []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"product_texts", []string{"product_id", "locale", "title", "description"}, texts},
		{"variants", []string{"product_id", "sku", "label", "price_amount", "price_currency", "stock", "weight_grams", "length_mm", "width_mm", "height_mm", "position"}, variants},
		{"certifications", []string{"product_id", "kind", "issuer", "number", "expires_on"}, certs},
		{"product_images", []string{"product_id", "position", "path", "width", "height", "alt", "webp"}, images},
		{"books", []string{"product_id", "isbn", "publisher", "language", "year", "pages"}, books},
		{"book_authors", []string{"product_id", "position", "name"}, authors},
	}
	for _, st := range steps {
		if _, err := db.InsertRows(ctx, tx, st.table, st.cols, st.rows); err != nil {
			if st.table == "books" && db.IsUniqueViolation(err) {
				return &errs.Error{Code: errs.Conflict, Message: "error.conflict", Fields: map[string]string{"book.isbn": "field.taken"}, Err: err}
			}
			return mapWriteErr(err)
		}
	}
	docs := make([]search.Doc, len(items))
	for i, p := range items {
		docs[i] = indexDoc(Product{ID: ids[i], VendorID: p.vendorID, Region: p.region, Status: p.in.Status, Texts: p.in.Texts,
			Variants: p.in.Variants, Certifications: p.in.Certifications, Book: p.in.Book}, p.vendorKind, p.categoryPath, p.vendorNames)
	}
	return search.Index(ctx, tx, docs)
}

// indexDoc is what the search index holds of p.
func indexDoc(p Product, vendorKind string, categoryPath []int64, vendorNames string) search.Doc {
	d := search.Doc{ProductID: p.ID, Text: searchText(p.Texts, p.Book, vendorNames), Published: p.Status == Published,
		VendorID: p.VendorID, VendorKind: vendorKind, CategoryIDs: categoryPath, Region: p.Region}
	for i, v := range p.Variants {
		if i == 0 || v.Price.Amount < d.Price {
			d.Price = v.Price.Amount
		}
	}
	for _, c := range p.Certifications {
		d.Certifications = append(d.Certifications, c.Kind)
	}
	if p.Book != nil {
		d.Language, d.Authors, d.Publisher = p.Book.Language, p.Book.Authors, p.Book.Publisher
	}
	return d
}

// ancestry is a category and all its ancestors, so that a listing of
// "food" finds what was filed under "argan-oil".
func ancestry(parents map[int64]int64, id int64) []int64 {
	var path []int64
	for id != 0 && len(path) < 16 {
		path = append(path, id)
		id = parents[id]
	}
	return path
}

// searchText is everything a product can be found by: its titles and
// descriptions in every locale, its vendor's names, a book's authors,
// publisher and ISBN.
func searchText(texts map[string]Texts, book *Book, vendorNames string) string {
	var b strings.Builder
	for _, l := range i18n.Locales {
		if t, ok := texts[l]; ok {
			b.WriteString(t.Title + "\n" + t.Description + "\n")
		}
	}
	b.WriteString(vendorNames)
	if book != nil {
		b.WriteString("\n" + strings.Join(book.Authors, "\n") + "\n" + book.Publisher + "\n" + book.ISBN)
	}
	return b.String()
}

func dateOrNil(s string) any {
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil
	}
	return t
}

func mapWriteErr(err error) error {
	switch {
	case db.IsUniqueViolation(err):
		return &errs.Error{Code: errs.Conflict, Message: "error.conflict", Err: err}
	case db.IsCheckViolation(err), db.IsForeignKeyViolation(err):
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	return err
}

// Update replaces a product's details with in. Variants are matched by SKU so
// that a variant keeps its id (carts and orders point at it); variants no
// longer listed are removed. Vendor users may change their own vendor's
// products, and only to draft or pending review; a vendor user who names
// another vendor's product gets errs.NotFound, as if it did not exist.
func (s *Service) Update(ctx context.Context, by auth.User, id int64, in Input) (Product, error) {
	r, err := s.one(ctx, productSelect+` WHERE p.id = ?`, id)
	if err != nil {
		return Product{}, err
	}
	if !canSee(by, r) {
		return Product{}, errs.NotFoundE("product")
	}
	cur := r.Product
	in.Images = keepWebP(in.Images, cur.Images)
	if in.Status == "" {
		in.Status = cur.Status // an edit does not unpublish
	}
	if err := authorizeWrite(by, cur.VendorID, in.Status, cur.Status); err != nil {
		return Product{}, err
	}
	if in.Slug == "" {
		in.Slug = cur.Slug
	}
	now := s.now().UTC()
	err = s.write(ctx, func(tx db.Querier) error {
		r, err := loadRefs(ctx, tx)
		if err != nil {
			return err
		}
		p, err := r.prepare(ctx, tx, cur.VendorID, in, now)
		if err != nil {
			return err
		}
		if p.in.Slug != cur.Slug {
			taken := map[string]bool{}
			if err := collect(ctx, tx, taken, `SELECT slug FROM products WHERE slug = ?`, p.in.Slug); err != nil {
				return err
			}
			if taken[p.in.Slug] {
				return &errs.Error{Code: errs.Conflict, Message: "error.conflict", Fields: map[string]string{"slug": "field.taken"}}
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE products SET slug = ?, category_id = ?, region = ?, tax_class = ?, status = ?,
			updated_at = ?, published_at = CASE WHEN ? = 'published' THEN COALESCE(published_at, ?) ELSE published_at END
			WHERE id = ?`,
			p.in.Slug, p.categoryID, p.region, p.in.TaxClass, string(p.in.Status), now, string(p.in.Status), now, id)
		if err != nil {
			return mapWriteErr(err)
		}
		if err := replaceVariants(ctx, tx, id, p.in.Variants); err != nil {
			return err
		}
		for _, table := range []string{"product_texts", "certifications", "product_images", "books"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE product_id = ?`, id); err != nil {
				return err
			}
		}
		p.variantsWritten = true
		if err := insertDetails(ctx, tx, []int64{id}, []prepared{p}); err != nil {
			return err
		}
		return s.record(ctx, tx, by, "product.update", id, productView(cur), inputView(p.in))
	}, func() []int64 { return []int64{id} })
	if err != nil {
		return Product{}, fmt.Errorf("update product %d: %w", id, err)
	}
	return s.byID(ctx, id)
}

func replaceVariants(ctx context.Context, tx db.Querier, productID int64, vs []Variant) error {
	keep := make([]any, 0, len(vs)+1)
	keep = append(keep, productID)
	for pos, v := range vs {
		keep = append(keep, v.SKU)
		_, err := tx.ExecContext(ctx, `INSERT INTO variants
			(product_id, sku, label, price_amount, price_currency, stock, weight_grams, length_mm, width_mm, height_mm, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (product_id, sku) DO UPDATE SET label = excluded.label, price_amount = excluded.price_amount,
			price_currency = excluded.price_currency, stock = excluded.stock, weight_grams = excluded.weight_grams,
			length_mm = excluded.length_mm, width_mm = excluded.width_mm, height_mm = excluded.height_mm,
			position = excluded.position`,
			productID, v.SKU, v.Label, v.Price.Amount, v.Price.Currency, v.Stock, v.WeightGrams, v.LengthMM, v.WidthMM, v.HeightMM, pos)
		if err != nil {
			return mapWriteErr(err)
		}
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM variants WHERE product_id = ? AND sku NOT IN (`+db.Placeholders(len(vs))+`)`, keep...)
	return err
}

// SetStatus publishes, rejects (with a note for the vendor) or returns a
// product to draft; operators only.
func (s *Service) SetStatus(ctx context.Context, by auth.User, id int64, status Status, note string) (Product, error) {
	if !by.IsOperator() {
		return Product{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	if !status.Valid() {
		return Product{}, errs.Fields{"status": "field.enum"}.Err()
	}
	now := s.now().UTC()
	err := s.write(ctx, func(tx db.Querier) error {
		var before Status
		var beforeNote string
		err := tx.QueryRowContext(ctx, `SELECT status, review_note FROM products WHERE id = ?`, id).Scan(&before, &beforeNote)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundE("product")
		} else if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE products SET status = ?, review_note = ?, updated_at = ?,
			published_at = CASE WHEN ? = 'published' THEN COALESCE(published_at, ?) ELSE published_at END WHERE id = ?`,
			string(status), note, now, string(status), now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFoundE("product")
		}
		if err := s.record(ctx, tx, by, "product.status", id, map[string]any{"status": before, "note": beforeNote},
			map[string]any{"status": status, "note": note}); err != nil {
			return err
		}
		return s.reindex(ctx, tx, []int64{id})
	}, func() []int64 { return []int64{id} })
	if err != nil {
		return Product{}, fmt.Errorf("set product %d status: %w", id, err)
	}
	return s.byID(ctx, id)
}

// Delete removes a product. Vendor users may delete their own vendor's
// products that were never published; operators any.
func (s *Service) Delete(ctx context.Context, by auth.User, id int64) error {
	r, err := s.one(ctx, productSelect+` WHERE p.id = ?`, id)
	if err != nil {
		return err
	}
	if !canSee(by, r) {
		return errs.NotFoundE("product")
	}
	cur := r.Product
	if !by.IsOperator() && (by.VendorID != cur.VendorID || cur.PublishedAt != nil) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.write(ctx, func(tx db.Querier) error {
		if err := s.record(ctx, tx, by, "product.delete", id, productView(cur), nil); err != nil {
			return err
		}
		if err := search.Remove(ctx, tx, []int64{id}); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM products WHERE id = ?`, id)
		return err
	}, func() []int64 { return []int64{id} })
}
