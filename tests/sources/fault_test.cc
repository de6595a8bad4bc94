// Faults injected by the mock: the pull either fails as a whole with a
// source error naming the source, or recovers where a retry legitimately
// does (one 503, one 429, an expired token).
#include "sources_test_util.h"

using namespace jumpsync;
using namespace jumpsync::testing;

namespace {

constexpr int kUsers = 50;
constexpr int kPage = 10;

struct Run {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::unique_ptr<MockIdp> mock;
};

Run start(MockIdpOptions options) {
  Run run;
  run.mock = std::make_unique<MockIdp>(options);
  run.mock->start();
  return run;
}

IdpSnapshot pull(Run& run, const std::string& provider) {
  return make_source(settings_for(provider, *run.mock, kPage), fast_options(run.clock))->pull(nullptr);
}

// The pull must fail with a source error that names the source and says `what`.
void expect_failure(MockIdpOptions options, const std::string& provider, const std::string& what) {
  INFO(provider << ", expecting: " << what);
  Run run = start(options);
  std::string message = error_of([&] { pull(run, provider); });
  INFO(message);
  CHECK(message.find(provider + " source http://127.0.0.1:") == 0);
  CHECK(message.find(what) != std::string::npos);
}

const std::vector<std::string> kHttpProviders = {"scim", "okta", "entra"};

}  // namespace

TEST_CASE("a page that keeps failing with 500 fails the pull after bounded retries", "[sources]") {
  for (const auto& provider : kHttpProviders) {
    auto options = mock_options(kUsers);
    options.fail_page = 2;
    expect_failure(options, provider, "HTTP 500");
    expect_failure(options, provider, "gave up after 4 attempts");
  }
}

TEST_CASE("one 503 is retried and the pull completes", "[sources]") {
  for (const auto& provider : kHttpProviders) {
    INFO(provider);
    auto options = mock_options(kUsers);
    options.fail_once_503 = 2;
    Run run = start(options);
    check_population(pull(run, provider), kUsers);
    CHECK(run.clock->sleeps().size() == 1);  // one backoff
  }
}

TEST_CASE("a 429 is honoured (Retry-After, Okta X-Rate-Limit-Reset) and the pull completes", "[sources]") {
  for (const auto& provider : kHttpProviders) {
    INFO(provider);
    auto options = mock_options(kUsers);
    options.rate_limit_page = 2;
    Run run = start(options);
    check_population(pull(run, provider), kUsers);
    // The test backoff is at most 50 ms: a longer wait came from the server.
    CHECK(run.clock->longest_sleep() >= (provider == "okta" ? 100 : 1000));
  }
}

TEST_CASE("a truncated page fails the pull as malformed", "[sources]") {
  for (const auto& provider : kHttpProviders) {
    auto options = mock_options(kUsers);
    options.truncate_page = 2;
    expect_failure(options, provider, "malformed");
  }
}

TEST_CASE("an HTML page with status 200 fails the pull", "[sources]") {
  for (const auto& provider : kHttpProviders) {
    auto options = mock_options(kUsers);
    options.html_page = 2;
    expect_failure(options, provider, "expected JSON but got 'text/html'");
  }
}

TEST_CASE("scim: totalResults changing mid-pull is inconsistent", "[sources]") {
  auto options = mock_options(kUsers);
  options.drift_page = 3;
  expect_failure(options, "scim", "inconsistent list: totalResults changed from 50 to 51");
  options.scim_cursor = true;
  expect_failure(options, "scim", "inconsistent list");
}

TEST_CASE("a paging loop fails the pull", "[sources]") {
  auto options = mock_options(kUsers);
  options.repeat_next = true;
  for (const auto& provider : kHttpProviders) expect_failure(options, provider, "paging loop");
  options.scim_cursor = true;
  expect_failure(options, "scim", "paging loop");
}

TEST_CASE("a next link to another host is not followed", "[sources]") {
  auto options = mock_options(kUsers);
  options.foreign_next = true;
  expect_failure(options, "okta", "leaves the configured host (https://evil.example.com)");
  expect_failure(options, "entra", "leaves the configured host (https://evil.example.com)");
}

TEST_CASE("entra renews an access token refused mid-pull", "[sources]") {
  auto options = mock_options(kUsers);
  options.expire_token_page = 2;
  Run run = start(options);
  check_population(pull(run, "entra"), kUsers);
  CHECK(run.mock->issued_tokens().size() == 2);
}

TEST_CASE("a server slower than the read timeout fails the pull within the retry budget", "[sources]") {
  auto options = mock_options(kUsers);
  options.slow_ms = 400;
  Run run = start(options);
  SourceOptions fast = fast_options(system_clock());  // real time: the timeout is real
  fast.http.read_timeout = std::chrono::milliseconds(100);
  fast.http.max_attempts = 2;
  auto started = std::chrono::steady_clock::now();
  std::string message =
      error_of([&] { make_source(settings_for("scim", *run.mock, kPage), fast)->pull(nullptr); });
  CHECK(message.find("timed out") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
}

TEST_CASE("a refused token fails the pull with what to do", "[sources]") {
  for (const auto& provider : kHttpProviders) {
    INFO(provider);
    Run run = start(mock_options(kUsers));
    auto settings = settings_for(provider, *run.mock, kPage);
    settings.token = Secret("wrong-token-123");
    settings.client_secret = Secret("wrong-token-123");
    std::string message = error_of([&] { make_source(settings, fast_options(run.clock))->pull(nullptr); });
    INFO(message);
    CHECK(message.find("refused") != std::string::npos);
    CHECK(message.find("jumpsync team set-source NAME") != std::string::npos);
    CHECK(message.find("wrong-token-123") == std::string::npos);
  }
}
