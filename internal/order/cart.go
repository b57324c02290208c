package order

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
	"souk/internal/shipping"
)

// Cart is a basket as the customer sees it: every line re-checked against
// the catalog as it is now (price, stock, still on sale), grouped by vendor.
type Cart struct {
	ID        string
	UserID    int64
	Channel   string
	Status    string // open, ordered, merged
	Lines     []Line
	Vendors   []VendorGroup
	Items     money.Money // sum of the lines that can be bought
	MinOrder  money.Money // the channel's minimum order value
	Missing   money.Money // how much more reaches it; zero when reached
	Problems  bool        // a line is sold out, short or no longer on sale
	UpdatedAt time.Time
}

// Line is one variant in a cart.
type Line struct {
	catalog.Offer
	Quantity int
	Total    money.Money // Quantity × price
	// Problem is "" or a message key: sold_out, short (only Offer.Stock
	// left), unavailable (unpublished, vendor suspended).
	Problem string
}

// VendorGroup is the part of a cart one vendor ships: one parcel.
type VendorGroup struct {
	VendorID    int64
	VendorSlug  string
	Lines       []int // indexes into Cart.Lines
	Items       money.Money
	WeightGrams int
}

// Line problems, as message keys.
const (
	ProblemSoldOut     = "cart.sold_out"
	ProblemShort       = "cart.short"
	ProblemUnavailable = "cart.unavailable"
)

// MaxQuantity is the most of one variant a cart holds.
const MaxQuantity = 999

// MaxLines is the most distinct variants a cart holds.
const MaxLines = 100

var cartIDEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newCartID is 160 random bits: the id alone lets its holder use the cart.
func newCartID() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return strings.ToLower(cartIDEncoding.EncodeToString(b))
}

