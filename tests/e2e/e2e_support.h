// Shared steps of the end-to-end tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/test_db.h"
#include "e2e/cli.h"

namespace jumpsync::testing {

struct UserView {
  std::string email, status, managed_by, external_id, given_name;
  bool verified = false;
  long long id = 0;
};

// `user show EMAIL --format json`, parsed; nullopt when the user is unknown.
std::optional<UserView> show_user(Cli& cli, const std::string& email);

struct CsvUser {
  std::string email, given, family;
  bool active = true;
  std::string external_id;
};
// Writes an IdP export CSV (SPEC §8 header) and returns its path.
std::string write_export(Cli& cli, const std::string& name, const std::vector<CsvUser>& users);

// A team with SSO + Enterprise, SCIM enabled and a file source.
void make_scim_team(Cli& cli, const std::string& team, const std::string& export_path,
                    const std::vector<std::string>& extra_create_flags = {});

// Everything a sync may change (accounts, membership, audit, outbox), as text.
std::string dump_user_tables(const TestDb& db);

// Counts of each action in `plan --format json`'s summary.
long long summary_count(const std::string& plan_json, const std::string& action);

}  // namespace jumpsync::testing
