// Index building for the planner: one pass over each snapshot.
#include <algorithm>

#include "jumpsync/core/detail/planner_context.h"
#include "jumpsync/core/detail/radix_sort.h"
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


// Accounts by email and by this team's link, as sorted (hash, position)
// words: one sequential pass, no hash table.
void index_accounts(PlannerContext& ctx) {
  const auto& accounts = ctx.jump.accounts;
  ctx.account_email_words.reserve(accounts.size());
  for (uint32_t i = 0; i < accounts.size(); ++i) {
    if (i + 16 < accounts.size()) __builtin_prefetch(accounts[i + 16].state.email.data());
    const AccountState& s = accounts[i].state;
    ctx.account_email_words.push_back((hash_key(s.email) >> 32) << 32 | i);
    if (s.managed_by != ctx.policy.team_id || s.external_id.empty()) continue;
    ctx.account_link_words.push_back((hash_key(s.external_id) >> 32) << 32 | i);
  }
  sort_words(ctx.account_email_words);
  sort_words(ctx.account_link_words);
}

// Merge join of two sorted word lists: for each user in `users`, the
// account with the same hash half, kSeveral when several accounts share
// it, kNone when none does (the key itself is checked when deciding).
std::vector<uint32_t> join_words(const std::vector<uint64_t>& users, const std::vector<uint64_t>& accounts,
                                 std::size_t user_count) {
  std::vector<uint32_t> match(user_count, kNone);
  std::size_t a = 0;
  for (uint64_t w : users) {
    uint64_t key = w >> 32;
    while (a < accounts.size() && (accounts[a] >> 32) < key) ++a;
    if (a == accounts.size()) break;
    if ((accounts[a] >> 32) != key) continue;
    bool several = a + 1 < accounts.size() && (accounts[a + 1] >> 32) == key;
    match[static_cast<uint32_t>(w)] = several ? PlannerContext::kSeveral : static_cast<uint32_t>(accounts[a]);
  }
  return match;
}

IdpEmail normalize_into(PlannerContext& ctx, const std::string& raw) {
  if (is_normalized_email(raw)) return IdpEmail(true, raw);
  NormalizedEmail n = normalize_email(raw);
  if (!n.ok) return IdpEmail(false, ctx.owned.emplace_back(std::move(n.error)));
  if (n.email == raw) return IdpEmail(true, raw);
  return IdpEmail(true, ctx.owned.emplace_back(std::move(n.email)));
}

// Sorts (key << 32 | value) words by their key half: LSD radix sort, 16
// bits a pass, a pass skipped when all words share its digit.

// True when two words of `words` (sorted) carry equal keys. Words with
// equal hash halves form runs (pairs at most, unless keys repeat): every
// pair of a run is compared until two keys are equal.
template <typename KeyOf>
bool has_duplicates(const std::vector<uint64_t>& words, KeyOf key_of) {
  for (std::size_t b = 0, e = 0; b < words.size(); b = e) {
    for (e = b + 1; e < words.size() && (words[e] >> 32) == (words[b] >> 32); ++e) {
    }
    for (std::size_t j = b + 1; j < e; ++j) {
      for (std::size_t m = b; m < j; ++m) {
        if (key_of(static_cast<uint32_t>(words[m])) == key_of(static_cast<uint32_t>(words[j]))) return true;
      }
    }
  }
  return false;
}

// The users with key `key` (hash h) in `words`.
template <typename KeyOf>
uint32_t count_in(const std::vector<uint64_t>& words, std::string_view key, uint64_t h, KeyOf key_of) {
  uint64_t from = (h >> 32) << 32;
  uint32_t n = 0;
  for (auto it = std::lower_bound(words.begin(), words.end(), from); it != words.end() && (*it >> 32) == (h >> 32);
       ++it) {
    n += key_of(static_cast<uint32_t>(*it)) == key;
  }
  return n;
}

// The old per-key counting tables, for snapshots with duplicates.
void count_duplicates(PlannerContext& ctx) {
  const auto& users = ctx.idp.users;
  auto email_of = [&](uint32_t i) { return ctx.normalized[i].email(); };
  auto id_of = [&](uint32_t i) -> std::string_view { return users[i].external_id; };
  bool inserted = false;
  if (ctx.duplicate_emails) {
    ctx.idp_by_email.reserve(users.size());
    ctx.email_users.assign(users.size(), 0);
    for (uint32_t i = 0; i < users.size(); ++i) {
      if (!ctx.normalized[i].ok) continue;
      ++ctx.email_users[ctx.idp_by_email.insert(email_of(i), i, email_of, &inserted)];
    }
  }
  if (ctx.duplicate_ids) {
    ctx.idp_by_id.reserve(users.size());
    ctx.id_users.assign(users.size(), 0);
    for (uint32_t i = 0; i < users.size(); ++i) {
      if (users[i].external_id.empty()) continue;
      ++ctx.id_users[ctx.idp_by_id.insert(users[i].external_id, i, id_of, &inserted)];
    }
  }
}

