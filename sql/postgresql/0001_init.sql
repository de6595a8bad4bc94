-- jumpsync schema, step 1 (PostgreSQL). Kept equivalent to sql/sqlite/0001_init.sql.
-- Booleans are SMALLINT 0/1 with CHECKs so both backends read them alike.
-- Times are BIGINT Unix seconds (UTC), written by the application clock.

CREATE TABLE teams (
  id                   BIGSERIAL PRIMARY KEY,
  name                 TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
  sso_configured       SMALLINT NOT NULL DEFAULT 0 CHECK (sso_configured IN (0, 1)),
  enterprise           SMALLINT NOT NULL DEFAULT 0 CHECK (enterprise IN (0, 1)),
  domain_verification  SMALLINT NOT NULL DEFAULT 0 CHECK (domain_verification IN (0, 1)),
  scim_enabled         SMALLINT NOT NULL DEFAULT 0 CHECK (scim_enabled IN (0, 1)),
  scim_epoch           BIGINT NOT NULL DEFAULT 0 CHECK (scim_epoch >= 0),
  scim_token_hash      TEXT,
  sync_interval_s      BIGINT NOT NULL DEFAULT 3600 CHECK (sync_interval_s > 0),
  guard_max_count      BIGINT NOT NULL DEFAULT 100 CHECK (guard_max_count >= 0),
  guard_max_percent    DOUBLE PRECISION NOT NULL DEFAULT 20 CHECK (guard_max_percent BETWEEN 0 AND 100),
  guard_percent_floor  BIGINT NOT NULL DEFAULT 5 CHECK (guard_percent_floor >= 0),
  source_provider      TEXT CHECK (source_provider IN ('scim', 'okta', 'entra', 'file')),
  source_url           TEXT,
  source_auth_url      TEXT,
  source_app_id        TEXT,
  source_tenant        TEXT,
  source_client_id     TEXT,
  source_token_enc     TEXT,
  source_secret_enc    TEXT,
  source_ca_file       TEXT,
  source_page_size     BIGINT NOT NULL DEFAULT 0 CHECK (source_page_size >= 0),
  last_success_at      BIGINT,
  created_at           BIGINT NOT NULL
);

CREATE TABLE team_domains (
  team_id  BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  domain   TEXT NOT NULL CHECK (domain = lower(domain) AND length(domain) > 0),
  PRIMARY KEY (team_id, domain)
);

CREATE TABLE accounts (
  id               BIGSERIAL PRIMARY KEY,
  email            TEXT NOT NULL CHECK (email = lower(btrim(email)) AND position('@' IN email) > 1),
  verified         SMALLINT NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
  status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
  given_name       TEXT NOT NULL DEFAULT '',
  family_name      TEXT NOT NULL DEFAULT '',
  managed_by       BIGINT REFERENCES teams (id),
  external_id      TEXT NOT NULL DEFAULT '',
  link_epoch       BIGINT NOT NULL DEFAULT 0 CHECK (link_epoch >= 0),
  pending_team     BIGINT REFERENCES teams (id),
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  CONSTRAINT accounts_email_unique UNIQUE (email),
  CHECK (managed_by IS NULL OR link_epoch > 0)
);
CREATE INDEX accounts_managed_by ON accounts (managed_by);
CREATE INDEX accounts_pending_team ON accounts (pending_team) WHERE pending_team IS NOT NULL;

CREATE TABLE team_members (
  team_id     BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  account_id  BIGINT NOT NULL REFERENCES accounts (id),
  PRIMARY KEY (team_id, account_id)
);

CREATE TABLE sync_runs (
  id            BIGSERIAL PRIMARY KEY,
  team_id       BIGINT NOT NULL REFERENCES teams (id),
  trigger       TEXT NOT NULL CHECK (trigger IN ('cron', 'resync', 'manual', 'plan')),
  mode          TEXT NOT NULL CHECK (mode IN ('dry-run', 'apply')),
  started_at    BIGINT NOT NULL,
  finished_at   BIGINT,
  outcome       TEXT NOT NULL DEFAULT 'running'
                CHECK (outcome IN ('running', 'ok', 'blocked', 'source-failed', 'disabled', 'error', 'interrupted')),
  counts        TEXT NOT NULL DEFAULT '{}',
  error         TEXT,
  plan_json     TEXT,
  source        TEXT NOT NULL DEFAULT '',
  worker        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sync_runs_team ON sync_runs (team_id, id);

CREATE TABLE applied_actions (
  id           BIGSERIAL PRIMARY KEY,
  run_id       BIGINT NOT NULL REFERENCES sync_runs (id),
  team_id      BIGINT NOT NULL REFERENCES teams (id),
  account_id   BIGINT REFERENCES accounts (id),
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
CREATE INDEX applied_actions_account ON applied_actions (account_id);
CREATE INDEX applied_actions_run ON applied_actions (run_id);

CREATE TABLE mail_outbox (
  id              BIGSERIAL PRIMARY KEY,
  team_id         BIGINT NOT NULL REFERENCES teams (id),
  account_id      BIGINT NOT NULL REFERENCES accounts (id),
  run_id          BIGINT REFERENCES sync_runs (id),
  email           TEXT NOT NULL,
  kind            TEXT NOT NULL DEFAULT 'verify' CHECK (kind IN ('verify')),
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'parked')),
  attempts        BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  sent_at         BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
