-- Facets and sorting for public listings (package search). Twin of
-- ../sqlite/00005_search_facets.sql.
-- search_index gains the product's lowest price (centimes of MAD) so
-- listings sort by price without leaving the index; search_facets holds one
-- row per facet value of a product (its categories, region, vendor kind,
-- certifications, price band, a book's language, authors and publisher) for
-- the counts shown beside a listing. Both are rebuilt from the catalog at
-- start-up (catalog.EnsureIndexed), so the old entries are dropped.

-- +goose Up
DELETE FROM search_index;
ALTER TABLE search_index ADD COLUMN price BIGINT NOT NULL DEFAULT 0;
CREATE TABLE search_facets (
  product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  facet      TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (product_id, facet, value)
);
-- search_state records the format of what the index holds (search.Format):
-- a souk that writes it differently rebuilds the index at start-up.
CREATE TABLE search_state (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- The facet memory (search.Memory) asks which products changed lately.
CREATE INDEX products_updated_at ON products (updated_at);

-- +goose Down
DROP INDEX products_updated_at;
DROP TABLE search_state;
DROP TABLE search_facets;
ALTER TABLE search_index DROP COLUMN price;
