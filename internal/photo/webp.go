package photo

import (
	"bytes"
	"fmt"
	"image"

	"github.com/gen2brain/webp"
)

// webpEncoder encodes with libwebp: the system's shared library when a
// dynamically linked souk finds one, else libwebp compiled to WASM and run
// by wazero (pure Go, so CGO_ENABLED=0 builds keep it). Tests replace it to
// see a photo without WebP.
var webpEncoder = func(buf *bytes.Buffer, img image.Image) error {
	return webp.Encode(buf, img, webp.Options{Quality: WebPQuality, Method: 4})
}

// EncodeWebP encodes img as lossy WebP. The first call in a process
// compiles the WASM module (about 0.2 s). A failure of the runtime, even a
// panic, is an error: the caller serves JPEG alone.
func EncodeWebP(img image.Image) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("photo: webp encoder: %v", r)
		}
	}()
	var buf bytes.Buffer
	if err := webpEncoder(&buf, img); err != nil {
		return nil, fmt.Errorf("photo: encode webp: %w", err)
	}
	return buf.Bytes(), nil
}
