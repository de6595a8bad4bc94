// Secrets at rest and on screen: SCIM tokens only as hashes, IdP secrets
// only encrypted, a wrong key refused clearly, the key file private.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "e2e/e2e_support.h"
#include "jumpsync/core/fingerprint.h"

using namespace jumpsync::testing;

namespace {

// Every byte a database dump would hold.
std::string database_bytes(const TestDb& db) {
  if (db.backend() == "sqlite") {
    std::string path = db.url().substr(7);
    return read_all(path) + read_all(path + "-wal");
  }
  std::string out = (std::filesystem::temp_directory_path() / ("dump_" + std::to_string(getpid()) + ".sql")).string();
  std::string bin;
  for (const auto& v : std::filesystem::directory_iterator("/usr/lib/postgresql"))
    if (std::filesystem::exists(v.path() / "bin/pg_dump")) bin = (v.path() / "bin/pg_dump").string();
  REQUIRE_FALSE(bin.empty());
  std::string cmd = bin + " --data-only -d '" + db.url() + "' -f " + out;
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::string text = read_all(out);
  std::filesystem::remove(out);
  return text;
}

std::string token_from(const std::string& enable_output) {
  auto at = enable_output.find("jst_");
  REQUIRE(at != std::string::npos);
  return enable_output.substr(at, enable_output.find('\n', at) - at);
}

}  // namespace

TEST_CASE("the SCIM token is shown once and stored only as its hash", "[e2e][pg][sqlite][secrets]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  TestDb db(backend);
  Cli cli(db.url(), std::filesystem::temp_directory_path() / ("jumpsync_sec1_" + std::to_string(getpid()) + backend));
  cli.ok({"db", "migrate"});
  cli.ok({"team", "create", "acme", "--sso", "--enterprise"});
  std::string token = token_from(cli.ok({"team", "enable-scim", "acme"}).out);
  CHECK(token.size() >= 40);
  auto again = cli.ok({"team", "enable-scim", "acme"});
  CHECK(again.out.find("already enabled") != std::string::npos);
  CHECK(again.out.find("jst_") == std::string::npos);  // shown once only
  std::string bytes = database_bytes(db);
  CHECK(bytes.find(token) == std::string::npos);
  CHECK(bytes.find("sha256:" + jumpsync::sha256_hex(token)) != std::string::npos);
  CHECK(cli.ok({"team", "show", "acme", "--format", "json"}).out.find(token) == std::string::npos);
}

TEST_CASE("IdP secrets are encrypted at rest and never shown", "[e2e][pg][sqlite][secrets]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  TestDb db(backend);
  Cli cli(db.url(), std::filesystem::temp_directory_path() / ("jumpsync_sec2_" + std::to_string(getpid()) + backend));
  cli.ok({"db", "migrate"});
  cli.ok({"team", "create", "acme", "--sso", "--enterprise"});
  cli.ok({"team", "enable-scim", "acme"});
  const std::string token = "okta-api-token-Zq8w-plaintext", secret = "entra-client-secret-Hy7u";
  write_file(cli.dir() / "token", token + "\n");
  write_file(cli.dir() / "secret", secret);
  cli.ok({"team", "set-source", "acme", "--provider", "okta", "--url", "https://acme.okta.example", "--app-id",
          "0oa1", "--token-file", (cli.dir() / "token").string()});
  std::string bytes = database_bytes(db);
  CHECK(bytes.find(token) == std::string::npos);
  CHECK(bytes.find("v1:") != std::string::npos);  // the sealed form is there
  cli.ok({"team", "set-source", "acme", "--provider", "entra", "--tenant", "t", "--client-id", "c", "--app-id", "sp",
          "--client-secret-file", (cli.dir() / "secret").string()});
  CHECK(database_bytes(db).find(secret) == std::string::npos);

  SECTION("a secret on the command line is refused") {
    auto r = cli.run({"team", "set-source", "acme", "--provider", "okta", "--url", "https://a.okta.example",
                      "--app-id", "x", "--token", token});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(token) == std::string::npos);
  }
  SECTION("a wrong key gives a clear error, not garbage") {
    cli.set_env("JUMPSYNC_SECRET_KEY", std::string(64, 'f'));
    auto r = cli.run({"test-connection", "--team", "acme"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot decrypt team 'acme''s client secret") != std::string::npos);
    CHECK(r.err.find("secret key") != std::string::npos);
  }
}

TEST_CASE("the key file is created private on first use and reused", "[e2e][sqlite][secrets]") {
  TestDb db("sqlite");
  Cli cli(db.url(), db.dir() / "cli");
  std::string key_file = (db.dir() / "keys" / "secret.key").string();
  cli.set_env("JUMPSYNC_SECRET_KEY", "");
  cli.set_env("JUMPSYNC_SECRET_KEY_FILE", key_file);
  cli.ok({"db", "migrate"});
  cli.ok({"team", "create", "acme", "--sso", "--enterprise"});
  cli.ok({"team", "enable-scim", "acme"});
  write_file(db.dir() / "token", "scim-bearer-123456");
  std::string export_path = write_export(cli, "users.csv", {{"a@acme.example", "A", "A", true, "1"}});
  cli.ok({"team", "set-source", "acme", "--provider", "file", "--url", export_path, "--token-file",
          (db.dir() / "token").string()});
  struct stat st {};
  REQUIRE(stat(key_file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  cli.ok({"plan", "--team", "acme"});  // decrypts with the same key file
  std::filesystem::remove(key_file);
  auto r = cli.run({"plan", "--team", "acme"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("key file") != std::string::npos);
}
