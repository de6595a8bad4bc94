// Every SPEC §3 action, end to end through the CLI with a file source, on
// SQLite and on PostgreSQL; results checked with `user show --format json`.
#include <catch2/catch.hpp>

#include "e2e/e2e_support.h"

using namespace jumpsync::testing;

namespace {

std::vector<CsvUser> day1() {
  return {
      {"New1@Acme.example ", "Ann", "One", true, "n1"},      // create, verified domain: no email
      {"new2@else.example", "Bob", "Two", true, "n2"},       // create, other domain: email
      {"verified@else.example", "Vera", "V", true, "v1"},    // adopt (verified account)
      {"unverified@else.example", "Ugo", "U", true, "u1"},   // adopt-pending (unverified)
      {"unverified2@acme.example", "Una", "U", true, "u2"},  // adopt: verified domain proves it
      {"theirs@acme.example", "Theo", "T", true, "t1"},      // conflict: another team's SCIM
      {"dup@acme.example", "D", "1", true, "d1"},            // conflict: duplicate email
      {"DUP@acme.example", "D", "2", true, "d2"},            // conflict: duplicate email
      {"not-an-email", "N", "E", true, "x1"},                // conflict: invalid email
      {"leaver@acme.example", "Lea", "L", true, "l1"},
      {"renamer@acme.example", "Ren", "R", true, "r1"},
      {"mover@acme.example", "Moe", "M", true, "m1"},
      {"clash@acme.example", "Cla", "C", true, "c1"},
  };
}

std::string plan_json(Cli& cli, const std::string& team) {
  return cli.ok({"plan", "--team", team, "--format", "json"}).out;
}

void require_only_noops_and_conflicts(const std::string& json) {
  for (const char* kind : {"create", "adopt", "adopt-pending", "relink", "reactivate", "update", "deactivate"}) {
    INFO(kind << " in " << json);
    CHECK(summary_count(json, kind) == 0);
  }
}

}  // namespace

