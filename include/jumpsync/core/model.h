// Plain values the reconciliation core works on: the IdP snapshot, the team's
// Jump snapshot, the team policy, and the Plan the planner produces.
//
// Everything here is a copyable value with no I/O. Adapters (store, sources)
// fill snapshots; the planner turns them into a Plan; the applier carries a
// Plan out. Emails in JumpAccount are always normalised (see email.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jumpsync/core/text.h"

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

// An AccountState as a Plan's arena holds it (64 bytes, strings borrowed
// from the arena, several states and actions sharing one string). Only the
// planner makes these; every Text in it is inline or borrowed, never owned.
struct PackedState {
  Text email, given_name, family_name, external_id;
  int64_t link_epoch = 0;
  int64_t managed_by = 0;    // valid when flags & kManaged
  int64_t pending_team = 0;  // valid when flags & kPending
  uint8_t flags = 0;
  static constexpr uint8_t kVerified = 1, kActive = 2, kManaged = 4, kPending = 8, kMember = 16;
};

// A read-only view of a state in either form (no allocation).
struct StateView {
  std::string_view email, given_name, family_name, external_id;
  bool verified = false;
  AccountStatus status = AccountStatus::active;
  std::optional<int64_t> managed_by;
  int64_t link_epoch = 0;
  std::optional<int64_t> pending_team;
  bool team_member = false;
  bool operator==(const StateView&) const = default;
};

