package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"souk/internal/db"
)

// Sender hands one rendered message to a mail system. from and to are bare
// addresses (the SMTP envelope); msg is a complete RFC 5322 message.
type Sender interface {
	Send(ctx context.Context, from, to string, msg []byte) error
}

// LogSender logs messages instead of sending them: the default when no SMTP
// server is configured (SOUK_SMTP_URL unset), so that development and demos
// need none. Bodies can hold sign-in links: keep it away from shared logs.
type LogSender struct {
	Log *slog.Logger // nil: slog.Default()
}

// Send logs the recipient, the decoded subject and the plain-text body.
func (s LogSender) Send(ctx context.Context, from, to string, msg []byte) error {
	subject, text, err := readMessage(msg)
	if err != nil {
		return fmt.Errorf("log sender: %w", err)
	}
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "mail not sent: no SMTP server configured", "from", from, "to", to, "subject", subject, "text", text)
	return nil
}

// NewSMTPSender returns a Sender for an SMTP submission server:
// smtp://[user:pass@]host[:587] (STARTTLS whenever the server offers it) or
// smtps://[user:pass@]host[:465] (TLS from the first byte). With a user it
// authenticates with PLAIN, and refuses to do so over a connection left
// unencrypted unless the server is on localhost. A password with reserved
// characters must be percent-encoded.
func NewSMTPSender(rawURL string) (Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error quotes the whole URL, password included
		}
		return nil, fmt.Errorf("smtp URL: %w", err)
	}
	s := &smtpSender{}
	port := "587"
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.implicitTLS, port = true, "465"
	default:
		return nil, fmt.Errorf("smtp URL %s: scheme must be smtp:// or smtps://", u.Redacted())
	}
	host := u.Hostname()
	if host == "" {
		return nil, fmt.Errorf("smtp URL %s: no host", u.Redacted())
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("smtp URL %s: unexpected path %q", u.Redacted(), u.Path)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("smtp URL %s: unexpected parameters (the From address is set on the worker)", u.Redacted())
	}
	if p := u.Port(); p != "" {
		port = p
	}
	if u.User != nil && u.User.Username() != "" {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	s.addr = net.JoinHostPort(host, port)
	ip := net.ParseIP(host)
	s.loopback = host == "localhost" || (ip != nil && ip.IsLoopback())
	s.tls = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	return s, nil
}

type smtpSender struct {
	addr        string // host:port
	implicitTLS bool
	user, pass  string
	// loopback allows the password over an unencrypted connection: a relay
	// on the same machine is not on anyone's path.
	loopback bool
	tls      *tls.Config
	// sawStartTLS is set once the server has offered STARTTLS. From then on a
	// connection without it fails rather than falls back to clear text, so
	// that someone on the path who strips the offer gets neither the password
	// nor the mail.
	sawStartTLS atomic.Bool
}

// Client timeouts for contexts without a deadline, kept below the Worker's
// default lease.
const (
	smtpDialTimeout    = 30 * time.Second
	smtpCommandTimeout = time.Minute
	smtpDataTimeout    = 2 * time.Minute
)

func (s *smtpSender) Send(ctx context.Context, from, to string, msg []byte) error {
	if err := s.send(ctx, from, to, msg); err != nil {
		if cause := context.Cause(ctx); cause != nil {
			err = cause // the connection was closed for it: say why
		}
		return fmt.Errorf("smtp %s: %w", s.addr, err)
	}
	return nil
}

func (s *smtpSender) send(ctx context.Context, from, to string, msg []byte) error {
	c, closeConn, err := s.connect(ctx)
	if err != nil {
		return err
	}
	defer closeConn()
	if s.user != "" {
		if _, encrypted := c.TLSConnectionState(); !encrypted && !s.loopback {
			return errors.New("the server offers no STARTTLS: refusing to send the password in clear (use smtps://)")
		}
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("the URL has a user but the server offers no AUTH")
		}
		if err := c.Auth(sasl.NewPlainClient("", s.user, s.pass)); err != nil {
			return fmt.Errorf("auth as %s: %w", s.user, err)
		}
	}
	if err := c.SendMail(from, []string{to}, bytes.NewReader(msg)); err != nil {
		return err
	}
	// The server has the message: a failed QUIT must not make it look unsent.
	_ = c.Quit()
	return nil
}

