// Progress on a terminal (SPEC §7, issue #7): the real binary draws pull and
// apply progress on stderr only when stderr is a terminal and logs are text.
// The terminal is a pseudo-terminal (forkpty); pipes and files get none of it.
#include <pty.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <regex>

#include "e2e/e2e_support.h"
#include "mock_idp.h"

using namespace jumpsync::testing;

namespace {

struct TtyResult {
  int exit_code = -1;
  std::string tty;  // everything written to the terminal (stderr)
  std::string out;  // stdout, redirected to a file
  double seconds = 0;
};

// Runs jumpsync with stderr (and stdin) on a fresh pseudo-terminal of 200
// columns and stdout on a file, with `env` as its JUMPSYNC_* environment.
TtyResult run_on_pty(const std::filesystem::path& dir, const std::map<std::string, std::string>& env,
                     const std::vector<std::string>& args) {
  static int counter = 0;
  std::string out_path = (dir / ("pty" + std::to_string(counter++) + ".out")).string();
  std::vector<std::string> argv_s{JUMPSYNC_BIN_PATH};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e)
    if (std::string(*e).rfind("JUMPSYNC_", 0) != 0) env_s.emplace_back(*e);
  for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  struct winsize ws {};
  ws.ws_col = 200;
  ws.ws_row = 50;
  int master = -1;
  auto started = std::chrono::steady_clock::now();
  pid_t pid = forkpty(&master, nullptr, nullptr, &ws);
  REQUIRE(pid >= 0);
  if (pid == 0) {  // the child: stdout to the file, stderr stays on the terminal
    int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, 1) < 0) _exit(126);
    ::close(fd);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  TtyResult r;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      r.tty.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO: the child closed the terminal
    }
  }
  ::close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_all(out_path);
  return r;
}

// Redraws of the progress line: '\r' not part of a terminal newline ("\r\n").
size_t redraws(const std::string& tty) {
  size_t n = 0;
  for (size_t i = 0; i < tty.size(); ++i)
    if (tty[i] == '\r' && (i + 1 == tty.size() || tty[i + 1] != '\n')) ++n;
  return n;
}

bool has_progress_text(const std::string& s) {
  return s.find('\r') != std::string::npos || s.find("\033[") != std::string::npos ||
         s.find("pulling users") != std::string::npos || s.find("applying ") != std::string::npos ||
         s.find(" - done in") != std::string::npos;
}

struct Setup {
  Setup() : db("sqlite"), cli(db.url(), db.dir() / "work") {
    env = {{"JUMPSYNC_DB", db.url()},
           {"JUMPSYNC_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"},
           {"JUMPSYNC_SECRET_KEY_FILE", (cli.dir() / "unused.key").string()}};
    cli.ok({"db", "migrate"});
    std::string users = write_export(cli, "users.csv",
                                     {{"ann@acme.example", "Ann", "A", true, "a1"},
                                      {"bob@acme.example", "Bob", "B", true, "b1"},
                                      {"cy@acme.example", "Cy", "C", true, "c1"}});
    make_scim_team(cli, "acme", users);
  }
  TtyResult tty(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra = {}) {
    auto e = env;
    for (const auto& [k, v] : extra) e[k] = v;
    TtyResult r = run_on_pty(cli.dir(), e, args);
    INFO("jumpsync on a terminal, exit " << r.exit_code << ", terminal:\n" << r.tty << "\nstdout:\n" << r.out);
    return r;
  }
  TestDb db;
  Cli cli;
  std::map<std::string, std::string> env;
};

}  // namespace

TEST_CASE("progress: none when stderr is a file", "[e2e][sqlite][progress]") {
  Setup s;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"plan", "--team", "acme"}, {"apply", "--team", "acme"}, {"resync", "--team", "acme"}, {"run-due"}}) {
    CliResult r = s.cli.ok(args);
    INFO(args[0] << " stderr:\n" << r.err << "\nstdout:\n" << r.out);
    CHECK_FALSE(has_progress_text(r.err));
    CHECK_FALSE(has_progress_text(r.out));
  }
}

