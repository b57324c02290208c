-- Exchange rates, for showing prices in euros and US dollars (package
-- currency). Twin of ../postgres/00004_exchange_rates.sql.
-- Prices stay in MAD and orders are charged in MAD: a rate only changes what
-- the storefront shows. A rate is the price of one unit of the currency in
-- MAD, times 1,000,000 (six decimals, money.RateScale): 10.85 MAD per euro is
-- 10850000. updated_by is the operator who set it, NULL for the defaults
-- below.
--
-- The two rows are DEFAULTS so that a fresh souk can show EUR and USD at
-- all: indicative rates, not market data. The operator must set real ones
-- (PUT /api/v1/exchange-rates/{currency}) and keep them up to date.

-- +goose Up
CREATE TABLE exchange_rates (
  currency     TEXT PRIMARY KEY CHECK (length(currency) = 3 AND currency <> 'MAD'),
  mad_per_unit INTEGER NOT NULL CHECK (mad_per_unit > 0), -- millionths of a dirham per unit
  updated_at   TIMESTAMP NOT NULL,
  updated_by   INTEGER REFERENCES users (id) ON DELETE SET NULL
);
INSERT INTO exchange_rates (currency, mad_per_unit, updated_at) VALUES
  ('EUR', 10850000, CURRENT_TIMESTAMP),
  ('USD', 9300000, CURRENT_TIMESTAMP);

-- +goose Down
DROP TABLE exchange_rates;
