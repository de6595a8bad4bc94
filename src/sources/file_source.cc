// The file source: a local SCIM ListResponse JSON or a CSV export.
#include <Poco/String.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_set>

#include "jumpsync/core/errors.h"
#include "jumpsync/sources/csv_reader.h"
#include "jumpsync/sources/providers.h"
#include "jumpsync/sources/scim_json.h"

namespace jumpsync {
namespace {

const char* const kFixFile = "fix the file and run again";
const char* const kColumns[] = {"email", "given_name", "family_name", "active", "external_id"};

std::optional<bool> parse_active(std::string text) {
  text = Poco::toLower(Poco::trim(text));
  if (text.empty() || text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  return std::nullopt;
}

class FileSource final : public IdpSource {
 public:
  explicit FileSource(SourceSettings settings) : settings_(std::move(settings)) {
    label_ = "file source " + settings_.url;
  }

  std::string describe() const override { return "file " + settings_.url; }

  IdpSnapshot pull(ProgressSink* progress) override {
    std::string text = read_file();
    IdpSnapshot snapshot{is_json(text) ? from_json(text) : from_csv(text)};
    if (progress) progress->pulled(1, static_cast<int64_t>(snapshot.users.size()), static_cast<int64_t>(snapshot.users.size()));
    spdlog::info("{}: read {} users", label_, snapshot.users.size());
    return snapshot;
  }

  std::vector<ConnectionCheck> test_connection() override {
    std::string text;
    return run_checks({
        {"url", [&] {
           text = read_file();
           return "readable, " + std::to_string(text.size()) + " bytes";
         }},
        {"format", [&] {
           size_t n = is_json(text) ? from_json(text).size() : from_csv(text).size();
           return std::string(is_json(text) ? "SCIM JSON" : "CSV") + " with " + std::to_string(n) + " users";
         }},
    });
  }

 private:
  std::string read_file() const {
    if (settings_.url.empty()) throw usage_error("file source: no path set; set it with --url PATH");
    std::ifstream in(settings_.url, std::ios::binary);
    if (!in) {
      throw source_error(label_ + ": cannot open the file (" + std::strerror(errno) + "); check the path");
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  bool is_json(const std::string& text) const {
    if (Poco::endsWith(Poco::toLower(settings_.url), std::string(".json"))) return true;
    if (Poco::endsWith(Poco::toLower(settings_.url), std::string(".csv"))) return false;
    auto first = text.find_first_not_of(" \t\r\n");
    return first != std::string::npos && (text[first] == '{' || text[first] == '[');
  }

  std::vector<IdpUser> from_json(std::string text) const {
    ScimPageParser parser;
    ScimPage page = parser.parse(text, label_, kFixFile);
    for (auto& user : page.users) {
      if (user.external_id.empty()) user.external_id = user.email;
    }
    return std::move(page.users);
  }

  std::vector<IdpUser> from_csv(const std::string& text) const;

  SourceSettings settings_;
  std::string label_;
};

std::vector<IdpUser> FileSource::from_csv(const std::string& text) const {
  std::vector<CsvRecord> records = read_csv(text, label_, kFixFile);
  if (records.empty()) throw source_error(label_ + ": the file is empty; " + kFixFile);
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < records[0].fields.size(); ++i) column[Poco::toLower(Poco::trim(records[0].fields[i]))] = i;
  if (!column.count("email")) {
    throw source_error(label_ + ": line 1: the header has no 'email' column (expected "
                       "email,given_name,family_name,active,external_id); " + kFixFile);
  }
  for (const auto& [name, index] : column) {
    bool known = false;
    for (const char* c : kColumns) known = known || name == c;
    if (!known) spdlog::warn("{}: ignoring unknown column '{}'", label_, name);
  }
  const size_t width = records[0].fields.size();
  auto field = [&](const CsvRecord& r, const char* name) -> std::string {
    auto it = column.find(name);
    return it == column.end() ? std::string() : Poco::trim(r.fields[it->second]);
  };
  std::vector<IdpUser> users;
  for (size_t i = 1; i < records.size(); ++i) {
    const CsvRecord& r = records[i];
    const std::string where = label_ + ": line " + std::to_string(r.line);
    if (r.fields.size() != width) {
      throw source_error(where + ": " + std::to_string(r.fields.size()) + " fields, the header has " +
                         std::to_string(width) + "; " + kFixFile);
    }
    IdpUser user{field(r, "external_id"), field(r, "email"), field(r, "given_name"), field(r, "family_name"), true};
    auto active = parse_active(field(r, "active"));
    if (!active) {
      throw source_error(where + ": active is '" + field(r, "active") + "' (use true/false, 1/0 or yes/no); " + kFixFile);
    }
    user.active = *active;
    if (user.external_id.empty()) user.external_id = user.email;
    users.push_back(std::move(user));
  }
  return users;
}

}  // namespace

std::unique_ptr<IdpSource> make_file_source(const SourceSettings& settings, const SourceOptions&) {
  return std::make_unique<FileSource>(settings);
}

}  // namespace jumpsync
