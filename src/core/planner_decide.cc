// The per-IdP-user decision of the planner (the SPEC §3 table). See
// planner.h for the rules; each function here is one branch of them.
#include <string>

#include "jumpsync/core/detail/planner_context.h"

namespace jumpsync::detail {
namespace {

using std::string;

struct Decision {
  const PlannerContext& ctx;
  const IdpUser& user;
  std::string_view email;  // normalised when valid, raw otherwise

  int64_t team() const { return ctx.policy.team_id; }
  int64_t epoch() const { return ctx.policy.scim_epoch; }

  // Noops carry no `before`: nothing is written for them.
  Action base(ActionKind kind, const JumpAccount* account, Text reason) const {
    Action a;
    a.kind = kind;
    // A noop's strings are written after the indexes are freed
    // (fill_noop_texts), so the two never take memory at once.
    if (kind != ActionKind::noop) {
      a.email = ctx.text(email);
      a.external_id = ctx.text(user.external_id);
      a.given_name = ctx.text(user.given_name);
      a.family_name = ctx.text(user.family_name);
    }
    if (account != nullptr) {
      a.account_id = account->id;
      if (kind != ActionKind::noop) a.before = OptionalState::packed(ctx.pack(account->state, a));
    }
    a.reason = std::move(reason);
    return a;
  }
  Action base(ActionKind kind, const JumpAccount* account, Reason reason) const {
    return base(kind, account, ctx.reason(reason));
  }
  Action base(ActionKind kind, const JumpAccount* account, const string& reason) const {
    return base(kind, account, ctx.text(reason));
  }

  template <typename R>
  Action with_after(ActionKind kind, const JumpAccount* account, AccountState after, const R& reason) const {
    Action a = base(kind, account, reason);
    a.after = OptionalState::packed(ctx.pack(after, a));
    return a;
  }

  Action conflict(const JumpAccount* account, const string& reason) const {
    return base(ActionKind::conflict, account, reason);
  }

  // IdP data (email, names, id) written over `s`, status active.
  AccountState from_idp(const AccountState& s) const {
    AccountState after = s;
    after.email = string(email);
    after.given_name = user.given_name;
    after.family_name = user.family_name;
    after.external_id = user.external_id;
    after.status = AccountStatus::active;
    return after;
  }

  // "; email a -> b; name changed; IdP id x -> y" (what from_idp changes).
  string changes(const AccountState& s) const {
    string out;
    if (s.email != email) out += "; email " + s.email + " -> " + string(email);
    if (s.given_name != user.given_name || s.family_name != user.family_name) {
      out += "; name changed";
    }
    if (s.external_id != user.external_id) {
      out += "; IdP id '" + s.external_id + "' -> '" + user.external_id + "'";
    }
    return out;
  }

  Action create() const {
    bool verified = ctx.domain_verified(email);
    AccountState after;
    after.email = string(email);
    after.given_name = user.given_name;
    after.family_name = user.family_name;
    after.verified = verified;
    after.managed_by = team();
    after.external_id = user.external_id;
    after.link_epoch = epoch();
    after.team_member = true;
    Reason reason = verified ? Reason::create_domain_verified : Reason::create_email_queued;
    Action a = with_after(ActionKind::create, nullptr, std::move(after), reason);
    a.verification_email = !verified;
    return a;
  }

  // Managed by this team, IdP user inactive.
  Action inactive_managed(const JumpAccount& acc) const {
    const AccountState& s = acc.state;
    bool was_active = s.status == AccountStatus::active;
    if (s.link_epoch < epoch()) {
      AccountState after = s;
      after.link_epoch = epoch();
      after.external_id = user.external_id;
      after.status = AccountStatus::deactivated;
      after.team_member = true;
      Reason why = was_active ? Reason::relinked_deactivated : Reason::relinked_stays_deactivated;
      return with_after(ActionKind::relink, &acc, std::move(after), why);
    }
    if (!was_active) return base(ActionKind::noop, &acc, Reason::deactivated_inactive);
    AccountState after = s;
    after.status = AccountStatus::deactivated;
    return with_after(ActionKind::deactivate, &acc, std::move(after), Reason::inactive);
  }

  // Managed by this team, IdP user active, email change already checked.
  Action active_managed(const JumpAccount& acc) const {
    const AccountState& s = acc.state;
    // from_idp(s) == s, checked field by field: most users are in step and
    // need no `after` copy at all.
    if (s.link_epoch >= epoch() && s.status == AccountStatus::active && s.email == email &&
        s.given_name == user.given_name && s.family_name == user.family_name &&
        s.external_id == user.external_id) {
      return base(ActionKind::noop, &acc, Reason::in_step);
    }
    AccountState after = from_idp(s);
    if (s.link_epoch < epoch()) {
      after.link_epoch = epoch();
      after.team_member = true;
      string why = s.status == AccountStatus::deactivated
                       ? "relinked and reactivated (SCIM was re-enabled; active in the IdP)"
                       : "relinked (SCIM was re-enabled)";
      return with_after(ActionKind::relink, &acc, std::move(after), why + changes(s));
    }
    if (s.status == AccountStatus::deactivated) {
      return with_after(ActionKind::reactivate, &acc, std::move(after),
                        "deactivated in Jump, active in the IdP" + changes(s));
    }
    string why = changes(s);
    return with_after(ActionKind::update, &acc, std::move(after), "updated" + why.substr(1));
  }

