// Package auth holds souk's accounts and who they are: users and their
// roles, argon2id passwords, server-side sessions with expiry and
// revocation, sign-in throttling that holds across nodes, and the HTTP glue
// (session middleware, CSRF protection). It owns the users, sessions and
// login_failures tables.
//
// Message keys it introduces: field.password_short, field.password_long,
// field.password_wrong, error.login_failed, error.too_many_logins.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/text"
)

// Role is what a user may do.
type Role string

// The roles. Vendor owners and staff belong to exactly one vendor.
const (
	RoleCustomer    Role = "customer"
	RoleVendorOwner Role = "vendor_owner"
	RoleVendorStaff Role = "vendor_staff"
	RoleAdmin       Role = "admin"
	RoleModerator   Role = "moderator"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleCustomer, RoleVendorOwner, RoleVendorStaff, RoleAdmin, RoleModerator:
		return true
	}
	return false
}

// User is an account. The zero User is the anonymous public.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      Role
	VendorID  int64 // 0 unless a vendor owner or staff
	Locale    string
	CreatedAt time.Time
	Disabled  bool
}

// IsOperator reports whether u runs the marketplace (admin or moderator).
func (u User) IsOperator() bool { return u.Role == RoleAdmin || u.Role == RoleModerator }

// IsVendorUser reports whether u works for a vendor (owner or staff).
func (u User) IsVendorUser() bool { return u.Role == RoleVendorOwner || u.Role == RoleVendorStaff }

// NewUser is what creating an account takes.
type NewUser struct {
	Email, Name, Password string
	Role                  Role
	VendorID              int64
	Locale                string
}

// Session is a signed-in browser or program. Token is set only when the
// session was just created: the database keeps its SHA-256 alone.
type Session struct {
	ID         int64
	UserID     int64
	Token      string
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
	IP         string
}

// Config tunes sessions and throttling; zero fields take the defaults.
type Config struct {
	SessionTTL          time.Duration // sliding; default 30 days
	MaxFailuresPerEmail int           // default 5
	MaxFailuresPerIP    int           // default 50
	FailureWindow       time.Duration // default 15 minutes
}

// Service manages users and sessions.
type Service struct {
	db        *db.DB
	cfg       Config
	now       func() time.Time
	dummyHash string // verified against for unknown e-mails, so timing does not tell
}

// touchEvery bounds session writes: last_seen_at and expiry move at most
// this often, not on every request.
const touchEvery = 5 * time.Minute

// NewService returns a Service on d; nil now means time.Now.
func NewService(d *db.DB, cfg Config, now func() time.Time) *Service {
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 30 * 24 * time.Hour
	}
	if cfg.MaxFailuresPerEmail <= 0 {
		cfg.MaxFailuresPerEmail = 5
	}
	if cfg.MaxFailuresPerIP <= 0 {
		cfg.MaxFailuresPerIP = 50
	}
	if cfg.FailureWindow <= 0 {
		cfg.FailureWindow = 15 * time.Minute
	}
	if now == nil {
		now = time.Now
	}
	h, _ := HashPassword("not a real password, only for timing")
	return &Service{db: d, cfg: cfg, now: now, dummyHash: h}
}

func checkPassword(f errs.Fields, field, pw string) {
	switch {
	case !utf8.ValidString(pw):
		f.Add(field, "field.utf8")
	case utf8.RuneCountInString(pw) < 10:
		f.Add(field, "field.password_short")
	case len(pw) > 256:
		f.Add(field, "field.password_long")
	}
}

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func checkEmail(f errs.Fields, email string) {
	if email == "" {
		f.Add("email", "field.required")
		return
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		f.Add("email", "field.email")
	}
}

