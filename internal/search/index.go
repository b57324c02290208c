package search

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"souk/internal/db"
)

// Doc is one product as the index sees it: the words it is found by, the
// facts a public listing filters on and the facet values it is counted
// under. Filter facts become marker words (see marker) so that one index
// lookup answers a whole listing — words, category, region, vendor,
// certification, price band, visibility — and its count.
type Doc struct {
	ProductID      int64
	Text           string   // titles, descriptions, vendor names, authors, ISBN
	Published      bool     // the product is published (its vendor's approval is checked at query time)
	VendorID       int64    //
	VendorKind     string   // cooperative, artisan, exporter, publisher
	CategoryIDs    []int64  // the product's category and every ancestor
	Region         string   //
	Certifications []string // kinds of the labels it carries
	Price          int64    // lowest variant price, centimes of MAD
	Language       string   // a book's language
	Authors        []string // a book's authors
	Publisher      string   // a book's publisher
}

// marker words are letters and digits only, so the tokenizers of both
// engines keep them whole. A shopper who types one only narrows what they
// may already see.
func marker(kind string, v any) string {
	var b strings.Builder
	b.WriteString("zz" + kind)
	for _, r := range strings.ToLower(fmt.Sprint(v)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// nameMarker stands for a free-text name (an author, a publisher) in any
// script: a hash of its normalised form.
func nameMarker(kind, name string) string {
	sum := sha256.Sum256([]byte(Normalize(name)))
	return "zz" + kind + hex.EncodeToString(sum[:6])
}

// facets are the values d is counted under, by facet name.
func (d Doc) facets() [][2]string {
	var out [][2]string
	add := func(facet, value string) {
		if value != "" {
			out = append(out, [2]string{facet, value})
		}
	}
	add(facetVendor, strconv.FormatInt(d.VendorID, 10))
	if d.Published {
		add(facetVisible, "published")
	}
	for _, c := range d.CategoryIDs {
		add(FacetCategory, strconv.FormatInt(c, 10))
	}
	add(FacetRegion, d.Region)
	add(FacetKind, d.VendorKind)
	seen := map[string]bool{}
	for _, c := range d.Certifications {
		if !seen[c] {
			seen[c] = true
			add(FacetCertification, c)
		}
	}
	add(FacetPrice, BandOf(d.Price))
	add(FacetLanguage, d.Language)
	seen = map[string]bool{}
	for _, a := range d.Authors {
		if !seen[a] {
			seen[a] = true
			add(FacetAuthor, a)
		}
	}
	add(FacetPublisher, d.Publisher)
	return out
}

func (d Doc) body() string {
	var b strings.Builder
	b.WriteString(Normalize(d.Text))
	words := []string{marker("v", d.VendorID)}
	if d.Published {
		words = append(words, marker("pub", ""))
	}
	for _, f := range d.facets() {
		switch f[0] {
		case facetVendor, facetVisible: // marked above
		case FacetAuthor, FacetPublisher:
			words = append(words, nameMarker(facetMarkers[f[0]], f[1]))
		case FacetCategory:
			words = append(words, marker("c", f[1]))
		default:
			words = append(words, marker(facetMarkers[f[0]], f[1]))
		}
	}
	for _, w := range words {
		b.WriteString(" " + w)
	}
	return b.String()
}

func idColumn(d db.Dialect) string {
	if d == db.SQLite {
		return "rowid"
	}
	return "product_id"
}

// Index adds or replaces docs in the index, inside the caller's
// transaction so the index never disagrees with the catalog.
func Index(ctx context.Context, tx db.Querier, docs []Doc) error {
	if len(docs) == 0 {
		return nil
	}
	ids := make([]int64, len(docs))
	rows := make([][]any, len(docs))
	var facets [][]any
	for i, d := range docs {
		ids[i] = d.ProductID
		rows[i] = []any{d.ProductID, d.body(), d.Price}
		for _, f := range d.facets() {
			facets = append(facets, []any{d.ProductID, f[0], f[1]})
		}
	}
	if err := Remove(ctx, tx, ids); err != nil {
		return err
	}
	if _, err := db.InsertRows(ctx, tx, "search_index", []string{idColumn(tx.Dialect()), "body", "price"}, rows); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if _, err := db.InsertRows(ctx, tx, "search_facets", []string{"product_id", "facet", "value"}, facets); err != nil {
		return fmt.Errorf("search facets: %w", err)
	}
	return nil
}

// Remove takes products out of the index.
func Remove(ctx context.Context, tx db.Querier, ids []int64) error {
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		in := ` IN (` + db.Placeholders(len(chunk)) + `)`
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_index WHERE `+idColumn(tx.Dialect())+in, args...); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_facets WHERE product_id`+in, args...); err != nil {
			return fmt.Errorf("search facets: %w", err)
		}
	}
	return nil
}

// Format names how Index writes entries. Change it whenever entries change
// shape (new markers, new facets): catalog.EnsureIndexed rebuilds an index
// of another format at start-up.
const Format = "2026-11-22.facets"

// StoredFormat is the format the index was last built in ("" if unknown).
func StoredFormat(ctx context.Context, q db.Querier) (string, error) {
	var f string
	err := q.QueryRowContext(ctx, `SELECT value FROM search_state WHERE name = 'format'`).Scan(&f)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return f, err
}

