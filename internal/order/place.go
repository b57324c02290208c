package order

import (
	"context"
	"fmt"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/i18n"
	"souk/internal/money"
)

// draft builds the order a checkout will insert, every amount computed.
func (s *Service) draft(c Cart, parcels []parcel, in CheckoutInput, key string, by auth.User, st Settings) Order {
	now := s.now().UTC()
	customer := c.UserID // the cart's customer; a guest cart is the signed-in buyer's, if any
	if customer == 0 {
		customer = by.ID
	}
	o := Order{Number: newOrderNumber(now), Status: Placed, UserID: customer, Channel: c.Channel, Locale: in.Locale,
		Email: in.Email, Phone: in.Phone, Address: in.Address, PaymentMethod: in.PaymentMethod,
		Items: money.Dirhams(0), Shipping: money.Dirhams(0), VAT: money.Dirhams(0), CreatedAt: now,
		cartID: c.ID, idempotencyKey: key}
	if in.PaymentMethod == COD && !st.CODConfirmation {
		o.Status = Confirmed
	}
	if in.PaymentMethod != COD {
		hold := now.Add(st.CardHold)
		o.HoldUntil = &hold
	}
	for i := range parcels {
		p := &parcels[i]
		p.number = fmt.Sprintf("%s-%d", o.Number, i+1)
		v := VendorOrder{Number: p.number, VendorID: p.group.VendorID, VendorSlug: p.group.VendorSlug, Status: o.Status,
			Carrier: p.quote.Carrier, Items: money.Dirhams(0), Shipping: money.Dirhams(p.quote.Amount),
			VAT: money.Dirhams(vatIncluded(p.quote.Amount, ShippingVATBP)), WeightGrams: p.group.WeightGrams}
		for _, li := range p.group.Lines {
			l := c.Lines[li]
			title, _, _ := i18n.Pick(l.Titles, in.Locale)
			if l.Label != "" {
				title += " — " + l.Label
			}
			ol := OrderLine{ProductID: l.ProductID, VariantID: l.VariantID, SKU: l.SKU, Title: title, Quantity: l.Quantity,
				Unit: l.Price, Total: l.Total, VATRateBP: l.VATRateBP, WeightGrams: l.WeightGrams * l.Quantity, VAT: money.Dirhams(vatIncluded(l.Total.Amount, l.VATRateBP))}
			v.Lines = append(v.Lines, ol)
			v.Items.Amount += ol.Total.Amount
			v.VAT.Amount += ol.VAT.Amount
		}
		o.Vendors = append(o.Vendors, v)
		o.Items.Amount += v.Items.Amount
		o.Shipping.Amount += v.Shipping.Amount
		o.VAT.Amount += v.VAT.Amount
	}
	o.Total = money.Dirhams(o.Items.Amount + o.Shipping.Amount)
	o.Payment = Payment{Method: in.PaymentMethod, Status: PaymentPending, Amount: o.Total, Refunded: money.Dirhams(0), Reference: o.Number}
	return o
}

// insertOrder writes a drafted order, its vendor orders, lines, events and
// payment, and the customer's e-mail, in tx; ids are filled in.
func (s *Service) insertOrder(ctx context.Context, tx db.Querier, o *Order, parcels []parcel) error {
	var user any
	if o.UserID != 0 {
		user = o.UserID
	}
	a := o.Address
	err := tx.QueryRowContext(ctx, `INSERT INTO orders (number, cart_id, idempotency_key, user_id, channel, locale, email, phone,
		ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country, status, payment_method,
		items_amount, shipping_amount, vat_amount, total_amount, currency, hold_until, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		o.Number, o.cartID, o.idempotencyKey, user, o.Channel, o.Locale, o.Email, o.Phone, a.Name, a.Line1, a.Line2, a.City,
		a.Region, a.PostalCode, a.Country, o.Status, o.PaymentMethod, o.Items.Amount, o.Shipping.Amount, o.VAT.Amount,
		o.Total.Amount, o.Total.Currency, o.HoldUntil, o.CreatedAt, o.CreatedAt).Scan(&o.ID)
	if err != nil {
		return err
	}
	rows := make([][]any, len(o.Vendors))
	for i, v := range o.Vendors {
		rows[i] = []any{o.ID, v.VendorID, v.Number, v.Status, v.Carrier, v.Items.Amount, v.Shipping.Amount, v.VAT.Amount,
			v.WeightGrams, o.CreatedAt, o.CreatedAt}
	}
	ids, err := db.InsertRows(ctx, tx, "vendor_orders", []string{"order_id", "vendor_id", "number", "status", "carrier_code",
		"items_amount", "shipping_amount", "vat_amount", "weight_grams", "created_at", "updated_at"}, rows, "id", "number")
	if err != nil {
		return err
	}
	byNumber := map[string]int64{}
	for _, r := range ids {
		byNumber[asString(r[1])] = asInt64(r[0])
	}
	var lines, events [][]any
	for i := range o.Vendors {
		v := &o.Vendors[i]
		v.ID = byNumber[v.Number]
		for _, l := range v.Lines {
			lines = append(lines, []any{o.ID, v.ID, l.ProductID, l.VariantID, l.SKU, l.Title, l.Quantity, l.Unit.Amount,
				l.VATRateBP, l.Total.Amount, l.VAT.Amount, l.WeightGrams})
		}
	}
	var customer any
	if o.UserID != 0 {
		customer = o.UserID
	}
	for _, v := range o.Vendors {
		o.Events = append(o.Events, Event{VendorOrderID: v.ID, To: Placed, Actor: "customer", ActorUserID: o.UserID, At: o.CreatedAt})
		events = append(events, []any{o.ID, v.ID, "", string(Placed), customer, "customer", "", o.CreatedAt})
		if o.Status == Confirmed {
			o.Events = append(o.Events, Event{VendorOrderID: v.ID, From: Placed, To: Confirmed, Actor: "system", At: o.CreatedAt})
			events = append(events, []any{o.ID, v.ID, string(Placed), string(Confirmed), nil, "system", "", o.CreatedAt})
		}
	}
	if _, err := db.InsertRows(ctx, tx, "order_lines", []string{"order_id", "vendor_order_id", "product_id", "variant_id",
		"sku", "title", "quantity", "unit_amount", "vat_rate_bp", "line_amount", "vat_amount", "weight_grams"}, lines); err != nil {
		return err
	}
	if _, err := db.InsertRows(ctx, tx, "order_events", []string{"order_id", "vendor_order_id", "from_status", "to_status",
		"actor_user_id", "actor", "note", "created_at"}, events); err != nil {
		return err
	}
	p := &o.Payment
	err = tx.QueryRowContext(ctx, `INSERT INTO payments (order_id, method, status, amount, currency, reference, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, o.ID, p.Method, p.Status, p.Amount.Amount, p.Amount.Currency,
		p.Reference, o.CreatedAt, o.CreatedAt).Scan(&p.ID)
	if err != nil {
		return err
	}
	return s.tell(ctx, tx, *o, "placed")
}

func asInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}
