// Package shipping prices the parcels of an order: zones (Moroccan regions
// and cities, international zones), the carriers that serve them with
// weight-band rate tables, and each carrier's negotiated discount. It owns
// the carriers, shipping_zones, shipping_zone_areas and shipping_rates
// tables. One parcel leaves each vendor, priced from the weight of its lines.
package shipping

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
)

// Destination is where a parcel goes: a country (ISO 3166 alpha-2) and, in
// Morocco, a region and city code (package morocco).
type Destination struct {
	Country, Region, City string
}

// Quote is what one carrier asks to carry one parcel.
type Quote struct {
	Carrier     string `json:"carrier"`
	Name        string `json:"name"`
	Amount      int64  `json:"amount"` // centimes of MAD after the negotiated discount, VAT included
	CollectsCOD bool   `json:"collects_cod"`
}

// Carrier is a carrier's settings.
type Carrier struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	DiscountBP  int    `json:"discount_bp"` // 9200 = 92% off the table price
	CollectsCOD bool   `json:"collects_cod"`
	Active      bool   `json:"active"`
}

// Band is one line of a rate table: parcels up to MaxGrams cost Amount.
type Band struct {
	MaxGrams int   `json:"max_grams"`
	Amount   int64 `json:"amount"`
}

type areaKey struct{ country, region, city string }

type rateKey struct{ carrier, zone string }

// tables is a snapshot of every table, read at once: checkout prices three
// parcels per order and must not query for each.
type tables struct {
	carriers []Carrier
	areas    map[areaKey]string
	rates    map[rateKey][]Band // ascending MaxGrams
	read     time.Time
}

// CacheTTL is how long a snapshot of the tables serves quotes; operator
// changes through this package apply at once on this node.
var CacheTTL = 5 * time.Second

// Service reads and changes shipping settings.
type Service struct {
	db  *db.DB
	now func() time.Time

	mu   sync.Mutex
	snap *tables
}

// NewService returns a Service on d; now is the clock (nil for time.Now).
func NewService(d *db.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, now: now}
}

func (s *Service) tables(ctx context.Context) (*tables, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snap != nil && s.now().Sub(s.snap.read) < CacheTTL {
		return s.snap, nil
	}
	t, err := load(ctx, s.db.Read())
	if err != nil {
		return nil, err
	}
	t.read = s.now()
	s.snap = t
	return t, nil
}

func (s *Service) forget() {
	s.mu.Lock()
	s.snap = nil
	s.mu.Unlock()
}

