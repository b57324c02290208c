-- The catalog's full-text index (package search). Twin of ../postgres/00003_search.sql.
-- rowid is the product id; body holds search.Normalize'd words, so the
-- tokenizer needs no diacritics handling of its own. Prefix indexes of 2
-- and 3 characters keep "as you type" queries fast.

-- +goose Up
CREATE VIRTUAL TABLE search_index USING fts5(body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');

-- +goose Down
DROP TABLE search_index;
