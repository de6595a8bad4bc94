#include "jumpsync/core/fingerprint.h"

#include "jumpsync/core/detail/radix_sort.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "jumpsync/core/detail/sha256.h"

namespace jumpsync {
namespace {

// Length-prefixed fields so that ("ab","c") and ("a","bc") differ. Bytes
// are gathered in a buffer and hashed in large chunks (one update per
// field would cost more than the hashing itself).
class Encoder {
 public:
  explicit Encoder(detail::Sha256& h) : h_(h) { buf_.reserve(kChunk + 4096); }
  void str(std::string_view s) {
    num(static_cast<int64_t>(s.size()));
    buf_.append(s.data(), s.size());
  }
  void num(int64_t v) {
    char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(static_cast<uint64_t>(v) >> (8 * i));
    buf_.append(bytes, 8);
  }
  void opt(const std::optional<int64_t>& v) {
    num(v ? 1 : 0);
    num(v.value_or(0));
  }
  // Call between records: hashes the buffer once it is large.
  void maybe_flush() {
    if (buf_.size() >= kChunk) flush();
  }
  void flush() {
    h_.update(buf_);
    buf_.clear();
  }

 private:
  static constexpr std::size_t kChunk = 1 << 16;
  detail::Sha256& h_;
  std::string buf_;
};

void encode_account(Encoder& e, const JumpAccount& acc) {
  const AccountState& s = acc.state;
  e.num(acc.id);
  e.str(s.email);
  e.str(s.given_name);
  e.str(s.family_name);
  e.num(s.verified ? 1 : 0);
  e.num(s.status == AccountStatus::active ? 1 : 2);
  e.opt(s.managed_by);
  e.str(s.external_id);
  e.num(s.link_epoch);
  e.opt(s.pending_team);
  e.num(s.team_member ? 1 : 0);
  e.maybe_flush();
}

// When every id is in [0, 2^32): LSD radix sort of (id << 32 | position)
// words by their id half, 16 bits a pass (stable, so equal ids stay in
// position order, as the pair sort puts them), passes with one digit value
// skipped. Fills `order` and returns true; false (order untouched) when an
// id is out of range.
bool sort_by_id_radix(const std::vector<JumpAccount>& accounts, std::vector<uint32_t>& order) {
  std::vector<uint64_t> words(accounts.size());
  bool sorted = true;
  for (uint32_t i = 0; i < accounts.size(); ++i) {
    int64_t id = accounts[i].id;
    if (id < 0 || id > static_cast<int64_t>(UINT32_MAX)) return false;
    words[i] = (static_cast<uint64_t>(id) << 32) | i;
    sorted = sorted && (i == 0 || words[i] >= words[i - 1]);
  }
  if (!sorted) detail::sort_words(words);
  order.resize(words.size());
  for (std::size_t k = 0; k < words.size(); ++k) order[k] = static_cast<uint32_t>(words[k]);
  return true;
}

}  // namespace

std::string fingerprint(const JumpSnapshot& jump, const Policy& policy) {
  detail::Sha256 h;
  Encoder e(h);
  e.str("jumpsync-fingerprint-v1");
  e.num(policy.team_id);
  e.num(policy.scim_epoch);
  e.num(policy.domain_verification ? 1 : 0);
  std::vector<std::string> domains = policy.verified_domains;
  std::sort(domains.begin(), domains.end());
  e.num(static_cast<int64_t>(domains.size()));
  for (const auto& d : domains) e.str(d);
  const auto& accounts = jump.accounts;
  // Sort (id, position) pairs, not positions compared through the
  // accounts: one sequential pass instead of ~20M random reads.
  std::vector<uint32_t> order;  // positions in (id, position) order
  if (!sort_by_id_radix(accounts, order)) {
    std::vector<std::pair<int64_t, uint32_t>> pairs;
    pairs.reserve(accounts.size());
    for (uint32_t i = 0; i < accounts.size(); ++i) pairs.emplace_back(accounts[i].id, i);
    if (!std::is_sorted(pairs.begin(), pairs.end())) std::sort(pairs.begin(), pairs.end());
    order.reserve(pairs.size());
    for (const auto& p : pairs) order.push_back(p.second);
  }
  e.num(static_cast<int64_t>(accounts.size()));
  for (std::size_t k = 0; k < order.size(); ++k) {
    // Accounts are visited in id order, i.e. at random when the snapshot
    // is not sorted by id: prefetch the account, then its email.
    if (k + 16 < order.size()) {
      const char* ahead = reinterpret_cast<const char*>(&accounts[order[k + 16]]);
      __builtin_prefetch(ahead);
      __builtin_prefetch(ahead + 64);
      __builtin_prefetch(ahead + 128);
    }
    if (k + 8 < order.size()) __builtin_prefetch(accounts[order[k + 8]].state.email.data());
    encode_account(e, accounts[order[k]]);
  }
  e.flush();
  return h.hex();
}

std::string sha256_hex(std::string_view bytes) {
  detail::Sha256 h;
  h.update(bytes);
  return h.hex();
}

}  // namespace jumpsync
