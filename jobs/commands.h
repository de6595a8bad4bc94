// The jumpsync commands (SPEC §8). Each job file registers its commands;
// main.cc parses global options, picks the command and maps errors to
// exit codes (SPEC §7).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "jumpsync/app/cli.h"
#include "jumpsync/app/context.h"

namespace jumpsync {

struct Command {
  std::string name;   // "team create"
  std::string usage;  // "team create NAME [--sso] ..."
  std::string help;   // what it does, exit codes of note
  OptionSpec options;
  size_t min_positional = 0, max_positional = 0;
  std::function<int(AppContext&, const ParsedArgs&)> run;
};

std::vector<Command> admin_commands();  // db, team, user
std::vector<Command> sync_commands();   // plan, apply, resync, run-due
std::vector<Command> report_commands(); // runs, report, test-connection
std::vector<Command> mail_commands();   // mail send, mail status, user verify-token

// Writes a report to --out FILE (atomically) or stdout.
void emit_report(const ParsedArgs& args, const std::string& text);
// "text" | "json" | ... from --format, checked against `allowed`.
std::string format_option(const ParsedArgs& args, const std::vector<std::string>& allowed);
// Renders a plan in a report format; html shows run `run_id`'s source and start time (0: none).
std::string render_plan(AppContext& ctx, const struct Plan& plan, const std::string& format, int64_t run_id);

}  // namespace jumpsync
