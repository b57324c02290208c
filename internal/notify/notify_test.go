package notify

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"souk/internal/db"
	"souk/internal/db/dbtest"
)

// mailbox is an SMTP backend that keeps what it receives.
type mailbox struct {
	user, pass string // required credentials, when user is set

	mu       sync.Mutex
	received []received
	refuse   int // refuse this many next messages with a 451
}

type received struct {
	from string
	to   []string
	data []byte
	tls  bool
}

// refuseNext makes the next n messages fail with a temporary error.
func (b *mailbox) refuseNext(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refuse = n
}

func (b *mailbox) messages() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.received...)
}

func (b *mailbox) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{box: b, conn: c}, nil
}

type session struct {
	box    *mailbox
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.box.user || pass != s.box.pass {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.box.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	if s.box.refuse > 0 {
		s.box.refuse--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.box.received = append(s.box.received, received{from: s.from, to: s.to, data: data, tls: isTLS})
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// startServer runs an SMTP server for box on 127.0.0.1 and returns its
// address. With tlsConfig it offers STARTTLS.
func startServer(t *testing.T, box *mailbox, tlsConfig *tls.Config) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := smtp.NewServer(box)
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.TLSConfig = tlsConfig
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { s.Close() })
	return l.Addr().String()
}

// clock is a test clock that moves only when told to.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func newSender(t *testing.T, rawURL string) Sender {
	t.Helper()
	s, err := NewSMTPSender(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newWorker(t *testing.T, d *db.DB, s Sender, clk *clock) *Worker {
	return &Worker{DB: d, Sender: s, From: "Souk <no-reply@souk.test>", Now: clk.Now, Log: testLogger(t)}
}

func enqueue(t *testing.T, d *db.DB, now time.Time, m Message) {
	t.Helper()
	if err := d.Tx(t.Context(), func(tx db.Querier) error { return Enqueue(t.Context(), tx, now, m) }); err != nil {
		t.Fatal(err)
	}
}

func runOnce(t *testing.T, w *Worker, want int) {
	t.Helper()
	sent, err := w.RunOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if sent != want {
		t.Fatalf("RunOnce sent %d, want %d", sent, want)
	}
}

// decoded is a received message read back the way a mail client would.
type decoded struct {
	header  mail.Header
	subject string
	text    string
	html    string
}

func decode(t *testing.T, raw []byte) decoded {
	t.Helper()
	if i := bytes.IndexByte(bytes.ReplaceAll(raw, []byte("\r\n"), nil), '\n'); i >= 0 {
		t.Fatalf("bare LF in message:\n%s", raw)
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	out := decoded{header: m.Header, subject: subject}
	crlf := func(b []byte) string { return strings.ReplaceAll(string(b), "\r\n", "\n") }
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	switch mediaType {
	case "text/plain":
		if cte := m.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
			t.Fatalf("Content-Transfer-Encoding %q", cte)
		}
		b, err := io.ReadAll(quotedprintable.NewReader(m.Body))
		if err != nil {
			t.Fatal(err)
		}
		out.text = crlf(b)
	case "multipart/alternative":
		mr := multipart.NewReader(m.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(p)
			if err != nil {
				t.Fatal(err)
			}
			switch ct := p.Header.Get("Content-Type"); ct {
			case "text/plain; charset=utf-8":
				out.text = crlf(b)
			case "text/html; charset=utf-8":
				out.html = crlf(b)
			default:
				t.Fatalf("unexpected part %q", ct)
			}
		}
	default:
		t.Fatalf("Content-Type %q", mediaType)
	}
	return out
}

type outboxRow struct {
	attempts  int
	lastError string
	sent      bool
	locked    bool
}

func readRow(t *testing.T, d *db.DB, key string) outboxRow {
	t.Helper()
	var r outboxRow
	err := d.Read().QueryRowContext(t.Context(), `SELECT attempts, last_error, sent_at IS NOT NULL, locked_until IS NOT NULL
		FROM outbox WHERE dedupe_key = ?`, key).Scan(&r.attempts, &r.lastError, &r.sent, &r.locked)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEnqueueIsTransactionalAndDeduplicated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		box := &mailbox{user: "souk", pass: "p@ss:wörd"}
		addr := startServer(t, box, nil)
		clk := newClock()
		w := newWorker(t, d, newSender(t, "smtp://souk:p%40ss%3Aw%C3%B6rd@"+addr), clk)

		rolledBack := errors.New("rolled back")
		err := d.Tx(t.Context(), func(tx db.Querier) error {
			if err := Enqueue(t.Context(), tx, clk.Now(), Message{Key: "order-placed:1", To: "a@example.ma", Subject: "Commande 1", Text: "x"}); err != nil {
				return err
			}
			return rolledBack
		})
		if !errors.Is(err, rolledBack) {
			t.Fatalf("Tx: %v", err)
		}
		runOnce(t, w, 0)

		enqueue(t, d, clk.Now(), Message{Key: "order-placed:2", To: "b@example.ma", Subject: "Commande 2", Text: "first"})
		enqueue(t, d, clk.Now(), Message{Key: "order-placed:2", To: "b@example.ma", Subject: "Commande 2 again", Text: "second"})
		runOnce(t, w, 1)
		runOnce(t, w, 0)
		got := box.messages()
		if len(got) != 1 {
			t.Fatalf("received %d messages, want 1", len(got))
		}
		if got[0].from != "no-reply@souk.test" || len(got[0].to) != 1 || got[0].to[0] != "b@example.ma" {
			t.Errorf("envelope from %q to %q", got[0].from, got[0].to)
		}
		if m := decode(t, got[0].data); m.subject != "Commande 2" || m.text != "first" {
			t.Errorf("got %q / %q, want the first message", m.subject, m.text)
		}
		// A message already sent stays deduplicated.
		enqueue(t, d, clk.Now(), Message{Key: "order-placed:2", To: "b@example.ma", Subject: "Commande 2", Text: "third"})
		runOnce(t, w, 0)
		if r := readRow(t, d, "order-placed:2"); !r.sent || r.locked || r.attempts != 0 {
			t.Errorf("row %+v, want sent, unlocked, no failed attempt", r)
		}
	})
}