// connect dials and greets the server, upgrading to TLS as configured. The
// returned func closes the connection; cancelling ctx closes it too, since
// go-smtp's client only knows its own timeouts.
func (s *smtpSender) connect(ctx context.Context) (*smtp.Client, func(), error) {
	dialer := &net.Dialer{Timeout: smtpDialTimeout}
	var conn net.Conn
	var err error
	if s.implicitTLS {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: s.tls}).DialContext(ctx, "tcp", s.addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", s.addr)
	}
	if err != nil {
		return nil, nil, err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	closeConn := func() {
		stop()
		conn.Close()
	}

	var c *smtp.Client
	switch {
	case s.implicitTLS:
		c = smtp.NewClient(conn)
	case s.sawStartTLS.Load():
		if c, err = smtp.NewClientStartTLS(conn, s.tls); err != nil {
			closeConn()
			return nil, nil, fmt.Errorf("starttls: %w", err)
		}
	default:
		c = smtp.NewClient(conn)
		if err := c.Hello("localhost"); err != nil {
			closeConn()
			return nil, nil, err
		}
		if ok, _ := c.Extension("STARTTLS"); ok {
			// go-smtp cannot upgrade a client it has already greeted with:
			// start over on a new connection, TLS from now on.
			closeConn()
			s.sawStartTLS.Store(true)
			return s.connect(ctx)
		}
	}
	c.CommandTimeout = smtpCommandTimeout
	c.SubmissionTimeout = smtpDataTimeout
	return c, closeConn, nil
}

// Worker sends the outbox. Any number of workers, on any number of nodes,
// may run against one database: a message is claimed by one of them at a
// time, for Lease.
type Worker struct {
	DB     *db.DB
	Sender Sender
	// From is the sender, bare or with a name ("Souk <no-reply@souk.ma>"). Its
	// address is also the envelope sender, and its domain ends Message-IDs.
	From string
	Now  func() time.Time // nil: time.Now
	Log  *slog.Logger     // nil: slog.Default()
	// Batch is how many messages one RunOnce claims; 0 means 20.
	Batch int
	// Lease is how long a claim keeps other workers off a message, and so
	// bounds how long one RunOnce sends; 0 means 5 minutes.
	Lease time.Duration
	// MaxAttempts is how many failed sends a message gets before it is left
	// for an operator to look at (last_error says why); 0 means 10.
	MaxAttempts int
}

// Defaults for the zero Worker fields.
const (
	defaultBatch       = 20
	defaultLease       = 5 * time.Minute
	defaultMaxAttempts = 10
	// lastErrorMax bounds last_error, in characters.
	lastErrorMax = 500
	// bookkeepingTimeout bounds the writes that record an outcome, which run
	// even when the caller's context is cancelled: a message handed to the
	// server but not marked sent would be sent again.
	bookkeepingTimeout = 30 * time.Second
)

// settings are a Worker's fields with defaults applied, so that RunOnce never
// writes to the Worker and may run concurrently on one.
type settings struct {
	from        *mail.Address
	now         func() time.Time
	log         *slog.Logger
	batch       int
	lease       time.Duration
	maxAttempts int
}

func (w *Worker) resolve() (settings, error) {
	if w.DB == nil || w.Sender == nil {
		return settings{}, errors.New("notify: worker needs a DB and a Sender")
	}
	from, err := mail.ParseAddress(w.From)
	if err != nil {
		return settings{}, fmt.Errorf("notify: worker From %q: %w", w.From, err)
	}
	s := settings{from: from, now: w.Now, log: w.Log, batch: w.Batch, lease: w.Lease, maxAttempts: w.MaxAttempts}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.batch <= 0 {
		s.batch = defaultBatch
	}
	if s.lease <= 0 {
		s.lease = defaultLease
	}
	if s.maxAttempts <= 0 {
		s.maxAttempts = defaultMaxAttempts
	}
	return s, nil
}

