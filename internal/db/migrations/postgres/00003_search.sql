-- The catalog's full-text index (package search). Twin of ../sqlite/00003_search.sql.
-- body holds search.Normalize'd words; the 'simple' configuration keeps
-- them as they are (no stemming, no stop words), so both engines match the
-- same way.

-- +goose Up
CREATE TABLE search_index (
  product_id BIGINT PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
  body       TEXT NOT NULL,
  tsv        TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
);
CREATE INDEX search_index_tsv ON search_index USING GIN (tsv);

-- +goose Down
DROP TABLE search_index;
