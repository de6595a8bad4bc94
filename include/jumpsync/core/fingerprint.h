// Fingerprint of the Jump state and policy a plan was made from (SPEC §4):
// `apply --plan FILE` recomputes it and refuses the plan when it differs.
//
// SHA-256 (lower-case hex, 64 chars) over the accounts sorted by id (every
// AccountState field, length-prefixed so no two states encode alike) and
// the policy fields that change decisions: team_id, scim_epoch,
// domain_verification and the sorted verified_domains. Independent of
// input order; guard thresholds and allow_deactivations are not included
// (they change blocking, not actions).
#pragma once

#include <string>
#include <string_view>

#include "jumpsync/core/model.h"

namespace jumpsync {

std::string fingerprint(const JumpSnapshot& jump, const Policy& policy);

// SHA-256 of bytes as lower-case hex (exposed for tests).
std::string sha256_hex(std::string_view bytes);

}  // namespace jumpsync
