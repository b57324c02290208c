// Package dbtest runs a test against every database souk supports: a fresh
// SQLite file in t.TempDir(), and — when SOUK_TEST_DATABASE_URL is set — a
// fresh schema in that PostgreSQL database, dropped afterwards. The same test
// body runs unchanged on both.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"

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

// EachParallel is Each with the two subtests run in parallel with each
// other (t.Parallel): for tests whose body touches nothing shared beyond
// its own database, servers and temporary folders — no package variable,
// no environment variable, no fixed port. EachParallel returns before they
// run; the calling test ends when both have (its t.Cleanup functions run
// after them).
func EachParallel(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { t.Parallel(); fn(t, Postgres(t)) })
}

// SQLite opens a migrated SQLite database in a temporary folder.
//
// Migrating a new SQLite file takes a second or more under the race
// detector (the driver is C translated to Go, and instrumented), so the
// migrations run once per test binary, into a template, and each test
// starts from a copy of the migrated file; Migrate then runs on the copy as
// before, and finds nothing left to apply.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	tpl, err := sqliteTemplate()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "souk.db"), tpl, 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, "", dir)
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

var sqliteTpl struct {
	once  sync.Once
	bytes []byte
	err   error
}

// sqliteTemplate is the bytes of a freshly migrated SQLite database,
// checkpointed so that the file alone holds everything (no -wal file).
func sqliteTemplate() ([]byte, error) {
	sqliteTpl.once.Do(func() {
		sqliteTpl.bytes, sqliteTpl.err = migratedSQLite()
	})
	return sqliteTpl.bytes, sqliteTpl.err
}

func migratedSQLite() ([]byte, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "souk-dbtest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	d, err := db.Open(ctx, "", dir)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx, nil); err != nil {
		d.Close()
		return nil, err
	}
	if _, err := d.W.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		d.Close()
		return nil, fmt.Errorf("checkpoint template: %w", err)
	}
	if err := d.Close(); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(d.Path + "-wal"); err == nil && fi.Size() > 0 {
		return nil, fmt.Errorf("template %s: WAL not empty after checkpoint", d.Path)
	}
	return os.ReadFile(d.Path)
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
//
// Migrating a schema statement by statement takes about a second, so the
// migrations run once per test binary through goose (db.Migrate), into a
// schema of their own, recording every statement goose executes; each test's
// schema gets the same statements, in the same order, in one transaction
// (pgTemplate), and then db.Migrate as before, which finds nothing left to
// apply.
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
	script, err := pgTemplate(base)
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, u.String(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := script.replay(ctx, d); err != nil {
		t.Fatalf("migrate schema %s: %v", schema, err)
	}
	// Migrate finds every migration applied by the replay, and checks it.
	// goose's PostgreSQL lock is one advisory lock per database, tried
	// every 5 s: test binaries of several packages migrating their schemas
	// in the same database at once would each wait seconds for it. They
	// take turns on a file lock instead, which wakes the next one at once.
	unlock, err := migrateTurn(base)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Migrate(ctx, nil)
	unlock()
	if err != nil {
		t.Fatal(err)
	}
	opened.Store(d, [2]string{u.String(), ""})
	return d
}

// migrateTurn waits for this machine's other test binaries to finish
// migrating a schema of the PostgreSQL database at base.
func migrateTurn(base string) (unlock func(), err error) {
	sum := sha256.Sum256([]byte(base))
	return db.Flock(filepath.Join(os.TempDir(), "souk-dbtest-migrate-"+hex.EncodeToString(sum[:8])+".lock"))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// pgScript is what migrating an empty PostgreSQL schema executes: goose's
// version table and rows, and every statement of every migration, in order.
type pgScript []pgExec

type pgExec struct {
	query string
	args  []any
}

var pgTpl struct {
	mu      sync.Mutex
	scripts map[string]pgScript // by base URL
}

// pgTemplate migrates a scratch schema of the database at base with
// db.Migrate, records what it executes, and drops the schema; once per
// test binary.
func pgTemplate(base string) (pgScript, error) {
	pgTpl.mu.Lock()
	defer pgTpl.mu.Unlock()
	if s, ok := pgTpl.scripts[base]; ok {
		return s, nil
	}
	ctx := context.Background()
	schema := "t_" + randomHex(8) + "_template"
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return nil, fmt.Errorf("create schema: %w", err)
	}
	defer admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	connector, err := admin.Driver().(driver.DriverContext).OpenConnector(u.String())
	if err != nil {
		return nil, err
	}
	rec := &pgRecorder{}
	pool := sql.OpenDB(recordingConnector{connector, rec})
	defer pool.Close()
	unlock, err := migrateTurn(base)
	if err != nil {
		return nil, err
	}
	err = (&db.DB{Dialect: db.Postgres, W: pool, R: pool}).Migrate(ctx, nil)
	unlock()
	if err != nil {
		return nil, err
	}
	rec.mu.Lock()
	script := rec.script
	rec.mu.Unlock()
	if len(script) == 0 {
		return nil, fmt.Errorf("migrating schema %s executed nothing", schema)
	}
	if pgTpl.scripts == nil {
		pgTpl.scripts = map[string]pgScript{}
	}
	pgTpl.scripts[base] = script
	return script, nil
}

// replay executes the script on d in one transaction: the statements
// without arguments in batches (one round trip each), the others one by one.
func (s pgScript) replay(ctx context.Context, d *db.DB) error {
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var batch strings.Builder
	flush := func() error {
		if batch.Len() == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, batch.String())
		batch.Reset()
		return err
	}
	for _, e := range s {
		if len(e.args) == 0 {
			batch.WriteString(e.query)
			batch.WriteString("\n;\n")
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, e.query, e.args...); err != nil {
			return err
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return tx.Commit()
}

// pgRecorder keeps every Exec of the connections it wraps.
type pgRecorder struct {
	mu     sync.Mutex
	script pgScript
}

type recordingConnector struct {
	driver.Connector
	rec *pgRecorder
}

func (c recordingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	pc, ok := conn.(*stdlib.Conn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("dbtest: pgx connection is a %T", conn)
	}
	return &recordingConn{pc, c.rec}, nil
}

// recordingConn is a pgx connection (every method of *stdlib.Conn) whose
// ExecContext records what it executes.
type recordingConn struct {
	*stdlib.Conn
	rec *pgRecorder
}

func (c *recordingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.Conn.ExecContext(ctx, query, args)
	if err == nil {
		e := pgExec{query: query}
		for _, a := range args {
			e.args = append(e.args, a.Value)
		}
		c.rec.mu.Lock()
		c.rec.script = append(c.rec.script, e)
		c.rec.mu.Unlock()
	}
	return res, err
}
