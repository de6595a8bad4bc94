#include <catch2/catch.hpp>

#include "jumpsync/core/errors.h"
#include "jumpsync/core/fingerprint.h"
#include "jumpsync/core/planner.h"
#include "jumpsync/core/plan_format.h"
#include "support.h"

using namespace jumpsync;
using namespace jumpsync::testing;

namespace {

// A plan with every interesting shape: create, update, conflict, deactivate,
// blocked, unmanaged, nasty names.
Plan sample_plan() {
  JumpAccount hand = plain_account(20, "carol@acme.example", true);
  hand.state.team_member = true;
  JumpSnapshot jump{{managed_account(10, "ann@acme.example", "u1"),
                     managed_account(11, "bob@acme.example", "u2"), hand}};
  IdpSnapshot idp{{idp_user("u1", "ann@acme.example", true, "Ann, \"The\" Boss", "Lee\nSmith"),
                   idp_user("u3", "dora@bücher.example", true, "Dóra", "Tab\there"),
                   idp_user("u4", "broken\x01@acme.example")}};
  Policy policy = make_policy();
  policy.guard.percent_floor = 0;  // bob's deactivation (1 of 2) blocks
  return plan(idp, jump, policy);
}

}  // namespace

TEST_CASE("action names round-trip", "[unit][format]") {
  for (ActionKind k : all_action_kinds()) CHECK(parse_action_name(action_name(k)) == k);
  CHECK(action_name(ActionKind::adopt_pending) == "adopt-pending");
  CHECK_FALSE(parse_action_name("delete"));
}

TEST_CASE("JSON round trip is exact", "[unit][format]") {
  Plan p = sample_plan();
  REQUIRE(p.blocked);
  std::string json = render_json(p);
  Plan back = parse_plan_json(json);
  CHECK(back == p);
  CHECK(render_json(back) == json);
}

TEST_CASE("JSON has the SPEC §8 keys and escapes strings", "[unit][format]") {
  Plan p = sample_plan();
  std::string json = render_json(p);
  for (const char* key : {"\"team\": ", "\"fingerprint\": ", "\"blocked\": ", "\"block_reason\": ",
                          "\"summary\": ", "\"actions\": ", "\"unmanaged\": ", "\"adopt-pending\": ",
                          "\"verification_email\": "}) {
    CHECK(json.find(key) != std::string::npos);
  }
  CHECK(json.find("Lee\\nSmith") != std::string::npos);
  CHECK(json.find("\\\"The\\\"") != std::string::npos);
  CHECK(json.find("\\u0001") != std::string::npos);
  CHECK(json.find("Dóra") != std::string::npos);  // UTF-8 passes through
  CHECK(json_quote("a\\b") == "\"a\\\\b\"");
}

TEST_CASE("JSON of an unblocked plan has a null block_reason", "[unit][format]") {
  Plan p = plan(IdpSnapshot{{idp_user("u1", "ann@acme.example")}}, {}, make_policy());
  REQUIRE_FALSE(p.blocked);
  CHECK(render_json(p).find("\"block_reason\": null") != std::string::npos);
  CHECK(parse_plan_json(render_json(p)) == p);
}

