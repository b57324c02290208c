// Package audit keeps the log of every change an operator or a vendor makes
// to the marketplace's data: who, what, when, and the record before and
// after. Domain packages write an entry in the transaction of the change,
// so the log holds exactly the changes that happened. It owns audit_log.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
)

// Entry is one change.
type Entry struct {
	ID        int64           `json:"id"`
	ActorID   int64           `json:"actor_id,omitempty"` // 0: the system, or an anonymous applicant
	ActorRole string          `json:"actor_role,omitempty"`
	Action    string          `json:"action"` // e.g. "vendor.approve"
	Entity    string          `json:"entity"` // e.g. "vendor"
	EntityID  string          `json:"entity_id"`
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
	At        time.Time       `json:"at"`
}

// Record writes an entry in tx, the transaction of the change. before and
// after are any JSON-encodable values (nil for none).
func Record(ctx context.Context, tx db.Querier, by auth.User, action, entity string, entityID any, before, after any, at time.Time) error {
	enc := func(v any) (string, error) {
		if v == nil {
			return "", nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	b, err := enc(before)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	a, err := enc(after)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	var actor any
	if by.ID != 0 {
		actor = by.ID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (actor_user_id, actor_role, action, entity, entity_id, before_json, after_json, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, actor, string(by.Role), action, entity, fmt.Sprint(entityID), b, a, at.UTC())
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Filter narrows the log. Zero values do not filter.
type Filter struct {
	Entity   string
	EntityID string
	ActorID  int64
	Action   string    // exact, or a prefix ending in "." ("vendor.")
	Text     string    // found in the before or after record
	From, To time.Time // created in [From, To)
	BeforeID int64     // for paging: entries older than this id
	Limit    int       // default 50, at most 200
}

// List returns entries newest first; operators only.
func List(ctx context.Context, q db.Querier, by auth.User, f Filter) ([]Entry, error) {
	if !by.IsOperator() {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	var where []string
	var args []any
	add := func(cond string, arg any) { where = append(where, cond); args = append(args, arg) }
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		add("entity_id = ?", f.EntityID)
	}
	if f.ActorID != 0 {
		add("actor_user_id = ?", f.ActorID)
	}
	if strings.HasSuffix(f.Action, ".") {
		add(`action LIKE ? ESCAPE '\'`, db.LikeEscape(f.Action)+"%")
	} else if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.Text != "" {
		pattern := "%" + db.LikeEscape(f.Text) + "%"
		where = append(where, `(before_json LIKE ? ESCAPE '\' OR after_json LIKE ? ESCAPE '\')`)
		args = append(args, pattern, pattern)
	}
	if !f.From.IsZero() {
		add("created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("created_at < ?", f.To.UTC())
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	query := `SELECT id, COALESCE(actor_user_id, 0), actor_role, action, entity, entity_id, before_json, after_json, created_at FROM audit_log`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT " + strconv.Itoa(f.Limit)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var before, after string
		if err := rows.Scan(&e.ID, &e.ActorID, &e.ActorRole, &e.Action, &e.Entity, &e.EntityID, &before, &after, &e.At); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		if before != "" {
			e.Before = json.RawMessage(before)
		}
		if after != "" {
			e.After = json.RawMessage(after)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Log reads the audit log for the console (writes go through Record, in
// the transaction of each change).
type Log struct{ db *db.DB }

// NewLog reads d's audit log.
func NewLog(d *db.DB) *Log { return &Log{db: d} }

// List returns entries newest first; operators only.
func (l *Log) List(ctx context.Context, by auth.User, f Filter) ([]Entry, error) {
	return List(ctx, l.db.Read(), by, f)
}
