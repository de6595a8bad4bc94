// Index building for the planner: one pass over each snapshot.
#include <algorithm>

#include "jumpsync/core/detail/planner_context.h"

namespace jumpsync::detail {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

uint32_t lookup(const IndexMap& map, std::string_view key) {
  auto it = map.find(key);
  return it == map.end() ? kNone : it->second;
}

// Several accounts with one link (bad data): highest link_epoch, then
// lowest id, wins — deterministic whatever the input order.
bool better_link(const JumpAccount& a, const JumpAccount& b) {
  if (a.state.link_epoch != b.state.link_epoch) return a.state.link_epoch > b.state.link_epoch;
  return a.id < b.id;
}

void index_accounts(PlannerContext& ctx) {
  const auto& accounts = ctx.jump.accounts;
  ctx.account_by_email.reserve(accounts.size());
  ctx.account_by_link.reserve(accounts.size());
  for (uint32_t i = 0; i < accounts.size(); ++i) {
    const AccountState& s = accounts[i].state;
    auto [it, fresh] = ctx.account_by_email.try_emplace(s.email, i);
    if (!fresh && accounts[i].id < accounts[it->second].id) it->second = i;
    if (s.managed_by != ctx.policy.team_id || s.external_id.empty()) continue;
    auto [lit, lfresh] = ctx.account_by_link.try_emplace(s.external_id, i);
    if (!lfresh && better_link(accounts[i], accounts[lit->second])) lit->second = i;
  }
}

void index_idp(PlannerContext& ctx) {
  const auto& users = ctx.idp.users;
  ctx.normalized.reserve(users.size());
  ctx.idp_email_count.reserve(users.size());
  ctx.idp_id_count.reserve(users.size());
  for (const IdpUser& u : users) ctx.normalized.push_back(normalize_email(u.email));
  for (std::size_t i = 0; i < users.size(); ++i) {
    if (ctx.normalized[i].ok) ++ctx.idp_email_count[ctx.normalized[i].email];
    if (!users[i].external_id.empty()) ++ctx.idp_id_count[users[i].external_id];
  }
}

}  // namespace

void build_indexes(PlannerContext& ctx) {
  index_accounts(ctx);
  index_idp(ctx);
  if (ctx.policy.domain_verification) {
    ctx.verified_domains = ctx.policy.verified_domains;
    std::sort(ctx.verified_domains.begin(), ctx.verified_domains.end());
  }
}

const JumpAccount* PlannerContext::find_email(std::string_view email) const {
  uint32_t i = lookup(account_by_email, email);
  return i == kNone ? nullptr : &jump.accounts[i];
}

const JumpAccount* PlannerContext::find_link(std::string_view external_id) const {
  if (external_id.empty()) return nullptr;
  uint32_t i = lookup(account_by_link, external_id);
  return i == kNone ? nullptr : &jump.accounts[i];
}

uint32_t PlannerContext::email_count(std::string_view email) const {
  uint32_t n = lookup(idp_email_count, email);
  return n == kNone ? 0 : n;
}

uint32_t PlannerContext::id_count(std::string_view external_id) const {
  if (external_id.empty()) return 0;
  uint32_t n = lookup(idp_id_count, external_id);
  return n == kNone ? 0 : n;
}

bool PlannerContext::domain_verified(const std::string& email) const {
  if (verified_domains.empty()) return false;
  std::string domain = email_domain(email);
  return std::binary_search(verified_domains.begin(), verified_domains.end(), domain);
}

}  // namespace jumpsync::detail
