// apply_plan: every change, its audit row and its outbox row in one
// transaction; a failing plan leaves everything as it was.
#include <catch2/catch.hpp>

#include "common/test_db.h"
#include "jumpsync/core/errors.h"
#include "jumpsync/store/store.h"

using namespace jumpsync;
using jumpsync::testing::TestDb;

namespace {

int count(soci::session& s, const std::string& query) {
  int n = -1;
  s << query, soci::into(n);
  return n;
}

AccountState managed_state(const std::string& email, int64_t team, const std::string& ext, bool verified) {
  AccountState s;
  s.email = email;
  s.verified = verified;
  s.managed_by = team;
  s.external_id = ext;
  s.link_epoch = 1;
  s.team_member = true;
  return s;
}

Action create(const std::string& email, int64_t team, bool verified) {
  Action a;
  a.kind = ActionKind::create;
  a.email = email;
  a.external_id = "id-" + email;
  a.after = managed_state(email, team, a.external_id, verified);
  a.verification_email = !verified;
  a.reason = "new in the IdP";
  return a;
}

struct Fixture {
  explicit Fixture(const std::string& backend) : db(backend), store(open_store(db.url())) {
    store->migrate();
    team = store->create_team({"acme", true, true, true}, 1);
    store->set_scim_enabled(team.id, true, 1, "sha256:x", "test", 1);
  }
  TestDb db;
  std::unique_ptr<Store> store;
  TeamRecord team;
};

}  // namespace

TEST_CASE("apply_plan writes accounts, membership, audit and outbox together", "[store][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Fixture f(backend);
  auto existing = f.store->add_account({"old@acme.example", true, "Old", "Name", std::nullopt}, 1);
  Plan plan;
  plan.team = "acme";
  plan.team_id = f.team.id;
  plan.actions.push_back(create("new1@acme.example", f.team.id, true));
  plan.actions.push_back(create("new2@other.example", f.team.id, false));
  Action adopt;
  adopt.kind = ActionKind::adopt;
  adopt.email = "old@acme.example";
  adopt.account_id = existing.id;
  adopt.before = existing.state;
  adopt.after = managed_state("old@acme.example", f.team.id, "okta-7", true);
  adopt.after->given_name = "Olga";
  adopt.reason = "verified account adopted";
  plan.actions.push_back(adopt);
  Action noop;
  noop.kind = ActionKind::noop;
  noop.email = "same@acme.example";
  plan.actions.push_back(noop);

  int64_t run = f.store->start_run(f.team.id, RunTrigger::manual, RunMode::apply, "test", "w", 5);
  f.store->apply_plan(run, plan, "{\"create\":2}", "{}", 6);

  auto a1 = f.store->find_account("new1@acme.example");
  REQUIRE(a1);
  CHECK(a1->state.verified);
  CHECK(a1->managed_by_name == "acme");
  CHECK(a1->teams == std::vector<std::string>{"acme"});
  auto a2 = f.store->find_account("new2@other.example");
  REQUIRE(a2);
  CHECK_FALSE(a2->state.verified);
  auto adopted = f.store->find_account("old@acme.example");
  REQUIRE(adopted);
  CHECK(adopted->id == existing.id);  // same account, not a new one
  CHECK(adopted->state.external_id == "okta-7");
  CHECK(adopted->state.given_name == "Olga");
  CHECK(adopted->managed_by_name == "acme");

  auto raw = f.db.raw();
  CHECK(count(*raw, "SELECT COUNT(*) FROM applied_actions WHERE run_id = " + std::to_string(run)) == 3);
  CHECK(count(*raw, "SELECT COUNT(*) FROM mail_outbox") == 1);
  auto mail = f.store->due_mail(100, 10);
  REQUIRE(mail.size() == 1);
  CHECK(mail[0].email == "new2@other.example");
  auto history = f.store->audit_for_account(existing.id);
  REQUIRE(history.size() == 1);
  CHECK(history[0].action == "adopt");
  CHECK(history[0].before_json.find("\"managed_by\":null") != std::string::npos);
  CHECK(history[0].after_json.find("\"external_id\":\"okta-7\"") != std::string::npos);
  auto run_rec = f.store->find_run(run);
  CHECK(run_rec->outcome == "ok");
  CHECK(f.store->find_team("acme")->last_success_at == 6);
}

