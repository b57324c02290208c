package catalog

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/photo"
	"souk/internal/text"
)

// MaxPhotos is how many photos a product may have through AddPhoto.
const MaxPhotos = 10

// AddPhoto adds a photo as a phone sends it (JPEG, PNG or WebP, at most
// photo.MaxBytes) after the product's others: processed by photo.Process
// (turned upright, metadata dropped, resized), stored under MediaDir as
// "p/<sha256>.jpg" with its renditions and their WebP twins, then recorded.
// Who may: as Update — operators, and the users of the product's vendor;
// others get errs.NotFound for a product they cannot see, errs.Forbidden
// for one they can. A refused photo is errs.Invalid on "photo" (see
// photo.Process); an eleventh is errs.Invalid on "photos"; alt is checked
// like an image's in Input.
func (s *Service) AddPhoto(ctx context.Context, by auth.User, productID int64, data []byte, alt string) (Product, error) {
	cur, err := s.photoTarget(ctx, by, productID)
	if err != nil {
		return Product{}, err
	}
	alt = text.Clean(alt)
	f := errs.Fields{}
	if k := text.Check(alt, false, 300); k != "" {
		f.Add("alt", k)
	}
	if len(cur.Images) >= MaxPhotos {
		f.Add("photos", "field.too_many")
	}
	if err := f.Err(); err != nil {
		return Product{}, err
	}
	if s.MediaDir == "" {
		return Product{}, fmt.Errorf("add photo to product %d: catalog.Service has no MediaDir", productID)
	}
	ph, err := photo.Process(ctx, data, ImageWidths)
	if err != nil {
		return Product{}, err
	}
	im := Image{Path: "p/" + ph.Sum + ".jpg", Width: ph.Width(), Height: ph.Height(), Alt: alt, WebP: ph.WebP}
	// Files first: a row never names a missing file. A photo refused below
	// leaves its files behind, harmless under a name nothing links to.
	if err := s.storePhoto(im, ph); err != nil {
		return Product{}, fmt.Errorf("add photo to product %d: %w", productID, err)
	}
	err = s.photoWrite(ctx, productID, func(tx db.Querier, ids []int64) error {
		if len(ids) >= MaxPhotos {
			return errs.Fields{"photos": "field.too_many"}.Err()
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO product_images (product_id, position, path, width, height, alt, webp)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, productID, len(ids), im.Path, im.Width, im.Height, im.Alt, im.WebP)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, by, "product.photo_add", productID, nil, map[string]any{"photo": im.Path, "position": len(ids)})
	})
	if err != nil {
		return Product{}, fmt.Errorf("add photo to product %d: %w", productID, err)
	}
	return s.byID(ctx, productID)
}

