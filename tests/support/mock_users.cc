#include "mock_users.h"

#include <cstdio>

#include "jumpsync/sources/factory.h"

namespace jumpsync::testing {

std::vector<MockUser> generate_users(int count) {
  static const char* const okta_active[] = {"ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY", "PROVISIONED"};
  std::vector<MockUser> users;
  users.reserve(static_cast<size_t>(count));
  for (int i = 1; i <= count; ++i) {
    MockUser u;
    char id[16];
    std::snprintf(id, sizeof id, "u%06d", i);
    u.id = id;
    u.email = "user" + std::to_string(i) + "@example.com";
    u.given_name = "Given" + std::to_string(i);
    u.family_name = "Family" + std::to_string(i);
    u.active = i % 10 != 0;
    u.scim_primary_second = i % 6 == 0;
    u.scim_no_emails = i % 11 == 0;
    if (u.active) {
      u.okta_user_status = okta_active[i % 5];
    } else if (i % 20 == 0) {
      u.okta_user_status = "SUSPENDED";
    } else {
      u.okta_app_status = "INACTIVE";
      u.okta_user_status = "DEPROVISIONED";
    }
    u.graph_no_mail = i % 9 == 0;
    if (i % 4 == 0) {
      u.direct = false;
      u.in_g1 = true;
    } else if (i % 4 == 1 && i % 3 == 0) {
      u.direct = false;
      u.in_g1 = u.in_g2 = true;
    } else if (i % 4 == 1 && i % 5 == 0) {
      u.in_g2 = true;
    }
    users.push_back(std::move(u));
  }
  return users;
}

std::vector<MockUser> load_users(const std::string& path) {
  SourceSettings settings;
  settings.provider = "file";
  settings.url = path;
  std::vector<MockUser> users;
  for (const IdpUser& in : make_source(settings)->pull(nullptr).users) {
    MockUser u;
    u.id = in.external_id;
    u.email = in.email;
    u.given_name = in.given_name;
    u.family_name = in.family_name;
    u.active = in.active;
    if (!u.active) u.okta_user_status = "SUSPENDED";
    users.push_back(std::move(u));
  }
  return users;
}

}  // namespace jumpsync::testing
