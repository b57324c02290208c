package vendor

import (
	"net/mail"
	"strings"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/morocco"
	"souk/internal/text"
)

var pick = i18n.Pick[string]

// clean normalises in and checks every field, naming each bad one.
func (in *Input) clean() error {
	f := errs.Fields{}
	in.Slug = strings.ToLower(text.Clean(in.Slug))
	in.LegalName = text.Clean(in.LegalName)
	in.City = text.Clean(in.City)
	in.CooperativeNumber = text.Clean(in.CooperativeNumber)
	in.ContactName = text.Clean(in.ContactName)
	in.Email = strings.ToLower(text.Clean(in.Email))

	if !in.Kind.Valid() {
		f.Add("kind", "field.enum")
	}
	if k := text.Check(in.LegalName, true, 200); k != "" {
		f.Add("legal_name", k)
	}
	if in.Slug != "" && !text.ValidSlug(in.Slug) {
		f.Add("slug", "field.slug")
	}
	if _, ok := morocco.RegionByCode(in.Region); !ok {
		f.Add("region", "field.region")
	}
	if k := text.Check(in.City, true, 100); k != "" {
		f.Add("city", k)
	}
	if k := text.Check(in.CooperativeNumber, in.Kind == Cooperative, 40); k != "" {
		f.Add("cooperative_number", k)
	}
	if in.ICE != "" {
		if ice, ok := morocco.NormalizeICE(in.ICE); ok {
			in.ICE = ice
		} else {
			f.Add("ice", "field.ice")
		}
	}
	if k := text.Check(in.ContactName, false, 120); k != "" {
		f.Add("contact_name", k)
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
			f.Add("email", "field.email")
		}
	}
	if in.Phone != "" {
		if p, ok := morocco.NormalizePhone(in.Phone); ok {
			in.Phone = p
		} else {
			f.Add("phone", "field.phone")
		}
	}
	if in.RIB != "" {
		if rib, ok := morocco.NormalizeRIB(in.RIB); ok {
			in.RIB = rib
		} else {
			f.Add("rib", "field.rib")
		}
	}

	named := false
	for loc, t := range in.Texts {
		if !i18n.Valid(loc) {
			f.Add("texts."+loc, "field.locale")
			continue
		}
		t.DisplayName = text.Clean(t.DisplayName)
		t.Story = text.Clean(t.Story)
		if k := text.Check(t.DisplayName, false, 120); k != "" {
			f.Add("texts."+loc+".display_name", k)
		}
		if k := text.Check(t.Story, false, 5000); k != "" {
			f.Add("texts."+loc+".story", k)
		}
		named = named || t.DisplayName != ""
		in.Texts[loc] = t
	}
	if !named {
		f.Add("texts", "field.display_name_required")
	}
	if in.Slug == "" {
		in.Slug = deriveSlug(*in)
	}
	return f.Err()
}

// deriveSlug takes the first name with Latin letters; an all-Arabic vendor
// gets "vendor" and a number added by the store on conflict.
func deriveSlug(in Input) string {
	for _, l := range []string{"fr", "en", "es"} {
		if s := text.Slugify(in.Texts[l].DisplayName); text.ValidSlug(s) {
			return s
		}
	}
	if s := text.Slugify(in.LegalName); text.ValidSlug(s) {
		return s
	}
	return "vendor"
}
