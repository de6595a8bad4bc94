// SCIM ListResponse parsing (simdjson on-demand), shared by the scim source
// (one page at a time) and the file source (a whole export).
//
// User mapping (RFC 7643 User -> IdpUser):
//  - external_id = "id" ("" when absent: the caller decides);
//  - email = the "emails" entry with primary=true, else the first entry,
//    else "userName" when it contains '@', else "";
//  - given/family name = name.givenName / name.familyName;
//  - active = "active", true when absent.
//
// Thread safety: one ScimPageParser per thread (it owns a simdjson parser).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jumpsync/core/model.h"

namespace jumpsync {

struct ScimPage {
  std::optional<int64_t> total_results;
  std::optional<int64_t> start_index;
  std::optional<std::string> next_cursor;  // RFC 9865; absent on the last page
  std::vector<IdpUser> users;              // in "Resources" order
};

class ScimPageParser {
 public:
  ScimPageParser();
  ~ScimPageParser();
  // Parses one ListResponse. `json` may grow capacity (simdjson padding).
  // Throws Error(source, "<context>: malformed JSON (<why>) at line L,
  // column C; <todo>") for anything that is not a well-formed ListResponse.
  ScimPage parse(std::string& json, const std::string& context, const std::string& todo);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "line 3, column 14" for a byte offset into `text` (1-based).
std::string describe_position(const std::string& text, size_t offset);

}  // namespace jumpsync
