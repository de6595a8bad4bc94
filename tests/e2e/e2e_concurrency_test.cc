// Concurrency and crash safety, with real processes: run-due workers racing
// over many teams, two applies for one team, and an applier killed with
// SIGKILL at random points of a large apply.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <thread>

#include "e2e/e2e_support.h"
#include "jumpsync/store/store.h"

using namespace jumpsync::testing;

namespace {

std::vector<CsvUser> crowd(int n, const std::string& domain) {
  std::vector<CsvUser> out;
  for (int i = 0; i < n; ++i)
    out.push_back({"u" + std::to_string(i) + "@" + domain, "Given" + std::to_string(i), "Family", true,
                   "x" + std::to_string(i)});
  return out;
}

long long scalar(const TestDb& db, const std::string& query) {
  auto raw = db.raw();
  long long n = -1;
  *raw << query, soci::into(n);
  return n;
}

// The state an admin cares about, without ids and times.
std::string account_state(const TestDb& db) {
  auto raw = db.raw();
  std::string out, line;
  soci::statement st = (raw->prepare << "SELECT email || '|' || verified || '|' || status || '|' || external_id || "
                                        "'|' || link_epoch FROM accounts ORDER BY email",
                        soci::into(line));
  st.execute();
  while (st.fetch()) out += line + "\n";
  return out;
}

void check_invariants(const TestDb& db) {
  // No half-linked account, every managed account has its audit row, and
  // every outbox row belongs to an account that exists.
  CHECK(scalar(db, "SELECT COUNT(*) FROM accounts WHERE managed_by IS NOT NULL AND (external_id = '' OR link_epoch = 0)") == 0);
  CHECK(scalar(db, "SELECT COUNT(*) FROM accounts a WHERE a.managed_by IS NOT NULL AND NOT EXISTS "
                   "(SELECT 1 FROM applied_actions x WHERE x.account_id = a.id)") == 0);
  CHECK(scalar(db, "SELECT COUNT(*) FROM mail_outbox o WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = o.account_id)") == 0);
  CHECK(scalar(db, "SELECT COUNT(*) FROM (SELECT email FROM accounts GROUP BY email HAVING COUNT(*) > 1) d") == 0);
}

}  // namespace

TEST_CASE("three run-due workers over 200 due teams: each team synced exactly once", "[e2e][pg][concurrency]") {
  TestDb db("postgresql");
  Cli cli(db.url(), std::filesystem::temp_directory_path() / ("jumpsync_rundue_" + std::to_string(getpid())));
  cli.ok({"db", "migrate"});
  {
    auto store = jumpsync::open_store(db.url());
    for (int t = 0; t < 200; ++t) {
      std::string name = "team" + std::to_string(t);
      auto team = store->create_team({name, true, true, false}, 1);
      store->set_scim_enabled(team.id, true, 1, "sha256:x", "test", 1);
      jumpsync::StoredSource src;
      src.provider = "file";
      src.url = write_export(cli, name + ".csv", crowd(3, name + ".example"));
      store->set_source(team.id, src);
    }
  }
  std::vector<pid_t> workers;
  for (int w = 0; w < 3; ++w) workers.push_back(cli.start({"run-due"}, "worker" + std::to_string(w)));
  for (int w = 0; w < 3; ++w) {
    auto r = cli.wait(workers[w], "worker" + std::to_string(w));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
  }
  CHECK(scalar(db, "SELECT COUNT(*) FROM teams t WHERE (SELECT COUNT(*) FROM sync_runs r WHERE r.team_id = t.id "
                   "AND r.outcome = 'ok' AND r.trigger = 'cron') <> 1") == 0);
  CHECK(scalar(db, "SELECT COUNT(*) FROM accounts") == 600);
  // Nothing is due any more: another run-due syncs nothing.
  auto again = cli.ok({"run-due"});
  CHECK(again.out.find("0 synced, 0 failed") != std::string::npos);
}

