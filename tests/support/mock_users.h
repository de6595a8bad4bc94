// The user population a MockIdp serves, the same for every protocol it
// speaks (SCIM, Okta, Graph), so one test can check any source against it.
//
// Generated population for i = 1..N (deterministic):
//   id "u{i}" (zero-padded to 6 digits: u000001), email user{i}@example.com,
//   given "Given{i}", family "Family{i}", active unless i % 10 == 0.
//   SCIM:  i % 6 == 0 lists a non-primary email first (primary one second);
//          i % 11 == 0 has no emails (userName is the address).
//   Okta:  active users' Okta status cycles ACTIVE, PASSWORD_EXPIRED,
//          LOCKED_OUT, RECOVERY, PROVISIONED (by i % 5); inactive ones are
//          SUSPENDED (app-user ACTIVE) when i % 20 == 0, else DEPROVISIONED
//          (app-user INACTIVE).
//   Graph: accountEnabled = active; mail empty when i % 9 == 0 (the UPN is
//          the address); i % 4 == 0 assigned only through group g1;
//          i % 4 == 1 && i % 3 == 0 through both g1 and g2; i % 4 == 1 &&
//          i % 5 == 0 directly and through g2; the rest directly. g1 also
//          has a device member.
#pragma once

#include <string>
#include <vector>

namespace jumpsync::testing {

struct MockUser {
  std::string id, email, given_name, family_name;
  bool active = true;
  std::string okta_app_status = "ACTIVE", okta_user_status = "ACTIVE";
  bool scim_primary_second = false, scim_no_emails = false, graph_no_mail = false;
  bool direct = true, in_g1 = false, in_g2 = false;
};

std::vector<MockUser> generate_users(int count);
// A CSV (email,given_name,family_name,active,external_id) or SCIM JSON file,
// read with the file source: every user assigned directly, Okta ACTIVE or
// SUSPENDED by `active`.
std::vector<MockUser> load_users(const std::string& path);

}  // namespace jumpsync::testing
