package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/order"
	"souk/internal/vendor"
)

// The operator console's orders across vendors: the list with its filters,
// one order with its customer, payment and parcels, and what an operator
// does to it — move a parcel as the state machine allows, record the cash
// a carrier collected, refund, cancel — and the customers with their
// orders (admin_customers.go).
//
// Refunds are for admins only: they send money out of the marketplace
// (through Stripe at once, or after a bank transfer for CMI and cash) and
// cannot be undone, so they stay with the people who answer for the
// accounts; moderators, who run the day's orders, see what is refundable
// and the refunds made, and ask an admin.

func (s *Server) adminOrderRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/admin/orders", Access: operators, Handle: s.adminOrders, Nav: "moderation.nav_orders"},
		{Method: "GET", Pattern: "/admin/orders/{number}", Access: operators, Handle: s.adminOrder},
		{Method: "POST", Pattern: "/admin/orders/{number}/parcels/{parcel}/move", Access: operators, Handle: s.adminOrderAct(aoMove)},
		{Method: "POST", Pattern: "/admin/orders/{number}/cod-collected", Access: operators, Handle: s.adminOrderAct(aoCOD)},
		{Method: "POST", Pattern: "/admin/orders/{number}/refund", Access: admins, Handle: s.adminOrderAct(aoRefund)},
		{Method: "POST", Pattern: "/admin/orders/{number}/cancel", Access: operators, Handle: s.adminOrderAct(aoCancel)},
		{Method: "GET", Pattern: "/admin/customers", Access: operators, Handle: s.adminCustomers, Nav: "moderation.nav_customers"},
		{Method: "GET", Pattern: "/admin/customers/{customer}", Access: operators, Handle: s.adminCustomer},
	}
}

var _ = notice("moderation.moved", "moderation.cod_recorded", "moderation.refund_done", "moderation.cancel_done")

// aoRow is one order in a list.
type aoRow struct {
	Number, URL, Placed, Customer string
	Status, Badge                 string
	Method, Payment, Total        string
	Vendors                       []string
}

// statusBadge is the badge colour of an order status.
func statusBadge(s order.Status) string {
	switch s {
	case order.Cancelled, order.ReturnRequested, order.Returned, order.Refunded:
		return "bad"
	case order.Delivered, order.Completed:
		return "ok"
	case order.Placed:
		return "warn"
	}
	return ""
}

func paymentText(loc string, o order.Order) string {
	if o.PaymentMethod == order.COD && o.Payment.Status == order.PaymentPending {
		return i18n.T(loc, "shop.payment.cod_pending", nil)
	}
	return i18n.T(loc, "shop.payment."+o.Payment.Status, nil)
}

func (s *Server) aoRows(r *http.Request, loc string, orders []order.Order) []aoRow {
	var out []aoRow
	for _, o := range orders {
		row := aoRow{Number: o.Number, URL: "/admin/orders/" + url.PathEscape(o.Number), Placed: when(o.CreatedAt), Customer: o.Email,
			Status: i18n.T(loc, "shop.status."+string(o.Status), nil), Badge: statusBadge(o.Status),
			Method: i18n.T(loc, "shop.method."+o.PaymentMethod, nil), Payment: paymentText(loc, o), Total: i18n.FormatMoney(loc, o.Total)}
		for _, v := range o.Vendors {
			row.Vendors = append(row.Vendors, s.vendorName(r, loc, v.VendorSlug))
		}
		out = append(out, row)
	}
	return out
}

// aoSelect is a select of a filter or form.
type aoSelect struct {
	ID, Name, Label, Error string
	Choices                []choice
}

type aoListData struct {
	Filters  []aoSelect
	From, To formField
	Q        formField
	Problems []problem
	Rows     []aoRow
	Total    int
	Reset    string
	Prev     string
	Next     string
}

