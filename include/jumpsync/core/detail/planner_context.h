// Internal to the planner (src/core/planner*.cc): the indexes built once per
// plan and the per-user decision entry point. Not a public API.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "jumpsync/core/detail/flat_index.h"
#include "jumpsync/core/model.h"

namespace jumpsync::detail {

// One IdP user's normalised email. Views into the user's raw email when
// normalising changed nothing (the common case), else into
// PlannerContext::owned.
// 16 bytes (a million users: 16 MB, not 40).
struct IdpEmail {
  const char* data = nullptr;
  uint32_t size = 0;
  bool ok = false;

  IdpEmail() = default;
  IdpEmail(bool valid, std::string_view text)
      : data(text.data()), size(static_cast<uint32_t>(text.size())), ok(valid) {}
  std::string_view email() const { return ok ? std::string_view(data, size) : std::string_view(); }  // normalised
  std::string_view error() const { return ok ? std::string_view() : std::string_view(data, size); }  // why not
};

// Reasons that never vary: interned once per plan, shared by every action
// that gives them (no bytes per action).
enum class Reason : uint8_t {
  create_domain_verified,
  create_email_queued,
  relinked_deactivated,
  relinked_stays_deactivated,
  deactivated_inactive,
  inactive,
  in_step,
  awaiting_verification,
  inactive_unmanaged,
  inactive_no_account,
  absent,
  count_
};

// Indexes hold uint32 positions into the snapshots (so at most 2^32 - 3
// users and accounts); keys are recomputed from the positions.
struct PlannerContext {
  const IdpSnapshot& idp;
  const JumpSnapshot& jump;
  const Policy& policy;
  std::vector<IdpEmail> normalized;  // one per IdP user
  std::deque<std::string> owned;     // normalised emails / errors that differ from the raw text
  // Accounts as sorted (hash_key(key) >> 32 << 32 | position) words, by
  // email and by this team's link (see the IdP words below).
  std::vector<uint64_t> account_email_words;
  std::vector<uint64_t> account_link_words;
  // The join of the IdP words with the account words, per IdP user: the
  // account whose key has the same hash half (checked against the key
  // when deciding), kNone, or kSeveral (then the words are searched).
  static constexpr uint32_t kSeveral = FlatIndex::kNone - 1;
  std::vector<uint32_t> email_match;
  std::vector<uint32_t> link_match;
  // IdP users by key: (hash_key(key) >> 32) << 32 | user position, sorted
  // (a radix sort: sequential passes, where a hash table of a million
  // keys costs two random misses a key). Duplicates show as equal
  // neighbours; a lookup is a binary search (only for rare branches).
  std::vector<uint64_t> idp_email_words;  // users with a valid email
  std::vector<uint64_t> idp_id_words;     // users with a non-empty external_id
  // Only when duplicates exist (every user then needs its count):
  FlatIndex idp_by_email;            // normalised email -> first IdP user position
  FlatIndex idp_by_id;               // non-empty external_id -> first IdP user position
  std::vector<uint32_t> email_users;  // at a first position: IdP users with that email
  std::vector<uint32_t> id_users;     // at a first position: IdP users with that id
  bool duplicate_emails = false;      // some normalised email is on two IdP users
  bool duplicate_ids = false;         // some external_id is on two IdP users
  std::vector<std::string> verified_domains;  // sorted; empty when verification is off
  TextArena* arena = nullptr;                 // the plan's: actions' strings go there
  Text reasons[static_cast<int>(Reason::count_)];

  // An action's string: inline, or copied into the plan's arena.
  Text text(std::string_view s) const { return arena->add(s); }
  Text reason(Reason r) const { return reasons[static_cast<int>(r)].share(); }
  // `s` packed into the plan's arena; strings equal to one of `a`'s (or of
  // `other`'s, when given) are shared rather than copied.
  const PackedState* pack(const AccountState& s, const Action& a, const PackedState* other = nullptr) const;

  PlannerContext(const IdpSnapshot& i, const JumpSnapshot& j, const Policy& p)
      : idp(i), jump(j), policy(p) {}

  // The account IdP user `user` matches by its (normalised) email / by
  // its external_id, through the join.
  const JumpAccount* find_email(std::size_t user, std::string_view email) const;
  const JumpAccount* find_link(std::size_t user, std::string_view external_id) const;
  uint32_t email_count(std::string_view email) const;
  uint32_t id_count(std::string_view external_id) const;
  bool domain_verified(std::string_view email) const;
};

// Builds every index of `ctx` (normalises all IdP emails) and interns the
// constant reasons in `arena`.
void build_indexes(PlannerContext& ctx, TextArena& arena);

// Frees the hash indexes and duplicate counts (normalized emails stay).
void free_indexes(PlannerContext& ctx);

// Writes the strings of the noops among the first idp.users.size()
// actions (one per IdP user, in user order), which decide_user leaves
// empty: the indexes are gone by then.
void fill_noop_texts(const PlannerContext& ctx, std::vector<Action>& actions);

// Prefetches what decide_user(index) will read, in three stages run some
// users apart: -1 the user's email bytes, 0 the accounts the join matched,
// 1 the accounts' emails. No effect past the end. (Joins of two shuffled
// million-entry lists are bound by cache misses; overlapping them matters
// more than anything else here.)
void prefetch_user(const PlannerContext& ctx, std::size_t index, int stage);

// The action for IdP user `index`. Marks every account the user mentions
// (by link or by email) in `claimed` so it is never treated as absent.
Action decide_user(const PlannerContext& ctx, std::size_t index, std::vector<char>& claimed);

}  // namespace jumpsync::detail
