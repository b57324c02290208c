// Package catalog holds what vendors sell: products with per-locale texts,
// variants with prices and stock, categories, certifications and the book
// details of publishers' titles. It owns the products, product_texts,
// variants, product_images, certifications, books, book_authors, categories,
// category_texts and tax_classes tables.
package catalog

import (
	"fmt"
	"path"
	"strings"
	"time"

	"souk/internal/money"
	"souk/internal/search"
)

// Status is where a product stands in review.
type Status string

// The product statuses. Only published products of approved vendors are
// shown to the public.
const (
	Draft         Status = "draft"
	PendingReview Status = "pending_review"
	Published     Status = "published"
	Rejected      Status = "rejected"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == Draft || s == PendingReview || s == Published || s == Rejected
}

// Texts are a product's words in one locale.
type Texts struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Variant is one thing a customer can put in a cart: a size, a weight, a
// colour of a product, with its own price, stock and shipping weight.
type Variant struct {
	ID          int64       `json:"-"`
	SKU         string      `json:"sku"`
	Label       string      `json:"label"`
	Price       money.Money `json:"price"`
	Stock       int         `json:"stock"`
	WeightGrams int         `json:"weight_grams"`
	LengthMM    int         `json:"length_mm"`
	WidthMM     int         `json:"width_mm"`
	HeightMM    int         `json:"height_mm"`
}

// CertificationKinds are the labels souk knows. "onssa" is the food-safety
// authorisation of the national food-safety office.
var CertificationKinds = []string{"organic", "fair_trade", "igp", "aop", "label_agricole", "onssa", "halal", "other"}

// Certification is a label a product carries, with who issued it and until when.
type Certification struct {
	Kind      string `json:"kind"`
	Issuer    string `json:"issuer"`
	Number    string `json:"number"`
	ExpiresOn string `json:"expires_on,omitempty"` // YYYY-MM-DD, or "" when it does not expire
}

// Image is a product photo stored under the media folder.
type Image struct {
	Path   string `json:"path"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Alt    string `json:"alt"`
	// WebP: every rendition also exists as WebP (see WebPRenditions). Set by
	// AddPhoto, which made them; an image given in an Input cannot claim it.
	WebP bool `json:"-"`
}

// ImageWidths are the widths photos are resized to. Next to a photo
// "p/x.jpg" of width W lie its renditions "p/x-320.jpg", "p/x-640.jpg"…
// for each of these widths smaller than W, so that a phone downloads the
// size it shows (srcset).
var ImageWidths = []int{320, 640, 960}

// Rendition is one size of an Image.
type Rendition struct {
	Path  string
	Width int
}

// Renditions lists the sizes of im, smallest first, ending with im itself.
func (im Image) Renditions() []Rendition {
	ext := path.Ext(im.Path)
	base := strings.TrimSuffix(im.Path, ext)
	var out []Rendition
	for _, w := range ImageWidths {
		if w < im.Width {
			out = append(out, Rendition{Path: fmt.Sprintf("%s-%d%s", base, w, ext), Width: w})
		}
	}
	return append(out, Rendition{Path: im.Path, Width: im.Width})
}

// WebPRenditions lists the WebP twins of Renditions ("p/x-320.webp" next
// to "p/x-320.jpg"), smallest first, or nothing when im has none.
func (im Image) WebPRenditions() []Rendition {
	if !im.WebP {
		return nil
	}
	rs := im.Renditions()
	for i := range rs {
		rs[i].Path = strings.TrimSuffix(rs[i].Path, path.Ext(rs[i].Path)) + ".webp"
	}
	return rs
}

// Book is what a title from a publisher or bookseller carries besides the
// product's texts.
type Book struct {
	ISBN      string   `json:"isbn"` // ISBN-13, 13 digits
	Authors   []string `json:"authors"`
	Publisher string   `json:"publisher"`
	Language  string   `json:"language"` // ISO 639 code of the text, e.g. "ar", "fr", "zgh"
	Year      int      `json:"year"`
	Pages     int      `json:"pages"`
}

// Product is a thing a vendor sells, with everything needed to show it.
type Product struct {
	ID             int64
	Slug           string
	VendorID       int64
	VendorSlug     string
	CategoryID     int64
	CategorySlug   string
	Region         string
	TaxClass       string
	Status         Status
	ReviewNote     string
	Texts          map[string]Texts
	Variants       []Variant
	Certifications []Certification
	Images         []Image
	Book           *Book
	CreatedAt      time.Time
	UpdatedAt      time.Time
	PublishedAt    *time.Time
}

// Input is what a vendor or operator sets on a product. Slug and Region may be
// left empty: the slug is derived from a Latin-script title, the region is
// the vendor's.
type Input struct {
	Slug           string           `json:"slug"`
	Category       string           `json:"category"` // category slug
	Region         string           `json:"region"`
	TaxClass       string           `json:"tax_class"` // default "standard"
	Status         Status           `json:"status"`    // default draft
	Texts          map[string]Texts `json:"texts"`
	Variants       []Variant        `json:"variants"`
	Certifications []Certification  `json:"certifications"`
	Images         []Image          `json:"images"`
	Book           *Book            `json:"book"`
}

// Category is a node of the category tree.
type Category struct {
	ID       int64             `json:"id"`
	Slug     string            `json:"slug"`
	ParentID int64             `json:"-"` // 0 for a top-level category
	Parent   string            `json:"parent,omitempty"`
	Position int               `json:"position"`
	Names    map[string]string `json:"names"`
}

// Filter narrows a product listing. Zero values match everything; Status ""
// means the public catalog (published products of approved vendors), which
// alone offers the facet filters, sorting and facet counts.
type Filter struct {
	Q             string // words in a title, any locale
	Category      string // slug; includes its sub-categories
	Region        string
	Vendor        string // id or slug
	Status        Status
	Kind          string      // vendor kind
	Certification string      // one of CertificationKinds
	PriceBand     string      // one of search.Bands
	Language      string      // a book's language
	Author        string      // a book's author, as written
	Publisher     string      // a book's publisher, as written
	Sort          search.Sort // default: relevance when Q has words, else newest
	Facets        bool        // count facet values too (public listings)
	Page          int         // from 1
	PerPage       int         // 1..100, default 20
}

// Page is one page of a listing.
type Page struct {
	Items   []Product
	Total   int
	Page    int
	PerPage int
	Facets  map[string][]search.Count // when Filter.Facets; category values are slugs
	Sort    search.Sort               // the order given (public listings)
}
