package vendor

import (
	"context"
	"fmt"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/i18n"
	"souk/internal/notify"
)

// A vendor's owner brings in the people who help: each is invited by
// e-mail, in their own language, with a one-time link to choose a password,
// and can be removed again. The accounts are auth's; this is where the
// invitation, its e-mail and the audit entries are written in one
// transaction.

// StaffInvite is who the owner invites.
type StaffInvite struct {
	Name, Email string
	Locale      string // the language of the e-mail and of their account; Arabic when not one of souk's
}

// InviteStaff creates a staff account of vendor id without a password, and
// e-mails its owner-to-be a one-time link to choose one (auth.Invite). The
// vendor's owner and operators may (auth.CanManageStaff). Bad input names
// the field (name, email); an e-mail already used is errs.Conflict on
// "email". Nothing is written unless everything is.
func (s *Service) InviteStaff(ctx context.Context, by auth.User, id int64, in StaffInvite) (auth.User, error) {
	if err := auth.CanManageStaff(by, id); err != nil {
		return auth.User{}, err
	}
	v, err := s.ByID(ctx, id)
	if err != nil {
		return auth.User{}, err
	}
	if !i18n.Valid(in.Locale) {
		in.Locale = i18n.Default
	}
	now := s.now().UTC()
	var u auth.User
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		var token string
		var err error
		u, token, err = auth.Invite(ctx, tx, auth.NewUser{Email: in.Email, Name: in.Name, Role: auth.RoleVendorStaff, VendorID: id,
			Locale: in.Locale}, now)
		if err != nil {
			return err
		}
		after := map[string]any{"email": u.Email, "name": u.Name, "role": u.Role, "vendor_id": id, "locale": u.Locale}
		if err := audit.Record(ctx, tx, by, "user.invite", "user", u.ID, nil, after, now); err != nil {
			return err
		}
		args := map[string]any{"name": u.Name, "vendor": v.DisplayName(u.Locale), "inviter": by.Name,
			"link": s.SetPasswordURL(u.Locale, token)}
		if args["inviter"] == "" {
			args["inviter"] = "souk"
		}
		return notify.Enqueue(ctx, tx, now, notify.Message{
			Key:     fmt.Sprintf("staff-invite:%d", u.ID),
			To:      u.Email,
			Subject: i18n.T(u.Locale, "mail.staff_invite.subject", args),
			Text:    i18n.T(u.Locale, "mail.greeting", args) + "\n\n" + i18n.T(u.Locale, "mail.staff_invite.body", args) + "\n",
		})
	})
	if err != nil {
		return auth.User{}, fmt.Errorf("invite staff: %w", err)
	}
	return u, nil
}

// RemoveStaff disables a staff member of vendor id and signs them out
// everywhere (auth.DisableStaff), with an audit entry. The vendor's owner
// and operators may; a user who is not the vendor's is errs.NotFound, the
// owner cannot be removed (errs.Conflict). Removing twice changes nothing.
func (s *Service) RemoveStaff(ctx context.Context, by auth.User, id, userID int64) (auth.User, error) {
	var u auth.User
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		now := s.now().UTC()
		var changed bool
		var err error
		u, changed, err = auth.DisableStaff(ctx, tx, by, id, userID, now)
		if err != nil || !changed {
			return err
		}
		return audit.Record(ctx, tx, by, "user.disable", "user", userID,
			map[string]any{"email": u.Email, "disabled": false}, map[string]any{"email": u.Email, "disabled": true}, now)
	})
	if err != nil {
		return auth.User{}, fmt.Errorf("remove staff: %w", err)
	}
	u.Disabled = true
	return u, nil
}
