-- The ledger (package ledger): journal transactions, their entries, and the
-- operator's commission rules. Twin of ../postgres/00011_ledger.sql: keep
-- both in step. Entries and rules are append-only: triggers refuse UPDATE
-- and DELETE, so a correction is always a new transaction (or a new rule).

-- +goose Up
-- One journal transaction per money event. (kind, reference) names the
-- event — "payment.captured" of order S261201-AB3CD — so a retried event
-- finds its transaction already there and posts nothing. document is the
-- business document the money belongs to (the order number), for a
-- vendor's statement and for what is left of a sale.
CREATE TABLE ledger_transactions (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  reference  TEXT NOT NULL,
  document   TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMP NOT NULL,
  UNIQUE (kind, reference)
);
CREATE INDEX ledger_transactions_document ON ledger_transactions (document);

-- Each transaction's entries sum to zero per currency. amount is signed,
-- in minor units: a debit is positive, a credit negative. vendor_id is the
-- vendor the entry concerns (always set on a vendor's payable); due_at is
-- when a vendor's earning may be paid, set on payable:vendor only.
CREATE TABLE ledger_entries (
  id             INTEGER PRIMARY KEY,
  transaction_id BIGINT NOT NULL REFERENCES ledger_transactions (id),
  account        TEXT NOT NULL,
  vendor_id      BIGINT REFERENCES vendors (id),
  amount         BIGINT NOT NULL CHECK (amount <> 0),
  currency       TEXT NOT NULL,
  due_at         TIMESTAMP,
  CHECK (account NOT LIKE 'payable:vendor%' OR vendor_id IS NOT NULL),
  CHECK ((account = 'payable:vendor') = (due_at IS NOT NULL))
);
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);
CREATE INDEX ledger_entries_vendor ON ledger_entries (vendor_id, account, due_at);

-- Commission rules: a rate for a vendor kind and/or a category (and its
-- subcategories) and/or a sales channel, NULL meaning any, in force from
-- effective_from until a rule for the same key starts later. The most
-- specific rule in force when the order was placed applies.
CREATE TABLE commission_rules (
  id             INTEGER PRIMARY KEY,
  vendor_kind    TEXT CHECK (vendor_kind IN ('cooperative', 'artisan', 'exporter', 'publisher')),
  category_id    BIGINT REFERENCES categories (id),
  channel        TEXT REFERENCES sales_channels (code),
  rate_bp        INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
  effective_from TIMESTAMP NOT NULL,
  note           TEXT NOT NULL DEFAULT '',
  created_by     BIGINT REFERENCES users (id),
  created_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX commission_rules_key ON commission_rules
  (COALESCE(vendor_kind, ''), COALESCE(category_id, 0), COALESCE(channel, ''), effective_from);
-- The default: 10% of the items' price (VAT included) on every sale.
INSERT INTO commission_rules (rate_bp, effective_from, note, created_at)
  VALUES (1000, '2000-01-01 00:00:00+00:00', 'default', '2000-01-01 00:00:00+00:00');

-- +goose StatementBegin
CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger transactions are append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger transactions are append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commission_rules_no_update BEFORE UPDATE ON commission_rules
BEGIN SELECT RAISE(ABORT, 'commission rules are append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commission_rules_no_delete BEFORE DELETE ON commission_rules
BEGIN SELECT RAISE(ABORT, 'commission rules are append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER commission_rules_no_delete;
DROP TRIGGER commission_rules_no_update;
DROP TRIGGER ledger_entries_no_delete;
DROP TRIGGER ledger_entries_no_update;
DROP TRIGGER ledger_transactions_no_delete;
DROP TRIGGER ledger_transactions_no_update;
DROP TABLE commission_rules;
DROP TABLE ledger_entries;
DROP TABLE ledger_transactions;