// validCartID keeps junk out of queries and logs.
func validCartID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// NewCart opens an empty cart on channel ("" for the web shop), for by when
// signed in.
func (s *Service) NewCart(ctx context.Context, by auth.User, channel string) (Cart, error) {
	if channel == "" {
		channel = "web"
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return Cart{}, err
	}
	if _, ok := st.MinOrder[channel]; !ok {
		return Cart{}, errs.Fields{"channel": "field.unknown"}.Err()
	}
	now := s.now().UTC()
	c := Cart{ID: newCartID(), Channel: channel, Status: "open", UpdatedAt: now, UserID: by.ID}
	var user any
	if by.ID != 0 {
		user = by.ID
	}
	err = s.db.LightTx(ctx, func(tx db.Querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO carts (id, user_id, channel, status, created_at, updated_at) VALUES (?, ?, ?, 'open', ?, ?)`,
			c.ID, user, channel, now, now)
		return err
	})
	if err != nil {
		return Cart{}, fmt.Errorf("new cart: %w", err)
	}
	return s.view(ctx, c, nil)
}

type cartRow struct {
	id, channel, status string
	userID              int64
	updatedAt           time.Time
}

// cartFor reads a cart's row if by may use it: whoever holds a guest cart's
// id, and only its customer for a customer's cart (operators may look at
// it, to help, but not change it: write).
func cartFor(ctx context.Context, q db.Querier, by auth.User, id string, write bool) (cartRow, error) {
	if !validCartID(id) {
		return cartRow{}, errs.NotFoundE("cart")
	}
	var r cartRow
	var user sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT id, user_id, channel, status, updated_at FROM carts WHERE id = ?`, id).
		Scan(&r.id, &user, &r.channel, &r.status, &r.updatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return cartRow{}, errs.NotFoundE("cart")
	}
	if err != nil {
		return cartRow{}, fmt.Errorf("read cart: %w", err)
	}
	r.userID = user.Int64
	if r.userID != 0 && r.userID != by.ID && (write || !by.IsOperator()) {
		return cartRow{}, errs.NotFoundE("cart")
	}
	return r, nil
}

type item struct {
	variantID int64
	quantity  int
	addedAt   time.Time
}

// cartWithItems is cartFor and cartItems in one query (checkout reads both
// on every order).
func cartWithItems(ctx context.Context, q db.Querier, by auth.User, id string, write bool) (cartRow, []item, error) {
	if !validCartID(id) {
		return cartRow{}, nil, errs.NotFoundE("cart")
	}
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.user_id, c.channel, c.status, c.updated_at, i.variant_id, i.quantity, i.added_at
		FROM carts c LEFT JOIN cart_items i ON i.cart_id = c.id WHERE c.id = ? ORDER BY i.added_at, i.variant_id`, id)
	if err != nil {
		return cartRow{}, nil, fmt.Errorf("read cart: %w", err)
	}
	defer rows.Close()
	var r cartRow
	var items []item
	found := false
	for rows.Next() {
		var user, variant, quantity sql.NullInt64
		var added sql.NullTime
		if err := rows.Scan(&r.id, &user, &r.channel, &r.status, &r.updatedAt, &variant, &quantity, &added); err != nil {
			return cartRow{}, nil, fmt.Errorf("read cart: %w", err)
		}
		found, r.userID = true, user.Int64
		if variant.Valid {
			items = append(items, item{variantID: variant.Int64, quantity: int(quantity.Int64), addedAt: added.Time})
		}
	}
	if err := rows.Err(); err != nil {
		return cartRow{}, nil, fmt.Errorf("read cart: %w", err)
	}
	if !found || (r.userID != 0 && r.userID != by.ID && (write || !by.IsOperator())) {
		return cartRow{}, nil, errs.NotFoundE("cart")
	}
	return r, items, nil
}

// byAdded orders a cart's lines as cartWithItems reads them.
func byAdded(a, b item) int {
	if c := a.addedAt.Compare(b.addedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.variantID, b.variantID)
}

// Cart shows a cart with every line checked against the catalog now.
func (s *Service) Cart(ctx context.Context, by auth.User, id string) (Cart, error) {
	r, items, err := cartWithItems(ctx, s.db.Read(), by, id, false)
	if err != nil {
		return Cart{}, err
	}
	return s.view(ctx, Cart{ID: r.id, UserID: r.userID, Channel: r.channel, Status: r.status, UpdatedAt: r.updatedAt}, items)
}

// view fills a cart's lines from the catalog and checks each one.
func (s *Service) view(ctx context.Context, c Cart, items []item) (Cart, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return Cart{}, err
	}
	offers, err := catalog.Offers(ctx, s.db.Read(), variantIDs(items))
	if err != nil {
		return Cart{}, err
	}
	return lines(st, c, items, offers), nil
}

// variantIDs are the variants of items, with room for one more.
func variantIDs(items []item) []int64 {
	ids := make([]int64, len(items), len(items)+1)
	for i, it := range items {
		ids[i] = it.variantID
	}
	return ids
}

// lines fills c's lines from offers, the catalog as it is now, and checks
// each one.
func lines(st Settings, c Cart, items []item, offers map[int64]catalog.Offer) Cart {
	c.Items = money.Dirhams(0)
	c.Lines = c.Lines[:0]
	groups := map[int64]int{}
	for _, it := range items {
		o, ok := offers[it.variantID]
		if !ok {
			continue // the variant was deleted: cart_items lost it too
		}
		l := Line{Offer: o, Quantity: it.quantity, Total: money.New(o.Price.Amount*int64(it.quantity), o.Price.Currency)}
		switch {
		case !o.OnSale:
			l.Problem = ProblemUnavailable
		case o.Stock == 0:
			l.Problem = ProblemSoldOut
		case o.Stock < it.quantity:
			l.Problem = ProblemShort
		}
		c.Problems = c.Problems || l.Problem != ""
		c.Lines = append(c.Lines, l)
		if l.Problem != "" {
			continue
		}
		c.Items.Amount += l.Total.Amount
		g, ok := groups[o.VendorID]
		if !ok {
			g = len(c.Vendors)
			groups[o.VendorID] = g
			c.Vendors = append(c.Vendors, VendorGroup{VendorID: o.VendorID, VendorSlug: o.VendorSlug, Items: money.Dirhams(0)})
		}
		c.Vendors[g].Lines = append(c.Vendors[g].Lines, len(c.Lines)-1)
		c.Vendors[g].Items.Amount += l.Total.Amount
		c.Vendors[g].WeightGrams += o.WeightGrams * it.quantity
	}
	slices.SortStableFunc(c.Vendors, func(a, b VendorGroup) int { return cmp.Compare(a.VendorSlug, b.VendorSlug) })
	c.MinOrder = money.Dirhams(st.MinOrder[c.Channel])
	c.Missing = money.Dirhams(max(0, c.MinOrder.Amount-c.Items.Amount))
	return c
}

// SetItem puts quantity of a variant in an open cart: added to what is
// there when add is true, replacing it otherwise (0 removes the line). A
// quantity beyond the stock left is refused, naming how many are left.
//
// It costs four statements in one transaction, whose reads also give the
// cart it answers with: touching the cart first locks its row, so two
// changes to one cart take turns and neither loses the other's quantity.
func (s *Service) SetItem(ctx context.Context, by auth.User, cartID string, variantID int64, quantity int, add bool) (Cart, error) {
	switch {
	case quantity < 0:
		return Cart{}, errs.Fields{"quantity": "field.negative"}.Err()
	case quantity > MaxQuantity || (add && quantity == 0):
		return Cart{}, errs.Fields{"quantity": "field.out_of_range"}.Err()
	case !validCartID(cartID):
		return Cart{}, errs.NotFoundE("cart")
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return Cart{}, err
	}
	now := s.now().UTC().Truncate(time.Microsecond) // as PostgreSQL keeps it
	var c Cart
	err = s.db.LightTx(ctx, func(tx db.Querier) error {
		if _, err := tx.ExecContext(ctx, `UPDATE carts SET updated_at = ? WHERE id = ?`, now, cartID); err != nil {
			return err
		}
		r, items, err := cartWithItems(ctx, tx, by, cartID, true)
		if err != nil {
			return err
		}
		if r.status != "open" {
			return errs.E(errs.Conflict, "cart.closed")
		}
		at := slices.IndexFunc(items, func(it item) bool { return it.variantID == variantID })
		want := quantity
		if add && at >= 0 {
			want += items[at].quantity
		}
		ids := variantIDs(items)
		if at < 0 && want > 0 {
			ids = append(ids, variantID)
		}
		offers, err := catalog.Offers(ctx, tx, ids)
		if err != nil {
			return err
		}
		switch {
		case want == 0 && at >= 0:
			if _, err := tx.ExecContext(ctx, `DELETE FROM cart_items WHERE cart_id = ? AND variant_id = ?`, cartID, variantID); err != nil {
				return err
			}
			items = slices.Delete(items, at, at+1)
		case want > 0:
			o, ok := offers[variantID]
			switch {
			case !ok || !o.OnSale:
				return errs.NotFoundE("product")
			case want > MaxQuantity:
				return errs.Fields{"quantity": "field.out_of_range"}.Err()
			case o.Stock < want:
				return &errs.Error{Code: errs.Conflict, Message: "cart.not_enough", Args: map[string]any{"count": o.Stock},
					Fields: map[string]string{"quantity": "cart.not_enough"}}
			case at < 0 && len(items) >= MaxLines:
				return errs.E(errs.Conflict, "cart.too_many_lines")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO cart_items (cart_id, variant_id, quantity, added_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = excluded.quantity`, cartID, variantID, want, now); err != nil {
				return err
			}
			if at >= 0 {
				items[at].quantity = want
			} else {
				items = append(items, item{variantID: variantID, quantity: want, addedAt: now})
				slices.SortStableFunc(items, byAdded) // as cartWithItems reads them
			}
		}
		c = lines(st, Cart{ID: r.id, UserID: r.userID, Channel: r.channel, Status: r.status, UpdatedAt: now}, items, offers)
		return nil
	})
	if err != nil {
		return Cart{}, fmt.Errorf("set cart item: %w", err)
	}
	return c, nil
}

