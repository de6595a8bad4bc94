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

// Receives a run's progress; the CLI draws it on a terminal. Sources call
// pulled(); the sync engine brackets the pull and the apply with the phase
// calls (ignored by default).
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void pulled(int64_t pages, int64_t users, int64_t total_hint) = 0;
  virtual void pull_started(const std::string& /*team*/) {}
  virtual void applying(const std::string& /*team*/, int64_t /*changes*/) {}
  // Ends the current phase (ok = false: it failed and an error follows).
  virtual void finished(bool /*ok*/) {}
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