// adminOrders lists orders across vendors, newest first. A filter value
// that cannot be read is named beside its field and ignored.
func (s *Server) adminOrders(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx, q, loc := r.Context(), r.URL.Query(), c.Loc
	f := order.AdminFilter{Q: strings.TrimSpace(q.Get("q"))}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	d := aoListData{Reset: "/admin/orders",
		From: formField{ID: "from", Name: "from", Label: i18n.T(loc, "moderation.from", nil), Type: "date", Value: q.Get("from"), Dir: "ltr"},
		To:   formField{ID: "to", Name: "to", Label: i18n.T(loc, "moderation.to", nil), Type: "date", Value: q.Get("to"), Dir: "ltr"},
		Q: formField{ID: "q", Name: "q", Label: i18n.T(loc, "moderation.search_orders", nil), Type: "search", Value: f.Q,
			Dir: "auto", Autocomplete: "off"}}
	bad := map[string]string{}
	status := aoSelect{ID: "status", Name: "status", Label: i18n.T(loc, "shop.status", nil),
		Choices: []choice{{Value: "", Label: i18n.T(loc, "moderation.any_status", nil)}}}
	for _, st := range []order.Status{order.Placed, order.Confirmed, order.Packed, order.Shipped, order.Delivered, order.Completed,
		order.ReturnRequested, order.Returned, order.Refunded, order.Cancelled} {
		sel := q.Get("status") == string(st)
		if sel {
			f.Status = st
		}
		status.Choices = append(status.Choices, choice{Value: string(st), Label: i18n.T(loc, "shop.status."+string(st), nil), Selected: sel})
	}
	if v := q.Get("status"); v != "" && f.Status == "" {
		bad["status"] = "field.enum"
	}
	method := aoSelect{ID: "method", Name: "method", Label: i18n.T(loc, "moderation.method", nil),
		Choices: []choice{{Value: "", Label: i18n.T(loc, "moderation.any_method", nil)}}}
	for _, m := range order.Methods {
		sel := q.Get("method") == m
		if sel {
			f.Method = m
		}
		method.Choices = append(method.Choices, choice{Value: m, Label: i18n.T(loc, "shop.method."+m, nil), Selected: sel})
	}
	if v := q.Get("method"); v != "" && f.Method == "" {
		bad["method"] = "field.enum"
	}
	vendors, _, err := s.Vendors.List(ctx, c.User, vendor.Filter{PerPage: 100})
	if err != nil {
		return err
	}
	vsel := aoSelect{ID: "vendor", Name: "vendor", Label: i18n.T(loc, "moderation.vendor", nil),
		Choices: []choice{{Value: "", Label: i18n.T(loc, "moderation.all_vendors", nil)}}}
	for _, v := range vendors {
		id := strconv.FormatInt(v.ID, 10)
		sel := q.Get("vendor") == id
		if sel {
			f.VendorID = v.ID
		}
		vsel.Choices = append(vsel.Choices, choice{Value: id, Label: v.DisplayName(loc), Selected: sel})
	}
	if v := q.Get("vendor"); v != "" && f.VendorID == 0 {
		bad["vendor"] = "field.not_found"
	}
	f.From, f.To = dayRange(q.Get("from"), q.Get("to"), bad)
	d.Filters = []aoSelect{status, vsel, method}
	for i := range d.Filters {
		if key, ok := bad[d.Filters[i].Name]; ok {
			d.Filters[i].Error = i18n.T(loc, "shop.field_error", map[string]any{"field": d.Filters[i].Label, "problem": i18n.T(loc, key, nil)})
			d.Problems = append(d.Problems, problem{ID: d.Filters[i].ID, Text: d.Filters[i].Error})
		}
	}
	d.Problems = append(d.Problems, fieldProblems(loc, bad, []*formField{&d.From, &d.To})...)
	page, err := s.Orders.AdminOrders(ctx, c.User, f)
	if err != nil {
		return err
	}
	d.Total = page.Total
	d.Rows = s.aoRows(r, loc, page.Orders)
	if page.Page > 1 {
		d.Prev = pageURL(r, page.Page-1)
	}
	if page.Page*page.PerPage < page.Total {
		d.Next = pageURL(r, page.Page+1)
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_orders", i18n.T(loc, "moderation.orders_title", nil), d)
}

// aoEvent is one line of an order's history.
type aoEvent struct {
	When, Parcel, Text, Note string
}

type aoLine struct {
	Title, SKU  string
	Quantity    int
	Unit, Total string
}

// aoParcel is one vendor's parcel with the form that moves it.
type aoParcel struct {
	ID                        int64
	Number, Vendor, VendorURL string
	Status, Badge             string
	Carrier, Tracking         string
	Items, Shipping, Weight   string
	Lines                     []aoLine
	History                   []aoEvent
	MoveURL                   string
	To                        aoSelect // "" when the parcel's status is final
	Note, TrackingField       formField
	CanShip                   bool
	Message                   string // what stopped the last move of this parcel
	Problems                  []problem
}

type aoPayEvent struct{ When, Source, Kind, Amount, Detail string }

type aoRefundRow struct{ When, Amount, Reason, Reference string }

type aoOrderData struct {
	Number, Status, Badge, Placed   string
	Channel, Language               string
	Name, Email, Phone, CustomerURL string
	AddressLines                    []string
	Items, Shipping, VAT, Total     string
	Method, Payment, Paid, Refunded string
	Reference                       string
	Refundable                      string
	HasRefundable                   bool
	PayEvents                       []aoPayEvent
	Refunds                         []aoRefundRow
	Parcels                         []aoParcel
	History                         []aoEvent
	CanCOD, CanRefund, IsAdmin      bool
	CanCancel                       bool
	CODURL, RefundURL, CancelURL    string
	CODAmount                       formField
	RefundAmount                    formField
	RefundReason, CancelReason      formField
	Message                         string // what stopped the last action
	Problems                        []problem
	Action                          string // the form the problems belong to
}

// adminOrder shows one order to an operator.
func (s *Server) adminOrder(w http.ResponseWriter, r *http.Request, c bo) error {
	d, err := s.aoOrder(r, c)
	if err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_order", i18n.T(c.Loc, "shop.order_title", map[string]any{"number": d.Number}), d)
}

func (s *Server) aoOrder(r *http.Request, c bo) (aoOrderData, error) {
	ctx, loc := r.Context(), c.Loc
	o, err := s.Orders.Get(ctx, c.User, r.PathValue("number"))
	if err != nil {
		return aoOrderData{}, err
	}
	pay, err := s.Orders.PaymentHistory(ctx, c.User, o.Number)
	if err != nil {
		return aoOrderData{}, err
	}
	t := func(key string) string { return i18n.T(loc, key, nil) }
	base := "/admin/orders/" + url.PathEscape(o.Number)
	d := aoOrderData{Number: o.Number, Status: t("shop.status." + string(o.Status)), Badge: statusBadge(o.Status), Placed: when(o.CreatedAt),
		Channel: t("bo.channel_" + o.Channel), Language: localeNames[o.Locale], Name: o.Address.Name, Email: o.Email, Phone: o.Phone,
		AddressLines: addressLines(loc, o.Address), Items: i18n.FormatMoney(loc, o.Items), Shipping: i18n.FormatMoney(loc, o.Shipping),
		VAT: i18n.FormatMoney(loc, o.VAT), Total: i18n.FormatMoney(loc, o.Total), Method: t("shop.method." + o.PaymentMethod),
		Payment: paymentText(loc, o), Paid: i18n.FormatMoney(loc, o.Payment.Amount), Refunded: i18n.FormatMoney(loc, o.Payment.Refunded),
		Reference: o.Payment.Reference, Refundable: i18n.FormatMoney(loc, pay.Refundable), HasRefundable: pay.Refundable.Amount > 0,
		IsAdmin: c.User.Role == auth.RoleAdmin, CODURL: base + "/cod-collected", RefundURL: base + "/refund", CancelURL: base + "/cancel"}
	if o.UserID != 0 {
		d.CustomerURL = "/admin/customers/" + strconv.FormatInt(o.UserID, 10)
	}
	d.CanCOD = o.PaymentMethod == order.COD && o.Payment.Status == order.PaymentPending && o.Status != order.Cancelled
	d.CanRefund = d.IsAdmin && d.HasRefundable
	for _, v := range o.Vendors {
		if v.Status != order.Cancelled && slices.Contains(order.NextStatuses(v.Status), order.Cancelled) {
			d.CanCancel = true
		}
	}
	d.CODAmount = formField{ID: "cod-amount", Name: "amount", Label: t("moderation.cod_amount"), Type: "text", Dir: "ltr", Required: true,
		Autocomplete: "off", Inputs: "decimal", Help: i18n.T(loc, "moderation.cod_help", map[string]any{"total": d.Total})}
	d.RefundAmount = formField{ID: "refund-amount", Name: "amount", Label: t("moderation.refund_amount"), Type: "text", Dir: "ltr",
		Required: true, Autocomplete: "off", Inputs: "decimal", Help: i18n.T(loc, "moderation.refund_help", map[string]any{"left": d.Refundable})}
	d.RefundReason = formField{ID: "refund-reason", Name: "reason", Label: t("moderation.reason_plain"), Type: "text", Required: true, Dir: "auto"}
	d.CancelReason = formField{ID: "cancel-reason", Name: "reason", Label: t("moderation.cancel_reason"), Type: "text", Required: true,
		Dir: "auto", Help: t("moderation.cancel_help")}
	for _, e := range pay.Events {
		d.PayEvents = append(d.PayEvents, aoPayEvent{When: when(e.At), Source: e.Source, Kind: e.Kind, Amount: i18n.FormatMoney(loc, e.Amount),
			Detail: e.Detail})
	}
	for _, rf := range pay.Refunds {
		d.Refunds = append(d.Refunds, aoRefundRow{When: when(rf.At), Amount: i18n.FormatMoney(loc, rf.Amount), Reason: rf.Reason, Reference: rf.Reference})
	}
	numbers := map[int64]string{}
	for _, v := range o.Vendors {
		numbers[v.ID] = v.Number
	}
	events := map[int64][]aoEvent{}
	for _, e := range o.Events {
		actor := e.Actor
		if i18n.Has("en", "moderation.actor."+actor) {
			actor = t("moderation.actor." + actor)
		}
		ev := aoEvent{When: when(e.At), Parcel: numbers[e.VendorOrderID], Note: e.Note,
			Text: i18n.T(loc, "moderation.event_line", map[string]any{"from": t("shop.status." + string(e.From)), "to": t("shop.status." + string(e.To)),
				"actor": actor})}
		if e.From == "" {
			ev.Text = t("shop.status." + string(e.To))
		}
		d.History = append(d.History, ev)
		events[e.VendorOrderID] = append(events[e.VendorOrderID], ev)
	}
	for _, v := range o.Vendors {
		p := aoParcel{ID: v.ID, Number: v.Number, Vendor: s.vendorName(r, loc, v.VendorSlug), VendorURL: "/admin/vendors/" + strconv.FormatInt(v.VendorID, 10),
			Status: t("shop.status." + string(v.Status)), Badge: statusBadge(v.Status), Carrier: carrierName(loc, v.Carrier, v.Carrier),
			Tracking: v.Tracking, Items: i18n.FormatMoney(loc, v.Items), Shipping: i18n.FormatMoney(loc, v.Shipping),
			Weight: i18n.T(loc, "moderation.grams", map[string]any{"grams": v.WeightGrams}), History: events[v.ID],
			MoveURL: fmt.Sprintf("%s/parcels/%d/move", base, v.ID)}
		for _, l := range v.Lines {
			p.Lines = append(p.Lines, aoLine{Title: l.Title, SKU: l.SKU, Quantity: l.Quantity, Unit: i18n.FormatMoney(loc, l.Unit),
				Total: i18n.FormatMoney(loc, l.Total)})
		}
		if next := order.NextStatuses(v.Status); len(next) > 0 {
			p.To = aoSelect{ID: fmt.Sprintf("to-%d", v.ID), Name: "to", Label: t("moderation.move_to"),
				Choices: []choice{{Value: "", Label: t("moderation.choose")}}}
			for _, st := range next {
				p.To.Choices = append(p.To.Choices, choice{Value: string(st), Label: t("shop.status." + string(st))})
				p.CanShip = p.CanShip || st == order.Shipped
			}
		}
		p.Note = formField{ID: fmt.Sprintf("note-%d", v.ID), Name: "note", Label: t("moderation.note"), Type: "text", Dir: "auto"}
		p.TrackingField = formField{ID: fmt.Sprintf("tracking-%d", v.ID), Name: "tracking", Label: t("moderation.tracking"), Type: "text",
			Dir: "ltr", Autocomplete: "off", Value: v.Tracking, Help: t("moderation.tracking_help")}
		d.Parcels = append(d.Parcels, p)
	}
	return d, nil
}

// The operator's actions on an order.
const (
	aoMove   = "move"
	aoCOD    = "cod"
	aoRefund = "refund"
	aoCancel = "cancel"
)

// adminOrderAct runs one action on an order. Refused input comes back on
// the order's page with each problem beside its field (422); what cannot
// be done now (a move the state machine forbids, a payment not due) is
// said in words at the top of the form (409). Nothing changes then.
func (s *Server) adminOrderAct(action string) boHandler {
	return func(w http.ResponseWriter, r *http.Request, c bo) error {
		if err := r.ParseForm(); err != nil {
			return errs.E(errs.Invalid, "error.invalid")
		}
		ctx, loc, number := r.Context(), c.Loc, r.PathValue("number")
		form := r.PostForm
		var parcel int64
		var err error
		key := ""
		switch action {
		case aoMove:
			parcel, err = strconv.ParseInt(r.PathValue("parcel"), 10, 64)
			if err != nil {
				return errs.NotFoundE("order")
			}
			_, err = s.Orders.OperatorMove(ctx, c.User, number, parcel, order.Status(form.Get("to")), form.Get("note"), form.Get("tracking"))
			key = "moderation.moved"
		case aoCOD:
			err = s.aoCOD(r, c, number, form.Get("amount"))
			key = "moderation.cod_recorded"
		case aoRefund:
			var amount money.Money
			amount, err = aoAmount(form.Get("amount"))
			if err == nil {
				_, err = s.Orders.Refund(ctx, c.User, number, amount.Amount, form.Get("reason"))
			}
			key = "moderation.refund_done"
		case aoCancel:
			_, err = s.Orders.OperatorCancel(ctx, c.User, number, form.Get("reason"))
			key = "moderation.cancel_done"
		}
		if err == nil {
			return done(w, r, "/admin/orders/"+url.PathEscape(number), key)
		}
		var e *errs.Error
		gatewayDown := errors.As(err, &e) && e.Code == errs.Internal && e.Message == "payment.gateway_down"
		if gatewayDown {
			s.Log.Warn("refund: the card gateway failed", "order", number, "err", err)
		} else if e == nil || (e.Code != errs.Invalid && e.Code != errs.Conflict) {
			return err
		}
		d, lerr := s.aoOrder(r, c)
		if lerr != nil {
			return lerr
		}
		status := http.StatusUnprocessableEntity
		switch {
		case gatewayDown:
			status = http.StatusServiceUnavailable
		case e.Code != errs.Invalid:
			status = http.StatusConflict
		}
		message := aoErrorText(loc, e)
		d.Action = action
		switch action {
		case aoMove:
			for i := range d.Parcels {
				p := &d.Parcels[i]
				if p.ID != parcel {
					continue
				}
				for j := range p.To.Choices {
					p.To.Choices[j].Selected = p.To.Choices[j].Value == form.Get("to")
				}
				p.Note.Value, p.TrackingField.Value = form.Get("note"), form.Get("tracking")
				fields := renameFields(e.Fields, map[string]string{"tracking_number": "tracking"})
				if k, ok := fields["to"]; ok {
					p.To.Error = i18n.T(loc, "shop.field_error", map[string]any{"field": p.To.Label, "problem": i18n.T(loc, k, nil)})
					p.Problems = append(p.Problems, problem{ID: p.To.ID, Text: p.To.Error})
				}
				p.Problems = append(p.Problems, aoProblems(loc, e, fields, []*formField{&p.Note, &p.TrackingField})...)
				if len(p.Problems) == 0 {
					p.Message = message
				}
				d.Problems = p.Problems
			}
		case aoCOD:
			d.CODAmount.Value = form.Get("amount")
			d.Problems = aoProblems(loc, e, e.Fields, []*formField{&d.CODAmount})
		case aoRefund:
			d.RefundAmount.Value, d.RefundReason.Value = form.Get("amount"), form.Get("reason")
			d.Problems = aoProblems(loc, e, e.Fields, []*formField{&d.RefundAmount, &d.RefundReason})
		case aoCancel:
			d.CancelReason.Value = form.Get("reason")
			d.Problems = aoProblems(loc, e, e.Fields, []*formField{&d.CancelReason})
		}
		if len(d.Problems) == 0 {
			d.Message = message
		}
		return s.renderBO(w, r, c, status, "admin_order", i18n.T(loc, "shop.order_title", map[string]any{"number": d.Number}), d)
	}
}

// aoCOD records the cash a carrier collected, once the operator has typed
// the amount handed over and it is the order's total.
func (s *Server) aoCOD(r *http.Request, c bo, number, typed string) error {
	amount, err := aoAmount(typed)
	if err != nil {
		return err
	}
	o, err := s.Orders.Get(r.Context(), c.User, number)
	if err != nil {
		return err
	}
	if amount.Amount != o.Total.Amount {
		return errs.Fields{"amount": "moderation.cod_mismatch"}.Err()
	}
	_, err = s.Orders.CODCollected(r.Context(), c.User, number)
	return err
}

// aoAmount reads an amount of dirhams typed by an operator.
func aoAmount(typed string) (money.Money, error) {
	if strings.TrimSpace(typed) == "" {
		return money.Money{}, errs.Fields{"amount": "field.required"}.Err()
	}
	m, err := money.ParseDirhams(typed)
	if err != nil {
		return money.Money{}, errs.Fields{"amount": "moderation.amount_syntax"}.Err()
	}
	if m.Amount <= 0 {
		return money.Money{}, errs.Fields{"amount": "field.positive"}.Err()
	}
	return m, nil
}

// aoErrorText says why an action could not be taken, statuses in words.
func aoErrorText(loc string, e *errs.Error) string {
	if e.Message == "order.bad_transition" {
		args := map[string]any{}
		for _, k := range []string{"from", "to"} {
			args[k] = i18n.T(loc, "shop.status."+fmt.Sprint(e.Args[k]), nil)
		}
		return i18n.T(loc, e.Message, args)
	}
	return errorText(loc, e)
}

// aoProblems is fieldProblems for a domain error whose message is also a
// field's problem and carries arguments ("at most {left}").
func aoProblems(loc string, e *errs.Error, fields map[string]string, form []*formField) []problem {
	out := fieldProblems(loc, fields, form)
	for _, f := range form {
		if fields[f.Name] == e.Message && len(e.Args) > 0 {
			f.Error = i18n.T(loc, "shop.field_error", map[string]any{"field": f.Label, "problem": i18n.T(loc, e.Message, argsIn(loc, e.Args))})
			for i := range out {
				if out[i].ID == f.ID {
					out[i].Text = f.Error
				}
			}
		}
	}
	return out
}

// renameFields gives a domain's field names the form's names.
func renameFields(fields map[string]string, names map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		if n, ok := names[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}
