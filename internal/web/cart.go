package web

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/order"
)

// CookieCart holds a guest's cart id (a signed-in customer's cart is found
// from their account). The id alone lets its holder use the cart, so the
// cookie is HttpOnly.
const CookieCart = "souk_cart"

// userOf is the signed-in user of a request, the zero User for a guest.
func userOf(r *http.Request) auth.User {
	u, _ := auth.UserFrom(r.Context())
	return u
}

// private marks a response that belongs to one shopper: never stored by a
// cache, never indexed, its signed links never sent to another site.
func private(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("X-Robots-Tag", "noindex")
}

// privatePage is a page for one shopper: no canonical, no alternates for
// search engines, noindex.
func (s *Server) privatePage(r *http.Request, loc, title string, data any) Page {
	p := s.page(r, loc, title, data)
	p.Canonical, p.HrefLang, p.XDefault, p.NoIndex = "", nil, "", true
	return p
}

func setCartCookie(w http.ResponseWriter, r *http.Request, id string) {
	c := &http.Cookie{Name: CookieCart, Value: id, Path: "/", MaxAge: 60 * 24 * 3600, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode}
	if id == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// currentCart is the shopper's open cart: a signed-in customer's own (a
// guest cart they filled before signing in joins it), else the guest cart
// of the cookie. A cookie naming no open cart (junk, an ordered cart, one
// that is not theirs) is forgotten. With create, a cart is opened when
// there is none; without, ok is false then.
func (s *Server) currentCart(w http.ResponseWriter, r *http.Request, create bool) (c order.Cart, ok bool, err error) {
	ctx, by := r.Context(), userOf(r)
	cookie := ""
	if ck, err := r.Cookie(CookieCart); err == nil {
		cookie = ck.Value
	}
	id := ""
	if by.ID != 0 {
		if cookie != "" {
			kept, err := s.Orders.Adopt(ctx, by, cookie)
			if err != nil && !errs.Is(err, errs.NotFound) {
				return order.Cart{}, false, err
			}
			setCartCookie(w, r, "") // the account holds the cart from now on
			id = kept
		}
		if id == "" {
			if id, err = s.Orders.OpenCart(ctx, by); err != nil {
				return order.Cart{}, false, err
			}
		}
	} else {
		id = cookie
	}
	if id != "" {
		c, err = s.Orders.Cart(ctx, by, id)
		switch {
		case err == nil && c.Status == "open":
			return c, true, nil
		case err != nil && !errs.Is(err, errs.NotFound):
			return order.Cart{}, false, err
		}
		if by.ID == 0 && !create {
			setCartCookie(w, r, "") // forgotten; replaced below when creating
		}
	}
	if !create {
		return order.Cart{}, false, nil
	}
	if c, err = s.Orders.NewCart(ctx, by, ""); err != nil {
		return order.Cart{}, false, err
	}
	if by.ID == 0 {
		setCartCookie(w, r, c.ID)
	}
	return c, true, nil
}

// cartLine is one line of the cart page.
type cartLine struct {
	VariantID      int64
	Title, Label   string
	URL            string
	Thumb          *picture
	Unit, Total    string
	Quantity, Max  int
	Problem, Error string // what is wrong with the line; why a change was refused
	ErrorID        string
}

// cartVendor is one parcel of the cart page: one vendor's lines.
type cartVendor struct {
	Name, URL string
	Lines     []cartLine
}

type cartData struct {
	Notice   string // what went wrong with the last change
	Empty    bool
	Vendors  []cartVendor
	Items    string
	Missing  string // how much more reaches the minimum order, "" when reached
	Blocked  string // lines to fix before checkout, "" when none
	Problems bool
}

// cartPage shows the shopper's cart.
func (s *Server) cartPage(w http.ResponseWriter, r *http.Request, loc string) error {
	return s.renderCart(w, r, loc, http.StatusOK, "", 0, "")
}

// renderCart shows the cart with, after a refused change, a notice and the
// line it is about (lineError on variant).
func (s *Server) renderCart(w http.ResponseWriter, r *http.Request, loc string, status int, notice string, variant int64, lineError string) error {
	private(w)
	c, ok, err := s.currentCart(w, r, false)
	if err != nil {
		return err
	}
	d := cartData{Notice: notice, Empty: !ok || len(c.Lines) == 0}
	if !d.Empty {
		d.Vendors = s.cartVendors(r, loc, c)
		for i := range d.Vendors {
			for j := range d.Vendors[i].Lines {
				if l := &d.Vendors[i].Lines[j]; l.VariantID == variant && lineError != "" {
					l.Error = lineError
				}
			}
		}
		d.Items = i18n.FormatMoney(loc, c.Items)
		d.Problems = c.Problems
		if c.Missing.Amount > 0 {
			d.Missing = i18n.T(loc, "shop.add_more", map[string]any{"missing": i18n.FormatMoney(loc, c.Missing),
				"minimum": i18n.FormatMoney(loc, c.MinOrder)})
		}
		if c.Problems {
			d.Blocked = i18n.T(loc, "shop.fix_lines", nil)
		}
	}
	return s.render(w, status, "cart", s.privatePage(r, loc, i18n.T(loc, "shop.cart_title", nil), d))
}

// cartVendors groups every line of a cart by vendor (lines that cannot be
// bought too, with their problem in words), vendors by slug as checkout
// lists the parcels.
func (s *Server) cartVendors(r *http.Request, loc string, c order.Cart) []cartVendor {
	var slugs []string
	by := map[string][]cartLine{}
	for _, l := range c.Lines {
		title, _, _ := i18n.Pick(l.Titles, loc)
		line := cartLine{VariantID: l.VariantID, Title: title, Label: l.Label, URL: "/" + loc + "/p/" + l.ProductSlug,
			Unit: i18n.FormatMoney(loc, l.Price), Total: i18n.FormatMoney(loc, l.Total), Quantity: l.Quantity,
			Max: min(max(l.Stock, l.Quantity), order.MaxQuantity), ErrorID: "line-" + strconv.FormatInt(l.VariantID, 10) + "-error"}
		if l.Problem != "" {
			line.Problem = i18n.T(loc, l.Problem, nil)
			if l.Problem == order.ProblemShort {
				line.Problem = i18n.T(loc, "shop.only_left", map[string]any{"count": l.Stock})
			}
		}
		if l.Image != nil {
			line.Thumb = thumb(l.Image.Renditions()[0].Path, l.Image.Width, l.Image.Height)
		}
		if _, seen := by[l.VendorSlug]; !seen {
			slugs = append(slugs, l.VendorSlug)
		}
		by[l.VendorSlug] = append(by[l.VendorSlug], line)
	}
	sort.Strings(slugs)
	out := make([]cartVendor, 0, len(slugs))
	for _, slug := range slugs {
		out = append(out, cartVendor{Name: s.vendorName(r, loc, slug), URL: "/" + loc + "/v/" + slug, Lines: by[slug]})
	}
	return out
}

// thumb is a small square-ish photo beside a line: the smallest rendition,
// its size kept so the page does not jump.
func thumb(path string, width, height int) *picture {
	h := 64
	if width > 0 && height > 0 {
		h = 64 * height / width
	}
	return &picture{Src: "/media/" + path, Width: 64, Height: h}
}

// vendorName is a vendor's display name in loc, its slug if it cannot be read.
func (s *Server) vendorName(r *http.Request, loc, slug string) string {
	v, err := s.Vendors.BySlug(r.Context(), slug)
	if err != nil {
		return slug
	}
	return v.DisplayName(loc)
}

// quantityOf reads a quantity typed by the shopper: a whole number from
// min to order.MaxQuantity.
func quantityOf(raw string, min int) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	return n, err == nil && n >= min && n <= order.MaxQuantity
}

