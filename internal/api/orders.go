package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/order"
	"souk/internal/payment/stripepay"
)

// The JSON shapes of carts and orders.

type cartLineView struct {
	Product   string      `json:"product"` // slug
	Variant   string      `json:"variant"` // SKU
	Vendor    string      `json:"vendor"`
	Title     string      `json:"title"`
	Label     string      `json:"label"`
	Quantity  int         `json:"quantity"`
	UnitPrice money.Money `json:"unit_price"`
	Total     money.Money `json:"total"`
	Stock     int         `json:"stock"`
	// Problem is null, or why the line cannot be bought now: sold_out,
	// short (fewer left than asked) or unavailable (no longer on sale).
	Problem        *string `json:"problem"`
	ProblemMessage string  `json:"problem_message,omitempty"`
}

type cartVendorView struct {
	Vendor      string      `json:"vendor"`
	Items       money.Money `json:"items"`
	WeightGrams int         `json:"weight_grams"`
}

type cartView struct {
	ID          string           `json:"id"`
	Channel     string           `json:"channel"`
	Status      string           `json:"status"`
	Lines       []cartLineView   `json:"lines"`
	Vendors     []cartVendorView `json:"vendors"`
	Items       money.Money      `json:"items"`
	Minimum     money.Money      `json:"minimum"`
	Missing     money.Money      `json:"missing"`
	CanCheckout bool             `json:"can_checkout"`
}

func cartJSON(c order.Cart, loc string) cartView {
	v := cartView{ID: c.ID, Channel: c.Channel, Status: c.Status, Lines: []cartLineView{}, Vendors: []cartVendorView{},
		Items: c.Items, Minimum: c.MinOrder, Missing: c.Missing,
		CanCheckout: c.Status == "open" && !c.Problems && len(c.Lines) > 0 && c.Missing.Amount == 0}
	for _, l := range c.Lines {
		title, _, _ := i18n.Pick(l.Titles, loc)
		lv := cartLineView{Product: l.ProductSlug, Variant: l.SKU, Vendor: l.VendorSlug, Title: title, Label: l.Label,
			Quantity: l.Quantity, UnitPrice: l.Price, Total: l.Total, Stock: l.Stock}
		if l.Problem != "" {
			p := strings.TrimPrefix(l.Problem, "cart.")
			lv.Problem, lv.ProblemMessage = &p, i18n.T(loc, l.Problem, nil)
		}
		v.Lines = append(v.Lines, lv)
	}
	for _, g := range c.Vendors {
		v.Vendors = append(v.Vendors, cartVendorView{Vendor: g.VendorSlug, Items: g.Items, WeightGrams: g.WeightGrams})
	}
	return v
}

type orderLineView struct {
	ProductID int64       `json:"product_id"`
	Variant   string      `json:"variant"`
	Title     string      `json:"title"`
	Quantity  int         `json:"quantity"`
	UnitPrice money.Money `json:"unit_price"`
	Total     money.Money `json:"total"`
	VATRateBP int         `json:"vat_rate_bp"`
	VAT       money.Money `json:"vat"`
}

type vendorOrderView struct {
	ID             int64           `json:"id"`
	Number         string          `json:"number"`
	Vendor         string          `json:"vendor"`
	Status         order.Status    `json:"status"`
	Carrier        string          `json:"carrier"`
	TrackingNumber string          `json:"tracking_number"`
	Items          money.Money     `json:"items"`
	Shipping       money.Money     `json:"shipping"`
	VAT            money.Money     `json:"vat"`
	WeightGrams    int             `json:"weight_grams"`
	Lines          []orderLineView `json:"lines"`
}

type cmiFormView struct {
	URL    string            `json:"url"`
	Fields map[string]string `json:"fields"`
}

