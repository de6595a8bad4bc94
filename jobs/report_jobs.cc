// runs, report, test-connection.
#include <ctime>
#include <iostream>

#include "commands.h"
#include "jumpsync/app/sync_engine.h"
#include "jumpsync/core/errors.h"
#include "jumpsync/core/plan_format.h"

namespace jumpsync {
namespace {

std::string when(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", std::gmtime(&tt));
  return buf;
}

int runs_job(AppContext& ctx, const ParsedArgs& a) {
  auto name = a.value("team");
  if (!name) throw usage_error("runs needs --team NAME");
  TeamRecord team = require_team(ctx.store(), *name);
  std::string format = format_option(a, {"text", "json"});
  auto runs = ctx.store().list_runs(team.id, a.integer("limit").value_or(20));
  if (format == "json") {
    std::string out = "[";
    for (const auto& r : runs) {
      out += (out.size() > 1 ? "," : "") + std::string("{\"id\":") + std::to_string(r.id) + ",\"trigger\":" +
             json_quote(r.trigger) + ",\"mode\":" + json_quote(r.mode) + ",\"outcome\":" + json_quote(r.outcome) +
             ",\"started_at\":" + std::to_string(r.started_at) + ",\"finished_at\":" +
             (r.finished_at ? std::to_string(*r.finished_at) : "null") + ",\"counts\":" + r.counts_json +
             ",\"error\":" + (r.error.empty() ? "null" : json_quote(r.error)) + "}";
    }
    std::cout << out << "]\n";
    return 0;
  }
  std::cout << "runs of team " << team.name << " (newest first)\n";
  for (const auto& r : runs) {
    std::cout << "  " << r.id << "  " << when(r.started_at) << "  " << r.trigger << "/" << r.mode << "  " << r.outcome
              << "  " << r.counts_json << (r.error.empty() ? "" : "  " + r.error) << "\n";
  }
  return 0;
}

int report_job(AppContext& ctx, const ParsedArgs& a) {
  auto id = a.integer("run");
  if (!id) throw usage_error("report needs --run ID (see `jumpsync runs --team NAME`)");
  auto run = ctx.store().find_run(*id);
  if (!run) throw usage_error("unknown run " + std::to_string(*id));
  std::string format = format_option(a, {"text", "json", "csv", "html"});
  if (run->plan_json.empty()) {
    std::cout << "run " << run->id << " of team " << run->team << " made no plan: " << run->outcome
              << (run->error.empty() ? "" : " - " + run->error) << "\n";
    return 0;
  }
  emit_report(a, render_plan(ctx, parse_plan_json(run->plan_json), format, run->id));
  return 0;
}

int test_connection_job(AppContext& ctx, const ParsedArgs& a) {
  auto name = a.value("team");
  if (!name) throw usage_error("test-connection needs --team NAME");
  TeamRecord team = require_team(ctx.store(), *name);
  if (!team.scim_enabled)
    throw Error(ErrorKind::disabled, "SCIM is disabled for team '" + team.name + "': enable it first with `jumpsync team enable-scim " + team.name + "`");
  auto source = ctx.make_source(source_settings(ctx, team));
  std::cout << "testing " << source->describe() << " for team " << team.name << "\n";
  bool ok = true;
  for (const auto& check : source->test_connection()) {
    std::cout << "  " << (check.ok ? "ok    " : "FAILED") << " " << check.step << ": " << check.detail << "\n";
    ok = ok && check.ok;
  }
  std::cout << (ok ? "connection ok\n" : "connection failed\n");
  return ok ? 0 : static_cast<int>(ErrorKind::source);
}

}  // namespace

std::vector<Command> report_commands() {
  return {
      {"runs", "runs --team NAME [--limit N] [--format text|json]", "Lists the team's recent runs and their outcomes.",
       {{"team", "limit", "format"}, {}}, 0, 0, runs_job},
      {"report", "report --run ID [--format text|json|csv|html] [--out FILE]",
       "Prints the report of a past run again, in any format.", {{"run", "format", "out"}, {}}, 0, 0, report_job},
      {"test-connection", "test-connection --team NAME",
       "Checks the team's source step by step (URL, TLS, credentials, permissions) and says what to fix. "
       "Exit 4 when a step fails.", {{"team"}, {}}, 0, 0, test_connection_job},
  };
}

}  // namespace jumpsync
