#include "jumpsync/app/sync_engine.h"

#include <spdlog/spdlog.h>

#include <set>

#include "jumpsync/app/secret_box.h"
#include "jumpsync/core/email.h"
#include "jumpsync/core/errors.h"
#include "jumpsync/core/fingerprint.h"
#include "jumpsync/core/plan_format.h"
#include "jumpsync/core/planner.h"

namespace jumpsync {
namespace {

std::string counts_json(const Plan& plan) {
  std::string out = "{";
  for (const auto& [k, v] : summarize(plan)) out += (out.size() > 1 ? "," : "") + json_quote(k) + ":" + std::to_string(v);
  return out + "}";
}

std::vector<std::string> idp_emails(const IdpSnapshot& idp) {
  std::vector<std::string> out;
  out.reserve(idp.users.size());
  for (const auto& u : idp.users)
    if (auto n = normalize_email(u.email); n.ok) out.push_back(std::move(n.email));
  return out;
}

std::vector<std::string> plan_emails(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& a : plan.actions) {
    out.push_back(a.email);
    if (a.before) out.push_back(a.before->email);
  }
  return out;
}

std::string disabled_message(const TeamRecord& team) {
  return "SCIM is disabled for team '" + team.name +
         "': its credentials were revoked and no sync runs for it; an admin can enable it again with "
         "`jumpsync team enable-scim " + team.name + "`";
}

// Holds the team lock and the journal entry of one run; closes the entry
// as 'error' if the run ends by an unexpected exception.
class RunScope {
 public:
  RunScope(AppContext& ctx, const TeamRecord& team) : ctx_(ctx), team_(team) {}
  bool lock() {
    lock_ = ctx_.store().try_lock_team(team_.id);
    if (lock_) ctx_.store().close_interrupted_runs(team_.id, ctx_.now());
    return lock_ != nullptr;
  }
  int64_t start(RunTrigger trigger, RunMode mode, const std::string& source) {
    run_id_ = ctx_.store().start_run(team_.id, trigger, mode, source, ctx_.config().worker, ctx_.now());
    return run_id_;
  }
  void finish(const std::string& outcome, const Plan* plan, const std::string& error) {
    std::string counts = plan ? counts_json(*plan) : "{}";
    std::string json = plan ? render_json(*plan) : "";
    ctx_.store().finish_run(run_id_, outcome, counts, error, json, ctx_.now());
    finished_ = true;
  }
  void applied() { finished_ = true; }
  ~RunScope() {
    if (run_id_ && !finished_) {
      try {
        ctx_.store().finish_run(run_id_, "error", "{}", "the run stopped on an internal error", "", ctx_.now());
      } catch (...) {
      }
    }
  }
  int64_t run_id() const { return run_id_; }

 private:
  AppContext& ctx_;
  TeamRecord team_;
  std::unique_ptr<TeamLock> lock_;
  int64_t run_id_ = 0;
  bool finished_ = false;
};

// One phase of the run on the progress line (if any); a phase left by an
// exception is ended as failed, so the error starts on a line of its own.
class ProgressPhase {
 public:
  explicit ProgressPhase(ProgressSink* sink) : sink_(sink) {}
  void done() {
    if (sink_) sink_->finished(true);
    sink_ = nullptr;
  }
  ~ProgressPhase() {
    if (sink_) sink_->finished(false);
  }

 private:
  ProgressSink* sink_;
};

int64_t changes_in(const Plan& plan) {
  int64_t n = 0;
  for (const auto& a : plan.actions) n += a.kind != ActionKind::noop && a.kind != ActionKind::conflict;
  return n;
}

void apply_with_progress(AppContext& ctx, const std::string& team, int64_t run_id, const Plan& plan,
                         const std::string& counts, const std::string& json) {
  if (ctx.progress) ctx.progress->applying(team, changes_in(plan));
  ProgressPhase phase(ctx.progress);
  ctx.store().apply_plan(run_id, plan, counts, json, ctx.now());
  phase.done();
}

// Every job refuses a team whose SCIM is disabled (exit 5), journaled.
bool refused_as_disabled(const TeamRecord& team, RunScope& scope, RunResult& result) {
  if (team.scim_enabled) return false;
  result.exit_code = static_cast<int>(ErrorKind::disabled);
  result.message = disabled_message(team);
  scope.finish("disabled", nullptr, result.message);
  return true;
}

RunResult busy(const TeamRecord& team) {
  RunResult r;
  r.exit_code = static_cast<int>(ErrorKind::busy);
  r.message = "team '" + team.name + "' is being synced by another jumpsync process right now; nothing was "
              "touched. Try again when it finishes (see `jumpsync runs --team " + team.name + "`)";
  return r;
}

}  // namespace

Policy team_policy(const TeamRecord& team) {
  Policy p;
  p.team_id = team.id;
  p.team_name = team.name;
  p.domain_verification = team.domain_verification;
  p.verified_domains = team.verified_domains;
  p.scim_epoch = team.scim_epoch;
  p.guard = team.guard;
  return p;
}

