package api

import (
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/i18n"
	"souk/internal/vendor"
)

// The JSON shapes of the API. They are the contract (see openapi.json): a
// domain type's new field reaches clients only when added here.

type ref struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
}

type productView struct {
	ID             int64                    `json:"id"`
	Slug           string                   `json:"slug"`
	Status         catalog.Status           `json:"status"`
	Vendor         ref                      `json:"vendor"`
	Category       ref                      `json:"category"`
	Region         string                   `json:"region"`
	TaxClass       string                   `json:"tax_class"`
	Locale         string                   `json:"locale"`
	Title          string                   `json:"title"`
	Description    string                   `json:"description"`
	Texts          map[string]catalog.Texts `json:"texts"`
	Variants       []catalog.Variant        `json:"variants"`
	Certifications []catalog.Certification  `json:"certifications"`
	Images         []catalog.Image          `json:"images"`
	Book           *catalog.Book            `json:"book,omitempty"`
	ReviewNote     string                   `json:"review_note,omitempty"`
	CreatedAt      time.Time                `json:"created_at"`
	UpdatedAt      time.Time                `json:"updated_at"`
	PublishedAt    *time.Time               `json:"published_at"`
}

// productJSON shows p with its title and description resolved for locale
// along the fallback chain; the review note only to those who may edit it.
func productJSON(p catalog.Product, locale string, by auth.User) productView {
	v := productView{
		ID: p.ID, Slug: p.Slug, Status: p.Status,
		Vendor:   ref{ID: p.VendorID, Slug: p.VendorSlug},
		Category: ref{ID: p.CategoryID, Slug: p.CategorySlug},
		Region:   p.Region, TaxClass: p.TaxClass, Locale: locale,
		Texts: p.Texts, Variants: p.Variants, Certifications: p.Certifications, Images: p.Images, Book: p.Book,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, PublishedAt: p.PublishedAt,
	}
	if t, _, ok := i18n.Pick(p.Texts, locale); ok {
		v.Title, v.Description = t.Title, t.Description
	}
	if by.IsOperator() || (by.IsVendorUser() && by.VendorID == p.VendorID) {
		v.ReviewNote = p.ReviewNote
	}
	return v
}

type vendorView struct {
	ID                int64                   `json:"id"`
	Slug              string                  `json:"slug"`
	Kind              vendor.Kind             `json:"kind"`
	Status            vendor.Status           `json:"status"`
	Name              string                  `json:"name"`
	LegalName         string                  `json:"legal_name"`
	Texts             map[string]vendor.Texts `json:"texts"`
	Region            string                  `json:"region"`
	City              string                  `json:"city"`
	CooperativeNumber string                  `json:"cooperative_number,omitempty"`
	ICE               string                  `json:"ice,omitempty"`
	CreatedAt         time.Time               `json:"created_at"`
	ApprovedAt        *time.Time              `json:"approved_at"`
	// Private: only for operators and the vendor's own users.
	Private *vendorPrivate `json:"private,omitempty"`
}

type vendorPrivate struct {
	ContactName string `json:"contact_name"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
	RIB         string `json:"rib"`
}

func vendorJSON(v vendor.Vendor, locale string, by auth.User) vendorView {
	out := vendorView{
		ID: v.ID, Slug: v.Slug, Kind: v.Kind, Status: v.Status, Name: v.DisplayName(locale), LegalName: v.LegalName,
		Texts: v.Texts, Region: v.Region, City: v.City, CooperativeNumber: v.CooperativeNumber, ICE: v.ICE,
		CreatedAt: v.CreatedAt, ApprovedAt: v.ApprovedAt,
	}
	if out.Texts == nil {
		out.Texts = map[string]vendor.Texts{}
	}
	if vendor.CanSeePrivate(by, v) {
		out.Private = &vendorPrivate{ContactName: v.ContactName, Email: v.Email, Phone: v.Phone, RIB: v.RIB}
	}
	return out
}

type userView struct {
	ID       int64     `json:"id"`
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	Role     auth.Role `json:"role"`
	VendorID *int64    `json:"vendor_id"`
	Locale   string    `json:"locale"`
}

func userJSON(u auth.User) userView {
	v := userView{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Locale: u.Locale}
	if u.VendorID != 0 {
		id := u.VendorID
		v.VendorID = &id
	}
	return v
}

type listView[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// productListView is a page of products, with facet counts when asked.
type productListView struct {
	listView[productView]
	Facets map[string][]facetCount `json:"facets,omitempty"`
}

type facetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}
