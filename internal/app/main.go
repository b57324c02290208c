// Package app wires souk together: configuration, the database, the domain
// services and the HTTP server, and the `souk` subcommands.
package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"souk/internal/auth"
	"souk/internal/demo"
	"souk/internal/ledger"
	"souk/internal/payout"
)

// Version is set at build time with -ldflags "-X souk/internal/app.Version=…".
var Version = "dev"

const usage = `souk — a marketplace for Moroccan cooperatives, artisans, exporters and publishers.

Usage: souk <command> [flags]

Commands:
  serve     run the storefront, portals and JSON API (loads the demo marketplace into an empty database)
  migrate   apply database migrations and exit
  demo      load the demo marketplace (--products N --books N --seed S --history-days D)
  admin     create an operator account: souk admin create --email you@example.ma
  ledger    check the ledger's invariants: souk ledger check [--json] (exits 1 if one fails)
  payouts   pay vendors what is due: souk payouts run [--json] [--file PATH]; confirm or fail transfers
  version   print the version

Run 'souk <command> --help' for a command's flags.
`

// Run executes the command in args (without the program name) and returns
// the process exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stderr)
	case "migrate":
		err = migrate(ctx, args[1:], stderr)
	case "demo":
		err = loadDemo(ctx, args[1:], stdout, stderr)
	case "admin":
		err = admin(ctx, args[1:], stdin, stdout, stderr)
	case "ledger":
		err = ledgerCheck(ctx, args[1:], stdout, stderr)
	case "payouts":
		err = payouts(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "souk", Version)
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "souk: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "souk:", err)
		return 1
	}
	return 0
}

func newLogger(cfg Config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("bad log level %q: want debug, info, warn or error", cfg.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch cfg.LogFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("bad log format %q: want text or json", cfg.LogFormat)
}

// serveGCPercent is the garbage collector's target for `souk serve` unless
// GOGC says otherwise: the heap may grow to 1.5 times what is live before a
// collection, not Go's default twice. What is live is mostly long-lived
// (the index, the page and product caches: about 110 MB with the
// 190,000-product catalog) and a cached page makes little garbage, so
// collecting twice as often cost little CPU in the launch and kept souk
// under 300 MB resident (docs/PERFORMANCE.md).
const serveGCPercent = 50

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	var cfg Config
	fs := newFlagSet("serve", "Runs souk on one port. With no configuration it keeps everything under ./data\n(SQLite and media) and loads a demo marketplace on first start.", stderr)
	fs.serveFlags(&cfg)
	log, err := fs.parseLogged(args, &cfg, stderr)
	if err != nil {
		return err
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := Start(ctx, cfg, log)
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		log.Info("shutting down: finishing in-flight requests", "timeout", cfg.ShutdownTimeout)
	case err := <-a.served:
		a.served <- err // Shutdown reads it
		log.Error("server stopped", "err", err)
	}
	return a.Shutdown(context.Background())
}

func migrate(ctx context.Context, args []string, stderr io.Writer) error {
	var cfg Config
	fs := newFlagSet("migrate", "Applies pending database migrations. Safe to run twice, or from two nodes at once.", stderr)
	fs.databaseFlags(&cfg)
	log, err := fs.parseLogged(args, &cfg, stderr)
	if err != nil {
		return err
	}
	a, err := Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	log.Info("database is up to date", "database", string(a.DB.Dialect))
	return a.Close()
}

func loadDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	opts := demo.Defaults()
	seed := int(opts.Seed)
	fs := newFlagSet("demo", "Loads the demo marketplace: vendors from all 12 regions, their products and a publishers' book catalog.\nThe same seed and sizes always give the same data.", stderr)
	fs.databaseFlags(&cfg)
	fs.integer(&opts.Products, "products", "SOUK_DEMO_PRODUCTS", opts.Products, "number of non-book products")
	fs.integer(&opts.Books, "books", "SOUK_DEMO_BOOKS", opts.Books, "number of books")
	fs.integer(&seed, "seed", "SOUK_DEMO_SEED", seed, "random seed")
	fs.integer(&opts.HistoryDays, "history-days", "SOUK_DEMO_HISTORY_DAYS", opts.HistoryDays, "days of orders, deliveries and payouts before now (0: none)")
	log, err := fs.parseLogged(args, &cfg, stderr)
	if err != nil {
		return err
	}
	if opts.Products < 0 || opts.Books < 0 || seed < 0 || opts.HistoryDays < 0 {
		return errors.New("--products, --books, --seed and --history-days must not be negative")
	}
	opts.Seed = uint64(seed)
	opts.Log = log
	a, err := Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	stats, err := a.loadDemo(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo marketplace loaded: %d vendors, %d products, %d books in %s\n",
		stats.Vendors, stats.Products, stats.Books, stats.Took.Round(time.Millisecond))
	return nil
}

func admin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: souk admin create --email EMAIL [--name NAME] [--role admin|moderator] (the password is read from standard input)")
	}
	var cfg Config
	var email, name, role, loc string
	fs := newFlagSet("admin create", "Creates an operator account. The password is read from the first line of standard input.", stderr)
	fs.databaseFlags(&cfg)
	fs.str(&email, "email", "SOUK_ADMIN_EMAIL", "", "the operator's e-mail address")
	fs.str(&name, "name", "SOUK_ADMIN_NAME", "", "the operator's name")
	fs.str(&role, "role", "SOUK_ADMIN_ROLE", "admin", "admin or moderator")
	fs.str(&loc, "locale", "SOUK_ADMIN_LOCALE", "fr", "interface language: ar, zgh, fr, en or es")
	log, err := fs.parseLogged(args[1:], &cfg, stderr)
	if err != nil {
		return err
	}
	r := auth.Role(role)
	if r != auth.RoleAdmin && r != auth.RoleModerator {
		return fmt.Errorf("--role must be admin or moderator, not %q", role)
	}
	if f, ok := stdin.(*os.File); ok && isTerminal(f) {
		fmt.Fprint(stderr, "Password (at least 10 characters): ")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	a, err := Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Auth.CreateUser(ctx, auth.NewUser{Email: email, Name: name, Password: password, Role: r, Locale: loc})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created %s %s (id %d)\n", u.Role, u.Email, u.ID)
	return nil
}

// ledgerCheck verifies the ledger of the database souk serve uses and
// prints what it found; a failed invariant is an error (exit status 1).
func ledgerCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return errors.New("usage: souk ledger check [--json]")
	}
	var cfg Config
	var asJSON bool
	fs := newFlagSet("ledger check", "Verifies the ledger: every journal transaction and the whole book sum to zero, no earning\nwas paid out twice, and every payout is in the book as it stands.", stderr)
	fs.databaseFlags(&cfg)
	fs.boolean(&asJSON, "json", "", false, "print the report as JSON")
	log, err := fs.parseLogged(args[1:], &cfg, stderr)
	if err != nil {
		return err
	}
	a, err := Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := ledger.Check(ctx, a.DB.Read())
	if err != nil {
		return err
	}
	problems, err := payout.Check(ctx, a.DB.Read())
	if err != nil {
		return err
	}
	r.Problems = append(r.Problems, problems...)
	if asJSON {
		b, _ := json.MarshalIndent(r, "", "  ")
		fmt.Fprintln(stdout, string(b))
	} else {
		fmt.Fprintf(stdout, "%d journal transactions, %d entries\n", r.Transactions, r.Entries)
		for _, p := range r.Problems {
			fmt.Fprintln(stdout, "FAILED:", p)
		}
		if r.OK() {
			fmt.Fprintln(stdout, "ok: the book sums to zero, every transaction balances, no earning was paid twice, every payout is in the book")
		}
	}
	if !r.OK() {
		return fmt.Errorf("ledger check: %d problem(s)", len(r.Problems))
	}
	return nil
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// parseLogged parses args into cfg and builds the logger cfg asks for.
func (fs *flagSet) parseLogged(args []string, cfg *Config, w io.Writer) (*slog.Logger, error) {
	if err := fs.parse(args); err != nil {
		return nil, err
	}
	return newLogger(*cfg, w)
}
