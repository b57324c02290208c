package order

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
	"souk/internal/payment/cmi"
	"souk/internal/payment/stripepay"
	"souk/internal/text"
)

// Payment statuses.
const (
	PaymentPending    = "pending"
	PaymentAuthorised = "authorised"
	PaymentCaptured   = "captured"
	PaymentFailed     = "failed"
	PaymentRefunded   = "refunded"
	PaymentCancelled  = "cancelled"
)

// Gateways are the card providers souk is configured with; either may be
// nil, and then that way to pay is not offered.
type Gateways struct {
	CMI    *cmi.Config
	Stripe *stripepay.Client
	// BaseURL is where souk is reached from outside (CMI's return and
	// callback addresses, links in e-mails).
	BaseURL string
}

// SetGateways configures the card providers.
func (s *Service) SetGateways(g Gateways) { s.gateways = g }

// StripeClient is the Stripe client, nil when Stripe is not configured.
func (s *Service) StripeClient() *stripepay.Client { return s.gateways.Stripe }

// Methods lists the ways to pay on offer.
func (s *Service) Methods() []string {
	out := []string{COD}
	if s.gateways.CMI != nil {
		out = append(out, CMI)
	}
	if s.gateways.Stripe != nil {
		out = append(out, Stripe)
	}
	return out
}

// paymentRow is a payment with its order's state, read in a transaction.
type paymentRow struct {
	id, orderID int64
	status      string
	amount      int64
	orderStatus Status
	method      string
}

func paymentByReference(ctx context.Context, tx db.Querier, method, ref string) (paymentRow, error) {
	var p paymentRow
	err := tx.QueryRowContext(ctx, `SELECT p.id, p.order_id, p.status, p.amount, o.status, p.method FROM payments p
		JOIN orders o ON o.id = p.order_id WHERE p.reference = ? AND p.method = ?`, ref, method).
		Scan(&p.id, &p.orderID, &p.status, &p.amount, &p.orderStatus, &p.method)
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.NotFoundE("order")
	}
	return p, err
}

