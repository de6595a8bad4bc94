// Shared fixtures for the [sources] tests: a fake clock that never really
// sleeps, fast retry options, settings for a MockIdp, population checks.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "jumpsync/core/errors.h"
#include "jumpsync/sources/factory.h"
#include "mock_idp.h"
#include "test_support.h"

namespace jumpsync::testing {

// Time moves only when someone sleeps; records every sleep.
class FakeClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() override {
    return start_ + std::chrono::milliseconds(offset_ms_.load());
  }
  int64_t epoch_seconds() override { return epoch_start_ + offset_ms_.load() / 1000; }
  void sleep_for(std::chrono::milliseconds d) override {
    offset_ms_ += d.count();
    std::lock_guard lock(mutex_);
    sleeps_.push_back(d.count());
  }
  std::vector<int64_t> sleeps() {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }
  int64_t longest_sleep() {
    int64_t m = 0;
    for (auto s : sleeps()) m = std::max(m, s);
    return m;
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  int64_t epoch_start_ = system_clock()->epoch_seconds();
  std::atomic<int64_t> offset_ms_{0};
  std::mutex mutex_;
  std::vector<int64_t> sleeps_;
};

inline SourceOptions fast_options(std::shared_ptr<Clock> clock) {
  SourceOptions o;
  o.clock = std::move(clock);
  o.http.connect_timeout = std::chrono::milliseconds(2000);
  o.http.read_timeout = std::chrono::milliseconds(5000);
  o.http.retry_budget = std::chrono::milliseconds(5000);
  o.http.backoff_initial = std::chrono::milliseconds(10);
  o.http.backoff_max = std::chrono::milliseconds(50);
  o.http.max_attempts = 4;
  return o;
}

inline const std::string kToken = "s3cret-token-Zq9";

inline SourceSettings settings_for(const std::string& provider, const MockIdp& mock, int page_size = 0) {
  SourceSettings s;
  s.provider = provider;
  s.page_size = page_size;
  if (provider == "scim") {
    s.url = mock.scim_url();
    s.token = Secret(kToken);
  } else if (provider == "okta") {
    s.url = mock.base_url();
    s.app_id = "app1";
    s.token = Secret(kToken);
  } else if (provider == "entra") {
    s.url = mock.graph_url();
    s.auth_url = mock.base_url();
    s.tenant = "tenant1";
    s.client_id = "client1";
    s.app_id = "app1";
    s.client_secret = Secret(kToken);
  }
  return s;
}

inline MockIdpOptions mock_options(int users, int page_size_max = 1000) {
  MockIdpOptions o;
  o.users = users;
  o.page_size_max = page_size_max;
  o.token = kToken;
  return o;
}

// Every generated user is present once with the mapped fields (mock_users.h).
inline void check_population(const IdpSnapshot& snapshot, int count) {
  REQUIRE(snapshot.users.size() == static_cast<size_t>(count));
  std::map<std::string, const IdpUser*> by_id;
  for (const auto& u : snapshot.users) by_id[u.external_id] = &u;
  REQUIRE(by_id.size() == static_cast<size_t>(count));
  int inactive = 0;
  for (const auto& u : snapshot.users) inactive += u.active ? 0 : 1;
  CHECK(inactive == count / 10);
  for (int i : {1, 2, 6, 9, 10, 11, 20, 33, count / 2, count}) {
    if (i < 1 || i > count) continue;
    char id[16];
    std::snprintf(id, sizeof id, "u%06d", i);
    INFO("user " << id);
    REQUIRE(by_id.count(id));
    const IdpUser& u = *by_id[id];
    CHECK(u.email == "user" + std::to_string(i) + "@example.com");
    CHECK(u.given_name == "Given" + std::to_string(i));
    CHECK(u.family_name == "Family" + std::to_string(i));
    CHECK(u.active == (i % 10 != 0));
  }
}

// Runs `fn`, which must throw Error(kind); returns the message.
template <typename Fn>
std::string error_of(Fn fn, ErrorKind kind = ErrorKind::source) {
  try {
    fn();
  } catch (const Error& e) {
    CHECK(e.kind() == kind);
    return e.what();
  }
  FAIL("no Error thrown");
  return {};
}

}  // namespace jumpsync::testing
