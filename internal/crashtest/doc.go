// Package crashtest proves that souk loses no order when its process dies.
// Its test builds the real binary, runs checkout load against `souk serve`
// (cash on delivery and CMI card payments, the test playing CMI's gateway),
// kills the process with SIGKILL at random moments, restarts it on the same
// database and port, and then checks every order, stock count, card payment
// and ledger posting against what the clients were told, on SQLite and
// PostgreSQL.
//
// `go test ./internal/crashtest/` is the short form CI runs (5 kills per
// database); SOUK_CRASH_KILLS=20 (scripts/crashtest) is the full one, and
// SOUK_CRASH_SEED replays a run's random choices.
//
// TestEditsShowOnEveryNode runs two `souk serve` processes on one database
// and proves that cached public answers follow the catalog: a price edited
// through one node, a price written in SQL, stock left after a checkout and a
// sold-out variant show on both nodes' pages and API answers within a
// second, and at once on the node that made the change.
package crashtest
