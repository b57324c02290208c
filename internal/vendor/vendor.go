// Package vendor holds the marketplace's sellers — cooperatives, artisans,
// exporters, publishers — from their application to approval or suspension.
// It owns the vendors and vendor_texts tables.
package vendor

import (
	"time"
)

// Kind is what sort of seller a vendor is.
type Kind string

// The kinds of vendor.
const (
	Cooperative Kind = "cooperative"
	Artisan     Kind = "artisan"
	Exporter    Kind = "exporter"
	Publisher   Kind = "publisher" // publishers and booksellers
)

// Kinds lists every kind, for forms and validation.
var Kinds = []Kind{Cooperative, Artisan, Exporter, Publisher}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// Status is where a vendor stands with the operator.
type Status string

// The statuses. Only approved vendors sell and are shown to the public.
const (
	Applied   Status = "applied"
	Approved  Status = "approved"
	Suspended Status = "suspended"
	Rejected  Status = "rejected"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == Applied || s == Approved || s == Suspended || s == Rejected
}

// Texts are a vendor's words in one locale.
type Texts struct {
	DisplayName string `json:"display_name"`
	Story       string `json:"story"`
}

// Vendor is a seller on the marketplace.
type Vendor struct {
	ID                int64
	Slug              string
	Kind              Kind
	LegalName         string
	Texts             map[string]Texts // by locale
	Region            string           // morocco.Region code
	City              string
	CooperativeNumber string // ODCo registration, cooperatives only
	ICE               string // 15 digits, or ""
	ContactName       string
	Email             string
	Phone             string // +212…
	RIB               string // 24 digits, or "" until the vendor gives one
	Status            Status
	Locale            string // the applicant's language: e-mails about the application use it
	ReviewNote        string // the operator's last reason (rejection) or question (information asked)
	InfoRequestedAt   *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
	ApprovedAt        *time.Time
}

// DisplayName is the vendor's name in locale, along the fallback chain, or
// the legal name when no display name is set.
func (v Vendor) DisplayName(locale string) string {
	names := make(map[string]string, len(v.Texts))
	for l, t := range v.Texts {
		names[l] = t.DisplayName
	}
	if n, _, ok := pick(names, locale); ok {
		return n
	}
	return v.LegalName
}

// Input is what a vendor's application or an operator's edit sets. Slug is
// derived from the names when empty.
type Input struct {
	Slug              string           `json:"slug"`
	Kind              Kind             `json:"kind"`
	LegalName         string           `json:"legal_name"`
	Texts             map[string]Texts `json:"texts"`
	Region            string           `json:"region"`
	City              string           `json:"city"`
	CooperativeNumber string           `json:"cooperative_number"`
	ICE               string           `json:"ice"`
	ContactName       string           `json:"contact_name"`
	Email             string           `json:"email"`
	Phone             string           `json:"phone"`
	RIB               string           `json:"rib"`
}

// Filter narrows a vendor listing. Zero values match everything.
type Filter struct {
	Status Status
	// Waiting, with Status applied, keeps the applications where the
	// operator asked for information (true) or those it has to look at
	// (false); nil keeps both. Operators only.
	Waiting  *bool
	Kind     Kind
	Region   string
	Query    string    // in legal and display names, e-mail, cooperative number, ICE; operators only
	From, To time.Time // created in [From, To); operators only
	Page     int       // from 1
	PerPage  int       // at most 100
}
