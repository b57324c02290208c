package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"souk/internal/auth"
	"souk/internal/demo"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/vendor"
)

// DemoPassword signs in every demo account. It exists only in databases the
// demo was loaded into.
const DemoPassword = "souk-demo-password"

// DemoAccounts are created with the demo marketplace so that a newcomer can
// sign in as each kind of user (README lists them).
var DemoAccounts = []struct {
	Email string
	Role  auth.Role
}{
	{"operator@demo.souk.ma", auth.RoleAdmin},
	{"moderator@demo.souk.ma", auth.RoleModerator},
	{"cooperative@demo.souk.ma", auth.RoleVendorOwner},
	{"staff@demo.souk.ma", auth.RoleVendorStaff},
	{"customer@demo.souk.ma", auth.RoleCustomer},
}

// loadDemoIfEmpty loads the default demo marketplace when the database has
// no vendor yet: the first start of a new souk.
func (a *App) loadDemoIfEmpty(ctx context.Context) error {
	var n int
	if err := a.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM vendors`).Scan(&n); err != nil {
		return fmt.Errorf("check for an empty database: %w", err)
	}
	if n > 0 {
		return nil
	}
	a.Log.Info("empty database: loading the demo marketplace (start with --no-demo to skip)")
	stats, err := a.loadDemo(ctx, demo.Defaults())
	if err != nil {
		return err
	}
	a.Log.Info("demo marketplace loaded", "vendors", stats.Vendors, "products", stats.Products, "books", stats.Books,
		"took", stats.Took, "sign_in_as", DemoAccounts[0].Email, "password", DemoPassword)
	return nil
}

// loadDemo loads the demo catalog, its accounts and a month of trade; the
// vendor accounts belong to the first approved cooperative.
func (a *App) loadDemo(ctx context.Context, opts demo.Options) (demo.Stats, error) {
	if opts.Log == nil {
		opts.Log = a.Log
	}
	if opts.MediaDir == "" && a.Config.DataDir != "" {
		opts.MediaDir = filepath.Join(a.Config.DataDir, "media")
	}
	stats, err := demo.Load(ctx, a.Vendors, a.Catalog, opts)
	if err != nil {
		return stats, fmt.Errorf("load demo: %w", describe(err))
	}
	operator := auth.User{Role: auth.RoleAdmin}
	coops, _, err := a.Vendors.List(ctx, operator, vendor.Filter{Status: vendor.Approved, Kind: vendor.Cooperative, PerPage: 1})
	if err != nil || len(coops) == 0 {
		return stats, fmt.Errorf("load demo accounts: no approved cooperative (%v)", err)
	}
	for _, acc := range DemoAccounts {
		u := auth.NewUser{Email: acc.Email, Name: strings.Split(acc.Email, "@")[0], Password: DemoPassword, Role: acc.Role, Locale: "fr"}
		if acc.Role == auth.RoleVendorOwner || acc.Role == auth.RoleVendorStaff {
			u.VendorID, u.Locale = coops[0].ID, "ar"
		}
		if _, err := a.Auth.CreateUser(ctx, u); err != nil && !errs.Is(err, errs.Conflict) {
			return stats, fmt.Errorf("create demo account %s: %w", acc.Email, describe(err))
		}
	}
	if err := a.DB.Analyze(ctx); err != nil { // a million new rows
		return stats, err
	}
	if opts.HistoryDays <= 0 {
		return stats, nil
	}
	took, err := a.loadHistory(ctx, opts)
	stats.Took += took
	return stats, err
}

// loadHistory trades for opts.HistoryDays in the demo marketplace: the
// demo customer buys, the cooperative's staff packs and ships, the
// operator collects, refunds and records the bank's answers. Cards are
// paid through CMI's simulator when souk uses it.
func (a *App) loadHistory(ctx context.Context, opts demo.Options) (time.Duration, error) {
	h := demo.HistoryOptions{Seed: opts.Seed, Days: opts.HistoryDays, Log: opts.Log}
	for _, acc := range DemoAccounts {
		var u *auth.User
		switch acc.Role {
		case auth.RoleAdmin:
			u = &h.Operator
		case auth.RoleCustomer:
			u = &h.Customer
		case auth.RoleVendorStaff:
			u = &h.VendorUser
		default:
			continue
		}
		var err error
		if *u, err = a.Auth.UserByEmail(ctx, acc.Email); err != nil {
			return 0, fmt.Errorf("demo history: %s: %w", acc.Email, describe(err))
		}
	}
	if a.simulator() {
		h.CMI = a.gateways("").CMI
	}
	st, err := demo.History(ctx, demo.HistoryDeps{DB: a.DB, Vendors: a.Vendors, Catalog: a.Catalog, Shipping: a.Ship}, h)
	if err != nil {
		return st.Took, fmt.Errorf("load demo history: %w", describe(err))
	}
	return st.Took, nil
}

// describe spells a domain error out in English for the command line.
func describe(err error) error {
	var e *errs.Error
	if !errors.As(err, &e) {
		return err
	}
	var parts []string
	for f, k := range e.Fields {
		parts = append(parts, f+" "+i18n.T("en", k, nil))
	}
	sort.Strings(parts)
	args := map[string]any{"fields": strings.Join(parts, "; ")}
	for k, v := range e.Args {
		args[k] = v
	}
	return errors.New(i18n.T("en", e.Message, args))
}
