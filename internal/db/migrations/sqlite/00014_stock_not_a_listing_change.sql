-- A variant selling out or coming back no longer counts as a change of
-- listings in the catalog's change feed: no listing shows stock (cards
-- show a title, a price, a photo and the vendor; the product's own page
-- and the API answers that print stock are dropped by product). Flagging
-- it dropped every cached listing page on every sell-out — at the launch
-- rate, 14 times in 10 minutes, each time thousands of pages to render at
-- once. A listing that filters or shows by stock would need it back.
-- Twin of ../postgres/00014_stock_not_a_listing_change.sql.

-- +goose Up
DROP TRIGGER variants_changed;
-- +goose StatementBegin
CREATE TRIGGER variants_changed AFTER UPDATE OF price_amount, price_currency, stock ON variants
WHEN OLD.price_amount <> NEW.price_amount OR OLD.price_currency <> NEW.price_currency OR OLD.stock <> NEW.stock
BEGIN
  INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id,
    OLD.price_amount <> NEW.price_amount OR OLD.price_currency <> NEW.price_currency);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER variants_changed;
-- +goose StatementBegin
CREATE TRIGGER variants_changed AFTER UPDATE OF price_amount, price_currency, stock ON variants
WHEN OLD.price_amount <> NEW.price_amount OR OLD.price_currency <> NEW.price_currency OR OLD.stock <> NEW.stock
BEGIN
  INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id,
    OLD.price_amount <> NEW.price_amount OR OLD.price_currency <> NEW.price_currency OR (OLD.stock = 0) <> (NEW.stock = 0));
END;
-- +goose StatementEnd
