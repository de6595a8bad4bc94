// Transport safety: TLS verification, loopback-only plain http, the origin
// lock, and no secret in any log line or message.
#include "jumpsync/sources/http_client.h"
#include "sources_test_util.h"

using namespace jumpsync;
using namespace jumpsync::testing;

TEST_CASE("https: a private CA is accepted with ca_file and refused without it", "[sources]") {
  TempDir dir;
  TestCa ca = make_test_ca(dir.path());
  auto options = mock_options(200);
  options.https = true;
  options.cert_file = ca.server_cert;
  options.key_file = ca.server_key;
  MockIdp mock(options);
  mock.start();
  REQUIRE(mock.base_url().rfind("https://", 0) == 0);
  auto clock = std::make_shared<FakeClock>();

  auto settings = settings_for("scim", mock, 100);
  std::string message = error_of([&] { make_source(settings, fast_options(clock))->pull(nullptr); });
  CHECK(message.find("TLS failed") != std::string::npos);
  CHECK(message.find("--ca-file") != std::string::npos);
  CHECK(clock->sleeps().empty());  // a certificate failure is not retried

  settings.ca_file = ca.ca_cert;
  check_population(make_source(settings, fast_options(clock))->pull(nullptr), 200);

  settings.url = "https://localhost:" + std::to_string(mock.port()) + "/scim/v2";  // name in the SAN
  check_population(make_source(settings, fast_options(clock))->pull(nullptr), 200);
}

TEST_CASE("plain http is refused unless the host is loopback", "[sources]") {
  for (const char* url : {"http://idp.example.com/scim/v2", "http://10.0.0.1/scim/v2", "http://127.example.com/x"}) {
    INFO(url);
    SourceSettings settings;
    settings.provider = "scim";
    settings.url = url;
    settings.token = Secret(kToken);
    std::string message = error_of([&] { make_source(settings)->pull(nullptr); }, ErrorKind::usage);
    CHECK(message.find("plain http is only allowed to loopback hosts; use https://") != std::string::npos);
  }
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.8.9.10"));
  CHECK(is_loopback_host("::1"));
  CHECK(is_loopback_host("[::1]"));
  CHECK(is_loopback_host("LocalHost"));
  CHECK_FALSE(is_loopback_host("128.0.0.1"));
  CHECK_FALSE(is_loopback_host("localhost.example.com"));
  CHECK_NOTHROW(check_url("http://[::1]:8080/scim", "t"));
  CHECK_THROWS_AS(check_url("ftp://127.0.0.1/x", "t"), Error);
}

TEST_CASE("the client sends nothing to another origin", "[sources]") {
  MockIdp mock(mock_options(10));
  mock.start();
  auto origin = check_url(mock.base_url(), "t").origin;
  HttpClient client(origin, "scim source test", HttpOptions{}, std::make_shared<FakeClock>(),
                    std::make_shared<Redactor>());
  auto other_port = "http://127.0.0.1:" + std::to_string(mock.port() + 1) + "/scim/v2/Users";
  std::string message = error_of([&] {
    client.send({"GET", other_port, {{"Authorization", "Bearer " + kToken}}, {}, {}});
  });
  CHECK(message.find("refusing to send a request to http://127.0.0.1:") != std::string::npos);
  CHECK(mock.requests() == 0);
}

TEST_CASE("redact_url hides user-info and non-paging query values", "[sources]") {
  CHECK(redact_url("https://user:pw@idp.example/scim?startIndex=5&access_token=abc&count=10") ==
        "https://idp.example/scim?startIndex=5&access_token=***&count=10");
}

TEST_CASE("no secret reaches a log line or an error message", "[sources]") {
  LogCapture logs;
  std::vector<std::string> messages;
  std::vector<std::string> access_tokens;
  for (const char* provider : {"scim", "okta", "entra"}) {
    // Retries (warnings) then success, with an entra token renewal.
    auto options = mock_options(30);
    options.fail_once_503 = 1;
    options.rate_limit_page = 2;
    options.expire_token_page = 2;
    MockIdp mock(options);
    mock.start();
    auto clock = std::make_shared<FakeClock>();
    make_source(settings_for(provider, mock, 10), fast_options(clock))->pull(nullptr);
    // A failure, and a refused token that the SCIM mock echoes back.
    auto failing = mock_options(30);
    failing.fail_page = 2;
    MockIdp broken(failing);
    broken.start();
    messages.push_back(error_of([&] { make_source(settings_for(provider, broken, 10), fast_options(clock))->pull(nullptr); }));
    auto settings = settings_for(provider, mock, 10);
    settings.token = Secret("Wrong-" + kToken);
    settings.client_secret = Secret("Wrong-" + kToken);
    messages.push_back(error_of([&] { make_source(settings, fast_options(clock))->pull(nullptr); }));
    for (const auto& check : make_source(settings, fast_options(clock))->test_connection()) {
      messages.push_back(check.detail);
    }
    for (const auto& t : mock.issued_tokens()) access_tokens.push_back(t);
  }
  std::string all = logs.text();
  for (const auto& m : messages) all += "\n" + m;
  CHECK(all.find("retrying") != std::string::npos);  // the capture did see the retries
  CHECK(all.find(kToken) == std::string::npos);
  REQUIRE(access_tokens.size() >= 2);
  for (const auto& t : access_tokens) CHECK(all.find(t) == std::string::npos);
}
