// Internal to the planner (src/core/planner*.cc): the indexes built once per
// plan and the per-user decision entry point. Not a public API.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jumpsync/core/email.h"
#include "jumpsync/core/model.h"

namespace jumpsync::detail {

// Keys are views into the snapshots and `normalized`, which outlive the map.
using IndexMap = std::unordered_map<std::string_view, uint32_t>;

struct PlannerContext {
  const IdpSnapshot& idp;
  const JumpSnapshot& jump;
  const Policy& policy;
  std::vector<NormalizedEmail> normalized;  // one per IdP user
  IndexMap account_by_email;                // normalised email -> account index
  IndexMap account_by_link;                 // this team's external_id -> account index
  IndexMap idp_email_count;                 // normalised email -> IdP users with it
  IndexMap idp_id_count;                    // non-empty external_id -> IdP users with it
  std::vector<std::string> verified_domains;  // sorted; empty when verification is off

  PlannerContext(const IdpSnapshot& i, const JumpSnapshot& j, const Policy& p)
      : idp(i), jump(j), policy(p) {}

  const JumpAccount* find_email(std::string_view email) const;
  const JumpAccount* find_link(std::string_view external_id) const;
  uint32_t email_count(std::string_view email) const;
  uint32_t id_count(std::string_view external_id) const;
  bool domain_verified(const std::string& email) const;
};

// Builds every index of `ctx` (normalises all IdP emails).
void build_indexes(PlannerContext& ctx);

// The action for IdP user `index`. Marks every account the user mentions
// (by link or by email) in `claimed` so it is never treated as absent.
Action decide_user(const PlannerContext& ctx, std::size_t index, std::vector<char>& claimed);

}  // namespace jumpsync::detail
