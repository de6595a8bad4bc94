// plan(): builds the indexes, decides one action per IdP user, then handles
// the accounts no IdP user mentioned, sorts, fingerprints and guards.
#include "jumpsync/core/planner.h"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "jumpsync/core/detail/planner_context.h"
#include "jumpsync/core/fingerprint.h"
#include "jumpsync/core/guard.h"

namespace jumpsync {
namespace {

Action absent_deactivation(const detail::PlannerContext& ctx, const JumpAccount& acc) {
  Action a;
  a.kind = ActionKind::deactivate;
  a.email = ctx.text(acc.state.email);
  a.given_name = ctx.text(acc.state.given_name);
  a.family_name = ctx.text(acc.state.family_name);
  a.account_id = acc.id;
  a.reason = ctx.reason(detail::Reason::absent);
  const PackedState* before = ctx.pack(acc.state, a);
  a.before = OptionalState::packed(before);
  // `after` is `before` deactivated, sharing its strings (no AccountState
  // copy; a Text copy would be deep and owned, hence share()).
  PackedState after;
  after.email = before->email.share();
  after.given_name = before->given_name.share();
  after.family_name = before->family_name.share();
  after.external_id = before->external_id.share();
  after.link_epoch = before->link_epoch;
  after.managed_by = before->managed_by;
  after.pending_team = before->pending_team;
  after.flags = static_cast<uint8_t>(before->flags & ~PackedState::kActive);
  a.after = OptionalState::packed(ctx.arena->make(std::move(after)));
  return a;
}

// Why an unmatched team member is left alone; "" when it is not listed.
std::string unmanaged_reason(const AccountState& s, const Policy& policy) {
  if (s.managed_by == policy.team_id) return "linked in an earlier SCIM epoch; not assigned in the IdP now";
  if (!s.team_member) return "";
  if (s.managed_by) {
    return "team member managed by another team's SCIM (team " + std::to_string(*s.managed_by) +
           "); not in the IdP";
  }
  if (s.pending_team == policy.team_id) return "awaiting email verification; no longer assigned in the IdP";
  return "team member not managed by SCIM (invited by hand); not in the IdP";
}

void plan_absent(const detail::PlannerContext& ctx, const std::vector<char>& claimed, Plan& out) {
  const auto& accounts = ctx.jump.accounts;
  // The unclaimed accounts are a sparse subset read in position order: a
  // ring of the next ones, their lines prefetched when found and their
  // emails kRing / 2 accounts later.
  constexpr std::size_t kRing = 16;
  uint32_t ring[kRing];
  std::size_t scan = 0, head = 0, tail = 0;
  for (;;) {
    for (; tail - head < kRing && scan < accounts.size(); ++scan) {
      if (claimed[scan]) continue;
      ring[tail++ % kRing] = static_cast<uint32_t>(scan);
      const char* p = reinterpret_cast<const char*>(&accounts[scan]);
      for (std::size_t line = 0; line < sizeof(JumpAccount); line += 64) __builtin_prefetch(p + line);
    }
    if (head == tail) break;
    if (tail - head > kRing / 2) __builtin_prefetch(accounts[ring[(head + kRing / 2) % kRing]].state.email.data());
    std::size_t i = ring[head++ % kRing];
    const AccountState& s = accounts[i].state;
    bool current = s.managed_by == ctx.policy.team_id && s.link_epoch >= ctx.policy.scim_epoch;
    if (current) {
      if (s.status == AccountStatus::active) out.actions.push_back(absent_deactivation(ctx, accounts[i]));
      continue;
    }
    std::string why = unmanaged_reason(s, ctx.policy);
    if (!why.empty()) out.unmanaged.push_back(UnmanagedMember{accounts[i].id, s.email, std::move(why)});
  }
}

// Canonical order: (kind, email, external_id, names, account_id, reason).
bool action_less(const Action& x, const Action& y) {
  auto key = [](const Action& a) {
    return std::tie(a.kind, a.email, a.external_id, a.given_name, a.family_name, a.account_id, a.reason);
  };
  return key(x) < key(y);
}

// Sorting 1M Actions directly is slow: sort 16-byte keys holding the kind
// and the first 11 email bytes (as big-endian words, so integer order is
// byte order) with the action's position, fall back to the full comparison
// on a prefix tie, then move each action once into place.
struct SortKey {
  uint64_t prefix;  // kind, then the email's first 7 bytes, zero-padded
  uint32_t more;    // the email's bytes 7..10
  uint32_t index;
};

uint64_t big_endian(const char* bytes, int n) {
  uint64_t w = 0;
  for (int i = 0; i < n; ++i) w = (w << 8) | static_cast<unsigned char>(bytes[i]);
  return w;
}

SortKey sort_key(const Action& a, uint32_t index) {
  char bytes[12] = {};
  bytes[0] = static_cast<char>(a.kind);
  std::string_view email = a.email;
  std::memcpy(bytes + 1, email.data(), std::min(email.size(), sizeof bytes - 1));
  return SortKey{big_endian(bytes, 8), static_cast<uint32_t>(big_endian(bytes + 8, 4)), index};
}

// Moves actions[src[k]] to position k, in place (one cycle at a time), so
// no second million-action vector is ever allocated. Following a cycle is
// a chain of dependent random reads; a second walker runs kAhead steps
// ahead on `src` (4 bytes an action, mostly cache-resident) and prefetches
// the actions the first will move, so the misses on the 80-byte actions
// overlap instead of following one another.
// A uint32 that may live in another type's storage (the sort keys').
using AliasU32 = uint32_t __attribute__((may_alias));

void permute(std::vector<Action>& actions, AliasU32* src, std::size_t n) {
  constexpr uint32_t kDone = UINT32_MAX;
  constexpr int kAhead = 12;
  auto prefetch = [&](uint32_t i) {
    const char* p = reinterpret_cast<const char*>(&actions[i]);
    __builtin_prefetch(p, 1);
    __builtin_prefetch(p + sizeof(Action) - 1, 1);
  };
  for (uint32_t start = 0; start < n; ++start) {
    if (src[start] == kDone) continue;
    if (src[start] == start) {
      src[start] = kDone;
      continue;
    }
    uint32_t ahead = start;
    for (int d = 0; d < kAhead && src[ahead] != start; ++d) {
      ahead = src[ahead];
      prefetch(ahead);
    }
    Action held = std::move(actions[start]);
    uint32_t j = start;
    while (src[j] != start) {
      if (src[ahead] != start) {
        ahead = src[ahead];
        prefetch(ahead);
      }
      uint32_t from = src[j];
      actions[j] = std::move(actions[from]);
      src[j] = kDone;
      j = from;
    }
    actions[j] = std::move(held);
    src[j] = kDone;
  }
}

// std::sort, in place: a radix sort would be faster but needs a second key
// array (18 MB for 1.1M actions) at the moment the whole plan is resident.
void sort_actions(std::vector<Action>& actions) {
  std::vector<SortKey> keys;
  keys.reserve(actions.size());
  for (uint32_t i = 0; i < actions.size(); ++i) keys.push_back(sort_key(actions[i], i));
  
  std::sort(keys.begin(), keys.end(), [&](const SortKey& x, const SortKey& y) {
    if (x.prefix != y.prefix) return x.prefix < y.prefix;
    if (x.more != y.more) return x.more < y.more;
    return action_less(actions[x.index], actions[y.index]);
  });
  // The indexes, packed 4 bytes apart at the front of the keys' own buffer
  // (no second array at the plan's peak): entry k is written at byte 4k,
  // never past key k, which has been read by then.
  auto* src = reinterpret_cast<AliasU32*>(static_cast<void*>(keys.data()));
  for (std::size_t k = 0; k < keys.size(); ++k) src[k] = keys[k].index;
  permute(actions, src, keys.size());
}

void sort_plan(Plan& out) {
  sort_actions(out.actions);
  std::sort(out.unmanaged.begin(), out.unmanaged.end(), [](const auto& x, const auto& y) {
    return std::tie(x.email, x.account_id) < std::tie(y.email, y.account_id);
  });
}

}  // namespace

Plan plan_without_fingerprint(const IdpSnapshot& idp, const JumpSnapshot& jump, const Policy& policy) {
  Plan out;
  out.team = policy.team_name;
  out.team_id = policy.team_id;
  out.scim_epoch = policy.scim_epoch;
  {
    // The indexes are freed before sorting, so they never coexist with
    // the sort keys.
    out.storage.arena = std::make_shared<TextArena>();
    detail::PlannerContext ctx(idp, jump, policy);
    detail::build_indexes(ctx, *out.storage.arena);
    std::vector<char> claimed(jump.accounts.size(), 0);
    // At most one action per IdP user plus one per absent account. Pages
    // of the reserve that are never written are never resident.
    out.actions.reserve(idp.users.size() + jump.accounts.size());
    for (std::size_t i = 0; i < 8; ++i) detail::prefetch_user(ctx, i, 0);
    for (std::size_t i = 0; i < idp.users.size(); ++i) {
      detail::prefetch_user(ctx, i + 16, -1);
      detail::prefetch_user(ctx, i + 8, 0);
      detail::prefetch_user(ctx, i + 4, 1);
      out.actions.push_back(detail::decide_user(ctx, i, claimed));
    }
    detail::free_indexes(ctx);
    detail::fill_noop_texts(ctx, out.actions);
    std::vector<detail::IdpEmail>().swap(ctx.normalized);
    plan_absent(ctx, claimed, out);
  }
  sort_plan(out);
  apply_deactivation_guard(out, jump, policy, idp.users.empty());
  return out;
}

Plan plan(const IdpSnapshot& idp, const JumpSnapshot& jump, const Policy& policy) {
  Plan out = plan_without_fingerprint(idp, jump, policy);
  out.fingerprint = fingerprint(jump, policy);
  return out;
}

}  // namespace jumpsync
