// Package photo turns a photo as a phone sends it into what the storefront
// serves: checked by what its bytes are (JPEG, PNG or WebP; HEIC refused
// with a hint), turned upright as its EXIF orientation says, stripped of
// every piece of metadata (GPS position, camera) by re-encoding its pixels,
// at most MaxWidth pixels wide, and resized to smaller widths for srcset, as
// JPEG and, when the encoder works, WebP. It has no tables; catalog stores
// the files and the rows.
package photo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"net/http"
	"runtime"
	"slices"

	"github.com/disintegration/imaging"
	xwebp "golang.org/x/image/webp"

	"souk/internal/errs"
)

// Limits on what is accepted. A phone's photo is 3–8 MB and 12–50
// megapixels at most; MaxPixels stops a small file that claims to be huge
// (a decompression bomb) before any pixel is decoded.
const (
	MaxBytes  = 10 << 20
	MaxPixels = 40_000_000
	MinSide   = 300  // the short side, in pixels
	MaxWidth  = 1600 // the widest size kept
	Quality   = 82   // JPEG quality
	// WebPQuality is libwebp's scale, a little lower than JPEG's for the
	// same look.
	WebPQuality = 78
)

// Field is the field errors name: the form's file input.
const Field = "photo"

// Size is one width of a processed photo, encoded.
type Size struct {
	Width, Height int
	JPEG          []byte
	WebP          []byte // nil when no WebP encoder was available
}

// Photo is a processed photo: its sizes, smallest first, the last being
// the photo itself (at most MaxWidth wide).
type Photo struct {
	Sizes []Size
	// Sum is the hex SHA-256 of the largest JPEG: the photo's name, the same
	// for the same upload.
	Sum string
	// WebP reports whether every size has a WebP version.
	WebP bool
}

// Width is the photo's own width, upright: its largest size's.
func (p *Photo) Width() int { return p.Sizes[len(p.Sizes)-1].Width }

// Height is the photo's own height, upright.
func (p *Photo) Height() int { return p.Sizes[len(p.Sizes)-1].Height }

// busy bounds how many photos are decoded at once: a 12-megapixel photo
// allocates about 150 MB while it is worked on, and each resize already
// uses every core.
var busy = make(chan struct{}, min(max(runtime.GOMAXPROCS(0), 1), 4))