func TestEnqueueRejectsIncompleteMessages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for _, m := range []Message{
			{To: "a@example.ma", Subject: "s", Text: "t"},
			{Key: "k", Subject: "s", Text: "t"},
			{Key: "k", To: "a@example.ma", Subject: " ", Text: "t"},
			{Key: "k", To: "not an address", Subject: "s", Text: "t"},
			{Key: "k", To: "a@example.ma\r\nBcc: x@y.ma", Subject: "s", Text: "t"},
		} {
			err := d.Tx(t.Context(), func(tx db.Querier) error { return Enqueue(t.Context(), tx, time.Now(), m) })
			if err == nil {
				t.Errorf("Enqueue(%+v) accepted", m)
			}
		}
	})
}

func TestNonASCIISubjectsAndBodiesArriveIntact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		box := &mailbox{}
		addr := startServer(t, box, nil)
		clk := newClock()
		w := newWorker(t, d, newSender(t, "smtp://"+addr), clk)

		arabicBody := "مرحبا أمينة،\nتم استلام طلبك رقم 123 من تعاونية أركان تافراوت، وسيتم شحنه خلال ثلاثة أيام عمل. شكرا لثقتكم.\n.سطر يبدأ بنقطة\nالمجموع: 450,00 درهم   \n"
		messages := []Message{
			{Key: "ar", To: "أمينة <amina@example.ma>", Subject: "تم استلام طلبك رقم 123 — تعاونية أركان تافراوت، شكرا لثقتكم بنا", Text: arabicBody},
			{Key: "zgh", To: "idir@example.ma", Subject: "ⵜⴰⵏⵎⵎⵉⵔⵜ! ⵜⴰⵍⴰⵖⵜ ⵏⵏⴽ ⵜⵜⵓⵙⵓⴼⵖ", Text: "ⴰⵣⵓⵍ ⴰ ⵉⴷⵉⵔ\nⵜⴰⵍⴰⵖⵜ ⵏⵏⴽ ⵜⵜⵓⵙⵓⴼⵖ."},
			{Key: "fr", To: "Élodie Dupré <elodie@example.fr>", Subject: "Votre commande a été expédiée : huile d’argan, 250 ml", Text: "Bonjour Élodie,\r\nvotre colis est en route.", HTML: "<p>Bonjour <b>Élodie</b>,</p>\n<p dir=\"rtl\">شكرا</p>"},
		}
		for _, m := range messages {
			enqueue(t, d, clk.Now(), m)
		}
		runOnce(t, w, len(messages))

		byTo := map[string]received{}
		for _, r := range box.messages() {
			byTo[r.to[0]] = r
		}
		for _, m := range messages {
			want, _ := mail.ParseAddress(m.To)
			r, ok := byTo[want.Address]
			if !ok {
				t.Errorf("%s: not received", m.Key)
				continue
			}
			got := decode(t, r.data)
			if got.subject != m.Subject {
				t.Errorf("%s: subject %q, want %q", m.Key, got.subject, m.Subject)
			}
			if wantText := strings.ReplaceAll(m.Text, "\r\n", "\n"); got.text != wantText {
				t.Errorf("%s: text %q, want %q", m.Key, got.text, wantText)
			}
			if got.html != m.HTML {
				t.Errorf("%s: html %q, want %q", m.Key, got.html, m.HTML)
			}
			to, err := got.header.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Name != want.Name || to[0].Address != want.Address {
				t.Errorf("%s: To %v (%v), want %v", m.Key, to, err, want)
			}
			from, err := got.header.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Name != "Souk" || from[0].Address != "no-reply@souk.test" {
				t.Errorf("%s: From %v (%v)", m.Key, from, err)
			}
			if date, err := got.header.Date(); err != nil || !date.Equal(clk.Now()) {
				t.Errorf("%s: Date %v (%v), want %v", m.Key, date, err, clk.Now())
			}
			if id := got.header.Get("Message-ID"); !strings.HasPrefix(id, "<outbox.") || !strings.HasSuffix(id, "@souk.test>") {
				t.Errorf("%s: Message-ID %q", m.Key, id)
			}
			if v := got.header.Get("MIME-Version"); v != "1.0" {
				t.Errorf("%s: MIME-Version %q", m.Key, v)
			}
			for _, line := range strings.Split(string(r.data), "\r\n") {
				if len(line) > 78 {
					t.Errorf("%s: line of %d characters: %q", m.Key, len(line), line)
				}
			}
		}
	})
}

