#include <catch2/catch.hpp>

#include "jumpsync/core/guard.h"
#include "jumpsync/core/planner.h"
#include "support.h"

using namespace jumpsync;
using namespace jumpsync::testing;

namespace {

// `managed` active managed accounts; the IdP keeps the first `kept` of them.
struct Team {
  IdpSnapshot idp;
  JumpSnapshot jump;
};

Team team_of(int managed, int kept) {
  Team t;
  for (int i = 0; i < managed; ++i) {
    std::string id = "u";
    id += std::to_string(i);
    std::string email = "user";
    email += std::to_string(i);
    email += "@acme.example";
    t.jump.accounts.push_back(managed_account(100 + i, email, id));
    if (i < kept) t.idp.users.push_back(idp_user(id, email));
  }
  return t;
}

Plan plan_for(int managed, int kept, const Policy& policy) {
  Team t = team_of(managed, kept);
  return plan(t.idp, t.jump, policy);
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("guard: under every threshold is not blocked", "[unit][guard]") {
  Plan p = plan_for(50, 45, make_policy());  // 5 of 50: at the floor, 10%
  CHECK(count_deactivations(p) == 5);
  CHECK_FALSE(p.blocked);
  CHECK(p.block_reason.empty());
}

TEST_CASE("guard: percentage threshold blocks and says how to confirm", "[unit][guard]") {
  Plan p = plan_for(50, 10, make_policy());  // 40 of 50 = 80%
  CHECK(p.blocked);
  CHECK(has(p.block_reason, "40 of 50"));
  CHECK(has(p.block_reason, "80% > 20%"));
  CHECK(has(p.block_reason, "--allow-deactivations 40"));
  CHECK(has(p.block_reason, "--team acme"));
  CHECK(has(p.block_reason, "apply --plan"));
}

TEST_CASE("guard: percent floor lets small teams lose a few", "[unit][guard]") {
  CHECK_FALSE(plan_for(10, 7, make_policy()).blocked);  // 3 of 10 = 30%, but 3 <= floor 5
  CHECK(plan_for(20, 14, make_policy()).blocked);        // 6 of 20 = 30% and 6 > 5
}

TEST_CASE("guard: absolute threshold", "[unit][guard]") {
  Policy policy = make_policy();
  policy.guard.max_count = 3;
  policy.guard.max_percent = 100;
  Plan p = plan_for(100, 96, policy);
  CHECK(p.blocked);
  CHECK(has(p.block_reason, "limit of 3"));
  CHECK_FALSE(plan_for(100, 97, policy).blocked);
}

TEST_CASE("guard: deactivating every managed account is blocked", "[unit][guard]") {
  Policy generous = make_policy();
  generous.guard.max_count = 1000;
  generous.guard.max_percent = 100;
  Plan p = plan_for(2, 0, generous);
  CHECK(p.blocked);
  CHECK(has(p.block_reason, "every managed account"));
}

TEST_CASE("guard: an empty IdP list is always blocked", "[unit][guard]") {
  Policy generous = make_policy();
  generous.guard.max_count = 1000;
  generous.guard.max_percent = 100;
  generous.guard.percent_floor = 1000;
  Plan p = plan_for(1, 0, generous);
  CHECK(p.blocked);
  CHECK(has(p.block_reason, "IdP list is empty"));
}

TEST_CASE("guard: --allow-deactivations must match the count exactly", "[unit][guard]") {
  Policy policy = make_policy();
  policy.allow_deactivations = 40;
  Plan exact = plan_for(50, 10, policy);
  CHECK_FALSE(exact.blocked);
  CHECK(count_deactivations(exact) == 40);

  policy.allow_deactivations = 39;
  Plan mismatch = plan_for(50, 10, policy);
  CHECK(mismatch.blocked);
  CHECK(has(mismatch.block_reason, "39 does not match the 40"));

  policy.allow_deactivations = 2;  // everyone gone (SPEC §2.6): confirmable
  CHECK_FALSE(plan_for(2, 0, policy).blocked);
}

TEST_CASE("guard: relink that deactivates counts", "[unit][guard]") {
  JumpSnapshot jump{{managed_account(10, "ann@acme.example", "u1", 1)}};
  IdpSnapshot idp{{idp_user("u1", "ann@acme.example", false)}};
  Plan p = plan(idp, jump, make_policy(2));
  REQUIRE(p.actions.size() == 1);
  CHECK(p.actions[0].kind == ActionKind::relink);
  CHECK(count_deactivations(p) == 1);
  CHECK(p.blocked);  // the only managed account
}
