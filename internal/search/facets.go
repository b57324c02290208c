package search

import (
	"context"
	"fmt"
	"sort"

	"souk/internal/db"
)

// Facet names: what a listing can be narrowed by, with counts.
const (
	FacetCategory      = "category" // values are category ids
	FacetRegion        = "region"
	FacetKind          = "kind" // the vendor's kind
	FacetCertification = "certification"
	FacetPrice         = "price" // values are Bands
	FacetLanguage      = "language"
	FacetAuthor        = "author"
	FacetPublisher     = "publisher"

	// Internal facets, never shown: who sells the product and whether it
	// is published, so that Memory can answer listings on its own.
	facetVendor  = "_vendor"
	facetVisible = "_visible"
)

// facetMarkers are the marker prefixes of filterable facets.
var facetMarkers = map[string]string{
	FacetRegion: "r", FacetKind: "k", FacetCertification: "q", FacetPrice: "b", FacetLanguage: "l",
	FacetAuthor: "a", FacetPublisher: "p",
}

// Band is a price range in whole dirhams, From inclusive, To exclusive (0:
// no upper end).
type Band struct {
	Code     string
	From, To int64
}

// Bands split prices the way Moroccan shoppers think of them: small gifts
// under 100 DH up to rugs past 2,500 DH.
var Bands = []Band{
	{"0-100", 0, 100}, {"100-250", 100, 250}, {"250-500", 250, 500},
	{"500-1000", 500, 1000}, {"1000-2500", 1000, 2500}, {"2500-", 2500, 0},
}

// BandOf is the code of the band a price in centimes falls in.
func BandOf(centimes int64) string {
	dh := centimes / 100
	for _, b := range Bands {
		if dh >= b.From && (b.To == 0 || dh < b.To) {
			return b.Code
		}
	}
	return Bands[0].Code // a negative price cannot be stored; keep the index total
}

// ValidBand reports whether code is one of Bands.
func ValidBand(code string) bool {
	for _, b := range Bands {
		if b.Code == code {
			return true
		}
	}
	return false
}

// Count is one facet value and how many products of the listing have it.
type Count struct {
	Value string
	N     int
}

// Facets counts, for every facet, how many products matching q have each
// value; values come most frequent first (ties by value). One query scans
// the facet rows of the matching products.
func Facets(ctx context.Context, r db.Querier, q Query) (map[string][]Count, error) {
	e, ok := q.expr(r.Dialect())
	if !ok {
		return nil, fmt.Errorf("search facets: empty query")
	}
	match := `SELECT rowid FROM search_index WHERE search_index MATCH ?`
	if r.Dialect() == db.Postgres {
		match = `SELECT product_id FROM search_index WHERE tsv @@ to_tsquery('simple', ?)`
	}
	rows, err := r.QueryContext(ctx, `SELECT facet, value, COUNT(*) FROM search_facets WHERE product_id IN (`+match+`)
		GROUP BY facet, value`, e)
	if err != nil {
		return nil, fmt.Errorf("search facets: %w", err)
	}
	defer rows.Close()
	out := map[string][]Count{}
	for rows.Next() {
		var facet string
		var c Count
		if err := rows.Scan(&facet, &c.Value, &c.N); err != nil {
			return nil, fmt.Errorf("search facets: %w", err)
		}
		if !internalFacet(facet) {
			out[facet] = append(out[facet], c)
		}
	}
	for _, cs := range out {
		sortCounts(cs)
	}
	return out, rows.Err()
}

// sortCounts puts the most frequent values first, ties by value.
func sortCounts(cs []Count) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].N != cs[j].N {
			return cs[i].N > cs[j].N
		}
		return cs[i].Value < cs[j].Value
	})
}
