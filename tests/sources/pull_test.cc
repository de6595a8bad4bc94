// Each source pulls a 10,000-user population from the mock correctly.
#include "sources_test_util.h"

using namespace jumpsync;
using namespace jumpsync::testing;

namespace {

struct Counter final : ProgressSink {
  int64_t calls = 0, last_users = 0;
  void pulled(int64_t, int64_t users, int64_t) override {
    ++calls;
    last_users = users;
  }
};

IdpSnapshot pull_from(MockIdpOptions options, const std::string& provider, int page_size, int concurrency = 4) {
  MockIdp mock(options);
  mock.start();
  auto clock = std::make_shared<FakeClock>();
  SourceOptions o = fast_options(clock);
  o.concurrency = concurrency;
  auto source = make_source(settings_for(provider, mock, page_size), o);
  Counter progress;
  IdpSnapshot snapshot = source->pull(&progress);
  CHECK(progress.calls > 0);
  CHECK(clock->sleeps().empty());  // no retry was needed
  return snapshot;
}

}  // namespace

TEST_CASE("scim index paging pulls 10,000 users, concurrently and one by one", "[sources]") {
  auto concurrent = pull_from(mock_options(10'000), "scim", 500, 4);
  check_population(concurrent, 10'000);
  auto sequential = pull_from(mock_options(10'000), "scim", 500, 1);
  check_population(sequential, 10'000);
  REQUIRE(concurrent.users.size() == sequential.users.size());
  for (size_t i = 0; i < concurrent.users.size(); ++i) {
    REQUIRE(concurrent.users[i].external_id == sequential.users[i].external_id);  // same order
  }
}

TEST_CASE("scim index paging advances by what the server returns when it caps the page size", "[sources]") {
  // Asks for 500, the server gives 300 per page: 10,000 is not a multiple.
  check_population(pull_from(mock_options(10'000, 300), "scim", 500), 10'000);
}

TEST_CASE("scim cursor paging pulls 10,000 users", "[sources]") {
  auto options = mock_options(10'000);
  options.scim_cursor = true;
  check_population(pull_from(options, "scim", 1000), 10'000);
}

TEST_CASE("okta pulls 10,000 app users following Link headers", "[sources]") {
  check_population(pull_from(mock_options(10'000), "okta", 500), 10'000);
}

TEST_CASE("entra pulls 10,000 users, expanding group assignments", "[sources]") {
  check_population(pull_from(mock_options(10'000), "entra", 999), 10'000);
}

TEST_CASE("gzip responses are decoded", "[sources]") {
  auto options = mock_options(2'000);
  options.gzip = true;
  check_population(pull_from(options, "scim", 1000), 2'000);
}

TEST_CASE("an empty IdP is an empty snapshot, not an error", "[sources]") {
  for (const char* provider : {"scim", "okta", "entra"}) {
    INFO(provider);
    auto options = mock_options(0);
    options.empty = true;
    CHECK(pull_from(options, provider, 100).users.empty());
  }
}

TEST_CASE("okta: a token pasted with a trailing newline is trimmed", "[sources]") {
  MockIdp mock(mock_options(30));
  mock.start();
  auto settings = settings_for("okta", mock, 10);
  settings.token = Secret(kToken + "\n");
  check_population(make_source(settings, fast_options(std::make_shared<FakeClock>()))->pull(nullptr), 30);
}

TEST_CASE("okta maps user statuses to active", "[sources]") {
  MockIdp mock(mock_options(40));
  mock.start();
  auto snapshot = make_source(settings_for("okta", mock, 50), fast_options(std::make_shared<FakeClock>()))->pull(nullptr);
  std::map<std::string, bool> active;
  for (const auto& u : snapshot.users) active[u.external_id] = u.active;
  for (const auto& u : mock.users()) {
    INFO(u.id << " " << u.okta_app_status << "/" << u.okta_user_status);
    bool expected = u.okta_user_status != "SUSPENDED" && u.okta_user_status != "DEPROVISIONED";
    CHECK(active.at(u.id) == expected);
  }
}

TEST_CASE("the mock_idp program serves a pull as a child process", "[sources]") {
  MockIdpProcess child(MOCK_IDP_PROGRAM, {"--users", "50", "--token", kToken, "--page-size-max", "20"});
  SourceSettings settings;
  settings.provider = "scim";
  settings.url = "http://127.0.0.1:" + std::to_string(child.port()) + "/scim/v2";
  settings.token = Secret(kToken);
  check_population(make_source(settings, fast_options(std::make_shared<FakeClock>()))->pull(nullptr), 50);
}