func load(ctx context.Context, q db.Querier) (*tables, error) {
	t := &tables{areas: map[areaKey]string{}, rates: map[rateKey][]Band{}}
	rows, err := q.QueryContext(ctx, `SELECT code, name, discount_bp, collects_cod, active FROM carriers ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("read carriers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Carrier
		if err := rows.Scan(&c.Code, &c.Name, &c.DiscountBP, &c.CollectsCOD, &c.Active); err != nil {
			return nil, fmt.Errorf("read carriers: %w", err)
		}
		t.carriers = append(t.carriers, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read carriers: %w", err)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT zone_code, country, region, city FROM shipping_zone_areas`)
	if err != nil {
		return nil, fmt.Errorf("read zones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var zone string
		var k areaKey
		if err := rows.Scan(&zone, &k.country, &k.region, &k.city); err != nil {
			return nil, fmt.Errorf("read zones: %w", err)
		}
		t.areas[k] = zone
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read zones: %w", err)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT carrier_code, zone_code, max_grams, amount FROM shipping_rates ORDER BY max_grams`)
	if err != nil {
		return nil, fmt.Errorf("read rates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k rateKey
		var b Band
		if err := rows.Scan(&k.carrier, &k.zone, &b.MaxGrams, &b.Amount); err != nil {
			return nil, fmt.Errorf("read rates: %w", err)
		}
		t.rates[k] = append(t.rates[k], b)
	}
	return t, rows.Err()
}

// zone finds the most specific zone covering d: its city, its region, its
// country, anywhere.
func (t *tables) zone(d Destination) (string, bool) {
	for _, k := range []areaKey{{d.Country, d.Region, d.City}, {d.Country, "", d.City}, {d.Country, d.Region, ""},
		{d.Country, "", ""}, {"*", "", ""}} {
		if z, ok := t.areas[k]; ok {
			return z, true
		}
	}
	return "", false
}

// Discounted takes a discount in basis points off amount, rounding half
// away from zero to the centime.
func Discounted(amount int64, discountBP int) int64 {
	return (amount*int64(10000-discountBP) + 5000) / 10000
}

// Quotes lists what each active carrier asks for a parcel of grams to d,
// cheapest first. Carriers that do not serve the zone, or whose table stops
// below the weight, are left out.
func (s *Service) Quotes(ctx context.Context, d Destination, grams int) ([]Quote, error) {
	t, err := s.tables(ctx)
	if err != nil {
		return nil, err
	}
	zone, ok := t.zone(d)
	if !ok {
		return nil, nil
	}
	var out []Quote
	for _, c := range t.carriers {
		if !c.Active {
			continue
		}
		for _, b := range t.rates[rateKey{c.Code, zone}] {
			if grams <= b.MaxGrams {
				out = append(out, Quote{Carrier: c.Code, Name: c.Name, Amount: Discounted(b.Amount, c.DiscountBP), CollectsCOD: c.CollectsCOD})
				break
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Quote) int { return cmp.Compare(a.Amount, b.Amount) })
	return out, nil
}

// Carriers lists every carrier with its settings.
func (s *Service) Carriers(ctx context.Context) ([]Carrier, error) {
	t, err := s.tables(ctx)
	if err != nil {
		return nil, err
	}
	return slices.Clone(t.carriers), nil
}

// SetCarrier changes a carrier's negotiated discount and whether it is
// offered; operators only.
func (s *Service) SetCarrier(ctx context.Context, by auth.User, code string, discountBP int, active bool) (Carrier, error) {
	if !by.IsOperator() {
		return Carrier{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	if discountBP < 0 || discountBP > 10000 {
		return Carrier{}, errs.Fields{"discount_bp": "field.out_of_range"}.Err()
	}
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		var before carrierTerms
		err := tx.QueryRowContext(ctx, `SELECT discount_bp, active FROM carriers WHERE code = ?`, code).Scan(&before.DiscountBP, &before.Active)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundE("carrier")
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE carriers SET discount_bp = ?, active = ? WHERE code = ?`, discountBP, active, code); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, "carrier.set", "carrier", code, before, carrierTerms{discountBP, active}, s.now())
	})
	if err != nil {
		return Carrier{}, fmt.Errorf("set carrier: %w", err)
	}
	s.forget()
	cs, err := s.Carriers(ctx)
	if err != nil {
		return Carrier{}, err
	}
	for _, c := range cs {
		if c.Code == code {
			return c, nil
		}
	}
	return Carrier{}, errs.NotFoundE("carrier")
}

// SetRates replaces a carrier's table in one zone; an empty table stops the
// carrier serving the zone. Operators only.
func (s *Service) SetRates(ctx context.Context, by auth.User, carrier, zone string, bands []Band) error {
	if !by.IsOperator() {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	f := errs.Fields{}
	for i, b := range bands {
		if b.MaxGrams <= 0 || b.MaxGrams > 1_000_000 {
			f.Add(fmt.Sprintf("bands[%d].max_grams", i), "field.out_of_range")
		}
		if b.Amount < 0 {
			f.Add(fmt.Sprintf("bands[%d].amount", i), "field.negative")
		}
		if i > 0 && b.MaxGrams <= bands[i-1].MaxGrams {
			f.Add(fmt.Sprintf("bands[%d].max_grams", i), "field.not_ascending")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM carriers WHERE code = ?) + (SELECT COUNT(*) FROM shipping_zones WHERE code = ?)`,
			carrier, zone).Scan(&n); err != nil {
			return err
		}
		if n != 2 {
			return errs.NotFoundE("carrier")
		}
		before, err := bandsIn(ctx, tx, carrier, zone)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM shipping_rates WHERE carrier_code = ? AND zone_code = ?`, carrier, zone); err != nil {
			return err
		}
		rows := make([][]any, len(bands))
		for i, b := range bands {
			rows[i] = []any{carrier, zone, b.MaxGrams, b.Amount}
		}
		if _, err := db.InsertRows(ctx, tx, "shipping_rates", []string{"carrier_code", "zone_code", "max_grams", "amount"}, rows); err != nil {
			return err
		}
		after := bands
		if after == nil {
			after = []Band{}
		}
		return audit.Record(ctx, tx, by, "shipping_rates.set", "shipping_rates", carrier+"/"+zone, before, after, s.now())
	})
	if err != nil {
		return fmt.Errorf("set rates: %w", err)
	}
	s.forget()
	return nil
}

// carrierTerms is what SetCarrier changes, as the audit log records it.
type carrierTerms struct {
	DiscountBP int  `json:"discount_bp"`
	Active     bool `json:"active"`
}

// bandsIn reads a carrier's table in one zone inside tx, for the audit log.
func bandsIn(ctx context.Context, tx db.Querier, carrier, zone string) ([]Band, error) {
	rows, err := tx.QueryContext(ctx, `SELECT max_grams, amount FROM shipping_rates WHERE carrier_code = ? AND zone_code = ? ORDER BY max_grams`, carrier, zone)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Band{}
	for rows.Next() {
		var b Band
		if err := rows.Scan(&b.MaxGrams, &b.Amount); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
