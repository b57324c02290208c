package catalog_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
)

// phonePhoto is a JPEG of w×h in a colour of its own: each shade is
// another photo, stored under another name.
func phonePhoto(t *testing.T, w, h int, shade uint8) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			copy(img.Pix[y*img.Stride+4*x:], []uint8{shade, uint8(x), uint8(y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var photoPath = regexp.MustCompile(`^p/[0-9a-f]{64}\.jpg$`)

// paths lists the photos' paths in order.
func paths(p catalog.Product) []string {
	var out []string
	for _, im := range p.Images {
		out = append(out, im.Path)
	}
	return out
}

// mediaFiles lists every file under dir, relative, "/"-separated.
func mediaFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func fieldOf(err error, field string) string {
	if e := asErr(err); e != nil && e.Code == errs.Invalid {
		return e.Fields[field]
	}
	return ""
}

func TestPhotos(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.cat.MediaDir = t.TempDir()
		coop := f.vendors["argan-tifaouine"]
		owner := ownerOf(coop)
		staff := auth.User{ID: 300, Role: auth.RoleVendorStaff, VendorID: coop.ID}
		p, err := f.cat.Create(ctx, owner, coop.ID, arganOil())
		if err != nil {
			t.Fatal(err)
		}

		// A phone's photo, 1000×750: the photo, its renditions, their WebP twins.
		p, err = f.cat.AddPhoto(ctx, owner, p.ID, phonePhoto(t, 1000, 750, 10), "  Flacon d’huile\u0301  ")
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Images) != 1 {
			t.Fatalf("images: %+v", p.Images)
		}
		first := p.Images[0]
		if !photoPath.MatchString(first.Path) || first.Width != 1000 || first.Height != 750 || !first.WebP || first.Alt != "Flacon d’huilé" {
			t.Fatalf("photo: %+v", first)
		}
		var want []string
		for _, r := range append(first.Renditions(), first.WebPRenditions()...) {
			want = append(want, r.Path)
		}
		slices.Sort(want)
		if got := mediaFiles(t, f.cat.MediaDir); !slices.Equal(got, want) || len(got) != 8 {
			t.Fatalf("files %v, want %v", got, want)
		}
		if again, err := f.cat.Get(ctx, owner, p.Slug); err != nil || !slices.Equal(again.Images, p.Images) {
			t.Fatalf("read back: %+v %v", again.Images, err)
		}

		// Staff add two more; the first stays first.
		for i, shade := range []uint8{20, 30} {
			if p, err = f.cat.AddPhoto(ctx, staff, p.ID, phonePhoto(t, 640, 480, shade), ""); err != nil {
				t.Fatalf("photo %d: %v", i+2, err)
			}
		}
		a, b, c := p.Images[0].Path, p.Images[1].Path, p.Images[2].Path
		if a != first.Path || len(p.Images) != 3 || a == b || b == c {
			t.Fatalf("three photos: %v", paths(p))
		}

		// Move the last to the front, then remove the middle one.
		if p, err = f.cat.MovePhoto(ctx, owner, p.ID, 2, 0); err != nil || !slices.Equal(paths(p), []string{c, a, b}) {
			t.Fatalf("move: %v %v", paths(p), err)
		}
		if p, err = f.cat.MovePhoto(ctx, owner, p.ID, 0, 2); err != nil || !slices.Equal(paths(p), []string{a, b, c}) {
			t.Fatalf("move back: %v %v", paths(p), err)
		}
		if p, err = f.cat.RemovePhoto(ctx, owner, p.ID, 1); err != nil || !slices.Equal(paths(p), []string{a, c}) {
			t.Fatalf("remove: %v %v", paths(p), err)
		}
		if p, err = f.cat.MovePhoto(ctx, owner, p.ID, 1, 0); err != nil || !slices.Equal(paths(p), []string{c, a}) {
			t.Fatalf("move after remove: %v %v", paths(p), err)
		}
		if _, err := f.cat.RemovePhoto(ctx, owner, p.ID, 2); fieldOf(err, "position") != "field.not_found" {
			t.Errorf("remove out of range: %v", err)
		}
		if _, err := f.cat.MovePhoto(ctx, owner, p.ID, -1, 5); fieldOf(err, "from") != "field.not_found" || fieldOf(err, "to") != "field.not_found" {
			t.Errorf("move out of range: %v", err)
		}

		// A refused photo changes nothing.
		if _, err := f.cat.AddPhoto(ctx, owner, p.ID, append([]byte{0, 0, 0, 0x18}, "ftypheic...."...), ""); fieldOf(err, "photo") != "photo.heic" {
			t.Errorf("heic: %v", err)
		}
		if _, err := f.cat.AddPhoto(ctx, owner, p.ID, phonePhoto(t, 640, 480, 40), strings.Repeat("a", 301)); fieldOf(err, "alt") == "" {
			t.Errorf("alt of 301 characters: %v", err)
		}
		if got, _ := f.cat.Get(ctx, owner, p.Slug); !slices.Equal(paths(got), []string{c, a}) {
			t.Errorf("after refusals: %v", paths(got))
		}

		// An edit that sends the photos back as an API client does (without
		// the WebP mark, which JSON does not carry) keeps their WebP versions.
		in := arganOil()
		for _, im := range p.Images {
			im.WebP = false
			in.Images = append(in.Images, im)
		}
		in.Images = append(in.Images, catalog.Image{Path: "p/given.jpg", Width: 800, Height: 600})
		if p, err = f.cat.Update(ctx, owner, p.ID, in); err != nil {
			t.Fatal(err)
		}
		if len(p.Images) != 3 || !p.Images[0].WebP || !p.Images[1].WebP || p.Images[2].WebP {
			t.Errorf("after an edit: %+v", p.Images)
		}
	})
}

