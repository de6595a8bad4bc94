// CSV rendering of a plan and an RFC 4180 reader.
#include <string>

#include "jumpsync/core/errors.h"
#include "jumpsync/core/plan_format.h"

namespace jumpsync {
namespace {

void put_field(std::string& out, std::string_view v) {
  bool quote = v.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out += v;
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void put_row(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out.push_back(',');
    first = false;
    put_field(out, f);
  }
  out += "\r\n";
}

// Reads one quoted field starting after the opening quote; returns the
// position after the closing quote.
std::size_t read_quoted(std::string_view text, std::size_t i, std::string& field) {
  while (true) {
    if (i >= text.size()) throw usage_error("CSV: unterminated quoted field");
    char c = text[i++];
    if (c != '"') {
      field.push_back(c);
    } else if (i < text.size() && text[i] == '"') {
      field.push_back('"');
      ++i;
    } else {
      return i;
    }
  }
}

}  // namespace

std::string render_csv(const Plan& plan) {
  std::string out;
  put_row(out, {"action", "email", "external_id", "given_name", "family_name", "verification_email",
                "reason"});
  for (const Action& a : plan.actions) {
    put_row(out, {action_name(a.kind), a.email, a.external_id, a.given_name, a.family_name,
                  a.verification_email ? "true" : "false", a.reason});
  }
  return out;
}

std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  std::size_t i = 0;
  bool row_open = false;  // something was read since the last line end
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && field.empty()) {
      i = read_quoted(text, i + 1, field);
      row_open = true;
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        throw usage_error("CSV: text after a closing quote in row " + std::to_string(rows.size() + 1));
      }
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      row_open = true;
      ++i;
    } else if (c == '\n' || c == '\r') {
      i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      row_open = false;
    } else {
      field.push_back(c);
      row_open = true;
      ++i;
    }
  }
  if (row_open) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace jumpsync
