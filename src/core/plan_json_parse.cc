// Parsing a saved plan (render_json output) back into a Plan, with simdjson.
// Every error becomes Error(usage) naming the field, so `apply --plan FILE`
// can say what is wrong with the file.
#include <simdjson.h>

#include "jumpsync/core/errors.h"
#include "jumpsync/core/plan_format.h"

namespace jumpsync {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw usage_error("malformed plan file: " + where + ": " + what);
}

element field(const object& obj, const char* key, const std::string& where) {
  element e;
  if (obj[key].get(e) != simdjson::SUCCESS) fail(where, std::string("missing \"") + key + "\"");
  return e;
}

std::string get_str(const object& obj, const char* key, const std::string& where) {
  std::string_view v;
  if (field(obj, key, where).get_string().get(v)) fail(where, std::string("\"") + key + "\" is not a string");
  return std::string(v);
}

int64_t get_int(const object& obj, const char* key, const std::string& where) {
  int64_t v = 0;
  if (field(obj, key, where).get_int64().get(v)) fail(where, std::string("\"") + key + "\" is not an integer");
  return v;
}

bool get_bool(const object& obj, const char* key, const std::string& where) {
  bool v = false;
  if (field(obj, key, where).get_bool().get(v)) fail(where, std::string("\"") + key + "\" is not true/false");
  return v;
}

std::optional<int64_t> get_opt_int(const object& obj, const char* key, const std::string& where) {
  if (field(obj, key, where).is_null()) return std::nullopt;
  return get_int(obj, key, where);
}

object as_object(const element& e, const std::string& where) {
  object o;
  if (e.get_object().get(o)) fail(where, "not an object");
  return o;
}

OptionalState get_state(const object& parent, const char* key, const std::string& where) {
  element e = field(parent, key, where);
  if (e.is_null()) return std::nullopt;
  std::string at = where + "." + key;
  object o = as_object(e, at);
  AccountState s;
  s.email = get_str(o, "email", at);
  s.given_name = get_str(o, "given_name", at);
  s.family_name = get_str(o, "family_name", at);
  s.verified = get_bool(o, "verified", at);
  std::string status = get_str(o, "status", at);
  if (status != "active" && status != "deactivated") fail(at, "unknown status \"" + status + "\"");
  s.status = status == "active" ? AccountStatus::active : AccountStatus::deactivated;
  s.managed_by = get_opt_int(o, "managed_by", at);
  s.external_id = get_str(o, "external_id", at);
  s.link_epoch = get_int(o, "link_epoch", at);
  s.pending_team = get_opt_int(o, "pending_team", at);
  s.team_member = get_bool(o, "team_member", at);
  return s;
}

Action get_action(const element& e, const std::string& where) {
  object o = as_object(e, where);
  Action a;
  std::string name = get_str(o, "action", where);
  auto kind = parse_action_name(name);
  if (!kind) fail(where, "unknown action \"" + name + "\"");
  a.kind = *kind;
  a.email = get_str(o, "email", where);
  a.external_id = get_str(o, "external_id", where);
  a.reason = get_str(o, "reason", where);
  a.verification_email = get_bool(o, "verification_email", where);
  a.given_name = get_str(o, "given_name", where);
  a.family_name = get_str(o, "family_name", where);
  a.account_id = get_opt_int(o, "account_id", where);
  a.before = get_state(o, "before", where);
  a.after = get_state(o, "after", where);
  return a;
}

UnmanagedMember get_member(const element& e, const std::string& where) {
  object o = as_object(e, where);
  return UnmanagedMember{get_int(o, "account_id", where), get_str(o, "email", where),
                         get_str(o, "reason", where)};
}

template <typename T, typename F>
std::vector<T> get_list(const object& root, const char* key, F parse_item) {
  simdjson::dom::array arr;
  if (field(root, key, "plan").get_array().get(arr)) fail(std::string("plan.") + key, "not an array");
  std::vector<T> items;
  items.reserve(arr.size());
  std::size_t i = 0;
  for (element e : arr) items.push_back(parse_item(e, std::string(key) + "[" + std::to_string(i++) + "]"));
  return items;
}

}  // namespace

Plan parse_plan_json(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json.data(), json.size());
  element doc;
  if (auto err = parser.parse(padded).get(doc)) fail("plan", simdjson::error_message(err));
  object root = as_object(doc, "plan");
  Plan p;
  p.team = get_str(root, "team", "plan");
  p.team_id = get_int(root, "team_id", "plan");
  p.scim_epoch = get_int(root, "scim_epoch", "plan");
  p.fingerprint = get_str(root, "fingerprint", "plan");
  p.blocked = get_bool(root, "blocked", "plan");
  if (!field(root, "block_reason", "plan").is_null()) p.block_reason = get_str(root, "block_reason", "plan");
  p.actions = get_list<Action>(root, "actions", get_action);
  p.unmanaged = get_list<UnmanagedMember>(root, "unmanaged", get_member);
  return p;
}

}  // namespace jumpsync
