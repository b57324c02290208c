-- Reference data every marketplace starts with: VAT classes (operator-editable
-- rates) and the category tree. Same SQL on both dialects.

-- +goose Up
INSERT INTO tax_classes (code, rate_bp) VALUES ('standard', 2000), ('reduced14', 1400), ('reduced10', 1000), ('reduced7', 700), ('exempt', 0);

INSERT INTO categories (slug, parent_id, position) VALUES ('food', NULL, 0);
INSERT INTO categories (slug, parent_id, position) VALUES ('argan-oil', (SELECT id FROM categories WHERE slug = 'food'), 0);
INSERT INTO categories (slug, parent_id, position) VALUES ('amlou-honey', (SELECT id FROM categories WHERE slug = 'food'), 1);
INSERT INTO categories (slug, parent_id, position) VALUES ('saffron-spices', (SELECT id FROM categories WHERE slug = 'food'), 2);
INSERT INTO categories (slug, parent_id, position) VALUES ('dates-dried-fruit', (SELECT id FROM categories WHERE slug = 'food'), 3);
INSERT INTO categories (slug, parent_id, position) VALUES ('olive-oil', (SELECT id FROM categories WHERE slug = 'food'), 4);
INSERT INTO categories (slug, parent_id, position) VALUES ('couscous-grains', (SELECT id FROM categories WHERE slug = 'food'), 5);
INSERT INTO categories (slug, parent_id, position) VALUES ('herbs-teas', (SELECT id FROM categories WHERE slug = 'food'), 6);
INSERT INTO categories (slug, parent_id, position) VALUES ('cosmetics', NULL, 1);
INSERT INTO categories (slug, parent_id, position) VALUES ('argan-cosmetics', (SELECT id FROM categories WHERE slug = 'cosmetics'), 0);
INSERT INTO categories (slug, parent_id, position) VALUES ('rose-products', (SELECT id FROM categories WHERE slug = 'cosmetics'), 1);
INSERT INTO categories (slug, parent_id, position) VALUES ('soaps-ghassoul', (SELECT id FROM categories WHERE slug = 'cosmetics'), 2);
INSERT INTO categories (slug, parent_id, position) VALUES ('essential-oils', (SELECT id FROM categories WHERE slug = 'cosmetics'), 3);
INSERT INTO categories (slug, parent_id, position) VALUES ('crafts', NULL, 2);
INSERT INTO categories (slug, parent_id, position) VALUES ('rugs-textiles', (SELECT id FROM categories WHERE slug = 'crafts'), 0);
INSERT INTO categories (slug, parent_id, position) VALUES ('pottery-ceramics', (SELECT id FROM categories WHERE slug = 'crafts'), 1);
INSERT INTO categories (slug, parent_id, position) VALUES ('zellige-tadelakt', (SELECT id FROM categories WHERE slug = 'crafts'), 2);
INSERT INTO categories (slug, parent_id, position) VALUES ('leather', (SELECT id FROM categories WHERE slug = 'crafts'), 3);
INSERT INTO categories (slug, parent_id, position) VALUES ('woodwork', (SELECT id FROM categories WHERE slug = 'crafts'), 4);
INSERT INTO categories (slug, parent_id, position) VALUES ('jewelry-metal', (SELECT id FROM categories WHERE slug = 'crafts'), 5);
INSERT INTO categories (slug, parent_id, position) VALUES ('basketry', (SELECT id FROM categories WHERE slug = 'crafts'), 6);
INSERT INTO categories (slug, parent_id, position) VALUES ('sahrawi-crafts', (SELECT id FROM categories WHERE slug = 'crafts'), 7);
INSERT INTO categories (slug, parent_id, position) VALUES ('books', NULL, 3);
INSERT INTO categories (slug, parent_id, position) VALUES ('literature', (SELECT id FROM categories WHERE slug = 'books'), 0);
INSERT INTO categories (slug, parent_id, position) VALUES ('history-society', (SELECT id FROM categories WHERE slug = 'books'), 1);
INSERT INTO categories (slug, parent_id, position) VALUES ('religion-thought', (SELECT id FROM categories WHERE slug = 'books'), 2);
INSERT INTO categories (slug, parent_id, position) VALUES ('children', (SELECT id FROM categories WHERE slug = 'books'), 3);
INSERT INTO categories (slug, parent_id, position) VALUES ('education', (SELECT id FROM categories WHERE slug = 'books'), 4);
INSERT INTO categories (slug, parent_id, position) VALUES ('cooking-arts', (SELECT id FROM categories WHERE slug = 'books'), 5);
INSERT INTO categories (slug, parent_id, position) VALUES ('press', NULL, 4);
INSERT INTO categories (slug, parent_id, position) VALUES ('newspapers', (SELECT id FROM categories WHERE slug = 'press'), 0);
INSERT INTO categories (slug, parent_id, position) VALUES ('magazines', (SELECT id FROM categories WHERE slug = 'press'), 1);

