// Action names and the per-kind summary shared by every rendering.
#include "jumpsync/core/plan_format.h"

namespace jumpsync {

const std::vector<ActionKind>& all_action_kinds() {
  static const std::vector<ActionKind> kinds = {
      ActionKind::create,     ActionKind::adopt,  ActionKind::adopt_pending,
      ActionKind::relink,     ActionKind::reactivate, ActionKind::update,
      ActionKind::deactivate, ActionKind::conflict,   ActionKind::noop};
  return kinds;
}

std::string action_name(ActionKind kind) {
  switch (kind) {
    case ActionKind::create: return "create";
    case ActionKind::adopt: return "adopt";
    case ActionKind::adopt_pending: return "adopt-pending";
    case ActionKind::relink: return "relink";
    case ActionKind::reactivate: return "reactivate";
    case ActionKind::update: return "update";
    case ActionKind::deactivate: return "deactivate";
    case ActionKind::conflict: return "conflict";
    case ActionKind::noop: return "noop";
  }
  return "unknown";
}

std::optional<ActionKind> parse_action_name(std::string_view name) {
  for (ActionKind k : all_action_kinds()) {
    if (action_name(k) == name) return k;
  }
  return std::nullopt;
}

std::map<std::string, int64_t> summarize(const Plan& plan) {
  std::map<std::string, int64_t> counts;
  for (ActionKind k : all_action_kinds()) counts[action_name(k)] = 0;
  for (const Action& a : plan.actions) ++counts[action_name(a.kind)];
  counts["unmanaged"] = static_cast<int64_t>(plan.unmanaged.size());
  return counts;
}

}  // namespace jumpsync