TEST_CASE("every action end to end through the CLI", "[e2e][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  TestDb db(backend);
  Cli cli(db.url(), std::filesystem::temp_directory_path() / ("jumpsync_e2e_" + std::to_string(getpid()) + backend));
  cli.ok({"db", "migrate"});

  // Another team's SCIM manages theirs@acme.example.
  make_scim_team(cli, "other", write_export(cli, "other.csv", {{"theirs@acme.example", "Theo", "T", true, "o1"}}));
  cli.ok({"apply", "--team", "other"});
  REQUIRE(show_user(cli, "theirs@acme.example")->managed_by == "other");

  std::string v1 = write_export(cli, "v1.csv", day1());
  make_scim_team(cli, "acme", v1, {"--domain-verification"});
  cli.ok({"team", "verify-domain", "acme", "acme.example"});
  cli.ok({"user", "add", "verified@else.example", "--verified"});
  cli.ok({"user", "add", "unverified@else.example"});
  cli.ok({"user", "add", "unverified2@acme.example"});
  cli.ok({"user", "add", "hand@acme.example", "--verified", "--team", "acme"});

  std::string before_plan = dump_user_tables(db);
  std::string p1 = plan_json(cli, "acme");
  CHECK(dump_user_tables(db) == before_plan);  // a dry run changes nothing
  CHECK(summary_count(p1, "create") == 6);
  CHECK(summary_count(p1, "adopt") == 2);
  CHECK(summary_count(p1, "adopt-pending") == 1);
  CHECK(summary_count(p1, "conflict") == 4);
  CHECK(summary_count(p1, "unmanaged") == 1);

  cli.ok({"apply", "--team", "acme"});
  auto new1 = show_user(cli, "new1@acme.example");
  REQUIRE(new1);
  CHECK(new1->verified);
  CHECK(new1->managed_by == "acme");
  CHECK(new1->status == "active");
  auto new2 = show_user(cli, "new2@else.example");
  REQUIRE(new2);
  CHECK_FALSE(new2->verified);
  CHECK(new2->managed_by == "acme");
  CHECK(show_user(cli, "verified@else.example")->managed_by == "acme");
  CHECK(show_user(cli, "unverified2@acme.example")->managed_by == "acme");
  CHECK(show_user(cli, "unverified2@acme.example")->verified);
  CHECK(show_user(cli, "unverified@else.example")->managed_by.empty());  // waits for verification
  CHECK(show_user(cli, "theirs@acme.example")->managed_by == "other");
  CHECK_FALSE(show_user(cli, "dup@acme.example"));
  CHECK(show_user(cli, "hand@acme.example")->managed_by.empty());
  {
    auto raw = db.raw();
    std::vector<std::string> mailed(10);
    *raw << "SELECT o.email FROM mail_outbox o JOIN teams t ON t.id = o.team_id WHERE t.name = 'acme' ORDER BY o.email", soci::into(mailed);
    CHECK(mailed == std::vector<std::string>{"new2@else.example", "unverified@else.example"});
  }

  // Idempotence: the same IdP data plans no change.
  require_only_noops_and_conflicts(plan_json(cli, "acme"));
  std::string stable = dump_user_tables(db);
  cli.ok({"apply", "--team", "acme"});
  CHECK(dump_user_tables(db) == stable);  // no account row written

  // Day 2: a leaver, a rename, an email change, an email change onto a taken address.
  long long mover_id = show_user(cli, "mover@acme.example")->id;
  auto day2 = day1();
  day2[9].active = false;                       // leaver -> deactivate
  day2[10].given = "Renée";                     // renamer -> update
  day2[11].email = "moved@acme.example";        // mover -> update (same IdP id)
  day2[12].email = "hand@acme.example";         // clash -> conflict (address taken)
  day2.erase(day2.begin() + 6, day2.begin() + 9);  // drop the dup/invalid noise
  cli.ok({"team", "set-source", "acme", "--provider", "file", "--url", write_export(cli, "v2.csv", day2)});
  std::string p2 = plan_json(cli, "acme");
  CHECK(summary_count(p2, "deactivate") == 1);
  CHECK(summary_count(p2, "update") == 2);
  CHECK(summary_count(p2, "conflict") == 2);  // theirs@ and the clash
  cli.ok({"apply", "--team", "acme"});
  CHECK(show_user(cli, "leaver@acme.example")->status == "deactivated");
  CHECK(show_user(cli, "renamer@acme.example")->given_name == "Renée");
  auto moved = show_user(cli, "moved@acme.example");
  REQUIRE(moved);
  CHECK(moved->id == mover_id);
  CHECK_FALSE(show_user(cli, "mover@acme.example"));
  CHECK(show_user(cli, "clash@acme.example")->status == "active");

  // Day 3: the leaver is back.
  day2[6].active = true;
  cli.ok({"team", "set-source", "acme", "--provider", "file", "--url", write_export(cli, "v3.csv", day2)});
  CHECK(summary_count(plan_json(cli, "acme"), "reactivate") == 1);
  cli.ok({"apply", "--team", "acme"});
  CHECK(show_user(cli, "leaver@acme.example")->status == "active");

  // Disable, re-enable, resync: the same accounts are relinked, none created.
  cli.ok({"team", "disable-scim", "acme"});
  std::string disabled_state = dump_user_tables(db);
  for (auto args : std::vector<std::vector<std::string>>{
           {"plan", "--team", "acme"}, {"apply", "--team", "acme"}, {"resync", "--team", "acme"}}) {
    auto r = cli.run(args);
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("SCIM is disabled for team 'acme'") != std::string::npos);
  }
  CHECK(dump_user_tables(db) == disabled_state);
  cli.ok({"team", "enable-scim", "acme"});
  cli.ok({"team", "set-source", "acme", "--provider", "file", "--url", cli.dir().string() + "/v3.csv"});
  auto resync = cli.ok({"resync", "--team", "acme", "--format", "json"});
  INFO(resync.out);
  CHECK(summary_count(resync.out, "relink") == 7);  // all managed but the clash
  CHECK(summary_count(resync.out, "create") == 0);
  CHECK(show_user(cli, "moved@acme.example")->id == mover_id);
  require_only_noops_and_conflicts(plan_json(cli, "acme"));
}
