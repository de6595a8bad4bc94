// A mock identity provider for tests, the benchmark and the README demo:
// one Poco HTTPServer on 127.0.0.1 speaking three dialects over the same
// user population (mock_users.h):
//   SCIM   GET /scim/v2/ServiceProviderConfig, GET /scim/v2/Users
//          (startIndex/count; cursor/count when cursor paging is on)
//   Okta   GET /api/v1/org, GET /api/v1/apps/{id},
//          GET /api/v1/apps/{id}/users?limit&after&expand=user (Link headers,
//          X-Rate-Limit-* headers)
//   Graph  POST /{tenant}/oauth2/v2.0/token (client credentials),
//          GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo,
//          GET /v1.0/groups/{id}/members, GET /v1.0/users/{id}
//          ($top/$skiptoken paging with @odata.nextLink)
// "Page N" in the fault switches is the 1-based position of a list page
// (offset / page size + 1) of the SCIM users, Okta app users or Graph
// assignments list, so faults hit the same page however it is fetched.
//
// Thread safety: start()/stop() from one thread; the accessors are safe
// while the server runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mock_users.h"

namespace jumpsync::testing {

struct MockIdpOptions {
  uint16_t port = 0;          // 0 = pick a free port
  bool https = false;         // needs cert_file + key_file (PEM)
  std::string cert_file, key_file;
  int users = 100;            // generated population size (ignored with users_file)
  std::string users_file;     // CSV or SCIM JSON instead of the generated population
  bool empty = false;         // serve no users at all
  int page_size_max = 1000;   // the server caps count/limit/$top at this
  std::string token;          // expected SCIM bearer / Okta SSWS token / Entra client secret; "" = any
  std::string app_id = "app1";  // Okta app id and Entra service principal id
  bool scim_cursor = false;   // advertise and serve RFC 9865 cursor paging
  bool gzip = false;          // gzip responses when the client accepts it
  int slow_ms = 0;            // delay every list page
  // Faults (page numbers are 1-based; 0 = off).
  int fail_page = 0;          // 500 on page N, every time
  int fail_once_503 = 0;      // 503 on page N, the first time only
  int rate_limit_page = 0;    // 429 on page N, the first time only (Retry-After 1 / X-Rate-Limit-Reset now+1)
  int truncate_page = 0;      // page N's JSON cut in half
  int html_page = 0;          // page N is an HTML page with status 200
  int drift_page = 0;         // SCIM totalResults grows by one from page N on
  bool repeat_next = false;   // page 2 repeats page 1 (SCIM index) / its own cursor or next link
  bool foreign_next = false;  // the first next link points at another host
  int expire_token_page = 0;  // Graph: 401 InvalidAuthenticationToken on page N until a new token is fetched
};

class MockIdp {
 public:
  explicit MockIdp(MockIdpOptions options);
  ~MockIdp();
  MockIdp(const MockIdp&) = delete;
  MockIdp& operator=(const MockIdp&) = delete;

  void start();  // throws std::runtime_error when it cannot listen
  void stop();
  uint16_t port() const;
  std::string base_url() const;   // "http://127.0.0.1:PORT" (https:// with --https)
  std::string scim_url() const { return base_url() + "/scim/v2"; }
  std::string graph_url() const { return base_url() + "/v1.0"; }
  const std::vector<MockUser>& users() const;
  std::vector<std::string> issued_tokens() const;  // Graph access tokens handed out
  int64_t requests() const;                         // requests served so far

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace jumpsync::testing