// RemovePhoto removes the photo at position (0 for the first of
// Product.Images); the others close up. Who may, and the errors, as
// AddPhoto; a position out of range is errs.Invalid on "position". The
// files stay: they are named by content, and another product may show the
// same photo.
func (s *Service) RemovePhoto(ctx context.Context, by auth.User, productID int64, position int) (Product, error) {
	if _, err := s.photoTarget(ctx, by, productID); err != nil {
		return Product{}, err
	}
	err := s.photoWrite(ctx, productID, func(tx db.Querier, ids []int64) error {
		if position < 0 || position >= len(ids) {
			return errs.Fields{"position": "field.not_found"}.Err()
		}
		var path string
		if err := tx.QueryRowContext(ctx, `SELECT path FROM product_images WHERE id = ?`, ids[position]).Scan(&path); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM product_images WHERE id = ?`, ids[position]); err != nil {
			return err
		}
		if err := s.record(ctx, tx, by, "product.photo_remove", productID, map[string]any{"photo": path, "position": position}, nil); err != nil {
			return err
		}
		return renumber(ctx, tx, slices.Delete(ids, position, position+1))
	})
	if err != nil {
		return Product{}, fmt.Errorf("remove photo of product %d: %w", productID, err)
	}
	return s.byID(ctx, productID)
}

// MovePhoto moves the photo at position from to position to, shifting
// those between; the first photo is the one listings show. Who may, and
// the errors, as RemovePhoto (fields "from" and "to").
func (s *Service) MovePhoto(ctx context.Context, by auth.User, productID int64, from, to int) (Product, error) {
	if _, err := s.photoTarget(ctx, by, productID); err != nil {
		return Product{}, err
	}
	err := s.photoWrite(ctx, productID, func(tx db.Querier, ids []int64) error {
		f := errs.Fields{}
		if from < 0 || from >= len(ids) {
			f.Add("from", "field.not_found")
		}
		if to < 0 || to >= len(ids) {
			f.Add("to", "field.not_found")
		}
		if err := f.Err(); err != nil {
			return err
		}
		id := ids[from]
		if err := s.record(ctx, tx, by, "product.photo_move", productID, map[string]any{"position": from}, map[string]any{"position": to}); err != nil {
			return err
		}
		return renumber(ctx, tx, slices.Insert(slices.Delete(ids, from, from+1), to, id))
	})
	if err != nil {
		return Product{}, fmt.Errorf("move photo of product %d: %w", productID, err)
	}
	return s.byID(ctx, productID)
}

// photoTarget reads a product whose photos by wants to change, checked as
// Update checks: what by cannot see is not found, what by may see but not
// change is forbidden.
func (s *Service) photoTarget(ctx context.Context, by auth.User, id int64) (Product, error) {
	r, err := s.one(ctx, productSelect+` WHERE p.id = ?`, id)
	if err != nil {
		return Product{}, err
	}
	if !canSee(by, r) {
		return Product{}, errs.NotFoundE("product")
	}
	if err := authorizeWrite(by, r.VendorID, r.Status, r.Status); err != nil {
		return Product{}, err
	}
	return r.Product, nil
}

// photoWrite runs fn on the ids of the product's photo rows in order, in a
// write transaction through s.write (the index in memory and the listing
// cache follow, as after Update). It first marks the product updated, which
// also locks its row: two uploads to one product wait for each other, so
// MaxPhotos holds. The product's index entry is rewritten like any
// catalog write's.
func (s *Service) photoWrite(ctx context.Context, productID int64, fn func(tx db.Querier, ids []int64) error) error {
	now := s.now().UTC()
	return s.write(ctx, func(tx db.Querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE products SET updated_at = ? WHERE id = ?`, now, productID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFoundE("product") // deleted meanwhile
		}
		var ids []int64
		if err := collectIDs(ctx, tx, &ids, `SELECT id FROM product_images WHERE product_id = ? ORDER BY position, id`, productID); err != nil {
			return err
		}
		if err := fn(tx, ids); err != nil {
			return err
		}
		return s.reindex(ctx, tx, []int64{productID})
	}, func() []int64 { return []int64{productID} })
}

func collectIDs(ctx context.Context, q db.Querier, into *[]int64, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		*into = append(*into, id)
	}
	return rows.Err()
}

// renumber gives the photo rows ids the positions 0, 1, 2… in that order.
func renumber(ctx context.Context, tx db.Querier, ids []int64) error {
	for pos, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE product_images SET position = ? WHERE id = ?`, pos, id); err != nil {
			return err
		}
	}
	return nil
}

// storePhoto writes every size of ph under the names im's renditions give
// (photo.WriteFile: atomically, once per content).
func (s *Service) storePhoto(im Image, ph *photo.Photo) error {
	jpgs, webps := im.Renditions(), im.WebPRenditions()
	if len(jpgs) != len(ph.Sizes) {
		return errors.New("photo sizes do not match catalog.ImageWidths")
	}
	for i, r := range jpgs {
		if r.Width != ph.Sizes[i].Width {
			return fmt.Errorf("photo size %d is %d px wide, its name says %d", i, ph.Sizes[i].Width, r.Width)
		}
		if err := photo.WriteFile(filepath.Join(s.MediaDir, filepath.FromSlash(r.Path)), ph.Sizes[i].JPEG); err != nil {
			return err
		}
	}
	for i, r := range webps {
		if err := photo.WriteFile(filepath.Join(s.MediaDir, filepath.FromSlash(r.Path)), ph.Sizes[i].WebP); err != nil {
			return err
		}
	}
	return nil
}

// keepWebP carries the WebP mark of the current images over to the same
// paths in an update: Input cannot carry it (an API client must not claim
// files that do not exist), and an edit that sends the photos back should
// not lose their WebP versions.
func keepWebP(in, cur []Image) []Image {
	webp := map[string]bool{}
	for _, im := range cur {
		if im.WebP {
			webp[im.Path] = true
		}
	}
	if len(webp) == 0 {
		return in
	}
	out := slices.Clone(in)
	for i := range out {
		out[i].WebP = out[i].WebP || webp[out[i].Path]
	}
	return out
}
