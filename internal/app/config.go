package app

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything `souk serve` can be told. Each setting has a flag and
// a SOUK_* environment variable; the flag wins. `souk serve --help` lists
// them, and docs/CONFIGURATION.md is the same list.
type Config struct {
	Addr            string
	DataDir         string
	DatabaseURL     string
	NoDemo          bool
	LogLevel        string
	LogFormat       string
	SecureCookies   bool
	BaseURL         string // public origin of the storefront, for canonical URLs and sitemaps
	ShutdownTimeout time.Duration
	SessionTTL      time.Duration

	SMTPURL  string // smtp://user:pass@host:587; empty writes mail to the log
	MailFrom string

	// CMI, the Moroccan card gateway. Without a client id, a demo souk
	// sends card payments to its built-in CMI simulator instead.
	CMIClientID, CMIStoreKey, CMIGatewayURL string
	// Stripe, for international cards; off without a secret key.
	StripeSecretKey, StripeWebhookSecret, StripeAPIURL string
	StripePublishableKey                               string

	// PayoutTimes is when every node runs the scheduled payouts, on
	// Casablanca's clocks: "10:00", "09:00,15:00"; "" or "off" for none.
	PayoutTimes string

	// PageCacheMB is the memory for public pages and API answers kept for
	// visitors who are not signed in; 0 turns the cache off.
	PageCacheMB int
	// ProductCacheMB is the memory for the products public listings show,
	// kept so that a card shown again costs no SQL; 0 turns it off.
	ProductCacheMB int
	// MaxInFlight is how many requests a node serves at once; more wait a
	// moment, then are answered 503 with Retry-After. 0: no limit.
	MaxInFlight int
	// DebugAddr, a loopback address, serves Go's profiles; "" for none.
	DebugAddr string
	// FeedInterval is how often a node reads the catalog's change feed: an
	// edit on any node shows on every node within it.
	FeedInterval time.Duration
}

// setting is one entry of the configuration table.
type setting struct {
	flag, env, usage string
}

// flagSet builds a FlagSet whose defaults come from the environment, and a
// usage text that names both spellings of every setting.
type flagSet struct {
	*flag.FlagSet
	settings []setting
	errs     []string
}

func newFlagSet(name, summary string, out io.Writer) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: souk %s [flags]\n\n%s\n\nFlags (each also read from its environment variable):\n", name, summary)
		fs.VisitAll(func(f *flag.Flag) {
			env := ""
			for _, s := range fs.settings {
				if s.flag == f.Name {
					env = s.env
				}
			}
			def := f.DefValue
			if def == "" {
				def = `""`
			}
			fmt.Fprintf(out, "  --%-18s %-24s %s (default %s)\n", f.Name, env, f.Usage, def)
		})
	}
	return fs
}

// fromEnv returns env's value parsed, or def when env is unset; a value
// that does not parse is reported by parse() and def is kept.
func fromEnv[T any](fs *flagSet, name, env, usage string, def T, conv func(string) (T, error), want string) T {
	fs.settings = append(fs.settings, setting{name, env, usage})
	v, ok := os.LookupEnv(env)
	if !ok {
		return def
	}
	x, err := conv(v)
	if err != nil {
		fs.errs = append(fs.errs, fmt.Sprintf("%s=%q is not %s", env, v, want))
		return def
	}
	return x
}

func (fs *flagSet) str(p *string, name, env, def, usage string) {
	fs.StringVar(p, name, fromEnv(fs, name, env, usage, def, func(s string) (string, error) { return s, nil }, ""), usage)
}

func (fs *flagSet) boolean(p *bool, name, env string, def bool, usage string) {
	fs.BoolVar(p, name, fromEnv(fs, name, env, usage, def, strconv.ParseBool, "true or false"), usage)
}

func (fs *flagSet) duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	fs.DurationVar(p, name, fromEnv(fs, name, env, usage, def, time.ParseDuration, "a duration such as 30s or 720h"), usage)
}

func (fs *flagSet) integer(p *int, name, env string, def int, usage string) {
	fs.IntVar(p, name, fromEnv(fs, name, env, usage, def, strconv.Atoi, "a whole number"), usage)
}

