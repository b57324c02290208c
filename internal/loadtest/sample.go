package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// catalog is what the harness knows of the target before attacking it,
// read from its own API, so that it runs on any souk with a published
// catalog and nothing is hard-coded.
type catalog struct {
	Database   string // from /healthz
	Total      int    // public products
	Vendors    []string
	Categories []string
	Items      []item              // products sampled across the catalog
	Words      map[string][]string // search words by locale ("ar", "fr") from the sampled titles
	MinOrder   int64               // the web channel's minimum order, centimes
}

type item struct {
	Slug   string `json:"slug"`
	Vendor struct {
		Slug string `json:"slug"`
	} `json:"vendor"`
	Variants []variant `json:"variants"`
	Texts    map[string]struct {
		Title string `json:"title"`
	} `json:"texts"`
}

type variant struct {
	SKU   string `json:"sku"`
	Price struct {
		Amount   int64  `json:"amount"`
		Currency string `json:"currency"`
	} `json:"price"`
	Stock       int `json:"stock"`
	WeightGrams int `json:"weight_grams"`
}

// hot is the product the single-URL scenarios ask for, as wrk asks for
// one URL: the first sampled (the catalog's newest).
func (c *catalog) hot() item { return c.Items[0] }

// perPage is the API's largest page.
const perPage = 100

// discover reads the target's catalog: about sample products from pages
// spread evenly across it, every category and vendor, and the minimum order.
func discover(ctx context.Context, client *http.Client, base string, sample int) (*catalog, error) {
	c := &catalog{Words: map[string][]string{}}
	var health struct {
		Status, Database string
	}
	if err := getJSON(ctx, client, base+"/healthz", &health); err != nil {
		return nil, err
	}
	c.Database = health.Database

	type page struct {
		Items []item `json:"items"`
		Total int    `json:"total"`
	}
	var first page
	if err := getJSON(ctx, client, fmt.Sprintf("%s/api/v1/products?per_page=%d", base, perPage), &first); err != nil {
		return nil, err
	}
	c.Total = first.Total
	pages := (c.Total + perPage - 1) / perPage
	want := min(pages, max(1, sample/perPage))
	c.Items = append(c.Items, first.Items...)
	for i := 1; i < want; i++ {
		var p page
		if err := getJSON(ctx, client, fmt.Sprintf("%s/api/v1/products?per_page=%d&page=%d", base, perPage, 1+i*pages/want), &p); err != nil {
			return nil, err
		}
		c.Items = append(c.Items, p.Items...)
	}
	if len(c.Items) == 0 {
		return nil, errNoCatalog
	}

	var cats struct {
		Items []struct {
			Slug string `json:"slug"`
		} `json:"items"`
	}
	if err := getJSON(ctx, client, base+"/api/v1/categories", &cats); err != nil {
		return nil, err
	}
	for _, x := range cats.Items {
		c.Categories = append(c.Categories, x.Slug)
	}
	for n := 1; ; n++ {
		var vs struct {
			Items []struct {
				Slug string `json:"slug"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := getJSON(ctx, client, fmt.Sprintf("%s/api/v1/vendors?per_page=%d&page=%d", base, perPage, n), &vs); err != nil {
			return nil, err
		}
		for _, v := range vs.Items {
			c.Vendors = append(c.Vendors, v.Slug)
		}
		if len(vs.Items) == 0 || len(c.Vendors) >= vs.Total {
			break
		}
	}
	if len(c.Categories) == 0 || len(c.Vendors) == 0 {
		return nil, errNoCatalog
	}

	var channels struct {
		Items []struct {
			Code     string `json:"code"`
			MinOrder struct {
				Amount int64 `json:"amount"`
			} `json:"min_order"`
		} `json:"items"`
	}
	if err := getJSON(ctx, client, base+"/api/v1/sales-channels", &channels); err != nil {
		return nil, err
	}
	for _, ch := range channels.Items {
		if ch.Code == "web" {
			c.MinOrder = ch.MinOrder.Amount
		}
	}

	seen := map[string]bool{}
	for _, it := range c.Items {
		for _, loc := range []string{"ar", "fr"} {
			for _, w := range strings.FieldsFunc(it.Texts[loc].Title, func(r rune) bool { return !unicode.IsLetter(r) }) {
				w = strings.ToLower(w)
				if utf8.RuneCountInString(w) >= 3 && !seen[loc+w] {
					seen[loc+w] = true
					c.Words[loc] = append(c.Words[loc], w)
				}
			}
		}
	}
	if len(c.Words["ar"]) == 0 || len(c.Words["fr"]) == 0 {
		return nil, fmt.Errorf("the sampled products have no Arabic or no French title to search for")
	}
	return c, nil
}

// getJSON decodes a 200 answer of url into v.
func getJSON(ctx context.Context, client *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %s: %s", redactToken(u), resp.Status, strings.TrimSpace(string(b)))
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("GET %s: %w", redactToken(u), err)
	}
	return nil
}

// redactToken hides an order link's token in messages.
func redactToken(u string) string {
	p, err := url.Parse(u)
	if err != nil || !p.Query().Has("token") {
		return u
	}
	q := p.Query()
	q.Set("token", "…")
	p.RawQuery = q.Encode()
	return p.String()
}
