package auth_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
)

// clock is a test clock that only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newService(t *testing.T, d *db.DB) (*auth.Service, *clock) {
	c := &clock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	return auth.NewService(d, auth.Config{}, c.now), c
}

func mustVendor(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx db.Querier) error {
		now := time.Now().UTC()
		return tx.QueryRowContext(context.Background(), `INSERT INTO vendors (slug, kind, legal_name, region, city, status, created_at, updated_at)
			VALUES ('coop', 'cooperative', 'Coop', 'souss-massa', 'Agadir', 'approved', ?, ?) RETURNING id`, now, now).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

const pw = "argan-oil-from-souss"

func mustUser(t *testing.T, s *auth.Service, email string, role auth.Role, vendorID int64) auth.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), auth.NewUser{Email: email, Name: "Test", Password: pw, Role: role, VendorID: vendorID})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func fieldOf(err error, field string) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Fields[field]
	}
	return ""
}

func TestCreateUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newService(t, d)
		vid := mustVendor(t, d)
		for _, r := range []auth.Role{auth.RoleCustomer, auth.RoleAdmin, auth.RoleModerator} {
			u := mustUser(t, s, string(r)+"@example.ma", r, 0)
			if u.Role != r || u.VendorID != 0 || u.Locale != "ar" {
				t.Errorf("%s: %+v", r, u)
			}
		}
		owner := mustUser(t, s, "Owner@Example.MA ", auth.RoleVendorOwner, vid)
		if owner.Email != "owner@example.ma" || owner.VendorID != vid || !owner.IsVendorUser() || owner.IsOperator() {
			t.Errorf("owner: %+v", owner)
		}
		cases := []struct {
			in    auth.NewUser
			field string
		}{
			{auth.NewUser{Email: "OWNER@example.ma", Password: pw, Role: auth.RoleCustomer}, "email"},
			{auth.NewUser{Email: "no-at-sign", Password: pw, Role: auth.RoleCustomer}, "email"},
			{auth.NewUser{Email: "a@example.ma", Password: "short", Role: auth.RoleCustomer}, "password"},
			{auth.NewUser{Email: "a@example.ma", Password: strings.Repeat("x", 300), Role: auth.RoleCustomer}, "password"},
			{auth.NewUser{Email: "a@example.ma", Password: "bad\xffutf8-password", Role: auth.RoleCustomer}, "password"},
			{auth.NewUser{Email: "a@example.ma", Password: pw, Role: "king"}, "role"},
			{auth.NewUser{Email: "a@example.ma", Password: pw, Role: auth.RoleVendorStaff}, "vendor_id"},
			{auth.NewUser{Email: "a@example.ma", Password: pw, Role: auth.RoleVendorStaff, VendorID: 99999}, "vendor_id"},
			{auth.NewUser{Email: "a@example.ma", Password: pw, Role: auth.RoleCustomer, VendorID: vid}, "vendor_id"},
			{auth.NewUser{Email: "a@example.ma", Password: pw, Role: auth.RoleCustomer, Locale: "de"}, "locale"},
		}
		for _, c := range cases {
			if _, err := s.CreateUser(ctx, c.in); fieldOf(err, c.field) == "" {
				t.Errorf("%+v: want an error on %s, got %v", c.in.Email, c.field, err)
			}
		}
		if _, err := s.UserByEmail(ctx, "a@example.ma"); !errs.Is(err, errs.NotFound) {
			t.Errorf("a refused user exists: %v", err)
		}
	})
}

func TestPasswordHashes(t *testing.T) {
	h, err := auth.HashPassword(pw)
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q %v", h, err)
	}
	if ok, err := auth.VerifyPassword(h, pw); !ok || err != nil {
		t.Error("right password refused")
	}
	if ok, _ := auth.VerifyPassword(h, pw+"x"); ok {
		t.Error("wrong password accepted")
	}
	h2, _ := auth.HashPassword(pw)
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=19456,t=2,p=1$!!$aGFzaA"} {
		if ok, err := auth.VerifyPassword(bad, pw); ok || err == nil {
			t.Errorf("malformed hash %q: ok=%v err=%v", bad, ok, err)
		}
	}
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "pw")
	f.Add("$argon2id$v=19$m=,t=,p=$$", "")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		ok, err := auth.VerifyPassword(hash, pw)
		if ok && err != nil {
			t.Fatal("match with an error")
		}
	})
}