func TestPhotosLimit(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.cat.MediaDir = t.TempDir()
		coop := f.vendors["argan-tifaouine"]
		p, err := f.cat.Create(ctx, operator, coop.ID, arganOil())
		if err != nil {
			t.Fatal(err)
		}
		for i := range catalog.MaxPhotos {
			if p, err = f.cat.AddPhoto(ctx, operator, p.ID, phonePhoto(t, 400, 300, uint8(i)), ""); err != nil {
				t.Fatalf("photo %d: %v", i+1, err)
			}
		}
		if len(p.Images) != 10 {
			t.Fatalf("%d photos", len(p.Images))
		}
		_, err = f.cat.AddPhoto(ctx, operator, p.ID, phonePhoto(t, 400, 300, 99), "")
		if fieldOf(err, "photos") != "field.too_many" {
			t.Errorf("eleventh photo: %v", err)
		}
		if got, _ := f.cat.Get(ctx, operator, p.Slug); len(got.Images) != 10 {
			t.Errorf("%d photos after the eleventh", len(got.Images))
		}
	})
}

// Only the product's vendor and operators change its photos. Others are
// refused as by Update: not found when they cannot see the product (a
// draft), forbidden when they can (a published one). Nothing changes, not
// even a file.
func TestPhotosOfAnotherVendor(t *testing.T) {
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.cat.MediaDir = t.TempDir()
		coop := f.vendors["argan-tifaouine"]
		p, err := f.cat.Create(ctx, ownerOf(coop), coop.ID, arganOil())
		if err != nil {
			t.Fatal(err)
		}
		if p, err = f.cat.AddPhoto(ctx, ownerOf(coop), p.ID, phonePhoto(t, 400, 300, 1), ""); err != nil {
			t.Fatal(err)
		}
		before := mediaFiles(t, f.cat.MediaDir)
		photo := phonePhoto(t, 400, 300, 2)
		others := map[string]auth.User{
			"other vendor's owner": ownerOf(f.vendors["dar-toubkal"]),
			"other vendor's staff": {ID: 301, Role: auth.RoleVendorStaff, VendorID: f.vendors["dar-toubkal"].ID},
			"customer":             {ID: 5, Role: auth.RoleCustomer},
			"public":               {},
		}
		try := func(want errs.Code) {
			t.Helper()
			for name, by := range others {
				if _, err := f.cat.AddPhoto(ctx, by, p.ID, photo, ""); !errs.Is(err, want) {
					t.Errorf("%s adds: %v, want %s", name, err, want)
				}
				if _, err := f.cat.RemovePhoto(ctx, by, p.ID, 0); !errs.Is(err, want) {
					t.Errorf("%s removes: %v, want %s", name, err, want)
				}
				if _, err := f.cat.MovePhoto(ctx, by, p.ID, 0, 0); !errs.Is(err, want) {
					t.Errorf("%s moves: %v, want %s", name, err, want)
				}
			}
			if got, _ := f.cat.Get(ctx, operator, p.Slug); !slices.Equal(paths(got), paths(p)) {
				t.Errorf("photos changed: %v", paths(got))
			}
			if got := mediaFiles(t, f.cat.MediaDir); !slices.Equal(got, before) {
				t.Errorf("files changed: %v", got)
			}
		}
		try(errs.NotFound) // a draft
		if _, err := f.cat.SetStatus(ctx, operator, p.ID, catalog.Published, ""); err != nil {
			t.Fatal(err)
		}
		try(errs.Forbidden)
		if _, err := f.cat.AddPhoto(ctx, operator, 999999, photo, ""); !errs.Is(err, errs.NotFound) {
			t.Errorf("no such product: %v", err)
		}
	})
}
