package order

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"souk/internal/db"
)

// ExpireHolds cancels the card orders whose payment did not arrive before
// their hold ran out, giving their stock back. Cash-on-delivery orders hold
// nothing this way: they keep their stock until cancelled. Safe on several
// nodes at once: each order is moved with a conditional update, so one
// node wins and the others skip it.
func (s *Service) ExpireHolds(ctx context.Context) (int, error) {
	now := s.now().UTC()
	rows, err := s.db.Read().QueryContext(ctx, `SELECT o.id FROM orders o JOIN payments p ON p.order_id = o.id
		WHERE o.hold_until IS NOT NULL AND o.hold_until < ? AND p.status IN ('pending', 'failed') LIMIT 500`, now)
	if err != nil {
		return 0, fmt.Errorf("find expired holds: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find expired holds: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("find expired holds: %w", err)
	}
	n := 0
	for _, id := range ids {
		err := s.db.Tx(ctx, func(tx db.Querier) error {
			// Re-checked inside the transaction, under the order's lock: a
			// payment may have landed since.
			if err := lockOrder(ctx, tx, id); err != nil {
				return err
			}
			var pending int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM payments WHERE order_id = ? AND status IN ('pending', 'failed')`, id).Scan(&pending); err != nil {
				return err
			}
			if pending == 0 {
				return nil
			}
			vrows, err := tx.QueryContext(ctx, `SELECT id, status FROM vendor_orders WHERE order_id = ? AND status IN ('placed', 'confirmed')`, id)
			if err != nil {
				return err
			}
			type vo struct {
				id     int64
				status Status
			}
			var open []vo
			for vrows.Next() {
				var v vo
				if err := vrows.Scan(&v.id, &v.status); err != nil {
					vrows.Close()
					return err
				}
				open = append(open, v)
			}
			vrows.Close()
			if err := vrows.Err(); err != nil {
				return err
			}
			for _, v := range open {
				if err := s.move(ctx, tx, id, v.id, v.status, Cancelled, ActorSystem, 0, "payment not received in time", ""); err != nil {
					return err
				}
			}
			n++
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("expire hold of order %d: %w", id, err)
		}
	}
	return n, nil
}

// RunExpiry calls ExpireHolds every interval until ctx ends.
func (s *Service) RunExpiry(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.ExpireHolds(ctx); err != nil {
				log.Error("expire card holds", "err", err)
			} else if n > 0 {
				log.Info("card orders cancelled: payment not received in time", "orders", n)
			}
		}
	}
}