// Adopt gives a guest's cart to a customer who just signed in: the guest
// cart's lines are added to the customer's open cart (quantities summed, up
// to MaxQuantity), the guest cart is marked merged, and the customer's cart
// id is returned. Without an open cart of their own, the guest cart simply
// becomes theirs.
func (s *Service) Adopt(ctx context.Context, by auth.User, guestCartID string) (string, error) {
	if by.ID == 0 {
		return "", errs.E(errs.Unauthorized, "error.unauthorized")
	}
	now := s.now().UTC()
	var keep string
	err := s.db.LightTx(ctx, func(tx db.Querier) error {
		guest, err := cartFor(ctx, tx, by, guestCartID, true)
		if err != nil {
			return err
		}
		if guest.status != "open" || guest.userID == by.ID {
			keep = guest.id
			if guest.status != "open" {
				keep = ""
			}
			return nil
		}
		var own string
		err = tx.QueryRowContext(ctx, `SELECT id FROM carts WHERE user_id = ? AND status = 'open' AND channel = ?
			ORDER BY updated_at DESC LIMIT 1`, by.ID, guest.channel).Scan(&own)
		if errors.Is(err, sql.ErrNoRows) {
			keep = guest.id
			_, err = tx.ExecContext(ctx, `UPDATE carts SET user_id = ?, updated_at = ? WHERE id = ?`, by.ID, now, guest.id)
			return err
		}
		if err != nil {
			return err
		}
		keep = own
		if _, err := tx.ExecContext(ctx, `INSERT INTO cart_items (cart_id, variant_id, quantity, added_at)
			SELECT ?, variant_id, quantity, added_at FROM cart_items WHERE cart_id = ?
			ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = CASE WHEN cart_items.quantity + excluded.quantity > ?
				THEN ? ELSE cart_items.quantity + excluded.quantity END`,
			own, guest.id, MaxQuantity, MaxQuantity); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE carts SET status = 'merged', updated_at = ? WHERE id = ?`, now, guest.id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE carts SET updated_at = ? WHERE id = ?`, now, own)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("adopt cart: %w", err)
	}
	return keep, nil
}

