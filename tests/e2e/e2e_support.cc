#include "e2e/e2e_support.h"

#include <catch2/catch.hpp>
#include <simdjson.h>

namespace jumpsync::testing {

CliResult Cli::ok(const std::vector<std::string>& args) {
  CliResult r = run(args);
  std::string cmd;
  for (const auto& a : args) cmd += a + " ";
  INFO("jumpsync " << cmd << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

std::optional<UserView> show_user(Cli& cli, const std::string& email) {
  CliResult r = cli.run({"user", "show", email, "--format", "json"});
  if (r.exit_code == 2) return std::nullopt;
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(r.out);
  UserView u;
  u.email = std::string(doc["email"].get_string().value());
  u.status = std::string(doc["status"].get_string().value());
  u.verified = doc["verified"].get_bool().value();
  u.id = doc["id"].get_int64().value();
  u.external_id = std::string(doc["external_id"].get_string().value());
  u.given_name = std::string(doc["given_name"].get_string().value());
  auto managed = doc["managed_by"];
  if (!managed.is_null()) u.managed_by = std::string(managed.get_string().value());
  return u;
}

namespace {
std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}
}  // namespace

std::string write_export(Cli& cli, const std::string& name, const std::vector<CsvUser>& users) {
  std::string text = "email,given_name,family_name,active,external_id\n";
  for (const auto& u : users)
    text += csv_field(u.email) + "," + csv_field(u.given) + "," + csv_field(u.family) + "," +
            (u.active ? "true" : "false") + "," + csv_field(u.external_id) + "\n";
  auto path = cli.dir() / name;
  write_file(path, text);
  return path.string();
}

void make_scim_team(Cli& cli, const std::string& team, const std::string& export_path,
                    const std::vector<std::string>& extra) {
  std::vector<std::string> create{"team", "create", team, "--sso", "--enterprise"};
  create.insert(create.end(), extra.begin(), extra.end());
  cli.ok(create);
  cli.ok({"team", "enable-scim", team});
  cli.ok({"team", "set-source", team, "--provider", "file", "--url", export_path});
}

std::string dump_user_tables(const TestDb& db) {
  auto raw = db.raw();
  std::string out;
  const char* queries[] = {
      "SELECT id || '|' || email || '|' || verified || '|' || status || '|' || given_name || '|' || family_name || "
      "'|' || COALESCE(managed_by, 0) || '|' || external_id || '|' || link_epoch || '|' || "
      "COALESCE(pending_team, 0) || '|' || updated_at FROM accounts ORDER BY id",
      "SELECT team_id || '|' || account_id FROM team_members ORDER BY team_id, account_id",
      "SELECT id || '|' || run_id || '|' || COALESCE(account_id, 0) || '|' || action || '|' || email "
      "FROM applied_actions ORDER BY id",
      "SELECT id || '|' || account_id || '|' || status || '|' || email FROM mail_outbox ORDER BY id",
  };
  for (const char* q : queries) {
    std::string line;
    soci::statement st = (raw->prepare << q, soci::into(line));
    st.execute();
    while (st.fetch()) out += line + "\n";
    out += "--\n";
  }
  return out;
}

long long summary_count(const std::string& plan_json, const std::string& action) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(plan_json);
  return doc["summary"][action].get_int64().value();
}

}  // namespace jumpsync::testing
