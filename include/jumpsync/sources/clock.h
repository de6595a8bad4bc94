// Time as the sources see it: a monotonic clock for retry budgets, the wall
// clock for Okta's X-Rate-Limit-Reset (UTC epoch seconds), and sleeping
// between retries. This is the sources' one seam for time: tests inject a
// fake that records the sleeps and advances without really waiting.
//
// Thread safety: implementations must be safe to call from several threads
// at once (concurrent page fetches share one Clock).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

namespace jumpsync {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point now() = 0;
  virtual int64_t epoch_seconds() = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

// The real clock (std::chrono + std::this_thread::sleep_for). Shared, stateless.
std::shared_ptr<Clock> system_clock();

}  // namespace jumpsync
