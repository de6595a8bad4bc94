// Plan renderings: text (people), JSON (SPEC §8 contract, and the saved-plan
// file format for `apply --plan`), CSV (spreadsheets). Pure functions.
//
// JSON shape (keys beyond SPEC §8 are additions, never renames):
//   {"team", "team_id", "scim_epoch", "fingerprint", "blocked",
//    "block_reason" (string or null), "summary" {the nine action names +
//    "unmanaged"}, "actions" [{"action", "email", "external_id", "reason",
//    "verification_email", "given_name", "family_name", "account_id"
//    (int or null), "before", "after" (account objects or null)}],
//    "unmanaged" [{"account_id", "email", "reason"}]}
//   account object: {"email", "given_name", "family_name", "verified",
//    "status" ("active"|"deactivated"), "managed_by" (team id or null),
//    "external_id", "link_epoch", "pending_team" (team id or null),
//    "team_member"}
// parse_plan_json(render_json(p)) == p for every plan.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jumpsync/core/model.h"

namespace jumpsync {

// "create", "adopt", "adopt-pending", "relink", "reactivate", "update",
// "deactivate", "conflict", "noop".
std::string action_name(ActionKind kind);
std::optional<ActionKind> parse_action_name(std::string_view name);

// Every ActionKind in display order (the order above).
const std::vector<ActionKind>& all_action_kinds();

// Counts per action name, plus "unmanaged"; all ten keys always present.
std::map<std::string, int64_t> summarize(const Plan& plan);

// Blocked banner (with reason) first, then the summary table, then the
// actions grouped by kind (noops only counted), then unmanaged members.
std::string render_text(const Plan& plan);

std::string render_json(const Plan& plan);
// The same text as render_json, handed to `sink` in chunks of ~64 KB (for
// writing large plans to a file or socket without holding them whole).
void write_json(const Plan& plan, const std::function<void(std::string_view)>& sink);
// Throws Error(ErrorKind::usage) naming what is wrong on malformed input.
Plan parse_plan_json(std::string_view json);

// Header "action,email,external_id,given_name,family_name,
// verification_email,reason", one row per action, RFC 4180 quoting, CRLF
// line ends.
std::string render_csv(const Plan& plan);

// RFC 4180 parser: quoted fields may hold commas, doubled quotes and line
// breaks; accepts LF or CRLF line ends; a final line end is optional.
// Throws Error(ErrorKind::usage) on an unterminated quote or on text after
// a closing quote.
std::vector<std::vector<std::string>> parse_csv(std::string_view text);

// JSON string literal (with quotes) for UTF-8 text: escapes quotes,
// backslash and control characters; other bytes pass through.
std::string json_quote(std::string_view text);

}  // namespace jumpsync
