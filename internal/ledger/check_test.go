package ledger_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/ledger"
)

// Check passes on a sound book and names a transaction that does not sum
// to zero, and the currency the whole book is off in.
func TestCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.Tx(ctx, func(tx db.Querier) error {
			_, err := ledger.Post(ctx, tx, ledger.Transaction{Kind: "test.sound", Reference: "1", At: time.Now(), Entries: []ledger.Entry{
				{Account: "bank", Amount: 700, Currency: "MAD"}, {Account: "refunds:owed", Amount: -700, Currency: "MAD"}}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if r, err := ledger.Check(ctx, d.Read()); err != nil || !r.OK() || r.Transactions != 1 || r.Entries != 2 {
			t.Fatalf("sound book: %+v %v", r, err)
		}
		var id int64
		if err := d.W.QueryRowContext(ctx, d.Rebind(`INSERT INTO ledger_transactions (kind, reference, document, created_at)
			VALUES ('test.broken', 'x', '', ?) RETURNING id`), time.Now().UTC()).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, d.Rebind(`INSERT INTO ledger_entries (transaction_id, account, amount, currency) VALUES (?, 'bank', 500, 'MAD')`), id); err != nil {
			t.Fatal(err)
		}
		r, err := ledger.Check(ctx, d.Read())
		if err != nil || r.OK() || len(r.Problems) != 2 || !strings.Contains(strings.Join(r.Problems, "\n"), "transaction") || r.Totals["MAD"] != 500 {
			t.Fatalf("broken book: %+v %v", r, err)
		}
	})
}
