// Package dbtest runs a test against every database souk supports: a fresh
// SQLite file in t.TempDir(), and — when SOUK_TEST_DATABASE_URL is set — a
// fresh schema in that PostgreSQL database, dropped afterwards. The same test
// body runs unchanged on both.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"souk/internal/db"
)

// EnvURL names the variable holding the PostgreSQL test database URL.
const EnvURL = "SOUK_TEST_DATABASE_URL"

var skipOnce sync.Once

// Each runs fn as the subtests "sqlite" and "postgres", each on its own
// freshly migrated database. Without SOUK_TEST_DATABASE_URL the postgres
// subtest is skipped, and says so.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite opens a migrated SQLite database in a temporary folder.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	opened.Store(d, [2]string{"", filepath.Dir(d.Path)})
	return d
}

// opened remembers how each test database was opened, for Reopen.
var opened sync.Map // *db.DB → [2]string{url, dataDir}

// Flags are the command-line flags that open d's database in a souk
// command: --data for SQLite, --database-url for PostgreSQL.
func Flags(t testing.TB, d *db.DB) []string {
	t.Helper()
	v, ok := opened.Load(d)
	if !ok {
		t.Fatal("dbtest.Flags: not a dbtest database")
	}
	args := v.([2]string)
	if args[0] != "" {
		return []string{"--database-url", args[0]}
	}
	return []string{"--data", args[1]}
}

// Reopen opens a second handle on d's database, with pools of its own, as
// a second souk node (or process) would; closed when the test ends.
func Reopen(t testing.TB, d *db.DB) *db.DB {
	t.Helper()
	v, ok := opened.Load(d)
	if !ok {
		t.Fatal("dbtest.Reopen: not a dbtest database")
	}
	args := v.([2]string)
	o, err := db.Open(context.Background(), args[0], args[1])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// Postgres opens a migrated, empty schema of its own in the PostgreSQL test
// database, or skips the test when SOUK_TEST_DATABASE_URL is unset.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		skipOnce.Do(func() {
			fmt.Fprintf(os.Stderr, "dbtest: %s is not set: PostgreSQL tests are SKIPPED (SQLite only)\n", EnvURL)
		})
		t.Skipf("PostgreSQL suite skipped: %s is not set", EnvURL)
	}
	ctx := context.Background()
	schema := "t_" + randomHex(8)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	d, err := db.Open(ctx, u.String(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	opened.Store(d, [2]string{u.String(), ""})
	return d
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