func TestTemporaryFailureIsRetriedAfterBackoff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		box := &mailbox{}
		addr := startServer(t, box, nil)
		clk := newClock()
		w := newWorker(t, d, newSender(t, "smtp://"+addr), clk)

		box.refuseNext(1)
		enqueue(t, d, clk.Now(), Message{Key: "payout:7", To: "coop@example.ma", Subject: "Virement", Text: "x"})
		runOnce(t, w, 0)
		r := readRow(t, d, "payout:7")
		if r.attempts != 1 || r.sent || r.locked || !strings.Contains(r.lastError, "451") {
			t.Fatalf("after a refusal: %+v", r)
		}
		runOnce(t, w, 0) // before the backoff
		clk.Add(backoff(1) - time.Second)
		runOnce(t, w, 0)
		clk.Add(2 * time.Second)
		runOnce(t, w, 1)
		runOnce(t, w, 0)
		if n := len(box.messages()); n != 1 {
			t.Fatalf("received %d messages, want 1", n)
		}
		if r := readRow(t, d, "payout:7"); !r.sent || r.locked || r.attempts != 1 {
			t.Errorf("after delivery: %+v", r)
		}
	})
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		box := &mailbox{}
		addr := startServer(t, box, nil)
		clk := newClock()
		w := newWorker(t, d, newSender(t, "smtp://"+addr), clk)
		w.MaxAttempts = 2

		box.refuseNext(5)
		enqueue(t, d, clk.Now(), Message{Key: "k", To: "coop@example.ma", Subject: "s", Text: "x"})
		for range 4 {
			runOnce(t, w, 0)
			clk.Add(time.Hour)
		}
		if r := readRow(t, d, "k"); r.attempts != 2 || r.sent {
			t.Errorf("row %+v, want 2 attempts and no more", r)
		}
	})
}

