// The sync jobs: plan (dry run), apply, resync, run-due.
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>

#include "commands.h"
#include "jumpsync/app/sync_engine.h"
#include "jumpsync/core/errors.h"
#include "jumpsync/core/plan_format.h"

namespace jumpsync {
namespace {

int finish(const RunResult& r) {
  if (!r.message.empty()) std::cerr << "jumpsync: " << r.message << "\n";
  return r.exit_code;
}

int plan_job(AppContext& ctx, const ParsedArgs& a) {
  std::string format = format_option(a, {"text", "json", "csv", "html"});
  RunRequest req{a.value_or("team", ""), RunTrigger::plan, RunMode::dry_run, std::nullopt, false};
  if (req.team.empty()) throw usage_error("plan needs --team NAME");
  RunResult r = run_team(ctx, req);
  if (r.plan) emit_report(a, render_plan(ctx, *r.plan, format, r.run_id));
  if (r.plan && a.has("out")) std::cerr << "plan saved to " << *a.value("out") << " (run " << r.run_id << ")\n";
  return finish(r);
}

int apply_job(AppContext& ctx, const ParsedArgs& a) {
  std::string format = format_option(a, {"text", "json", "csv", "html"});
  RunResult r;
  if (auto file = a.value("plan")) {
    if (a.has("team") || a.has("allow-deactivations"))
      throw usage_error("apply --plan FILE takes no --team or --allow-deactivations: the saved plan names its team");
    std::ifstream in(*file, std::ios::binary);
    if (!in) throw usage_error("cannot read the saved plan " + *file);
    std::string json((std::istreambuf_iterator<char>(in)), {});
    Plan saved = parse_plan_json(json);
    r = apply_saved_plan(ctx, saved, json);
  } else {
    auto team = a.value("team");
    if (!team) throw usage_error("apply needs --team NAME or --plan FILE");
    r = run_team(ctx, {*team, RunTrigger::manual, RunMode::apply, a.integer("allow-deactivations"), false});
  }
  if (r.plan) emit_report(a, render_plan(ctx, *r.plan, format, r.run_id));
  return finish(r);
}

int resync_job(AppContext& ctx, const ParsedArgs& a) {
  std::string format = format_option(a, {"text", "json", "csv", "html"});
  auto team = a.value("team");
  if (!team) throw usage_error("resync needs --team NAME");
  RunResult r = run_team(ctx, {*team, RunTrigger::resync, RunMode::apply, a.integer("allow-deactivations"), false});
  if (r.plan) emit_report(a, render_plan(ctx, *r.plan, format, r.run_id));
  return finish(r);
}

int run_due_job(AppContext& ctx, const ParsedArgs& a) {
  int64_t limit = a.integer("limit").value_or(0);
  std::vector<int64_t> due = ctx.store().due_team_ids(ctx.now());
  int64_t synced = 0, failed = 0, skipped = 0;
  for (int64_t id : due) {
    if (limit > 0 && synced + failed >= limit) break;
    auto team = ctx.store().find_team_by_id(id);
    if (!team) continue;
    RunResult r;
    try {
      r = run_team(ctx, {team->name, RunTrigger::cron, RunMode::apply, std::nullopt, true});
    } catch (const Error& e) {
      r.exit_code = e.exit_code();
      r.message = "team '" + team->name + "': " + e.what();
    }
    if (r.skipped || r.exit_code == static_cast<int>(ErrorKind::busy)) {
      ++skipped;  // another worker has it, or just synced it
    } else if (r.exit_code == 0) {
      ++synced;
      spdlog::info("run-due: team {} synced (run {})", team->name, r.run_id);
    } else {
      ++failed;
      spdlog::error("run-due: team {} failed (exit {}): {}", team->name, r.exit_code, r.message);
    }
  }
  std::cout << "run-due: " << synced << " synced, " << failed << " failed, " << skipped
            << " skipped (busy or already synced)\n";
  return failed ? 6 : 0;
}

}  // namespace

std::vector<Command> sync_commands() {
  return {
      {"plan", "plan --team NAME [--format text|json|csv|html] [--out FILE]",
       "Dry run: pulls the team's users, plans, prints the report and records the run; changes no account. "
       "--out saves the report (save --format json to apply it later with `apply --plan`).",
       {{"team", "format", "out"}, {}}, 0, 0, plan_job},
      {"apply", "apply --team NAME [--allow-deactivations N] | apply --plan FILE",
       "Pulls, plans and applies. A plan blocked by the deactivation guard exits 3 and applies nothing; "
       "--allow-deactivations N applies it only when N is exactly the planned count. --plan FILE applies "
       "exactly a saved JSON plan, refused (exit 3) if the team's accounts changed since it was made.",
       {{"team", "allow-deactivations", "plan", "format", "out"}, {}}, 0, 0, apply_job},
      {"resync", "resync --team NAME [--allow-deactivations N]",
       "The manual job after SCIM was re-enabled: pulls, relinks the accounts it finds by email, applies, "
       "prints the report.", {{"team", "allow-deactivations", "format", "out"}, {}}, 0, 0, resync_job},
      {"run-due", "run-due [--limit N]",
       "Syncs every SCIM-enabled team whose last successful sync is older than its interval. Safe to run in "
       "several processes at once: each team is synced by one of them. Exit 6 if any team failed.",
       {{"limit"}, {}}, 0, 0, run_due_job},
  };
}

}  // namespace jumpsync
