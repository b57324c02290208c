package order

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/money"
)

// Channel is a sales channel: its minimum order value, and when a sale's
// earning falls due to the vendor — SettlementHours after the delivery, or
// after the sale itself in the physical shops (SettlesFrom "sale").
type Channel struct {
	Code            string      `json:"code"`
	MinOrder        money.Money `json:"min_order"`
	SettlementHours int         `json:"settlement_hours"`
	SettlesFrom     string      `json:"settles_from"` // "delivery" or "sale"
}

// MaxSettlementHours is the longest settlement delay: 90 days.
const MaxSettlementHours = 90 * 24

const channelColumns = `code, min_order_amount, settlement_hours, settles_from`

func scanChannel(sc interface{ Scan(...any) error }) (Channel, error) {
	c := Channel{MinOrder: money.Dirhams(0)}
	err := sc.Scan(&c.Code, &c.MinOrder.Amount, &c.SettlementHours, &c.SettlesFrom)
	return c, err
}

// Channels lists the sales channels.
func (s *Service) Channels(ctx context.Context) ([]Channel, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT `+channelColumns+` FROM sales_channels ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	defer rows.Close()
	var out []Channel
	for rows.Next() {
		c, err := scanChannel(rows)
		if err != nil {
			return nil, fmt.Errorf("list channels: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ChannelInput is what may change of a channel; nil leaves it as it is.
type ChannelInput struct {
	MinOrder        *money.Money
	SettlementHours *int
}

// SetChannel changes a channel, in one transaction, each change in the
// audit log (a value given unchanged is no change). The minimum order value (500 MAD on a launch day under load,
// 50 MAD later) is the operators' to set, and applies on every node within
// SettingsTTL; the settlement delay is a money rule, the admins' (0 to
// MaxSettlementHours), and applies to deliveries (shop sales) from now on:
// a due date, once set, stays.
func (s *Service) SetChannel(ctx context.Context, by auth.User, code string, in ChannelInput) (Channel, error) {
	switch {
	case !by.IsOperator():
		return Channel{}, errs.E(errs.Forbidden, "error.forbidden")
	case in.SettlementHours != nil && by.Role != auth.RoleAdmin:
		return Channel{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	f := errs.Fields{}
	if m := in.MinOrder; m != nil && m.Currency != "" && m.Currency != money.MAD {
		f.Add("min_order.currency", "field.currency_mad")
	}
	if m := in.MinOrder; m != nil && m.Amount < 0 {
		f.Add("min_order.amount", "field.negative")
	}
	if h := in.SettlementHours; h != nil && (*h < 0 || *h > MaxSettlementHours) {
		f.Add("settlement_hours", "field.out_of_range")
	}
	if err := f.Err(); err != nil {
		return Channel{}, err
	}
	var c Channel
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		before, err := scanChannel(tx.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM sales_channels WHERE code = ?`, code))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundE("channel")
		} else if err != nil {
			return err
		}
		c = before
		now := s.now()
		if m := in.MinOrder; m != nil && m.Amount != before.MinOrder.Amount {
			c.MinOrder = money.Dirhams(m.Amount)
			if _, err := tx.ExecContext(ctx, `UPDATE sales_channels SET min_order_amount = ? WHERE code = ?`, m.Amount, code); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, by, "sales_channel.set_min_order", "sales_channel", code,
				map[string]any{"min_order": before.MinOrder}, map[string]any{"min_order": c.MinOrder}, now); err != nil {
				return err
			}
		}
		if h := in.SettlementHours; h != nil && *h != before.SettlementHours {
			c.SettlementHours = *h
			if _, err := tx.ExecContext(ctx, `UPDATE sales_channels SET settlement_hours = ? WHERE code = ?`, *h, code); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, by, "sales_channel.set_settlement", "sales_channel", code,
				map[string]any{"settlement_hours": before.SettlementHours}, map[string]any{"settlement_hours": *h}, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Channel{}, fmt.Errorf("set channel: %w", err)
	}
	s.forgetSettings()
	return c, nil
}

// SettingsInput is what an operator may change of Settings.
type SettingsInput struct {
	CODConfirmation *bool `json:"cod_confirmation_required"`
	CardHoldMinutes *int  `json:"card_hold_minutes"`
}

// SetSettings changes the checkout settings given; operators only. Every
// node applies them within SettingsTTL.
func (s *Service) SetSettings(ctx context.Context, by auth.User, in SettingsInput) (Settings, error) {
	if !by.IsOperator() {
		return Settings{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	if in.CardHoldMinutes != nil && (*in.CardHoldMinutes < 5 || *in.CardHoldMinutes > 7*24*60) {
		return Settings{}, errs.Fields{"card_hold_minutes": "field.out_of_range"}.Err()
	}
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		before, after := map[string]string{}, map[string]string{}
		set := func(name, value string) error {
			var old string
			if err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&old); err == nil {
				before[name] = old
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			after[name] = value
			_, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES (?, ?)
				ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
			return err
		}
		if in.CODConfirmation != nil {
			if err := set("cod_confirmation_required", strconv.FormatBool(*in.CODConfirmation)); err != nil {
				return err
			}
		}
		if in.CardHoldMinutes != nil {
			if err := set("card_hold_minutes", strconv.Itoa(*in.CardHoldMinutes)); err != nil {
				return err
			}
		}
		if len(after) == 0 {
			return nil
		}
		return audit.Record(ctx, tx, by, "settings.set", "settings", "checkout", before, after, s.now())
	})
	if err != nil {
		return Settings{}, fmt.Errorf("set settings: %w", err)
	}
	s.forgetSettings()
	return s.Settings(ctx)
}