// Process checks data and makes its sizes: the photo upright, at most
// MaxWidth wide, and one size for each of widths smaller than that. Refused
// photos are errs.Invalid on Field with the keys photo.too_large (bytes or
// pixels), photo.heic, photo.type, photo.unreadable and photo.too_small.
// It waits for ctx while too many photos are being processed.
func Process(ctx context.Context, data []byte, widths []int) (*Photo, error) {
	if len(data) > MaxBytes {
		return nil, refuse("photo.too_large")
	}
	kind, key := sniff(data)
	if key != "" {
		return nil, refuse(key)
	}
	cfg, err := kind.config(bytes.NewReader(data))
	if err != nil {
		return nil, refuse("photo.unreadable")
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, refuse("photo.too_large")
	}
	if min(cfg.Width, cfg.Height) < MinSide {
		return nil, refuse("photo.too_small")
	}

	select {
	case busy <- struct{}{}:
		defer func() { <-busy }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	img, err := kind.decode(bytes.NewReader(data))
	if err != nil {
		return nil, refuse("photo.unreadable")
	}
	orient := 1
	if kind == jpegKind {
		orient = orientation(data)
	}
	full := upright(shrink(img, orient), orient)
	return encode(full, widths)
}

func refuse(key string) error { return errs.Fields{Field: key}.Err() }

// kind is a type of image accepted.
type kind int

const (
	jpegKind kind = iota + 1
	pngKind
	webpKind
)

// sniff tells the type by the bytes (http.DetectContentType, as for
// vendors' documents), whatever the file's name says; key is the refusal.
func sniff(data []byte) (kind, string) {
	switch http.DetectContentType(data) {
	case "image/jpeg":
		return jpegKind, ""
	case "image/png":
		return pngKind, ""
	case "image/webp":
		return webpKind, ""
	}
	if isHEIC(data) {
		return 0, "photo.heic"
	}
	return 0, "photo.type"
}

// isHEIC recognises an ISO-BMFF file whose major brand is HEIF/HEVC: the
// iPhone's default ("High Efficiency"). AVIF shares the box format but not
// the brand, and is refused as an unknown type.
func isHEIC(data []byte) bool {
	if len(data) < 12 || string(data[4:8]) != "ftyp" {
		return false
	}
	switch string(data[8:12]) {
	case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1":
		return true
	}
	return false
}

func (k kind) config(r *bytes.Reader) (image.Config, error) {
	switch k {
	case jpegKind:
		return jpeg.DecodeConfig(r)
	case pngKind:
		return png.DecodeConfig(r)
	default:
		return xwebp.DecodeConfig(r)
	}
}

// decode calls the type's own decoder rather than image.Decode: the WebP
// encoder's package registers a WASM decoder for the same magic, and the
// pure-Go one is the one meant.
func (k kind) decode(r *bytes.Reader) (image.Image, error) {
	switch k {
	case jpegKind:
		return jpeg.Decode(r)
	case pngKind:
		return png.Decode(r)
	default:
		return xwebp.Decode(r)
	}
}

// shrink resizes img so that, once turned upright (orientations 5–8 swap
// the sides), it is at most MaxWidth wide. Resizing before turning moves
// a tenth of the pixels a 4000×3000 photo has.
func shrink(img image.Image, orient int) image.Image {
	b := img.Bounds()
	if orient >= 5 {
		if b.Dy() > MaxWidth {
			return imaging.Resize(img, 0, MaxWidth, imaging.Lanczos)
		}
		return img
	}
	if b.Dx() > MaxWidth {
		return imaging.Resize(img, MaxWidth, 0, imaging.Lanczos)
	}
	return img
}

// upright applies an EXIF orientation (1–8): the transformation that shows
// the photo as it was taken.
func upright(img image.Image, orient int) image.Image {
	switch orient {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img) // the camera was turned clockwise: turn back
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return img
}

// encode makes every size of full and encodes them. The encoders use one
// core each, so the WebP of the largest size, the longest job, runs beside
// everything else.
func encode(full image.Image, widths []int) (*Photo, error) {
	full = opaque(full)
	fullWebP := make(chan []byte, 1)
	go func() {
		b, err := EncodeWebP(full)
		if err != nil {
			b = nil
		}
		fullWebP <- b
	}()

	fw := full.Bounds().Dx()
	ws := slices.Clone(widths)
	slices.Sort(ws)
	var imgs []image.Image
	for _, w := range slices.Compact(ws) {
		if w > 0 && w < fw {
			imgs = append(imgs, imaging.Resize(full, w, 0, imaging.Lanczos))
		}
	}
	imgs = append(imgs, full)

	p := &Photo{Sizes: make([]Size, len(imgs)), WebP: true}
	for i, im := range imgs {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, im, &jpeg.Options{Quality: Quality}); err != nil {
			<-fullWebP
			return nil, fmt.Errorf("photo: encode jpeg: %w", err)
		}
		b := im.Bounds()
		p.Sizes[i] = Size{Width: b.Dx(), Height: b.Dy(), JPEG: buf.Bytes()}
	}
	for i := range imgs[:len(imgs)-1] {
		if !p.WebP {
			break
		}
		b, err := EncodeWebP(imgs[i])
		p.Sizes[i].WebP, p.WebP = b, err == nil
	}
	last := &p.Sizes[len(p.Sizes)-1]
	last.WebP = <-fullWebP
	if !p.WebP || last.WebP == nil { // all sizes in WebP, or none
		p.WebP = false
		for i := range p.Sizes {
			p.Sizes[i].WebP = nil
		}
	}
	sum := sha256.Sum256(last.JPEG)
	p.Sum = hex.EncodeToString(sum[:])
	return p, nil
}

// opaque lays a photo with transparent parts (a PNG) on white, as JPEG has
// no transparency and a transparent pixel would otherwise turn black.
func opaque(img image.Image) image.Image {
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return img
	}
	b := img.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Over)
	return dst
}
