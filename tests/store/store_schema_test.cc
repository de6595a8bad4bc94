// Migrations and database-level constraints, on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include "common/test_db.h"
#include "jumpsync/core/errors.h"
#include "jumpsync/store/store.h"

using namespace jumpsync;
using jumpsync::testing::TestDb;

namespace {

int count(soci::session& s, const std::string& query) {
  int n = -1;
  s << query, soci::into(n);
  return n;
}

bool rejected(soci::session& s, const std::string& stmt) {
  try {
    s << stmt;
    return false;
  } catch (const soci::soci_error&) {
    return true;
  }
}

}  // namespace

TEST_CASE("migrate from empty, then again: the second run changes nothing", "[store][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  TestDb db(backend);
  auto store = open_store(db.url());
  CHECK_THROWS_AS(store->require_schema(), Error);
  auto first = store->migrate();
  REQUIRE(first == std::vector<std::string>{"0001_init", "0002_lean_journal_keys", "0003_bulk_friendly_accounts"});
  store->require_schema();
  auto raw = db.raw();
  int tables_query_result = count(*raw, "SELECT COUNT(*) FROM schema_migrations");
  CHECK(tables_query_result == 3);
  store->create_team({"acme", true, true, false}, 100);
  auto second = open_store(db.url())->migrate();
  CHECK(second.empty());
  CHECK(count(*raw, "SELECT COUNT(*) FROM schema_migrations") == 3);
  CHECK(count(*raw, "SELECT COUNT(*) FROM teams") == 1);  // data untouched
}

TEST_CASE("the database itself rejects bad rows", "[store][pg][sqlite]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  TestDb db(backend);
  open_store(db.url())->migrate();
  auto raw = db.raw();
  *raw << "INSERT INTO accounts (email, created_at, updated_at) VALUES ('ann@acme.example', 1, 1)";
  SECTION("duplicate email differing only in case: not normalised, so refused") {
    CHECK(rejected(*raw, "INSERT INTO accounts (email, created_at, updated_at) VALUES ('Ann@acme.example', 1, 1)"));
  }
  SECTION("duplicate normalised email") {
    CHECK(rejected(*raw, "INSERT INTO accounts (email, created_at, updated_at) VALUES ('ann@acme.example', 1, 1)"));
  }
  SECTION("unknown status") {
    CHECK(rejected(*raw, "INSERT INTO accounts (email, status, created_at, updated_at) VALUES ('b@x.example', 'gone', 1, 1)"));
  }
  SECTION("unknown run trigger and outcome") {
    *raw << "INSERT INTO teams (name, created_at) VALUES ('t', 1)";
    CHECK(rejected(*raw, "INSERT INTO sync_runs (team_id, trigger, mode, started_at) VALUES (1, 'whenever', 'apply', 1)"));
    CHECK(rejected(*raw, "INSERT INTO sync_runs (team_id, trigger, mode, started_at, outcome) VALUES (1, 'cron', 'apply', 1, 'meh')"));
  }
  SECTION("foreign keys: membership of a team that does not exist") {
    CHECK(rejected(*raw, "INSERT INTO team_members (team_id, account_id) VALUES (42, 1)"));
  }
  SECTION("a managed account needs a link epoch") {
    *raw << "INSERT INTO teams (name, created_at) VALUES ('t', 1)";
    CHECK(rejected(*raw, "UPDATE accounts SET managed_by = 1, link_epoch = 0"));
  }
  CHECK(count(*raw, "SELECT COUNT(*) FROM accounts") == 1);
}

TEST_CASE("open_store refuses unknown URLs with a usage error", "[store]") {
  try {
    open_store("mysql://x");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()).find("sqlite:PATH") != std::string::npos);
  }
}
