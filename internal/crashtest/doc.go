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
package crashtest