func TestBackoff(t *testing.T) {
	for attempts, want := range map[int]time.Duration{
		1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 4: 4 * time.Minute,
		7: 32 * time.Minute, 8: time.Hour, 9: time.Hour, 1000: time.Hour,
	} {
		if got := backoff(attempts); got != want {
			t.Errorf("backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}

func TestTruncateError(t *testing.T) {
	long := strings.Repeat("خطأ ", 200)
	got := truncateError(long + "\x00\xff")
	if n := len([]rune(got)); n != lastErrorMax {
		t.Errorf("%d characters, want %d", n, lastErrorMax)
	}
	if got := truncateError("a\x00b\xff"); got != "ab\uFFFD" {
		t.Errorf("got %q", got)
	}
}

func TestConcurrentWorkersSendEachMessageOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		box := &mailbox{}
		addr := startServer(t, box, nil)
		clk := newClock()
		const n = 50
		for i := range n {
			enqueue(t, d, clk.Now(), Message{Key: fmt.Sprintf("order:%d", i), To: fmt.Sprintf("c%d@example.ma", i), Subject: fmt.Sprintf("Commande %d", i), Text: "x"})
		}

		// A second node: on SQLite, a second handle on the same file.
		d2 := d
		if d.Dialect == db.SQLite {
			var err error
			if d2, err = db.Open(t.Context(), "", filepath.Dir(d.Path)); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d2.Close() })
		}
		workers := []*Worker{
			newWorker(t, d, newSender(t, "smtp://"+addr), clk),
			newWorker(t, d2, newSender(t, "smtp://"+addr), clk),
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for _, w := range workers {
			w.Batch = 7
			wg.Go(func() {
				for {
					sent, err := w.RunOnce(t.Context())
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					total += sent
					mu.Unlock()
					if sent == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		if total != n {
			t.Errorf("workers report %d sent, want %d", total, n)
		}
		count := map[string]int{}
		for _, r := range box.messages() {
			count[r.to[0]]++
		}
		for i := range n {
			if c := count[fmt.Sprintf("c%d@example.ma", i)]; c != 1 {
				t.Errorf("message %d received %d times", i, c)
			}
		}
		var unsent int
		if err := d.Read().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL`).Scan(&unsent); err != nil {
			t.Fatal(err)
		}
		if unsent != 0 {
			t.Errorf("%d messages left unsent", unsent)
		}
	})
}

func TestHeaderInjection(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		box := &mailbox{}
		addr := startServer(t, box, nil)
		clk := newClock()
		w := newWorker(t, d, newSender(t, "smtp://"+addr), clk)

		enqueue(t, d, clk.Now(), Message{Key: "inject", To: "victim@example.ma", Subject: "Hello\r\nBcc: x@y.ma\r\n\r\nfake body", Text: "real body"})
		enqueue(t, d, clk.Now(), Message{Key: "inject-ar", To: "victim2@example.ma", Subject: "طلبك\nBcc: x@y.ma", Text: "real body"})
		// A row written without Enqueue's checks.
		err := d.Tx(t.Context(), func(tx db.Querier) error {
			_, err := tx.ExecContext(t.Context(), `INSERT INTO outbox (dedupe_key, recipient, subject, body_text, next_attempt_at, created_at)
				VALUES ('raw', ?, 's', 't', ?, ?)`, "victim3@example.ma\r\nBcc: x@y.ma", dbTime(clk.Now()), dbTime(clk.Now()))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		runOnce(t, w, 2)

		for _, r := range box.messages() {
			if len(r.to) != 1 || strings.Contains(r.to[0], "y.ma") {
				t.Errorf("envelope recipients %q", r.to)
			}
			if bytes.Contains(r.data, []byte("\r\nBcc:")) {
				t.Errorf("Bcc header in:\n%s", r.data)
			}
			m := decode(t, r.data)
			if len(m.header["Bcc"]) != 0 {
				t.Errorf("Bcc header: %q", m.header["Bcc"])
			}
			if m.text != "real body" {
				t.Errorf("body %q", m.text)
			}
			if strings.ContainsAny(m.subject, "\r\n") || !strings.Contains(m.subject, "Bcc: x@y.ma") {
				t.Errorf("subject %q: want the injection kept as text on one line", m.subject)
			}
		}
		if r := readRow(t, d, "raw"); r.sent || r.attempts != 1 || !strings.Contains(r.lastError, "recipient") {
			t.Errorf("raw row %+v, want a failed attempt", r)
		}
	})
}

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	s := LogSender{Log: slog.New(slog.NewJSONHandler(&buf, nil))}
	from := &mail.Address{Name: "Souk", Address: "no-reply@souk.test"}
	to := &mail.Address{Address: "amina@example.ma"}
	for _, html := range []string{"", "<p>مرحبا</p>"} {
		buf.Reset()
		msg, err := buildMessage(from, to, "طلبك رقم 5", "مرحبا\nشكرا", html, time.Now(), messageID(5, "k", from))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(t.Context(), from.Address, to.Address, msg); err != nil {
			t.Fatal(err)
		}
		var rec map[string]any
		if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
			t.Fatalf("%v: %s", err, buf.Bytes())
		}
		if rec["to"] != to.Address || rec["subject"] != "طلبك رقم 5" || rec["text"] != "مرحبا\nشكرا" {
			t.Errorf("logged %v", rec)
		}
	}
}

func TestWorkerWithLogSender(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := newClock()
		w := newWorker(t, d, LogSender{Log: slog.New(slog.DiscardHandler)}, clk)
		enqueue(t, d, clk.Now(), Message{Key: "k", To: "a@example.ma", Subject: "s", Text: "t"})
		runOnce(t, w, 1)
		runOnce(t, w, 0)
	})
}

func TestRunStopsWithContext(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		box := &mailbox{}
		addr := startServer(t, box, nil)
		clk := newClock()
		w := newWorker(t, d, newSender(t, "smtp://"+addr), clk)
		enqueue(t, d, clk.Now(), Message{Key: "k", To: "a@example.ma", Subject: "s", Text: "t"})

		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			w.Run(ctx, 10*time.Millisecond)
			close(done)
		}()
		deadline := time.Now().Add(10 * time.Second)
		for len(box.messages()) == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
		if n := len(box.messages()); n != 1 {
			t.Errorf("received %d messages, want 1", n)
		}
	})
}

func TestNewSMTPSender(t *testing.T) {
	for _, tc := range []struct {
		url      string
		addr     string
		implicit bool
		user     string
	}{
		{url: "smtp://mail.example.ma", addr: "mail.example.ma:587"},
		{url: "smtp://mail.example.ma:25/", addr: "mail.example.ma:25"},
		{url: "smtps://souk:s%2Fcret@mail.example.ma", addr: "mail.example.ma:465", implicit: true, user: "souk"},
		{url: "smtp://souk@[::1]:2525", addr: "[::1]:2525", user: "souk"},
	} {
		s, err := NewSMTPSender(tc.url)
		if err != nil {
			t.Errorf("%s: %v", tc.url, err)
			continue
		}
		ss := s.(*smtpSender)
		if ss.addr != tc.addr || ss.implicitTLS != tc.implicit || ss.user != tc.user {
			t.Errorf("%s: got %+v", tc.url, ss)
		}
	}
	for _, bad := range []string{
		"", "mail.example.ma", "http://mail.example.ma", "smtp://", "smtp:///x",
		"smtp://souk:secret@mail.example.ma:abc", "smtp://souk:secret@mail.example.ma/path",
		"smtp://souk:secret@mail.example.ma?from=x@y.ma", "smtp://souk:secret@mail example.ma", "%zz",
	} {
		_, err := NewSMTPSender(bad)
		if err == nil {
			t.Errorf("%q accepted", bad)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: error shows the password: %v", bad, err)
		}
	}
}

// selfSigned returns a server TLS config for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func TestSMTPSenderUsesSTARTTLSAndNeverFallsBack(t *testing.T) {
	serverTLS, pool := selfSigned(t)
	box := &mailbox{user: "souk", pass: "secret"}
	addr := startServer(t, box, serverTLS)
	s := newSender(t, "smtp://souk:secret@"+addr).(*smtpSender)
	s.tls.RootCAs = pool

	for range 2 { // the second send goes straight to STARTTLS
		if err := s.Send(t.Context(), "no-reply@souk.test", "a@example.ma", []byte("Subject: hi\r\n\r\nhello\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	got := box.messages()
	if len(got) != 2 || !got[0].tls || !got[1].tls {
		t.Fatalf("received %+v, want two messages over TLS", got)
	}

	// The same sender, now facing a server that stopped offering STARTTLS.
	plain := startServer(t, &mailbox{}, nil)
	s.addr = plain
	if err := s.Send(t.Context(), "no-reply@souk.test", "a@example.ma", []byte("Subject: hi\r\n\r\nhello\r\n")); err == nil {
		t.Fatal("sent in clear after the server had offered STARTTLS")
	}
}

func TestSMTPSenderRefusesPasswordInClearToRemoteHost(t *testing.T) {
	s := newSender(t, "smtp://souk:secret@mail.example.ma").(*smtpSender)
	if s.loopback {
		t.Fatal("mail.example.ma taken for a loopback host")
	}
	if s := newSender(t, "smtp://souk:secret@localhost:25").(*smtpSender); !s.loopback {
		t.Fatal("localhost not taken for a loopback host")
	}
}

func TestSMTPSenderHonoursContext(t *testing.T) {
	// A server that accepts connections and never greets.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	s := newSender(t, "smtp://"+l.Addr().String())
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, "no-reply@souk.test", "a@example.ma", []byte("Subject: hi\r\n\r\nhello\r\n"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}

// senderFunc adapts a function to Sender.
type senderFunc func(ctx context.Context, from, to string, msg []byte) error

func (f senderFunc) Send(ctx context.Context, from, to string, msg []byte) error {
	return f(ctx, from, to, msg)
}

// hangingSender blocks until its context ends, telling started each time.
func hangingSender(started chan<- struct{}) Sender {
	return senderFunc(func(ctx context.Context, _, _ string, _ []byte) error {
		started <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	})
}

func TestShutdownReleasesClaimsWithoutCountingAttempts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := newClock()
		started := make(chan struct{}, 10)
		w := newWorker(t, d, hangingSender(started), clk)
		for _, k := range []string{"a", "b", "c"} {
			enqueue(t, d, clk.Now(), Message{Key: k, To: "x@example.ma", Subject: "s", Text: "t"})
		}
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			<-started
			cancel()
		}()
		sent, err := w.RunOnce(ctx)
		if sent != 0 || !errors.Is(err, context.Canceled) {
			t.Fatalf("RunOnce = %d, %v; want 0, canceled", sent, err)
		}
		for _, k := range []string{"a", "b", "c"} {
			if r := readRow(t, d, k); r.attempts != 0 || r.locked || r.sent {
				t.Errorf("%s: %+v, want released untouched", k, r)
			}
		}
	})
}

func TestSendingStopsBeforeTheLeaseEnds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := newClock()
		// The sender notes when it was told to stop: that, not how long the
		// bookkeeping after it takes on a busy machine, is what must come
		// before the lease ends.
		var stopped time.Time
		w := newWorker(t, d, senderFunc(func(ctx context.Context, _, _ string, _ []byte) error {
			<-ctx.Done()
			stopped = time.Now()
			return ctx.Err()
		}), clk)
		w.Lease = 200 * time.Millisecond
		for _, k := range []string{"a", "b", "c"} {
			enqueue(t, d, clk.Now(), Message{Key: k, To: "x@example.ma", Subject: "s", Text: "t"})
		}
		start := time.Now()
		runOnce(t, w, 0)
		if took := stopped.Sub(start); stopped.IsZero() || took >= w.Lease {
			t.Errorf("sending stopped after %v, past the %v lease", took, w.Lease)
		}
		if r := readRow(t, d, "a"); r.attempts != 1 || r.locked || !strings.Contains(r.lastError, "deadline") {
			t.Errorf("a: %+v, want one timed-out attempt", r)
		}
		for _, k := range []string{"b", "c"} {
			if r := readRow(t, d, k); r.attempts != 0 || r.locked || r.sent {
				t.Errorf("%s: %+v, want released untouched", k, r)
			}
		}
	})
}