INSERT INTO category_texts (category_id, locale, name) VALUES
  ((SELECT id FROM categories WHERE slug = 'food'), 'ar', 'غذاء'),
  ((SELECT id FROM categories WHERE slug = 'food'), 'fr', 'Alimentation'),
  ((SELECT id FROM categories WHERE slug = 'food'), 'en', 'Food'),
  ((SELECT id FROM categories WHERE slug = 'food'), 'es', 'Alimentación'),
  ((SELECT id FROM categories WHERE slug = 'argan-oil'), 'ar', 'زيت الأركان'),
  ((SELECT id FROM categories WHERE slug = 'argan-oil'), 'fr', 'Huile d''argan'),
  ((SELECT id FROM categories WHERE slug = 'argan-oil'), 'en', 'Argan oil'),
  ((SELECT id FROM categories WHERE slug = 'argan-oil'), 'es', 'Aceite de argán'),
  ((SELECT id FROM categories WHERE slug = 'amlou-honey'), 'ar', 'أملو وعسل'),
  ((SELECT id FROM categories WHERE slug = 'amlou-honey'), 'fr', 'Amlou et miel'),
  ((SELECT id FROM categories WHERE slug = 'amlou-honey'), 'en', 'Amlou and honey'),
  ((SELECT id FROM categories WHERE slug = 'amlou-honey'), 'es', 'Amlou y miel'),
  ((SELECT id FROM categories WHERE slug = 'saffron-spices'), 'ar', 'زعفران وتوابل'),
  ((SELECT id FROM categories WHERE slug = 'saffron-spices'), 'fr', 'Safran et épices'),
  ((SELECT id FROM categories WHERE slug = 'saffron-spices'), 'en', 'Saffron and spices'),
  ((SELECT id FROM categories WHERE slug = 'saffron-spices'), 'es', 'Azafrán y especias'),
  ((SELECT id FROM categories WHERE slug = 'dates-dried-fruit'), 'ar', 'تمور وفواكه جافة'),
  ((SELECT id FROM categories WHERE slug = 'dates-dried-fruit'), 'fr', 'Dattes et fruits secs'),
  ((SELECT id FROM categories WHERE slug = 'dates-dried-fruit'), 'en', 'Dates and dried fruit'),
  ((SELECT id FROM categories WHERE slug = 'dates-dried-fruit'), 'es', 'Dátiles y frutos secos'),
  ((SELECT id FROM categories WHERE slug = 'olive-oil'), 'ar', 'زيت الزيتون'),
  ((SELECT id FROM categories WHERE slug = 'olive-oil'), 'fr', 'Huile d''olive'),
  ((SELECT id FROM categories WHERE slug = 'olive-oil'), 'en', 'Olive oil'),
  ((SELECT id FROM categories WHERE slug = 'olive-oil'), 'es', 'Aceite de oliva'),
  ((SELECT id FROM categories WHERE slug = 'couscous-grains'), 'ar', 'كسكس وحبوب'),
  ((SELECT id FROM categories WHERE slug = 'couscous-grains'), 'fr', 'Couscous et céréales'),
  ((SELECT id FROM categories WHERE slug = 'couscous-grains'), 'en', 'Couscous and grains'),
  ((SELECT id FROM categories WHERE slug = 'couscous-grains'), 'es', 'Cuscús y cereales'),
  ((SELECT id FROM categories WHERE slug = 'herbs-teas'), 'ar', 'أعشاب وشاي'),
  ((SELECT id FROM categories WHERE slug = 'herbs-teas'), 'fr', 'Herbes et thés'),
  ((SELECT id FROM categories WHERE slug = 'herbs-teas'), 'en', 'Herbs and teas'),
  ((SELECT id FROM categories WHERE slug = 'herbs-teas'), 'es', 'Hierbas y tés'),
  ((SELECT id FROM categories WHERE slug = 'cosmetics'), 'ar', 'مستحضرات التجميل'),
  ((SELECT id FROM categories WHERE slug = 'cosmetics'), 'fr', 'Cosmétiques'),
  ((SELECT id FROM categories WHERE slug = 'cosmetics'), 'en', 'Cosmetics'),
  ((SELECT id FROM categories WHERE slug = 'cosmetics'), 'es', 'Cosmética'),
  ((SELECT id FROM categories WHERE slug = 'argan-cosmetics'), 'ar', 'تجميل بالأركان'),
  ((SELECT id FROM categories WHERE slug = 'argan-cosmetics'), 'fr', 'Cosmétiques à l''argan'),
  ((SELECT id FROM categories WHERE slug = 'argan-cosmetics'), 'en', 'Argan cosmetics'),
  ((SELECT id FROM categories WHERE slug = 'argan-cosmetics'), 'es', 'Cosmética de argán'),
  ((SELECT id FROM categories WHERE slug = 'rose-products'), 'ar', 'منتجات الورد'),
  ((SELECT id FROM categories WHERE slug = 'rose-products'), 'fr', 'Produits de la rose'),
  ((SELECT id FROM categories WHERE slug = 'rose-products'), 'en', 'Rose products'),
  ((SELECT id FROM categories WHERE slug = 'rose-products'), 'es', 'Productos de rosa'),
  ((SELECT id FROM categories WHERE slug = 'soaps-ghassoul'), 'ar', 'صابون وغاسول'),
  ((SELECT id FROM categories WHERE slug = 'soaps-ghassoul'), 'fr', 'Savons et ghassoul'),
  ((SELECT id FROM categories WHERE slug = 'soaps-ghassoul'), 'en', 'Soaps and ghassoul'),
  ((SELECT id FROM categories WHERE slug = 'soaps-ghassoul'), 'es', 'Jabones y ghassoul'),
  ((SELECT id FROM categories WHERE slug = 'essential-oils'), 'ar', 'زيوت عطرية'),
  ((SELECT id FROM categories WHERE slug = 'essential-oils'), 'fr', 'Huiles essentielles'),
  ((SELECT id FROM categories WHERE slug = 'essential-oils'), 'en', 'Essential oils'),
  ((SELECT id FROM categories WHERE slug = 'essential-oils'), 'es', 'Aceites esenciales'),
  ((SELECT id FROM categories WHERE slug = 'crafts'), 'ar', 'الصناعة التقليدية'),
  ((SELECT id FROM categories WHERE slug = 'crafts'), 'fr', 'Artisanat'),
  ((SELECT id FROM categories WHERE slug = 'crafts'), 'en', 'Crafts'),
  ((SELECT id FROM categories WHERE slug = 'crafts'), 'es', 'Artesanía'),
  ((SELECT id FROM categories WHERE slug = 'rugs-textiles'), 'ar', 'زرابي ونسيج'),
  ((SELECT id FROM categories WHERE slug = 'rugs-textiles'), 'fr', 'Tapis et textiles'),
  ((SELECT id FROM categories WHERE slug = 'rugs-textiles'), 'en', 'Rugs and textiles'),
  ((SELECT id FROM categories WHERE slug = 'rugs-textiles'), 'es', 'Alfombras y textiles'),
  ((SELECT id FROM categories WHERE slug = 'pottery-ceramics'), 'ar', 'فخار وخزف'),
  ((SELECT id FROM categories WHERE slug = 'pottery-ceramics'), 'fr', 'Poterie et céramique'),
  ((SELECT id FROM categories WHERE slug = 'pottery-ceramics'), 'en', 'Pottery and ceramics'),
  ((SELECT id FROM categories WHERE slug = 'pottery-ceramics'), 'es', 'Cerámica y alfarería'),
  ((SELECT id FROM categories WHERE slug = 'zellige-tadelakt'), 'ar', 'زليج وتادلاكت'),
  ((SELECT id FROM categories WHERE slug = 'zellige-tadelakt'), 'fr', 'Zellige et tadelakt'),
  ((SELECT id FROM categories WHERE slug = 'zellige-tadelakt'), 'en', 'Zellige and tadelakt'),
  ((SELECT id FROM categories WHERE slug = 'zellige-tadelakt'), 'es', 'Zellige y tadelakt'),
  ((SELECT id FROM categories WHERE slug = 'leather'), 'ar', 'جلد'),
  ((SELECT id FROM categories WHERE slug = 'leather'), 'fr', 'Cuir'),
  ((SELECT id FROM categories WHERE slug = 'leather'), 'en', 'Leather'),
  ((SELECT id FROM categories WHERE slug = 'leather'), 'es', 'Cuero'),
  ((SELECT id FROM categories WHERE slug = 'woodwork'), 'ar', 'خشب'),
  ((SELECT id FROM categories WHERE slug = 'woodwork'), 'fr', 'Bois'),
  ((SELECT id FROM categories WHERE slug = 'woodwork'), 'en', 'Woodwork'),
  ((SELECT id FROM categories WHERE slug = 'woodwork'), 'es', 'Madera'),
  ((SELECT id FROM categories WHERE slug = 'jewelry-metal'), 'ar', 'حلي ومعادن'),
  ((SELECT id FROM categories WHERE slug = 'jewelry-metal'), 'fr', 'Bijoux et métal'),
  ((SELECT id FROM categories WHERE slug = 'jewelry-metal'), 'en', 'Jewellery and metal'),
  ((SELECT id FROM categories WHERE slug = 'jewelry-metal'), 'es', 'Joyería y metal'),
  ((SELECT id FROM categories WHERE slug = 'basketry'), 'ar', 'سلالة'),
  ((SELECT id FROM categories WHERE slug = 'basketry'), 'fr', 'Vannerie'),
  ((SELECT id FROM categories WHERE slug = 'basketry'), 'en', 'Basketry'),
  ((SELECT id FROM categories WHERE slug = 'basketry'), 'es', 'Cestería'),
  ((SELECT id FROM categories WHERE slug = 'sahrawi-crafts'), 'ar', 'صناعة صحراوية'),
  ((SELECT id FROM categories WHERE slug = 'sahrawi-crafts'), 'fr', 'Artisanat sahraoui'),
  ((SELECT id FROM categories WHERE slug = 'sahrawi-crafts'), 'en', 'Sahrawi crafts'),
  ((SELECT id FROM categories WHERE slug = 'sahrawi-crafts'), 'es', 'Artesanía saharaui'),
  ((SELECT id FROM categories WHERE slug = 'books'), 'ar', 'كتب'),
  ((SELECT id FROM categories WHERE slug = 'books'), 'fr', 'Livres'),
  ((SELECT id FROM categories WHERE slug = 'books'), 'en', 'Books'),
  ((SELECT id FROM categories WHERE slug = 'books'), 'es', 'Libros'),
  ((SELECT id FROM categories WHERE slug = 'literature'), 'ar', 'أدب'),
  ((SELECT id FROM categories WHERE slug = 'literature'), 'fr', 'Littérature'),
  ((SELECT id FROM categories WHERE slug = 'literature'), 'en', 'Literature'),
  ((SELECT id FROM categories WHERE slug = 'literature'), 'es', 'Literatura'),
  ((SELECT id FROM categories WHERE slug = 'history-society'), 'ar', 'تاريخ ومجتمع'),
  ((SELECT id FROM categories WHERE slug = 'history-society'), 'fr', 'Histoire et société'),
  ((SELECT id FROM categories WHERE slug = 'history-society'), 'en', 'History and society'),
  ((SELECT id FROM categories WHERE slug = 'history-society'), 'es', 'Historia y sociedad'),
  ((SELECT id FROM categories WHERE slug = 'religion-thought'), 'ar', 'دين وفكر'),
  ((SELECT id FROM categories WHERE slug = 'religion-thought'), 'fr', 'Religion et pensée'),
  ((SELECT id FROM categories WHERE slug = 'religion-thought'), 'en', 'Religion and thought'),
  ((SELECT id FROM categories WHERE slug = 'religion-thought'), 'es', 'Religión y pensamiento'),
  ((SELECT id FROM categories WHERE slug = 'children'), 'ar', 'كتب الأطفال'),
  ((SELECT id FROM categories WHERE slug = 'children'), 'fr', 'Jeunesse'),
  ((SELECT id FROM categories WHERE slug = 'children'), 'en', 'Children''s books'),
  ((SELECT id FROM categories WHERE slug = 'children'), 'es', 'Infantil'),
  ((SELECT id FROM categories WHERE slug = 'education'), 'ar', 'كتب مدرسية وتعليم'),
  ((SELECT id FROM categories WHERE slug = 'education'), 'fr', 'Scolaire et éducation'),
  ((SELECT id FROM categories WHERE slug = 'education'), 'en', 'School and education'),
  ((SELECT id FROM categories WHERE slug = 'education'), 'es', 'Educación'),
  ((SELECT id FROM categories WHERE slug = 'cooking-arts'), 'ar', 'طبخ وفنون'),
  ((SELECT id FROM categories WHERE slug = 'cooking-arts'), 'fr', 'Cuisine et arts'),
  ((SELECT id FROM categories WHERE slug = 'cooking-arts'), 'en', 'Cooking and arts'),
  ((SELECT id FROM categories WHERE slug = 'cooking-arts'), 'es', 'Cocina y artes'),
  ((SELECT id FROM categories WHERE slug = 'press'), 'ar', 'جرائد ومجلات'),
  ((SELECT id FROM categories WHERE slug = 'press'), 'fr', 'Presse et magazines'),
  ((SELECT id FROM categories WHERE slug = 'press'), 'en', 'Newspapers and magazines'),
  ((SELECT id FROM categories WHERE slug = 'press'), 'es', 'Prensa y revistas'),
  ((SELECT id FROM categories WHERE slug = 'newspapers'), 'ar', 'جرائد'),
  ((SELECT id FROM categories WHERE slug = 'newspapers'), 'fr', 'Journaux'),
  ((SELECT id FROM categories WHERE slug = 'newspapers'), 'en', 'Newspapers'),
  ((SELECT id FROM categories WHERE slug = 'newspapers'), 'es', 'Periódicos'),
  ((SELECT id FROM categories WHERE slug = 'magazines'), 'ar', 'مجلات'),
  ((SELECT id FROM categories WHERE slug = 'magazines'), 'fr', 'Magazines'),
  ((SELECT id FROM categories WHERE slug = 'magazines'), 'en', 'Magazines'),
  ((SELECT id FROM categories WHERE slug = 'magazines'), 'es', 'Revistas');

-- +goose Down
DELETE FROM category_texts;
DELETE FROM categories WHERE parent_id IS NOT NULL;
DELETE FROM categories;
DELETE FROM tax_classes;
