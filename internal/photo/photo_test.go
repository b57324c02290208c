package photo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	xwebp "golang.org/x/image/webp"

	"souk/internal/errs"
)

var widths = []int{320, 640, 960}

var (
	red  = color.NRGBA{220, 20, 20, 255}
	blue = color.NRGBA{30, 60, 200, 255}
)

// sensorImage is what a camera stores: blue, with a red square in its
// top-left corner so a test can see where that corner went.
func sensorImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := blue
			if x < w/5 && y < h/5 {
				c = red
			}
			copy(img.Pix[y*img.Stride+4*x:], []uint8{c.R, c.G, c.B, c.A})
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The camera's make, written into the test photos' EXIF, and their GPS
// latitude's seconds (a value no encoder would write by chance).
const (
	cameraMake = "SoukPhone X1"
	gpsSeconds = 0x5eed5eed
)

// exifSegment is a JPEG APP1 segment as a phone writes it: IFD0 with the
// orientation, the camera's make and a pointer to a GPS IFD holding a
// latitude (34° 1' N, Rabat).
func exifSegment(orient int, order binary.ByteOrder) []byte {
	var t bytes.Buffer
	if order == binary.LittleEndian {
		t.WriteString("II")
	} else {
		t.WriteString("MM")
	}
	w16 := func(v uint16) { binary.Write(&t, order, v) }
	w32 := func(v uint32) { binary.Write(&t, order, v) }
	w16(42)
	w32(8) // IFD0 right after the header
	// IFD0: 3 entries (2+3*12+4 = 42 bytes), then its data at 50.
	const ifd0Data = 8 + 2 + 3*12 + 4
	makeBytes := append([]byte(cameraMake), 0)
	gpsIFD := uint32(ifd0Data + len(makeBytes))
	w16(3)
	w16(0x010f) // Make, ASCII
	w16(2)
	w32(uint32(len(makeBytes)))
	w32(ifd0Data)
	w16(0x0112) // Orientation, SHORT
	w16(3)
	w32(1)
	w16(uint16(orient))
	w16(0)
	w16(0x8825) // GPSInfo IFD pointer, LONG
	w16(4)
	w32(1)
	w32(gpsIFD)
	w32(0) // no IFD1
	t.Write(makeBytes)
	// GPS IFD: 2 entries (2+2*12+4 = 30 bytes), then the rationals.
	rationals := gpsIFD + 2 + 2*12 + 4
	w16(2)
	w16(0x0001) // GPSLatitudeRef, ASCII "N"
	w16(2)
	w32(2)
	t.Write([]byte{'N', 0, 0, 0})
	w16(0x0002) // GPSLatitude, 3 RATIONAL
	w16(5)
	w32(3)
	w32(rationals)
	w32(0)
	for _, v := range [][2]uint32{{34, 1}, {1, 1}, {gpsSeconds, 100}} {
		w32(v[0])
		w32(v[1])
	}
	body := append([]byte("Exif\x00\x00"), t.Bytes()...)
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(body)+2))
	return append(seg, body...)
}

// withSegments inserts segments right after a JPEG's SOI marker.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

func process(t *testing.T, data []byte) *Photo {
	t.Helper()
	p, err := Process(context.Background(), data, widths)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func decodeJPEG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r>>8 > 160 && g>>8 < 90 && b>>8 < 90
}

// assertClean fails when any output still carries metadata: an APP1
// segment, the EXIF header, the camera's make or the GPS seconds.
func assertClean(t *testing.T, p *Photo) {
	t.Helper()
	secs := make([]byte, 4)
	for i, s := range p.Sizes {
		for name, b := range map[string][]byte{"jpeg": s.JPEG, "webp": s.WebP} {
			for _, bad := range []string{"Exif", "\xff\xe1", cameraMake} {
				if bytes.Contains(b, []byte(bad)) {
					t.Errorf("size %d %s contains %q", i, name, bad)
				}
			}
			for _, o := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
				o.PutUint32(secs, gpsSeconds)
				if bytes.Contains(b, secs) {
					t.Errorf("size %d %s contains the GPS latitude", i, name)
				}
			}
		}
	}
}

// Every EXIF orientation turns the photo upright: the sides swap for 5–8,
// and the red corner lands where the orientation says.
func TestOrientation(t *testing.T) {
	sensor := encodeJPEG(t, sensorImage(480, 360))
	for _, c := range []struct {
		orient        int
		width, height int
		corner        string
	}{
		{1, 480, 360, "top-left"},
		{2, 480, 360, "top-right"},
		{3, 480, 360, "bottom-right"},
		{4, 480, 360, "bottom-left"},
		{5, 360, 480, "top-left"},
		{6, 360, 480, "top-right"}, // a phone held upright
		{7, 360, 480, "bottom-right"},
		{8, 360, 480, "bottom-left"},
	} {
		order := binary.ByteOrder(binary.BigEndian)
		if c.orient%2 == 0 {
			order = binary.LittleEndian
		}
		p := process(t, withSegments(sensor, exifSegment(c.orient, order)))
		if p.Width() != c.width || p.Height() != c.height {
			t.Errorf("orientation %d: %d×%d, want %d×%d", c.orient, p.Width(), p.Height(), c.width, c.height)
			continue
		}
		img := decodeJPEG(t, p.Sizes[len(p.Sizes)-1].JPEG)
		b := img.Bounds()
		corners := map[string]image.Point{"top-left": {10, 10}, "top-right": {b.Dx() - 10, 10},
			"bottom-right": {b.Dx() - 10, b.Dy() - 10}, "bottom-left": {10, b.Dy() - 10}}
		for name, pt := range corners {
			if got := isRed(img.At(pt.X, pt.Y)); got != (name == c.corner) {
				t.Errorf("orientation %d: %s red=%v, want the red corner %s", c.orient, name, got, c.corner)
			}
		}
		assertClean(t, p)
	}
}