// parse parses args and reports bad environment values too.
func (fs *flagSet) parse(args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(fs.errs) > 0 {
		return fmt.Errorf("bad configuration: %s", strings.Join(fs.errs, "; "))
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return nil
}

// databaseFlags are shared by every command that opens the database.
func (fs *flagSet) databaseFlags(c *Config) {
	fs.str(&c.DataDir, "data", "SOUK_DATA", "./data", "folder for the SQLite database and media files")
	fs.str(&c.DatabaseURL, "database-url", "SOUK_DATABASE_URL", "", "PostgreSQL URL (postgres://…); empty for the embedded SQLite database")
	fs.str(&c.LogLevel, "log-level", "SOUK_LOG_LEVEL", "info", "debug, info, warn or error")
	fs.str(&c.LogFormat, "log-format", "SOUK_LOG_FORMAT", "text", "text or json")
}

// serveFlags are `souk serve`'s settings.
func (fs *flagSet) serveFlags(c *Config) {
	fs.str(&c.Addr, "addr", "SOUK_ADDR", ":8080", "address to listen on")
	fs.databaseFlags(c)
	fs.boolean(&c.NoDemo, "no-demo", "SOUK_NO_DEMO", false, "start empty: do not load the demo marketplace into an empty database")
	fs.boolean(&c.SecureCookies, "secure-cookies", "SOUK_SECURE_COOKIES", false, "mark session cookies Secure (set when served over HTTPS)")
	fs.str(&c.BaseURL, "base-url", "SOUK_BASE_URL", "", "public address of the storefront, e.g. https://souk.example.ma, for canonical links, sitemaps and sharing; empty uses the address each visitor used")
	fs.duration(&c.ShutdownTimeout, "shutdown-timeout", "SOUK_SHUTDOWN_TIMEOUT", 20*time.Second, "how long in-flight requests may take to finish on SIGTERM")
	fs.duration(&c.SessionTTL, "session-ttl", "SOUK_SESSION_TTL", 30*24*time.Hour, "how long a session lives without use")
	fs.str(&c.SMTPURL, "smtp-url", "SOUK_SMTP_URL", "", "mail server, smtp://user:password@host:587 or smtps://…; empty writes e-mails to the log")
	fs.str(&c.MailFrom, "mail-from", "SOUK_MAIL_FROM", "souk <no-reply@souk.localhost>", "sender of customers' e-mails")
	fs.str(&c.CMIClientID, "cmi-client-id", "SOUK_CMI_CLIENT_ID", "", "CMI merchant id; empty: card payments go to the built-in CMI simulator when the demo marketplace is on, and are not offered otherwise")
	fs.str(&c.CMIStoreKey, "cmi-store-key", "SOUK_CMI_STORE_KEY", "", "CMI store key (signs payment forms and callbacks)")
	fs.str(&c.CMIGatewayURL, "cmi-gateway-url", "SOUK_CMI_GATEWAY_URL", "https://testpayment.cmi.co.ma/fim/est3Dgate", "CMI hosted payment page")
	fs.str(&c.StripeSecretKey, "stripe-secret-key", "SOUK_STRIPE_SECRET_KEY", "", "Stripe secret key for international cards; empty: not offered")
	fs.str(&c.StripeWebhookSecret, "stripe-webhook-secret", "SOUK_STRIPE_WEBHOOK_SECRET", "", "Stripe webhook signing secret (whsec_…)")
	fs.str(&c.StripePublishableKey, "stripe-publishable-key", "SOUK_STRIPE_PUBLISHABLE_KEY", "", "Stripe publishable key: the order page then collects the card with Stripe.js (js.stripe.com)")
	fs.str(&c.StripeAPIURL, "stripe-api-url", "SOUK_STRIPE_API_URL", "", "Stripe API address; empty for Stripe itself (tests point it at stripe-mock)")
	fs.integer(&c.PageCacheMB, "page-cache-mb", "SOUK_PAGE_CACHE_MB", 32, "memory in MB for public pages and catalog answers kept for visitors not signed in (dropped as soon as what they show changes); 0 for none")
	fs.integer(&c.ProductCacheMB, "product-cache-mb", "SOUK_PRODUCT_CACHE_MB", 8, "memory in MB for the products public listings show, so a card shown again costs no SQL (dropped as soon as they change); 0 for none")
	fs.integer(&c.MaxInFlight, "max-in-flight", "SOUK_MAX_IN_FLIGHT", 256, "requests served at once; one more waits up to 100 ms for a place, then gets 503 with Retry-After (health checks, metrics, payment callbacks and live streams are never held; pages the cache holds need no place); 0 for no limit")
	fs.str(&c.DebugAddr, "debug-addr", "SOUK_DEBUG_ADDR", "", "a loopback address (127.0.0.1:6060) serving Go's profiles at /debug/pprof/; empty for none")
	fs.duration(&c.FeedInterval, "feed-interval", "SOUK_FEED_INTERVAL", 200*time.Millisecond, "how often this node reads the catalog's change feed: an edit on another node shows here within it")
	fs.str(&c.PayoutTimes, "payout-times", "SOUK_PAYOUT_TIMES", "10:00", "when to pay vendors what is due, on Casablanca's clocks: 10:00, or 09:00,15:00; off for never (souk payouts run does it by hand)")
}
