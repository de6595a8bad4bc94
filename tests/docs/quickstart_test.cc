// The README's quick start is run as a newcomer would: scripts/quickstart.sh
// from a clean temporary directory, building into this build directory. Its
// report is checked against facts derived from the bundled exports and the
// accounts the script creates, not against recorded output.
#include <simdjson.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <vector>

#include "docs/docs_support.h"

using namespace jumpsync::docs;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

struct ExportUser {
  std::string email;  // lower-cased, trimmed
  bool active = true;
};

std::vector<ExportUser> read_json_export(const fs::path& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(path.string());
  std::vector<ExportUser> out;
  for (simdjson::dom::element r : doc["Resources"].get_array()) {
    ExportUser u;
    u.email = lower(trim(std::string(r["userName"].get_string().value())));
    u.active = r["active"].get_bool().value();
    out.push_back(u);
  }
  return out;
}

// email,given_name,family_name,active,external_id (the bundled CSVs have no quoting)
std::vector<ExportUser> read_csv_export(const fs::path& path) {
  std::istringstream in(read_text(path));
  std::string line;
  std::getline(in, line);
  REQUIRE(line == "email,given_name,family_name,active,external_id");
  std::vector<ExportUser> out;
  while (std::getline(in, line)) {
    if (trim(line).empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    REQUIRE(f.size() == 5);
    out.push_back({lower(trim(f[0])), lower(trim(f[3])) == "true"});
  }
  return out;
}

// What the quick start's dry run must plan for acme, worked out from the
// exports and the accounts scripts/quickstart.sh adds before the sync.
struct Expected {
  std::map<std::string, std::set<std::string>> by_action;
  size_t idp_users = 0;
};

Expected expected_plan() {
  fs::path root = JUMPSYNC_SOURCE_DIR;
  std::string script = read_text(root / "scripts" / "quickstart.sh");
  // Accounts that exist before SCIM: `js user add EMAIL [--verified] [--team T]`.
  std::map<std::string, bool> verified_before;
  std::set<std::string> hand_members_of_acme;
  static const std::regex user_add(R"(js user add (\S+)([^\n]*))");
  for (std::sregex_iterator it(script.begin(), script.end(), user_add), end; it != end; ++it) {
    std::string email = lower((*it)[1].str()), rest = (*it)[2].str();
    verified_before[email] = rest.find("--verified") != std::string::npos;
    if (rest.find("--team acme") != std::string::npos) hand_members_of_acme.insert(email);
  }
  REQUIRE(script.find("examples/globex-users.csv") != std::string::npos);
  REQUIRE(script.find("examples/acme-users-last-week.csv") != std::string::npos);
  REQUIRE(script.find("js team verify-domain acme acme.example") != std::string::npos);
  std::set<std::string> globex, last_week;
  for (const auto& u : read_csv_export(root / "examples" / "globex-users.csv")) globex.insert(u.email);
  for (const auto& u : read_csv_export(root / "examples" / "acme-users-last-week.csv")) last_week.insert(u.email);
  auto today = read_json_export(root / "examples" / "acme-users.json");

  Expected e;
  e.idp_users = today.size();
  std::set<std::string> today_emails;
  for (const auto& u : today) {
    today_emails.insert(u.email);
    std::string action;
    if (globex.count(u.email)) action = "conflict";  // managed by globex's SCIM
    else if (last_week.count(u.email)) action = u.active ? "noop" : "deactivate";
    else if (!u.active) action = "noop";  // inactive, nothing to create
    else if (verified_before.count(u.email)) action = verified_before[u.email] || u.email.ends_with("@acme.example") ? "adopt" : "adopt-pending";
    else action = "create";
    e.by_action[action].insert(u.email);
  }
  for (const auto& email : last_week)
    if (!today_emails.count(email)) e.by_action["deactivate"].insert(email);
  for (const auto& email : hand_members_of_acme)
    if (!today_emails.count(email)) e.by_action["unmanaged"].insert(email);
  return e;
}

// The text report's sections: "create:" followed by "  email [id]...: reason".
std::map<std::string, std::set<std::string>> report_sections(const std::string& report) {
  std::map<std::string, std::set<std::string>> out;
  std::istringstream in(report);
  std::string line, section;
  static const std::regex heading(R"(^([a-z-]+)( \(left alone\))?:$)");
  static const std::regex item(R"(^  (\S+@\S+?)[ :].*)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, heading)) {
      section = m[1].str();
    } else if (line.empty() || line.rfind("  ", 0) != 0) {
      section.clear();
    } else if (!section.empty() && std::regex_match(line, m, item)) {
      out[section].insert(m[1].str());
    }
  }
  return out;
}

