// SPEC §2 end to end through the CLI on PostgreSQL, with verification
// emails delivered to a real SMTP conversation: provision, adopt, unassign
// everyone (blocked, then confirmed), disable SCIM (every job refused,
// accounts unchanged), re-enable, set the source again, reassign, resync
// (the same accounts relinked and reactivated, none duplicated).
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "e2e/e2e_support.h"
#include "smtp_test_server.h"

using namespace jumpsync::testing;

namespace {

std::vector<CsvUser> assigned() {
  std::vector<CsvUser> users;
  for (int i = 0; i < 40; ++i) users.push_back({"staff" + std::to_string(i) + "@acme.example", "S", std::to_string(i), true, "s" + std::to_string(i)});
  for (int i = 0; i < 9; ++i) users.push_back({"guest" + std::to_string(i) + "@partner.example", "G", std::to_string(i), true, "g" + std::to_string(i)});
  users.push_back({"veteran@partner.example", "Vet", "Eran", true, "v0"});  // exists, verified: adopted
  return users;
}

}  // namespace

TEST_CASE("the whole SCIM story of SPEC §2", "[mail][story][pg]") {
  TestDb db("postgresql");
  SmtpTestServer smtp;
  Cli cli(db.url(), std::filesystem::temp_directory_path() / ("jumpsync_story_" + std::to_string(getpid())));
  cli.set_env("JUMPSYNC_SMTP_HOST", "127.0.0.1");
  cli.set_env("JUMPSYNC_SMTP_PORT", std::to_string(smtp.port()));
  cli.set_env("JUMPSYNC_PUBLIC_URL", "https://jump.example");
  std::string all_output;
  auto ok = [&](const std::vector<std::string>& args) {
    auto r = cli.ok(args);
    all_output += r.out + r.err;
    return r;
  };
  ok({"db", "migrate"});
  ok({"team", "create", "acme", "--sso", "--enterprise", "--domain-verification"});
  ok({"team", "verify-domain", "acme", "acme.example"});
  auto enabled = ok({"team", "enable-scim", "acme"});
  std::string scim_token = enabled.out.substr(enabled.out.find("jst_"), 47);
  ok({"user", "add", "veteran@partner.example", "--verified"});
  long long veteran_id = show_user(cli, "veteran@partner.example")->id;
  std::string token_file = (cli.dir() / "idp-token").string();
  write_file(token_file, "idp-secret-value-123");
  std::string export_path = write_export(cli, "assigned.csv", assigned());
  ok({"team", "set-source", "acme", "--provider", "file", "--url", export_path, "--token-file", token_file});

  // 1. Provision 50: verified domain -> no email; others -> email delivered.
  auto first = ok({"apply", "--team", "acme", "--format", "json"});
  CHECK(summary_count(first.out, "create") == 49);
  CHECK(summary_count(first.out, "adopt") == 1);
  CHECK(show_user(cli, "veteran@partner.example")->id == veteran_id);
  ok({"mail", "send"});
  auto mails = smtp.received();
  std::set<std::string> recipients;
  for (const auto& m : mails)
    for (const auto& r : m.rcpt) recipients.insert(r);
  CHECK(mails.size() == 9);
  for (int i = 0; i < 9; ++i) CHECK(recipients.count("<guest" + std::to_string(i) + "@partner.example>") + recipients.count("guest" + std::to_string(i) + "@partner.example") == 1);
  std::map<std::string, long long> ids;
  for (const auto& u : assigned()) ids[u.email] = show_user(cli, u.email)->id;

  // 2. Unassign everyone: blocked, then the confirmed apply deactivates all.
  write_file(export_path, "email,given_name,family_name,active,external_id\n");
  auto blocked = cli.run({"apply", "--team", "acme"});
  CHECK(blocked.exit_code == 3);
  CHECK(blocked.err.find("--allow-deactivations 50") != std::string::npos);
  CHECK(show_user(cli, "staff0@acme.example")->status == "active");
  ok({"apply", "--team", "acme", "--allow-deactivations", "50"});
  for (const auto& [email, id] : ids) CHECK(show_user(cli, email)->status == "deactivated");

  // 3. Disable SCIM: every job refused, accounts unchanged.
  ok({"team", "disable-scim", "acme"});
  std::string frozen = dump_user_tables(db);
  for (auto args : std::vector<std::vector<std::string>>{{"plan", "--team", "acme"},
                                                         {"apply", "--team", "acme"},
                                                         {"resync", "--team", "acme"},
                                                         {"test-connection", "--team", "acme"}}) {
    auto r = cli.run(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 5);
  }
  auto due = cli.ok({"run-due"});
  CHECK(due.out.find("0 synced") != std::string::npos);
  CHECK(dump_user_tables(db) == frozen);
  CHECK(cli.ok({"team", "show", "acme", "--format", "json"}).out.find("\"source_secret_stored\":false") != std::string::npos);

  // 4. Re-enable: new token; set the source again; reassign; resync relinks.
  auto again = ok({"team", "enable-scim", "acme"});
  CHECK(again.out.find(scim_token) == std::string::npos);
  write_export(cli, "assigned.csv", assigned());
  ok({"team", "set-source", "acme", "--provider", "file", "--url", export_path, "--token-file", token_file});
  auto resync = ok({"resync", "--team", "acme", "--format", "json"});
  CHECK(summary_count(resync.out, "relink") == 50);
  CHECK(summary_count(resync.out, "create") == 0);
  for (const auto& [email, id] : ids) {
    auto u = show_user(cli, email);
    CHECK(u->id == id);
    CHECK(u->status == "active");
    CHECK(u->managed_by == "acme");
  }
  auto raw = db.raw();
  long long accounts = 0;
  *raw << "SELECT COUNT(*) FROM accounts", soci::into(accounts);
  CHECK(accounts == 50);  // no duplicates
  CHECK(all_output.find("idp-secret-value-123") == std::string::npos);
}
