#include "support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace jumpsync::testing {

Policy make_policy(int64_t epoch) {
  Policy p;
  p.team_id = kTeam;
  p.team_name = "acme";
  p.scim_epoch = epoch;
  return p;
}

IdpUser idp_user(std::string id, std::string email, bool active, std::string given,
                 std::string family) {
  return IdpUser{std::move(id), std::move(email), std::move(given), std::move(family), active};
}

JumpAccount managed_account(int64_t account_id, std::string email, std::string id, int64_t epoch) {
  JumpAccount a;
  a.id = account_id;
  a.state.email = std::move(email);
  a.state.given_name = "Ann";
  a.state.family_name = "Lee";
  a.state.verified = true;
  a.state.managed_by = kTeam;
  a.state.external_id = std::move(id);
  a.state.link_epoch = epoch;
  a.state.team_member = true;
  return a;
}

JumpAccount plain_account(int64_t account_id, std::string email, bool verified) {
  JumpAccount a;
  a.id = account_id;
  a.state.email = std::move(email);
  a.state.given_name = "Ann";
  a.state.family_name = "Lee";
  a.state.verified = verified;
  return a;
}

bool apply_in_memory(const Plan& plan, JumpSnapshot& jump, std::string* error) {
  std::unordered_map<int64_t, std::size_t> by_id;
  int64_t next_id = 1;
  for (std::size_t i = 0; i < jump.accounts.size(); ++i) {
    by_id[jump.accounts[i].id] = i;
    next_id = std::max(next_id, jump.accounts[i].id + 1);
  }
  for (const Action& a : plan.actions) {
    if (!a.after) continue;
    if (!a.account_id) {
      jump.accounts.push_back(JumpAccount{next_id++, *a.after});
      continue;
    }
    auto it = by_id.find(*a.account_id);
    if (it == by_id.end()) {
      *error = "action for unknown account " + std::to_string(*a.account_id);
      return false;
    }
    jump.accounts[it->second].state = *a.after;
  }
  std::unordered_set<std::string> emails;
  for (const JumpAccount& acc : jump.accounts) {
    if (!emails.insert(acc.state.email).second) {
      *error = "two accounts end with email " + acc.state.email;
      return false;
    }
  }
  return true;
}

const Action& only_action_for(const Plan& plan, const std::string& email) {
  auto n = std::count_if(plan.actions.begin(), plan.actions.end(),
                         [&](const Action& a) { return a.email == email; });
  INFO("actions for " << email);
  REQUIRE(n == 1);
  return *std::find_if(plan.actions.begin(), plan.actions.end(),
                       [&](const Action& a) { return a.email == email; });
}

}  // namespace jumpsync::testing
