-- Step 2 (SQLite; kept equivalent to sql/postgresql/0002_lean_journal_keys.sql,
-- which explains why). SQLite cannot drop a constraint: the two tables are
-- rebuilt without the foreign keys, keeping every row.
CREATE TABLE applied_actions_new (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id       BIGINT NOT NULL,
  team_id      BIGINT NOT NULL,
  account_id   BIGINT,
  email        TEXT NOT NULL,
  action       TEXT NOT NULL CHECK (action IN ('create', 'adopt', 'adopt-pending', 'relink', 'reactivate',
                                               'update', 'deactivate', 'scim-enable', 'scim-disable',
                                               'verify')),
  reason       TEXT NOT NULL DEFAULT '',
  before_state TEXT,
  after_state  TEXT,
  actor        TEXT NOT NULL DEFAULT '',
  applied_at   BIGINT NOT NULL
);
INSERT INTO applied_actions_new SELECT id, run_id, team_id, account_id, email, action, reason, before_state,
  after_state, actor, applied_at FROM applied_actions;
DROP TABLE applied_actions;
ALTER TABLE applied_actions_new RENAME TO applied_actions;
CREATE INDEX applied_actions_account ON applied_actions (account_id);
CREATE INDEX applied_actions_run ON applied_actions (run_id);

CREATE TABLE mail_outbox_new (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id         BIGINT NOT NULL,
  account_id      BIGINT NOT NULL REFERENCES accounts (id),
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