// CreateUser adds an account. Bad input is errs.Invalid naming each field;
// an e-mail already used (in any case) is errs.Conflict on "email".
func (s *Service) CreateUser(ctx context.Context, in NewUser) (User, error) {
	f := errs.Fields{}
	in.Email = normalizeEmail(in.Email)
	in.Name = text.Clean(in.Name)
	checkEmail(f, in.Email)
	if k := text.Check(in.Name, false, 120); k != "" {
		f.Add("name", k)
	}
	checkPassword(f, "password", in.Password)
	if !in.Role.Valid() {
		f.Add("role", "field.enum")
	}
	vendorRole := in.Role == RoleVendorOwner || in.Role == RoleVendorStaff
	switch {
	case vendorRole && in.VendorID <= 0:
		f.Add("vendor_id", "field.required")
	case !vendorRole && in.VendorID != 0:
		f.Add("vendor_id", "field.invalid")
	}
	if in.Locale == "" {
		in.Locale = i18n.Default
	}
	if !i18n.Valid(in.Locale) {
		f.Add("locale", "field.locale")
	}
	if err := f.Err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	var vendorID any
	if vendorRole {
		vendorID = in.VendorID
	}
	now := s.now().UTC()
	var id int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		return tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, role, vendor_id, locale, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Email, in.Name, hash, string(in.Role), vendorID, in.Locale, now, now).Scan(&id)
	})
	switch {
	case db.IsUniqueViolation(err):
		return User{}, &errs.Error{Code: errs.Conflict, Message: "error.conflict", Fields: map[string]string{"email": "field.taken"}, Err: err}
	case db.IsForeignKeyViolation(err):
		return User{}, &errs.Error{Code: errs.Invalid, Message: "error.invalid", Fields: map[string]string{"vendor_id": "field.not_found"}, Err: err}
	case err != nil:
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return s.UserByID(ctx, id)
}

const userColumns = `id, email, name, role, COALESCE(vendor_id, 0), locale, created_at, disabled_at IS NOT NULL`

func scanUser(r interface{ Scan(...any) error }) (User, error) {
	var u User
	err := r.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.VendorID, &u.Locale, &u.CreatedAt, &u.Disabled)
	return u, err
}

// UserByID returns the user with id, or errs.NotFound.
func (s *Service) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.db.Read().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errs.NotFoundE("user")
	}
	return u, err
}

// UserByEmail returns the user with that e-mail (any case), or errs.NotFound.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.db.Read().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, normalizeEmail(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errs.NotFoundE("user")
	}
	return u, err
}

// Login checks an e-mail and password and opens a session. Unknown e-mail,
// wrong password and disabled account are the same errs.Unauthorized, in
// about the same time. After too many failures for the e-mail or the address
// within the window it is errs.TooMany, without looking at the password.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (Session, User, error) {
	email = normalizeEmail(email)
	now := s.now().UTC()
	since := now.Add(-s.cfg.FailureWindow)
	keys := []string{"email:" + email, "ip:" + ip}
	limits := []int{s.cfg.MaxFailuresPerEmail, s.cfg.MaxFailuresPerIP}
	for i, k := range keys {
		var n int
		if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = ? AND failed_at > ?`, k, since).Scan(&n); err != nil {
			return Session{}, User{}, fmt.Errorf("login: %w", err)
		}
		if n >= limits[i] {
			return Session{}, User{}, errs.E(errs.TooMany, "error.too_many_logins")
		}
	}
	var hash string
	var disabled bool
	var id int64
	err := s.db.Read().QueryRowContext(ctx, `SELECT id, password_hash, disabled_at IS NOT NULL FROM users WHERE email = ?`, email).Scan(&id, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		hash = s.dummyHash
		id = 0
	} else if err == nil && hash == "" { // invited, no password chosen yet: fail in the same time
		hash = s.dummyHash
		id = 0
	} else if err != nil {
		return Session{}, User{}, fmt.Errorf("login: %w", err)
	}
	ok := false
	if len(password) <= 256 {
		ok, _ = VerifyPassword(hash, password)
	}
	if !ok || id == 0 || disabled {
		err := s.db.Tx(ctx, func(tx db.Querier) error {
			for _, k := range keys {
				if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, failed_at) VALUES (?, ?)`, k, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return Session{}, User{}, fmt.Errorf("login: %w", err)
		}
		return Session{}, User{}, errs.E(errs.Unauthorized, "error.login_failed")
	}
	sess := Session{UserID: id, Token: randomToken(), CSRFToken: randomToken(), CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.SessionTTL), UserAgent: truncate(userAgent, 300), IP: truncate(ip, 64)}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, keys[0]); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, user_agent, ip)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			hashToken(sess.Token), id, sess.CSRFToken, now, now, sess.ExpiresAt, sess.UserAgent, sess.IP).Scan(&sess.ID)
	})
	if err != nil {
		return Session{}, User{}, fmt.Errorf("login: %w", err)
	}
	u, err := s.UserByID(ctx, id)
	return sess, u, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate returns the user and session of a token. Unknown, expired