// The orientation is found after an XMP segment too, and a JPEG without
// EXIF is upright.
func TestOrientationReader(t *testing.T) {
	sensor := encodeJPEG(t, sensorImage(40, 30))
	xmp := append([]byte{0xff, 0xe1, 0, 0}, "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"...)
	binary.BigEndian.PutUint16(xmp[2:], uint16(len(xmp)-2))
	for name, c := range map[string]struct {
		data []byte
		want int
	}{
		"no exif":      {sensor, 1},
		"exif":         {withSegments(sensor, exifSegment(6, binary.BigEndian)), 6},
		"after xmp":    {withSegments(sensor, xmp, exifSegment(8, binary.LittleEndian)), 8},
		"out of range": {withSegments(sensor, exifSegment(9, binary.BigEndian)), 1},
		"truncated":    {withSegments(sensor, exifSegment(6, binary.BigEndian))[:30], 1},
		"not a jpeg":   {[]byte("hello"), 1},
	} {
		if got := orientation(c.data); got != c.want {
			t.Errorf("%s: orientation %d, want %d", name, got, c.want)
		}
	}
}

// A phone's photo comes out at most MaxWidth wide with a rendition at every
// smaller width, JPEG and WebP, each decoding to the size it claims; the
// name is the largest JPEG's hash. (Tests run with -race keep photos small:
// BenchmarkProcess is the phone's 4000×3000.)
func TestSizes(t *testing.T) {
	data := withSegments(encodeJPEG(t, sensorImage(1680, 1260)), exifSegment(1, binary.BigEndian))
	p := process(t, data)
	want := [][2]int{{320, 240}, {640, 480}, {960, 720}, {1600, 1200}}
	if len(p.Sizes) != len(want) || !p.WebP {
		t.Fatalf("%d sizes, webp %v", len(p.Sizes), p.WebP)
	}
	for i, s := range p.Sizes {
		if s.Width != want[i][0] || s.Height != want[i][1] {
			t.Errorf("size %d: %d×%d, want %v", i, s.Width, s.Height, want[i])
		}
		if b := decodeJPEG(t, s.JPEG).Bounds(); b.Dx() != s.Width || b.Dy() != s.Height {
			t.Errorf("size %d: the JPEG is %v", i, b)
		}
		img, err := xwebp.Decode(bytes.NewReader(s.WebP))
		if err != nil {
			t.Fatalf("size %d: webp: %v", i, err)
		}
		if b := img.Bounds(); b.Dx() != s.Width || b.Dy() != s.Height {
			t.Errorf("size %d: the WebP is %v", i, b)
		}
	}
	sum := sha256.Sum256(p.Sizes[3].JPEG)
	if p.Sum != hex.EncodeToString(sum[:]) {
		t.Errorf("sum %s", p.Sum)
	}
	assertClean(t, p)

	// A photo narrower than a width has no rendition at that width; the
	// same upload gets the same name.
	small := process(t, encodeJPEG(t, sensorImage(700, 400)))
	if again := process(t, encodeJPEG(t, sensorImage(700, 400))); again.Sum != small.Sum {
		t.Errorf("the same upload named twice: %s, %s", small.Sum, again.Sum)
	}
	var got []int
	for _, s := range small.Sizes {
		got = append(got, s.Width)
	}
	if len(got) != 3 || got[0] != 320 || got[1] != 640 || got[2] != 700 {
		t.Errorf("widths of a 700 px photo: %v", got)
	}
}

