// The Jump database behind one small interface. Two implementations, both
// through SOCI: PostgreSQL (production) and SQLite (embedded default),
// chosen by URL with open_store(). Library exceptions (SOCI, libpq,
// sqlite) stop inside the implementation and surface as jumpsync::Error.
//
// Thread safety: a Store is one database session; use it from one thread.
// Several processes may use one database at once: team locks and
// transactions make that safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jumpsync/core/model.h"

namespace jumpsync {

// The stored source settings; secrets stay encrypted here (see the app's
// secret box): the store never sees plaintext secrets.
struct StoredSource {
  std::string provider;  // "" = not configured
  std::string url, auth_url, app_id, tenant, client_id, ca_file;
  std::string token_enc;   // encrypted blob ("" = none)
  std::string secret_enc;  // encrypted blob ("" = none)
  int64_t page_size = 0;
};

struct TeamRecord {
  int64_t id = 0;
  std::string name;
  bool sso_configured = false;
  bool enterprise = false;
  bool domain_verification = false;
  bool scim_enabled = false;
  int64_t scim_epoch = 0;
  std::string scim_token_hash;  // "" = no valid SCIM token
  int64_t sync_interval_s = 3600;
  GuardThresholds guard;
  std::vector<std::string> verified_domains;  // sorted
  StoredSource source;
  std::optional<int64_t> last_success_at;
  int64_t created_at = 0;
};

struct NewTeam {
  std::string name;
  bool sso_configured = false;
  bool enterprise = false;
  bool domain_verification = false;
};

struct AccountRecord {
  int64_t id = 0;
  AccountState state;  // team_member is not meaningful here
  std::string managed_by_name;  // "" = not managed
  std::vector<std::string> teams;  // names of teams it is a member of
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct NewAccount {
  std::string email;  // normalised
  bool verified = false;
  std::string given_name, family_name;
  std::optional<int64_t> team_id;  // add as a (hand-invited) member
};

enum class RunTrigger { cron, resync, manual, plan };
enum class RunMode { dry_run, apply };

struct RunRecord {
  int64_t id = 0;
  int64_t team_id = 0;
  std::string team;
  std::string trigger;  // cron | resync | manual | plan
  std::string mode;     // dry-run | apply
  int64_t started_at = 0;
  std::optional<int64_t> finished_at;
  std::string outcome;  // running | ok | blocked | source-failed | disabled | error | interrupted
  std::string counts_json;  // {"create": 3, ...}
  std::string error;
  std::string plan_json;  // the plan the run made ("" if none)
  std::string source;
  std::string worker;
};

struct AuditRecord {
  int64_t id = 0;
  int64_t run_id = 0;
  std::string team;
  std::string email;
  std::string action;
  std::string reason;
  std::string before_json, after_json;
  std::string actor;
  int64_t applied_at = 0;
};

// An exclusive claim on one team, released on destruction or when the
// process dies (PostgreSQL advisory lock on the store's session; SQLite:
// an flock on a file beside the database).
class TeamLock {
 public:
  virtual ~TeamLock() = default;
};

struct OutboxMessage {
  int64_t id = 0;
  int64_t team_id = 0;
  std::string team;
  int64_t account_id = 0;
  std::string email;
  int64_t attempts = 0;
  std::string status;
  std::string last_error;
  int64_t created_at = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // "postgresql" or "sqlite".
  virtual std::string backend() const = 0;

  // Applies pending migrations in order, each in its own transaction with
  // its record; returns the names applied (empty when up to date).
  virtual std::vector<std::string> migrate() = 0;
  // Throws Error(usage) telling to run `jumpsync db migrate` if the schema
  // is missing or older than this build.
  virtual void require_schema() = 0;

  // Teams.
  virtual TeamRecord create_team(const NewTeam& team, int64_t now) = 0;
  virtual std::optional<TeamRecord> find_team(const std::string& name) = 0;
  virtual std::optional<TeamRecord> find_team_by_id(int64_t id) = 0;
  virtual void add_verified_domain(int64_t team_id, const std::string& domain) = 0;
  virtual void set_source(int64_t team_id, const StoredSource& source) = 0;
  // enable: scim_enabled=1, epoch+1, token hash set; disable: scim_enabled=0,
  // token hash and source secrets cleared. Both write an audit row.
  virtual void set_scim_enabled(int64_t team_id, bool enabled, int64_t new_epoch,
                                const std::string& token_hash, const std::string& actor,
                                int64_t now) = 0;
  virtual void set_team_settings(const TeamRecord& team) = 0;  // interval, guard, flags
  // Teams with SCIM enabled whose last success is older than their interval.
  virtual std::vector<int64_t> due_team_ids(int64_t now) = 0;

  // Accounts.
  virtual AccountRecord add_account(const NewAccount& account, int64_t now) = 0;
  virtual std::optional<AccountRecord> find_account(const std::string& email) = 0;
  virtual void mark_verified(int64_t account_id, const std::string& actor, int64_t now) = 0;

  // Every account relevant to a team's plan (see JumpSnapshot), in one
  // bulk pass: accounts managed by the team, its members, accounts pending
  // adoption by it, and accounts whose email is in `emails`.
  virtual JumpSnapshot load_snapshot(int64_t team_id, const std::vector<std::string>& emails) = 0;

  // One run per team at a time. Returns nullptr when another holds it.
  virtual std::unique_ptr<TeamLock> try_lock_team(int64_t team_id) = 0;

  // Run journal.
  virtual int64_t start_run(int64_t team_id, RunTrigger trigger, RunMode mode,
                            const std::string& source, const std::string& worker, int64_t now) = 0;
  virtual void finish_run(int64_t run_id, const std::string& outcome, const std::string& counts_json,
                          const std::string& error, const std::string& plan_json, int64_t now) = 0;
  // Marks runs of a team left 'running' by a dead process as 'interrupted'
  // (call while holding the team lock).
  virtual void close_interrupted_runs(int64_t team_id, int64_t now) = 0;
  virtual std::vector<RunRecord> list_runs(int64_t team_id, int64_t limit) = 0;
  virtual std::optional<RunRecord> find_run(int64_t run_id) = 0;
  virtual std::vector<AuditRecord> audit_for_account(int64_t account_id) = 0;

  // Carries out the plan's actions in ONE transaction: account writes
  // (`after` states; inserts for creates), team membership, one audit row
  // per changed account, outbox rows for verification emails, the run's
  // outcome and the team's last_success_at. All or nothing.
  virtual void apply_plan(int64_t run_id, const Plan& plan, const std::string& counts_json,
                          const std::string& plan_json, int64_t now) = 0;

  // Verification-email outbox.
  virtual std::vector<OutboxMessage> due_mail(int64_t now, int64_t limit) = 0;
  virtual void mark_mail_sent(int64_t id, int64_t now) = 0;
  virtual void mark_mail_failed(int64_t id, const std::string& error, int64_t next_attempt_at,
                                bool park) = 0;
  virtual std::vector<OutboxMessage> list_mail(const std::string& status) = 0;
};

// "sqlite:PATH" or "postgresql://USER@HOST:PORT/DB" (also "postgres://").
// Throws Error(usage) for anything else, naming the accepted forms.
std::unique_ptr<Store> open_store(const std::string& url);

// postgresql://[USER[:PASSWORD]@]HOST[:PORT][/DB][?k=v&...] -> libpq
// "key=value" conninfo (SOCI would misread the URI form).
std::string postgres_conninfo(const std::string& url);

}  // namespace jumpsync