// OpenCart returns the id of by's most recent open cart on the web shop, ""
// when there is none.
func (s *Service) OpenCart(ctx context.Context, by auth.User) (string, error) {
	if by.ID == 0 {
		return "", nil
	}
	var id string
	err := s.db.Read().QueryRowContext(ctx, `SELECT id FROM carts WHERE user_id = ? AND status = 'open' AND channel = 'web'
		ORDER BY updated_at DESC LIMIT 1`, by.ID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find open cart: %w", err)
	}
	return id, nil
}

// ShippingOptions lists, for each vendor of a cart (by slug), the carriers
// that can take its parcel to d, cheapest first; cash on delivery keeps only
// carriers that collect it.
func (s *Service) ShippingOptions(ctx context.Context, c Cart, d shipping.Destination, method string) (map[string][]shipping.Quote, error) {
	out := make(map[string][]shipping.Quote, len(c.Vendors))
	for _, g := range c.Vendors {
		quotes, err := s.shipping.Quotes(ctx, d, g.WeightGrams)
		if err != nil {
			return nil, err
		}
		if method == COD {
			quotes = slices.DeleteFunc(quotes, func(q shipping.Quote) bool { return !q.CollectsCOD })
		}
		out[g.VendorSlug] = quotes
	}
	return out, nil
}