// A PNG (screenshots, edited photos) is accepted; transparent parts turn
// white, not black. A WebP is accepted too.
func TestPNGAndWebP(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 400, 400))
	for y := range 400 {
		for x := range 400 {
			if x >= 200 {
				img.SetNRGBA(x, y, red)
			} // the left half stays transparent
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := process(t, b.Bytes())
	out := decodeJPEG(t, p.Sizes[len(p.Sizes)-1].JPEG)
	if r, g, bl, _ := out.At(50, 200).RGBA(); r>>8 < 240 || g>>8 < 240 || bl>>8 < 240 {
		t.Errorf("transparent became %v, want white", out.At(50, 200))
	}
	if !isRed(out.At(350, 200)) {
		t.Errorf("red became %v", out.At(350, 200))
	}
	if p.Width() != 400 || len(p.Sizes) != 2 {
		t.Errorf("png: %d px, %d sizes", p.Width(), len(p.Sizes))
	}

	w, err := EncodeWebP(sensorImage(500, 400))
	if err != nil {
		t.Fatal(err)
	}
	if p := process(t, w); p.Width() != 500 || p.Height() != 400 || !p.WebP {
		t.Errorf("webp: %d×%d", p.Width(), p.Height())
	}
}

// pngHeader is a PNG with only its header chunk: it says w×h and holds no
// pixels at all.
func pngHeader(w, h uint32) []byte {
	out := []byte("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		n := make([]byte, 4)
		binary.BigEndian.PutUint32(n, uint32(len(data)))
		out = append(out, n...)
		body := append([]byte(typ), data...)
		out = append(out, body...)
		binary.BigEndian.PutUint32(n, crc32.ChecksumIEEE(body))
		out = append(out, n...)
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	chunk("IEND", nil)
	return out
}

func TestRefused(t *testing.T) {
	heic := append([]byte{0, 0, 0, 0x18}, "ftypheic\x00\x00\x00\x00mif1heic"...)
	heic = append(heic, make([]byte, 200)...)
	tooSmall := encodeJPEG(t, sensorImage(1000, 250))
	big := append(encodeJPEG(t, sensorImage(400, 400)), make([]byte, MaxBytes)...)
	truncated := encodeJPEG(t, sensorImage(800, 600))
	truncated = truncated[:len(truncated)/3]
	var gif bytes.Buffer
	gif.WriteString("GIF89a")
	gif.Write(make([]byte, 100))
	for name, c := range map[string]struct {
		data []byte
		key  string
	}{
		"heic":              {heic, "photo.heic"},
		"text":              {[]byte("Bonjour, voici la photo de notre huile d'argan.\n"), "photo.type"},
		"gif":               {gif.Bytes(), "photo.type"},
		"empty":             {nil, "photo.type"},
		"over 10 MB":        {big, "photo.too_large"},
		"30000×30000 bomb":  {pngHeader(30000, 30000), "photo.too_large"},
		"short side 250 px": {tooSmall, "photo.too_small"},
		"cut short":         {truncated, "photo.unreadable"},
	} {
		start := time.Now()
		_, err := Process(context.Background(), c.data, widths)
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != errs.Invalid || e.Fields[Field] != c.key {
			t.Errorf("%s: %v, want %s on %s", name, err, c.key, Field)
		}
		if name == "30000×30000 bomb" && time.Since(start) > time.Second {
			t.Errorf("the bomb took %v: decoded?", time.Since(start))
		}
	}
	// A header that claims a size the check accepts but holds no pixels
	// fails in the decoder: the bomb above was stopped before it.
	if _, err := Process(context.Background(), pngHeader(1000, 1000), widths); !errs.Is(err, errs.Invalid) ||
		!strings.Contains(err.Error(), "photo.unreadable") {
		t.Errorf("header only, 1000×1000: %v", err)
	}
}

// Without a working WebP encoder (an error or a panic in the runtime), a
// photo has its JPEGs only.
func TestWithoutWebP(t *testing.T) {
	saved := webpEncoder
	t.Cleanup(func() { webpEncoder = saved })
	data := encodeJPEG(t, sensorImage(700, 525))
	for name, enc := range map[string]func(*bytes.Buffer, image.Image) error{
		"error": func(*bytes.Buffer, image.Image) error { return errors.New("no encoder") },
		"panic": func(*bytes.Buffer, image.Image) error { panic("wasm runtime") },
	} {
		webpEncoder = enc
		p := process(t, data)
		if p.WebP || len(p.Sizes) != 3 {
			t.Errorf("%s: webp %v, %d sizes", name, p.WebP, len(p.Sizes))
		}
		for i, s := range p.Sizes {
			if s.WebP != nil || len(s.JPEG) == 0 {
				t.Errorf("%s: size %d has webp %d bytes, jpeg %d bytes", name, i, len(s.WebP), len(s.JPEG))
			}
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "p", "abc.jpg")
	if err := WriteFile(name, []byte("first")); err != nil {
		t.Fatal(err)
	}
	// Same name, same content by construction: the file is left alone.
	if err := WriteFile(name, []byte("second")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "first" {
		t.Errorf("content %q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if st, _ := os.Stat(name); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v", st.Mode())
	}
}

// BenchmarkProcess is one photo as a phone sends it: 4000×3000, turned.
func BenchmarkProcess(b *testing.B) {
	img := image.NewNRGBA(image.Rect(0, 0, 4000, 3000))
	for y := range 3000 {
		for x := range 4000 {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 7), uint8(y * 3), uint8((x ^ y) * 5), 255})
		}
	}
	data := withSegments(encodeJPEG(b, img), exifSegment(6, binary.BigEndian))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Process(context.Background(), data, widths); err != nil {
			b.Fatal(err)
		}
	}
}
