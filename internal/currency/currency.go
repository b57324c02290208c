// Package currency keeps the exchange rates an operator sets, so that prices,
// which are always in MAD, can be shown in euros or US dollars. It owns the
// exchange_rates table. Orders are still charged in MAD: a rate only changes
// what a shopper sees. Reads are cached for CacheTTL so that a storefront page
// full of prices does not ask the database for each one.
package currency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
)

// Foreign are the currencies souk shows prices in besides MAD, in the order
// the storefront offers them.
var Foreign = []string{"EUR", "USD"}

// Display are all the currencies a shopper may choose: MAD first.
var Display = append([]string{money.MAD}, Foreign...)

// Bounds of a rate, in MAD per unit times money.RateScale. They catch a
// misplaced decimal point (1085 or 1.085 for the euro's 10.85) and keep the
// conversion far from overflow. A currency worth less than 1 MAD or more than
// 100 would need them revisited.
const (
	MinRate = 1 * money.RateScale
	MaxRate = 100 * money.RateScale
)

// CacheTTL is how long rates are read from memory. A rate set through this
// process's Service is seen at once; one set by another process (a second
// node) within CacheTTL.
const CacheTTL = 5 * time.Second

// Rate is the price of one unit of Currency in MAD.
type Rate struct {
	Currency string
	// MADPerUnit is in millionths of a dirham (money.RateScale): 10.85 MAD
	// per euro is 10_850_000.
	MADPerUnit int64
	UpdatedAt  time.Time
	// UpdatedBy is the operator's user id; 0 for souk's default rate (set by
	// the migration, not yet reviewed by an operator) or one set by souk
	// itself (an operator User without an account, as in tests).
	UpdatedBy int64
}

// String writes the rate as a decimal: "10.85".
func (r Rate) String() string { return money.FormatRate(r.MADPerUnit) }

// Service reads and sets exchange rates.
type Service struct {
	db  *db.DB
	now func() time.Time
	ttl time.Duration

	mu       sync.Mutex
	rates    []Rate // sorted as Foreign, then any other code by name
	loadedAt time.Time
	gen      uint64 // bumped by every Set, so a load that raced a write is not kept
	group    singleflight.Group
}

// NewService returns a Service on d; now is the clock (nil for time.Now).
func NewService(d *db.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, now: now, ttl: CacheTTL}
}

// List returns every rate, from memory when it is fresher than CacheTTL.
// Anyone may read rates: they are public.
func (s *Service) List(ctx context.Context) ([]Rate, error) {
	s.mu.Lock()
	if s.rates != nil && s.now().Sub(s.loadedAt) < s.ttl {
		out := slices.Clone(s.rates)
		s.mu.Unlock()
		return out, nil
	}
	s.mu.Unlock()
	// Concurrent misses share one query.
	v, err, _ := s.group.Do("rates", func() (any, error) {
		s.mu.Lock()
		gen := s.gen
		s.mu.Unlock()
		// The query is shared, so one caller leaving must not fail the others.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		rates, err := s.load(lctx)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		if gen == s.gen { // no Set since the read began: keep it
			s.rates, s.loadedAt = rates, s.now()
		}
		s.mu.Unlock()
		return rates, nil
	})
	if err != nil {
		return nil, err
	}
	return slices.Clone(v.([]Rate)), nil
}

// Get returns the rate of currency, errs.NotFound when there is none.
func (s *Service) Get(ctx context.Context, currency string) (Rate, error) {
	rates, err := s.List(ctx)
	if err != nil {
		return Rate{}, err
	}
	for _, r := range rates {
		if r.Currency == currency {
			return r, nil
		}
	}
	return Rate{}, errs.NotFoundE("exchange rate")
}

