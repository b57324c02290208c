-- A vendor joins: the application's documents, its status history, the
-- operator's note to the applicant, the one-time links that let a new owner
-- set a password, and the audit log of every change an operator or vendor
-- makes (packages vendor, auth, audit). Twin of ../postgres/00009_joining.sql.

-- +goose Up
ALTER TABLE vendors ADD COLUMN locale TEXT NOT NULL DEFAULT 'ar'; -- the applicant's language, for e-mails
ALTER TABLE vendors ADD COLUMN review_note TEXT NOT NULL DEFAULT ''; -- the operator's last reason or question
ALTER TABLE vendors ADD COLUMN info_requested_at TIMESTAMP; -- set while the operator waits for the applicant
CREATE INDEX vendors_status_created ON vendors (status, created_at);

-- Files the applicant sent (registration certificate, certifications,
-- food-safety authorisation). The bytes live in the document store, named
-- by their SHA-256; only operators and the vendor's own users read them.
CREATE TABLE vendor_documents (
  id           INTEGER PRIMARY KEY,
  vendor_id    INTEGER NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('registration', 'certification', 'food_safety', 'other')),
  filename     TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes   INTEGER NOT NULL CHECK (size_bytes > 0),
  sha256       TEXT NOT NULL,
  created_at   TIMESTAMP NOT NULL
);
CREATE INDEX vendor_documents_vendor ON vendor_documents (vendor_id);

-- Every step of a vendor's life with the operator: applied, information
-- asked and sent, approved, rejected, suspended, reinstated.
CREATE TABLE vendor_events (
  id            INTEGER PRIMARY KEY,
  vendor_id     INTEGER NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
  action        TEXT NOT NULL,
  from_status   TEXT NOT NULL DEFAULT '',
  to_status     TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  actor_user_id INTEGER, -- no foreign key: the history outlives its actors
  created_at    TIMESTAMP NOT NULL
);
CREATE INDEX vendor_events_vendor ON vendor_events (vendor_id, id);

-- One-time links (set a password after approval): only the hash is kept.
CREATE TABLE user_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL CHECK (purpose IN ('set_password')),
  expires_at TIMESTAMP NOT NULL,
  used_at    TIMESTAMP,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX user_tokens_user ON user_tokens (user_id);

-- Who changed what, when, before and after (JSON). No foreign keys: the log
-- outlives the users and rows it names.
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  actor_user_id INTEGER,
  actor_role    TEXT NOT NULL DEFAULT '',
  action        TEXT NOT NULL,
  entity        TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  before_json   TEXT NOT NULL DEFAULT '',
  after_json    TEXT NOT NULL DEFAULT '',
  created_at    TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, id);
CREATE INDEX audit_log_created ON audit_log (created_at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE user_tokens;
DROP TABLE vendor_events;
DROP TABLE vendor_documents;
DROP INDEX vendors_status_created;
ALTER TABLE vendors DROP COLUMN info_requested_at;
ALTER TABLE vendors DROP COLUMN review_note;
ALTER TABLE vendors DROP COLUMN locale;