// addToCart puts a product's variant in the cart (the product page's
// form: product, variant (SKU), quantity) and shows the cart.
func (s *Server) addToCart(w http.ResponseWriter, r *http.Request, loc string) error {
	if err := r.ParseForm(); err != nil {
		return errs.E(errs.Invalid, "error.invalid")
	}
	q, ok := quantityOf(r.PostForm.Get("quantity"), 1)
	if !ok {
		return s.renderCart(w, r, loc, http.StatusUnprocessableEntity,
			i18n.T(loc, "shop.quantity_range", map[string]any{"max": order.MaxQuantity}), 0, "")
	}
	variant, err := s.Catalog.FindVariant(r.Context(), r.PostForm.Get("product"), r.PostForm.Get("variant"))
	if errs.Is(err, errs.NotFound) {
		return s.renderCart(w, r, loc, http.StatusNotFound, i18n.T(loc, "shop.product_gone", nil), 0, "")
	}
	if err != nil {
		return err
	}
	c, _, err := s.currentCart(w, r, true)
	if err != nil {
		return err
	}
	if _, err := s.Orders.SetItem(r.Context(), userOf(r), c.ID, variant, q, true); err != nil {
		return s.cartRefused(w, r, loc, err, variant)
	}
	http.Redirect(w, r, "/"+loc+"/cart", http.StatusSeeOther)
	return nil
}

