// Planner benchmark (issue #3): 1,000,000 IdP users vs 1,000,000 Jump
// accounts (~10% creates, ~10% deactivations, ~5% updates, rest noops),
// timing plan() and reporting peak RSS; plus a naive nested-loop planner on
// 20,000 users as a baseline, extrapolated quadratically to 1M.
//
// Usage: bench_planner [users] [baseline_users]   (defaults 1000000 20000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <ctime>
#include <string>

#include "jumpsync/core/email.h"
#include "jumpsync/core/fingerprint.h"
#include "jumpsync/core/plan_format.h"
#include "jumpsync/core/planner.h"

using namespace jumpsync;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t kTeam = 7;

struct Population {
  IdpSnapshot idp;
  JumpSnapshot jump;
};

std::string email_of(std::size_t i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "user%07zu@corp.example", i);
  return buf;
}

std::string id_of(std::size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "00u%07zu", i);
  return buf;
}

// Accounts 0..n-1 are managed; the IdP lists accounts 0..0.9n-1 (5% of
// them renamed) plus 0.1n new users; accounts 0.9n..n-1 are deactivated.
Population make_population(std::size_t n, uint32_t seed) {
  Population p;
  std::size_t kept = n * 9 / 10;
  p.jump.accounts.reserve(n);
  p.idp.users.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    JumpAccount a;
    a.id = static_cast<int64_t>(i + 1);
    a.state = AccountState{email_of(i), "Given", "Family", true, AccountStatus::active, kTeam,
                           id_of(i), 1, std::nullopt, true};
    p.jump.accounts.push_back(std::move(a));
  }
  for (std::size_t i = 0; i < kept + (n - kept); ++i) {
    std::size_t who = i < kept ? i : n + i;  // new users get fresh numbers
    std::string family = (i < kept && i % 18 == 0) ? "Renamed" : "Family";  // ~5% of n
    p.idp.users.push_back(IdpUser{id_of(who), email_of(who), "Given", family, true});
  }
  std::mt19937 rng(seed);
  std::shuffle(p.idp.users.begin(), p.idp.users.end(), rng);
  std::shuffle(p.jump.accounts.begin(), p.jump.accounts.end(), rng);
  return p;
}

Policy policy() {
  Policy p;
  p.team_id = kTeam;
  p.team_name = "bench";
  p.scim_epoch = 1;
  return p;
}

long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of this thread: on a shared machine, wall time also counts the
// time other processes held the core.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// The baseline: what a first attempt looks like. For each IdP user scan
// every account (O(n*m)); std::map for duplicate counts; absent accounts
// found by scanning the IdP list per account. Decides the same four kinds
// that occur in this population (create, update, deactivate, noop).
std::map<std::string, int64_t> naive_plan(const IdpSnapshot& idp, const JumpSnapshot& jump) {
  std::map<std::string, int64_t> counts, dup;
  std::vector<std::string> norm;
  for (const IdpUser& u : idp.users) {
    norm.push_back(normalize_email(u.email).email);
    ++dup[norm.back()];
  }
  for (std::size_t i = 0; i < idp.users.size(); ++i) {
    const JumpAccount* match = nullptr;
    for (const JumpAccount& a : jump.accounts) {
      if (a.state.email == norm[i]) { match = &a; break; }
    }
    if (dup[norm[i]] > 1) ++counts["conflict"];
    else if (!match) ++counts["create"];
    else if (match->state.family_name != idp.users[i].family_name) ++counts["update"];
    else ++counts["noop"];
  }
  for (const JumpAccount& a : jump.accounts) {
    bool seen = false;
    for (const std::string& e : norm) {
      if (e == a.state.email) { seen = true; break; }
    }
    if (!seen) ++counts["deactivate"];
  }
  return counts;
}