// job is a claimed outbox row.
type job struct {
	id       int64
	key      string
	to       string
	subject  string
	text     string
	html     string
	attempts int
}

// RunOnce claims up to Batch due messages and sends them one by one,
// recording each outcome; it returns how many were sent. A message that
// fails is not an error of RunOnce (it is logged, and retried later with
// backoff); errors are the database's, a misconfigured Worker, or ctx.
func (w *Worker) RunOnce(ctx context.Context) (sent int, err error) {
	cfg, err := w.resolve()
	if err != nil {
		return 0, err
	}
	began := time.Now() // the lease runs from before the claim, however long the claim takes
	now := dbTime(cfg.now())
	leaseEnd := dbTime(now.Add(cfg.lease))
	jobs, err := w.claim(ctx, cfg, now, leaseEnd)
	if err != nil {
		return 0, err
	}
	if len(jobs) == 0 {
		return 0, nil
	}

	// Stop sending well before the lease ends: past it another worker may
	// claim these messages and send them a second time.
	sendCtx, cancel := context.WithDeadline(ctx, began.Add(cfg.lease*3/4))
	defer cancel()
	var errs []error
	for i, j := range jobs {
		if sendCtx.Err() != nil {
			errs = append(errs, w.release(ctx, jobs[i:], leaseEnd))
			if ctx.Err() != nil {
				errs = append(errs, ctx.Err())
			}
			break
		}
		sendErr := w.deliver(sendCtx, cfg, j)
		if sendErr == nil {
			if err := w.markSent(ctx, cfg, j); err != nil {
				errs = append(errs, err)
			}
			sent++
			continue
		}
		if ctx.Err() != nil {
			// Shutting down is not the message's fault: no attempt counted.
			errs = append(errs, w.release(ctx, jobs[i:], leaseEnd), ctx.Err())
			break
		}
		if err := w.recordFailure(ctx, cfg, j, leaseEnd, sendErr); err != nil {
			errs = append(errs, err)
		}
	}
	return sent, errors.Join(errs...)
}

// claim leases up to Batch due messages. Each row is taken by an UPDATE that
// re-checks it is still free, so of two workers racing for a row exactly one
// gets it (on PostgreSQL the loser waits for the winner's row lock and then
// sees the lease; on SQLite writers take turns).
func (w *Worker) claim(ctx context.Context, cfg settings, now, leaseEnd time.Time) ([]job, error) {
	// Most ticks find nothing due: ask a reader first, so that an idle
	// worker never takes the write lock (SQLite) nor counts as a commit
	// that makes the catalog read its change feed.
	var due int
	err := w.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM outbox
		WHERE sent_at IS NULL AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?) AND attempts < ? LIMIT 1) due`,
		now, now, cfg.maxAttempts).Scan(&due)
	if err != nil || due == 0 {
		return nil, err
	}
	var jobs []job
	err = w.DB.Tx(ctx, func(tx db.Querier) error {
		jobs = jobs[:0]
		rows, err := tx.QueryContext(ctx, `SELECT id FROM outbox
			WHERE sent_at IS NULL AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?) AND attempts < ?
			ORDER BY next_attempt_at, id LIMIT ?`, now, now, cfg.maxAttempts, cfg.batch)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			var j job
			err := tx.QueryRowContext(ctx, `UPDATE outbox SET locked_until = ?
				WHERE id = ? AND sent_at IS NULL AND (locked_until IS NULL OR locked_until < ?) AND attempts < ?
				RETURNING id, dedupe_key, recipient, subject, body_text, body_html, attempts`,
				leaseEnd, id, now, cfg.maxAttempts).Scan(&j.id, &j.key, &j.to, &j.subject, &j.text, &j.html, &j.attempts)
			if errors.Is(err, sql.ErrNoRows) {
				continue // another worker got there first
			}
			if err != nil {
				return err
			}
			jobs = append(jobs, j)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox messages: %w", err)
	}
	return jobs, nil
}

// deliver renders and sends one message.
func (w *Worker) deliver(ctx context.Context, cfg settings, j job) error {
	// The row may not have come through Enqueue: check the address again.
	to, err := mail.ParseAddress(j.to)
	if err != nil {
		return fmt.Errorf("recipient %q: %w", j.to, err)
	}
	msg, err := buildMessage(cfg.from, to, j.subject, j.text, j.html, cfg.now(), messageID(j.id, j.key, cfg.from))
	if err != nil {
		return err
	}
	return w.Sender.Send(ctx, cfg.from.Address, to.Address, msg)
}

func (w *Worker) markSent(ctx context.Context, cfg settings, j job) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()
	err := w.DB.Tx(ctx, func(tx db.Querier) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = ?, locked_until = NULL WHERE id = ? AND sent_at IS NULL`,
			dbTime(cfg.now()), j.id)
		return err
	})
	if err != nil {
		cfg.log.ErrorContext(ctx, "mail sent but not marked sent: it will be sent again", "key", j.key, "err", err)
		return fmt.Errorf("mark %q sent: %w", j.key, err)
	}
	return nil
}

