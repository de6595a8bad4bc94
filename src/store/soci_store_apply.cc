// Applying a plan, all in one transaction (SPEC §4: all or nothing):
// new accounts, audit rows and outbox rows are appended in bulk (COPY on
// PostgreSQL) straight into their tables; changes to existing accounts go
// through one staging table and one set-based UPDATE.
#include <algorithm>

#include "jumpsync/core/errors.h"
#include "jumpsync/core/plan_format.h"
#include "soci_store.h"

namespace jumpsync {

bool StageColumns::nullable(size_t column) const {
  return std::find(null_if_empty.begin(), null_if_empty.end(), names[column]) != null_if_empty.end();
}

namespace {

StageColumns columns(std::vector<std::string> names, size_t reserve) {
  StageColumns c;
  c.names = std::move(names);
  c.values.resize(c.names.size());
  for (auto& col : c.values) col.reserve(reserve);
  return c;
}

void add_row(StageColumns& c, std::initializer_list<std::string> values) {
  size_t i = 0;
  for (const auto& v : values) c.values[i++].push_back(v);
}

const char* status_name(AccountStatus s) { return s == AccountStatus::active ? "active" : "deactivated"; }
std::string id_or_zero(const std::optional<int64_t>& v) { return std::to_string(v.value_or(0)); }

// The rows one plan writes, table by table.
struct PlanRows {
  StageColumns accounts, changes, audit, outbox;
};

PlanRows plan_rows(const Plan& plan, const std::vector<int64_t>& new_ids, int64_t run, int64_t now) {
  size_t n = 0;
  for (const auto& a : plan.actions) n += a.after.has_value();
  PlanRows r{columns({"id", "email", "verified", "status", "given_name", "family_name", "managed_by", "external_id",
                      "link_epoch", "created_at", "updated_at"}, new_ids.size()),
             columns({"account_id", "email", "verified", "status", "given_name", "family_name", "managed_by",
                      "external_id", "link_epoch", "pending_team", "member"}, n - new_ids.size()),
             columns({"run_id", "team_id", "account_id", "email", "action", "reason", "before_state", "after_state",
                      "actor", "applied_at"}, n),
             columns({"team_id", "account_id", "run_id", "email", "created_at", "next_attempt_at"}, 0)};
  r.audit.null_if_empty = {"before_state"};
  const std::string team = std::to_string(plan.team_id), run_s = std::to_string(run), now_s = std::to_string(now);
  const std::string actor = "run " + run_s;
  size_t next_new = 0;
  for (const auto& a : plan.actions) {
    if (!a.after) continue;
    const AccountState& s = *a.after;
    const std::string id = std::to_string(a.account_id ? *a.account_id : new_ids.at(next_new++));
    if (!a.account_id) {
      add_row(r.accounts, {id, s.email, s.verified ? "1" : "0", status_name(s.status), s.given_name, s.family_name,
                           id_or_zero(s.managed_by), s.external_id, std::to_string(s.link_epoch), now_s, now_s});
    } else {
      add_row(r.changes, {id, s.email, s.verified ? "1" : "0", status_name(s.status), s.given_name, s.family_name,
                          id_or_zero(s.managed_by), s.external_id, std::to_string(s.link_epoch),
                          id_or_zero(s.pending_team), s.team_member ? "1" : "0"});
    }
    add_row(r.audit, {run_s, team, id, s.email, action_name(a.kind), a.reason,
                      a.before ? account_state_json(*a.before) : "", account_state_json(s), actor, now_s});
    if (a.verification_email) add_row(r.outbox, {team, id, run_s, s.email, now_s, now_s});
  }
  return r;
}

size_t creates_in(const Plan& plan) {
  size_t n = 0;
  for (const auto& a : plan.actions) n += a.after.has_value() && !a.account_id;
  return n;
}

}  // namespace

std::string account_state_json(const AccountState& s) {
  auto opt = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : std::string("null"); };
  return "{\"email\":" + json_quote(s.email) + ",\"verified\":" + (s.verified ? "true" : "false") +
         ",\"status\":" + (s.status == AccountStatus::active ? "\"active\"" : "\"deactivated\"") +
         ",\"given_name\":" + json_quote(s.given_name) + ",\"family_name\":" + json_quote(s.family_name) +
         ",\"managed_by\":" + opt(s.managed_by) + ",\"external_id\":" + json_quote(s.external_id) +
         ",\"link_epoch\":" + std::to_string(s.link_epoch) + ",\"pending_team\":" + opt(s.pending_team) + "}";
}

void SociStore::apply_plan(int64_t run_id, const Plan& plan, const std::string& counts_json,
                           const std::string& plan_json, int64_t now) {
  guarded("applying the plan", [&] {
    ensure_stage_tables();
    long long run = run_id, team = plan.team_id, t = now;
    std::string outcome = "ok", no_error;
    soci::transaction tx(sql_);
    // The run's own row first: on SQLite this write takes the database's
    // write lock before ids are allocated.
    sql_ << "UPDATE sync_runs SET outcome = :o, counts = :c, error = :e, plan_json = :p, finished_at = :t "
            "WHERE id = :id",
        soci::use(outcome), soci::use(counts_json), soci::use(no_error), soci::use(plan_json), soci::use(t),
        soci::use(run);
    PlanRows rows = plan_rows(plan, allocate_account_ids(creates_in(plan)), run_id, now);
    if (rows.changes.rows() > 0) {
      bulk_load("stage_actions", rows.changes);
      sql_ << "UPDATE accounts SET email = s.email, verified = s.verified, status = s.status, "
              "given_name = s.given_name, family_name = s.family_name, "
              "managed_by = NULLIF(s.managed_by, 0), external_id = s.external_id, "
              "link_epoch = s.link_epoch, pending_team = NULLIF(s.pending_team, 0), updated_at = :t "
              "FROM stage_actions s WHERE s.account_id = accounts.id",
          soci::use(t);
      // Accounts this team's SCIM manages are its members through managed_by;
      // only the others (pending adoptions) need a membership row.
      sql_ << "INSERT INTO team_members (team_id, account_id) "
              "SELECT :team1, account_id FROM stage_actions WHERE member = 1 AND managed_by <> :team2 "
              "ON CONFLICT DO NOTHING",
          soci::use(team), soci::use(team);
    }
    append_rows("accounts", rows.accounts);
    append_rows("applied_actions", rows.audit);
    append_rows("mail_outbox", rows.outbox);
    sql_ << "UPDATE teams SET last_success_at = :t WHERE id = :team", soci::use(t), soci::use(team);
    tx.commit();
  });
}

}  // namespace jumpsync