TEST_CASE("progress: pull and apply drawn on a terminal, one line each, ended by a newline",
          "[e2e][sqlite][progress]") {
  Setup s;
  TtyResult plan = s.tty({"plan", "--team", "acme"});
  REQUIRE(plan.exit_code == 0);
  // The file source reads the 3 users as one page; its total is known.
  CHECK(plan.tty.find("acme: pulled 3 of 3 users (100%), 1 page") != std::string::npos);
  CHECK(std::regex_search(plan.tty, std::regex("1 page\033\\[K - done in [0-9]+\\.[0-9] s\r?\n")));
  CHECK(plan.tty.find("applying") == std::string::npos);  // a dry run applies nothing
  CHECK(plan.out.find("create") != std::string::npos);    // the report is on stdout ...
  CHECK_FALSE(has_progress_text(plan.out));              // ... untouched by progress

  TtyResult apply = s.tty({"apply", "--team", "acme"});
  REQUIRE(apply.exit_code == 0);
  CHECK(apply.tty.find("acme: pulled 3 of 3 users") != std::string::npos);
  CHECK(std::regex_search(apply.tty, std::regex("acme: applying 3 changes...\033\\[K - done in [0-9.]+ s\r?\n")));
  CHECK_FALSE(has_progress_text(apply.out));

  // Nothing left to change: the apply line says so.
  TtyResult again = s.tty({"apply", "--team", "acme"});
  REQUIRE(again.exit_code == 0);
  CHECK(again.tty.find("acme: applying 0 changes...") != std::string::npos);
}

TEST_CASE("progress: none on a terminal when logs are JSON", "[e2e][sqlite][progress]") {
  Setup s;
  TtyResult flag = s.tty({"--log-format", "json", "apply", "--team", "acme"});
  REQUIRE(flag.exit_code == 0);
  CHECK(flag.tty.find("{\"time\":") != std::string::npos);  // the JSON log is there ...
  std::string tty = std::regex_replace(flag.tty, std::regex("\r\n"), "\n");
  CHECK_FALSE(has_progress_text(tty));                        // ... and nothing else
  TtyResult env = s.tty({"plan", "--team", "acme"}, {{"JUMPSYNC_LOG_FORMAT", "json"}});
  REQUIRE(env.exit_code == 0);
  CHECK_FALSE(has_progress_text(std::regex_replace(env.tty, std::regex("\r\n"), "\n")));
}

TEST_CASE("progress: a failed pull ends its line before the error", "[e2e][sqlite][progress]") {
  Setup s;
  s.cli.ok({"team", "set-source", "acme", "--provider", "file", "--url", (s.cli.dir() / "missing.csv").string()});
  TtyResult r = s.tty({"apply", "--team", "acme"});
  CHECK(r.exit_code == 4);
  CHECK(r.tty.find("acme: pulling users...\033[K - failed\r\n") != std::string::npos);
  CHECK(r.tty.find("\r\njumpsync: team 'acme': the pull") != std::string::npos);
}

TEST_CASE("progress: a paged SCIM pull shows users, pages and rate, at most 10 redraws a second",
          "[e2e][sqlite][progress]") {
  Setup s;
  MockIdpOptions o;
  o.users = 600;
  o.page_size_max = 10;
  o.slow_ms = 40;  // 60 pages, 4 in flight: about 0.6 s
  o.token = "progress-token";
  MockIdp idp(o);
  idp.start();
  std::string token_file = (s.cli.dir() / "token").string();
  write_file(token_file, "progress-token\n");
  s.cli.ok({"team", "set-source", "acme", "--provider", "scim", "--url", idp.scim_url(), "--token-file", token_file,
            "--page-size", "10"});
  TtyResult r = s.tty({"plan", "--team", "acme"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.tty.find("acme: pulled 600 of 600 users (100%), 60 pages, ") != std::string::npos);
  CHECK(std::regex_search(r.tty, std::regex("[0-9,]+ users/s\033\\[K - done in [0-9.]+ s\r?\n")));
  // Throttled: far fewer redraws than pages, and no more than 10 a second
  // (plus the first, the final one and one after the source's log line).
  size_t n = redraws(r.tty);
  INFO(n << " redraws in " << r.seconds << " s");
  CHECK(n < 60);
  CHECK(static_cast<double>(n) <= r.seconds * 10 + 4);
  // The source's log line starts on a line of its own, never glued to the progress line.
  auto log_at = r.tty.find(" info scim ");  // after the 20-character UTC timestamp
  REQUIRE(log_at >= 24);
  std::string before = r.tty.substr(log_at - 24, 4);
  CHECK((before == "\r\033[K" || before.back() == '\n'));
  // The same pull into a file: the log line only.
  CliResult plain = s.cli.ok({"plan", "--team", "acme"});
  CHECK_FALSE(has_progress_text(plain.err));
}