SourceSettings source_settings(AppContext& ctx, const TeamRecord& team) {
  const StoredSource& s = team.source;
  if (s.provider.empty())
    throw usage_error("team '" + team.name + "' has no source: set one with `jumpsync team set-source " +
                      team.name + " --provider scim|okta|entra|file --url URL ...`");
  SourceSettings out;
  out.provider = s.provider;
  out.url = s.url;
  out.auth_url = s.auth_url;
  out.app_id = s.app_id;
  out.tenant = s.tenant;
  out.client_id = s.client_id;
  out.ca_file = s.ca_file;
  out.page_size = static_cast<int>(s.page_size);
  SecretBox box(ctx.config());
  if (!s.token_enc.empty()) out.token = box.open(s.token_enc, "team '" + team.name + "''s IdP token");
  if (!s.secret_enc.empty()) out.client_secret = box.open(s.secret_enc, "team '" + team.name + "''s client secret");
  return out;
}

RunResult run_team(AppContext& ctx, const RunRequest& req) {
  Store& store = ctx.store();
  TeamRecord team = require_team(store, req.team);
  RunScope scope(ctx, team);
  if (!scope.lock()) return busy(team);
  team = require_team(store, req.team);  // fresh, now that we hold the lock
  RunResult result;
  if (req.only_if_due && team.last_success_at && *team.last_success_at + team.sync_interval_s > ctx.now()) {
    result.skipped = true;
    return result;
  }
  std::string source_desc = team.source.provider.empty() ? "" : team.source.provider + " " + team.source.url;
  result.run_id = scope.start(req.trigger, req.mode, source_desc);
  if (refused_as_disabled(team, scope, result)) return result;
  IdpSnapshot idp;
  try {
    if (ctx.progress) ctx.progress->pull_started(team.name);
    ProgressPhase phase(ctx.progress);
    auto source = ctx.make_source(source_settings(ctx, team));
    idp = source->pull(ctx.progress);
    phase.done();
  } catch (const Error& e) {
    result.exit_code = e.exit_code() == 2 ? 2 : static_cast<int>(ErrorKind::source);
    result.message = "team '" + team.name + "': the pull from " + source_desc + " failed, nothing was changed: " + e.what();
    scope.finish(e.exit_code() == 2 ? "error" : "source-failed", nullptr, result.message);
    return result;
  }
  JumpSnapshot jump = store.load_snapshot(team.id, idp_emails(idp));
  Policy policy = team_policy(team);
  policy.allow_deactivations = req.allow_deactivations;
  result.plan = plan(idp, jump, policy);
  const Plan& p = *result.plan;
  if (req.mode == RunMode::dry_run) {
    scope.finish(p.blocked ? "blocked" : "ok", &p, "");
    return result;
  }
  if (p.blocked) {
    result.exit_code = static_cast<int>(ErrorKind::blocked);
    result.message = "team '" + team.name + "': blocked, nothing applied: " + p.block_reason;
    scope.finish("blocked", &p, p.block_reason);
    return result;
  }
  apply_with_progress(ctx, team.name, scope.run_id(), p, counts_json(p), render_json(p));
  scope.applied();
  spdlog::info("team {}: run {} applied ({} users from {})", team.name, scope.run_id(), idp.users.size(), source_desc);
  return result;
}

namespace {

// Names what changed between the plan's recorded `before` states and now.
std::string describe_changes(const Plan& saved, const JumpSnapshot& now_snap) {
  std::unordered_map<int64_t, const AccountState*> by_id;
  std::unordered_map<std::string, int64_t> by_email;
  for (const auto& a : now_snap.accounts) {
    by_id[a.id] = &a.state;
    by_email[a.state.email] = a.id;
  }
  std::vector<std::string> changes;
  for (const auto& a : saved.actions) {
    if (a.account_id && a.before) {
      auto it = by_id.find(*a.account_id);
      if (it == by_id.end()) {
        changes.push_back(a.before->email + " is gone");
      } else if (!(*it->second == *a.before)) {
        changes.push_back(a.before->email + " changed");
      }
    } else if (a.kind == ActionKind::create && by_email.count(a.email)) {
      changes.push_back(a.email + " now exists");
    }
    if (changes.size() >= 5) break;
  }
  if (changes.empty()) return "team settings or other accounts changed";
  std::string out;
  for (const auto& c : changes) out += (out.empty() ? "" : "; ") + c;
  return out;
}

}  // namespace

RunResult apply_saved_plan(AppContext& ctx, const Plan& saved, const std::string& plan_json) {
  Store& store = ctx.store();
  TeamRecord team = require_team(store, saved.team);
  RunScope scope(ctx, team);
  if (!scope.lock()) return busy(team);
  team = require_team(store, saved.team);
  RunResult result;
  result.run_id = scope.start(RunTrigger::manual, RunMode::apply, "saved plan");
  if (refused_as_disabled(team, scope, result)) return result;
  JumpSnapshot jump = store.load_snapshot(team.id, plan_emails(saved));
  std::string current = fingerprint(jump, team_policy(team));
  if (team.id != saved.team_id || current != saved.fingerprint) {
    result.exit_code = static_cast<int>(ErrorKind::blocked);
    result.message = "team '" + team.name + "': the saved plan is stale, nothing applied: the Jump state changed since it "
                     "was made (" + describe_changes(saved, jump) + "). Make a new plan with `jumpsync plan --team " +
                     team.name + " --out FILE`, review it, and apply that";
    scope.finish("blocked", &saved, result.message);
    return result;
  }
  result.plan = saved;
  result.plan->blocked = false;  // applying a reviewed saved plan is the confirmation (SPEC §4)
  apply_with_progress(ctx, team.name, scope.run_id(), *result.plan, counts_json(saved), plan_json);
  scope.applied();
  return result;
}

}  // namespace jumpsync
