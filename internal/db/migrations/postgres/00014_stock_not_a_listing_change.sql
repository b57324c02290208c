-- A variant selling out or coming back no longer counts as a change of
-- listings in the catalog's change feed: no listing shows stock (cards
-- show a title, a price, a photo and the vendor; the product's own page
-- and the API answers that print stock are dropped by product). Flagging
-- it dropped every cached listing page on every sell-out — at the launch
-- rate, 14 times in 10 minutes, each time thousands of pages to render at
-- once. A listing that filters or shows by stock would need it back.
-- Twin of ../sqlite/00014_stock_not_a_listing_change.sql.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'variants' THEN
    IF TG_OP = 'DELETE' THEN
      INSERT INTO catalog_changes (product_id, listings) VALUES (OLD.product_id, TRUE);
    ELSIF OLD.price_amount <> NEW.price_amount OR OLD.price_currency <> NEW.price_currency OR OLD.stock <> NEW.stock THEN
      INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id,
        OLD.price_amount <> NEW.price_amount OR OLD.price_currency <> NEW.price_currency);
    END IF;
  ELSIF TG_TABLE_NAME = 'products' THEN
    IF TG_OP = 'DELETE' THEN
      INSERT INTO catalog_changes (product_id, vendor_id, listings) VALUES (OLD.id, OLD.vendor_id, TRUE);
    ELSIF TG_OP = 'UPDATE' OR NEW.status = 'published' THEN
      INSERT INTO catalog_changes (product_id, vendor_id, listings) VALUES (NEW.id, NEW.vendor_id, TRUE);
    END IF;
  ELSIF TG_TABLE_NAME IN ('product_texts', 'product_images', 'certifications', 'books', 'book_authors') THEN
    IF TG_OP = 'DELETE' THEN
      INSERT INTO catalog_changes (product_id, listings) VALUES (OLD.product_id, TRUE);
    ELSE
      INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id, TRUE);
    END IF;
  ELSIF TG_TABLE_NAME = 'vendors' THEN
    INSERT INTO catalog_changes (vendor_id, listings) VALUES (NEW.id, TRUE);
  ELSE
    INSERT INTO catalog_changes (listings) VALUES (TRUE);
  END IF;
  RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'variants' THEN
    IF TG_OP = 'DELETE' THEN
      INSERT INTO catalog_changes (product_id, listings) VALUES (OLD.product_id, TRUE);
    ELSIF OLD.price_amount <> NEW.price_amount OR OLD.price_currency <> NEW.price_currency OR OLD.stock <> NEW.stock THEN
      INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id,
        OLD.price_amount <> NEW.price_amount OR OLD.price_currency <> NEW.price_currency OR (OLD.stock = 0) <> (NEW.stock = 0));
    END IF;
  ELSIF TG_TABLE_NAME = 'products' THEN
    IF TG_OP = 'DELETE' THEN
      INSERT INTO catalog_changes (product_id, vendor_id, listings) VALUES (OLD.id, OLD.vendor_id, TRUE);
    ELSIF TG_OP = 'UPDATE' OR NEW.status = 'published' THEN
      INSERT INTO catalog_changes (product_id, vendor_id, listings) VALUES (NEW.id, NEW.vendor_id, TRUE);
    END IF;
  ELSIF TG_TABLE_NAME IN ('product_texts', 'product_images', 'certifications', 'books', 'book_authors') THEN
    IF TG_OP = 'DELETE' THEN
      INSERT INTO catalog_changes (product_id, listings) VALUES (OLD.product_id, TRUE);
    ELSE
      INSERT INTO catalog_changes (product_id, listings) VALUES (NEW.product_id, TRUE);
    END IF;
  ELSIF TG_TABLE_NAME = 'vendors' THEN
    INSERT INTO catalog_changes (vendor_id, listings) VALUES (NEW.id, TRUE);
  ELSE
    INSERT INTO catalog_changes (listings) VALUES (TRUE);
  END IF;
  RETURN NULL;
END
$$;
-- +goose StatementEnd
