//go:build race

package order_test

// The race detector slows the pure-Go SQLite down tenfold: long random
// runs take fewer steps under it.
func init() { raceDetector = true }
