// test_connection: steps in order, stopping at the first failure, with a
// detail that says what to fix.
#include "sources_test_util.h"

using namespace jumpsync;
using namespace jumpsync::testing;

namespace {

std::vector<std::string> steps(const std::vector<ConnectionCheck>& checks) {
  std::vector<std::string> out;
  for (const auto& c : checks) out.push_back(c.step + (c.ok ? ":ok" : ":fail"));
  return out;
}

}  // namespace

TEST_CASE("test_connection passes every step against a healthy IdP", "[sources]") {
  MockIdp mock(mock_options(20));
  mock.start();
  for (const char* provider : {"scim", "okta", "entra"}) {
    INFO(provider);
    auto checks = make_source(settings_for(provider, mock), fast_options(std::make_shared<FakeClock>()))->test_connection();
    CHECK(steps(checks) == std::vector<std::string>{"url:ok", "tls:ok", "credentials:ok", "permissions:ok"});
  }
}

TEST_CASE("test_connection names the credentials step for a bad token", "[sources]") {
  MockIdp mock(mock_options(20));
  mock.start();
  for (const char* provider : {"scim", "okta", "entra"}) {
    INFO(provider);
    auto settings = settings_for(provider, mock);
    settings.token = Secret("bad-token-xyz");
    settings.client_secret = Secret("bad-token-xyz");
    auto checks = make_source(settings, fast_options(std::make_shared<FakeClock>()))->test_connection();
    CHECK(steps(checks) == std::vector<std::string>{"url:ok", "tls:ok", "credentials:fail"});
    INFO(checks.back().detail);
    CHECK(checks.back().detail.find("jumpsync team set-source NAME") != std::string::npos);
    CHECK(checks.back().detail.find("bad-token-xyz") == std::string::npos);
  }
}

TEST_CASE("test_connection names the tls step for an unreachable URL and the url step for a bad one", "[sources]") {
  uint16_t dead_port;
  {
    MockIdp mock(mock_options(1));
    mock.start();
    dead_port = mock.port();
  }  // stopped: nothing listens there now
  SourceSettings settings;
  settings.provider = "scim";
  settings.token = Secret(kToken);
  settings.url = "http://127.0.0.1:" + std::to_string(dead_port) + "/scim/v2";
  auto checks = make_source(settings, fast_options(std::make_shared<FakeClock>()))->test_connection();
  CHECK(steps(checks) == std::vector<std::string>{"url:ok", "tls:fail"});
  CHECK(checks.back().detail.find("check the URL") != std::string::npos);

  settings.url = "http://idp.example.com/scim/v2";
  checks = make_source(settings)->test_connection();
  CHECK(steps(checks) == std::vector<std::string>{"url:fail"});
  CHECK(checks.back().detail.find("use https://") != std::string::npos);
}

TEST_CASE("test_connection: a wrong Okta app id fails the credentials step", "[sources]") {
  MockIdp mock(mock_options(5));
  mock.start();
  auto settings = settings_for("okta", mock);
  settings.app_id = "0oa-nope";
  auto checks = make_source(settings, fast_options(std::make_shared<FakeClock>()))->test_connection();
  CHECK(steps(checks) == std::vector<std::string>{"url:ok", "tls:ok", "credentials:fail"});
  CHECK(checks.back().detail.find("--app-id") != std::string::npos);
}

TEST_CASE("an unknown provider is a usage error", "[sources]") {
  SourceSettings settings;
  settings.provider = "ldap";
  error_of([&] { make_source(settings); }, ErrorKind::usage);
}