TEST_CASE("malformed plan JSON is a usage error naming the problem", "[unit][format]") {
  std::string good = render_json(sample_plan());
  auto usage_message = [](const std::string& text) {
    try {
      parse_plan_json(text);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::usage);
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(usage_message("{not json").find("malformed plan") != std::string::npos);
  CHECK(usage_message("[]").find("not an object") != std::string::npos);
  std::string bad_kind = good;
  bad_kind.replace(bad_kind.find("\"action\": \"") + 11, 6, "delete");
  CHECK(usage_message(bad_kind).find("unknown action") != std::string::npos);
  std::string no_team = good;
  no_team.replace(no_team.find("\"team\""), 6, "\"tame\"");
  CHECK(usage_message(no_team).find("\"team\"") != std::string::npos);
}

TEST_CASE("CSV round trip keeps nasty names", "[unit][format]") {
  Plan p = sample_plan();
  auto rows = parse_csv(render_csv(p));
  REQUIRE(rows.size() == p.actions.size() + 1);
  CHECK(rows[0] == std::vector<std::string>{"action", "email", "external_id", "given_name",
                                            "family_name", "verification_email", "reason"});
  for (std::size_t i = 0; i < p.actions.size(); ++i) {
    const Action& a = p.actions[i];
    CHECK(rows[i + 1] == std::vector<std::string>{action_name(a.kind), a.email, a.external_id,
                                                  a.given_name, a.family_name,
                                                  a.verification_email ? "true" : "false", a.reason});
  }
}

TEST_CASE("parse_csv follows RFC 4180", "[unit][format]") {
  auto rows = parse_csv("a,\"b,c\",\"d\"\"e\"\n\"multi\r\nline\",,\r\nlast");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<std::string>{"a", "b,c", "d\"e"});
  CHECK(rows[1] == std::vector<std::string>{"multi\r\nline", "", ""});
  CHECK(rows[2] == std::vector<std::string>{"last"});
  CHECK_THROWS_AS(parse_csv("\"open"), Error);
  CHECK_THROWS_AS(parse_csv("\"a\"b,c"), Error);
}

TEST_CASE("text rendering puts the blocked banner first", "[unit][format]") {
  Plan p = sample_plan();
  std::string text = render_text(p);
  REQUIRE(p.blocked);
  CHECK(text.rfind("BLOCKED", 0) == 0);
  CHECK(text.find(p.block_reason) != std::string::npos);
  CHECK(text.find("carol@acme.example") != std::string::npos);  // unmanaged listed
  Plan ok = plan(IdpSnapshot{{idp_user("u1", "ann@acme.example")}}, {}, make_policy());
  CHECK(render_text(ok).find("BLOCKED") == std::string::npos);
}

TEST_CASE("summarize has all ten keys", "[unit][format]") {
  auto s = summarize(sample_plan());
  CHECK(s.size() == 10);
  CHECK(s.count("unmanaged") == 1);
  CHECK(s["deactivate"] == 1);
  CHECK(s["conflict"] == 1);
  CHECK(s["create"] == 1);
  CHECK(s["update"] == 1);
}

TEST_CASE("sha256 and fingerprint match recorded values", "[unit][format]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string long_text;
  for (int i = 0; i < 100000; ++i) long_text += static_cast<char>('a' + i % 26);
  for (std::size_t cut : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 127u, 128u, 1000u}) {
    CAPTURE(cut);
    CHECK(sha256_hex(std::string_view(long_text).substr(0, long_text.size() - cut)).size() == 64);
  }
  CHECK(sha256_hex(long_text) == "bc634ceb27746878af610424e3afd5024f31e06f1f3479deda6cb33a21258bf7");
  JumpSnapshot jump;
  for (int i = 0; i < 300; ++i) {
    JumpAccount a = i % 3 == 0 ? plain_account(1000 - i, "p" + std::to_string(i) + "@bücher.example", i % 2)
                               : managed_account(1000 - i, "m" + std::to_string(i) + "@acme.example",
                                                 "u" + std::to_string(i), 1 + i % 2);
    if (i % 5 == 0) a.state.pending_team = kOtherTeam;
    if (i % 7 == 0) a.state.status = AccountStatus::deactivated;
    a.state.given_name = std::string(static_cast<std::size_t>(i % 70), 'g');
    jump.accounts.push_back(a);
  }
  Policy policy = make_policy(2);
  policy.domain_verification = true;
  policy.verified_domains = {"b.example", "a.example"};
  CHECK(fingerprint(jump, policy) == "1e36b51039876226ec61fe46d2236f6de7766df0c3f8f3d46d0e8de39220dca6");
}
