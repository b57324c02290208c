-- A product photo uploaded from a phone is also stored as WebP next to its
-- JPEGs (p/x.webp, p/x-320.webp…); the storefront offers those first in a
-- <picture> (package catalog). Photos from before, and images given by
-- path, have JPEG or PNG only. Twin of ../sqlite/00010_image_webp.sql.

-- +goose Up
ALTER TABLE product_images ADD COLUMN webp BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE product_images DROP COLUMN webp;
