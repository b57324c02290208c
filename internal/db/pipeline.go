package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Statement is one SQL statement, with `?` placeholders, and its arguments.
type Statement struct {
	Query string
	Args  []any
}

// ErrNoPipeline is Pipeline's answer on SQLite, where statements cost no
// round trip: the caller runs them in a Tx instead.
var ErrNoPipeline = errors.New("pipeline: PostgreSQL only")

// Pipeline runs statements on PostgreSQL as one implicit transaction in one
// round trip (pgx's batch: every statement, then a single Sync): all of them
// take effect, or — when one fails — none does. It returns each statement's
// rows as values (int64, string, time.Time…). A statement that must stop the
// transaction under a condition uses FailUnless.
//
// It exists for the hot write paths (place-order) where round trips, not
// SQL, are what a transaction waits for.
func (d *DB) Pipeline(ctx context.Context, stmts ...Statement) ([][][]any, error) {
	if d.Dialect != Postgres {
		return nil, ErrNoPipeline
	}
	conn, err := d.W.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	defer conn.Close()
	out := make([][][]any, len(stmts))
	err = conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipeline: driver connection is %T", driverConn)
		}
		b := &pgx.Batch{}
		for _, s := range stmts {
			b.Queue(d.Rebind(s.Query), s.Args...)
		}
		res := c.Conn().SendBatch(ctx, b)
		for i := range stmts {
			rows, err := res.Query()
			if err != nil {
				_ = res.Close()
				return err
			}
			for rows.Next() {
				v, err := rows.Values()
				if err != nil {
					rows.Close()
					_ = res.Close()
					return err
				}
				out[i] = append(out[i], v)
			}
			if err := rows.Err(); err != nil {
				_ = res.Close()
				return err
			}
		}
		return res.Close()
	})
	if err != nil {
		return nil, err
	}
	d.commits.Add(1)
	return out, nil
}

// FailUnless is a SELECT that fails — and so rolls back the pipeline it is
// part of — unless the SQL boolean condition holds; it may follow a WITH.
// PostgreSQL only: a division by zero at run time (the condition must not be
// a constant, or the planner folds it), which IsFailedCheck recognises.
func FailUnless(condition string) string {
	return `SELECT 1 / CAST((` + condition + `) AS INTEGER)`
}

// IsFailedCheck reports a FailUnless whose condition did not hold.
func IsFailedCheck(err error) bool { return pgCode(err) == "22012" }
