// plan(): builds the indexes, decides one action per IdP user, then handles
// the accounts no IdP user mentioned, sorts, fingerprints and guards.
#include "jumpsync/core/planner.h"

#include <algorithm>
#include <tuple>

#include "jumpsync/core/detail/planner_context.h"
#include "jumpsync/core/fingerprint.h"
#include "jumpsync/core/guard.h"

namespace jumpsync {
namespace {

Action absent_deactivation(const JumpAccount& acc) {
  Action a;
  a.kind = ActionKind::deactivate;
  a.email = acc.state.email;
  a.given_name = acc.state.given_name;
  a.family_name = acc.state.family_name;
  a.account_id = acc.id;
  a.before = acc.state;
  a.after = acc.state;
  a.after->status = AccountStatus::deactivated;
  a.reason = "no longer assigned in the IdP";
  return a;
}

// Why an unmatched team member is left alone; "" when it is not listed.
std::string unmanaged_reason(const AccountState& s, const Policy& policy) {
  if (s.managed_by == policy.team_id) return "linked in an earlier SCIM epoch; not assigned in the IdP now";
  if (!s.team_member) return "";
  if (s.managed_by) {
    return "team member managed by another team's SCIM (team " + std::to_string(*s.managed_by) +
           "); not in the IdP";
  }
  if (s.pending_team == policy.team_id) return "awaiting email verification; no longer assigned in the IdP";
  return "team member not managed by SCIM (invited by hand); not in the IdP";
}

void plan_absent(const detail::PlannerContext& ctx, const std::vector<char>& claimed, Plan& out) {
  const auto& accounts = ctx.jump.accounts;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    if (claimed[i]) continue;
    const AccountState& s = accounts[i].state;
    bool current = s.managed_by == ctx.policy.team_id && s.link_epoch >= ctx.policy.scim_epoch;
    if (current) {
      if (s.status == AccountStatus::active) out.actions.push_back(absent_deactivation(accounts[i]));
      continue;
    }
    std::string why = unmanaged_reason(s, ctx.policy);
    if (!why.empty()) out.unmanaged.push_back(UnmanagedMember{accounts[i].id, s.email, std::move(why)});
  }
}

void sort_plan(Plan& out) {
  auto key = [](const Action& a) {
    return std::tie(a.kind, a.email, a.external_id, a.given_name, a.family_name, a.account_id, a.reason);
  };
  std::sort(out.actions.begin(), out.actions.end(),
            [&](const Action& x, const Action& y) { return key(x) < key(y); });
  std::sort(out.unmanaged.begin(), out.unmanaged.end(), [](const auto& x, const auto& y) {
    return std::tie(x.email, x.account_id) < std::tie(y.email, y.account_id);
  });
}

}  // namespace

Plan plan_without_fingerprint(const IdpSnapshot& idp, const JumpSnapshot& jump, const Policy& policy) {
  detail::PlannerContext ctx(idp, jump, policy);
  detail::build_indexes(ctx);
  Plan out;
  out.team = policy.team_name;
  out.team_id = policy.team_id;
  out.scim_epoch = policy.scim_epoch;
  out.actions.reserve(idp.users.size() + jump.accounts.size() / 8);
  std::vector<char> claimed(jump.accounts.size(), 0);
  for (std::size_t i = 0; i < idp.users.size(); ++i) {
    out.actions.push_back(detail::decide_user(ctx, i, claimed));
  }
  plan_absent(ctx, claimed, out);
  sort_plan(out);
  apply_deactivation_guard(out, jump, policy, idp.users.empty());
  return out;
}

Plan plan(const IdpSnapshot& idp, const JumpSnapshot& jump, const Policy& policy) {
  Plan out = plan_without_fingerprint(idp, jump, policy);
  out.fingerprint = fingerprint(jump, policy);
  return out;
}

}  // namespace jumpsync
