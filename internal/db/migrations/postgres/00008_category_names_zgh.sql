-- Standard Moroccan Tamazight (zgh) names of the reference categories, which
-- until now fell back to Arabic on /zgh/ pages. Sources and doubts: the
-- "Category and city names" section of docs/TAMAZIGHT.md. A category an
-- operator has removed is skipped. Same SQL on both dialects.

-- +goose Up
INSERT INTO category_texts (category_id, locale, name)
SELECT c.id, 'zgh', v.column2
FROM (VALUES
  ('food', 'ⵜⵉⵔⵎⵜ'),
  ('argan-oil', 'ⵣⵣⵉⵜ ⵏ ⵡⴰⵔⴳⴰⵏ'),
  ('amlou-honey', 'ⴰⵎⵍⵓ ⴷ ⵜⵎⵎⵏⵜ'),
  ('saffron-spices', 'ⵣⵣⵄⴼⵔⴰⵏ ⴷ ⵜⵜⵡⴰⴱⵍ'),
  ('dates-dried-fruit', 'ⵜⵉⵢⵏⵉ ⴷ ⵉⴳⵓⵎⴰ ⵉⵇⵇⵓⵔⵏ'),
  ('olive-oil', 'ⵣⵣⵉⵜ ⵏ ⵓⵣⵎⵎⵓⵔ'),
  ('couscous-grains', 'ⵙⴽⵙⵓ ⴷ ⵉⵎⵏⴷⵉ'),
  ('herbs-teas', 'ⵜⵓⴳⴰ ⴷ ⵡⴰⵜⴰⵢ'),
  ('cosmetics', 'ⵉⴼⴰⵔⵉⵙⵏ ⵏ ⵜⵉⴼⵍⵓⵍⵉ'),
  ('argan-cosmetics', 'ⵉⴼⴰⵔⵉⵙⵏ ⵏ ⵜⵉⴼⵍⵓⵍⵉ ⵙ ⵡⴰⵔⴳⴰⵏ'),
  ('rose-products', 'ⵉⴼⴰⵔⵉⵙⵏ ⵏ ⵍⵡⵕⴷ'),
  ('soaps-ghassoul', 'ⵚⵚⴰⴱⵓⵏ ⴷ ⵍⵖⴰⵙⵙⵓⵍ'),
  ('essential-oils', 'ⵣⵣⵉⵜ ⵏ ⵍⵄⵟⵕ'),
  ('crafts', 'ⵜⴰⵥⵓⵕⵉ ⵏ ⵉⴼⴰⵙⵙⵏ'),
  ('rugs-textiles', 'ⵉⵃⵏⴱⵍⵏ ⴷ ⵓⵥⵟⵟⴰ'),
  ('pottery-ceramics', 'ⵉⵎⴰⵙⵙⵏ ⵏ ⵡⴰⴽⴰⵍ'),
  ('zellige-tadelakt', 'ⵣⵣⵍⵍⵉⵊ ⴷ ⵜⴰⴷⵍⵍⴰⴽⵜ'),
  ('leather', 'ⵉⵍⵎ'),
  ('woodwork', 'ⴰⴽⵛⵛⵓⴹ'),
  ('jewelry-metal', 'ⵍⵃⵍⵉ ⴷ ⵓⵣⵣⴰⵍ'),
  ('basketry', 'ⵜⵉⵇⴼⵉⴼⵉⵏ'),
  ('sahrawi-crafts', 'ⵜⴰⵥⵓⵕⵉ ⵏ ⵉⴼⴰⵙⵙⵏ ⵏ ⵚⵚⵃⵔⴰ'),
  ('books', 'ⵉⴷⵍⵉⵙⵏ'),
  ('literature', 'ⵜⴰⵙⴽⵍⴰ'),
  ('history-society', 'ⴰⵎⵣⵔⵓⵢ ⴷ ⵜⵎⵙⵎⵓⵏⵜ'),
  ('religion-thought', 'ⴰⵙⴳⴷ ⴷ ⵓⵙⵡⵉⵏⴳⵎ'),
  ('children', 'ⵉⴷⵍⵉⵙⵏ ⵏ ⵉⴼⵔⵅⴰⵏ'),
  ('education', 'ⵉⴷⵍⵉⵙⵏ ⵏ ⵜⵉⵏⵎⵍ ⴷ ⵓⵙⵍⵎⴷ'),
  ('cooking-arts', 'ⴰⵏⵡⴰⵍ ⴷ ⵜⵥⵓⵕⵉ'),
  ('press', 'ⵉⵖⵎⵉⵙⵏ ⴷ ⵜⵙⵖⵓⵏⵉⵏ'),
  ('newspapers', 'ⵉⵖⵎⵉⵙⵏ'),
  ('magazines', 'ⵜⵉⵙⵖⵓⵏⵉⵏ')
) AS v
JOIN categories c ON c.slug = v.column1;

-- +goose Down
DELETE FROM category_texts
WHERE locale = 'zgh'
  AND category_id IN (SELECT id FROM categories WHERE slug IN (
    'food', 'argan-oil', 'amlou-honey', 'saffron-spices', 'dates-dried-fruit', 'olive-oil',
    'couscous-grains', 'herbs-teas', 'cosmetics', 'argan-cosmetics', 'rose-products',
    'soaps-ghassoul', 'essential-oils', 'crafts', 'rugs-textiles', 'pottery-ceramics',
    'zellige-tadelakt', 'leather', 'woodwork', 'jewelry-metal', 'basketry',
    'sahrawi-crafts', 'books', 'literature', 'history-society', 'religion-thought',
    'children', 'education', 'cooking-arts', 'press', 'newspapers', 'magazines'));
