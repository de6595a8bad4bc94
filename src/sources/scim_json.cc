#include "jumpsync/sources/scim_json.h"

#include <simdjson.h>

#include "jumpsync/core/errors.h"

namespace jumpsync {

namespace od = simdjson::ondemand;

struct ScimPageParser::Impl {
  od::parser parser;
};

namespace {

std::string string_of(od::value value) {
  if (value.type() == od::json_type::null) return {};
  return std::string(std::string_view(value.get_string()));
}

bool bool_of(od::value value) {
  switch (value.type()) {
    case od::json_type::boolean: return bool(value.get_bool());
    case od::json_type::string: {
      std::string_view text = value.get_string();
      return text == "true" || text == "True";
    }
    case od::json_type::null: return true;
    default: throw simdjson::simdjson_error(simdjson::INCORRECT_TYPE);
  }
}

struct EmailChoice {
  std::string primary, first;
};

void read_emails(od::array emails, EmailChoice& choice) {
  for (od::value entry : emails) {
    std::string value;
    bool primary = false;
    for (auto field : entry.get_object()) {
      std::string_view key = field.unescaped_key();
      if (key == "value") value = string_of(field.value());
      else if (key == "primary") {
        od::value flag = field.value();
        primary = flag.type() != od::json_type::null && bool_of(flag);
      }
    }
    if (choice.first.empty()) choice.first = value;
    if (primary && choice.primary.empty()) choice.primary = value;
  }
}

void read_name(od::object name, IdpUser& user) {
  for (auto field : name) {
    std::string_view key = field.unescaped_key();
    if (key == "givenName") user.given_name = string_of(field.value());
    else if (key == "familyName") user.family_name = string_of(field.value());
  }
}

IdpUser read_user(od::object object) {
  IdpUser user;
  EmailChoice emails;
  std::string user_name;
  for (auto field : object) {
    std::string_view key = field.unescaped_key();
    if (key == "id") user.external_id = string_of(field.value());
    else if (key == "userName") user_name = string_of(field.value());
    else if (key == "active") user.active = bool_of(field.value());
    else if (key == "name" && field.value().type() == od::json_type::object) read_name(field.value().get_object(), user);
    else if (key == "emails" && field.value().type() == od::json_type::array) read_emails(field.value().get_array(), emails);
  }
  if (!emails.primary.empty()) user.email = emails.primary;
  else if (!emails.first.empty()) user.email = emails.first;
  else if (user_name.find('@') != std::string::npos) user.email = user_name;
  return user;
}

std::optional<int64_t> int_of(od::value value) {
  if (value.type() == od::json_type::null) return std::nullopt;
  if (value.type() == od::json_type::string) {  // some servers quote numbers
    return std::stoll(std::string(std::string_view(value.get_string())));
  }
  return int64_t(value.get_int64());
}

}  // namespace

std::string describe_position(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

ScimPageParser::ScimPageParser() : impl_(std::make_unique<Impl>()) {}
ScimPageParser::~ScimPageParser() = default;

ScimPage ScimPageParser::parse(std::string& json, const std::string& context, const std::string& todo) {
  json.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  ScimPage page;
  od::document doc;
  bool iterated = false;
  try {
    doc = impl_->parser.iterate(json.data(), json.size(), json.capacity());
    iterated = true;
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      if (key == "totalResults") page.total_results = int_of(field.value());
      else if (key == "startIndex") page.start_index = int_of(field.value());
      else if (key == "nextCursor" && field.value().type() != od::json_type::null) page.next_cursor = string_of(field.value());
      else if (key == "Resources") {
        for (od::value resource : field.value().get_array()) page.users.push_back(read_user(resource.get_object()));
      }
    }
    const char* rest = nullptr;  // anything after the top-level object is an error
    if (doc.current_location().get(rest) == simdjson::SUCCESS) {
      throw simdjson::simdjson_error(simdjson::TRAILING_CONTENT);
    }
  } catch (const std::exception& e) {
    std::string where = "at end of input";
    const char* location = nullptr;
    if (iterated && doc.current_location().get(location) == simdjson::SUCCESS && location) {
      where = "at " + describe_position(json, static_cast<size_t>(location - json.data()));
    }
    throw source_error(context + ": malformed SCIM ListResponse (" + e.what() + ") " + where + "; " + todo);
  }
  return page;
}

}  // namespace jumpsync