std::string between(const std::string& text, const std::string& from, const std::string& to) {
  auto a = text.find(from);
  if (a == std::string::npos) return "";
  auto b = text.find(to, a);
  return text.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

}  // namespace

TEST_CASE("quick start: scripts/quickstart.sh in a clean directory, twice", "[docs][quickstart]") {
  Expected want = expected_plan();
  // The derivation itself must exercise the demo's point: every kind of action.
  for (const char* kind : {"create", "adopt", "adopt-pending", "deactivate", "conflict", "noop", "unmanaged"}) {
    INFO(kind);
    REQUIRE_FALSE(want.by_action[kind].empty());
  }

  // The script configures its build directory as RelWithDebInfo and builds
  // jumpsync there; in a build directory of another type that would rebuild
  // the binary under the other tests' feet.
  INFO("scripts/quickstart.sh configures " << JUMPSYNC_BUILD_DIR << " as RelWithDebInfo, but it was configured as '"
       << JUMPSYNC_BUILD_TYPE << "': configure with -DCMAKE_BUILD_TYPE=RelWithDebInfo, as scripts/test.sh does");
  REQUIRE(std::string(JUMPSYNC_BUILD_TYPE) == "RelWithDebInfo");

  TempDir dir("quickstart");
  fs::path demo = dir.path() / "demo";
  std::string script = (fs::path(JUMPSYNC_SOURCE_DIR) / "scripts" / "quickstart.sh").string();
  std::map<std::string, std::string> env{{"JUMPSYNC_BUILD_DIR", JUMPSYNC_BUILD_DIR},
                                         {"HOME", dir.path().string()}};
  for (int round = 1; round <= 2; ++round) {
    ShellResult r = run_shell("'" + script + "' '" + demo.string() + "'", dir.path(), env);
    INFO("round " << round << ": exit " << r.exit_code << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    REQUIRE(r.exit_code == 0);

    // The dry run: one line per user under the right action.
    std::string dry_run = between(r.out, "today's IdP export: dry run", "== apply");
    REQUIRE_FALSE(dry_run.empty());
    auto got = report_sections(dry_run);
    for (const auto& [kind, emails] : want.by_action) {
      if (kind == "noop") continue;  // the text report lists noops only in its summary
      INFO("action " << kind);
      CHECK(got[kind] == emails);
    }
    for (const auto& [kind, emails] : want.by_action) {
      std::smatch m;
      INFO("summary line of " << kind);
      REQUIRE(std::regex_search(dry_run, m, std::regex("\n  " + kind + " +([0-9]+)\n")));
      CHECK(std::stoul(m[1].str()) == emails.size());
    }
    CHECK(dry_run.find("BLOCKED") == std::string::npos);

    // The second plan: only noops plus the one conflict that needs a person.
    std::string second = between(r.out, "second plan:", "HTML report:");
    std::map<std::string, unsigned long> counts;
    static const std::regex count_line(R"(^\s*([0-9]+) ([a-z-]+)$)");
    std::istringstream lines(second);
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_match(line, m, count_line)) counts[m[2].str()] = std::stoul(m[1].str());
    }
    std::map<std::string, unsigned long> want_counts{
        {"conflict", want.by_action["conflict"].size()},
        {"noop", want.idp_users - want.by_action["conflict"].size()}};
    CHECK(counts == want_counts);

    // The HTML report names the team.
    fs::path html = demo / "report.html";
    REQUIRE(fs::exists(html));
    std::string page = read_text(html);
    CHECK(page.find("<html") != std::string::npos);
    CHECK(page.find("acme") != std::string::npos);
    CHECK(r.out.find("HTML report: " + html.string()) != std::string::npos);
  }
}
