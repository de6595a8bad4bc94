// The reconciliation planner: a pure function from (IdP snapshot, Jump
// snapshot, policy) to a Plan (SPEC §3). No I/O; the applier carries the
// Plan out by writing `after` for `account_id`, or inserting a new account
// when `account_id` is empty (kind create). Thread-safe (no shared state).
//
// Decisions (SPEC leaves these open; an administrator should find them
// unsurprising):
//
// Matching. Each IdP email is normalised (email.h). An IdP user matches
//   1. by link: the account with managed_by == policy.team_id and
//      external_id == the user's id (non-empty), in any SCIM epoch; when
//      several accounts carry the same link the one with the highest
//      link_epoch (then lowest id) wins;
//   2. else by normalised email. Jump emails are unique; if not, the lowest
//      id wins.
//   Pending links (unverified accounts waiting for verification) are found
//   by email, not by link.
//
// Conflicts (no write; the account, if any, is left alone and is not
//   deactivated as "absent"):
//   - missing or invalid email;
//   - the same normalised email on several IdP users (every copy);
//   - the same non-empty external_id on several IdP users (every copy);
//   - the email belongs to an account managed by another team's SCIM;
//   - the email belongs to an account this team's SCIM links to another
//     IdP user that is in the list;
//   - an email change (active IdP user, linked account) onto an address
//     another account owns, or away from an address that another IdP user
//     in the list now carries. The second rule keeps plans a fixed point:
//     an address freed by one action is never wanted by another user in
//     the same plan, so a second run over the same data is all noops.
//
// Per matched account (IdP user active unless noted):
//   none            -> create; inactive IdP user -> noop, nothing created.
//                      Verified at once (no email) when domain verification
//                      is on and the domain is verified for the team.
//   unmanaged, verified -> adopt (a deactivated account is reactivated;
//                      the reason says so). Inactive IdP user -> noop.
//   unmanaged, unverified, team domain verified -> adopt, marked verified.
//   unmanaged, unverified, otherwise -> adopt-pending: pending_team and
//                      external_id are set, verification email queued, the
//                      link completes when the user verifies. A pending
//                      request from another team is replaced (a request is
//                      not ownership; the reason says so). Already pending
//                      for this team with this id -> noop "awaiting email
//                      verification" (no second email).
//   managed by another team -> conflict.
//   managed by this team, link_epoch < scim_epoch -> relink: epoch, id,
//                      email and names from the IdP, status active; for an
//                      inactive IdP user status deactivated, email and
//                      names kept (counts toward the deactivation guard
//                      when the account was active).
//   managed by this team, current epoch:
//     IdP inactive: active -> deactivate; already deactivated -> noop.
//     deactivated in Jump -> reactivate (name/email/id changes folded in).
//     email, names or IdP id differ -> update. Otherwise noop.
//
// Accounts no IdP user matched:
//   managed by this team, current epoch, active -> deactivate ("no longer
//     assigned in the IdP"); already deactivated -> no action at all (they
//     were dealt with by an earlier run; listing them every run would bury
//     real changes).
//   managed by this team in an earlier epoch -> left alone, listed as
//     unmanaged ("linked in an earlier SCIM epoch; ...").
//   other team members (team_member) -> left alone, listed as unmanaged.
//
// Output order is deterministic and independent of input order: actions by
// (kind, email, external_id, names, account_id, reason), unmanaged members
// by (email, account_id). plan() also fills team, team_id, scim_epoch and
// fingerprint (fingerprint.h) and runs the deactivation guard (guard.h).
//
// Complexity: O(n log n) time (hash maps + one sort), O(n) extra memory.
#pragma once

#include "jumpsync/core/model.h"

namespace jumpsync {

Plan plan(const IdpSnapshot& idp, const JumpSnapshot& jump, const Policy& policy);

// plan() without the fingerprint (for callers and benchmarks that compute
// it separately or not at all). Everything else is identical.
Plan plan_without_fingerprint(const IdpSnapshot& idp, const JumpSnapshot& jump,
                              const Policy& policy);

}  // namespace jumpsync