TEST_CASE("two applies for one team at once: never both at the same time", "[e2e][pg][sqlite][concurrency]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  TestDb db(backend);
  Cli cli(db.url(), std::filesystem::temp_directory_path() / ("jumpsync_two_" + std::to_string(getpid()) + backend));
  cli.ok({"db", "migrate"});
  make_scim_team(cli, "acme", write_export(cli, "big.csv", crowd(20000, "acme.example")));
  pid_t a = cli.start({"apply", "--team", "acme"}, "a"), b = cli.start({"apply", "--team", "acme"}, "b");
  auto ra = cli.wait(a, "a"), rb = cli.wait(b, "b");
  INFO(ra.err << rb.err);
  CHECK((ra.exit_code == 0 || ra.exit_code == 7));
  CHECK((rb.exit_code == 0 || rb.exit_code == 7));
  CHECK((ra.exit_code == 0 || rb.exit_code == 0));
  // Exactly one run created the accounts; if both ran, the second found nothing to do.
  CHECK(scalar(db, "SELECT COUNT(*) FROM applied_actions WHERE action = 'create'") == 20000);
  CHECK(scalar(db, "SELECT COUNT(*) FROM accounts") == 20000);
  check_invariants(db);
}

TEST_CASE("SIGKILL at random points of a large apply: consistent, then converges", "[e2e][pg][sqlite][crash]") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  const int users = 20000;
  // The uninterrupted run, for the final state and the duration.
  TestDb reference(backend);
  Cli ref(reference.url(), std::filesystem::temp_directory_path() / ("jumpsync_ref_" + std::to_string(getpid()) + backend));
  ref.ok({"db", "migrate"});
  std::string export_path = write_export(ref, "big.csv", crowd(users, "acme.example"));
  make_scim_team(ref, "acme", export_path);
  auto t0 = std::chrono::steady_clock::now();
  ref.ok({"apply", "--team", "acme"});
  auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();

  TestDb db(backend);
  Cli cli(db.url(), std::filesystem::temp_directory_path() / ("jumpsync_crash_" + std::to_string(getpid()) + backend));
  cli.ok({"db", "migrate"});
  make_scim_team(cli, "acme", export_path);
  std::mt19937 rng(20261204);
  // Kill within the first half of an uninterrupted run's time, so that
  // (even on a loaded machine) the kill lands mid-apply.
  std::uniform_int_distribution<long> delay(0, std::max<long>(1, static_cast<long>(full_ms / 2)));
  int killed_mid_run = 0;
  auto probe = jumpsync::open_store(db.url());
  const int64_t team_id = probe->find_team("acme")->id;
  for (int i = 0; i < 40 && killed_mid_run < 20; ++i) {
    // Let the previous victim's server session notice it died and let go of
    // the team, so that this victim really runs (rather than exit 7 at once).
    for (int wait = 0; wait < 100 && !probe->try_lock_team(team_id); ++wait)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    pid_t pid = cli.start({"apply", "--team", "acme"}, "victim");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay(rng)));
    kill(pid, SIGKILL);
    auto r = cli.wait(pid, "victim");
    if (r.exit_code == 128 + SIGKILL) ++killed_mid_run;
    long long accounts = scalar(db, "SELECT COUNT(*) FROM accounts");
    INFO("kill " << i << " after " << accounts << " accounts");
    CHECK((accounts == 0 || accounts == users));  // all or nothing
    check_invariants(db);
  }
  CHECK(killed_mid_run == 20);  // twenty processes really died by SIGKILL
  // A killed client's server session may take a moment to notice and let
  // go of the team lock: the rerun waits for it like an operator would.
  CliResult last;
  for (int attempt = 0; attempt < 60; ++attempt) {
    last = cli.run({"apply", "--team", "acme"});
    if (last.exit_code != 7) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  INFO(last.err);
  REQUIRE(last.exit_code == 0);
  CHECK(account_state(db) == account_state(reference));
  CHECK(scalar(db, "SELECT COUNT(*) FROM applied_actions WHERE action = 'create'") == users);
  CHECK(scalar(db, "SELECT COUNT(*) FROM sync_runs WHERE outcome = 'running'") == 0);  // killed runs closed
  check_invariants(db);
}