void print_counts(const char* label, std::map<std::string, int64_t> counts) {
  std::printf("  %-22s create %lld, update %lld, deactivate %lld, noop %lld, conflict %lld\n", label,
              static_cast<long long>(counts["create"]), static_cast<long long>(counts["update"]),
              static_cast<long long>(counts["deactivate"]), static_cast<long long>(counts["noop"]),
              static_cast<long long>(counts["conflict"]));
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000000;
  std::size_t base_n = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 20000;

  Population big = make_population(n, 1);
  long rss_inputs = peak_rss_kb();
  // plan() as callers use it: indexes, decisions, sort, guard and the
  // fingerprint, in one call.
  auto t0 = Clock::now();
  double c0 = thread_cpu_seconds();
  Plan p = plan(big.idp, big.jump, policy());
  double t_plan = seconds_since(t0);
  double c_plan = thread_cpu_seconds() - c0;
  long rss_plan = peak_rss_kb();
  // The fingerprint again, alone, for the breakdown.
  t0 = Clock::now();
  std::string fp = fingerprint(big.jump, policy());
  double t_fp = seconds_since(t0);
  // The JSON, streamed in 64 KB chunks (as to a file) and counted.
  t0 = Clock::now();
  std::size_t json_bytes = 0;
  write_json(p, [&](std::string_view chunk) { json_bytes += chunk.size(); });
  double t_json = seconds_since(t0);
  long rss_end = peak_rss_kb();

  Population small = make_population(base_n, 2);
  t0 = Clock::now();
  Plan small_plan = plan_without_fingerprint(small.idp, small.jump, policy());
  double t_small = seconds_since(t0);
  t0 = Clock::now();
  auto naive = naive_plan(small.idp, small.jump);
  double t_naive = seconds_since(t0);
  double scale = static_cast<double>(n) / static_cast<double>(base_n);

  std::printf("planner benchmark: %zu IdP users vs %zu Jump accounts\n", big.idp.users.size(),
              big.jump.accounts.size());
  print_counts("plan() actions:", summarize(p));
  print_counts("naive (baseline n):", naive);
  print_counts("plan() (baseline n):", summarize(small_plan));
  std::printf("\n| step | n | wall time | peak RSS (VmHWM) |\n|---|---|---|---|\n");
  std::printf("| inputs generated | %zu | - | %.0f MB |\n", n, rss_inputs / 1024.0);
  std::printf("| plan() (thread CPU %.3f s) | %zu | %.3f s | %.0f MB (+%.0f MB) |\n", c_plan, n, t_plan,
              rss_plan / 1024.0, (rss_plan - rss_inputs) / 1024.0);
  std::printf("| of which fingerprint() | %zu | %.3f s | |\n", n, t_fp);
  std::printf("| of which the rest (plan() - fingerprint()) | %zu | %.3f s | |\n", n, t_plan - t_fp);
  std::printf("| write_json() streamed (%.0f MB) | %zu | %.3f s | %.0f MB |\n", json_bytes / 1e6, n,
              t_json, rss_end / 1024.0);
  std::printf("| plan_without_fingerprint() | %zu | %.3f s | |\n", base_n, t_small);
  std::printf("| naive nested loop | %zu | %.3f s | |\n", base_n, t_naive);
  std::printf("| naive, extrapolated t*(n/%zu)^2 | %zu | %.0f s (%.1f h) | |\n", base_n, n,
              t_naive * scale * scale, t_naive * scale * scale / 3600);
  std::printf("fingerprint() again gives plan().fingerprint: %s\n", fp == p.fingerprint ? "yes" : "NO");
  std::printf("fingerprint %s..., blocked %s (10%% deactivations trips the default guard)\n",
              fp.substr(0, 16).c_str(), p.blocked ? "yes" : "no");
  std::printf("sizeof(Action) = %zu bytes, sizeof(AccountState) = %zu bytes: the action vector alone "
              "is %.0f MB for %zu actions\n",
              sizeof(Action), sizeof(AccountState), sizeof(Action) * p.actions.size() / 1e6,
              p.actions.size());
  return 0;
}
