// Text (8-byte strings of Actions) and packed OptionalState: the value
// semantics callers rely on.
#include <catch2/catch.hpp>

#include <sstream>
#include <thread>

#include "jumpsync/core/model.h"

using namespace jumpsync;

TEST_CASE("Text holds inline, owned and arena strings like a std::string", "[unit][text]") {
  TextArena arena;
  for (const std::string& s : std::vector<std::string>{"", "a", "1234567", "12345678", "ann.lee@acme.example",
                                                      std::string(300, 'x'), std::string("nul\0inside", 10)}) {
    CAPTURE(s);
    Text owned(s);
    Text borrowed = arena.add(s);
    CHECK(owned.size() == s.size());
    CHECK(owned == s);
    CHECK(borrowed == s);
    CHECK(std::string(borrowed) == s);
    CHECK(std::string_view(owned) == std::string_view(s));
    CHECK(owned.empty() == s.empty());
    Text copy = borrowed;  // deep
    CHECK(copy == s);
    Text moved = std::move(copy);
    CHECK(moved == s);
    CHECK(copy.empty());
    Text assigned;
    assigned = owned;
    CHECK(assigned == owned);
    CHECK((owned <=> borrowed) == std::strong_ordering::equal);
  }
  Text t = "ann@acme.example";
  CHECK(t + " now exists" == "ann@acme.example now exists");
  CHECK("to " + t == "to ann@acme.example");
  CHECK(std::string("x") + t == "xann@acme.example");
  CHECK(t.find("acme") == 4);
  CHECK(t.find("zzz") == std::string::npos);
  CHECK(Text("abc") < Text("abd"));
  CHECK(Text("ab") < Text("abc"));
  std::ostringstream os;
  os << t;
  CHECK(os.str() == "ann@acme.example");
}

TEST_CASE("a copied Action does not borrow from the plan's arena", "[unit][text]") {
  Action copy;
  {
    TextArena arena;
    Action a;
    a.email = arena.add("someone.with.a.long.address@acme.example");
    a.reason = arena.add("no longer assigned in the IdP");
    copy = a;
  }
  CHECK(copy.email == "someone.with.a.long.address@acme.example");
  CHECK(copy.reason == "no longer assigned in the IdP");
}

TEST_CASE("a packed OptionalState reads, compares and copies like an owned one", "[unit][text]") {
  TextArena arena;
  AccountState s;
  s.email = "ann.lee@acme.example";
  s.given_name = "Ann";
  s.family_name = "Lee-Fitzgerald";
  s.verified = true;
  s.status = AccountStatus::deactivated;
  s.managed_by = 7;
  s.external_id = "00u0000001";
  s.link_epoch = 3;
  s.pending_team = 9;
  s.team_member = true;
  PackedState p;
  p.email = arena.add(s.email);
  p.given_name = arena.add(s.given_name);
  p.family_name = arena.add(s.family_name);
  p.external_id = arena.add(s.external_id);
  p.link_epoch = 3;
  p.managed_by = 7;
  p.pending_team = 9;
  p.flags = PackedState::kVerified | PackedState::kManaged | PackedState::kPending | PackedState::kMember;
  OptionalState packed = OptionalState::packed(arena.make(std::move(p)));
  OptionalState owned = s;
  CHECK(packed.has_value());
  CHECK(packed.view() == owned.view());
  CHECK(packed == owned);
  OptionalState copy = packed;  // deep, owned
  CHECK(copy == owned);
  // Dereferencing from several threads at once materialises one state.
  const AccountState* seen[4] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&, i] { seen[i] = &*std::as_const(packed); });
  for (auto& t : threads) t.join();
  for (const AccountState* p2 : seen) CHECK(p2 == seen[0]);
  CHECK(*seen[0] == s);
  packed->given_name = "Anne";  // a materialised state is an ordinary one
  CHECK(packed.view().given_name == "Anne");
  CHECK_FALSE(packed == owned);
  packed.reset();
  CHECK_FALSE(packed);
  CHECK(packed == OptionalState());
}