func TestLoginAndThrottling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, c := newService(t, d)
		u := mustUser(t, s, "fatima@example.ma", auth.RoleCustomer, 0)

		sess, got, err := s.Login(ctx, " Fatima@Example.ma", pw, "10.0.0.1", "phone")
		if err != nil || got.ID != u.ID || sess.Token == "" || sess.CSRFToken == "" {
			t.Fatalf("login: %v", err)
		}
		for _, bad := range [][2]string{{"fatima@example.ma", "wrong password"}, {"nobody@example.ma", pw}} {
			if _, _, err := s.Login(ctx, bad[0], bad[1], "10.0.0.2", ""); !errs.Is(err, errs.Unauthorized) {
				t.Errorf("%s: %v", bad[0], err)
			}
		}
		// Four more failures make five for this e-mail: the right password is refused too.
		for range 4 {
			s.Login(ctx, "fatima@example.ma", "wrong password", "10.0.0.3", "")
		}
		if _, _, err := s.Login(ctx, "fatima@example.ma", pw, "10.0.0.4", ""); !errs.Is(err, errs.TooMany) {
			t.Fatalf("sixth attempt: %v", err)
		}
		c.add(16 * time.Minute)
		if _, _, err := s.Login(ctx, "fatima@example.ma", pw, "10.0.0.4", ""); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		// Per-address limit: 50 failures from one address over many e-mails.
		for i := range 50 {
			s.Login(ctx, "x"+string(rune('a'+i%26))+"@example.ma", "nope nope nope", "10.9.9.9", "")
		}
		if _, _, err := s.Login(ctx, "fatima@example.ma", pw, "10.9.9.9", ""); !errs.Is(err, errs.TooMany) {
			t.Fatalf("address limit: %v", err)
		}
		if err := s.PruneExpired(ctx); err != nil {
			t.Fatal(err)
		}
		// A disabled account cannot sign in, and its sessions stop working.
		if err := d.Tx(ctx, func(tx db.Querier) error {
			_, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, c.now(), u.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Login(ctx, "fatima@example.ma", pw, "10.0.0.5", ""); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("disabled login: %v", err)
		}
		if _, _, err := s.Authenticate(ctx, sess.Token); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("disabled session: %v", err)
		}
	})
}

func TestSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, c := newService(t, d)
		u := mustUser(t, s, "youssef@example.ma", auth.RoleCustomer, 0)
		a, _, _ := s.Login(ctx, u.Email, pw, "1.1.1.1", "laptop")
		b, _, _ := s.Login(ctx, u.Email, pw, "1.1.1.2", "phone")

		if got, _, err := s.Authenticate(ctx, a.Token); err != nil || got.ID != u.ID {
			t.Fatalf("authenticate: %v", err)
		}
		if _, _, err := s.Authenticate(ctx, "forged-token"); !errs.Is(err, errs.Unauthorized) {
			t.Error("forged token accepted")
		}
		// Sliding expiry: used every 20 days, a 30-day session lives on.
		for range 3 {
			c.add(20 * 24 * time.Hour)
			if _, _, err := s.Authenticate(ctx, a.Token); err != nil {
				t.Fatalf("used session expired: %v", err)
			}
		}
		// b was not used for 60 days.
		if _, _, err := s.Authenticate(ctx, b.Token); !errs.Is(err, errs.Unauthorized) {
			t.Error("idle session still alive")
		}
		if live, _ := s.ListSessions(ctx, u.ID); len(live) != 1 || live[0].ID != a.ID || live[0].Token != "" {
			t.Errorf("live sessions: %+v", live)
		}

		c2, _, _ := s.Login(ctx, u.Email, pw, "1.1.1.3", "tablet")
		if err := s.ChangePassword(ctx, u.ID, "wrong old password", "a brand new passphrase", a.ID); fieldOf(err, "old_password") == "" {
			t.Errorf("wrong old password: %v", err)
		}
		if err := s.ChangePassword(ctx, u.ID, pw, "a brand new passphrase", a.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Authenticate(ctx, a.Token); err != nil {
			t.Error("the session that changed the password was signed out")
		}
		if _, _, err := s.Authenticate(ctx, c2.Token); err == nil {
			t.Error("other sessions survive a password change")
		}
		if _, _, err := s.Login(ctx, u.Email, "a brand new passphrase", "1.1.1.1", ""); err != nil {
			t.Errorf("new password: %v", err)
		}
		if err := s.Logout(ctx, a.Token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Authenticate(ctx, a.Token); err == nil {
			t.Error("logged-out session works")
		}
		d2, _, _ := s.Login(ctx, u.Email, "a brand new passphrase", "1.1.1.1", "")
		if err := s.RevokeAllSessions(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Authenticate(ctx, d2.Token); err == nil {
			t.Error("revoke-all left a session")
		}
		if err := s.SetPassword(ctx, u.ID, "short"); fieldOf(err, "password") == "" {
			t.Errorf("short SetPassword: %v", err)
		}
	})
}