  // Not managed by any team's SCIM, IdP user active.
  Action unmanaged(const JumpAccount& acc) const {
    const AccountState& s = acc.state;
    bool domain_ok = ctx.domain_verified(email);
    if (s.verified || domain_ok) {
      AccountState after = from_idp(s);
      after.verified = true;
      after.managed_by = team();
      after.link_epoch = epoch();
      after.pending_team.reset();
      after.team_member = true;
      string why = s.verified ? "verified account adopted"
                              : "unverified account adopted: its domain is verified for the team";
      if (s.status == AccountStatus::deactivated) why += "; reactivated (was deactivated)";
      return with_after(ActionKind::adopt, &acc, std::move(after), why);
    }
    if (s.pending_team == team() && s.external_id == user.external_id) {
      return base(ActionKind::noop, &acc, Reason::awaiting_verification);
    }
    AccountState after = s;
    after.pending_team = team();
    after.external_id = user.external_id;
    after.team_member = true;
    string why = "unverified account: verification email queued; adopted once verified";
    if (s.pending_team && *s.pending_team != team()) {
      why += "; replaces team " + std::to_string(*s.pending_team) + "'s pending request";
    }
    Action a = with_after(ActionKind::adopt_pending, &acc, std::move(after), why);
    a.verification_email = true;
    return a;
  }

  Action linked(const JumpAccount& link, const JumpAccount* by_email) const {
    if (!user.active) return inactive_managed(link);
    if (link.state.email != email) {
      if (by_email != nullptr && by_email != &link) {
        return conflict(&link, "email change " + link.state.email + " -> " + string(email) +
                                   " onto an address account " + std::to_string(by_email->id) +
                                   " owns");
      }
      if (ctx.email_count(link.state.email) > 0) {
        return conflict(&link, "email change " + link.state.email + " -> " + string(email) +
                                   " while another IdP user has " + link.state.email);
      }
    }
    return active_managed(link);
  }

  Action matched_by_email(const JumpAccount& acc) const {
    const AccountState& s = acc.state;
    if (s.managed_by && *s.managed_by != team()) {
      return conflict(&acc, "account is managed by another team's SCIM (team " +
                                std::to_string(*s.managed_by) + ")");
    }
    if (s.managed_by) {
      if (!s.external_id.empty() && s.external_id != user.external_id &&
          ctx.id_count(s.external_id) > 0) {
        return conflict(&acc, "account is linked to another IdP user ('" + s.external_id + "')");
      }
      return user.active ? active_managed(acc) : inactive_managed(acc);
    }
    if (!user.active) {
      return base(ActionKind::noop, &acc, Reason::inactive_unmanaged);
    }
    return unmanaged(acc);
  }
};

void claim(const PlannerContext& ctx, const JumpAccount* acc, std::vector<char>& claimed) {
  if (acc != nullptr) claimed[static_cast<std::size_t>(acc - ctx.jump.accounts.data())] = 1;
}

}  // namespace

Action decide_user(const PlannerContext& ctx, std::size_t index, std::vector<char>& claimed) {
  const IdpUser& user = ctx.idp.users[index];
  const IdpEmail& n = ctx.normalized[index];
  const JumpAccount* link = ctx.find_link(index, user.external_id);
  const JumpAccount* by_email = n.ok ? ctx.find_email(index, n.email()) : nullptr;
  claim(ctx, link, claimed);
  claim(ctx, by_email, claimed);
  Decision d{ctx, user, n.ok ? n.email() : std::string_view(user.email)};
  const JumpAccount* known = link != nullptr ? link : by_email;
  if (!n.ok) return d.conflict(known, "invalid email: " + string(n.error()));
  // Each user counts itself: the lookups only matter when duplicates exist.
  if (uint32_t k = ctx.duplicate_ids ? ctx.id_count(user.external_id) : 1; k > 1) {
    return d.conflict(known, "IdP id '" + user.external_id + "' appears on " + std::to_string(k) +
                                 " users in the IdP list");
  }
  if (uint32_t k = ctx.duplicate_emails ? ctx.email_count(n.email()) : 1; k > 1) {
    return d.conflict(known, "email appears on " + std::to_string(k) + " users in the IdP list");
  }
  if (link != nullptr) return d.linked(*link, by_email);
  if (by_email != nullptr) return d.matched_by_email(*by_email);
  if (!user.active) return d.base(ActionKind::noop, nullptr, Reason::inactive_no_account);
  return d.create();
}

}  // namespace jumpsync::detail