// SetFormat records that the index now holds entries of Format.
func SetFormat(ctx context.Context, tx db.Querier) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO search_state (name, value) VALUES ('format', ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, Format)
	return err
}

// Size returns how many products the index holds.
func Size(ctx context.Context, q db.Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_index`).Scan(&n)
	return n, err
}

// Query is a listing the index can answer on its own.
type Query struct {
	Text           string  // every word must match; the last as a prefix
	PublishedOnly  bool    //
	VendorID       int64   // 0 for any
	CategoryID     int64   // 0 for any; includes sub-categories
	Region         string  // "" for any, as for the rest
	Kind           string  // vendor kind
	Certification  string  // certification kind
	PriceBand      string  // one of Bands
	Language       string  // a book's language
	Author         string  // a book's author, as written
	Publisher      string  // a book's publisher, as written
	ExcludeVendors []int64 // vendors whose products must not show (not approved)
}

// expr builds the engine's query expression; ok is false when q asks for
// nothing the index can narrow on.
func (q Query) expr(d db.Dialect) (string, bool) {
	var must []string
	terms := Terms(q.Text)
	for i, t := range terms {
		must = append(must, term(d, t, i == len(terms)-1))
	}
	if q.PublishedOnly {
		must = append(must, term(d, marker("pub", ""), false))
	}
	if q.VendorID != 0 {
		must = append(must, term(d, marker("v", q.VendorID), false))
	}
	if q.CategoryID != 0 {
		must = append(must, term(d, marker("c", q.CategoryID), false))
	}
	for facet, v := range map[string]string{FacetRegion: q.Region, FacetKind: q.Kind, FacetCertification: q.Certification,
		FacetPrice: q.PriceBand, FacetLanguage: q.Language} {
		if v != "" {
			must = append(must, term(d, marker(facetMarkers[facet], v), false))
		}
	}
	if q.Author != "" {
		must = append(must, term(d, nameMarker(facetMarkers[FacetAuthor], q.Author), false))
	}
	if q.Publisher != "" {
		must = append(must, term(d, nameMarker(facetMarkers[FacetPublisher], q.Publisher), false))
	}
	if len(must) == 0 {
		return "", false
	}
	slices.Sort(must[len(terms):]) // markers in a stable order: the expression is a cache key
	if d == db.Postgres {
		e := strings.Join(must, " & ")
		for _, v := range q.ExcludeVendors {
			e += " & !" + marker("v", v)
		}
		return e, true
	}
	e := strings.Join(must, " ")
	for _, v := range q.ExcludeVendors {
		e += ` NOT "` + marker("v", v) + `"`
	}
	return e, true
}

// term is one word of a query; words hold only letters and digits after
// Normalize, and SQLite's are quoted besides, so none is read as syntax.
func term(d db.Dialect, t string, prefix bool) string {
	if d == db.Postgres {
		if prefix {
			return t + ":*"
		}
		return t
	}
	if prefix {
		return `"` + t + `"*`
	}
	return `"` + t + `"`
}

// Match returns an SQL condition on a product id column (e.g. "p.id") that
// holds for the products q matches, and its arguments. ok is false when q
// narrows nothing.
func Match(d db.Dialect, column string, q Query) (cond string, args []any, ok bool) {
	e, ok := q.expr(d)
	if !ok {
		return "", nil, false
	}
	if d == db.Postgres {
		return column + ` IN (SELECT product_id FROM search_index WHERE tsv @@ to_tsquery('simple', ?))`, []any{e}, true
	}
	return column + ` IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)`, []any{e}, true
}

// Sort orders a listing.
type Sort string

const (
	Newest    Sort = "newest" // most recently added first
	Relevance Sort = "relevance"
	PriceAsc  Sort = "price_asc"
	PriceDesc Sort = "price_desc"
)

// Sorts are the orders a listing offers.
var Sorts = []Sort{Relevance, Newest, PriceAsc, PriceDesc}

// Page answers a listing from the index alone: the ids of one page in the
// order asked (ties newest first), and how many match in all. Relevance
// without words to rank by is Newest.
func Page(ctx context.Context, r db.Querier, q Query, sort Sort, limit, offset int) (ids []int64, total int, err error) {
	e, ok := q.expr(r.Dialect())
	if !ok {
		return nil, 0, fmt.Errorf("search page: empty query")
	}
	col := idColumn(r.Dialect())
	where, args := `search_index MATCH ?`, []any{e}
	order := col + ` DESC`
	switch sort {
	case PriceAsc:
		order = `price, ` + col + ` DESC`
	case PriceDesc:
		order = `price DESC, ` + col + ` DESC`
	case Relevance:
		if len(Terms(q.Text)) > 0 {
			order = `rank, ` + col + ` DESC` // FTS5's bm25
		}
	}
	if r.Dialect() == db.Postgres {
		where = `tsv @@ to_tsquery('simple', ?)`
		if sort == Relevance && len(Terms(q.Text)) > 0 {
			order = `ts_rank(tsv, to_tsquery('simple', ?)) DESC, ` + col + ` DESC`
		}
	}
	if err := r.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_index WHERE `+where, e).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search count: %w", err)
	}
	if strings.Contains(order, "?") {
		args = append(args, e)
	}
	rows, err := r.QueryContext(ctx, `SELECT `+col+` FROM search_index WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("search page: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	return ids, total, rows.Err()
}