void index_idp(PlannerContext& ctx) {
  const auto& users = ctx.idp.users;
  auto email_of = [&](uint32_t i) { return ctx.normalized[i].email(); };
  auto id_of = [&](uint32_t i) -> std::string_view { return users[i].external_id; };
  ctx.normalized.reserve(users.size());
  ctx.idp_email_words.reserve(users.size());
  ctx.idp_id_words.reserve(users.size());
  for (uint32_t i = 0; i < users.size(); ++i) {
    if (i + 16 < users.size()) __builtin_prefetch(users[i + 16].email.data());
    ctx.normalized.push_back(normalize_into(ctx, users[i].email));
    const IdpEmail& n = ctx.normalized[i];
    if (n.ok) {
      ctx.idp_email_words.push_back((hash_key(n.email()) >> 32) << 32 | i);
    }
    if (!users[i].external_id.empty()) {
      ctx.idp_id_words.push_back((hash_key(users[i].external_id) >> 32) << 32 | i);
    }
  }
  sort_words(ctx.idp_email_words);
  sort_words(ctx.idp_id_words);
  ctx.duplicate_emails = has_duplicates(ctx.idp_email_words, email_of);
  ctx.duplicate_ids = has_duplicates(ctx.idp_id_words, id_of);
  count_duplicates(ctx);
  ctx.email_match = join_words(ctx.idp_email_words, ctx.account_email_words, users.size());
  ctx.link_match = join_words(ctx.idp_id_words, ctx.account_link_words, users.size());
}

}  // namespace

const char* reason_text(Reason r) {
  switch (r) {
    case Reason::create_domain_verified: return "new account; domain is verified for the team, no verification email";
    case Reason::create_email_queued: return "new account; verification email queued";
    case Reason::relinked_deactivated: return "relinked (SCIM was re-enabled) and deactivated: inactive in the IdP";
    case Reason::relinked_stays_deactivated:
      return "relinked (SCIM was re-enabled); stays deactivated: inactive in the IdP";
    case Reason::deactivated_inactive: return "deactivated; inactive in the IdP";
    case Reason::inactive: return "inactive in the IdP";
    case Reason::in_step: return "already in step";
    case Reason::awaiting_verification: return "awaiting email verification";
    case Reason::inactive_unmanaged: return "inactive in the IdP; account not managed by this team's SCIM, left alone";
    case Reason::inactive_no_account: return "inactive in the IdP; no account to create";
    case Reason::absent: return "no longer assigned in the IdP";
    case Reason::count_: break;
  }
  return "";
}

void build_indexes(PlannerContext& ctx, TextArena& arena) {
  ctx.arena = &arena;
  for (int r = 0; r < static_cast<int>(Reason::count_); ++r) {
    ctx.reasons[r] = arena.add(reason_text(static_cast<Reason>(r)));
  }
  index_accounts(ctx);
  index_idp(ctx);  // joins the users with the accounts
  if (ctx.policy.domain_verification) {
    ctx.verified_domains = ctx.policy.verified_domains;
    std::sort(ctx.verified_domains.begin(), ctx.verified_domains.end());
  }
}

void free_indexes(PlannerContext& ctx) {
  std::vector<uint64_t>().swap(ctx.account_email_words);
  std::vector<uint64_t>().swap(ctx.account_link_words);
  std::vector<uint32_t>().swap(ctx.email_match);
  std::vector<uint32_t>().swap(ctx.link_match);
  ctx.idp_by_email.release();
  ctx.idp_by_id.release();
  std::vector<uint32_t>().swap(ctx.email_users);
  std::vector<uint32_t>().swap(ctx.id_users);
  std::vector<uint64_t>().swap(ctx.idp_email_words);
  std::vector<uint64_t>().swap(ctx.idp_id_words);
}

void fill_noop_texts(const PlannerContext& ctx, std::vector<Action>& actions) {
  const auto& users = ctx.idp.users;
  for (std::size_t i = 0; i < users.size(); ++i) {
    if (i + 16 < users.size()) __builtin_prefetch(ctx.normalized[i + 16].data);
    Action& a = actions[i];
    if (a.kind != ActionKind::noop) continue;
    const IdpUser& u = users[i];
    const IdpEmail& n = ctx.normalized[i];
    a.email = ctx.text(n.ok ? n.email() : std::string_view(u.email));
    a.external_id = ctx.text(u.external_id);
    a.given_name = ctx.text(u.given_name);
    a.family_name = ctx.text(u.family_name);
  }
}

