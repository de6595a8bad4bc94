// mock_idp: a mock identity provider (SCIM 2.0, Okta, Microsoft Graph) on
// 127.0.0.1 for tests, benchmarks and the README demo. The command line is
// a stable interface (end-to-end tests depend on it):
//
//   mock_idp [--port N]            listen port; 0 (default) picks a free one.
//                                  Prints "listening on PORT" on stdout once
//                                  it accepts connections; runs until
//                                  SIGINT/SIGTERM.
//            [--https --cert F --key F]   serve TLS with this PEM cert/key
//            [--users N]           generated population (default 100):
//                                  user{i}@example.com, ids u000001...,
//                                  every 10th user inactive
//            [--users-file F]      users from a CSV or SCIM JSON file instead
//            [--empty]             no users at all
//            [--page-size-max N]   cap on count/limit/$top (default 1000)
//            [--token T]           expected SCIM bearer / Okta SSWS token /
//                                  Entra client secret ("" = accept any)
//            [--app-id ID]         Okta app id / Entra service principal id
//                                  (default app1)
//            [--scim-cursor]       advertise and serve cursor paging
//            [--gzip]              gzip responses when accepted
//            [--slow-ms N]         delay every list page by N ms
//   faults (page numbers 1-based, of the SCIM users / Okta app users /
//   Graph assignments list):
//            [--fail-page N]       500 on page N, always
//            [--fail-once-503 N]   503 on page N, once
//            [--rate-limit-page N] 429 on page N, once (Retry-After: 1; Okta:
//                                  X-Rate-Limit-Reset now+1)
//            [--truncate-page N]   page N's JSON cut in half
//            [--html-page N]       page N is HTML with status 200
//            [--drift-page N]      SCIM totalResults grows by one from page N
//            [--repeat-next]       page 2 repeats page 1 / its own cursor/link
//            [--foreign-next]      the first next link points at another host
//            [--expire-token-page N]  Graph: 401 InvalidAuthenticationToken
//                                  on page N until a new token is fetched
//
// Endpoints: /scim/v2/{Users,ServiceProviderConfig};
// /api/v1/apps/{id}[/users], /api/v1/org; /{tenant}/oauth2/v2.0/token,
// /v1.0/servicePrincipals/{id}/appRoleAssignedTo, /v1.0/groups/{id}/members,
// /v1.0/users/{id}.
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "mock_idp.h"

namespace {

int usage(const std::string& problem) {
  std::cerr << "mock_idp: " << problem << " (see the comment at the top of mock_idp_main.cc)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using jumpsync::testing::MockIdpOptions;
  MockIdpOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    auto number = [&] { return std::stoi(value()); };
    try {
      if (arg == "--port") o.port = static_cast<uint16_t>(number());
      else if (arg == "--https") o.https = true;
      else if (arg == "--cert") o.cert_file = value();
      else if (arg == "--key") o.key_file = value();
      else if (arg == "--users") o.users = number();
      else if (arg == "--users-file") o.users_file = value();
      else if (arg == "--empty") o.empty = true;
      else if (arg == "--page-size-max") o.page_size_max = number();
      else if (arg == "--token") o.token = value();
      else if (arg == "--app-id") o.app_id = value();
      else if (arg == "--scim-cursor") o.scim_cursor = true;
      else if (arg == "--gzip") o.gzip = true;
      else if (arg == "--slow-ms") o.slow_ms = number();
      else if (arg == "--fail-page") o.fail_page = number();
      else if (arg == "--fail-once-503") o.fail_once_503 = number();
      else if (arg == "--rate-limit-page") o.rate_limit_page = number();
      else if (arg == "--truncate-page") o.truncate_page = number();
      else if (arg == "--html-page") o.html_page = number();
      else if (arg == "--drift-page") o.drift_page = number();
      else if (arg == "--repeat-next") o.repeat_next = true;
      else if (arg == "--foreign-next") o.foreign_next = true;
      else if (arg == "--expire-token-page") o.expire_token_page = number();
      else return usage("unknown option " + arg);
    } catch (const std::exception& e) {
      return usage("bad value for " + arg + ": " + e.what());
    }
  }
  if (o.https && (o.cert_file.empty() || o.key_file.empty())) return usage("--https needs --cert and --key");

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any server thread starts
  try {
    jumpsync::testing::MockIdp mock(o);
    mock.start();
    std::cout << "listening on " << mock.port() << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    mock.stop();
  } catch (const std::exception& e) {
    std::cerr << "mock_idp: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
