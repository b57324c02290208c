package shipping

import (
	"context"
	"fmt"
	"slices"

	"souk/internal/auth"
	"souk/internal/errs"
)

// Zones lists the zone codes ("ma-center", "eu", "world"…) in the order
// the operators' console shows them. Anyone may read them.
func (s *Service) Zones(ctx context.Context) ([]string, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT code FROM shipping_zones ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("list zones: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("list zones: %w", err)
		}
		out = append(out, code)
	}
	return out, rows.Err()
}

// Rates returns a carrier's rate tables by zone code, each ascending by
// weight, before the carrier's negotiated discount; a zone the carrier
// does not serve is absent. Operators only (errs.Forbidden for everyone
// else: the table prices are the marketplace's business); an unknown
// carrier is errs.NotFound. Like quotes, it reads the snapshot of CacheTTL.
func (s *Service) Rates(ctx context.Context, by auth.User, carrier string) (map[string][]Band, error) {
	if !by.IsOperator() {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	t, err := s.tables(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(t.carriers, func(c Carrier) bool { return c.Code == carrier }) {
		return nil, errs.NotFoundE("carrier")
	}
	out := map[string][]Band{}
	for k, bands := range t.rates {
		if k.carrier == carrier {
			out[k.zone] = slices.Clone(bands)
		}
	}
	return out, nil
}