// recordFailure counts a failed attempt and schedules the next one. It only
// touches a row still under this worker's lease: one that expired may have
// been claimed since, and clearing that claim would invite a third sender.
func (w *Worker) recordFailure(ctx context.Context, cfg settings, j job, leaseEnd time.Time, sendErr error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()
	attempts := j.attempts + 1
	next := dbTime(cfg.now().Add(backoff(attempts)))
	var updated int64
	err := w.DB.Tx(ctx, func(tx db.Querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, locked_until = NULL
			WHERE id = ? AND locked_until = ?`, truncateError(sendErr.Error()), next, j.id, leaseEnd)
		if err != nil {
			return err
		}
		updated, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("record failure of %q: %w", j.key, err)
	}
	switch {
	case updated == 0:
		cfg.log.WarnContext(ctx, "mail not sent, and its lease was lost meanwhile", "key", j.key, "err", sendErr)
	case attempts >= cfg.maxAttempts:
		cfg.log.ErrorContext(ctx, "mail not sent: giving up", "key", j.key, "attempts", attempts, "err", sendErr)
	default:
		cfg.log.WarnContext(ctx, "mail not sent: will retry", "key", j.key, "attempts", attempts, "retry_at", next, "err", sendErr)
	}
	return nil
}

// release hands back claimed messages that were not tried, without counting
// an attempt, so that another worker need not wait for the lease to end.
func (w *Worker) release(ctx context.Context, jobs []job, leaseEnd time.Time) error {
	if len(jobs) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()
	args := make([]any, 0, len(jobs)+1)
	args = append(args, leaseEnd)
	for _, j := range jobs {
		args = append(args, j.id)
	}
	err := w.DB.Tx(ctx, func(tx db.Querier) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET locked_until = NULL WHERE locked_until = ? AND id IN (`+db.Placeholders(len(jobs))+`)`, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("release outbox messages: %w", err)
	}
	return nil
}

// backoff is the wait after the n-th failed attempt: 30s, 1m, 2m, 4m… up to
// an hour, so a relay that is down for a while is not hammered.
func backoff(attempts int) time.Duration {
	const first, ceiling = 30 * time.Second, time.Hour
	d := first
	for i := 1; i < attempts && d < ceiling; i++ {
		d *= 2
	}
	return min(d, ceiling)
}

// truncateError keeps an error storable: valid UTF-8 without NUL (PostgreSQL
// refuses both in TEXT) and at most lastErrorMax characters.
func truncateError(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if utf8.RuneCountInString(s) <= lastErrorMax {
		return s
	}
	return string([]rune(s)[:lastErrorMax])
}

// Run calls RunOnce every interval until ctx is done, logging its errors.
// After a full batch it goes again at once, to drain a backlog.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 10 * time.Second
	}
	log := w.Log
	if log == nil {
		log = slog.Default()
	}
	batch := w.Batch
	if batch <= 0 {
		batch = defaultBatch
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		sent, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "send outbox", "err", err)
		}
		wait := every
		if sent >= batch {
			wait = 0
		}
		timer.Reset(wait)
	}
}