// An optional AccountState in 8 bytes (an Action has two; a million-action
// plan mostly needs neither). A value type with the std::optional interface
// the callers use (bool test, *, ->, has_value, value, reset, emplace,
// assignment from a state or std::nullopt, ==). Either empty, an owned heap
// AccountState, or (made by the planner) a PackedState in the Plan's arena
// that becomes an owned AccountState the first time it is dereferenced
// (thread-safe: one atomic exchange). view() reads either form without
// materialising it (renderers and the guard use it). Copies are deep and
// owned; moves keep a packed state borrowed (see Text).
class OptionalState {
 public:
  OptionalState() = default;
  OptionalState(std::nullopt_t) {}
  OptionalState(const AccountState& s) : p_(own(new AccountState(s))) {}
  OptionalState(AccountState&& s) : p_(own(new AccountState(std::move(s)))) {}
  OptionalState(const std::optional<AccountState>& s) {
    if (s) p_.store(own(new AccountState(*s)), std::memory_order_relaxed);
  }
  OptionalState(const OptionalState& o) {
    if (o.has_value()) p_.store(own(new AccountState(o.materialize())), std::memory_order_relaxed);
  }
  // Moves, assignment and reset are plain loads and stores (an object is
  // never mutated while another thread reads it); only the materialising
  // dereference of a packed state, a const operation, is atomic.
  OptionalState(OptionalState&& o) noexcept : p_(o.p_.load(std::memory_order_relaxed)) {
    o.p_.store(0, std::memory_order_relaxed);
  }
  OptionalState& operator=(const OptionalState& o) {
    if (this != &o) {
      OptionalState tmp(o);
      swap(tmp);
    }
    return *this;
  }
  OptionalState& operator=(OptionalState&& o) noexcept {
    OptionalState tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  OptionalState& operator=(std::nullopt_t) {
    reset();
    return *this;
  }
  OptionalState& operator=(const AccountState& s) { return emplace(s), *this; }
  OptionalState& operator=(AccountState&& s) { return emplace(std::move(s)), *this; }
  ~OptionalState() { reset(); }
  void swap(OptionalState& o) noexcept {
    uintptr_t a = p_.load(std::memory_order_relaxed);
    p_.store(o.p_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    o.p_.store(a, std::memory_order_relaxed);
  }

  // For the planner: a state packed in an arena that outlives this object.
  static OptionalState packed(const PackedState* s) {
    OptionalState o;
    o.p_.store(reinterpret_cast<uintptr_t>(s) | kPackedTag, std::memory_order_relaxed);
    return o;
  }

  bool has_value() const { return p_.load(std::memory_order_relaxed) != 0; }
  explicit operator bool() const { return has_value(); }
  AccountState& operator*() { return materialize(); }
  const AccountState& operator*() const { return materialize(); }
  AccountState* operator->() { return &materialize(); }
  const AccountState* operator->() const { return &materialize(); }
  AccountState& value() {
    if (!has_value()) throw std::bad_optional_access();
    return materialize();
  }
  const AccountState& value() const {
    if (!has_value()) throw std::bad_optional_access();
    return materialize();
  }
  void reset() {
    uintptr_t v = p_.load(std::memory_order_relaxed);
    if (v == 0) return;
    p_.store(0, std::memory_order_relaxed);
    if (!(v & kPackedTag)) delete reinterpret_cast<AccountState*>(v);
  }
  AccountState& emplace(AccountState s) {
    reset();
    auto* p = new AccountState(std::move(s));
    p_.store(own(p), std::memory_order_relaxed);
    return *p;
  }
  // Precondition: has_value().
  StateView view() const {
    uintptr_t v = p_.load(std::memory_order_acquire);
    if (v & kPackedTag) {
      const auto* s = reinterpret_cast<const PackedState*>(v & ~kPackedTag);
      StateView w{s->email, s->given_name, s->family_name, s->external_id,
                  (s->flags & PackedState::kVerified) != 0,
                  (s->flags & PackedState::kActive) ? AccountStatus::active : AccountStatus::deactivated,
                  std::nullopt, s->link_epoch, std::nullopt, (s->flags & PackedState::kMember) != 0};
      if (s->flags & PackedState::kManaged) w.managed_by = s->managed_by;
      if (s->flags & PackedState::kPending) w.pending_team = s->pending_team;
      return w;
    }
    const auto* s = reinterpret_cast<const AccountState*>(v);
    return StateView{s->email,    s->given_name, s->family_name, s->external_id, s->verified, s->status,
                     s->managed_by, s->link_epoch, s->pending_team, s->team_member};
  }

  friend bool operator==(const OptionalState& a, const OptionalState& b) {
    if (!a.has_value() || !b.has_value()) return !a.has_value() && !b.has_value();
    return a.view() == b.view();
  }

 private:
  static constexpr uintptr_t kPackedTag = 1;
  static uintptr_t own(AccountState* p) { return reinterpret_cast<uintptr_t>(p); }
  static AccountState* unpack(const PackedState& s) {
    auto* a = new AccountState;
    a->email = s.email.view();
    a->given_name = s.given_name.view();
    a->family_name = s.family_name.view();
    a->verified = (s.flags & PackedState::kVerified) != 0;
    a->status = (s.flags & PackedState::kActive) ? AccountStatus::active : AccountStatus::deactivated;
    if (s.flags & PackedState::kManaged) a->managed_by = s.managed_by;
    a->external_id = s.external_id.view();
    a->link_epoch = s.link_epoch;
    if (s.flags & PackedState::kPending) a->pending_team = s.pending_team;
    a->team_member = (s.flags & PackedState::kMember) != 0;
    return a;
  }
  AccountState& materialize() const {
    uintptr_t v = p_.load(std::memory_order_acquire);
    if (v & kPackedTag) {
      AccountState* made = unpack(*reinterpret_cast<const PackedState*>(v & ~kPackedTag));
      if (p_.compare_exchange_strong(v, own(made), std::memory_order_acq_rel)) return *made;
      delete made;  // another thread materialised it first; v holds its pointer
    }
    return *reinterpret_cast<AccountState*>(v);
  }
  mutable std::atomic<uintptr_t> p_{0};
};

enum class ActionKind : uint8_t {
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
// `before` is the account as loaded, for actions that change an account and
// for conflicts (nullopt for create, for conflicts with no account, and for
// noops: nothing is written, so nothing needs comparing); `after` is the
// full state the applier writes (nullopt for conflict and noop). The
// applier only writes `after` for account_id.
// 80 bytes: the strings are Texts (text.h), inline up to 7 bytes, else
// owned or borrowed from the Plan's arena.
struct Action {
  Text email;        // normalised target email (raw text if invalid)
  Text external_id;  // IdP id ("" when the action has no IdP user)
  Text given_name;
  Text family_name;
  Text reason;  // human-readable why
  std::optional<int64_t> account_id;
  OptionalState before;
  OptionalState after;
  ActionKind kind = ActionKind::noop;
  bool verification_email = false;
  bool operator==(const Action& o) const {
    return kind == o.kind && email == o.email && external_id == o.external_id &&
           given_name == o.given_name && family_name == o.family_name && account_id == o.account_id &&
           before == o.before && after == o.after && verification_email == o.verification_email &&
           reason == o.reason;
  }
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
  PlanStorage storage;  // where the planner's borrowed Texts live
  bool operator==(const Plan&) const = default;
};

}  // namespace jumpsync
