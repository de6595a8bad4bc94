// JSON rendering of a plan (SPEC §8 shape, plus the fields a saved plan
// needs to round-trip). Hand-written: the shape is small and fixed, and
// writing it directly keeps 1M-action plans fast.
#include <functional>
#include <string>

#include "jumpsync/core/plan_format.h"

namespace jumpsync {
namespace {

const char* kHex = "0123456789abcdef";

void put_quoted(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// Writes `"key": ` (with a leading comma unless first).
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }
  ObjectWriter& key(std::string_view k) {
    if (!first_) out_ += ", ";
    first_ = false;
    put_quoted(out_, k);
    out_ += ": ";
    return *this;
  }
  void str(std::string_view k, std::string_view v) { key(k); put_quoted(out_, v); }
  void num(std::string_view k, int64_t v) { key(k); out_ += std::to_string(v); }
  void boolean(std::string_view k, bool v) { key(k); out_ += v ? "true" : "false"; }
  void opt(std::string_view k, const std::optional<int64_t>& v) {
    key(k);
    out_ += v ? std::to_string(*v) : "null";
  }
  void close() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

void put_state(std::string& out, const OptionalState& state) {
  if (!state) {
    out += "null";
    return;
  }
  const StateView s = state.view();  // no AccountState materialised
  ObjectWriter w(out);
  w.str("email", s.email);
  w.str("given_name", s.given_name);
  w.str("family_name", s.family_name);
  w.boolean("verified", s.verified);
  w.str("status", s.status == AccountStatus::active ? "active" : "deactivated");
  w.opt("managed_by", s.managed_by);
  w.str("external_id", s.external_id);
  w.num("link_epoch", s.link_epoch);
  w.opt("pending_team", s.pending_team);
  w.boolean("team_member", s.team_member);
  w.close();
}

void put_action(std::string& out, const Action& a) {
  ObjectWriter w(out);
  w.str("action", action_name(a.kind));
  w.str("email", a.email);
  w.str("external_id", a.external_id);
  w.str("reason", a.reason);
  w.boolean("verification_email", a.verification_email);
  w.str("given_name", a.given_name);
  w.str("family_name", a.family_name);
  w.opt("account_id", a.account_id);
  w.key("before");
  put_state(out, a.before);
  w.key("after");
  put_state(out, a.after);
  w.close();
}

void put_summary(std::string& out, const Plan& plan) {
  auto counts = summarize(plan);
  ObjectWriter w(out);
  for (ActionKind k : all_action_kinds()) w.num(action_name(k), counts[action_name(k)]);
  w.num("unmanaged", counts["unmanaged"]);
  w.close();
}

// `flush` is called between items: the streaming writer hands the text so
// far to its sink there, so a million-action plan never sits in memory
// as one string.
template <typename T, typename F, typename Flush>
void put_array(std::string& out, const std::vector<T>& items, F put_item, Flush flush) {
  out.push_back('[');
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += i == 0 ? "\n  " : ",\n  ";
    put_item(out, items[i]);
    flush();
  }
  out += items.empty() ? "]" : "\n]";
}

void put_member(std::string& out, const UnmanagedMember& m) {
  ObjectWriter w(out);
  w.num("account_id", m.account_id);
  w.str("email", m.email);
  w.str("reason", m.reason);
  w.close();
}

}  // namespace

std::string json_quote(std::string_view text) {
  std::string out;
  put_quoted(out, text);
  return out;
}

namespace {

template <typename Flush>
void put_plan(std::string& out, const Plan& plan, Flush flush) {
  ObjectWriter w(out);
  w.str("team", plan.team);
  w.num("team_id", plan.team_id);
  w.num("scim_epoch", plan.scim_epoch);
  w.str("fingerprint", plan.fingerprint);
  w.boolean("blocked", plan.blocked);
  w.key("block_reason");
  if (plan.blocked) put_quoted(out, plan.block_reason); else out += "null";
  w.key("summary");
  put_summary(out, plan);
  w.key("actions");
  put_array(out, plan.actions, put_action, flush);
  w.key("unmanaged");
  put_array(out, plan.unmanaged, put_member, flush);
  w.close();
  out.push_back('\n');
}

}  // namespace

std::string render_json(const Plan& plan) {
  std::string out;
  out.reserve(256 + plan.actions.size() * 600);
  put_plan(out, plan, [] {});
  return out;
}

void write_json(const Plan& plan, const std::function<void(std::string_view)>& sink) {
  constexpr std::size_t kChunk = 1 << 16;
  std::string out;
  out.reserve(2 * kChunk);
  put_plan(out, plan, [&] {
    if (out.size() >= kChunk) {
      sink(out);
      out.clear();
    }
  });
  sink(out);
}

}  // namespace jumpsync
