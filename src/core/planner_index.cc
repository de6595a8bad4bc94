// Index building for the planner: one pass over each snapshot.
#include <algorithm>

#include "jumpsync/core/detail/planner_context.h"
#include "jumpsync/core/email.h"

namespace jumpsync::detail {
namespace {

constexpr uint32_t kNone = FlatIndex::kNone;

// Several accounts with one link (bad data): highest link_epoch, then
// lowest id, wins — deterministic whatever the input order.
bool better_link(const JumpAccount& a, const JumpAccount& b) {
  if (a.state.link_epoch != b.state.link_epoch) return a.state.link_epoch > b.state.link_epoch;
  return a.id < b.id;
}

void index_accounts(PlannerContext& ctx) {
  const auto& accounts = ctx.jump.accounts;
  auto email_of = [&](uint32_t i) -> std::string_view { return accounts[i].state.email; };
  auto link_of = [&](uint32_t i) -> std::string_view { return accounts[i].state.external_id; };
  ctx.account_by_email.reserve(accounts.size());
  ctx.account_by_link.reserve(accounts.size());
  bool inserted = false;
  for (uint32_t i = 0; i < accounts.size(); ++i) {
    if (i + 16 < accounts.size()) __builtin_prefetch(accounts[i + 16].state.email.data());
    if (i + 8 < accounts.size()) {
      const AccountState& ahead = accounts[i + 8].state;
      ctx.account_by_email.prefetch(ahead.email);
      if (ahead.managed_by == ctx.policy.team_id) ctx.account_by_link.prefetch(ahead.external_id);
    }
    const AccountState& s = accounts[i].state;
    uint32_t& by_email = ctx.account_by_email.insert(s.email, i, email_of, &inserted);
    if (!inserted && accounts[i].id < accounts[by_email].id) by_email = i;
    if (s.managed_by != ctx.policy.team_id || s.external_id.empty()) continue;
    uint32_t& by_link = ctx.account_by_link.insert(s.external_id, i, link_of, &inserted);
    if (!inserted && better_link(accounts[i], accounts[by_link])) by_link = i;
  }
}

IdpEmail normalize_into(PlannerContext& ctx, const std::string& raw) {
  if (is_normalized_email(raw)) return IdpEmail(true, raw);
  NormalizedEmail n = normalize_email(raw);
  if (!n.ok) return IdpEmail(false, ctx.owned.emplace_back(std::move(n.error)));
  if (n.email == raw) return IdpEmail(true, raw);
  return IdpEmail(true, ctx.owned.emplace_back(std::move(n.email)));
}

void index_idp(PlannerContext& ctx) {
  const auto& users = ctx.idp.users;
  auto email_of = [&](uint32_t i) { return ctx.normalized[i].email(); };
  auto id_of = [&](uint32_t i) -> std::string_view { return users[i].external_id; };
  ctx.normalized.reserve(users.size());
  ctx.idp_by_email.reserve(users.size());
  ctx.idp_by_id.reserve(users.size());
  ctx.email_users.assign(users.size(), 0);
  ctx.id_users.assign(users.size(), 0);
  bool inserted = false;
  for (uint32_t i = 0; i < users.size(); ++i) {
    if (i + 16 < users.size()) __builtin_prefetch(users[i + 16].email.data());
    if (i + 8 < users.size()) {
      ctx.idp_by_email.prefetch(users[i + 8].email);  // usually the normalised form already
      ctx.idp_by_id.prefetch(users[i + 8].external_id);
    }
    ctx.normalized.push_back(normalize_into(ctx, users[i].email));
    if (ctx.normalized[i].ok) {
      ++ctx.email_users[ctx.idp_by_email.insert(ctx.normalized[i].email(), i, email_of, &inserted)];
      ctx.duplicate_emails |= !inserted;
    }
    if (!users[i].external_id.empty()) {
      ++ctx.id_users[ctx.idp_by_id.insert(users[i].external_id, i, id_of, &inserted)];
      ctx.duplicate_ids |= !inserted;
    }
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

void prefetch_user(const PlannerContext& ctx, std::size_t index, int stage) {
  if (index >= ctx.idp.users.size()) return;
  const IdpUser& user = ctx.idp.users[index];
  const IdpEmail& n = ctx.normalized[index];
  if (stage == 0) {
    if (!user.external_id.empty()) ctx.account_by_link.prefetch(user.external_id);
    if (n.ok) ctx.account_by_email.prefetch(n.email());
    return;
  }
  for (uint32_t v : {user.external_id.empty() ? kNone : ctx.account_by_link.peek(user.external_id),
                     n.ok ? ctx.account_by_email.peek(n.email()) : kNone}) {
    if (v == kNone) continue;
    const JumpAccount& acc = ctx.jump.accounts[v];
    if (stage == 1) {
      __builtin_prefetch(&acc);
      __builtin_prefetch(reinterpret_cast<const char*>(&acc) + 64);
      __builtin_prefetch(reinterpret_cast<const char*>(&acc) + 128);
    } else {
      __builtin_prefetch(acc.state.email.data());
    }
  }
}

const JumpAccount* PlannerContext::find_email(std::string_view email) const {
  uint32_t i = account_by_email.find(email, [&](uint32_t k) -> std::string_view {
    return jump.accounts[k].state.email;
  });
  return i == kNone ? nullptr : &jump.accounts[i];
}

const JumpAccount* PlannerContext::find_link(std::string_view external_id) const {
  if (external_id.empty()) return nullptr;
  uint32_t i = account_by_link.find(external_id, [&](uint32_t k) -> std::string_view {
    return jump.accounts[k].state.external_id;
  });
  return i == kNone ? nullptr : &jump.accounts[i];
}

uint32_t PlannerContext::email_count(std::string_view email) const {
  uint32_t first = idp_by_email.find(email, [&](uint32_t k) { return normalized[k].email(); });
  return first == kNone ? 0 : email_users[first];
}

uint32_t PlannerContext::id_count(std::string_view external_id) const {
  if (external_id.empty()) return 0;
  uint32_t first = idp_by_id.find(external_id, [&](uint32_t k) -> std::string_view {
    return idp.users[k].external_id;
  });
  return first == kNone ? 0 : id_users[first];
}

bool PlannerContext::domain_verified(std::string_view email) const {
  if (verified_domains.empty()) return false;
  std::size_t at = email.rfind('@');
  std::string_view domain = at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
  return std::binary_search(verified_domains.begin(), verified_domains.end(), domain);
}

}  // namespace jumpsync::detail
