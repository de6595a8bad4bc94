// One team's sync run: lock, pull, plan, guard, apply (or only report),
// journaled in sync_runs. Used by the plan, apply, resync and run-due jobs.
//
// Failure paths change no account: a source failure, a blocked plan, a
// disabled team or a stale saved plan leave accounts, memberships, audit
// and outbox exactly as they were; only the run journal records the run.
#pragma once

#include <optional>
#include <string>

#include "jumpsync/app/context.h"
#include "jumpsync/core/model.h"

namespace jumpsync {

struct RunRequest {
  std::string team;
  RunTrigger trigger = RunTrigger::manual;
  RunMode mode = RunMode::apply;
  std::optional<int64_t> allow_deactivations;
  // Only for run-due: skip (return nullopt result) when the team is no
  // longer due once its lock is held (another worker just synced it).
  bool only_if_due = false;
};

struct RunResult {
  int exit_code = 0;     // SPEC §7
  int64_t run_id = 0;    // 0 when no run was recorded
  std::optional<Plan> plan;
  std::string message;   // one line for the operator (errors, blocked reason)
  bool skipped = false;  // run-due: not due any more
};

RunResult run_team(AppContext& ctx, const RunRequest& request);

// `apply --plan FILE`: applies exactly the saved plan if the team's Jump
// state still has the plan's fingerprint; otherwise refuses (exit 3) and
// says which accounts changed.
RunResult apply_saved_plan(AppContext& ctx, const Plan& saved, const std::string& plan_json);

// Source settings with secrets decrypted, for pull and test-connection.
SourceSettings source_settings(AppContext& ctx, const TeamRecord& team);
Policy team_policy(const TeamRecord& team);

}  // namespace jumpsync
