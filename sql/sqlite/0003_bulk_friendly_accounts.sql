-- Step 3 (SQLite; kept equivalent to sql/postgresql/0003_bulk_friendly_accounts.sql).
-- SQLite has no fillfactor (nothing to do there); the outbox is rebuilt
-- without its foreign key, keeping every row.
CREATE TABLE mail_outbox_new (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id         BIGINT NOT NULL,
  account_id      BIGINT NOT NULL,
  run_id          BIGINT,
  email           TEXT NOT NULL,
  kind            TEXT NOT NULL DEFAULT 'verify' CHECK (kind IN ('verify')),
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'parked')),
  attempts        BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  sent_at         BIGINT
);
INSERT INTO mail_outbox_new SELECT id, team_id, account_id, run_id, email, kind, status, attempts, next_attempt_at,
  last_error, created_at, sent_at FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
