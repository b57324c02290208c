-- Payouts (package payout): the runs that pay vendors what the ledger says
-- is due, and each transfer. Twin of ../postgres/00012_payouts.sql: keep
-- both in step. The money itself moves in the ledger (payout.sent,
-- payout.confirmed, payout.failed); these rows say who was sent what, where.

-- +goose Up
-- One payout run. slot names a scheduled run ("2026-12-01 10:00" on
-- Casablanca's clocks): UNIQUE, so two nodes running the schedule make one
-- batch. A run by hand has no slot. as_of: what was due then was paid.
CREATE TABLE payout_batches (
  id         INTEGER PRIMARY KEY,
  slot       TEXT UNIQUE,
  source     TEXT NOT NULL CHECK (source IN ('schedule', 'command', 'console')),
  started_by INTEGER REFERENCES users (id),
  as_of      TIMESTAMP NOT NULL,
  created_at TIMESTAMP NOT NULL
);

-- One transfer to one vendor. seq counts the vendor's payouts: UNIQUE with
-- the vendor, so two runs that both read the vendor's balance at once
-- cannot both pay it (the second fails and writes nothing). beneficiary and
-- rib are as they were when the transfer was made.
CREATE TABLE payouts (
  id          INTEGER PRIMARY KEY,
  batch_id    BIGINT NOT NULL REFERENCES payout_batches (id),
  vendor_id   BIGINT NOT NULL REFERENCES vendors (id),
  seq         INTEGER NOT NULL,
  amount      BIGINT NOT NULL CHECK (amount > 0),
  currency    TEXT NOT NULL,
  beneficiary TEXT NOT NULL,
  rib         TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'confirmed', 'failed')),
  failure     TEXT NOT NULL DEFAULT '',
  settled_at  TIMESTAMP,
  settled_by  INTEGER REFERENCES users (id),
  created_at  TIMESTAMP NOT NULL,
  UNIQUE (vendor_id, seq),
  UNIQUE (batch_id, vendor_id, currency)
);
CREATE INDEX payouts_batch ON payouts (batch_id);
CREATE INDEX payouts_status ON payouts (status, created_at);

-- When a channel's settlement delay starts: at delivery for shipped orders,
-- at the sale itself in the physical shops (the customer leaves with it).
ALTER TABLE sales_channels ADD COLUMN settles_from TEXT NOT NULL DEFAULT 'delivery'
  CHECK (settles_from IN ('delivery', 'sale'));
UPDATE sales_channels SET settles_from = 'sale' WHERE code = 'shop';

-- +goose Down
ALTER TABLE sales_channels DROP COLUMN settles_from;
DROP TABLE payouts;
DROP TABLE payout_batches;
