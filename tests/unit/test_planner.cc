// One case per SPEC §3 row and per conflict kind: small snapshots in, the
// decisive facts about the resulting action out.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

#include "jumpsync/core/planner.h"
#include "jumpsync/core/plan_format.h"
#include "support.h"

using namespace jumpsync;
using namespace jumpsync::testing;

namespace {

struct Row {
  const char* name;
  Policy policy;
  std::vector<IdpUser> idp;
  std::vector<JumpAccount> jump;
  std::string email;  // the action to look at
  ActionKind kind;
  bool verification_email;
  std::function<void(const Action&)> check;  // extra facts (may be empty)
};

Policy verified_domain_policy() {
  Policy p = make_policy();
  p.domain_verification = true;
  p.verified_domains = {"acme.example"};
  return p;
}

JumpAccount with(JumpAccount a, const std::function<void(AccountState&)>& edit) {
  edit(a.state);
  return a;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

std::vector<Row> rows() {
  auto deactivated = [](AccountState& s) { s.status = AccountStatus::deactivated; };
  return {
      {"create, verified domain: verified, no email", verified_domain_policy(),
       {idp_user("u1", "Ann@Acme.Example")}, {}, "ann@acme.example", ActionKind::create, false,
       [](const Action& a) {
         REQUIRE(a.after);
         CHECK(a.after->verified);
         CHECK(a.after->managed_by == kTeam);
         CHECK(a.after->external_id == "u1");
         CHECK(a.after->link_epoch == 1);
         CHECK(a.after->team_member);
         CHECK_FALSE(a.account_id);
         CHECK_FALSE(a.before);
       }},
      {"create, unverified domain: verification email", verified_domain_policy(),
       {idp_user("u1", "ann@other.example")}, {}, "ann@other.example", ActionKind::create, true,
       [](const Action& a) { CHECK_FALSE(a.after->verified); }},
      {"create, domain verification off: email even for a listed domain",
       [] { Policy p = verified_domain_policy(); p.domain_verification = false; return p; }(),
       {idp_user("u1", "ann@acme.example")}, {}, "ann@acme.example", ActionKind::create, true, {}},
      {"adopt a verified unmanaged account", make_policy(),
       {idp_user("u1", "ann@acme.example", true, "Anne", "Lee")},
       {plain_account(10, "ann@acme.example", true)}, "ann@acme.example", ActionKind::adopt, false,
       [](const Action& a) {
         CHECK(a.account_id == 10);
         CHECK(a.after->managed_by == kTeam);
         CHECK(a.after->given_name == "Anne");
         CHECK(a.before->managed_by == std::nullopt);
       }},
      {"adopt a deactivated verified account reactivates it", make_policy(),
       {idp_user("u1", "ann@acme.example")},
       {with(plain_account(10, "ann@acme.example", true), deactivated)}, "ann@acme.example",
       ActionKind::adopt, false,
       [](const Action& a) {
         CHECK(a.after->status == AccountStatus::active);
         CHECK(contains(a.reason, "reactivated"));
       }},
      {"adopt-pending an unverified account", make_policy(), {idp_user("u1", "ann@acme.example")},
       {plain_account(10, "ann@acme.example", false)}, "ann@acme.example",
       ActionKind::adopt_pending, true,
       [](const Action& a) {
         CHECK(a.after->pending_team == kTeam);
         CHECK(a.after->managed_by == std::nullopt);
         CHECK(a.after->external_id == "u1");
         CHECK_FALSE(a.after->verified);
       }},
      {"unverified account on a verified domain is adopted directly", verified_domain_policy(),
       {idp_user("u1", "ann@acme.example")}, {plain_account(10, "ann@acme.example", false)},
       "ann@acme.example", ActionKind::adopt, false,
       [](const Action& a) {
         CHECK(a.after->verified);
         CHECK(contains(a.reason, "domain"));
       }},
      {"pending for this team already: noop, no second email", make_policy(),
       {idp_user("u1", "ann@acme.example")},
       {with(plain_account(10, "ann@acme.example", false), [](AccountState& s) {
         s.pending_team = kTeam;
         s.external_id = "u1";
       })},
       "ann@acme.example", ActionKind::noop, false,
       [](const Action& a) { CHECK(contains(a.reason, "awaiting email verification")); }},
      {"account managed by another team: conflict", make_policy(), {idp_user("u1", "ann@acme.example")},
       {with(managed_account(10, "ann@acme.example", "x9"), [](AccountState& s) { s.managed_by = kOtherTeam; })},
       "ann@acme.example", ActionKind::conflict, false,
       [](const Action& a) {
         CHECK_FALSE(a.after);
         CHECK(contains(a.reason, "another team"));
       }},
      {"relink after SCIM re-enabled (matched by email, new IdP id)", make_policy(2),
       {idp_user("new-id", "ann@acme.example")}, {managed_account(10, "ann@acme.example", "old-id", 1)},
       "ann@acme.example", ActionKind::relink, false,
       [](const Action& a) {
         CHECK(a.after->link_epoch == 2);
         CHECK(a.after->external_id == "new-id");
         CHECK(a.after->status == AccountStatus::active);
       }},
      {"relink reactivates when the IdP says active", make_policy(2), {idp_user("u1", "ann@acme.example")},
       {with(managed_account(10, "ann@acme.example", "u1", 1), deactivated)}, "ann@acme.example",
       ActionKind::relink, false,
       [](const Action& a) {
         CHECK(a.after->status == AccountStatus::active);
         CHECK(contains(a.reason, "relinked and reactivated"));
       }},
      {"relink of an IdP-inactive user deactivates", make_policy(2),
       {idp_user("u1", "ann@acme.example", false)}, {managed_account(10, "ann@acme.example", "u1", 1)},
       "ann@acme.example", ActionKind::relink, false,
       [](const Action& a) {
         CHECK(a.after->status == AccountStatus::deactivated);
         CHECK(a.after->link_epoch == 2);
         CHECK(contains(a.reason, "deactivated"));
       }},
      {"reactivate a managed account deactivated in Jump", make_policy(),
       {idp_user("u1", "ann@acme.example", true, "Anna", "Lee")},
       {with(managed_account(10, "ann@acme.example", "u1"), deactivated)}, "ann@acme.example",
       ActionKind::reactivate, false,
       [](const Action& a) {
         CHECK(a.after->status == AccountStatus::active);
         CHECK(a.after->given_name == "Anna");
       }},
      {"email change with the same IdP id: update", make_policy(),
       {idp_user("u1", "ann.lee@acme.example")}, {managed_account(10, "ann@acme.example", "u1")},
       "ann.lee@acme.example", ActionKind::update, false,
       [](const Action& a) {
         CHECK(a.account_id == 10);
         CHECK(a.before->email == "ann@acme.example");
         CHECK(a.after->email == "ann.lee@acme.example");
       }},
      {"name change: update", make_policy(), {idp_user("u1", "ann@acme.example", true, "Ann", "Smith")},
       {managed_account(10, "ann@acme.example", "u1")}, "ann@acme.example", ActionKind::update, false,
       [](const Action& a) { CHECK(a.after->family_name == "Smith"); }},
      {"email change onto another account's address: conflict", make_policy(),
       {idp_user("u1", "bob@acme.example")},
       {managed_account(10, "ann@acme.example", "u1"), plain_account(11, "bob@acme.example", true)},
       "bob@acme.example", ActionKind::conflict, false,
       [](const Action& a) {
         CHECK(a.account_id == 10);
         CHECK(contains(a.reason, "11"));
       }},
      {"inactive in the IdP: deactivate", make_policy(), {idp_user("u1", "ann@acme.example", false)},
       {managed_account(10, "ann@acme.example", "u1")}, "ann@acme.example", ActionKind::deactivate,
       false, [](const Action& a) { CHECK(a.after->status == AccountStatus::deactivated); }},
      {"absent from the IdP: deactivate", make_policy(), {idp_user("u2", "bob@acme.example")},
       {managed_account(10, "ann@acme.example", "u1"), managed_account(11, "bob@acme.example", "u2")},
       "ann@acme.example", ActionKind::deactivate, false,
       [](const Action& a) {
         CHECK(a.external_id.empty());
         CHECK(contains(a.reason, "no longer assigned"));
       }},
      {"in step: noop", make_policy(), {idp_user("u1", "ann@acme.example")},
       {managed_account(10, "ann@acme.example", "u1")}, "ann@acme.example", ActionKind::noop, false,
       [](const Action& a) { CHECK_FALSE(a.after); }},
      {"invalid email: conflict", make_policy(), {idp_user("u1", "not-an-email")}, {}, "not-an-email",
       ActionKind::conflict, false, [](const Action& a) { CHECK(contains(a.reason, "invalid email")); }},
      {"missing email: conflict", make_policy(), {idp_user("u1", "")}, {}, "", ActionKind::conflict,
       false, [](const Action& a) { CHECK(contains(a.reason, "missing")); }},
      {"email of an account linked to another IdP user: conflict", make_policy(),
       {idp_user("u1", "ann@acme.example"), idp_user("u2", "ann.new@acme.example")},
       {managed_account(10, "ann.new@acme.example", "u1")}, "ann@acme.example", ActionKind::conflict,
       false, {}},
  };
}

}  // namespace

TEST_CASE("planner: one action per SPEC §3 row", "[unit][planner]") {
  for (const Row& r : rows()) {
    INFO(r.name);
    Plan p = plan(IdpSnapshot{r.idp}, JumpSnapshot{r.jump}, r.policy);
    const Action& a = only_action_for(p, r.email);
    INFO(render_text(p));
    CHECK(action_name(a.kind) == action_name(r.kind));
    CHECK(a.verification_email == r.verification_email);
    CHECK_FALSE(a.reason.empty());
    if (r.check) r.check(a);
  }
}

TEST_CASE("planner: duplicates in the IdP list conflict on every copy", "[unit][planner]") {
  SECTION("same normalised email") {
    IdpSnapshot idp{{idp_user("u1", "ann@acme.example"), idp_user("u2", " ANN@acme.example ")}};
    Plan p = plan(idp, {}, make_policy());
    REQUIRE(p.actions.size() == 2);
    for (const Action& a : p.actions) CHECK(a.kind == ActionKind::conflict);
  }
  SECTION("same external id") {
    IdpSnapshot idp{{idp_user("u1", "ann@acme.example"), idp_user("u1", "bob@acme.example")}};
    Plan p = plan(idp, {}, make_policy());
    REQUIRE(p.actions.size() == 2);
    for (const Action& a : p.actions) {
      CHECK(a.kind == ActionKind::conflict);
      CHECK(a.reason.find("u1") != std::string::npos);
    }
  }
}

TEST_CASE("planner: a conflicting user's account is not deactivated as absent", "[unit][planner]") {
  IdpSnapshot idp{{idp_user("u1", "bad email")}};
  Plan p = plan(idp, JumpSnapshot{{managed_account(10, "ann@acme.example", "u1")}}, make_policy());
  REQUIRE(p.actions.size() == 1);
  CHECK(p.actions[0].kind == ActionKind::conflict);
  CHECK(p.actions[0].account_id == 10);
}

TEST_CASE("planner: team members SCIM does not manage are listed, not touched", "[unit][planner]") {
  JumpAccount hand = plain_account(10, "carol@acme.example", true);
  hand.state.team_member = true;
  JumpAccount old_epoch = managed_account(11, "dan@acme.example", "u9", 1);
  JumpAccount stranger = plain_account(12, "eve@else.example", true);  // not a member
  Plan p = plan(IdpSnapshot{}, JumpSnapshot{{hand, old_epoch, stranger}}, make_policy(2));
  CHECK(p.actions.empty());
  REQUIRE(p.unmanaged.size() == 2);
  CHECK(p.unmanaged[0].email == "carol@acme.example");
  CHECK(p.unmanaged[1].email == "dan@acme.example");
  CHECK(p.unmanaged[1].reason.find("earlier SCIM epoch") != std::string::npos);
  CHECK(summarize(p)["unmanaged"] == 2);
}

TEST_CASE("planner: absent accounts already deactivated get no action", "[unit][planner]") {
  JumpAccount gone = managed_account(10, "ann@acme.example", "u1");
  gone.state.status = AccountStatus::deactivated;
  Plan p = plan(IdpSnapshot{{idp_user("u2", "bob@acme.example")}}, JumpSnapshot{{gone}}, make_policy());
  REQUIRE(p.actions.size() == 1);
  CHECK(p.actions[0].kind == ActionKind::create);
  CHECK(p.unmanaged.empty());
}

TEST_CASE("planner: plan fills team, epoch and fingerprint", "[unit][planner]") {
  Plan p = plan(IdpSnapshot{}, JumpSnapshot{}, make_policy(3));
  CHECK(p.team == "acme");
  CHECK(p.team_id == kTeam);
  CHECK(p.scim_epoch == 3);
  CHECK(p.fingerprint.size() == 64);
}

// The planner joins users and accounts on the upper 32 bits of hash_key
// (detail/flat_index.h): these pairs share them, so the join must still
// compare the keys. (Found by search; see BENCHMARKS.md, planner.)
TEST_CASE("planner: keys whose hashes collide and repeated keys match exactly, in any order",
          "[unit][planner]") {
  const std::string e1 = "c12229@h.example", e2 = "c123481@h.example";  // colliding emails
  const std::string i1 = "id16419", i2 = "id62999";                      // colliding ids
  for (bool reversed : {false, true}) {
    auto order = [&](std::vector<JumpAccount> v) {
      if (reversed) std::reverse(v.begin(), v.end());
      return JumpSnapshot{v};
    };
    SECTION(std::string("both colliding keys present") + (reversed ? ", reversed" : "")) {
      IdpSnapshot idp{{idp_user(i1, e1), idp_user(i2, e2)}};
      Plan p = plan(idp, order({managed_account(10, e1, i1), managed_account(11, e2, i2)}), make_policy());
      CHECK(only_action_for(p, e1).kind == ActionKind::noop);
      CHECK(only_action_for(p, e1).account_id == 10);
      CHECK(only_action_for(p, e2).kind == ActionKind::noop);
      CHECK(only_action_for(p, e2).account_id == 11);
    }
    SECTION(std::string("only one of them is an account's") + (reversed ? ", reversed" : "")) {
      IdpSnapshot idp{{idp_user(i2, e2)}};
      Plan p = plan(idp, order({managed_account(10, e1, i1), plain_account(12, "x@h.example", true)}),
                    make_policy());
      CHECK(only_action_for(p, e2).kind == ActionKind::create);
      CHECK(only_action_for(p, e1).kind == ActionKind::deactivate);
    }
    SECTION(std::string("two accounts with one email: the lowest id") + (reversed ? ", reversed" : "")) {
      IdpSnapshot idp{{idp_user("u1", "dup@h.example")}};
      Plan p = plan(idp, order({plain_account(12, "dup@h.example", true), plain_account(11, "dup@h.example", true),
                                plain_account(13, "dup@h.example", true)}),
                    make_policy());
      CHECK(only_action_for(p, "dup@h.example").kind == ActionKind::adopt);
      CHECK(only_action_for(p, "dup@h.example").account_id == 11);
    }
    SECTION(std::string("two accounts with one link: the latest epoch") + (reversed ? ", reversed" : "")) {
      IdpSnapshot idp{{idp_user("u1", "b@h.example")}};
      Plan p = plan(idp, order({managed_account(20, "a@h.example", "u1", 1), managed_account(21, "b@h.example", "u1", 2),
                                managed_account(22, "c@h.example", "u1", 1)}),
                    make_policy(2));
      const Action& a = only_action_for(p, "b@h.example");
      CHECK(a.kind == ActionKind::noop);
      CHECK(a.account_id == 21);
    }
  }
}
