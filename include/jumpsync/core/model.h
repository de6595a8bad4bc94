// Plain values the reconciliation core works on: the IdP snapshot, the team's
// Jump snapshot, the team policy, and the Plan the planner produces.
//
// Everything here is a copyable value with no I/O. Adapters (store, sources)
// fill snapshots; the planner turns them into a Plan; the applier carries a
// Plan out. Emails in JumpAccount are always normalised (see email.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace jumpsync {

// One user assigned to the Jump app in the IdP, as the source reported it.
// `email` is raw (not yet normalised): the planner normalises and rejects.
struct IdpUser {
  std::string external_id;  // IdP's stable id (SCIM id, Okta user id, Entra object id)
  std::string email;
  std::string given_name;
  std::string family_name;
  bool active = true;  // false: SCIM active=false, Okta suspended/deprovisioned, Entra disabled
};

// The full assigned-user list of one complete pull. A partial pull never
// becomes an IdpSnapshot: sources throw SourceError instead.
struct IdpSnapshot {
  std::vector<IdpUser> users;
};

enum class AccountStatus { active, deactivated };

// The state of one Jump account, as far as the rules need it.
struct AccountState {
  std::string email;  // normalised
  std::string given_name;
  std::string family_name;
  bool verified = false;
  AccountStatus status = AccountStatus::active;
  std::optional<int64_t> managed_by;  // team id whose SCIM manages it; nullopt = none
  std::string external_id;            // IdP id of the SCIM link ("" = none)
  int64_t link_epoch = 0;             // SCIM epoch of managed_by's link (0 = none)
  std::optional<int64_t> pending_team;  // team that asked to adopt it once verified
  bool team_member = false;           // member of the team being planned

  bool operator==(const AccountState&) const = default;
};

struct JumpAccount {
  int64_t id = 0;
  AccountState state;
  bool operator==(const JumpAccount&) const = default;
};

// Every Jump account relevant to one team's plan: the accounts the team
// manages or has as members, plus every account whose email equals an IdP
// email (whatever team manages it), plus accounts linked to IdP ids.
struct JumpSnapshot {
  std::vector<JumpAccount> accounts;
};

// Deactivation guard thresholds (per team). A plan is blocked when its
// deactivations exceed max_count, or exceed max_percent of the team's
// managed active accounts (only once more than percent_floor accounts are
// deactivated, so one leaver in a 3-person team is not blocked), or would
// deactivate every managed active account.
struct GuardThresholds {
  int64_t max_count = 100;
  double max_percent = 20.0;
  int64_t percent_floor = 5;
};

struct Policy {
  int64_t team_id = 0;
  std::string team_name;
  bool domain_verification = false;
  std::vector<std::string> verified_domains;  // normalised (lower-case ASCII)
  int64_t scim_epoch = 1;                      // grows on every enable
  GuardThresholds guard;
  // --allow-deactivations N: the plan is not blocked when N equals the
  // planned deactivation count exactly.
  std::optional<int64_t> allow_deactivations;
};

// An optional AccountState kept on the heap: 8 bytes in an Action instead
// of 192 (a million-action plan carries two of them per action, most of
// them empty). A value type with the std::optional interface the callers
// use (bool test, *, ->, has_value, value, reset, emplace, assignment from a
// state or std::nullopt, ==); copies are deep.
class OptionalState {
 public:
  OptionalState() = default;
  OptionalState(std::nullopt_t) {}
  OptionalState(const AccountState& s) : p_(std::make_unique<AccountState>(s)) {}
  OptionalState(AccountState&& s) : p_(std::make_unique<AccountState>(std::move(s))) {}
  OptionalState(const std::optional<AccountState>& s) {
    if (s) p_ = std::make_unique<AccountState>(*s);
  }
  OptionalState(const OptionalState& o) : p_(o.p_ ? std::make_unique<AccountState>(*o.p_) : nullptr) {}
  OptionalState(OptionalState&&) noexcept = default;
  OptionalState& operator=(const OptionalState& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<AccountState>(*o.p_) : nullptr;
    return *this;
  }
  OptionalState& operator=(OptionalState&&) noexcept = default;
  OptionalState& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  OptionalState& operator=(const AccountState& s) { return emplace(s), *this; }
  OptionalState& operator=(AccountState&& s) { return emplace(std::move(s)), *this; }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  AccountState& operator*() { return *p_; }
  const AccountState& operator*() const { return *p_; }
  AccountState* operator->() { return p_.get(); }
  const AccountState* operator->() const { return p_.get(); }
  AccountState& value() {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  const AccountState& value() const {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  void reset() { p_.reset(); }
  AccountState& emplace(AccountState s) {
    if (p_) *p_ = std::move(s); else p_ = std::make_unique<AccountState>(std::move(s));
    return *p_;
  }

  friend bool operator==(const OptionalState& a, const OptionalState& b) {
    if (!a.p_ || !b.p_) return !a.p_ && !b.p_;
    return *a.p_ == *b.p_;
  }

 private:
  std::unique_ptr<AccountState> p_;
};

enum class ActionKind {
  create,
  adopt,
  adopt_pending,
  relink,
  reactivate,
  update,
  deactivate,
  conflict,
  noop,
};

// One action per IdP user (or per managed account absent from the IdP).
// `before` is the account as loaded (nullopt for create and for conflicts
// with no account); `after` is the full state the applier writes (nullopt
// for conflict and noop). The applier only writes `after` for account_id.
struct Action {
  ActionKind kind = ActionKind::noop;
  std::string email;        // normalised target email (raw text if invalid)
  std::string external_id;  // IdP id ("" when the action has no IdP user)
  std::string given_name;
  std::string family_name;
  std::optional<int64_t> account_id;
  OptionalState before;
  OptionalState after;
  bool verification_email = false;
  std::string reason;  // human-readable why
  bool operator==(const Action&) const = default;
};

// A team member that this team's SCIM does not manage and the IdP did not
// mention: left alone, listed in reports.
struct UnmanagedMember {
  int64_t account_id = 0;
  std::string email;
  std::string reason;
  bool operator==(const UnmanagedMember&) const = default;
};

struct Plan {
  std::string team;
  int64_t team_id = 0;
  int64_t scim_epoch = 0;
  std::string fingerprint;  // of the Jump state + policy the plan was made from
  bool blocked = false;
  std::string block_reason;  // "" when not blocked
  std::vector<Action> actions;
  std::vector<UnmanagedMember> unmanaged;
  bool operator==(const Plan&) const = default;
};

}  // namespace jumpsync
