#include "jumpsync/core/guard.h"

#include <cstdio>
#include <string>

namespace jumpsync {
namespace {

bool turns_deactivated(const Action& a) {
  // view(): no AccountState is materialised for a packed state.
  if (!a.after || a.after.view().status != AccountStatus::deactivated) return false;
  if (a.kind == ActionKind::deactivate) return true;
  return a.kind == ActionKind::relink && a.before && a.before.view().status == AccountStatus::active;
}

int64_t count_managed(const Plan& plan, const JumpSnapshot& jump, const Policy& policy) {
  int64_t managed = 0;
  for (const JumpAccount& acc : jump.accounts) {
    const AccountState& s = acc.state;
    if (s.managed_by == policy.team_id && s.link_epoch >= policy.scim_epoch &&
        s.status == AccountStatus::active) {
      ++managed;
    }
  }
  for (const Action& a : plan.actions) {
    if (a.kind == ActionKind::relink && a.before && a.before.view().status == AccountStatus::active) ++managed;
  }
  return managed;
}

std::string percent(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  std::string s(buf);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + "%";
}

// The threshold the plan crosses, or "" when none.
std::string threshold_hit(int64_t count, int64_t managed, const GuardThresholds& g, bool idp_empty) {
  std::string of = std::to_string(count) + " of " + std::to_string(managed) + " managed accounts";
  if (count > 0 && count >= managed) {
    std::string why = "would deactivate every managed account (" + of + ")";
    return idp_empty ? why + ": the IdP list is empty" : why;
  }
  if (count > g.max_count) {
    return "would deactivate " + of + " (more than the limit of " + std::to_string(g.max_count) + ")";
  }
  double pct = managed > 0 ? 100.0 * static_cast<double>(count) / static_cast<double>(managed) : 0.0;
  if (count > g.percent_floor && pct > g.max_percent) {
    return "would deactivate " + of + " (" + percent(pct) + " > " + percent(g.max_percent) + ")";
  }
  return "";
}

}  // namespace

int64_t count_deactivations(const Plan& plan) {
  int64_t n = 0;
  for (const Action& a : plan.actions) n += turns_deactivated(a) ? 1 : 0;
  return n;
}

void apply_deactivation_guard(Plan& plan, const JumpSnapshot& jump, const Policy& policy,
                              bool idp_list_empty) {
  plan.blocked = false;
  plan.block_reason.clear();
  int64_t count = count_deactivations(plan);
  if (count == 0) return;
  int64_t managed = count_managed(plan, jump, policy);
  std::string hit = threshold_hit(count, managed, policy.guard, idp_list_empty);
  if (hit.empty()) return;
  if (policy.allow_deactivations == count) return;
  std::string n = std::to_string(count);
  std::string reason;
  if (policy.allow_deactivations) {
    reason = "--allow-deactivations " + std::to_string(*policy.allow_deactivations) +
             " does not match the " + n + " planned deactivations; ";
  }
  reason += hit + "; review the plan, then confirm with `jumpsync apply --team " + policy.team_name +
            " --allow-deactivations " + n +
            "`, or apply a reviewed saved plan with `jumpsync apply --plan FILE`";
  plan.blocked = true;
  plan.block_reason = std::move(reason);
}

}  // namespace jumpsync
