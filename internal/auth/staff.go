package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"souk/internal/db"
	"souk/internal/errs"
)

// A vendor's people: its owner, who manages them, and its staff, who
// handle orders and products. The owner invites staff (Invite, with
// RoleVendorStaff) and removes them (DisableStaff); a removed member's
// account stays, disabled, so that the history still names them.
// The callers record both in the audit log, in the same transaction
// (package audit depends on this one, so it cannot be called from here).

// Member is one of a vendor's people as the owner's list shows them.
type Member struct {
	User
	Invited    bool       // no password chosen yet: the e-mailed link is still to be followed
	LastSignIn *time.Time // the latest session opened, nil when none is known (never, or pruned)
}

// CanManageStaff says whether by may invite and remove vendorID's staff:
// the vendor's owner and operators. The vendor's staff get errs.Forbidden,
// another vendor's people errs.NotFound (they do not learn it exists),
// everyone else errs.Forbidden, and the anonymous errs.Unauthorized.
func CanManageStaff(by User, vendorID int64) error {
	switch {
	case by.ID == 0:
		return errs.E(errs.Unauthorized, "error.unauthorized")
	case by.IsOperator():
		return nil
	case by.IsVendorUser() && by.VendorID == vendorID:
		if by.Role == RoleVendorOwner {
			return nil
		}
		return errs.E(errs.Forbidden, "error.forbidden")
	case by.IsVendorUser():
		return errs.NotFoundE("vendor")
	}
	return errs.E(errs.Forbidden, "error.forbidden")
}

// VendorMembers lists a vendor's owner (first) and staff, with whether each
// has chosen a password and when they last signed in: the vendor's owner
// and operators (CanManageStaff).
func (s *Service) VendorMembers(ctx context.Context, by User, vendorID int64) ([]Member, error) {
	if err := CanManageStaff(by, vendorID); err != nil {
		return nil, err
	}
	q := s.db.Read()
	rows, err := q.QueryContext(ctx, `SELECT `+userColumns+`, password_hash = '' FROM users WHERE vendor_id = ?
		ORDER BY CASE role WHEN 'vendor_owner' THEN 0 ELSE 1 END, id`, vendorID)
	if err != nil {
		return nil, fmt.Errorf("vendor members: %w", err)
	}
	defer rows.Close()
	var out []Member
	index := map[int64]int{}
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.ID, &m.Email, &m.Name, &m.Role, &m.VendorID, &m.Locale, &m.CreatedAt, &m.Disabled, &m.Invited); err != nil {
			return nil, fmt.Errorf("vendor members: %w", err)
		}
		index[m.ID] = len(out)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("vendor members: %w", err)
	}
	rows.Close()
	// Sign-ins, each person's latest kept here: an aggregate's type is not
	// the column's on SQLite, so the times are read as columns.
	rows, err = q.QueryContext(ctx, `SELECT s.user_id, s.created_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE u.vendor_id = ?`, vendorID)
	if err != nil {
		return nil, fmt.Errorf("vendor members' sign-ins: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return nil, fmt.Errorf("vendor members' sign-ins: %w", err)
		}
		if i, ok := index[id]; ok && (out[i].LastSignIn == nil || at.After(*out[i].LastSignIn)) {
			out[i].LastSignIn = &at
		}
	}
	return out, rows.Err()
}

// DisableStaff removes a staff member of vendorID in the caller's
// transaction: their account is disabled, every session of theirs revoked
// and any set-password link spent, so they can no longer sign in. Who may
// is CanManageStaff's; a user who is not vendorID's is errs.NotFound, the
// owner cannot be removed (errs.Conflict). It returns the member as they
// were, and whether anything changed (removing twice changes nothing).
func DisableStaff(ctx context.Context, tx db.Querier, by User, vendorID, userID int64, now time.Time) (User, bool, error) {
	if err := CanManageStaff(by, vendorID); err != nil {
		return User{}, false, err
	}
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ? AND vendor_id = ?`, userID, vendorID))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, false, errs.NotFoundE("user")
	}
	if err != nil {
		return User{}, false, fmt.Errorf("disable staff: %w", err)
	}
	if u.Role != RoleVendorStaff {
		return User{}, false, errs.E(errs.Conflict, "staff.owner_stays")
	}
	if u.Disabled {
		return u, false, nil
	}
	now = now.UTC()
	res, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ? AND disabled_at IS NULL`, now, now, userID)
	if err != nil {
		return User{}, false, fmt.Errorf("disable staff: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return User{}, false, fmt.Errorf("disable staff: %w", err)
	} else if n == 0 {
		return u, false, nil // removed meanwhile
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, now, userID); err != nil {
		return User{}, false, fmt.Errorf("disable staff: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE user_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, now, userID); err != nil {
		return User{}, false, fmt.Errorf("disable staff: %w", err)
	}
	return u, true, nil
}
