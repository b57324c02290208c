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

// Channel is a sales channel and its minimum order value.
type Channel struct {
	Code     string      `json:"code"`
	MinOrder money.Money `json:"min_order"`
}

// Channels lists the sales channels.
func (s *Service) Channels(ctx context.Context) ([]Channel, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT code, min_order_amount FROM sales_channels ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	defer rows.Close()
	var out []Channel
	for rows.Next() {
		c := Channel{MinOrder: money.Dirhams(0)}
		if err := rows.Scan(&c.Code, &c.MinOrder.Amount); err != nil {
			return nil, fmt.Errorf("list channels: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetMinOrder sets a channel's minimum order value (500 MAD on a launch day
// under load, 50 MAD later); operators only. It applies on every node
// within SettingsTTL.
func (s *Service) SetMinOrder(ctx context.Context, by auth.User, channel string, min money.Money) (Channel, error) {
	if !by.IsOperator() {
		return Channel{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	f := errs.Fields{}
	if min.Currency != "" && min.Currency != money.MAD {
		f.Add("min_order.currency", "field.currency_mad")
	}
	if min.Amount < 0 {
		f.Add("min_order.amount", "field.negative")
	}
	if err := f.Err(); err != nil {
		return Channel{}, err
	}
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		var before int64
		err := tx.QueryRowContext(ctx, `SELECT min_order_amount FROM sales_channels WHERE code = ?`, channel).Scan(&before)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundE("channel")
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sales_channels SET min_order_amount = ? WHERE code = ?`, min.Amount, channel); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, "sales_channel.set_min_order", "sales_channel", channel,
			map[string]any{"min_order": money.Dirhams(before)}, map[string]any{"min_order": money.Dirhams(min.Amount)}, s.now())
	})
	if err != nil {
		return Channel{}, fmt.Errorf("set minimum order: %w", err)
	}
	s.forgetSettings()
	return Channel{Code: channel, MinOrder: money.Dirhams(min.Amount)}, nil
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
