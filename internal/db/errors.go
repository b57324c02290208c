package db

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Driver errors are classified here, once, by each engine's error code — never
// by message text — so domain packages can ask what went wrong.

// IsUniqueViolation reports a unique or primary-key constraint failure.
func IsUniqueViolation(err error) bool {
	if code, ok := sqliteCode(err); ok {
		return code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return pgCode(err) == "23505"
}

// IsForeignKeyViolation reports a reference to a row that does not exist, or
// the removal of a row still referenced.
func IsForeignKeyViolation(err error) bool {
	if code, ok := sqliteCode(err); ok {
		return code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return pgCode(err) == "23503"
}

// IsCheckViolation reports a CHECK constraint failure (a negative stock, an
// unknown status).
func IsCheckViolation(err error) bool {
	if code, ok := sqliteCode(err); ok {
		return code == sqlite3.SQLITE_CONSTRAINT_CHECK
	}
	return pgCode(err) == "23514"
}

// IsRetryable reports a conflict that a retry of the whole transaction may
// resolve: SQLite busy/locked, PostgreSQL serialization failure or deadlock.
func IsRetryable(err error) bool {
	if code, ok := sqliteCode(err); ok {
		primary := code & 0xff
		return primary == sqlite3.SQLITE_BUSY || primary == sqlite3.SQLITE_LOCKED
	}
	c := pgCode(err)
	return c == "40001" || c == "40P01"
}

func sqliteCode(err error) (int, bool) {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code(), true
	}
	return 0, false
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
