package db_test

import (
	"context"
	"sync"
	"testing"

	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
)

func TestMigrateTwiceAndConcurrently(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// Already migrated once by dbtest; again, twice at once.
		var wg sync.WaitGroup
		errc := make(chan error, 2)
		for range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); errc <- d.Migrate(ctx, nil) }()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatalf("migrate again: %v", err)
			}
		}
		var n int
		if err := d.Read().QueryRowContext(ctx, "SELECT COUNT(*) FROM tax_classes WHERE code = ?", "standard").Scan(&n); err != nil || n != 1 {
			t.Fatalf("tax classes after three migrations: n=%d err=%v", n, err)
		}
	})
}

func TestConstraintErrorsAreClassified(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.Tx(ctx, func(tx db.Querier) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO tax_classes (code, rate_bp) VALUES (?, ?)", "standard", 100)
			return err
		})
		if !db.IsUniqueViolation(err) {
			t.Errorf("duplicate key: IsUniqueViolation false for %v", err)
		}
		err = d.Tx(ctx, func(tx db.Querier) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO tax_classes (code, rate_bp) VALUES (?, ?)", "weird", -5)
			return err
		})
		if !db.IsCheckViolation(err) {
			t.Errorf("negative rate: IsCheckViolation false for %v", err)
		}
		err = d.Tx(ctx, func(tx db.Querier) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO categories (slug, parent_id) VALUES (?, ?)", "orphan", 999999)
			return err
		})
		if !db.IsForeignKeyViolation(err) {
			t.Errorf("missing parent: IsForeignKeyViolation false for %v", err)
		}
	})
}

// Tx and LightTx alike roll back when their function fails.
func TestTxRollsBackOnError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for name, run := range map[string]func(context.Context, func(db.Querier) error) error{"Tx": d.Tx, "LightTx": d.LightTx} {
			err := run(ctx, func(tx db.Querier) error {
				if _, err := tx.ExecContext(ctx, "INSERT INTO tax_classes (code, rate_bp) VALUES (?, ?)", "temp", 5); err != nil {
					return err
				}
				return errs.E(errs.Invalid, "stop")
			})
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("%s: want the function's error back, got %v", name, err)
			}
			var n int
			_ = d.Read().QueryRowContext(ctx, "SELECT COUNT(*) FROM tax_classes WHERE code = 'temp'").Scan(&n)
			if n != 0 {
				t.Fatalf("%s: rolled-back row is visible", name)
			}
		}
	})
}

// LightTx commits as Tx does, in the same schema (its rollback is tested
// with Tx's); only on PostgreSQL its commits do not wait for the disk, and
// Tx's still do.
func TestLightTx(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var light, strict string
		err := d.LightTx(ctx, func(tx db.Querier) error {
			if d.Dialect == db.Postgres {
				if err := tx.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&light); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO tax_classes (code, rate_bp) VALUES (?, ?)", "kept", 5)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.Read().QueryRowContext(ctx, "SELECT COUNT(*) FROM tax_classes WHERE code = 'kept'").Scan(&n); err != nil || n != 1 {
			t.Fatalf("after a commit: %d rows (%v), want the committed one", n, err)
		}
		if d.Dialect != db.Postgres {
			return
		}
		if err := d.Tx(ctx, func(tx db.Querier) error {
			return tx.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&strict)
		}); err != nil {
			t.Fatal(err)
		}
		if light != "off" || strict != "on" {
			t.Errorf("synchronous_commit: %q in LightTx, %q in Tx; want off and on", light, strict)
		}
	})
}

func TestRebind(t *testing.T) {
	d := &db.DB{Dialect: db.Postgres}
	got := d.Rebind("SELECT a FROM t WHERE b = ? AND c = '?' AND d IN (?, ?)")
	want := "SELECT a FROM t WHERE b = $1 AND c = '?' AND d IN ($2, $3)"
	if got != want {
		t.Fatalf("Rebind = %q, want %q", got, want)
	}
}

// Analyze leaves PostgreSQL with statistics of every table holding rows
// (the planner's input after a bulk load) and none of the empty ones, which
// fill later (an empty table analyzed is planned as empty: scanned whole);
// on SQLite it does nothing and fails nothing.
func TestAnalyze(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.W.ExecContext(ctx, `INSERT INTO catalog_changes (listings) VALUES (TRUE)`); err != nil {
			t.Fatal(err)
		}
		if err := d.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		if d.Dialect != db.Postgres {
			return
		}
		for table, want := range map[string]bool{"catalog_changes": true, "carts": false} {
			var analyzed bool
			err := d.Read().QueryRowContext(ctx, `SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables
				WHERE schemaname = current_schema() AND relname = $1`, table).Scan(&analyzed)
			if err != nil {
				t.Fatal(err)
			}
			if analyzed != want {
				t.Errorf("%s: analyzed %v, want %v", table, analyzed, want)
			}
		}
	})
}
