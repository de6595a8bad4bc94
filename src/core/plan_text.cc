// Text rendering of a plan, for people at a terminal.
#include <string>

#include "jumpsync/core/plan_format.h"

namespace jumpsync {
namespace {

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

void render_summary(const Plan& plan, std::string& out) {
  auto counts = summarize(plan);
  out += "Summary\n";
  for (ActionKind k : all_action_kinds()) {
    out += "  " + pad(action_name(k), 15) + std::to_string(counts[action_name(k)]) + "\n";
  }
  out += "  " + pad("unmanaged", 15) + std::to_string(counts["unmanaged"]) + "\n";
}

void render_action(const Action& a, std::string& out) {
  out += "  " + a.email;
  if (!a.external_id.empty()) out += " [" + a.external_id + "]";
  if (a.verification_email) out += " (verification email)";
  out += ": " + a.reason + "\n";
}

void render_group(const Plan& plan, ActionKind kind, std::string& out) {
  bool header = false;
  for (const Action& a : plan.actions) {
    if (a.kind != kind) continue;
    if (!header) {
      out += '\n';
      out += action_name(kind);
      out += ":\n";
    }
    header = true;
    render_action(a, out);
  }
}

}  // namespace

std::string render_text(const Plan& plan) {
  std::string out;
  if (plan.blocked) out += "BLOCKED: nothing will be applied.\n  " + plan.block_reason + "\n\n";
  out += "Plan for team " + plan.team + " (SCIM epoch " + std::to_string(plan.scim_epoch) + ")\n";
  out += "Fingerprint " + plan.fingerprint + "\n\n";
  render_summary(plan, out);
  for (ActionKind k : all_action_kinds()) {
    if (k != ActionKind::noop) render_group(plan, k, out);
  }
  if (!plan.unmanaged.empty()) {
    out += "\nunmanaged (left alone):\n";
    for (const auto& m : plan.unmanaged) out += "  " + m.email + ": " + m.reason + "\n";
  }
  return out;
}

}  // namespace jumpsync
