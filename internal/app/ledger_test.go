package app

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// souk ledger check passes on a sound book and fails, naming the
// journal transaction, when one does not sum to zero.
func TestLedgerCheckCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), []string{"ledger", "check", "--data", dir, "--log-level", "warn"}, nil, &out, &errOut); code != 0 ||
		!strings.Contains(out.String(), "ok: the book sums to zero") {
		t.Fatalf("empty book: exit %d: %s %s", code, out.String(), errOut.String())
	}

	// A transaction written around ledger.Post, unbalanced.
	a, err := Open(context.Background(), Config{DataDir: dir, LogLevel: "warn"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, now := context.Background(), time.Now().UTC()
	var id int64
	if err := a.DB.W.QueryRowContext(ctx, `INSERT INTO ledger_transactions (kind, reference, document, created_at)
		VALUES ('test.broken', 'x', '', ?) RETURNING id`, now).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.W.ExecContext(ctx, `INSERT INTO ledger_entries (transaction_id, account, amount, currency) VALUES (?, 'bank', 500, 'MAD')`, id); err != nil {
		t.Fatal(err)
	}
	a.Close()

	out.Reset()
	if code := Run(context.Background(), []string{"ledger", "check", "--data", dir, "--json", "--log-level", "warn"}, nil, &out, &errOut); code != 1 ||
		!strings.Contains(out.String(), `"MAD": 500`) || !strings.Contains(out.String(), "journal transaction") {
		t.Fatalf("broken book: exit %d: %s", code, out.String())
	}
}