// and revoked tokens and disabled users are errs.Unauthorized. It slides the
// expiry forward, writing at most once per touchEvery.
func (s *Service) Authenticate(ctx context.Context, token string) (User, Session, error) {
	if token == "" || len(token) > 100 {
		return User{}, Session{}, errs.E(errs.Unauthorized, "error.unauthorized")
	}
	now := s.now().UTC()
	var sess Session
	var revoked sql.NullTime
	var u User
	err := s.db.Read().QueryRowContext(ctx, `SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at,
		s.user_agent, s.ip, u.id, u.email, u.name, u.role, COALESCE(u.vendor_id, 0), u.locale, u.created_at, u.disabled_at IS NOT NULL
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hashToken(token)).Scan(
		&sess.ID, &sess.UserID, &sess.CSRFToken, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt, &revoked,
		&sess.UserAgent, &sess.IP, &u.ID, &u.Email, &u.Name, &u.Role, &u.VendorID, &u.Locale, &u.CreatedAt, &u.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, Session{}, errs.E(errs.Unauthorized, "error.unauthorized")
	}
	if err != nil {
		return User{}, Session{}, fmt.Errorf("authenticate: %w", err)
	}
	if revoked.Valid || !now.Before(sess.ExpiresAt) || u.Disabled {
		return User{}, Session{}, errs.E(errs.Unauthorized, "error.unauthorized")
	}
	sess.Token = token
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		sess.LastSeenAt, sess.ExpiresAt = now, now.Add(s.cfg.SessionTTL)
		err := s.db.Tx(ctx, func(tx db.Querier) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?`, sess.LastSeenAt, sess.ExpiresAt, sess.ID)
			return err
		})
		if err != nil {
			return User{}, Session{}, fmt.Errorf("authenticate: %w", err)
		}
	}
	return u, sess, nil
}

// Logout revokes the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.db.Tx(ctx, func(tx db.Querier) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL`, s.now().UTC(), hashToken(token))
		return err
	})
}

// RevokeAllSessions signs a user out everywhere.
func (s *Service) RevokeAllSessions(ctx context.Context, userID int64) error {
	return s.revokeOthers(ctx, userID, 0)
}

func (s *Service) revokeOthers(ctx context.Context, userID, keep int64) error {
	return s.db.Tx(ctx, func(tx db.Querier) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL`,
			s.now().UTC(), userID, keep)
		return err
	})
}

// ListSessions returns a user's live sessions, newest first, without tokens.
func (s *Service) ListSessions(ctx context.Context, userID int64) ([]Session, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, user_id, csrf_token, created_at, last_seen_at, expires_at, user_agent, ip
		FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY id DESC`, userID, s.now().UTC())
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		var x Session
		if err := rows.Scan(&x.ID, &x.UserID, &x.CSRFToken, &x.CreatedAt, &x.LastSeenAt, &x.ExpiresAt, &x.UserAgent, &x.IP); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// ChangePassword sets a new password after checking the old one, and signs
// out every other session of the user (keepSessionID stays).
func (s *Service) ChangePassword(ctx context.Context, userID int64, oldPassword, newPassword string, keepSessionID int64) error {
	var hash string
	if err := s.db.Read().QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, userID).Scan(&hash); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundE("user")
		}
		return fmt.Errorf("change password: %w", err)
	}
	if ok, _ := VerifyPassword(hash, oldPassword); !ok || len(oldPassword) > 256 {
		return errs.Fields{"old_password": "field.password_wrong"}.Err()
	}
	return s.setPassword(ctx, userID, newPassword, keepSessionID)
}

// SetPassword sets a password without the old one (one-time links,
// operators) and signs the user out everywhere.
func (s *Service) SetPassword(ctx context.Context, userID int64, newPassword string) error {
	return s.setPassword(ctx, userID, newPassword, 0)
}

func (s *Service) setPassword(ctx context.Context, userID int64, pw string, keep int64) error {
	f := errs.Fields{}
	checkPassword(f, "password", pw)
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.db.Tx(ctx, func(tx db.Querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, now, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFoundE("user")
		}
		_, err = tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL`, now, userID, keep)
		return err
	})
}

// PruneExpired deletes sessions dead for longer than the TTL and sign-in
// failures older than the window.
func (s *Service) PruneExpired(ctx context.Context) error {
	now := s.now().UTC()
	return s.db.Tx(ctx, func(tx db.Querier) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?`,
			now.Add(-s.cfg.SessionTTL), now.Add(-s.cfg.SessionTTL)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE failed_at < ?`, now.Add(-s.cfg.FailureWindow))
		return err
	})
}
