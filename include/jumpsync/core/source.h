// The seam between the core and the identity providers. Implementations
// live in the sources library (Poco); the core and tests only see this.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jumpsync/core/model.h"
#include "jumpsync/core/secret.h"

namespace jumpsync {

// Where a team's users come from (SPEC §8 `team set-source`).
struct SourceSettings {
  std::string provider;  // "scim" | "okta" | "entra" | "file"
  std::string url;       // SCIM base, Okta org, Graph base, or a file path
  std::string auth_url;  // entra authority; "" = https://login.microsoftonline.com
  std::string app_id;    // okta app id / entra service principal object id
  std::string tenant;    // entra
  std::string client_id; // entra
  Secret token;          // scim bearer / okta SSWS token
  Secret client_secret;  // entra
  std::string ca_file;   // extra CA bundle for private CAs ("" = system)
  int page_size = 0;     // 0 = provider default
};

// Receives pull progress (pages, users); the CLI draws it on a terminal.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void pulled(int64_t pages, int64_t users, int64_t total_hint) = 0;
};

// One step of test-connection ("url", "tls", "credentials", "permissions").
struct ConnectionCheck {
  std::string step;
  bool ok = false;
  std::string detail;  // what was found, or what to fix
};

class IdpSource {
 public:
  virtual ~IdpSource() = default;
  // The complete assigned-user list, or throws Error(ErrorKind::source)
  // naming the source and what to do. Never returns a partial list.
  virtual IdpSnapshot pull(ProgressSink* progress) = 0;
  // One cheap request per step; stops at the first failing step.
  virtual std::vector<ConnectionCheck> test_connection() = 0;
  // "scim https://idp.example/scim/v2" — no secrets.
  virtual std::string describe() const = 0;
};

}  // namespace jumpsync
