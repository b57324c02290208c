package api_test

import (
	"testing"

	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// The public product list narrows by facets, sorts, and counts facet
// values on request; every answer is checked against openapi.json.
func TestProductFacetsAndSorting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var l struct {
			productList
			Facets map[string][]struct {
				Value string `json:"value"`
				Count int    `json:"count"`
			} `json:"facets"`
		}
		e.call("GET", "/api/v1/products?facets=true", "anonymous", nil).status(200).decode(&l)
		if l.Total != 2 || len(l.Facets["region"]) != 2 || len(l.Facets["kind"]) != 1 || l.Facets["kind"][0].Value != "cooperative" ||
			l.Facets["kind"][0].Count != 2 {
			t.Fatalf("facets: total %d, %+v", l.Total, l.Facets)
		}
		region := l.Facets["region"][0].Value
		e.call("GET", "/api/v1/products?region="+region+"&facets=true", "anonymous", nil).status(200).decode(&l)
		if l.Total != 1 || len(l.Facets["region"]) != 1 {
			t.Errorf("narrowed by region %s: total %d, facets %+v", region, l.Total, l.Facets["region"])
		}
		// Without facets=true there are none.
		l.Facets = nil
		e.call("GET", "/api/v1/products?sort=price_desc", "anonymous", nil).status(200).decode(&l)
		if l.Facets != nil || l.Total != 2 {
			t.Errorf("facets without asking: %+v", l.Facets)
		}
		for _, bad := range []struct{ query, field string }{
			{"sort=random", "sort"}, {"price=cheap", "price"}, {"kind=robot", "kind"}, {"certification=gold", "certification"},
			{"facets=yes", "facets"}, {"region=atlantis", "region"},
		} {
			if got := e.call("GET", "/api/v1/products?"+bad.query, "anonymous", nil).status(422).apiError(); got.Error.Fields[bad.field] == "" {
				t.Errorf("%s: error does not name %s: %+v", bad.query, bad.field, got)
			}
		}
	})
}
