// One constructor per provider (the factory picks one). Every HTTP source
// fetches over HttpClient (certificate checks, retries, origin lock) and
// parses pages with simdjson on-demand. Pulls are all or nothing.
//
// scim  GET {url}/Users, bearer token. Cursor paging (RFC 9865) when
//       {url}/ServiceProviderConfig advertises pagination.cursor or the
//       first page carries nextCursor; otherwise startIndex/count paging
//       that advances by the users received, fetches the remaining pages
//       concurrently once totalResults is known, dedupes by id and fails on
//       a changing totalResults, on a page of only already-seen users, and
//       when the users received do not add up to totalResults.
//       Default page size: 100.
// okta  GET {url}/api/v1/apps/{app_id}/users?limit=N&expand=user, following
//       Link rel="next" on the same host only; "SSWS {token}" (trimmed).
//       Default page size: 200 (Okta allows 500). Status mapping:
//       active = app-user status ACTIVE or PROVISIONED (or absent) AND the
//       embedded user's status is ACTIVE, PROVISIONED, RECOVERY,
//       PASSWORD_EXPIRED or LOCKED_OUT (all can still sign in with SSO or
//       are mid-recovery). STAGED (never activated), SUSPENDED and
//       DEPROVISIONED are inactive. An unknown status counts as active and
//       is logged (failing towards "no deactivation"; the guard sees the
//       rest). email = _embedded.user.profile.email, else app-user
//       profile.email, else credentials.userName if it is an address.
// entra Client-credentials token from {auth_url}/{tenant}/oauth2/v2.0/token
//       (scope {graph origin}/.default), renewed 5 minutes before expiry and
//       once per request on 401 InvalidAuthenticationToken. Principals from
//       {url}/servicePrincipals/{app_id}/appRoleAssignedTo (@odata.nextLink
//       paging); groups expanded with /groups/{id}/members (direct members,
//       #microsoft.graph.user only); then each distinct user read with
//       GET /users/{id}?$select=... , SourceOptions::concurrency at a time
//       (simple and within Graph's per-app limits; $batch would save round
//       trips). A user that no longer exists (404) is skipped: it cannot be
//       assigned. email = mail, else userPrincipalName if it is an address;
//       active = accountEnabled. Default page size: 999.
// file  {url} is a path: a SCIM ListResponse JSON (scim mapping; a user
//       without id gets its email as external id) or a CSV with header
//       email,given_name,family_name,active,external_id (any order; email
//       required; active true/false/1/0/yes/no, empty = true; empty
//       external_id = the email). JSON when the name ends in .json or the
//       first non-space character is '{'; CSV otherwise.
#pragma once

#include <memory>

#include "jumpsync/core/source.h"
#include "jumpsync/sources/source_common.h"

namespace jumpsync {

std::unique_ptr<IdpSource> make_scim_source(const SourceSettings& settings, const SourceOptions& options);
std::unique_ptr<IdpSource> make_okta_source(const SourceSettings& settings, const SourceOptions& options);
std::unique_ptr<IdpSource> make_entra_source(const SourceSettings& settings, const SourceOptions& options);
std::unique_ptr<IdpSource> make_file_source(const SourceSettings& settings, const SourceOptions& options);

}  // namespace jumpsync
