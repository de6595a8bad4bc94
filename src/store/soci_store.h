// Shared SOCI implementation of Store. The two backends differ only in how
// they bulk-load staging tables (COPY vs. vector binds), how they lock a
// team, and the migration list; everything else is one set of SQL.
#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>
#include <vector>

#include "jumpsync/store/store.h"
#include "migrations.h"

namespace jumpsync {

// Column-major rows for a staging table; every value travels as text and
// the temp table's column types convert it.
struct StageColumns {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> values;  // values[column][row]
  std::vector<std::string> null_if_empty;        // columns where "" is written as NULL
  size_t rows() const { return values.empty() ? 0 : values[0].size(); }
  bool nullable(size_t column) const;
};

class SociStore : public Store {
 public:
  std::vector<std::string> migrate() override;
  void require_schema() override;

  TeamRecord create_team(const NewTeam& team, int64_t now) override;
  std::optional<TeamRecord> find_team(const std::string& name) override;
  std::optional<TeamRecord> find_team_by_id(int64_t id) override;
  void add_verified_domain(int64_t team_id, const std::string& domain) override;
  void set_source(int64_t team_id, const StoredSource& source) override;
  void set_scim_enabled(int64_t team_id, bool enabled, int64_t new_epoch,
                        const std::string& token_hash, const std::string& actor,
                        int64_t now) override;
  void set_team_settings(const TeamRecord& team) override;
  std::vector<int64_t> due_team_ids(int64_t now) override;

  AccountRecord add_account(const NewAccount& account, int64_t now) override;
  std::optional<AccountRecord> find_account(const std::string& email) override;
  void mark_verified(int64_t account_id, const std::string& actor, int64_t now) override;
  JumpSnapshot load_snapshot(int64_t team_id, const std::vector<std::string>& emails) override;

  int64_t start_run(int64_t team_id, RunTrigger trigger, RunMode mode, const std::string& source,
                    const std::string& worker, int64_t now) override;
  void finish_run(int64_t run_id, const std::string& outcome, const std::string& counts_json,
                  const std::string& error, const std::string& plan_json, int64_t now) override;
  void close_interrupted_runs(int64_t team_id, int64_t now) override;
  std::vector<RunRecord> list_runs(int64_t team_id, int64_t limit) override;
  std::optional<RunRecord> find_run(int64_t run_id) override;
  std::vector<AuditRecord> audit_for_account(int64_t account_id) override;

  void apply_plan(int64_t run_id, const Plan& plan, const std::string& counts_json,
                  const std::string& plan_json, int64_t now) override;

  std::vector<OutboxMessage> due_mail(int64_t now, int64_t limit) override;
  void mark_mail_sent(int64_t id, int64_t now) override;
  void mark_mail_failed(int64_t id, const std::string& error, int64_t next_attempt_at,
                        bool park) override;
  std::vector<OutboxMessage> list_mail(const std::string& status) override;

 protected:
  explicit SociStore(std::string description) : description_(std::move(description)) {}

  // Appends `rows` to `table` in bulk (COPY on PostgreSQL, vector binds on
  // SQLite), inside the caller's transaction.
  virtual void append_rows(const std::string& table, const StageColumns& rows) = 0;
  // Replaces the content of temp table `table` with `rows`.
  void bulk_load(const std::string& table, const StageColumns& rows) {
    sql_ << "DELETE FROM " + table;
    append_rows(table, rows);
  }
  virtual const std::vector<Migration>& migrations() const = 0;
  // Reserves n new account ids (inside the caller's write transaction).
  virtual std::vector<int64_t> allocate_account_ids(size_t n) = 0;
  // Serialises concurrent `db migrate` runs.
  virtual void lock_migrations() = 0;
  virtual void unlock_migrations() = 0;
  // Creates the session's temp staging tables if missing.
  void ensure_stage_tables();

  // Runs fn, turning SOCI/driver exceptions into Error(internal) that names
  // the operation and the database (no credentials).
  template <typename Fn>
  auto guarded(const char* what, Fn&& fn) -> decltype(fn());

  soci::session sql_;
  std::string description_;  // "sqlite:/path" or "postgresql://host:port/db" (no password)

 private:
  std::optional<TeamRecord> load_team(const std::string& where, long long id, const std::string& name);
  void stage_emails(const std::vector<std::string>& emails);
  bool stage_tables_ready_ = false;
};

std::unique_ptr<Store> open_postgres_store(const std::string& url);
std::unique_ptr<Store> open_sqlite_store(const std::string& path);

// Removes any password from a connection URL for messages.
std::string redact_db_url(const std::string& url);

}  // namespace jumpsync

namespace jumpsync {

[[noreturn]] void throw_db_error(const std::string& what, const std::string& db, const std::string& detail);

template <typename Fn>
auto SociStore::guarded(const char* what, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw_db_error(what, description_, e.what());
  }
}

// JSON object of an account state, for audit before/after columns.
std::string account_state_json(const AccountState& s);

}  // namespace jumpsync
