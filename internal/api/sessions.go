package api

import (
	"net"
	"net/http"
	"time"

	"souk/internal/auth"
	"souk/internal/errs"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type sessionView struct {
	Token     string    `json:"token"`
	CSRFToken string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      userView  `json:"user"`
}

// login opens a session: the token comes back for API clients
// (Authorization: Bearer) and as a cookie for browsers.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	sess, user, err := s.Auth.Login(r.Context(), in.Email, in.Password, clientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	auth.SetSessionCookie(w, sess, s.SecureCookies)
	return writeJSON(w, http.StatusCreated, sessionView{Token: sess.Token, CSRFToken: sess.CSRFToken, ExpiresAt: sess.ExpiresAt, User: userJSON(user)})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	sess, ok := auth.SessionFrom(r.Context())
	if !ok {
		return errs.E(errs.Unauthorized, "error.unauthorized")
	}
	if err := s.Auth.Logout(r.Context(), sess.Token); err != nil {
		return err
	}
	auth.ClearSessionCookie(w, s.SecureCookies)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, userJSON(u))
}

// requireUser returns the signed-in user, or errs.Unauthorized.
func requireUser(r *http.Request) (auth.User, error) {
	u, ok := auth.UserFrom(r.Context())
	if !ok {
		return auth.User{}, errs.E(errs.Unauthorized, "error.unauthorized")
	}
	return u, nil
}

// viewer is the signed-in user, or the zero User (the public) when anonymous.
func viewer(r *http.Request) auth.User {
	u, _ := auth.UserFrom(r.Context())
	return u
}

// clientIP is the peer address, the key of per-address sign-in throttling.
// Behind a reverse proxy every client shares the proxy's address; trusting
// a forwarded-for header is left to a deployment that configures it.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
