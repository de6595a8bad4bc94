// Applying a plan: stage every changing action, then a handful of set-based
// statements, all in one transaction (SPEC §4: all or nothing).
#include "jumpsync/core/errors.h"
#include "jumpsync/core/plan_format.h"
#include "soci_store.h"

namespace jumpsync {
namespace {

// `new_ids` holds one pre-allocated id per create, in plan order, so every
// later statement addresses accounts by id (no join on email).
StageColumns stage_plan(const Plan& plan, const std::vector<int64_t>& new_ids) {
  StageColumns c;
  c.names = {"seq", "action", "account_id", "email", "verified", "status", "given_name", "family_name",
             "managed_by", "external_id", "link_epoch", "pending_team", "member", "verification_email",
             "reason", "before_state", "after_state"};
  c.values.resize(c.names.size());
  size_t n = 0;
  for (const auto& a : plan.actions) n += a.after.has_value();
  for (auto& col : c.values) col.reserve(n);
  int64_t seq = 0;
  size_t next_new = 0;
  for (const auto& a : plan.actions) {
    if (!a.after) continue;
    const AccountState& s = *a.after;
    int64_t id = a.account_id ? *a.account_id : new_ids.at(next_new++);
    std::string values[] = {
        std::to_string(seq++),
        action_name(a.kind),
        std::to_string(id),
        s.email,
        s.verified ? "1" : "0",
        s.status == AccountStatus::active ? "active" : "deactivated",
        s.given_name,
        s.family_name,
        std::to_string(s.managed_by.value_or(0)),
        s.external_id,
        std::to_string(s.link_epoch),
        std::to_string(s.pending_team.value_or(0)),
        s.team_member ? "1" : "0",
        a.verification_email ? "1" : "0",
        a.reason,
        a.before ? account_state_json(*a.before) : "",
        account_state_json(s),
    };
    for (size_t i = 0; i < c.values.size(); ++i) c.values[i].push_back(std::move(values[i]));
  }
  return c;
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

size_t creates_in(const Plan& plan) {
  size_t n = 0;
  for (const auto& a : plan.actions) n += a.after.has_value() && !a.account_id;
  return n;
}

void SociStore::apply_plan(int64_t run_id, const Plan& plan, const std::string& counts_json,
                           const std::string& plan_json, int64_t now) {
  guarded("applying the plan", [&] {
    ensure_stage_tables();
    long long run = run_id, team = plan.team_id, t = now;
    std::string actor = "run " + std::to_string(run_id);
    std::string outcome = "ok", no_error;
    soci::transaction tx(sql_);
    // The run's own row first: on SQLite this write takes the database's
    // write lock before ids are allocated.
    sql_ << "UPDATE sync_runs SET outcome = :o, counts = :c, error = :e, plan_json = :p, finished_at = :t "
            "WHERE id = :id",
        soci::use(outcome), soci::use(counts_json), soci::use(no_error), soci::use(plan_json), soci::use(t),
        soci::use(run);
    StageColumns staged = stage_plan(plan, allocate_account_ids(creates_in(plan)));
    if (staged.rows() > 0) {
      bulk_load("stage_actions", staged);
      sql_ << "UPDATE accounts SET email = s.email, verified = s.verified, status = s.status, "
              "given_name = s.given_name, family_name = s.family_name, "
              "managed_by = NULLIF(s.managed_by, 0), external_id = s.external_id, "
              "link_epoch = s.link_epoch, pending_team = NULLIF(s.pending_team, 0), updated_at = :t "
              "FROM stage_actions s WHERE s.account_id = accounts.id AND s.action <> 'create'",
          soci::use(t);
      sql_ << "INSERT INTO accounts (id, email, verified, status, given_name, family_name, managed_by, "
              "external_id, link_epoch, pending_team, created_at, updated_at) "
              "SELECT account_id, email, verified, status, given_name, family_name, NULLIF(managed_by, 0), "
              "external_id, link_epoch, NULLIF(pending_team, 0), :t1, :t2 FROM stage_actions "
              "WHERE action = 'create' ORDER BY seq",
          soci::use(t), soci::use(t);
      // Accounts this team's SCIM manages are its members through managed_by;
      // only the others (pending adoptions) need a membership row.
      sql_ << "INSERT INTO team_members (team_id, account_id) "
              "SELECT :team1, account_id FROM stage_actions WHERE member = 1 AND managed_by <> :team2 "
              "ON CONFLICT DO NOTHING",
          soci::use(team), soci::use(team);
      sql_ << "INSERT INTO applied_actions (run_id, team_id, account_id, email, action, reason, "
              "before_state, after_state, actor, applied_at) "
              "SELECT :run, :team, account_id, email, action, reason, NULLIF(before_state, ''), "
              "after_state, :actor, :t FROM stage_actions ORDER BY seq",
          soci::use(run), soci::use(team), soci::use(actor), soci::use(t);
      sql_ << "INSERT INTO mail_outbox (team_id, account_id, run_id, email, created_at, next_attempt_at) "
              "SELECT :team, account_id, :run, email, :t1, :t2 FROM stage_actions "
              "WHERE verification_email = 1 ORDER BY seq",
          soci::use(team), soci::use(run), soci::use(t), soci::use(t);
    }
    sql_ << "UPDATE teams SET last_success_at = :t WHERE id = :team", soci::use(t), soci::use(team);
    tx.commit();
  });
}

}  // namespace jumpsync