TEST_CASE("apply_plan is all or nothing", "[store][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Fixture f(backend);
  f.store->add_account({"taken@acme.example", true, "", "", std::nullopt}, 1);
  Plan plan;
  plan.team = "acme";
  plan.team_id = f.team.id;
  for (int i = 0; i < 50; ++i) plan.actions.push_back(create("u" + std::to_string(i) + "@acme.example", f.team.id, false));
  plan.actions.push_back(create("taken@acme.example", f.team.id, true));  // violates the unique email
  int64_t run = f.store->start_run(f.team.id, RunTrigger::manual, RunMode::apply, "test", "w", 5);
  CHECK_THROWS_AS(f.store->apply_plan(run, plan, "{}", "{}", 6), Error);
  auto raw = f.db.raw();
  CHECK(count(*raw, "SELECT COUNT(*) FROM accounts") == 1);
  CHECK(count(*raw, "SELECT COUNT(*) FROM applied_actions WHERE action = 'create'") == 0);
  CHECK(count(*raw, "SELECT COUNT(*) FROM mail_outbox") == 0);
  CHECK(count(*raw, "SELECT COUNT(*) FROM team_members") == 0);
  CHECK_FALSE(f.store->find_team("acme")->last_success_at);
}

TEST_CASE("verifying an account completes a pending adoption", "[store][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Fixture f(backend);
  auto acc = f.store->add_account({"pend@else.example", false, "", "", std::nullopt}, 1);
  Plan plan;
  plan.team = "acme";
  plan.team_id = f.team.id;
  Action a;
  a.kind = ActionKind::adopt_pending;
  a.email = acc.state.email;
  a.account_id = acc.id;
  a.before = acc.state;
  a.after = acc.state;
  a.after->pending_team = f.team.id;
  a.after->external_id = "x9";
  a.after->team_member = true;
  a.verification_email = true;
  plan.actions.push_back(a);
  int64_t run = f.store->start_run(f.team.id, RunTrigger::manual, RunMode::apply, "test", "w", 5);
  f.store->apply_plan(run, plan, "{}", "{}", 6);
  CHECK(f.store->find_account("pend@else.example")->managed_by_name.empty());
  f.store->mark_verified(acc.id, "link", 7);
  auto after = f.store->find_account("pend@else.example");
  CHECK(after->state.verified);
  CHECK(after->managed_by_name == "acme");
  CHECK(after->state.link_epoch == 1);
  CHECK_FALSE(after->state.pending_team);
}

TEST_CASE("outbox: failures retry, park, and sent is final", "[store][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Fixture f(backend);
  Plan plan;
  plan.team = "acme";
  plan.team_id = f.team.id;
  plan.actions.push_back(create("a@x.example", f.team.id, false));
  plan.actions.push_back(create("b@x.example", f.team.id, false));
  int64_t run = f.store->start_run(f.team.id, RunTrigger::manual, RunMode::apply, "test", "w", 5);
  f.store->apply_plan(run, plan, "{}", "{}", 6);
  auto due = f.store->due_mail(10, 10);
  REQUIRE(due.size() == 2);
  f.store->mark_mail_sent(due[0].id, 10);
  f.store->mark_mail_failed(due[1].id, "421 try later", 100, false);
  CHECK(f.store->due_mail(50, 10).empty());       // retry not due yet
  CHECK(f.store->due_mail(100, 10).size() == 1);  // due again at its time
  f.store->mark_mail_failed(due[1].id, "550 no such user", 0, true);
  CHECK(f.store->due_mail(1000, 10).empty());
  auto parked = f.store->list_mail("parked");
  REQUIRE(parked.size() == 1);
  CHECK(parked[0].last_error == "550 no such user");
  CHECK(parked[0].attempts == 2);
  CHECK(f.store->list_mail("sent").size() == 1);
}
