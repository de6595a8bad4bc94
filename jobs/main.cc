// jumpsync: keeps Jump's user table in step with each team's IdP.
// Usage: jumpsync [--db URL] [--config FILE] [--log-format text|json] COMMAND ...
#include <spdlog/spdlog.h>

#include <iostream>

#include "commands.h"
#include "jumpsync/app/logging.h"
#include "jumpsync/app/terminal_progress.h"
#include "jumpsync/core/errors.h"
#include "jumpsync/sources/factory.h"

using namespace jumpsync;

namespace {

// HTTP tuning for IdP pulls: config keys http.retry_budget_ms,
// http.max_attempts, http.read_timeout_ms (or JUMPSYNC_HTTP_*, applied to
// AppConfig::raw by load_config); defaults in include/jumpsync/sources/http_client.h.
SourceOptions http_options_from(const AppConfig& config) {
  SourceOptions o;
  auto setting = [&](const char* key) -> std::optional<long> {
    auto it = config.raw.find(key);
    if (it == config.raw.end() || it->second.empty()) return std::nullopt;
    try {
      return std::stol(it->second);
    } catch (const std::exception&) {
      throw usage_error(std::string(key) + " must be a whole number, got '" + it->second + "'");
    }
  };

  if (auto v = setting("http.retry_budget_ms")) o.http.retry_budget = std::chrono::milliseconds(*v);
  if (auto v = setting("http.max_attempts")) o.http.max_attempts = static_cast<int>(*v);
  if (auto v = setting("http.read_timeout_ms")) o.http.read_timeout = std::chrono::milliseconds(*v);
  return o;
}

std::vector<Command> all_commands() {
  std::vector<Command> all;
  for (auto list : {admin_commands(), sync_commands(), report_commands(), mail_commands()})
    all.insert(all.end(), list.begin(), list.end());
  return all;
}

void print_overview(std::ostream& out) {
  out << "jumpsync - keep Jump's user table in step with each team's identity provider\n\n"
         "usage: jumpsync [--db URL] [--config FILE] [--log-format text|json] COMMAND ...\n"
         "  --db URL   sqlite:PATH (default sqlite:jumpsync.db) | postgresql://USER@HOST:PORT/DB\n"
         "             (or JUMPSYNC_DB)\n\ncommands:\n";
  for (const auto& c : all_commands()) out << "  jumpsync " << c.usage << "\n";
  out << "\n`jumpsync COMMAND --help` explains one command. Exit codes: 0 ok, 1 internal error,\n"
         "2 usage/configuration, 3 blocked by a safety guard, 4 source failed, 5 SCIM disabled,\n"
         "6 run-due: some team failed, 7 team busy (another run holds it).\n";
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  GlobalFlags globals;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto take = [&](std::string& into) {
      if (i + 1 >= args.size()) throw usage_error(a + " needs a value");
      into = args[++i];
    };
    if (a == "--db") take(globals.db);
    else if (a == "--config") take(globals.config);
    else if (a == "--log-format") take(globals.log_format);
    else if (a.rfind("--db=", 0) == 0) globals.db = a.substr(5);
    else if (a.rfind("--config=", 0) == 0) globals.config = a.substr(9);
    else if (a.rfind("--log-format=", 0) == 0) globals.log_format = a.substr(13);
    else if (a == "--help" || a == "-h" || a == "help") { print_overview(std::cout); return 0; }
    else if (a == "--version") { std::cout << "jumpsync 0.1.0\n"; return 0; }
    else if (a.rfind("--", 0) == 0) throw usage_error("unknown global option " + a + " (see `jumpsync --help`)");
    else break;
  }
  if (i == args.size()) {
    print_overview(std::cerr);
    return 2;
  }
  const auto commands = all_commands();
  const Command* cmd = nullptr;
  size_t words = 0;
  for (const auto& c : commands) {
    size_t space = c.name.find(' ');
    if (space == std::string::npos) {
      if (args[i] == c.name) { cmd = &c; words = 1; }
    } else if (i + 1 < args.size() && args[i] == c.name.substr(0, space) && args[i + 1] == c.name.substr(space + 1)) {
      cmd = &c;
      words = 2;
    }
    if (cmd) break;
  }
  if (!cmd) {
    std::string attempted = args[i] + (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0 ? " " + args[i + 1] : "");
    throw usage_error("unknown command '" + attempted + "' (see `jumpsync --help`)");
  }
  std::vector<std::string> rest(args.begin() + static_cast<long>(i + words), args.end());
  for (const auto& r : rest) {
    if (r == "--help" || r == "-h") {
      std::cout << "usage: jumpsync " << cmd->usage << "\n\n" << cmd->help << "\n";
      return 0;
    }
  }
  ParsedArgs parsed = parse_args(rest, cmd->options, cmd->name);
  if (parsed.positional.size() < cmd->min_positional || parsed.positional.size() > cmd->max_positional)
    throw usage_error("wrong number of arguments for `jumpsync " + cmd->name + "`; usage: jumpsync " + cmd->usage);
  AppConfig config = load_config(globals);
  setup_logging(config.log_format);
  AppContext ctx(std::move(config));
  SourceOptions source_options = http_options_from(ctx.config());
  ctx.make_source = [source_options](const SourceSettings& s) { return make_source(s, source_options); };
  auto progress = terminal_progress_for(ctx.config().log_format);  // null unless stderr is a terminal, text logs
  ctx.progress = progress.get();
  return cmd->run(ctx, parsed);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const Error& e) {
    std::cerr << "jumpsync: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "jumpsync: internal error: " << e.what() << "\n";
    return 1;
  }
}