type paymentView struct {
	Method   string      `json:"method"`
	Status   string      `json:"status"`
	Amount   money.Money `json:"amount"`
	Refunded money.Money `json:"refunded"`
	// For a pending Stripe payment: what Stripe.js confirms the card with.
	ClientSecret string `json:"client_secret,omitempty"`
	// For a pending CMI payment: the signed form to post to CMI's page.
	CMI *cmiFormView `json:"cmi,omitempty"`
}

type eventView struct {
	VendorOrderID int64        `json:"vendor_order_id"`
	From          order.Status `json:"from"`
	To            order.Status `json:"to"`
	Actor         string       `json:"actor"`
	Note          string       `json:"note,omitempty"`
	At            time.Time    `json:"at"`
}

type vatView struct {
	RateBP int         `json:"rate_bp"`
	Gross  money.Money `json:"gross"`
	VAT    money.Money `json:"vat"`
}

type orderView struct {
	ID            int64             `json:"id"`
	Number        string            `json:"number"`
	Status        order.Status      `json:"status"`
	Email         string            `json:"email"`
	Phone         string            `json:"phone"`
	Address       order.Address     `json:"address"`
	PaymentMethod string            `json:"payment_method"`
	Items         money.Money       `json:"items"`
	Shipping      money.Money       `json:"shipping"`
	VAT           money.Money       `json:"vat"`
	Total         money.Money       `json:"total"`
	VATBreakdown  []vatView         `json:"vat_breakdown"`
	VendorOrders  []vendorOrderView `json:"vendor_orders"`
	Payment       paymentView       `json:"payment"`
	Events        []eventView       `json:"events"`
	HoldUntil     *time.Time        `json:"hold_until"`
	CreatedAt     time.Time         `json:"created_at"`
	// Link is the order's page, signed: whoever holds it sees the order
	// (how a guest comes back to it).
	Link string `json:"link"`
}

func vendorOrderJSON(vo order.VendorOrder) vendorOrderView {
	x := vendorOrderView{ID: vo.ID, Number: vo.Number, Vendor: vo.VendorSlug, Status: vo.Status, Carrier: vo.Carrier,
		TrackingNumber: vo.Tracking, Items: vo.Items, Shipping: vo.Shipping, VAT: vo.VAT, WeightGrams: vo.WeightGrams,
		Lines: []orderLineView{}}
	for _, l := range vo.Lines {
		x.Lines = append(x.Lines, orderLineView{ProductID: l.ProductID, Variant: l.SKU, Title: l.Title, Quantity: l.Quantity,
			UnitPrice: l.Unit, Total: l.Total, VATRateBP: l.VATRateBP, VAT: l.VAT})
	}
	return x
}

// orderJSON shows an order; a pending card payment carries what the client
// needs to pay it (Stripe's client secret, CMI's signed form).
func (s *Server) orderJSON(r *http.Request, o order.Order) (orderView, error) {
	v := orderView{ID: o.ID, Number: o.Number, Status: o.Status, Email: o.Email, Phone: o.Phone, Address: o.Address,
		PaymentMethod: o.PaymentMethod, Items: o.Items, Shipping: o.Shipping, VAT: o.VAT, Total: o.Total,
		VATBreakdown: []vatView{}, VendorOrders: []vendorOrderView{}, Events: []eventView{}, HoldUntil: o.HoldUntil,
		CreatedAt: o.CreatedAt, Link: s.Orders.OrderURL(o),
		Payment: paymentView{Method: o.Payment.Method, Status: o.Payment.Status, Amount: o.Payment.Amount, Refunded: o.Payment.Refunded}}
	for _, b := range o.VATBreakdown() {
		v.VATBreakdown = append(v.VATBreakdown, vatView{RateBP: b.RateBP, Gross: b.Gross, VAT: b.VAT})
	}
	for _, vo := range o.Vendors {
		v.VendorOrders = append(v.VendorOrders, vendorOrderJSON(vo))
	}
	for _, e := range o.Events {
		v.Events = append(v.Events, eventView{VendorOrderID: e.VendorOrderID, From: e.From, To: e.To, Actor: e.Actor, Note: e.Note, At: e.At})
	}
	switch {
	case o.Payment.Status != order.PaymentPending:
	case o.PaymentMethod == order.Stripe:
		v.Payment.ClientSecret = o.Payment.ClientSecret
	case o.PaymentMethod == order.CMI:
		form, err := s.Orders.CMIPayment(r.Context(), o, locale(r))
		if err != nil {
			return v, err
		}
		f := &cmiFormView{URL: form.URL, Fields: map[string]string{}}
		for k := range form.Fields {
			f.Fields[k] = form.Fields.Get(k)
		}
		v.Payment.CMI = f
	}
	return v, nil
}

