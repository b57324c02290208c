-- The catalog's change feed: one row per write that may change what the
-- public sees, written by triggers in the writing transaction (so no write
-- path can forget it, other processes' and hand-made SQL included). Every
-- souk node reads it a few times a second to refresh its index in memory
-- and drop the cached pages that show what changed (package catalog,
-- Service.Follow). Rows older than an hour are deleted. Twin of
-- ../postgres/00013_catalog_changes.sql: keep both in step.
--
-- product_id NULL: anything public may have changed (a vendor, a category).
-- listings 0: only the product's own page and API answer differ (its stock
-- moved without selling out or coming back).

-- +goose Up
CREATE TABLE catalog_changes (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT, -- one writer at a time: rows commit in seq order
  product_id INTEGER,
  vendor_id  INTEGER,
  listings   INTEGER NOT NULL,
  at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);
CREATE INDEX catalog_changes_at ON catalog_changes (at);

-- +goose StatementBegin
CREATE TRIGGER variants_changed AFTER UPDATE OF price_amount, price_currency, stock ON variants
WHEN OLD.price_amount <> NEW.price_amount OR OLD.price_currency <> NEW.price_currency OR OLD.stock <> NEW.stock
BEGIN
  INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id,
    OLD.price_amount <> NEW.price_amount OR OLD.price_currency <> NEW.price_currency OR (OLD.stock = 0) <> (NEW.stock = 0));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER variants_removed AFTER DELETE ON variants
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (OLD.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_published AFTER INSERT ON products WHEN NEW.status = 'published'
BEGIN INSERT INTO catalog_changes (product_id, vendor_id, listings) VALUES (NEW.id, NEW.vendor_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_changed AFTER UPDATE ON products
BEGIN INSERT INTO catalog_changes (product_id, vendor_id, listings) VALUES (NEW.id, NEW.vendor_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_removed AFTER DELETE ON products
BEGIN INSERT INTO catalog_changes (product_id, vendor_id, listings) VALUES (OLD.id, OLD.vendor_id, 1); END;
-- +goose StatementEnd
-- A product's texts, photos, certifications and book details: edits and
-- removals (souk's own edits also touch the product's row; new rows of a
-- new product come with it, and a bulk load is one row: see catalog).
-- +goose StatementBegin
CREATE TRIGGER product_texts_changed AFTER UPDATE ON product_texts
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER product_texts_removed AFTER DELETE ON product_texts
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (OLD.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER product_images_changed AFTER UPDATE ON product_images
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER product_images_removed AFTER DELETE ON product_images
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (OLD.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER certifications_changed AFTER UPDATE ON certifications
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER certifications_removed AFTER DELETE ON certifications
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (OLD.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER books_changed AFTER UPDATE ON books
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER books_removed AFTER DELETE ON books
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (OLD.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER book_authors_changed AFTER UPDATE ON book_authors
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER book_authors_removed AFTER DELETE ON book_authors
BEGIN INSERT INTO catalog_changes (product_id, listings) VALUES (OLD.product_id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vendors_changed AFTER UPDATE ON vendors
BEGIN INSERT INTO catalog_changes (vendor_id, listings) VALUES (NEW.id, 1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER categories_added AFTER INSERT ON categories
BEGIN INSERT INTO catalog_changes (listings) VALUES (1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER categories_changed AFTER UPDATE ON categories
BEGIN INSERT INTO catalog_changes (listings) VALUES (1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER categories_removed AFTER DELETE ON categories
BEGIN INSERT INTO catalog_changes (listings) VALUES (1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER category_texts_added AFTER INSERT ON category_texts
BEGIN INSERT INTO catalog_changes (listings) VALUES (1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER category_texts_changed AFTER UPDATE ON category_texts
BEGIN INSERT INTO catalog_changes (listings) VALUES (1); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER category_texts_removed AFTER DELETE ON category_texts
BEGIN INSERT INTO catalog_changes (listings) VALUES (1); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER category_texts_removed;
DROP TRIGGER category_texts_changed;
DROP TRIGGER category_texts_added;
DROP TRIGGER categories_removed;
DROP TRIGGER categories_changed;
DROP TRIGGER categories_added;
DROP TRIGGER book_authors_removed;
DROP TRIGGER book_authors_changed;
DROP TRIGGER books_removed;
DROP TRIGGER books_changed;
DROP TRIGGER certifications_removed;
DROP TRIGGER certifications_changed;
DROP TRIGGER product_images_removed;
DROP TRIGGER product_images_changed;
DROP TRIGGER product_texts_removed;
DROP TRIGGER product_texts_changed;
DROP TRIGGER vendors_changed;
DROP TRIGGER products_removed;
DROP TRIGGER products_changed;
DROP TRIGGER products_published;
DROP TRIGGER variants_removed;
DROP TRIGGER variants_changed;
DROP TABLE catalog_changes;