void prefetch_user(const PlannerContext& ctx, std::size_t index, int stage) {
  if (index >= ctx.idp.users.size()) return;
  if (stage < 0) {  // the email's bytes, compared when deciding (a heap string per user)
    __builtin_prefetch(ctx.normalized[index].data);
    return;
  }
  for (uint32_t v : {ctx.link_match[index], ctx.email_match[index]}) {
    if (v >= PlannerContext::kSeveral) continue;
    const JumpAccount& acc = ctx.jump.accounts[v];
    if (stage == 0) {
      __builtin_prefetch(&acc);
      __builtin_prefetch(reinterpret_cast<const char*>(&acc) + 64);
      __builtin_prefetch(reinterpret_cast<const char*>(&acc) + 128);
    } else {
      __builtin_prefetch(acc.state.email.data());
    }
  }
}

const JumpAccount* PlannerContext::find_email(std::size_t user, std::string_view email) const {
  uint32_t m = email_match[user];
  if (m == kNone) return nullptr;
  if (m != kSeveral) return jump.accounts[m].state.email == email ? &jump.accounts[m] : nullptr;
  // Several accounts share the hash half: the lowest id among the exact
  // matches (run in position order, so the first position on equal ids).
  uint64_t key = hash_key(email) >> 32;
  const JumpAccount* best = nullptr;
  for (auto it = std::lower_bound(account_email_words.begin(), account_email_words.end(), key << 32);
       it != account_email_words.end() && (*it >> 32) == key; ++it) {
    const JumpAccount& acc = jump.accounts[static_cast<uint32_t>(*it)];
    if (acc.state.email == email && (best == nullptr || acc.id < best->id)) best = &acc;
  }
  return best;
}

const JumpAccount* PlannerContext::find_link(std::size_t user, std::string_view external_id) const {
  uint32_t m = link_match[user];
  if (m == kNone) return nullptr;
  if (m != kSeveral) return jump.accounts[m].state.external_id == external_id ? &jump.accounts[m] : nullptr;
  uint64_t key = hash_key(external_id) >> 32;
  const JumpAccount* best = nullptr;
  for (auto it = std::lower_bound(account_link_words.begin(), account_link_words.end(), key << 32);
       it != account_link_words.end() && (*it >> 32) == key; ++it) {
    const JumpAccount& acc = jump.accounts[static_cast<uint32_t>(*it)];
    if (acc.state.external_id == external_id && (best == nullptr || better_link(acc, *best))) best = &acc;
  }
  return best;
}

uint32_t PlannerContext::email_count(std::string_view email) const {
  auto email_of = [&](uint32_t k) { return normalized[k].email(); };
  if (!duplicate_emails) return count_in(idp_email_words, email, hash_key(email), email_of);
  uint32_t first = idp_by_email.find(email, email_of);
  return first == kNone ? 0 : email_users[first];
}

uint32_t PlannerContext::id_count(std::string_view external_id) const {
  if (external_id.empty()) return 0;
  auto id_of = [&](uint32_t k) -> std::string_view { return idp.users[k].external_id; };
  if (!duplicate_ids) return count_in(idp_id_words, external_id, hash_key(external_id), id_of);
  uint32_t first = idp_by_id.find(external_id, id_of);
  return first == kNone ? 0 : id_users[first];
}

const PackedState* PlannerContext::pack(const AccountState& s, const Action& a,
                                        const PackedState* other) const {
  auto field = [&](const std::string& v) -> Text {
    std::string_view sv(v);
    if (Text::fits_inline(sv)) return Text(sv);
    for (const Text* t : {&a.email, &a.external_id, &a.given_name, &a.family_name}) {
      if (t->size() == sv.size() && t->view() == sv) return t->share();
    }
    if (other != nullptr) {
      for (const Text* t : {&other->email, &other->external_id, &other->given_name, &other->family_name}) {
        if (t->size() == sv.size() && t->view() == sv) return t->share();
      }
    }
    return arena->add(sv);
  };
  PackedState p;
  p.email = field(s.email);
  p.given_name = field(s.given_name);
  p.family_name = field(s.family_name);
  p.external_id = field(s.external_id);
  p.link_epoch = s.link_epoch;
  p.managed_by = s.managed_by.value_or(0);
  p.pending_team = s.pending_team.value_or(0);
  p.flags = static_cast<uint8_t>((s.verified ? PackedState::kVerified : 0) |
                                 (s.status == AccountStatus::active ? PackedState::kActive : 0) |
                                 (s.managed_by ? PackedState::kManaged : 0) |
                                 (s.pending_team ? PackedState::kPending : 0) |
                                 (s.team_member ? PackedState::kMember : 0));
  return arena->make(std::move(p));
}

bool PlannerContext::domain_verified(std::string_view email) const {
  if (verified_domains.empty()) return false;
  std::size_t at = email.rfind('@');
  std::string_view domain = at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
  return std::binary_search(verified_domains.begin(), verified_domains.end(), domain);
}

}  // namespace jumpsync::detail