type newCartRequest struct {
	Channel string `json:"channel"`
}

func (s *Server) createCart(w http.ResponseWriter, r *http.Request) error {
	var in newCartRequest
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	c, err := s.Orders.NewCart(r.Context(), viewer(r), in.Channel)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/carts/"+c.ID)
	return writeJSON(w, http.StatusCreated, cartJSON(c, locale(r)))
}

func (s *Server) getCart(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Orders.Cart(r.Context(), viewer(r), r.PathValue("cart"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cartJSON(c, locale(r)))
}

type cartItemRequest struct {
	Product  string `json:"product"` // id or slug
	Variant  string `json:"variant"` // SKU
	Quantity *int   `json:"quantity"`
}

// addCartItem adds quantity of a variant to the cart (to what is there).
func (s *Server) addCartItem(w http.ResponseWriter, r *http.Request) error {
	var in cartItemRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	f := errs.Fields{}
	if strings.TrimSpace(in.Product) == "" {
		f.Add("product", "field.required")
	}
	if in.Quantity == nil {
		f.Add("quantity", "field.required")
	} else if *in.Quantity <= 0 {
		f.Add("quantity", "field.positive")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.putItem(w, r, in.Product, in.Variant, *in.Quantity, true, http.StatusCreated)
}

type setQuantityRequest struct {
	Quantity *int `json:"quantity"`
}

// setCartItem sets a line's quantity; 0 removes it.
func (s *Server) setCartItem(w http.ResponseWriter, r *http.Request) error {
	var in setQuantityRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Quantity == nil {
		return errs.Fields{"quantity": "field.required"}.Err()
	}
	return s.putItem(w, r, r.PathValue("product"), r.PathValue("variant"), *in.Quantity, false, http.StatusOK)
}

func (s *Server) deleteCartItem(w http.ResponseWriter, r *http.Request) error {
	return s.putItem(w, r, r.PathValue("product"), r.PathValue("variant"), 0, false, http.StatusOK)
}

func (s *Server) putItem(w http.ResponseWriter, r *http.Request, product, sku string, quantity int, add bool, status int) error {
	by := viewer(r)
	variant, err := s.Catalog.FindVariant(r.Context(), product, sku)
	if errs.Is(err, errs.NotFound) && add { // named in the body, not the path
		return errs.Fields{"product": "field.not_found"}.Err()
	}
	if err != nil {
		return err
	}
	c, err := s.Orders.SetItem(r.Context(), by, r.PathValue("cart"), variant, quantity, add)
	if err != nil {
		return err
	}
	return writeJSON(w, status, cartJSON(c, locale(r)))
}

type checkoutRequest struct {
	Email         string            `json:"email"`
	Phone         string            `json:"phone"`
	Address       addressRequest    `json:"address"`
	PaymentMethod string            `json:"payment_method"`
	Shipping      map[string]string `json:"shipping"`
	// ExpectedTotal, when given, is the total (in centimes) the customer
	// saw: a different one now stops the order (409).
	ExpectedTotal *int64 `json:"expected_total"`
}

type addressRequest struct {
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// checkout places the order. The same Idempotency-Key answers the same
// order again (200 instead of 201).
func (s *Server) checkout(w http.ResponseWriter, r *http.Request) error {
	var in checkoutRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	a := in.Address
	o, created, err := s.Orders.Checkout(r.Context(), viewer(r), r.PathValue("cart"), r.Header.Get("Idempotency-Key"), order.CheckoutInput{
		Email: in.Email, Phone: in.Phone, PaymentMethod: in.PaymentMethod, Shipping: in.Shipping, Locale: locale(r),
		ExpectedTotal: in.ExpectedTotal,
		Address:       order.Address{Name: a.Name, Line1: a.Line1, Line2: a.Line2, City: a.City, PostalCode: a.PostalCode, Country: a.Country},
	})
	if err != nil {
		return err
	}
	if o.PaymentMethod == order.Stripe {
		if o, err = s.Orders.StartStripe(r.Context(), o); err != nil {
			s.Log.Warn("stripe payment not started; the order page retries", "order", o.Number, "err", err)
		}
	}
	v, err := s.orderJSON(r, o)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/api/v1/orders/"+strconv.FormatInt(o.ID, 10))
	return writeJSON(w, status, v)
}

// orderFor finds the order in the path for the signed-in owner or an
// operator, or for the holder of its signed link (?token=).
func (s *Server) orderFor(r *http.Request) (order.Order, error) {
	id := r.PathValue("order")
	if token := r.URL.Query().Get("token"); token != "" {
		return s.Orders.OrderByLink(r.Context(), id, token)
	}
	return s.Orders.Get(r.Context(), viewer(r), id)
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) error {
	o, err := s.orderFor(r)
	if err != nil {
		return err
	}
	if o.PaymentMethod == order.Stripe {
		if o, err = s.Orders.StartStripe(r.Context(), o); err != nil {
			return err
		}
	}
	v, err := s.orderJSON(r, o)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

type orderList struct {
	Items []orderView `json:"items"`
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	list, err := s.Orders.Orders(r.Context(), by, 50)
	if err != nil {
		return err
	}
	out := orderList{Items: []orderView{}}
	for _, o := range list {
		full, err := s.Orders.Get(r.Context(), by, strconv.FormatInt(o.ID, 10))
		if err != nil {
			return err
		}
		v, err := s.orderJSON(r, full)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, v)
	}
	return writeJSON(w, http.StatusOK, out)
}

type noteRequest struct {
	Note string `json:"note"`
}

func (s *Server) cancelOrder(w http.ResponseWriter, r *http.Request) error {
	return s.withNote(w, r, s.Orders.CancelOrder)
}

func (s *Server) confirmOrder(w http.ResponseWriter, r *http.Request) error {
	return s.withNote(w, r, s.Orders.ConfirmOrder)
}

// withNote runs an action on the order in the path, with the optional
// {"note"} of the body, as the signed-in caller.
func (s *Server) withNote(w http.ResponseWriter, r *http.Request,
	action func(ctx context.Context, by auth.User, idOrNumber, note string) (order.Order, error)) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	var in noteRequest
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	o, err := action(r.Context(), by, r.PathValue("order"), in.Note)
	if err != nil {
		return err
	}
	return s.writeOrder(w, r, o)
}

func (s *Server) codCollected(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	o, err := s.Orders.CODCollected(r.Context(), by, r.PathValue("order"))
	if err != nil {
		return err
	}
	return s.writeOrder(w, r, o)
}

type refundRequest struct {
	Amount *int64 `json:"amount"`
	Reason string `json:"reason"`
}

func (s *Server) refund(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	var in refundRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Amount == nil {
		return errs.Fields{"amount": "field.required"}.Err()
	}
	o, err := s.Orders.Refund(r.Context(), by, r.PathValue("order"), *in.Amount, in.Reason)
	if err != nil {
		return err
	}
	return s.writeOrder(w, r, o)
}

type vendorOrderStatusRequest struct {
	Status         order.Status `json:"status"`
	Note           string       `json:"note"`
	TrackingNumber string       `json:"tracking_number"`
}

// setVendorOrderStatus moves one vendor's part of an order (pack, ship with
// a tracking number, deliver, cancel…).
func (s *Server) setVendorOrderStatus(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	var in vendorOrderStatusRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if !in.Status.Valid() || in.Status == order.Placed { // no move leads back to placed
		return errs.Fields{"status": "field.enum"}.Err()
	}
	id, err := strconv.ParseInt(r.PathValue("vendor_order"), 10, 64)
	if err != nil {
		return notFound("order")
	}
	o, err := s.Orders.Move(r.Context(), by, id, in.Status, in.Note, in.TrackingNumber)
	if err != nil {
		return err
	}
	// The part moved, not the whole order: a vendor sees its own parcel only.
	for _, vo := range o.Vendors {
		if vo.ID == id {
			return writeJSON(w, http.StatusOK, vendorOrderJSON(vo))
		}
	}
	return notFound("order")
}

func (s *Server) writeOrder(w http.ResponseWriter, r *http.Request, o order.Order) error {
	v, err := s.orderJSON(r, o)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// cmiCallback is CMI's server-to-server notification. The answer is the
// plain-text word the protocol wants; errors are logged, never shown.
func (s *Server) cmiCallback(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return errs.E(errs.Invalid, badRequestMessage)
	}
	answer, err := s.Orders.CMICallback(r.Context(), r.PostForm)
	if err != nil {
		s.Log.Warn("CMI callback refused", "oid", r.PostForm.Get("oid"), "err", err)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, answer)
	return nil
}

// stripeWebhook applies a Stripe event whose signature holds; a bad
// signature is 400 and changes nothing, a failure to apply is 500 so that
// Stripe sends it again.
func (s *Server) stripeWebhook(w http.ResponseWriter, r *http.Request) error {
	client := s.Orders.StripeClient()
	if client == nil {
		return notFound("route")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 256<<10))
	if err != nil {
		return errs.E(errs.Invalid, badRequestMessage)
	}
	ev, err := client.ParseWebhook(body, r.Header.Get("Stripe-Signature"), time.Now())
	if err != nil {
		if errors.Is(err, stripepay.ErrBadSignature) {
			return errs.Wrap(errs.Invalid, "payment.bad_callback", err)
		}
		return err
	}
	if err := s.Orders.StripeWebhook(r.Context(), ev); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]bool{"received": true})
}

