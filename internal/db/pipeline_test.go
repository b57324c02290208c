package db_test

import (
	"context"
	"errors"
	"testing"

	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// A pipeline is one transaction: a FailUnless that does not hold undoes the
// statements before it, and one that holds lets them all commit.
func TestPipelineIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	if _, err := dbtest.SQLite(t).Pipeline(ctx); !errors.Is(err, db.ErrNoPipeline) {
		t.Fatalf("SQLite: want ErrNoPipeline, got %v", err)
	}
	d := dbtest.Postgres(t)
	count := func() int {
		var n int
		if err := d.Read().QueryRowContext(ctx, "SELECT COUNT(*) FROM tax_classes WHERE code LIKE 'pipe%'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	insert := func(code string) db.Statement {
		return db.Statement{Query: "INSERT INTO tax_classes (code, rate_bp) VALUES (?, ?) RETURNING code", Args: []any{code, 5}}
	}
	check := db.Statement{Query: db.FailUnless("(SELECT COUNT(*) FROM tax_classes WHERE code LIKE 'pipe%') = ?"), Args: []any{2}}

	_, err := d.Pipeline(ctx, insert("pipe-a"), check, insert("pipe-b"))
	if !db.IsFailedCheck(err) {
		t.Fatalf("a check that does not hold: want IsFailedCheck, got %v", err)
	}
	if n := count(); n != 0 {
		t.Fatalf("a failed pipeline left %d rows", n)
	}

	got, err := d.Pipeline(ctx, insert("pipe-a"), insert("pipe-b"), check)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d rows after a pipeline of two inserts", n)
	}
	if len(got) != 3 || len(got[1]) != 1 || db.String(got[1][0][0]) != "pipe-b" || db.Int64(got[2][0][0]) != 1 {
		t.Fatalf("results: %v", got)
	}

	_, err = d.Pipeline(ctx, insert("pipe-c"), insert("pipe-a"))
	if !db.IsUniqueViolation(err) {
		t.Fatalf("a duplicate: want a unique violation, got %v", err)
	}
	if n := count(); n != 2 {
		t.Fatalf("a pipeline failing on its second statement kept its first: %d rows", n)
	}
}
