package order

import (
	"context"
	"fmt"

	"souk/internal/auth"
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
	res, err := s.db.W.ExecContext(ctx, s.db.Rebind(`UPDATE sales_channels SET min_order_amount = ? WHERE code = ?`), min.Amount, channel)
	if err != nil {
		return Channel{}, fmt.Errorf("set minimum order: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Channel{}, errs.NotFoundE("channel")
	}
	s.forgetSettings()
	return Channel{Code: channel, MinOrder: money.Dirhams(min.Amount)}, nil
}
