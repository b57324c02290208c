// Package db opens souk's database — an embedded SQLite file by default,
// PostgreSQL when a URL is given — applies the embedded migrations, and gives
// the domain packages one way to query both: SQL written with `?`
// placeholders, rebound for PostgreSQL, and transactions on the write pool.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"           // registers "sqlite" (pure Go)
)

// Dialect names the SQL engine behind a DB. Branch on it only where the SQL
// truly differs (DDL, full-text search, bulk loading).
type Dialect string

// The two supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database. On SQLite, W is a single connection (SQLite has one
// writer at a time, and queueing in Go beats spinning on SQLITE_BUSY) and R a
// pool of read-only connections; on PostgreSQL both are the same pool.
type DB struct {
	Dialect Dialect
	W       *sql.DB
	R       *sql.DB
	// Path is the SQLite file, "" on PostgreSQL.
	Path string

	// light is the pool of LightTx: on PostgreSQL connections that commit
	// without waiting for the disk; nil for W.
	light *sql.DB

	rebound sync.Map // query -> rebound query, for PostgreSQL
	commits atomic.Uint64
}

// Commits counts the transactions (and pipelines) this process committed:
// a reader that keeps a copy of the database (a cache) compares it to know
// whether this process wrote since it last looked.
func (d *DB) Commits() uint64 { return d.commits.Load() }

// Open connects to url when it is a postgres:// URL, otherwise to the SQLite
// file souk.db under dataDir (created if needed). It does not migrate.
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return openPostgres(ctx, url)
	}
	if url != "" {
		return nil, fmt.Errorf("open database: unsupported URL %q (want postgres://…, or none for SQLite)", redact(url))
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return openSQLite(ctx, filepath.Join(dataDir, "souk.db"))
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	pool.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", redact(url), err)
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	cfg.RuntimeParams["synchronous_commit"] = "off"
	light := stdlib.OpenDB(*cfg)
	light.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	light.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	light.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{Dialect: Postgres, W: pool, R: pool, light: light}, nil
}

// sqlitePragmas are every connection's settings, in one place: WAL so readers
// never block the writer, a busy timeout for other processes (a second node,
// `souk demo` beside `souk serve`), foreign keys enforced. Each connection's
// page cache is SQLite's default 2 MB: any commit empties every other
// connection's cache anyway, the operating system caches the file, and the
// caches are resident memory.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
	"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-2000)&_time_format=sqlite"

func openSQLite(ctx context.Context, path string) (*DB, error) {
	w, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// Readers wait for one another only for a connection: under load, with
	// four per core a rendering rarely waits for one held by a request
	// that is not running.
	n := max(8, 4*runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)
	return &DB{Dialect: SQLite, W: w, R: r, Path: path}, nil
}

// Analyze refreshes PostgreSQL's statistics after a bulk load: until its
// autovacuum gets to the new rows (minutes later), the planner has none
// and plans as for empty tables. Only tables holding rows are analyzed: an
// empty table's statistics would say "empty" until autovacuum looks again,
// and the planner would scan carts or orders whole as they fill (a launch
// on a server without autovacuum did 47,935 full scans of carts), where a
// table never analyzed is planned as if it had some rows. SQLite plans
// without statistics, as souk's queries were measured, so it does nothing
// there.
func (d *DB) Analyze(ctx context.Context) error {
	if d.Dialect != Postgres {
		return nil
	}
	rows, err := d.W.QueryContext(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("analyze: %w", err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	for _, t := range tables {
		name := `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		var filled bool
		if err := d.W.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+name+`)`).Scan(&filled); err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
		if !filled {
			continue
		}
		if _, err := d.W.ExecContext(ctx, `ANALYZE `+name); err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
	}
	return nil
}

// Close closes the pools.
func (d *DB) Close() error {
	err := d.W.Close()
	if d.R != d.W {
		err = errors.Join(err, d.R.Close())
	}
	if d.light != nil {
		err = errors.Join(err, d.light.Close())
	}
	return err
}

// Ping checks that the database answers, for /healthz.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.R.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Rebind turns `?` placeholders into `$1, $2…` on PostgreSQL. Queries are
// rebound once and cached (short ones); `?` inside string literals is left alone.
func (d *DB) Rebind(query string) string {
	if d.Dialect != Postgres {
		return query
	}
	if q, ok := d.rebound.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, inString := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inString = !inString
			b.WriteByte(c)
		case c == '?' && !inString:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	q := b.String()
	if len(query) <= 4096 { // bulk INSERTs vary by row count: not worth keeping
		d.rebound.Store(query, q)
	}
	return q
}

// Querier is what domain code reads and writes through: the read pool, or a
// transaction. Queries use `?` placeholders on both dialects.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Dialect
}

type querier struct {
	d *DB
	q interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
}

func (q querier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.q.ExecContext(ctx, q.d.Rebind(query), args...)
}
func (q querier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.q.QueryContext(ctx, q.d.Rebind(query), args...)
}
func (q querier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return q.q.QueryRowContext(ctx, q.d.Rebind(query), args...)
}
func (q querier) Dialect() Dialect { return q.d.Dialect }

// Read returns a Querier on the read pool. Never write through it: on SQLite
// its connections are query-only.
func (d *DB) Read() Querier { return querier{d: d, q: d.R} }

// Tx runs fn in one transaction on the write pool, committing when fn returns
// nil and rolling back otherwise (or on panic). On SQLite it begins
// IMMEDIATE, so the write lock is taken up front and never upgraded mid-way.
func (d *DB) Tx(ctx context.Context, fn func(tx Querier) error) error {
	return d.tx(ctx, d.W, fn)
}

// LightTx is Tx for changes a crash of the database server may lose without
// harm — a cart's lines, never an order or a payment. On PostgreSQL they
// commit without waiting for the WAL to reach the disk (synchronous_commit
// off): under load that wait is most of a cart change's time, and a server
// crash loses at most the last few hundred milliseconds of them, each whole
// or not at all. On SQLite it is Tx, whose commits never wait for the disk
// (synchronous NORMAL in WAL mode).
func (d *DB) LightTx(ctx context.Context, fn func(tx Querier) error) error {
	if d.light == nil {
		return d.tx(ctx, d.W, fn)
	}
	return d.tx(ctx, d.light, fn)
}

func (d *DB) tx(ctx context.Context, pool *sql.DB, fn func(tx Querier) error) (err error) {
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(querier{d: d, q: tx}); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	d.commits.Add(1)
	return nil
}

// redact hides a URL's password for logs and errors.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 {
		return url
	}
	userinfo := url[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return url[:scheme+3] + userinfo[:i] + ":***" + url[at:]
	}
	return url
}

// Placeholders returns "?, ?, …" with n marks, for IN lists.
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// LikeEscape makes s match itself in a LIKE pattern written with
// ESCAPE '\' (its %, _ and \ stand for themselves).
func LikeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
