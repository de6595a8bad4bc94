// Apply benchmark (issue #4), on PostgreSQL:
//   100,000 creates, then 100,000 deactivations, each applied with its
//   audit rows (and outbox rows for the creates), then a no-change resync
//   of 100,000 users that must write no account row. Baseline in the same
//   run: the naive one-statement-per-user applier on 10,000 users.
// usage: bench_apply POSTGRES_URL [users=100000] [baseline_users=10000]
//   (scripts/bench.sh starts a throwaway PostgreSQL and passes its URL)
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "jumpsync/core/planner.h"
#include "jumpsync/core/plan_format.h"
#include "jumpsync/store/store.h"

using namespace jumpsync;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

IdpSnapshot population(int n, const std::string& tag) {
  IdpSnapshot idp;
  idp.users.reserve(n);
  for (int i = 0; i < n; ++i) {
    // Half on the verified domain (no email), half elsewhere (email queued).
    std::string domain = i % 2 ? "acme.example" : "partner.example";
    idp.users.push_back({"00u" + std::to_string(i), "user" + std::to_string(i) + "." + tag + "@" + domain,
                         "Given" + std::to_string(i), "Family", true});
  }
  return idp;
}

std::vector<std::string> emails(const IdpSnapshot& idp) {
  std::vector<std::string> out;
  for (const auto& u : idp.users) out.push_back(u.email);
  return out;
}

long long scalar(soci::session& s, const std::string& q) {
  long long n = 0;
  s << q, soci::into(n);
  return n;
}

struct Step {
  double load = 0, plan = 0, apply = 0;
  long long actions = 0;
};

Step run_step(Store& store, const TeamRecord& team, const IdpSnapshot& idp, std::optional<int64_t> allow, int64_t now) {
  Step s;
  auto t0 = Clock::now();
  JumpSnapshot jump = store.load_snapshot(team.id, emails(idp));
  s.load = seconds_since(t0);
  Policy policy;
  policy.team_id = team.id;
  policy.team_name = team.name;
  policy.scim_epoch = team.scim_epoch;
  policy.domain_verification = true;
  policy.verified_domains = {"acme.example"};
  policy.allow_deactivations = allow;
  t0 = Clock::now();
  Plan p = plan(idp, jump, policy);
  s.plan = seconds_since(t0);
  for (const auto& a : p.actions) s.actions += a.after.has_value();
  if (p.blocked) std::fprintf(stderr, "unexpectedly blocked: %s\n", p.block_reason.c_str());
  int64_t run = store.start_run(team.id, RunTrigger::manual, RunMode::apply, "bench", "bench", now);
  t0 = Clock::now();
  store.apply_plan(run, p, "{}", "", now);
  s.apply = seconds_since(t0);
  return s;
}

// The naive applier: one INSERT per account, one per audit row, one per
// outbox row, each a round trip, in one transaction.
double naive_creates(soci::session& sql, long long team, int n) {
  auto t0 = Clock::now();
  soci::transaction tx(sql);
  for (int i = 0; i < n; ++i) {
    std::string email = std::string("naive") + std::to_string(team) + "." + std::to_string(i) + "@partner.example";
    std::string ext = std::string("n") + std::to_string(i);
    long long id = 0;
    sql << "INSERT INTO accounts (email, verified, given_name, family_name, managed_by, external_id, link_epoch, "
           "created_at, updated_at) VALUES (:e, 0, 'G', 'F', :t, :x, 1, 1, 1) RETURNING id",
        soci::use(email), soci::use(team), soci::use(ext), soci::into(id);
    sql << "INSERT INTO team_members (team_id, account_id) VALUES (:t, :a)", soci::use(team), soci::use(id);
    sql << "INSERT INTO applied_actions (run_id, team_id, account_id, email, action, reason, actor, applied_at) "
           "VALUES (1, :t, :a, :e, 'create', 'new', 'bench', 1)",
        soci::use(team), soci::use(id), soci::use(email);
    sql << "INSERT INTO mail_outbox (team_id, account_id, email, created_at) VALUES (:t, :a, :e, 1)",
        soci::use(team), soci::use(id), soci::use(email);
  }
  tx.commit();
  return seconds_since(t0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_apply POSTGRES_URL [users] [baseline_users]\n");
    return 2;
  }
  std::string url = argv[1];
  int users = argc > 2 ? std::stoi(argv[2]) : 100000;
  int baseline = argc > 3 ? std::stoi(argv[3]) : 10000;
  auto store = open_store(url);
  store->migrate();
  TeamRecord team = store->create_team({"bench" + std::to_string(time(nullptr)), true, true, true}, 1);
  store->set_scim_enabled(team.id, true, 1, "sha256:x", "bench", 1);
  team = *store->find_team(team.name);
  soci::session raw(soci::postgresql, postgres_conninfo(url));

  IdpSnapshot idp = population(users, std::to_string(team.id));
  Step creates = run_step(*store, team, idp, std::nullopt, 100);
  long long outbox = scalar(raw, "SELECT COUNT(*) FROM mail_outbox WHERE team_id = " + std::to_string(team.id));
  long long audit = scalar(raw, "SELECT COUNT(*) FROM applied_actions WHERE team_id = " + std::to_string(team.id) +
                                    " AND action = 'create'");

  Step resync = run_step(*store, team, idp, std::nullopt, 200);
  long long written = scalar(raw, "SELECT COUNT(*) FROM accounts WHERE managed_by = " + std::to_string(team.id) +
                                      " AND updated_at = 200");

  Step deactivations = run_step(*store, team, IdpSnapshot{}, users, 300);
  long long deactivated = scalar(raw, "SELECT COUNT(*) FROM accounts WHERE managed_by = " + std::to_string(team.id) +
                                          " AND status = 'deactivated'");

  TeamRecord naive_team = store->create_team({team.name + "-naive", true, true, true}, 1);
  double naive = naive_creates(raw, naive_team.id, baseline);
  double naive_extrapolated = naive * users / baseline;

  std::printf("apply benchmark on PostgreSQL, %d users\n", users);
  std::printf("%-34s %8s %8s %8s %10s\n", "step", "load s", "plan s", "apply s", "rows");
  std::printf("%-34s %8.3f %8.3f %8.3f %10lld\n", "creates (+audit, +outbox)", creates.load, creates.plan,
              creates.apply, creates.actions);
  std::printf("%-34s %8.3f %8.3f %8.3f %10lld\n", "no-change resync", resync.load, resync.plan, resync.apply,
              resync.actions);
  std::printf("%-34s %8.3f %8.3f %8.3f %10lld\n", "deactivations (+audit)", deactivations.load, deactivations.plan,
              deactivations.apply, deactivations.actions);
  std::printf("checks: audit rows %lld, outbox rows %lld, accounts written by the resync %lld, deactivated %lld\n",
              audit, outbox, written, deactivated);
  std::printf("baseline: naive one-statement-per-row applier, %d creates: %.3f s -> %.1f s for %d (x%.0f slower)\n",
              baseline, naive, naive_extrapolated, users, naive_extrapolated / creates.apply);
  bool ok = creates.apply <= 2.0 && deactivations.apply <= 2.0 && written == 0 && audit == users &&
            deactivated == users && outbox == users / 2;
  std::printf("targets (apply <= 2 s each, resync writes 0 account rows): %s\n", ok ? "met" : "NOT met");
  return ok ? 0 : 1;
}
