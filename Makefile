# The two commands a newcomer needs are `make run` and `make test` (README).
GO ?= go

.PHONY: run test vet build fuzz bench lighthouse loadtest crashtest

run:
	$(GO) run ./cmd/souk serve

# Store tests run on SQLite, and again on PostgreSQL when
# SOUK_TEST_DATABASE_URL is set (.ci/run sets it).
test: vet
	@[ -n "$$SOUK_TEST_DATABASE_URL" ] || echo "== SOUK_TEST_DATABASE_URL is not set: the PostgreSQL suites are SKIPPED (SQLite only)"
	$(GO) test -race -count=1 ./...

vet:
	@test -z "$$(gofmt -l cmd internal)" || { echo "gofmt needed:"; gofmt -l cmd internal; exit 1; }
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) build -tags nodynamic -o /dev/null ./cmd/souk

build:
	CGO_ENABLED=0 $(GO) build -tags nodynamic -trimpath -o souk ./cmd/souk

# A short fuzzing pass over every input parser.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzNormalizeRIB -fuzztime 20s ./internal/morocco/
	$(GO) test -run '^$$' -fuzz FuzzNormalizePhone -fuzztime 20s ./internal/morocco/
	$(GO) test -run '^$$' -fuzz FuzzNormalizeISBN -fuzztime 20s ./internal/catalog/
	$(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime 20s ./internal/api/
	$(GO) test -run '^$$' -fuzz FuzzVerifyPassword -fuzztime 20s ./internal/auth/
	$(GO) test -run '^$$' -fuzz FuzzNormalize -fuzztime 20s ./internal/search/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Lighthouse scores (performance, accessibility, best practices, SEO) of
# the home, a category and a product page in Arabic and French; fails
# under 95. Needs chromium and node; fetches the pinned npm package once.
lighthouse:
	bash scripts/lighthouse

# No order lost when souk is killed: checkout load, 20 SIGKILLs and restarts
# per database (SOUK_CRASH_KILLS for more), then every order, stock count
# and card payment checked. make test runs a short form (5 kills).
crashtest:
	bash scripts/crashtest

# The load harness (docs/PERFORMANCE.md): souk with the 190,000-item demo
# catalog on 127.0.0.1, soukload's scenarios against it and the checks after;
# writes results/loadtest-*.json. Minutes long; LOADTEST_SHORT=1 for a quick
# run, SOUK_LOADTEST_DATABASE_URL=postgres://… for PostgreSQL.
loadtest:
	bash scripts/loadtest
