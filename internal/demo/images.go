package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"

	"souk/internal/catalog"
)

// palettes colour the pictures by kind of product: ochre and olive for
// food, rose and gold for cosmetics, indigo and madder for textiles,
// zellige green and blue for crafts.
var palettes = map[group][]color.RGBA{
	food:     {{0xc8, 0x8a, 0x2e, 255}, {0x7a, 0x5c, 0x1e, 255}, {0xe9, 0xd4, 0xa7, 255}, {0x5d, 0x6b, 0x2f, 255}},
	cosmetic: {{0xc9, 0x6f, 0x7b, 255}, {0xe8, 0xc5, 0x8c, 255}, {0xf6, 0xe7, 0xe1, 255}, {0x8c, 0x4a, 0x5a, 255}},
	textile:  {{0x2b, 0x3a, 0x67, 255}, {0xa4, 0x2a, 0x20, 255}, {0xf1, 0xe4, 0xc9, 255}, {0xd9, 0x8c, 0x2b, 255}},
	craft:    {{0x1f, 0x6f, 0x5c, 255}, {0x1d, 0x4e, 0x89, 255}, {0xf3, 0xee, 0xe2, 255}, {0xc2, 0x8f, 0x2c, 255}},
}

// pictures draws one picture per template, at each of catalog.ImageWidths
// (see catalog.Image.Renditions), into dir/demo and returns, by
// template key, the image products of that template show. Four flat
// colours make small, fast PNGs.
func pictures(dir string) (map[string]catalog.Image, error) {
	keys := make([]string, 0, len(templates))
	for k := range templates {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if err := os.MkdirAll(filepath.Join(dir, "demo"), 0o750); err != nil {
		return nil, fmt.Errorf("demo pictures: %w", err)
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	out := make(map[string]catalog.Image, len(keys))
	for _, k := range keys {
		h := fnv.New64a()
		h.Write([]byte(k))
		seed := h.Sum64()
		pal := palettes[templates[k].group]
		var name string
		for i := len(catalog.ImageWidths) - 1; i >= 0; i-- {
			w := catalog.ImageWidths[i]
			var buf bytes.Buffer
			if err := enc.Encode(&buf, zellige(w, seed, pal)); err != nil {
				return nil, err
			}
			if name == "" { // the largest names the set after its content
				sum := sha256.Sum256(buf.Bytes())
				name = "demo/" + k + "-" + hex.EncodeToString(sum[:4])
			}
			file := name + ".png"
			if i < len(catalog.ImageWidths)-1 {
				file = fmt.Sprintf("%s-%d.png", name, w)
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(file)), buf.Bytes(), 0o640); err != nil {
				return nil, fmt.Errorf("demo pictures: %w", err)
			}
		}
		big := catalog.ImageWidths[len(catalog.ImageWidths)-1]
		out[k] = catalog.Image{Path: name + ".png", Width: big, Height: big}
	}
	return out, nil
}

// zellige draws a square tiling of eight-pointed stars, the pattern of
// Fès tilework, in the palette's colours; seed varies the number of tiles
// and the order of colours. One tile is drawn, then repeated.
func zellige(size int, seed uint64, pal []color.RGBA) *image.Paletted {
	shift := int(seed>>8) % len(pal)
	colors := make(color.Palette, len(pal))
	for i := range pal {
		colors[i] = pal[(i+shift)%len(pal)]
	}
	img := image.NewPaletted(image.Rect(0, 0, size, size), colors)
	cell := size / (3 + int(seed%4))
	bands := [][3]float64{{0.16, 0.22, 0.36}, {0.10, 0.18, 0.30}, {0.20, 0.24, 0.42}}[(seed>>16)%3]
	tile := make([]uint8, cell*cell)
	for y := range cell {
		for x := range cell {
			u := (float64(x)+0.5)/float64(cell) - 0.5
			v := (float64(y)+0.5)/float64(cell) - 0.5
			// An eight-pointed star is two overlapping squares, one turned 45°.
			square := math.Max(math.Abs(u), math.Abs(v))
			diamond := (math.Abs(u) + math.Abs(v)) / math.Sqrt2
			star := math.Min(square, diamond)
			switch {
			case star < bands[0]:
				tile[y*cell+x] = 0
			case star < bands[1]:
				tile[y*cell+x] = 3
			case star < bands[2]:
				tile[y*cell+x] = 1
			default:
				tile[y*cell+x] = 2
			}
		}
	}
	for y := range size {
		row := img.Pix[y*img.Stride : y*img.Stride+size]
		src := tile[(y%cell)*cell : (y%cell+1)*cell]
		for x := 0; x < size; x += cell {
			copy(row[x:], src)
		}
	}
	return img
}
