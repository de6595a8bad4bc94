// Safety guards through the CLI: blocked plans, confirmations, saved plans
// and their fingerprints, a busy team, a failing source.
#include <catch2/catch.hpp>

#include "e2e/e2e_support.h"
#include "jumpsync/store/store.h"

using namespace jumpsync::testing;

namespace {

std::vector<CsvUser> people(int n, int from = 0) {
  std::vector<CsvUser> out;
  for (int i = from; i < from + n; ++i)
    out.push_back({"p" + std::to_string(i) + "@acme.example", "P", std::to_string(i), true, "id" + std::to_string(i)});
  return out;
}

struct Team {
  Team(const std::string& backend, const std::string& name)
      : db(backend), cli(db.url(), std::filesystem::temp_directory_path() /
                                       ("jumpsync_safety_" + std::to_string(getpid()) + "_" + name + backend)) {
    cli.ok({"db", "migrate"});
    make_scim_team(cli, "acme", write_export(cli, "all.csv", people(10)));
    cli.ok({"apply", "--team", "acme"});
  }
  void use_export(const std::vector<CsvUser>& users) {
    cli.ok({"team", "set-source", "acme", "--provider", "file", "--url", write_export(cli, "now.csv", users)});
  }
  TestDb db;
  Cli cli;
};

}  // namespace

TEST_CASE("an empty IdP list is blocked until the exact count is confirmed", "[e2e][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Team t(backend, "empty");
  t.use_export({});
  std::string before = dump_user_tables(t.db);
  auto blocked = t.cli.run({"apply", "--team", "acme"});
  CHECK(blocked.exit_code == 3);
  CHECK(blocked.err.find("--allow-deactivations 10") != std::string::npos);  // says how to confirm
  CHECK(dump_user_tables(t.db) == before);
  auto wrong = t.cli.run({"apply", "--team", "acme", "--allow-deactivations", "9"});
  CHECK(wrong.exit_code == 3);
  CHECK(dump_user_tables(t.db) == before);
  t.cli.ok({"apply", "--team", "acme", "--allow-deactivations", "10"});
  for (int i = 0; i < 10; ++i) CHECK(show_user(t.cli, "p" + std::to_string(i) + "@acme.example")->status == "deactivated");
  auto runs = t.cli.ok({"runs", "--team", "acme", "--format", "json"}).out;
  CHECK(runs.find("\"outcome\":\"blocked\"") != std::string::npos);
}

TEST_CASE("a large share of deactivations is blocked; a small one is not", "[e2e][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Team t(backend, "share");
  t.use_export(people(9));  // one leaver of ten: under the guard
  t.cli.ok({"apply", "--team", "acme"});
  CHECK(show_user(t.cli, "p9@acme.example")->status == "deactivated");
  t.cli.ok({"team", "configure", "acme", "--max-deactivations", "2"});
  t.use_export(people(6));  // three more leave: over the absolute limit of 2
  auto r = t.cli.run({"apply", "--team", "acme"});
  CHECK(r.exit_code == 3);
  CHECK(show_user(t.cli, "p6@acme.example")->status == "active");
}

TEST_CASE("a saved plan applies exactly, and is refused once the state changed", "[e2e][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Team t(backend, "saved");
  t.use_export({});  // everyone leaves: blocked, so review a saved plan
  std::string plan_file = (t.cli.dir() / "plan.json").string();
  t.cli.ok({"plan", "--team", "acme", "--format", "json", "--out", plan_file});
  SECTION("reviewed saved plan applies, even though the live plan is blocked") {
    t.cli.ok({"apply", "--plan", plan_file});
    CHECK(show_user(t.cli, "p3@acme.example")->status == "deactivated");
  }
  SECTION("stale saved plan is refused and names what changed") {
    std::string mover = "p3@acme.example";
    auto raw = t.db.raw();
    *raw << "UPDATE accounts SET given_name = 'Changed' WHERE email = '" + mover + "'";
    std::string before = dump_user_tables(t.db);
    auto r = t.cli.run({"apply", "--plan", plan_file});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("stale") != std::string::npos);
    CHECK(r.err.find(mover) != std::string::npos);
    CHECK(dump_user_tables(t.db) == before);
  }
  SECTION("a damaged plan file is a usage error") {
    write_file(plan_file, "{\"team\": \"acme\", \"actions\": [");
    CHECK(t.cli.run({"apply", "--plan", plan_file}).exit_code == 2);
  }
}

TEST_CASE("a team busy with another run is refused and untouched", "[e2e][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Team t(backend, "busy");
  t.use_export(people(12));
  auto store = jumpsync::open_store(t.db.url());
  auto team = store->find_team("acme");
  auto lock = store->try_lock_team(team->id);  // another run in progress
  REQUIRE(lock);
  std::string before = dump_user_tables(t.db);
  auto r = t.cli.run({"apply", "--team", "acme"});
  CHECK(r.exit_code == 7);
  CHECK(r.err.find("being synced by another") != std::string::npos);
  CHECK(dump_user_tables(t.db) == before);
  lock.reset();
  t.cli.ok({"apply", "--team", "acme"});
  CHECK(show_user(t.cli, "p11@acme.example"));
}

TEST_CASE("a broken export fails the run with exit 4 and changes nothing", "[e2e][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Team t(backend, "broken");
  std::string path = (t.cli.dir() / "broken.json").string();
  write_file(path, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\"totalResults\":3,\"Resources\":[{\"id\":");
  t.cli.ok({"team", "set-source", "acme", "--provider", "file", "--url", path});
  std::string before = dump_user_tables(t.db);
  auto r = t.cli.run({"apply", "--team", "acme"});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("acme") != std::string::npos);
  CHECK(r.err.find(path) != std::string::npos);
  CHECK(dump_user_tables(t.db) == before);
  CHECK(t.cli.ok({"runs", "--team", "acme"}).out.find("source-failed") != std::string::npos);
}

TEST_CASE("unknown team and bad flags exit 2 with one line naming the problem", "[e2e][sqlite]") {
  TestDb db("sqlite");
  Cli cli(db.url(), db.dir() / "cli");
  cli.ok({"db", "migrate"});
  auto unknown = cli.run({"plan", "--team", "ghost"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown team 'ghost'") != std::string::npos);
  auto bad = cli.run({"team", "create", "x", "--frobnicate"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--frobnicate") != std::string::npos);
  CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
  cli.ok({"team", "create", "plain"});
  auto refused = cli.run({"team", "enable-scim", "plain"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("single sign-on is not configured") != std::string::npos);
  CHECK(refused.err.find("Enterprise") != std::string::npos);
  CHECK(cli.run({"nonsense"}).exit_code == 2);
  write_file(cli.dir() / "token", "t0ken-value");
  auto http = cli.run({"team", "set-source", "plain", "--provider", "scim", "--url", "http://idp.example.com/scim/v2",
                       "--token-file", (cli.dir() / "token").string()});
  CHECK(http.exit_code == 2);  // plain http only to loopback hosts
  CHECK(http.err.find("use https://") != std::string::npos);
  CHECK(http.err.find("t0ken-value") == std::string::npos);
  CHECK(cli.ok({"plan", "--help"}).out.find("usage: jumpsync plan") != std::string::npos);
}