// Convert shows m, an amount in MAD, in currency to at the current rate.
// MAD comes back as it is.
func (s *Service) Convert(ctx context.Context, m money.Money, to string) (money.Money, error) {
	if to == money.MAD {
		return m, nil
	}
	r, err := s.Get(ctx, to)
	if err != nil {
		return money.Money{}, err
	}
	out, err := money.FromMAD(m, to, r.MADPerUnit)
	if err != nil {
		return money.Money{}, errs.Wrap(errs.Internal, "error.internal", fmt.Errorf("convert %v to %s: %w", m, to, err))
	}
	return out, nil
}

func (s *Service) load(ctx context.Context) ([]Rate, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT currency, mad_per_unit, updated_at, updated_by FROM exchange_rates`)
	if err != nil {
		return nil, fmt.Errorf("read exchange rates: %w", err)
	}
	defer rows.Close()
	rates := []Rate{}
	for rows.Next() {
		var r Rate
		var by sql.NullInt64
		if err := rows.Scan(&r.Currency, &r.MADPerUnit, &r.UpdatedAt, &by); err != nil {
			return nil, fmt.Errorf("read exchange rates: %w", err)
		}
		r.UpdatedAt, r.UpdatedBy = r.UpdatedAt.UTC(), by.Int64
		rates = append(rates, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read exchange rates: %w", err)
	}
	slices.SortFunc(rates, func(a, b Rate) int {
		ia, ib := slices.Index(Foreign, a.Currency), slices.Index(Foreign, b.Currency)
		switch {
		case ia >= 0 && ib >= 0:
			return ia - ib
		case ia >= 0:
			return -1
		case ib >= 0:
			return 1
		}
		return strings.Compare(a.Currency, b.Currency)
	})
	return rates, nil
}

// Set records madPerUnit, a decimal string such as "10.85" (MAD per one unit
// of currency, at most six decimals), as the rate of currency. Operators
// only (errs.Forbidden for everyone else). A bad currency or rate is
// errs.Invalid naming the field ("currency", "mad_per_unit") and changes
// nothing.
func (s *Service) Set(ctx context.Context, by auth.User, currency, madPerUnit string) (Rate, error) {
	if !by.IsOperator() {
		return Rate{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	f := errs.Fields{}
	if !slices.Contains(Foreign, currency) || !money.Known(currency) {
		f.Add("currency", "field.rate_currency")
	}
	var rate int64
	switch r, err := money.ParseRate(madPerUnit); {
	case madPerUnit == "":
		f.Add("mad_per_unit", "field.required")
	case err != nil:
		f.Add("mad_per_unit", "field.rate_decimal")
	case r < MinRate || r > MaxRate:
		f.Add("mad_per_unit", "field.rate_range")
	default:
		rate = r
	}
	if err := f.Err(); err != nil {
		return Rate{}, err
	}
	// Microseconds: what PostgreSQL keeps, so the answer equals a later read.
	now := s.now().UTC().Truncate(time.Microsecond)
	// The zero User (id 0) is souk itself acting as an operator (fixtures,
	// commands): there is no account to point at.
	var setBy any
	if by.ID != 0 {
		setBy = by.ID
	}
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		var before any // nil when the currency had no rate
		var old int64
		if err := tx.QueryRowContext(ctx, `SELECT mad_per_unit FROM exchange_rates WHERE currency = ?`, currency).Scan(&old); err == nil {
			before = map[string]string{"mad_per_unit": money.FormatRate(old)}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO exchange_rates (currency, mad_per_unit, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (currency) DO UPDATE SET mad_per_unit = excluded.mad_per_unit, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			currency, rate, now, setBy)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, "exchange_rate.set", "exchange_rate", currency, before,
			map[string]string{"mad_per_unit": money.FormatRate(rate)}, now)
	})
	if err != nil {
		return Rate{}, fmt.Errorf("set exchange rate %s: %w", currency, err)
	}
	s.mu.Lock()
	s.gen++
	s.rates = nil
	s.mu.Unlock()
	return Rate{Currency: currency, MADPerUnit: rate, UpdatedAt: now, UpdatedBy: by.ID}, nil
}