func TestMiddlewareAndCSRF(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := auth.NewService(d, auth.Config{}, nil)
		u := mustUser(t, s, "amina@example.ma", auth.RoleCustomer, 0)
		sess, _, err := s.Login(ctx, u.Email, pw, "1.1.1.1", "")
		if err != nil {
			t.Fatal(err)
		}
		h := s.Middleware(auth.CSRF(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if got, ok := auth.UserFrom(r.Context()); ok {
				w.Write([]byte(got.Email))
			} else {
				w.Write([]byte("anonymous"))
			}
		})))
		srv := httptest.NewServer(h)
		defer srv.Close()

		do := func(method string, body string, headers map[string]string) (int, string) {
			req, _ := http.NewRequest(method, srv.URL+"/x", strings.NewReader(body))
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b := new(strings.Builder)
			_, _ = io.Copy(b, resp.Body)
			return resp.StatusCode, b.String()
		}
		cookie := auth.CookieName + "=" + sess.Token
		form := "application/x-www-form-urlencoded"
		cases := []struct {
			name    string
			method  string
			body    string
			headers map[string]string
			status  int
			who     string
		}{
			{"anonymous get", "GET", "", nil, 200, "anonymous"},
			{"bearer get", "GET", "", map[string]string{"Authorization": "Bearer " + sess.Token}, 200, u.Email},
			{"cookie get", "GET", "", map[string]string{"Cookie": cookie}, 200, u.Email},
			{"bad bearer is anonymous", "GET", "", map[string]string{"Authorization": "Bearer nope"}, 200, "anonymous"},
			{"cookie post without token", "POST", "a=1", map[string]string{"Cookie": cookie, "Content-Type": form}, 403, ""},
			{"cookie post with wrong token", "POST", "csrf_token=nope", map[string]string{"Cookie": cookie, "Content-Type": form}, 403, ""},
			{"cookie post with form token", "POST", "csrf_token=" + url.QueryEscape(sess.CSRFToken), map[string]string{"Cookie": cookie, "Content-Type": form}, 200, u.Email},
			{"cookie delete with header token", "DELETE", "", map[string]string{"Cookie": cookie, "X-CSRF-Token": sess.CSRFToken}, 200, u.Email},
			{"bearer post without token", "POST", "{}", map[string]string{"Authorization": "Bearer " + sess.Token, "Content-Type": "application/json"}, 200, u.Email},
			{"cross-site post", "POST", "{}", map[string]string{"Authorization": "Bearer " + sess.Token, "Sec-Fetch-Site": "cross-site"}, 403, ""},
			{"foreign origin post", "POST", "csrf_token=" + url.QueryEscape(sess.CSRFToken), map[string]string{"Cookie": cookie, "Content-Type": form, "Origin": "https://evil.example"}, 403, ""},
		}
		for _, c := range cases {
			status, body := do(c.method, c.body, c.headers)
			if status != c.status || (c.who != "" && body != c.who) {
				t.Errorf("%s: %d %q, want %d %q", c.name, status, body, c.status, c.who)
			}
		}
	})
}

// A cookie-signed-in browser's multipart form (with files) carries its
// CSRF token as the form field csrf_token: right token passes, with the
// form still readable by the handler; a wrong or missing one is refused,
// and a body over auth.MaxMultipartBytes is 413.
func TestCSRFMultipart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := auth.NewService(d, auth.Config{}, nil)
		u := mustUser(t, s, "amina@example.ma", auth.RoleCustomer, 0)
		sess, _, err := s.Login(ctx, u.Email, pw, "1.1.1.1", "")
		if err != nil {
			t.Fatal(err)
		}
		h := s.Middleware(auth.CSRF(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f, fh, err := r.FormFile("photo")
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			w.Write([]byte(r.PostFormValue("name") + " " + fh.Filename + " " + string(b)))
		})))
		srv := httptest.NewServer(h)
		defer srv.Close()

		post := func(token string, cookie bool) (int, string) {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			if token != "" {
				mw.WriteField("csrf_token", token)
			}
			mw.WriteField("name", "Tifaouine")
			fw, _ := mw.CreateFormFile("photo", "argan.jpg")
			fw.Write([]byte("not really a jpeg"))
			mw.Close()
			req, _ := http.NewRequest("POST", srv.URL+"/x", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			if cookie {
				req.Header.Set("Cookie", auth.CookieName+"="+sess.Token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		for _, c := range []struct {
			name   string
			token  string
			cookie bool
			status int
			body   string
		}{
			{"right token", sess.CSRFToken, true, 200, "Tifaouine argan.jpg not really a jpeg"},
			{"wrong token", "nope", true, 403, ""},
			{"no token", "", true, 403, ""},
			{"anonymous needs none", "", false, 200, "Tifaouine argan.jpg not really a jpeg"},
		} {
			if status, body := post(c.token, c.cookie); status != c.status || (c.body != "" && body != c.body) {
				t.Errorf("%s: %d %q, want %d %q", c.name, status, body, c.status, c.body)
			}
		}

		// Too large: refused from the announced length, before reading it.
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /x HTTP/1.1\r\nHost: %s\r\nCookie: %s=%s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n--b\r\n",
			strings.TrimPrefix(srv.URL, "http://"), auth.CookieName, sess.Token, auth.MaxMultipartBytes+1)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("too large: %d, want 413", resp.StatusCode)
		}
	})
}
