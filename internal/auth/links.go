package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/text"
)

// SetPasswordLinkTTL is how long a one-time "set your password" link works.
const SetPasswordLinkTTL = 7 * 24 * time.Hour

// Invite adds an account with no password, in the caller's transaction,
// and returns it with a one-time token for the link that lets its owner
// choose one (until then nobody can sign in as it). Bad input names the
// field; an e-mail already used is errs.Conflict on "email".
func Invite(ctx context.Context, tx db.Querier, in NewUser, now time.Time) (User, string, error) {
	f := errs.Fields{}
	in.Email = normalizeEmail(in.Email)
	in.Name = text.Clean(in.Name)
	checkEmail(f, in.Email)
	if k := text.Check(in.Name, false, 120); k != "" {
		f.Add("name", k)
	}
	vendorRole := in.Role == RoleVendorOwner || in.Role == RoleVendorStaff
	if !vendorRole || in.VendorID <= 0 {
		f.Add("role", "field.enum") // only vendors' people are invited; others register
	}
	if !i18n.Valid(in.Locale) {
		in.Locale = i18n.Default
	}
	if err := f.Err(); err != nil {
		return User{}, "", err
	}
	now = now.UTC()
	u := User{Email: in.Email, Name: in.Name, Role: in.Role, VendorID: in.VendorID, Locale: in.Locale, CreatedAt: now}
	err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, role, vendor_id, locale, created_at, updated_at)
		VALUES (?, ?, '', ?, ?, ?, ?, ?) RETURNING id`, in.Email, in.Name, string(in.Role), in.VendorID, in.Locale, now, now).Scan(&u.ID)
	if db.IsUniqueViolation(err) {
		return User{}, "", &errs.Error{Code: errs.Conflict, Message: "error.conflict", Fields: map[string]string{"email": "field.taken"}, Err: err}
	}
	if err != nil {
		return User{}, "", fmt.Errorf("invite %s: %w", in.Email, err)
	}
	token, err := newSetPasswordToken(ctx, tx, u.ID, now)
	return u, token, err
}

func newSetPasswordToken(ctx context.Context, tx db.Querier, userID int64, now time.Time) (string, error) {
	token := randomToken()
	_, err := tx.ExecContext(ctx, `INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at, created_at) VALUES (?, ?, 'set_password', ?, ?)`,
		hashToken(token), userID, now.Add(SetPasswordLinkTTL), now)
	if err != nil {
		return "", fmt.Errorf("set-password link: %w", err)
	}
	return token, nil
}

// SetPasswordLink makes a new one-time link for a user (an operator sends a
// fresh one when the first expired); earlier unused links stop working.
func (s *Service) SetPasswordLink(ctx context.Context, by User, userID int64) (string, error) {
	if !by.IsOperator() {
		return "", errs.E(errs.Forbidden, "error.forbidden")
	}
	now := s.now().UTC()
	var token string
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		if _, err := tx.ExecContext(ctx, `UPDATE user_tokens SET used_at = ? WHERE user_id = ? AND purpose = 'set_password' AND used_at IS NULL`, now, userID); err != nil {
			return err
		}
		var err error
		token, err = newSetPasswordToken(ctx, tx, userID, now)
		if db.IsForeignKeyViolation(err) {
			return errs.NotFoundE("user")
		}
		return err
	})
	return token, err
}

// UseSetPasswordLink sets the password of the link's user and spends the
// link: it works once, within SetPasswordLinkTTL. A bad password leaves the
// link usable; an unknown, used or expired link is errs.Invalid on "token".
func (s *Service) UseSetPasswordLink(ctx context.Context, token, password string) (User, error) {
	f := errs.Fields{}
	checkPassword(f, "password", password)
	if err := f.Err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	now := s.now().UTC()
	var userID int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		err := tx.QueryRowContext(ctx, `UPDATE user_tokens SET used_at = ?
			WHERE token_hash = ? AND purpose = 'set_password' AND used_at IS NULL AND expires_at > ? RETURNING user_id`,
			now, hashToken(token), now).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.Fields{"token": "field.link_expired"}.Err()
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, now, userID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, now, userID)
		return err
	})
	if err != nil {
		return User{}, err
	}
	return s.UserByID(ctx, userID)
}
