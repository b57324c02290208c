-- Carts, checkout, orders, payments and the mail outbox (packages shipping, order,
-- payment, notify). Twin of ../postgres/00006_orders.sql: keep both in step.

-- +goose Up
-- Operator settings that are one value each (cash-on-delivery confirmation,
-- how long an unpaid card order holds its stock).
CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO settings (name, value) VALUES ('cod_confirmation_required', 'false'), ('card_hold_minutes', '30');

-- Where a sale comes from. The minimum order value is checked at checkout
-- (the seed platform had to raise it to 500 MAD on launch day; souk starts
-- at 50 MAD); the settlement delay is the ledger's.
CREATE TABLE sales_channels (
  code             TEXT PRIMARY KEY,
  min_order_amount BIGINT NOT NULL DEFAULT 0 CHECK (min_order_amount >= 0), -- centimes of MAD
  settlement_hours INTEGER NOT NULL DEFAULT 72 CHECK (settlement_hours >= 0),
  position         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sales_channels (code, min_order_amount, settlement_hours, position) VALUES
  ('web', 5000, 72, 0), ('export', 5000, 72, 1), ('shop', 0, 72, 2), ('supermarket', 0, 240, 3);

-- Carriers, the zones they deliver to and their weight-band rate tables.
-- A carrier serves a zone when it has rates there. discount_bp is the
-- negotiated discount in basis points (9200 = 92%) taken off the table price.
CREATE TABLE carriers (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  discount_bp INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
  collects_cod BOOLEAN NOT NULL DEFAULT FALSE,
  active      BOOLEAN NOT NULL DEFAULT TRUE,
  position    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE shipping_zones (
  code     TEXT PRIMARY KEY,
  position INTEGER NOT NULL DEFAULT 0
);
-- What a zone covers: a country (ISO 3166 alpha-2, '*' for anywhere), and
-- within Morocco optionally a region or a city. The most specific match wins.
CREATE TABLE shipping_zone_areas (
  zone_code TEXT NOT NULL REFERENCES shipping_zones (code) ON DELETE CASCADE,
  country   TEXT NOT NULL,
  region    TEXT NOT NULL DEFAULT '',
  city      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (country, region, city)
);
CREATE TABLE shipping_rates (
  carrier_code TEXT NOT NULL REFERENCES carriers (code) ON DELETE CASCADE,
  zone_code    TEXT NOT NULL REFERENCES shipping_zones (code) ON DELETE CASCADE,
  max_grams    INTEGER NOT NULL CHECK (max_grams > 0),
  amount       BIGINT NOT NULL CHECK (amount >= 0), -- centimes of MAD, VAT included
  PRIMARY KEY (carrier_code, zone_code, max_grams)
);

-- Carts: the id is the secret that lets a guest (cookie) or an API client
-- use the cart; a signed-in customer's cart also carries the user.
CREATE TABLE carts (
  id         TEXT PRIMARY KEY,
  user_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
  channel    TEXT NOT NULL REFERENCES sales_channels (code),
  status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ordered', 'merged')),
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX carts_user ON carts (user_id, status);
CREATE TABLE cart_items (
  cart_id    TEXT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  variant_id BIGINT NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
  quantity   INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  added_at   TIMESTAMP NOT NULL,
  PRIMARY KEY (cart_id, variant_id)
);

-- One customer order per checkout (and per cart), split into one vendor
-- order per vendor. Lines keep what was sold as it was sold (title, price,
-- VAT rate): catalog edits never rewrite an order.
CREATE TABLE orders (
  id               INTEGER PRIMARY KEY,
  number           TEXT NOT NULL UNIQUE,
  cart_id          TEXT NOT NULL UNIQUE,
  idempotency_key  TEXT NOT NULL,
  user_id          BIGINT REFERENCES users (id) ON DELETE SET NULL,
  channel          TEXT NOT NULL REFERENCES sales_channels (code),
  locale           TEXT NOT NULL,
  email            TEXT NOT NULL,
  phone            TEXT NOT NULL,
  ship_name        TEXT NOT NULL,
  ship_line1       TEXT NOT NULL,
  ship_line2       TEXT NOT NULL DEFAULT '',
  ship_city        TEXT NOT NULL,
  ship_region      TEXT NOT NULL DEFAULT '',
  ship_postal_code TEXT NOT NULL DEFAULT '',
  ship_country     TEXT NOT NULL,
  status           TEXT NOT NULL,
  payment_method   TEXT NOT NULL CHECK (payment_method IN ('cod', 'cmi', 'stripe')),
  items_amount     BIGINT NOT NULL,
  shipping_amount  BIGINT NOT NULL,
  vat_amount       BIGINT NOT NULL,
  total_amount     BIGINT NOT NULL,
  currency         TEXT NOT NULL DEFAULT 'MAD',
  hold_until       TIMESTAMP, -- an unpaid card order gives its stock back after this
  created_at       TIMESTAMP NOT NULL,
  updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX orders_user ON orders (user_id, id);
CREATE INDEX orders_hold ON orders (hold_until);
CREATE TABLE vendor_orders (
  id              INTEGER PRIMARY KEY,
  order_id        BIGINT NOT NULL REFERENCES orders (id),
  vendor_id       BIGINT NOT NULL REFERENCES vendors (id),
  number          TEXT NOT NULL UNIQUE,
  status          TEXT NOT NULL,
  carrier_code    TEXT NOT NULL REFERENCES carriers (code),
  tracking_number TEXT NOT NULL DEFAULT '',
  items_amount    BIGINT NOT NULL,
  shipping_amount BIGINT NOT NULL,
  vat_amount      BIGINT NOT NULL,
  weight_grams    INTEGER NOT NULL,
  created_at      TIMESTAMP NOT NULL,
  updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX vendor_orders_order ON vendor_orders (order_id);
CREATE INDEX vendor_orders_vendor ON vendor_orders (vendor_id, status, id);
CREATE TABLE order_lines (
  id              INTEGER PRIMARY KEY,
  order_id        BIGINT NOT NULL REFERENCES orders (id),
  vendor_order_id BIGINT NOT NULL REFERENCES vendor_orders (id),
  product_id      BIGINT NOT NULL, -- no foreign keys: the sale outlives the catalog entry
  variant_id      BIGINT NOT NULL,
  sku             TEXT NOT NULL,
  title           TEXT NOT NULL,
  quantity        INTEGER NOT NULL CHECK (quantity > 0),
  unit_amount     BIGINT NOT NULL CHECK (unit_amount >= 0),
  vat_rate_bp     INTEGER NOT NULL,
  line_amount     BIGINT NOT NULL,
  vat_amount      BIGINT NOT NULL,
  weight_grams    INTEGER NOT NULL
);
CREATE INDEX order_lines_order ON order_lines (order_id);
CREATE INDEX order_lines_vendor_order ON order_lines (vendor_order_id);
-- Every status change, with who made it.
CREATE TABLE order_events (
  id              INTEGER PRIMARY KEY,
  order_id        BIGINT NOT NULL REFERENCES orders (id),
  vendor_order_id BIGINT REFERENCES vendor_orders (id),
  from_status     TEXT NOT NULL,
  to_status       TEXT NOT NULL,
  actor_user_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
  actor           TEXT NOT NULL, -- customer, vendor, operator, system, cmi, stripe, carrier
  note            TEXT NOT NULL DEFAULT '',
  created_at      TIMESTAMP NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- One payment per order, with its own state machine; every notification
-- from a gateway is kept (event_id makes a replay a no-op).
CREATE TABLE payments (
  id              INTEGER PRIMARY KEY,
  order_id        BIGINT NOT NULL UNIQUE REFERENCES orders (id),
  method          TEXT NOT NULL CHECK (method IN ('cod', 'cmi', 'stripe')),
  status          TEXT NOT NULL CHECK (status IN ('pending', 'authorised', 'captured', 'failed', 'refunded', 'cancelled')),
  amount          BIGINT NOT NULL,
  refunded_amount BIGINT NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  currency        TEXT NOT NULL,
  reference       TEXT NOT NULL UNIQUE, -- CMI oid, Stripe PaymentIntent id, COD: the order number
  client_secret   TEXT NOT NULL DEFAULT '',
  created_at      TIMESTAMP NOT NULL,
  updated_at      TIMESTAMP NOT NULL
);
CREATE TABLE payment_events (
  id          INTEGER PRIMARY KEY,
  payment_id  BIGINT NOT NULL REFERENCES payments (id),
  source      TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  kind        TEXT NOT NULL,
  amount      BIGINT NOT NULL DEFAULT 0,
  detail      TEXT NOT NULL DEFAULT '',
  created_at  TIMESTAMP NOT NULL,
  UNIQUE (source, event_id)
);
CREATE INDEX payment_events_payment ON payment_events (payment_id, id);
CREATE TABLE refunds (
  id            INTEGER PRIMARY KEY,
  payment_id    BIGINT NOT NULL REFERENCES payments (id),
  amount        BIGINT NOT NULL CHECK (amount > 0),
  reason        TEXT NOT NULL DEFAULT '',
  reference     TEXT NOT NULL DEFAULT '',
  actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  created_at    TIMESTAMP NOT NULL
);
CREATE INDEX refunds_payment ON refunds (payment_id);

-- Messages to send (e-mail), written in the transaction of the event they
-- tell about and sent by a background worker; dedupe_key stops a second copy.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  dedupe_key      TEXT NOT NULL UNIQUE,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body_text       TEXT NOT NULL,
  body_html       TEXT NOT NULL DEFAULT '',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP NOT NULL,
  locked_until    TIMESTAMP,
  sent_at         TIMESTAMP,
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

-- +goose Down
DROP TABLE outbox;
DROP TABLE refunds;
DROP TABLE payment_events;
DROP TABLE payments;
DROP TABLE order_events;
DROP TABLE order_lines;
DROP TABLE vendor_orders;
DROP TABLE orders;
DROP TABLE cart_items;
DROP TABLE carts;
DROP TABLE shipping_rates;
DROP TABLE shipping_zone_areas;
DROP TABLE shipping_zones;
DROP TABLE carriers;
DROP TABLE sales_channels;
DROP TABLE settings;
