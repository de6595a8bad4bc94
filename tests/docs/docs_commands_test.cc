// The operator and admin guides stay true: every `$ jumpsync ...` line in a
// ```sh block of docs/OPERATOR.md and docs/ADMIN.md is run, in order, from a
// fresh directory holding only `examples/` (the bundled exports), against a
// fresh SQLite database (the default sqlite:jumpsync.db there). Each must
// exit 0, or the code named by a trailing `# exit N` comment.
#include <catch2/catch.hpp>
#include <regex>
#include <vector>

#include "docs/docs_support.h"

using namespace jumpsync::docs;

namespace {

struct DocCommand {
  int line = 0;
  std::string command;  // as written, without the leading "$ "
  int expected_exit = 0;
};

// The runnable lines of a markdown file: "$ jumpsync ..." inside ```sh fences.
std::vector<DocCommand> doc_commands(const std::string& markdown) {
  std::vector<DocCommand> out;
  std::istringstream in(markdown);
  std::string line;
  bool in_sh = false, in_other = false;
  static const std::regex exit_comment("#\\s*exit\\s+([0-9]+)\\s*$");
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.rfind("```", 0) == 0) {
      if (in_sh || in_other) {
        in_sh = in_other = false;
      } else if (line == "```sh") {
        in_sh = true;
      } else {
        in_other = true;
      }
      continue;
    }
    if (!in_sh || line.rfind("$ jumpsync ", 0) != 0) continue;
    DocCommand c;
    c.line = n;
    c.command = line.substr(2);
    std::smatch m;
    if (std::regex_search(c.command, m, exit_comment)) c.expected_exit = std::stoi(m[1].str());
    out.push_back(c);
  }
  return out;
}

std::map<std::string, std::string> doc_env(const fs::path& dir) {
  std::string bin_dir = fs::path(JUMPSYNC_BIN_PATH).parent_path().string();
  const char* path = std::getenv("PATH");
  return {{"PATH", bin_dir + ":" + (path ? path : "/usr/bin:/bin")},
          {"HOME", dir.string()},  // the default secret key file goes to $HOME/.config/jumpsync
          {"LC_ALL", "C"}};
}

void run_doc(const std::string& name, size_t at_least) {
  fs::path doc = fs::path(JUMPSYNC_SOURCE_DIR) / "docs" / name;
  REQUIRE(fs::exists(doc));
  auto commands = doc_commands(read_text(doc));
  INFO(name << " has " << commands.size() << " runnable commands");
  REQUIRE(commands.size() >= at_least);
  TempDir dir("run_" + name.substr(0, name.find('.')));
  fs::create_directory_symlink(fs::path(JUMPSYNC_SOURCE_DIR) / "examples", dir.path() / "examples");
  auto env = doc_env(dir.path());
  for (const auto& c : commands) {
    ShellResult r = run_shell(c.command, dir.path(), env);
    INFO(name << ":" << c.line << ": $ " << c.command << "\nexit " << r.exit_code << " (the doc says "
              << c.expected_exit << ")\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    CHECK(r.exit_code == c.expected_exit);
    // Commands in the docs never show progress or secrets in pipes.
    CHECK(r.err.find('\r') == std::string::npos);
  }
}

}  // namespace

TEST_CASE("the doc command extractor reads only the prompt lines of sh blocks and their exit comments", "[docs]") {
  auto cmds = doc_commands(
      "text\n$ jumpsync not-in-a-block\n```sh\n$ jumpsync db migrate\njumpsync no-prompt\n"
      "$ jumpsync apply --team a   # exit 3\n```\n```text\n$ jumpsync in-text-block\n```\n"
      "```sh\n$ echo hi\n$ jumpsync runs --team a\n```\n");
  REQUIRE(cmds.size() == 3);
  CHECK(cmds[0].command == "jumpsync db migrate");
  CHECK(cmds[0].expected_exit == 0);
  CHECK(cmds[1].expected_exit == 3);
  CHECK(cmds[2].command == "jumpsync runs --team a");
  CHECK(cmds[2].line == 13);
}

TEST_CASE("docs/OPERATOR.md: every command runs as written", "[docs]") { run_doc("OPERATOR.md", 20); }

TEST_CASE("docs/ADMIN.md: every command runs as written", "[docs]") { run_doc("ADMIN.md", 20); }

TEST_CASE("docs/OPERATOR.md covers every schedule in cron/ and every exit code", "[docs]") {
  std::string text = read_text(fs::path(JUMPSYNC_SOURCE_DIR) / "docs" / "OPERATOR.md");
  for (const auto& entry : fs::directory_iterator(fs::path(JUMPSYNC_SOURCE_DIR) / "cron")) {
    INFO("cron/" << entry.path().filename().string() << " is not described in docs/OPERATOR.md");
    CHECK(text.find("cron/" + entry.path().filename().string()) != std::string::npos);
  }
  for (const char* code : {"| 0 |", "| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 5 |", "| 6 |", "| 7 |"}) {
    INFO("exit code row " << code);
    CHECK(text.find(code) != std::string::npos);
  }
}

TEST_CASE("docs/ADMIN.md explains every action of the plan", "[docs]") {
  std::string text = read_text(fs::path(JUMPSYNC_SOURCE_DIR) / "docs" / "ADMIN.md");
  for (const char* kind : {"create", "adopt", "adopt-pending", "relink", "reactivate", "update", "deactivate",
                           "conflict", "noop", "unmanaged"}) {
    INFO(kind);
    CHECK(text.find("| `" + std::string(kind) + "` |") != std::string::npos);
  }
}
