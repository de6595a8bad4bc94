#include "jumpsync/core/fingerprint.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "jumpsync/core/detail/sha256.h"

namespace jumpsync {
namespace {

// Length-prefixed fields so that ("ab","c") and ("a","bc") differ.
class Encoder {
 public:
  explicit Encoder(detail::Sha256& h) : h_(h) {}
  void str(std::string_view s) {
    num(static_cast<int64_t>(s.size()));
    h_.update(s);
  }
  void num(int64_t v) {
    char buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(static_cast<uint64_t>(v) >> (8 * i));
    h_.update(std::string_view(buf, 8));
  }
  void opt(const std::optional<int64_t>& v) {
    num(v ? 1 : 0);
    num(v.value_or(0));
  }

 private:
  detail::Sha256& h_;
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
  std::vector<uint32_t> order(accounts.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return accounts[a].id < accounts[b].id;
  });
  e.num(static_cast<int64_t>(accounts.size()));
  for (uint32_t i : order) encode_account(e, accounts[i]);
  return h.hex();
}

std::string sha256_hex(std::string_view bytes) {
  detail::Sha256 h;
  h.update(bytes);
  return h.hex();
}

}  // namespace jumpsync
