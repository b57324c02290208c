// Package order is how a basket becomes sales: carts (a guest's, bound to a
// cookie, or a customer's), checkout — one customer order split into one
// vendor order per vendor, stock reserved in the same transaction — and the
// order state machine with every transition recorded. It owns the carts,
// cart_items, orders, vendor_orders, order_lines, order_events,
// sales_channels and settings tables, and the payments, payment_events and
// refunds tables through payment.go (a payment lives and dies with its
// order's transaction). Every event that moves money — a payment captured or
// collected, a parcel delivered, cancelled or returned after payment, a
// refund — posts to the ledger (package ledger) in its own transaction
// (ledger.go).
package order

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"souk/internal/db"
	"souk/internal/shipping"
)

// Status is where a vendor order (and, summarised, a customer order) stands.
type Status string

// The statuses, in the order an order goes through them.
const (
	Placed          Status = "placed"
	Confirmed       Status = "confirmed"
	Packed          Status = "packed"
	Shipped         Status = "shipped"
	Delivered       Status = "delivered"
	Completed       Status = "completed"
	ReturnRequested Status = "return_requested"
	Returned        Status = "returned"
	Refunded        Status = "refunded"
	Cancelled       Status = "cancelled"
)

// progress orders the statuses for summarising a customer order: it stands
// where its least advanced vendor order stands.
var progress = map[Status]int{Placed: 0, Confirmed: 1, Packed: 2, Shipped: 3, Delivered: 4, Completed: 5,
	ReturnRequested: 6, Returned: 7, Refunded: 8}

// transitions are the moves the state machine allows.
var transitions = map[Status][]Status{
	Placed:          {Confirmed, Cancelled},
	Confirmed:       {Packed, Cancelled},
	Packed:          {Shipped, Cancelled},
	Shipped:         {Delivered},
	Delivered:       {Completed, ReturnRequested},
	Completed:       {ReturnRequested},
	ReturnRequested: {Returned, Completed},
	Returned:        {Refunded},
}

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool { _, ok := progress[s]; return ok || s == Cancelled }

// CanMove reports whether the state machine allows from → to.
func CanMove(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Payment methods.
const (
	COD    = "cod"
	CMI    = "cmi"
	Stripe = "stripe"
)

// Settings are the operator's choices checkout follows.
type Settings struct {
	CODConfirmation bool          // a COD order waits for the operator's confirmation (a phone call)
	CardHold        time.Duration // how long an unpaid card order keeps its stock
	MinOrder        map[string]int64
}

// Service runs carts, checkout and orders.
type Service struct {
	db       *db.DB
	now      func() time.Time
	shipping *shipping.Service
	secret   []byte // signs guests' order links; shared by every node through the settings table
	gateways Gateways

	mu       sync.Mutex
	settings Settings
	readAt   time.Time
}

// SettingsTTL is how long operator settings are reused before being read again.
var SettingsTTL = 5 * time.Second

// NewService returns a Service on d; now is the clock (nil for time.Now).
func NewService(d *db.DB, ship *shipping.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, now: now, shipping: ship}
}

// Settings returns the operator's settings, cached for SettingsTTL.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.readAt.IsZero() && s.now().Sub(s.readAt) < SettingsTTL {
		return s.settings, nil
	}
	st := Settings{CardHold: 30 * time.Minute, MinOrder: map[string]int64{}}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT name, value FROM settings`)
	if err != nil {
		return Settings{}, fmt.Errorf("read settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return Settings{}, fmt.Errorf("read settings: %w", err)
		}
		switch name {
		case "cod_confirmation_required":
			st.CODConfirmation = value == "true"
		case "card_hold_minutes":
			if m, err := strconv.Atoi(value); err == nil && m > 0 {
				st.CardHold = time.Duration(m) * time.Minute
			}
		case "link_secret":
			s.secret = []byte(value)
		}
	}
	if err := rows.Err(); err != nil {
		return Settings{}, fmt.Errorf("read settings: %w", err)
	}
	rows.Close()
	rows, err = s.db.Read().QueryContext(ctx, `SELECT code, min_order_amount FROM sales_channels`)
	if err != nil {
		return Settings{}, fmt.Errorf("read channels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var min int64
		if err := rows.Scan(&code, &min); err != nil {
			return Settings{}, fmt.Errorf("read channels: %w", err)
		}
		st.MinOrder[code] = min
	}
	if err := rows.Err(); err != nil {
		return Settings{}, fmt.Errorf("read channels: %w", err)
	}
	s.settings, s.readAt = st, s.now()
	return st, nil
}

// forgetSettings makes the next Settings call read the tables again.
func (s *Service) forgetSettings() {
	s.mu.Lock()
	s.readAt = time.Time{}
	s.mu.Unlock()
}
