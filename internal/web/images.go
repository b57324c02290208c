package web

import (
	"fmt"
	"strings"

	"souk/internal/catalog"
)

// picture is an <img> with every size of a product photo in srcset, so a
// phone on a slow connection downloads the smallest that fills its screen.
// Width and height are given so the page does not jump as it loads. A
// photo uploaded from a phone has WebP versions too, about half the bytes:
// the templates then wrap the <img> in a <picture> whose <source> offers
// them to the browsers that read WebP.
type picture struct {
	Src, SrcSet   string
	WebPSrcSet    string // "" when the photo has no WebP versions
	Width, Height int
	Alt           string
}

func pictureOf(im catalog.Image, alt string) *picture {
	rs := im.Renditions()
	return &picture{Src: "/media/" + rs[0].Path, SrcSet: srcset(rs), WebPSrcSet: srcset(im.WebPRenditions()),
		Width: im.Width, Height: im.Height, Alt: alt}
}

// srcset lists renditions as a srcset attribute's value.
func srcset(rs []catalog.Rendition) string {
	sizes := make([]string, len(rs))
	for i, r := range rs {
		sizes[i] = fmt.Sprintf("/media/%s %dw", r.Path, r.Width)
	}
	return strings.Join(sizes, ", ")
}

// firstPicture is a product's first photo, or nil.
func firstPicture(p catalog.Product, alt string) *picture {
	if len(p.Images) == 0 {
		return nil
	}
	return pictureOf(p.Images[0], alt)
}
