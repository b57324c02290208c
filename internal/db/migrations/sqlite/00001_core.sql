-- The marketplace's core: vendors, accounts, the catalog.
-- Twin of ../postgres/00001_core.sql: keep both in step.

-- +goose Up
CREATE TABLE tax_classes (
  code    TEXT PRIMARY KEY,
  rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000) -- basis points: 2000 = 20%
);

CREATE TABLE vendors (
  id                 INTEGER PRIMARY KEY,
  slug               TEXT NOT NULL UNIQUE,
  kind               TEXT NOT NULL CHECK (kind IN ('cooperative', 'artisan', 'exporter', 'publisher')),
  legal_name         TEXT NOT NULL,
  region             TEXT NOT NULL,
  city               TEXT NOT NULL,
  cooperative_number TEXT NOT NULL DEFAULT '',
  ice                TEXT NOT NULL DEFAULT '',
  contact_name       TEXT NOT NULL DEFAULT '',
  email              TEXT NOT NULL DEFAULT '',
  phone              TEXT NOT NULL DEFAULT '',
  rib                TEXT NOT NULL DEFAULT '',
  status             TEXT NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'approved', 'suspended', 'rejected')),
  created_at         TIMESTAMP NOT NULL,
  updated_at         TIMESTAMP NOT NULL,
  approved_at        TIMESTAMP
);
CREATE INDEX vendors_status_region ON vendors (status, region);

CREATE TABLE vendor_texts (
  vendor_id    INTEGER NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  locale       TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  story        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (vendor_id, locale)
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE, -- lower-cased
  name          TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  role          TEXT NOT NULL CHECK (role IN ('customer', 'vendor_owner', 'vendor_staff', 'admin', 'moderator')),
  vendor_id     INTEGER REFERENCES vendors (id),
  locale        TEXT NOT NULL DEFAULT 'ar',
  created_at    TIMESTAMP NOT NULL,
  updated_at    TIMESTAMP NOT NULL,
  disabled_at   TIMESTAMP,
  CHECK ((role IN ('vendor_owner', 'vendor_staff')) = (vendor_id IS NOT NULL))
);
CREATE INDEX users_vendor ON users (vendor_id);

CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE, -- SHA-256 of the token; the token itself is never stored
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   TIMESTAMP NOT NULL,
  last_seen_at TIMESTAMP NOT NULL,
  expires_at   TIMESTAMP NOT NULL,
  revoked_at   TIMESTAMP,
  user_agent   TEXT NOT NULL DEFAULT '',
  ip           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
  id        INTEGER PRIMARY KEY,
  key       TEXT NOT NULL, -- 'email:…' or 'ip:…'
  failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);

CREATE TABLE categories (
  id        INTEGER PRIMARY KEY,
  slug      TEXT NOT NULL UNIQUE,
  parent_id INTEGER REFERENCES categories (id),
  position  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX categories_parent ON categories (parent_id, position);

CREATE TABLE category_texts (
  category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  locale      TEXT NOT NULL,
  name        TEXT NOT NULL,
  PRIMARY KEY (category_id, locale)
);

CREATE TABLE products (
  id           INTEGER PRIMARY KEY,
  vendor_id    INTEGER NOT NULL REFERENCES vendors (id),
  slug         TEXT NOT NULL UNIQUE,
  category_id  INTEGER NOT NULL REFERENCES categories (id),
  region       TEXT NOT NULL,
  tax_class    TEXT NOT NULL REFERENCES tax_classes (code),
  status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending_review', 'published', 'rejected')),
  review_note  TEXT NOT NULL DEFAULT '',
  created_at   TIMESTAMP NOT NULL,
  updated_at   TIMESTAMP NOT NULL,
  published_at TIMESTAMP
);
CREATE INDEX products_vendor ON products (vendor_id, status, id);
CREATE INDEX products_category ON products (category_id, status, id);
CREATE INDEX products_region ON products (region, status, id);
CREATE INDEX products_status ON products (status, id);

CREATE TABLE product_texts (
  product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  locale      TEXT NOT NULL,
  title       TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (product_id, locale)
);

CREATE TABLE variants (
  id             INTEGER PRIMARY KEY,
  product_id     INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  sku            TEXT NOT NULL, -- unique within its product
  label          TEXT NOT NULL DEFAULT '',
  price_amount   BIGINT NOT NULL CHECK (price_amount >= 0), -- minor units (centimes)
  price_currency TEXT NOT NULL DEFAULT 'MAD',
  stock          INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
  weight_grams   INTEGER NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
  length_mm      INTEGER NOT NULL DEFAULT 0 CHECK (length_mm >= 0),
  width_mm       INTEGER NOT NULL DEFAULT 0 CHECK (width_mm >= 0),
  height_mm      INTEGER NOT NULL DEFAULT 0 CHECK (height_mm >= 0),
  position       INTEGER NOT NULL DEFAULT 0,
  UNIQUE (product_id, sku)
);

CREATE TABLE product_images (
  id         INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL DEFAULT 0,
  path       TEXT NOT NULL, -- relative to the media folder
  width      INTEGER NOT NULL DEFAULT 0,
  height     INTEGER NOT NULL DEFAULT 0,
  alt        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX product_images_product ON product_images (product_id, position);

CREATE TABLE certifications (
  id         INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('organic', 'fair_trade', 'igp', 'aop', 'label_agricole', 'onssa', 'halal', 'other')),
  issuer     TEXT NOT NULL,
  number     TEXT NOT NULL DEFAULT '',
  expires_on DATE
);
CREATE INDEX certifications_product ON certifications (product_id);

CREATE TABLE books (
  product_id INTEGER PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
  isbn       TEXT NOT NULL UNIQUE, -- ISBN-13, digits only
  publisher  TEXT NOT NULL DEFAULT '',
  language   TEXT NOT NULL,
  year       INTEGER NOT NULL DEFAULT 0,
  pages      INTEGER NOT NULL DEFAULT 0 CHECK (pages >= 0)
);

CREATE TABLE book_authors (
  product_id INTEGER NOT NULL REFERENCES books (product_id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  name       TEXT NOT NULL,
  PRIMARY KEY (product_id, position)
);
CREATE INDEX book_authors_name ON book_authors (name);

-- +goose Down
DROP TABLE book_authors;
DROP TABLE books;
DROP TABLE certifications;
DROP TABLE product_images;
DROP TABLE variants;
DROP TABLE product_texts;
DROP TABLE products;
DROP TABLE category_texts;
DROP TABLE categories;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE vendor_texts;
DROP TABLE vendors;
DROP TABLE tax_classes;