// recordEvent keeps a gateway's notification; false when the same event was
// recorded before (a replay), which then changes nothing.
func (s *Service) recordEvent(ctx context.Context, tx db.Querier, paymentID int64, source, eventID, kind string, amount int64, detail string) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO payment_events (payment_id, source, event_id, kind, amount, detail, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING`,
		paymentID, source, eventID, kind, amount, detail, s.now().UTC())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// capture marks a card payment captured and confirms its order: the order
// keeps its stock for good.
func (s *Service) capture(ctx context.Context, tx db.Querier, p paymentRow, actor string) error {
	if err := lockOrder(ctx, tx, p.orderID); err != nil {
		return err
	}
	now := s.now().UTC()
	if _, err := tx.ExecContext(ctx, `UPDATE payments SET status = 'captured', updated_at = ? WHERE id = ?`, now, p.id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE orders SET hold_until = NULL, updated_at = ? WHERE id = ?`, now, p.orderID); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM vendor_orders WHERE order_id = ? AND status = 'placed'`, p.orderID)
	if err != nil {
		return err
	}
	var placed []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		placed = append(placed, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range placed {
		if err := s.move(ctx, tx, p.orderID, id, Placed, Confirmed, actor, 0, "", ""); err != nil {
			return err
		}
	}
	if err := s.postPaid(ctx, tx, p.orderID, p.method); err != nil {
		return err
	}
	o, err := s.load(ctx, tx, fmt.Sprint(p.orderID))
	if err != nil {
		return err
	}
	return s.tell(ctx, tx, o, "paid")
}

// CMIForm is what the browser posts to CMI's hosted payment page.
type CMIForm struct {
	URL    string
	Fields url.Values
}

// CMIPayment builds the signed form that sends the customer to CMI to pay
// an order, for whoever may see the order. CMI wants a new oid for each
// attempt: after a declined one, the payment's reference moves on
// (S261201-AB3CD, S261201-AB3CD-2, …) and the old one stops counting.
func (s *Service) CMIPayment(ctx context.Context, o Order, lang string) (CMIForm, error) {
	c := s.gateways.CMI
	if c == nil || o.PaymentMethod != CMI {
		return CMIForm{}, errs.E(errs.Conflict, "payment.not_card")
	}
	if o.Payment.Status != PaymentPending && o.Payment.Status != PaymentFailed {
		return CMIForm{}, errs.E(errs.Conflict, "payment.not_due")
	}
	if o.Payment.Status == PaymentFailed {
		attempt := 2
		if i := strings.LastIndex(o.Payment.Reference, "-"); i > len(o.Number)-1 {
			fmt.Sscan(o.Payment.Reference[i+1:], &attempt)
			attempt++
		}
		ref := fmt.Sprintf("%s-%d", o.Number, attempt)
		res, err := s.db.W.ExecContext(ctx, s.db.Rebind(`UPDATE payments SET reference = ?, status = 'pending', updated_at = ?
			WHERE id = ? AND status = 'failed' AND reference = ?`), ref, s.now().UTC(), o.Payment.ID, o.Payment.Reference)
		if err != nil {
			return CMIForm{}, fmt.Errorf("new cmi attempt: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return CMIForm{}, &errs.Error{Code: errs.Conflict, Message: "order.changed_meanwhile"}
		}
		o.Payment.Reference, o.Payment.Status = ref, PaymentPending
	}
	base := strings.TrimRight(s.gateways.BaseURL, "/")
	fields := c.Form(cmi.Payment{
		OrderID: o.Payment.Reference, Amount: o.Total.Amount,
		OkURL: base + "/payments/cmi/ok", FailURL: base + "/payments/cmi/fail", CallbackURL: base + "/payments/cmi/callback",
		ShopURL: s.OrderURL(o), Lang: lang, Email: o.Email, Name: o.Address.Name, Phone: o.Phone,
	}, cmi.RandomNonce())
	return CMIForm{URL: c.GatewayURL, Fields: fields}, nil
}

// CMICallback handles CMI's server-to-server notification and returns the
// body to answer, exactly as the protocol wants: ACTION=POSTAUTH captures an
// accepted payment, APPROVED acknowledges a declined one (or one that must
// not be captured: its order was cancelled meanwhile), FAILURE refuses a
// forged or mismatched post. Replays answer as the first time did and
// change nothing; a decline after an acceptance changes nothing.
func (s *Service) CMICallback(ctx context.Context, fields url.Values) (string, error) {
	c := s.gateways.CMI
	if c == nil {
		return cmi.AnswerFailure, errs.NotFoundE("payment")
	}
	cb, err := cmi.ParseCallback(fields, c.StoreKey)
	if err != nil {
		return cmi.AnswerFailure, errs.Wrap(errs.Invalid, "payment.bad_callback", err)
	}
	answer := cmi.AnswerFailure
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		p, err := paymentByReference(ctx, tx, CMI, cb.OrderID)
		if err != nil {
			return err
		}
		if cb.Amount != p.amount {
			return errs.E(errs.Invalid, "payment.amount_mismatch")
		}
		kind := "declined"
		if cb.Approved {
			kind = "approved"
		}
		if _, err := s.recordEvent(ctx, tx, p.id, "cmi", callbackID(fields), kind, cb.Amount,
			text.Clean(cb.ProcReturnCode+" "+cb.Response+" "+cb.ErrMsg)); err != nil {
			return err
		}
		switch {
		case !cb.Approved:
			answer = cmi.AnswerAcknowledge
			if p.status == PaymentPending {
				_, err = tx.ExecContext(ctx, `UPDATE payments SET status = 'failed', updated_at = ? WHERE id = ?`, s.now().UTC(), p.id)
			}
			return err
		case p.status == PaymentCaptured:
			answer = cmi.AnswerCapture // a replay of the acceptance
			return nil
		case p.status == PaymentPending || p.status == PaymentFailed:
			answer = cmi.AnswerCapture
			return s.capture(ctx, tx, p, ActorCMI)
		default: // cancelled (the hold ran out) or refunded: leave the authorisation uncaptured
			answer = cmi.AnswerAcknowledge
			return nil
		}
	})
	if err != nil {
		return cmi.AnswerFailure, fmt.Errorf("cmi callback: %w", err)
	}
	return answer, nil
}

// callbackID names one CMI notification: its transaction id and outcome,
// or a digest of everything posted when it has none.
func callbackID(fields url.Values) string {
	if id := fields.Get("TransId"); id != "" {
		return id + "/" + fields.Get("ProcReturnCode")
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%q;", k, fields[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CMIReturn reads the customer's browser coming back from CMI (okUrl or
// failUrl): the hash is checked, and the order it is about returned. It
// changes nothing: only the callback decides.
func (s *Service) CMIReturn(ctx context.Context, fields url.Values) (Order, error) {
	c := s.gateways.CMI
	if c == nil {
		return Order{}, errs.NotFoundE("order")
	}
	cb, err := cmi.ParseCallback(fields, c.StoreKey)
	if err != nil {
		return Order{}, errs.Wrap(errs.Invalid, "payment.bad_callback", err)
	}
	// The oid is the payment's reference (the order number, then "-2", "-3"
	// for later attempts).
	var orderID int64
	err = s.db.Read().QueryRowContext(ctx, `SELECT order_id FROM payments WHERE reference = ? AND method = 'cmi'`, cb.OrderID).Scan(&orderID)
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, errs.NotFoundE("order")
	}
	if err != nil {
		return Order{}, fmt.Errorf("cmi return: %w", err)
	}
	return s.load(ctx, s.db.Read(), strconv.FormatInt(orderID, 10))
}

// StartStripe creates the order's PaymentIntent when it has none yet (the
// Stripe call happens after checkout's transaction, so a failure there
// leaves an order that can still be paid: this is called again).
func (s *Service) StartStripe(ctx context.Context, o Order) (Order, error) {
	if o.PaymentMethod != Stripe || o.Payment.ClientSecret != "" || o.Payment.Status != PaymentPending {
		return o, nil
	}
	if s.gateways.Stripe == nil {
		return o, errs.E(errs.Conflict, "payment.not_card")
	}
	in, err := s.gateways.Stripe.CreateIntent(ctx, o.Total.Amount, strings.ToLower(o.Total.Currency), o.Number, "order-"+o.Number)
	if err != nil {
		return o, errs.Wrap(errs.Internal, "payment.gateway_down", err)
	}
	_, err = s.db.W.ExecContext(ctx, s.db.Rebind(`UPDATE payments SET reference = ?, client_secret = ?, updated_at = ?
		WHERE id = ? AND client_secret = ''`), in.ID, in.ClientSecret, s.now().UTC(), o.Payment.ID)
	if err != nil {
		return o, fmt.Errorf("store payment intent: %w", err)
	}
	o.Payment.Reference, o.Payment.ClientSecret = in.ID, in.ClientSecret
	return o, nil
}

// StripeWebhook applies a verified Stripe event: a succeeded intent
// captures the payment and confirms the order (or, if the order was
// cancelled meanwhile, is refunded at once), a failed one marks the attempt
// failed. Events are applied once; others are acknowledged and ignored.
func (s *Service) StripeWebhook(ctx context.Context, ev stripepay.Event) error {
	if !strings.HasPrefix(ev.Type, "payment_intent.") || ev.IntentID == "" {
		return nil
	}
	refund := false
	var p paymentRow
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		var err error
		p, err = paymentByReference(ctx, tx, Stripe, ev.IntentID)
		if errs.Is(err, errs.NotFound) {
			return nil // not ours (another shop on the same account)
		}
		if err != nil {
			return err
		}
		fresh, err := s.recordEvent(ctx, tx, p.id, "stripe", ev.ID, ev.Type, ev.Amount, ev.IntentStatus)
		if err != nil || !fresh {
			return err
		}
		switch ev.Type {
		case "payment_intent.succeeded":
			if ev.Amount != p.amount {
				return errs.E(errs.Invalid, "payment.amount_mismatch")
			}
			switch p.status {
			case PaymentPending, PaymentFailed:
				return s.capture(ctx, tx, p, ActorStripe)
			case PaymentCancelled:
				refund = true
			}
		case "payment_intent.payment_failed":
			if p.status == PaymentPending {
				_, err = tx.ExecContext(ctx, `UPDATE payments SET status = 'failed', updated_at = ? WHERE id = ?`, s.now().UTC(), p.id)
			}
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("stripe webhook: %w", err)
	}
	if refund && s.gateways.Stripe != nil {
		// The money came after the order gave its stock back: return it.
		if _, err := s.gateways.Stripe.Refund(ctx, ev.IntentID, ev.Amount, "late-"+ev.ID); err != nil {
			return fmt.Errorf("refund late payment: %w", err)
		}
	}
	return nil
}

// CODCollected records that the carrier collected a cash-on-delivery order's
// money, and books it in the ledger (its parcels not cancelled, each on its
// carrier's account); operators only. A second record is errs.Conflict
// ("payment.not_due") and changes nothing.
func (s *Service) CODCollected(ctx context.Context, by auth.User, idOrNumber string) (Order, error) {
	if !by.IsOperator() {
		return Order{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	o, err := s.Get(ctx, by, idOrNumber)
	if err != nil {
		return Order{}, err
	}
	if o.PaymentMethod != COD {
		return Order{}, errs.E(errs.Conflict, "payment.not_cod")
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := lockOrder(ctx, tx, o.ID); err != nil {
			return err
		}
		var status Status
		if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = ?`, o.ID).Scan(&status); err != nil {
			return err
		}
		if status == Cancelled {
			return errs.E(errs.Conflict, "payment.order_cancelled")
		}
		res, err := tx.ExecContext(ctx, `UPDATE payments SET status = 'captured', updated_at = ? WHERE id = ? AND status = 'pending'`,
			s.now().UTC(), o.Payment.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.Conflict, "payment.not_due")
		}
		if _, err = s.recordEvent(ctx, tx, o.Payment.ID, "cod", fmt.Sprintf("collected-%d", o.Payment.ID), "collected", o.Total.Amount, by.Email); err != nil {
			return err
		}
		if err := s.postPaid(ctx, tx, o.ID, COD); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, "payment.cod_collected", "order", o.ID, map[string]any{"payment": "pending"},
			map[string]any{"payment": "captured", "amount": o.Total.Amount}, s.now())
	})
	if err != nil {
		return Order{}, fmt.Errorf("cod collected: %w", err)
	}
	return s.load(ctx, s.db.Read(), fmt.Sprint(o.ID))
}

