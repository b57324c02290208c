package catalog

import (
	"context"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
)

// What the audit log keeps of a product: what a vendor or an operator
// changes and someone may later ask about (texts, prices, stock, status,
// certifications, photos), not the whole row.

type auditVariant struct {
	SKU         string `json:"sku"`
	Label       string `json:"label"`
	Price       int64  `json:"price"`
	Currency    string `json:"currency"`
	Stock       int    `json:"stock"`
	WeightGrams int    `json:"weight_grams"`
}

type auditView struct {
	Slug           string           `json:"slug"`
	Status         Status           `json:"status"`
	Category       string           `json:"category"`
	Texts          map[string]Texts `json:"texts"`
	Variants       []auditVariant   `json:"variants"`
	Certifications []Certification  `json:"certifications"`
	Photos         []string         `json:"photos"`
}

func viewOf(slug string, status Status, category string, texts map[string]Texts, vs []Variant, certs []Certification, images []Image) auditView {
	v := auditView{Slug: slug, Status: status, Category: category, Texts: texts, Certifications: certs}
	for _, x := range vs {
		v.Variants = append(v.Variants, auditVariant{SKU: x.SKU, Label: x.Label, Price: x.Price.Amount, Currency: x.Price.Currency,
			Stock: x.Stock, WeightGrams: x.WeightGrams})
	}
	for _, im := range images {
		v.Photos = append(v.Photos, im.Path)
	}
	return v
}

func productView(p Product) auditView {
	return viewOf(p.Slug, p.Status, p.CategorySlug, p.Texts, p.Variants, p.Certifications, p.Images)
}

func inputView(in Input) auditView {
	return viewOf(in.Slug, in.Status, in.Category, in.Texts, in.Variants, in.Certifications, in.Images)
}

// record writes one audit entry for a product in tx; changes made by souk
// itself (the demo, the zero User) are not people's actions and are not
// recorded.
func (s *Service) record(ctx context.Context, tx db.Querier, by auth.User, action string, id any, before, after any) error {
	if by.ID == 0 {
		return nil
	}
	return audit.Record(ctx, tx, by, action, "product", id, before, after, s.now())
}