type parcelView struct {
	vendorOrderView
	Order         string        `json:"order"`
	PlacedAt      time.Time     `json:"placed_at"`
	Address       order.Address `json:"address"`
	Phone         string        `json:"phone"`
	PaymentMethod string        `json:"payment_method"`
	PaymentStatus string        `json:"payment_status"`
	Collect       money.Money   `json:"collect"`
}

// listVendorOrders lists parcels to ship: a vendor's users their own
// vendor's, operators any vendor's (?vendor=).
func (s *Server) listVendorOrders(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	var vendorID int64
	if v := r.URL.Query().Get("vendor"); v != "" {
		got, err := s.Vendors.Get(r.Context(), by, v)
		if errs.Is(err, errs.NotFound) {
			return errs.Fields{"vendor": "field.not_found"}.Err()
		}
		if err != nil {
			return err
		}
		vendorID = got.ID
	}
	list, err := s.Orders.VendorOrders(r.Context(), by, vendorID, order.Status(r.URL.Query().Get("status")), 50)
	if err != nil {
		return err
	}
	out := struct {
		Items []parcelView `json:"items"`
	}{Items: []parcelView{}}
	for _, p := range list {
		out.Items = append(out.Items, parcelView{vendorOrderView: vendorOrderJSON(p.VendorOrder), Order: p.OrderNumber, PlacedAt: p.PlacedAt,
			Address: p.Address, Phone: p.Phone, PaymentMethod: p.PaymentMethod, PaymentStatus: p.PaymentStatus, Collect: p.Collect})
	}
	return writeJSON(w, http.StatusOK, out)
}
