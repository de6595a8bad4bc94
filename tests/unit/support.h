// Test support for the pure core: tiny builders for snapshots and an
// in-memory applier that carries a Plan out the way the real applier must
// (write `after` for account_id; insert a new account for create).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jumpsync/core/model.h"

namespace jumpsync::testing {

constexpr int64_t kTeam = 7;
constexpr int64_t kOtherTeam = 9;

Policy make_policy(int64_t epoch = 1);

IdpUser idp_user(std::string id, std::string email, bool active = true,
                 std::string given = "Ann", std::string family = "Lee");

// A verified, active account managed by kTeam in `epoch`, linked to `id`.
JumpAccount managed_account(int64_t account_id, std::string email, std::string id,
                            int64_t epoch = 1);

// An account not managed by any SCIM.
JumpAccount plain_account(int64_t account_id, std::string email, bool verified);

// Applies `plan` to `jump`; new accounts get ids above the current maximum.
// Returns false (and says why in *error) when the plan breaks an invariant
// the applier relies on: an unknown account id, a create over an existing
// email, or two accounts ending with one email.
bool apply_in_memory(const Plan& plan, JumpSnapshot& jump, std::string* error);

// The single action for `email` (fails the test when not exactly one).
const Action& only_action_for(const Plan& plan, const std::string& email);

}  // namespace jumpsync::testing
