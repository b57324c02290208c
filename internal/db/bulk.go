package db

import (
	"context"
	"fmt"
	"strings"
)

// maxParams keeps one statement under both engines' limits on bound
// parameters (SQLite 32766, PostgreSQL 65535).
const maxParams = 30000

// InsertRows inserts rows into table in as few multi-row INSERT statements as
// the parameter limits allow. Each row holds one value per column. When
// returning names columns, their values come back, one []any per row, in no
// promised order — return a unique key with them to match rows up.
func InsertRows(ctx context.Context, q Querier, table string, cols []string, rows [][]any, returning ...string) ([][]any, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	per := max(1, maxParams/len(cols))
	rowMarks := "(" + Placeholders(len(cols)) + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	tail := ""
	if len(returning) > 0 {
		tail = " RETURNING " + strings.Join(returning, ", ")
	}
	var out [][]any
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, len(chunk)*len(cols))
		for i, r := range chunk {
			if len(r) != len(cols) {
				return nil, fmt.Errorf("insert %s: row has %d values for %d columns", table, len(r), len(cols))
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(rowMarks)
			args = append(args, r...)
		}
		b.WriteString(tail)
		if len(returning) == 0 {
			if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
				return nil, fmt.Errorf("insert %s: %w", table, err)
			}
			continue
		}
		res, err := q.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return nil, fmt.Errorf("insert %s: %w", table, err)
		}
		for res.Next() {
			vals := make([]any, len(returning))
			ptrs := make([]any, len(returning))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := res.Scan(ptrs...); err != nil {
				res.Close()
				return nil, fmt.Errorf("insert %s: %w", table, err)
			}
			out = append(out, vals)
		}
		if err := res.Close(); err != nil {
			return nil, fmt.Errorf("insert %s: %w", table, err)
		}
		if err := res.Err(); err != nil {
			return nil, fmt.Errorf("insert %s: %w", table, err)
		}
	}
	return out, nil
}

// Int64 reads an integer column value that InsertRows returned (drivers
// hand back int64, or smaller ints).
func Int64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

// String reads a text column value that InsertRows returned.
func String(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}
