// The deactivation guard (SPEC §4, §2.6).
//
// count   = actions that turn an active account deactivated: kind
//           deactivate, plus relinks whose after.status is deactivated
//           while before.status was active.
// managed = active accounts managed by this team in the current SCIM epoch,
//           plus active accounts that the plan relinks (they join the
//           current epoch).
// Blocked when any of:
//   - count > guard.max_count;
//   - count > guard.percent_floor and 100*count/managed > guard.max_percent;
//   - count > 0 and count >= managed ("would deactivate every managed
//     account"; an empty IdP list with active managed accounts always ends
//     here);
// unless policy.allow_deactivations equals count exactly. A confirmation
// that differs from count does not unblock, and the reason says that the
// confirmed number does not match. A plan under every threshold is not
// blocked whatever allow_deactivations says.
// block_reason names the count, the threshold hit, and both ways to
// confirm (--allow-deactivations N, or apply --plan FILE).
#pragma once

#include "jumpsync/core/model.h"

namespace jumpsync {

// Sets plan.blocked / plan.block_reason. `idp_list_empty` only sharpens
// the message.
void apply_deactivation_guard(Plan& plan, const JumpSnapshot& jump, const Policy& policy,
                              bool idp_list_empty = false);

// The number of deactivations the guard counts for this plan.
int64_t count_deactivations(const Plan& plan);

}  // namespace jumpsync
