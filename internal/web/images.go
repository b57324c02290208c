package web

import (
	"fmt"
	"strings"

	"souk/internal/catalog"
)

// picture is an <img> with every size of a product photo in srcset, so a
// phone on a slow connection downloads the smallest that fills its screen.
// Width and height are given so the page does not jump as it loads.
type picture struct {
	Src, SrcSet   string
	Width, Height int
	Alt           string
}

func pictureOf(im catalog.Image, alt string) *picture {
	rs := im.Renditions()
	sizes := make([]string, len(rs))
	for i, r := range rs {
		sizes[i] = fmt.Sprintf("/media/%s %dw", r.Path, r.Width)
	}
	return &picture{Src: "/media/" + rs[0].Path, SrcSet: strings.Join(sizes, ", "), Width: im.Width, Height: im.Height, Alt: alt}
}

// firstPicture is a product's first photo, or nil.
func firstPicture(p catalog.Product, alt string) *picture {
	if len(p.Images) == 0 {
		return nil
	}
	return pictureOf(p.Images[0], alt)
}
