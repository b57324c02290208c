package search

import (
	"context"
	"fmt"
	"strings"

	"souk/internal/db"
)

// Doc is one product as the index sees it: the words it is found by and
// the facts a public listing filters on. Those facts become marker words
// (see marker) so that one index lookup answers a whole listing — words,
// category, region, vendor, visibility — and its count.
type Doc struct {
	ProductID   int64
	Text        string  // titles, descriptions, vendor names, authors, ISBN
	Published   bool    // the product is published (its vendor's approval is checked at query time)
	VendorID    int64   //
	CategoryIDs []int64 // the product's category and every ancestor
	Region      string
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

func (d Doc) body() string {
	var b strings.Builder
	b.WriteString(Normalize(d.Text))
	if d.Published {
		b.WriteString(" " + marker("pub", ""))
	}
	b.WriteString(" " + marker("v", d.VendorID))
	for _, c := range d.CategoryIDs {
		b.WriteString(" " + marker("c", c))
	}
	if d.Region != "" {
		b.WriteString(" " + marker("r", d.Region))
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
	for i, d := range docs {
		ids[i] = d.ProductID
		rows[i] = []any{d.ProductID, d.body()}
	}
	if err := Remove(ctx, tx, ids); err != nil {
		return err
	}
	if _, err := db.InsertRows(ctx, tx, "search_index", []string{idColumn(tx.Dialect()), "body"}, rows); err != nil {
		return fmt.Errorf("search index: %w", err)
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
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_index WHERE `+idColumn(tx.Dialect())+` IN (`+db.Placeholders(len(chunk))+`)`, args...); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// Count returns how many products the index holds.
func Count(ctx context.Context, q db.Querier) (int, error) {
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
	Region         string  // "" for any
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
	if q.Region != "" {
		must = append(must, term(d, marker("r", q.Region), false))
	}
	if len(must) == 0 {
		return "", false
	}
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

// Page answers a listing from the index alone: the ids of one page, newest
// (highest id) first, and how many match in all.
func Page(ctx context.Context, r db.Querier, q Query, limit, offset int) (ids []int64, total int, err error) {
	e, ok := q.expr(r.Dialect())
	if !ok {
		return nil, 0, fmt.Errorf("search page: empty query")
	}
	where := `search_index MATCH ?`
	if r.Dialect() == db.Postgres {
		where = `tsv @@ to_tsquery('simple', ?)`
	}
	col := idColumn(r.Dialect())
	if err := r.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_index WHERE `+where, e).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search count: %w", err)
	}
	rows, err := r.QueryContext(ctx, `SELECT `+col+` FROM search_index WHERE `+where+` ORDER BY `+col+` DESC LIMIT ? OFFSET ?`, e, limit, offset)
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
