// Package notify sends souk's e-mail through a transactional outbox. Domain
// code calls Enqueue inside the transaction that records the event (an order
// placed, a payout made), so a message exists if and only if the event
// committed; a Worker on any node then claims due messages with a lease,
// sends them over SMTP outside any transaction, and retries failures with
// exponential backoff. Delivery is at least once: a message whose sending
// times out after the server accepted it may be sent again, under the same
// Message-ID so that mail clients can fold the copies. It owns the outbox
// table.
package notify

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"souk/internal/db"
)

// Message is one e-mail to send.
type Message struct {
	// Key names the event the message is about, e.g. "order-placed:123". A
	// second message with the same Key is dropped, so retried requests and
	// replayed webhooks mail the customer once.
	Key string
	// To is one address, bare or with a display name ("Amina <a@b.ma>").
	To      string
	Subject string
	// Text is the plain-text body; HTML, when set, is sent beside it as a
	// multipart/alternative.
	Text string
	HTML string
}

// Enqueue records m in the caller's transaction tx, due at once. A message
// whose Key is already in the outbox, sent or not, is silently ignored.
func Enqueue(ctx context.Context, tx db.Querier, now time.Time, m Message) error {
	st, err := EnqueueStatement(now, m)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, st.Query, st.Args...); err != nil {
		return fmt.Errorf("enqueue %q: %w", m.Key, err)
	}
	return nil
}

// EnqueueStatement is Enqueue's INSERT, for a caller that sends its
// transaction as one db.Pipeline.
func EnqueueStatement(now time.Time, m Message) (db.Statement, error) {
	if err := m.validate(); err != nil {
		return db.Statement{}, fmt.Errorf("enqueue %q: %w", m.Key, err)
	}
	now = dbTime(now)
	return db.Statement{Query: `INSERT INTO outbox (dedupe_key, recipient, subject, body_text, body_html, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
		Args: []any{m.Key, strings.TrimSpace(m.To), m.Subject, m.Text, m.HTML, now, now}}, nil
}

// validate rejects what could never be delivered, while the caller can still
// roll back, rather than leaving a row that fails MaxAttempts times.
func (m Message) validate() error {
	switch {
	case strings.TrimSpace(m.Key) == "":
		return errors.New("message key is empty")
	case strings.TrimSpace(m.To) == "":
		return errors.New("recipient is empty")
	case strings.TrimSpace(m.Subject) == "":
		return errors.New("subject is empty")
	}
	if _, err := mail.ParseAddress(strings.TrimSpace(m.To)); err != nil {
		return fmt.Errorf("recipient %q: %w", m.To, err)
	}
	return nil
}

// dbTime is how instants are stored: UTC, so that SQLite's text timestamps
// compare in time order, and to the microsecond, PostgreSQL's precision, so
// that a value read back equals the one written.
func dbTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}
