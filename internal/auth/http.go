package auth

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"mime/multipart"
	"net/http"
	"strings"

	"souk/internal/i18n"
)

// CookieName is the browser's session cookie.
const CookieName = "souk_session"

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
	viaCookieKey
)

// Middleware signs in the request from `Authorization: Bearer <token>` or,
// failing that, the session cookie. A bad token leaves the request
// anonymous (and clears a bad cookie): public pages still work.
func (s *Service) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, viaCookie := "", false
		if h := r.Header.Get("Authorization"); h != "" {
			if t, ok := strings.CutPrefix(h, "Bearer "); ok {
				token = strings.TrimSpace(t)
			}
		} else if c, err := r.Cookie(CookieName); err == nil {
			token, viaCookie = c.Value, true
		}
		if token != "" {
			u, sess, err := s.Authenticate(r.Context(), token)
			if err == nil {
				ctx := context.WithValue(r.Context(), userKey, u)
				ctx = context.WithValue(ctx, sessionKey, sess)
				ctx = context.WithValue(ctx, viaCookieKey, viaCookie)
				r = r.WithContext(ctx)
			} else if viaCookie {
				ClearSessionCookie(w, r.TLS != nil)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// UserFrom returns the signed-in user of a request context.
func UserFrom(ctx context.Context) (User, bool) {
	u, ok := ctx.Value(userKey).(User)
	return u, ok
}

// SessionFrom returns the session of a request context.
func SessionFrom(ctx context.Context) (Session, bool) {
	s, ok := ctx.Value(sessionKey).(Session)
	return s, ok
}

// ViaCookie reports whether the request was signed in by cookie (and so
// needs CSRF protection) rather than by bearer token.
func ViaCookie(ctx context.Context) bool {
	v, _ := ctx.Value(viaCookieKey).(bool)
	return v
}

// SetSessionCookie hands a browser its session.
func SetSessionCookie(w http.ResponseWriter, sess Session, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: sess.Token, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

var crossOrigin = http.NewCrossOriginProtection()

// GatewayPrefix is where payment gateways post from their own sites: the
// CMI page sends the customer's browser back (okUrl, failUrl), CMI and
// Stripe notify server to server. Each of those requests is verified by
// its signature instead, and none acts on a session, so CSRF checks skip
// them.
const GatewayPrefix = "/payments/"

// MaxMultipartBytes caps the body of a multipart form that CSRF reads the
// token of (ten 10 MB documents and the rest of the form fit); a bigger
// one is refused with 413.
const MaxMultipartBytes = 120 << 20

// CSRF protects state-changing requests: the standard library's
// cross-origin check (Sec-Fetch-Site, then Origin against Host) refuses
// requests a foreign site made a browser send; then a cookie-signed-in
// request must carry its session's CSRF token (form field csrf_token, in
// a urlencoded or multipart body, or header X-CSRF-Token), for old
// browsers that send neither header. Bearer tokens are never sent by a
// browser on its own, so they need no token. It must run after Middleware.
func CSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, GatewayPrefix) {
			next.ServeHTTP(w, r)
			return
		}
		if err := crossOrigin.Check(r); err != nil {
			refuse(w, r)
			return
		}
		if ViaCookie(r.Context()) {
			sess, _ := SessionFrom(r.Context())
			got := r.Header.Get("X-CSRF-Token")
			if got == "" {
				switch ct := r.Header.Get("Content-Type"); {
				case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
					got = r.PostFormValue("csrf_token")
				case strings.HasPrefix(ct, "multipart/form-data"):
					// A form with files (an application's documents, a
					// product's photos): parsed here, files past the
					// memory cap on disk, and removed after the handler.
					if r.ContentLength > MaxMultipartBytes {
						tooLarge(w, r)
						return
					}
					r.Body = http.MaxBytesReader(w, r.Body, MaxMultipartBytes)
					if err := r.ParseMultipartForm(32 << 20); err != nil {
						if mb := (*http.MaxBytesError)(nil); errors.As(err, &mb) || errors.Is(err, multipart.ErrMessageTooLarge) {
							tooLarge(w, r)
							return
						}
						refuse(w, r)
						return
					}
					defer r.MultipartForm.RemoveAll()
					got = r.PostFormValue("csrf_token")
				}
			}
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) != 1 {
				refuse(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// tooLarge answers a multipart form over MaxMultipartBytes, in the
// visitor's language.
func tooLarge(w http.ResponseWriter, r *http.Request) {
	loc := i18n.Negotiate(r.Header.Get("Accept-Language"), i18n.Default)
	http.Error(w, i18n.T(loc, "error.too_large", map[string]any{"limit": "120 MB"}), http.StatusRequestEntityTooLarge)
}

func refuse(w http.ResponseWriter, r *http.Request) {
	if strings.Contains(r.Header.Get("Accept"), "json") || strings.Contains(r.Header.Get("Content-Type"), "json") ||
		strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		loc := r.URL.Query().Get("locale") // as the API chooses its language
		if !i18n.Valid(loc) {
			loc = i18n.Negotiate(r.Header.Get("Accept-Language"), "en")
		}
		msg, _ := json.Marshal(i18n.T(loc, "error.csrf_api", nil))
		_, _ = w.Write([]byte(`{"error":{"code":"forbidden","message":` + string(msg) + "}}\n"))
		return
	}
	http.Error(w, i18n.T(i18n.Negotiate(r.Header.Get("Accept-Language"), i18n.Default), "error.csrf", nil), http.StatusForbidden)
}
