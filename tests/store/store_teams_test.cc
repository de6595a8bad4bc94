// Teams, accounts, snapshots, locks and the run journal, on both backends.
#include <catch2/catch.hpp>

#include "common/test_db.h"
#include "jumpsync/core/errors.h"
#include "jumpsync/store/store.h"

using namespace jumpsync;
using jumpsync::testing::TestDb;

TEST_CASE("teams: create, domains, source, SCIM enable and disable", "[store][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  TestDb db(backend);
  auto store = open_store(db.url());
  store->migrate();
  TeamRecord t = store->create_team({"acme", true, true, true}, 100);
  CHECK(t.sso_configured);
  CHECK_FALSE(t.scim_enabled);
  store->add_verified_domain(t.id, "acme.example");
  store->add_verified_domain(t.id, "acme.example");  // twice: still one
  store->add_verified_domain(t.id, "b.example");
  StoredSource src;
  src.provider = "scim";
  src.url = "https://idp.example/scim/v2";
  src.token_enc = "v1:sealed";
  store->set_source(t.id, src);
  store->set_scim_enabled(t.id, true, 1, "sha256:abc", "test", 200);
  auto loaded = store->find_team("acme");
  REQUIRE(loaded);
  CHECK(loaded->verified_domains == std::vector<std::string>{"acme.example", "b.example"});
  CHECK(loaded->scim_enabled);
  CHECK(loaded->scim_epoch == 1);
  CHECK(loaded->scim_token_hash == "sha256:abc");
  CHECK(loaded->source.token_enc == "v1:sealed");
  CHECK(loaded->source.url == src.url);

  store->set_scim_enabled(t.id, false, 1, "", "cli:admin", 300);
  loaded = store->find_team("acme");
  CHECK_FALSE(loaded->scim_enabled);
  CHECK(loaded->scim_token_hash.empty());   // SCIM token revoked
  CHECK(loaded->source.token_enc.empty());  // IdP secret destroyed
  CHECK(loaded->source.url == src.url);     // the rest of the settings stay
  auto raw = db.raw();
  int audited = 0;
  *raw << "SELECT COUNT(*) FROM applied_actions WHERE action = 'scim-disable' AND actor = 'cli:admin'",
      soci::into(audited);
  CHECK(audited == 1);
  CHECK_FALSE(store->find_team("nope"));
}

TEST_CASE("snapshot: managed, members, pending and same-email accounts only", "[store][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  TestDb db(backend);
  auto store = open_store(db.url());
  store->migrate();
  TeamRecord acme = store->create_team({"acme", true, true, false}, 1);
  TeamRecord other = store->create_team({"other", true, true, false}, 1);
  store->add_account({"member@acme.example", true, "M", "Ember", acme.id}, 1);
  store->add_account({"idp@acme.example", false, "", "", std::nullopt}, 1);
  store->add_account({"stranger@else.example", true, "", "", std::nullopt}, 1);
  store->add_account({"othermember@o.example", true, "", "", other.id}, 1);
  auto raw = db.raw();
  *raw << "INSERT INTO accounts (email, verified, managed_by, external_id, link_epoch, created_at, updated_at) "
          "VALUES ('managed@acme.example', 1, " + std::to_string(acme.id) + ", 'x1', 1, 1, 1)";
  JumpSnapshot snap = store->load_snapshot(acme.id, {"idp@acme.example", "idp@acme.example", "nobody@x.example"});
  std::map<std::string, AccountState> by_email;
  for (const auto& a : snap.accounts) by_email[a.state.email] = a.state;
  CHECK(by_email.size() == 3);
  REQUIRE(by_email.count("member@acme.example"));
  CHECK(by_email["member@acme.example"].team_member);
  CHECK(by_email["member@acme.example"].given_name == "M");
  REQUIRE(by_email.count("idp@acme.example"));
  CHECK_FALSE(by_email["idp@acme.example"].verified);
  CHECK_FALSE(by_email["idp@acme.example"].team_member);
  REQUIRE(by_email.count("managed@acme.example"));
  CHECK(by_email["managed@acme.example"].managed_by == acme.id);
  CHECK(by_email["managed@acme.example"].external_id == "x1");
  CHECK(by_email["managed@acme.example"].link_epoch == 1);
  CHECK_FALSE(by_email.count("stranger@else.example"));
  CHECK_FALSE(by_email.count("othermember@o.example"));
}

TEST_CASE("team lock: one holder at a time, across sessions", "[store][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  TestDb db(backend);
  auto a = open_store(db.url());
  a->migrate();
  auto b = open_store(db.url());
  TeamRecord t = a->create_team({"acme", true, true, false}, 1);
  auto held = a->try_lock_team(t.id);
  REQUIRE(held);
  CHECK(b->try_lock_team(t.id) == nullptr);
  auto other_team = a->create_team({"beta", true, true, false}, 1);
  CHECK(b->try_lock_team(other_team.id) != nullptr);  // other teams are free
  held.reset();
  CHECK(b->try_lock_team(t.id) != nullptr);
}

TEST_CASE("run journal: start, finish, list, interrupted runs", "[store][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  TestDb db(backend);
  auto store = open_store(db.url());
  store->migrate();
  TeamRecord t = store->create_team({"acme", true, true, false}, 1);
  int64_t r1 = store->start_run(t.id, RunTrigger::cron, RunMode::apply, "file x", "w1", 10);
  store->finish_run(r1, "source-failed", "{}", "the IdP said 500", "", 11);
  int64_t r2 = store->start_run(t.id, RunTrigger::plan, RunMode::dry_run, "file x", "w1", 12);
  CHECK(r2 > r1);
  store->close_interrupted_runs(t.id, 13);
  auto runs = store->list_runs(t.id, 10);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].id == r2);
  CHECK(runs[0].outcome == "interrupted");
  CHECK(runs[1].outcome == "source-failed");
  CHECK(runs[1].error == "the IdP said 500");
  CHECK(runs[1].trigger == "cron");
  auto found = store->find_run(r1);
  REQUIRE(found);
  CHECK(found->team == "acme");
  CHECK_FALSE(store->find_run(9999));
}
