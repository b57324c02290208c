package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"souk/internal/catalog"
	"souk/internal/money"
	"souk/internal/morocco"
	"souk/internal/text"
	"souk/internal/vendor"
)

// status: most of the catalog is on sale, a few products wait for review.
func status(rng *rand.Rand) catalog.Status {
	switch r := rng.IntN(100); {
	case r < 2:
		return catalog.Draft
	case r < 4:
		return catalog.PendingReview
	}
	return catalog.Published
}

// product is the k-th product: the round-th one of its maker, which sells
// its trade's templates in turn.
func product(rng *rand.Rand, k int, m maker, round int, pics map[string]catalog.Image) catalog.NewProduct {
	trd := m.seed.trade
	key := trd.templates[round%len(trd.templates)]
	t := templates[key]
	name := pick(rng, t.names)
	tax := t.tax
	if trd.kind != vendor.Cooperative && t.taxTrade != "" {
		tax = t.taxTrade
	}
	in := catalog.Input{
		Slug:     fmt.Sprintf("%s-%s-%d", text.Slugify(name.fr), text.Slugify(m.seed.at.lat), k+1),
		Category: t.category,
		TaxClass: tax,
		Status:   status(rng),
		Texts:    map[string]catalog.Texts{},
	}
	desc := description(rng, t, m.seed)
	titles := tr{
		ar: name.ar + " من " + m.seed.at.ar,
		fr: elide(name.fr + " de " + m.seed.at.lat),
		en: name.en + " from " + m.seed.at.lat,
		es: name.es + " de " + m.seed.at.lat,
	}
	if strings.Contains(name.fr, m.seed.at.lat) { // "Safran de Taliouine" made in Taliouine
		titles = name
	}
	spanish := chance(rng, 40)
	for _, l := range locales {
		if l == "es" && !spanish {
			continue
		}
		in.Texts[l] = catalog.Texts{Title: titles.in(l), Description: desc.in(l)}
	}
	for vi, s := range t.sizes {
		stock := between(rng, 1, 200)
		if chance(rng, 5) {
			stock = 0 // sold out
		}
		in.Variants = append(in.Variants, catalog.Variant{
			SKU:         fmt.Sprintf("%s-%06d-%d", t.sku, k+1, vi+1),
			Label:       s.label,
			Price:       money.Dirhams(int64(between(rng, s.min, s.max)) * 100),
			Stock:       stock,
			WeightGrams: s.grams,
			LengthMM:    s.l, WidthMM: s.w, HeightMM: s.h,
		})
	}
	for _, c := range t.certs {
		if c.regions != nil && !slices.Contains(c.regions, m.seed.region) || !chance(rng, c.pct) {
			continue
		}
		issuer, number := c.issuer, c.number
		if c.kind == "organic" {
			o := pick(rng, organicIssuers)
			issuer, number = o.issuer, o.number
		}
		in.Certifications = append(in.Certifications, catalog.Certification{
			Kind: c.kind, Issuer: issuer, Number: fillDigits(rng, number),
			ExpiresOn: fmt.Sprintf("%d-%02d-%02d", between(rng, 2027, 2029), between(rng, 1, 12), between(rng, 1, 28)),
		})
	}
	if pic, ok := pics[key]; ok {
		pic.Alt = titles.fr
		in.Images = []catalog.Image{pic}
	}
	return catalog.NewProduct{VendorID: m.v.ID, Input: in}
}

// description is an opening sentence of the template, one on who made it
// and one or two on care and packing.
func description(rng *rand.Rand, t *template, s seed) tr {
	parts := []tr{pick(rng, t.intros), pick(rng, origins[s.trade.founders])}
	closer := closers[t.group]
	first := rng.IntN(len(closer))
	parts = append(parts, closer[first])
	if chance(rng, 50) {
		parts = append(parts, closer[(first+1+rng.IntN(len(closer)-1))%len(closer)])
	}
	who := s.trade.maker()
	if s.names == (tr{}) {
		who = who.fill(s.name)
	}
	region, _ := morocco.RegionByCode(s.region)
	var out [4]string
	for li, l := range locales {
		at := s.at.lat
		if l == "ar" {
			at = s.at.ar
		}
		r := strings.NewReplacer("{maker}", who.in(l), "{at}", at, "{region}", region.Names[l])
		sentences := make([]string, len(parts))
		for pi, p := range parts {
			sentences[pi] = r.Replace(p.in(l))
		}
		out[li] = strings.Join(sentences, " ")
		if l == "fr" {
			out[li] = elide(out[li])
		}
	}
	return tr{ar: out[0], fr: out[1], en: out[2], es: out[3]}
}

// fillDigits replaces every '#' of pattern with a random digit.
func fillDigits(rng *rand.Rand, pattern string) string {
	b := []byte(pattern)
	for i := range b {
		if b[i] == '#' {
			b[i] = byte('0' + rng.IntN(10))
		}
	}
	return string(b)
}