// setCartItem changes a line's quantity (0, or the Remove button, takes
// it out) and shows the cart.
func (s *Server) setCartItem(w http.ResponseWriter, r *http.Request, loc string) error {
	if err := r.ParseForm(); err != nil {
		return errs.E(errs.Invalid, "error.invalid")
	}
	variant, err := strconv.ParseInt(r.PathValue("variant"), 10, 64)
	if err != nil {
		return errs.NotFoundE("product")
	}
	q, ok := quantityOf(r.PostForm.Get("quantity"), 0)
	if r.PostForm.Has("remove") {
		q, ok = 0, true
	}
	if !ok {
		msg := i18n.T(loc, "shop.quantity_range", map[string]any{"max": order.MaxQuantity})
		return s.renderCart(w, r, loc, http.StatusUnprocessableEntity, msg, variant, msg)
	}
	c, found, err := s.currentCart(w, r, false)
	if err != nil {
		return err
	}
	if !found {
		http.Redirect(w, r, "/"+loc+"/cart", http.StatusSeeOther)
		return nil
	}
	if _, err := s.Orders.SetItem(r.Context(), userOf(r), c.ID, variant, q, false); err != nil {
		return s.cartRefused(w, r, loc, err, variant)
	}
	http.Redirect(w, r, "/"+loc+"/cart", http.StatusSeeOther)
	return nil
}

// cartRefused shows the cart again with why a change was refused.
func (s *Server) cartRefused(w http.ResponseWriter, r *http.Request, loc string, err error, variant int64) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Code == errs.Internal {
		return err
	}
	msg := errorText(loc, err)
	status := http.StatusUnprocessableEntity
	switch {
	case e.Code == errs.NotFound:
		msg, status = i18n.T(loc, "shop.product_gone", nil), http.StatusNotFound
	case e.Fields["quantity"] == "cart.not_enough":
		status = http.StatusConflict
		if n, ok := e.Args["count"].(int); ok && n == 0 {
			msg = i18n.T(loc, "web.sold_out", nil)
		}
	case e.Fields["quantity"] != "":
		msg = i18n.T(loc, "shop.quantity_range", map[string]any{"max": order.MaxQuantity})
	case e.Code == errs.Conflict:
		status = http.StatusConflict
	}
	return s.renderCart(w, r, loc, status, msg, variant, msg)
}

// errorText is an error's message in loc, its amounts formatted.
func errorText(loc string, err error) string {
	var e *errs.Error
	if !errors.As(err, &e) || e.Code == errs.Internal || e.Message == "" {
		return i18n.T(loc, "error.internal", nil)
	}
	return i18n.T(loc, e.Message, argsIn(loc, e.Args))
}

// argsIn formats a message's arguments for loc: amounts as prices.
func argsIn(loc string, args map[string]any) map[string]any {
	out := make(map[string]any, len(args))
	for k, v := range args {
		switch x := v.(type) {
		case money.Money:
			v = i18n.FormatMoney(loc, x)
		case *money.Money:
			v = i18n.FormatMoney(loc, *x)
		}
		out[k] = v
	}
	return out
}
