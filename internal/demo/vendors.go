package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"souk/internal/morocco"
	"souk/internal/text"
	"souk/internal/vendor"
)

// maker is a vendor the demo created and the seed it came from.
type maker struct {
	v    vendor.Vendor
	seed seed
}

// makeVendors creates opts.Vendors vendors: the seeds in order, then the
// regional seeds again under extraNames.
func makeVendors(ctx context.Context, vs *vendor.Service, opts Options) ([]maker, error) {
	rng := rand.New(rand.NewPCG(opts.Seed, 1))
	var regional []seed
	for _, s := range seeds {
		if s.books == nil {
			regional = append(regional, s)
		}
	}
	out := make([]maker, 0, opts.Vendors)
	slugs := map[string]bool{}
	for i := range opts.Vendors {
		s, status := seedAt(i, regional)
		in := vendorInput(rng, s)
		base := text.Slugify(in.Texts["fr"].DisplayName)
		in.Slug = base
		for n := 2; slugs[in.Slug]; n++ {
			in.Slug = base + "-" + strconv.Itoa(n)
		}
		slugs[in.Slug] = true
		in.Email = "contact@" + in.Slug + ".ma"
		v, err := vs.Create(ctx, operator, in, status)
		if err != nil {
			return nil, fmt.Errorf("demo vendor %s: %w", in.Slug, err)
		}
		out = append(out, maker{v: v, seed: s})
	}
	opts.Log.Info("demo: vendors created", "count", len(out))
	return out, nil
}

// seedAt is the i-th vendor's seed and status.
func seedAt(i int, regional []seed) (seed, vendor.Status) {
	if i < len(seeds) {
		return seeds[i], seedStatus(i)
	}
	j := i - len(seeds)
	s := regional[j%len(regional)]
	s.name = extraNames[(j+j/len(regional))%len(extraNames)]
	return s, vendor.Approved
}

func vendorInput(rng *rand.Rand, s seed) vendor.Input {
	names := s.names
	if names == (tr{}) {
		names = s.trade.display.fill(s.name)
	}
	legal := strings.ReplaceAll(s.trade.legal, "%s", names.fr)
	if s.names == (tr{}) {
		legal = elide(strings.ReplaceAll(s.trade.legal, "%s", s.name.lat))
	}
	story := vendorStory(rng, s)
	in := vendor.Input{
		Kind:        s.trade.kind,
		LegalName:   legal,
		Region:      s.region,
		City:        s.city,
		Texts:       map[string]vendor.Texts{},
		ICE:         digits(rng, 15),
		ContactName: pick(rng, contactNames),
		Phone:       "0" + pick(rng, []string{"5", "6", "7"}) + digits(rng, 8),
		RIB:         rib(rng, s.region),
	}
	for _, l := range locales {
		in.Texts[l] = vendor.Texts{DisplayName: names.in(l), Story: story.in(l)}
	}
	if s.trade.kind == vendor.Cooperative {
		in.CooperativeNumber = fmt.Sprintf("%d/%04d", 1995+rng.IntN(30), 1+rng.IntN(9999))
	}
	return in
}

// vendorStory is how the vendor began, how it works and, often, one more
// fact. Counts stay within 11–99 (see foundings).
func vendorStory(rng *rand.Rand, s seed) tr {
	founding := pick(rng, foundings[s.trade.founders])
	n := between(rng, 11, 60)
	vars := map[string]string{
		"{year}":    strconv.Itoa(between(rng, 1962, 2022)),
		"{n}":       strconv.Itoa(n),
		"{members}": strconv.Itoa(between(rng, n, 99)),
		"{titles}":  strconv.Itoa(between(rng, 20, 99)),
	}
	gen := pick(rng, generations)
	parts := []tr{founding}
	if len(s.trade.craft) > 0 {
		parts = append(parts, pick(rng, s.trade.craft))
	}
	if c := closings[s.trade.founders]; len(c) > 0 && chance(rng, 70) {
		parts = append(parts, pick(rng, c))
	}
	var out [4]string
	for li, l := range locales {
		at := s.at.lat
		if l == "ar" {
			at = s.at.ar
		}
		sentences := make([]string, len(parts))
		for pi, p := range parts {
			r := strings.NewReplacer("{year}", vars["{year}"], "{n}", vars["{n}"], "{members}", vars["{members}"],
				"{titles}", vars["{titles}"], "{at}", at, "{gen}", gen.in(l))
			sentences[pi] = r.Replace(p.in(l))
		}
		out[li] = strings.Join(sentences, " ")
		if l == "fr" {
			out[li] = elide(out[li])
		}
	}
	return tr{ar: out[0], fr: out[1], en: out[2], es: out[3]}
}

var contactNames = []string{"Fatima Aït Lahcen", "Aicha Boutaleb", "Khadija Oubella", "Mohamed Idrissi", "Youssef Amrani",
	"Naima Ouhammou", "Hassan Bakrim", "Zineb El Fassi", "Rachid Oulhaj", "Malika Tazi", "Brahim Ait Ouarab", "Saida Ennaji"}

// rib is a valid 24-digit RIB: a real bank code, a locality of the
// vendor's region, an account number and its key.
func rib(rng *rand.Rand, region string) string {
	first22 := pick(rng, banks) + pick(rng, localities[region]) + digits(rng, 16)
	return first22 + morocco.RIBKey(first22)
}
