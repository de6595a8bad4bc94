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

// Both loops below hash each key once, 8 entries ahead of its insertion
// (to prefetch its slot), and keep the hashes in a small ring until then.
constexpr std::size_t kAhead = 8, kRing = 16;

void index_accounts(PlannerContext& ctx) {
  const auto& accounts = ctx.jump.accounts;
  auto email_of = [&](uint32_t i) -> std::string_view { return accounts[i].state.email; };
  auto link_of = [&](uint32_t i) -> std::string_view { return accounts[i].state.external_id; };
  ctx.account_by_email.reserve(accounts.size());
  ctx.account_by_link.reserve(accounts.size());
  uint64_t email_hash[kRing], link_hash[kRing];
  auto linked = [&](const AccountState& s) {
    return s.managed_by == ctx.policy.team_id && !s.external_id.empty();
  };
  auto look_ahead = [&](std::size_t k) {
    if (k >= accounts.size()) return;
    const AccountState& ahead = accounts[k].state;
    email_hash[k % kRing] = hash_key(ahead.email);
    ctx.account_by_email.prefetch_hash(email_hash[k % kRing]);
    if (linked(ahead)) {
      link_hash[k % kRing] = hash_key(ahead.external_id);
      ctx.account_by_link.prefetch_hash(link_hash[k % kRing]);
    }
  };
  for (std::size_t k = 0; k < kAhead; ++k) look_ahead(k);
  bool inserted = false;
  for (uint32_t i = 0; i < accounts.size(); ++i) {
    if (i + 2 * kAhead < accounts.size()) __builtin_prefetch(accounts[i + 2 * kAhead].state.email.data());
    look_ahead(i + kAhead);
    const AccountState& s = accounts[i].state;
    uint32_t& by_email = ctx.account_by_email.insert_hash(email_hash[i % kRing], s.email, i, email_of, &inserted);
    if (!inserted && accounts[i].id < accounts[by_email].id) by_email = i;
    if (!linked(s)) continue;
    uint32_t& by_link = ctx.account_by_link.insert_hash(link_hash[i % kRing], s.external_id, i, link_of, &inserted);
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

// Sorts (key << 32 | value) words by their key half: LSD radix sort, 16
// bits a pass, a pass skipped when all words share its digit.
void sort_words(std::vector<uint64_t>& words) {
  if (words.size() < 2) return;
  std::vector<uint32_t> counts(2 * 65536, 0);
  for (uint64_t w : words) {
    ++counts[(w >> 32) & 0xFFFF];
    ++counts[65536 + (w >> 48)];
  }
  std::vector<uint64_t> buffer;
  for (int p = 0; p < 2; ++p) {
    uint32_t* c = &counts[p * 65536];
    int shift = 32 + 16 * p;
    if (c[(words[0] >> shift) & 0xFFFF] == words.size()) continue;
    if (buffer.empty()) buffer.resize(words.size());
    uint32_t sum = 0;
    for (int d = 0; d < 65536; ++d) {
      uint32_t n = c[d];
      c[d] = sum;
      sum += n;
    }
    for (uint64_t w : words) buffer[c[(w >> shift) & 0xFFFF]++] = w;
    words.swap(buffer);
  }
}

// True when two words of `words` (sorted) carry equal keys.
template <typename KeyOf>
bool has_duplicates(const std::vector<uint64_t>& words, KeyOf key_of) {
  for (std::size_t k = 1; k < words.size(); ++k) {
    if ((words[k] >> 32) != (words[k - 1] >> 32)) continue;
    // Equal hash halves: rare unless the keys are equal.
    for (std::size_t j = k; j < words.size() && (words[j] >> 32) == (words[k] >> 32); ++j) {
      for (std::size_t m = k - 1; m < j; ++m) {
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
      ++ctx.email_users[ctx.idp_by_email.insert_hash(ctx.email_hash[i], email_of(i), i, email_of, &inserted)];
    }
  }
  if (ctx.duplicate_ids) {
    ctx.idp_by_id.reserve(users.size());
    ctx.id_users.assign(users.size(), 0);
    for (uint32_t i = 0; i < users.size(); ++i) {
      if (users[i].external_id.empty()) continue;
      ++ctx.id_users[ctx.idp_by_id.insert_hash(ctx.id_hash[i], users[i].external_id, i, id_of, &inserted)];
    }
  }
}

void index_idp(PlannerContext& ctx) {
  const auto& users = ctx.idp.users;
  auto email_of = [&](uint32_t i) { return ctx.normalized[i].email(); };
  auto id_of = [&](uint32_t i) -> std::string_view { return users[i].external_id; };
  ctx.normalized.reserve(users.size());
  ctx.email_hash.resize(users.size());
  ctx.id_hash.resize(users.size());
  ctx.idp_email_words.reserve(users.size());
  ctx.idp_id_words.reserve(users.size());
  for (uint32_t i = 0; i < users.size(); ++i) {
    if (i + 16 < users.size()) __builtin_prefetch(users[i + 16].email.data());
    ctx.normalized.push_back(normalize_into(ctx, users[i].email));
    const IdpEmail& n = ctx.normalized[i];
    if (n.ok) {
      uint64_t h = hash_key(n.email());
      ctx.email_hash[i] = h;
      ctx.idp_email_words.push_back((h >> 32) << 32 | i);
    }
    if (!users[i].external_id.empty()) {
      uint64_t h = hash_key(users[i].external_id);
      ctx.id_hash[i] = h;
      ctx.idp_id_words.push_back((h >> 32) << 32 | i);
    }
  }
  sort_words(ctx.idp_email_words);
  sort_words(ctx.idp_id_words);
  ctx.duplicate_emails = has_duplicates(ctx.idp_email_words, email_of);
  ctx.duplicate_ids = has_duplicates(ctx.idp_id_words, id_of);
  count_duplicates(ctx);
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
  index_idp(ctx);
  if (ctx.policy.domain_verification) {
    ctx.verified_domains = ctx.policy.verified_domains;
    std::sort(ctx.verified_domains.begin(), ctx.verified_domains.end());
  }
}

void free_indexes(PlannerContext& ctx) {
  ctx.account_by_email.release();
  ctx.account_by_link.release();
  ctx.idp_by_email.release();
  ctx.idp_by_id.release();
  std::vector<uint32_t>().swap(ctx.email_users);
  std::vector<uint32_t>().swap(ctx.id_users);
  std::vector<uint64_t>().swap(ctx.idp_email_words);
  std::vector<uint64_t>().swap(ctx.idp_id_words);
  std::vector<uint64_t>().swap(ctx.email_hash);
  std::vector<uint64_t>().swap(ctx.id_hash);
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

void prefetch_user(const PlannerContext& ctx, std::size_t index, int stage, UserLookahead& la) {
  if (index >= ctx.idp.users.size()) return;
  const IdpUser& user = ctx.idp.users[index];
  const IdpEmail& n = ctx.normalized[index];
  if (stage < 0) {  // the email's bytes, hashed at stage 0 (a heap string per user)
    __builtin_prefetch(n.data);
    return;
  }
  if (stage == 0) {
    la = UserLookahead{};
    if (!user.external_id.empty()) {
      la.link_hash = ctx.id_hash[index];
      ctx.account_by_link.prefetch_hash(la.link_hash);
    }
    if (n.ok) {
      la.email_hash = ctx.email_hash[index];
      ctx.account_by_email.prefetch_hash(la.email_hash);
    }
    return;
  }
  if (stage == 1) {
    if (!user.external_id.empty()) la.link_guess = ctx.account_by_link.peek_hash(la.link_hash);
    if (n.ok) la.email_guess = ctx.account_by_email.peek_hash(la.email_hash);
  }
  for (uint32_t v : {la.link_guess, la.email_guess}) {
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

const JumpAccount* PlannerContext::find_email(std::string_view email, uint64_t hash) const {
  uint32_t i = account_by_email.find_hash(hash, email, [&](uint32_t k) -> std::string_view {
    return jump.accounts[k].state.email;
  });
  return i == kNone ? nullptr : &jump.accounts[i];
}

const JumpAccount* PlannerContext::find_link(std::string_view external_id, uint64_t hash) const {
  if (external_id.empty()) return nullptr;
  uint32_t i = account_by_link.find_hash(hash, external_id, [&](uint32_t k) -> std::string_view {
    return jump.accounts[k].state.external_id;
  });
  return i == kNone ? nullptr : &jump.accounts[i];
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