// Refund records a full or partial refund of a captured payment; through
// Stripe the money is sent back first. CMI and cash refunds are made by
// hand (Merchant Center, bank transfer) and recorded here. The ledger
// settles what the order owes the customer (cancelled, returned parcels)
// first, then takes the rest from every vendor's sale in proportion (see
// package ledger). Admins only: money leaves the marketplace and cannot be
// called back.
func (s *Service) Refund(ctx context.Context, by auth.User, idOrNumber string, amount int64, reason string) (Order, error) {
	if by.Role != auth.RoleAdmin {
		return Order{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	reason = text.Clean(reason)
	if p := text.Check(reason, true, 500); p != "" {
		return Order{}, errs.Fields{"reason": p}.Err()
	}
	o, err := s.Get(ctx, by, idOrNumber)
	if err != nil {
		return Order{}, err
	}
	left := o.Payment.Amount.Amount - o.Payment.Refunded.Amount
	switch {
	case amount <= 0:
		return Order{}, errs.Fields{"amount": "field.positive"}.Err()
	case o.Payment.Status != PaymentCaptured:
		return Order{}, errs.E(errs.Conflict, "payment.not_captured")
	case amount > left:
		return Order{}, &errs.Error{Code: errs.Invalid, Message: "payment.refund_too_much",
			Args: map[string]any{"left": money.Dirhams(left)}, Fields: map[string]string{"amount": "payment.refund_too_much"}}
	}
	// Cash on delivery: the carrier collected the parcels not cancelled
	// only, which is what the ledger holds; never refund more than that.
	if n, err := refundable(ctx, s.db.Read(), o.Number, o.PaymentMethod, o.Payment.Amount.Currency); err != nil {
		return Order{}, err
	} else if n >= 0 && amount > n {
		return Order{}, &errs.Error{Code: errs.Invalid, Message: "payment.refund_too_much",
			Args: map[string]any{"left": money.New(n, o.Payment.Amount.Currency)}, Fields: map[string]string{"amount": "payment.refund_too_much"}}
	}
	ref := ""
	if o.PaymentMethod == Stripe && s.gateways.Stripe != nil {
		ref, err = s.gateways.Stripe.Refund(ctx, o.Payment.Reference, amount, fmt.Sprintf("refund-%d-%d-%d", o.ID, o.Payment.Refunded.Amount, amount))
		if err != nil {
			return Order{}, errs.Wrap(errs.Internal, "payment.gateway_down", err)
		}
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := lockOrder(ctx, tx, o.ID); err != nil {
			return err
		}
		now := s.now().UTC()
		res, err := tx.ExecContext(ctx, `UPDATE payments SET refunded_amount = refunded_amount + ?,
			status = CASE WHEN refunded_amount + ? = amount THEN 'refunded' ELSE status END, updated_at = ?
			WHERE id = ? AND refunded_amount = ?`, amount, amount, now, o.Payment.ID, o.Payment.Refunded.Amount)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &errs.Error{Code: errs.Conflict, Message: "order.changed_meanwhile"}
		}
		var refundID int64
		err = tx.QueryRowContext(ctx, `INSERT INTO refunds (payment_id, amount, reason, reference, actor_user_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, o.Payment.ID, amount, reason, ref, by.ID, now).Scan(&refundID)
		if err != nil {
			return err
		}
		if err := s.postRefund(ctx, tx, o.Number, o.PaymentMethod, o.Payment.Amount.Currency, refundID, amount, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, "payment.refund", "order", o.ID, map[string]any{"refunded": o.Payment.Refunded.Amount},
			map[string]any{"refunded": o.Payment.Refunded.Amount + amount, "amount": amount, "reason": reason}, now)
	})
	if err != nil {
		return Order{}, fmt.Errorf("refund: %w", err)
	}
	return s.load(ctx, s.db.Read(), fmt.Sprint(o.ID))
}
