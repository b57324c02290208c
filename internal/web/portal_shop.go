package web

import (
	"errors"
	"net/http"
	"strconv"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/vendor"
)

// The shop's page as the owner keeps it: its name and story in each
// language (the storefront's vendor page shows them), the contact people
// write to, and the bank account (RIB) payouts go to. The owner only:
// staff handle products and orders, not who the shop is or where its
// money goes. Every change is in the audit log (vendor.Update).

func (s *Server) portalShopRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/vendor/shop", Access: vendorOwner, Handle: s.shopProfile, Nav: "myshop.nav"},
		{Method: "POST", Pattern: "/vendor/shop", Access: vendorOwner, Handle: s.shopProfile},
	}
}

var _ = notice("myshop.saved")

type shopLocale struct {
	Locale, Name, Dir string
	Missing           bool
	DisplayName       formField
	Story             formField
}

type shopData struct {
	Locales                                 []shopLocale
	ContactName, Email, Phone, City, RIB    formField
	Problems                                []problem
	Slug, LegalName, Status, StorefrontHref string
}

func (s *Server) shopProfile(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx := r.Context()
	v, err := s.Vendors.Get(ctx, c.User, strconv.FormatInt(c.User.VendorID, 10))
	if err != nil {
		return err
	}
	t := func(key string) string { return i18n.T(c.Loc, key, nil) }
	field := func(name, label, typ, value string) formField {
		return formField{ID: fieldID(name), Name: name, Label: label, Type: typ, Value: value}
	}
	d := shopData{Slug: v.Slug, LegalName: v.LegalName, Status: t("myshop.status." + string(v.Status)),
		StorefrontHref: "/" + c.Loc + "/v/" + v.Slug}
	for _, l := range append([]string{c.Loc}, otherLocales(c.Loc)...) {
		txt := v.Texts[l]
		sl := shopLocale{Locale: l, Name: localeNames[l], Dir: i18n.Dir(l), Missing: txt.DisplayName == ""}
		sl.DisplayName = field("texts."+l+".display_name", t("myshop.display_name"), "text", txt.DisplayName)
		sl.DisplayName.Dir = sl.Dir
		sl.Story = field("texts."+l+".story", t("myshop.story"), "", txt.Story)
		sl.Story.Dir = sl.Dir
		d.Locales = append(d.Locales, sl)
	}
	d.ContactName = field("contact_name", t("myshop.contact_name"), "text", v.ContactName)
	d.Email = field("email", t("account.email"), "email", v.Email)
	d.Email.Dir = "ltr"
	d.Phone = field("phone", t("shop.phone"), "tel", v.Phone)
	d.Phone.Dir = "ltr"
	d.City = field("city", t("myshop.city"), "text", v.City)
	d.RIB = field("rib", t("myshop.rib"), "text", v.RIB)
	d.RIB.Dir, d.RIB.Help = "ltr", t("myshop.rib_help")
	status := http.StatusOK
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
		if err := r.ParseForm(); err != nil {
			return errs.Wrap(errs.Invalid, "error.invalid", err)
		}
		in := vendor.Input{Slug: v.Slug, Kind: v.Kind, LegalName: v.LegalName, Region: v.Region,
			CooperativeNumber: v.CooperativeNumber, ICE: v.ICE, Texts: map[string]vendor.Texts{}}
		form := []*formField{}
		for i := range d.Locales {
			sl := &d.Locales[i]
			sl.DisplayName.Value = r.PostForm.Get(sl.DisplayName.Name)
			sl.Story.Value = r.PostForm.Get(sl.Story.Name)
			if sl.DisplayName.Value != "" || sl.Story.Value != "" {
				in.Texts[sl.Locale] = vendor.Texts{DisplayName: sl.DisplayName.Value, Story: sl.Story.Value}
			}
			form = append(form, &sl.DisplayName, &sl.Story)
		}
		for _, f := range []*formField{&d.ContactName, &d.Email, &d.Phone, &d.City, &d.RIB} {
			f.Value = r.PostForm.Get(f.Name)
			form = append(form, f)
		}
		in.ContactName, in.Email, in.Phone, in.City, in.RIB = d.ContactName.Value, d.Email.Value, d.Phone.Value, d.City.Value, d.RIB.Value
		_, err := s.Vendors.Update(ctx, c.User, v.ID, in)
		if err == nil {
			// Products are found by their vendor's names too.
			if err := s.Catalog.ReindexVendor(ctx, v.ID); err != nil {
				return err
			}
			return done(w, r, "/vendor/shop", "myshop.saved")
		}
		var e *errs.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			return err
		}
		status = http.StatusUnprocessableEntity
		fields := e.Fields
		if k, ok := fields["texts"]; ok { // no name in any language: say it on the first
			fields[d.Locales[0].DisplayName.Name] = k
		}
		d.Problems = fieldProblems(c.Loc, fields, form)
	}
	return s.renderBO(w, r, c, status, "portal_shop", t("myshop.nav"), d)
}

// otherLocales are souk's locales but loc, in souk's order.
func otherLocales(loc string) []string {
	var out []string
	for _, l := range i18n.Locales {
		if l != loc {
			out = append(out, l)
		}
	}
	return out
}
