package order

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	"souk/internal/errs"
)

// Init makes sure the secret that signs guests' order links exists (one
// for every node, in the settings table) and loads it.
func (s *Service) Init(ctx context.Context) error {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	if _, err := s.db.W.ExecContext(ctx, s.db.Rebind(`INSERT INTO settings (name, value) VALUES ('link_secret', ?)
		ON CONFLICT (name) DO NOTHING`), hex.EncodeToString(b)); err != nil {
		return fmt.Errorf("order link secret: %w", err)
	}
	var secret string
	if err := s.db.W.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'link_secret'`).Scan(&secret); err != nil {
		return fmt.Errorf("order link secret: %w", err)
	}
	s.mu.Lock()
	s.secret = []byte(secret)
	s.mu.Unlock()
	return nil
}

// LinkToken is the signature that lets whoever holds an order's link see it
// without an account (a guest's order, the link in every e-mail).
func (s *Service) LinkToken(number string) string {
	s.mu.Lock()
	secret := s.secret
	s.mu.Unlock()
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("order:" + number))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:32]
}

// OrderURL is the order's page in its customer's language, signed.
func (s *Service) OrderURL(o Order) string {
	return strings.TrimRight(s.gateways.BaseURL, "/") + "/" + o.Locale + "/orders/" + url.PathEscape(o.Number) +
		"?t=" + s.LinkToken(o.Number)
}

// OrderByLink finds an order (by id or number) for the holder of its
// signed link; a wrong token is not found, like a wrong number.
func (s *Service) OrderByLink(ctx context.Context, idOrNumber, token string) (Order, error) {
	o, err := s.load(ctx, s.db.Read(), idOrNumber)
	if errs.Is(err, errs.NotFound) || (err == nil && subtle.ConstantTimeCompare([]byte(token), []byte(s.LinkToken(o.Number))) != 1) {
		return Order{}, errs.NotFoundE("order")
	}
	return o, err
}
