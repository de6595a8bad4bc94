// bench_pull: pull 100,000 users from an in-process MockIdp through the scim
// source with page size 1,000, one page at a time and then with concurrent
// page fetches, and print both. Target: <= 3 s. See docs/BENCHMARKS.md.
//
//   bench_pull [--users N] [--page-size N] [--concurrency N] [--gzip]
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "jumpsync/sources/factory.h"
#include "mock_idp.h"

namespace {

double pull_seconds(const jumpsync::testing::MockIdp& mock, int page_size, int concurrency, size_t expected) {
  jumpsync::SourceSettings settings;
  settings.provider = "scim";
  settings.url = mock.scim_url();
  settings.token = jumpsync::Secret("bench-token");
  settings.page_size = page_size;
  jumpsync::SourceOptions options;
  options.concurrency = concurrency;
  auto started = std::chrono::steady_clock::now();
  auto snapshot = jumpsync::make_source(settings, options)->pull(nullptr);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (snapshot.users.size() != expected) {
    std::fprintf(stderr, "bench_pull: got %zu users, expected %zu\n", snapshot.users.size(), expected);
    std::exit(1);
  }
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int users = 100'000, page_size = 1000, concurrency = 4;
  bool gzip = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--gzip") gzip = true;
    else if (i + 1 < argc && arg == "--users") users = std::stoi(argv[++i]);
    else if (i + 1 < argc && arg == "--page-size") page_size = std::stoi(argv[++i]);
    else if (i + 1 < argc && arg == "--concurrency") concurrency = std::stoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_pull [--users N] [--page-size N] [--concurrency N] [--gzip]\n");
      return 2;
    }
  }
  spdlog::set_level(spdlog::level::warn);
  jumpsync::testing::MockIdpOptions options;
  options.users = users;
  options.page_size_max = page_size;
  options.token = "bench-token";
  options.gzip = gzip;
  jumpsync::testing::MockIdp mock(options);
  mock.start();
  pull_seconds(mock, page_size, 1, static_cast<size_t>(users));  // warm-up
  std::printf("scim pull: %d users, page size %d%s (mock in-process, 127.0.0.1)\n", users, page_size,
              gzip ? ", gzip" : "");
  for (int c : {1, concurrency}) {
    double best = 1e9;
    for (int run = 0; run < 3; ++run) best = std::min(best, pull_seconds(mock, page_size, c, static_cast<size_t>(users)));
    std::printf("  %-22s best of 3: %.3f s  (%.0f users/s)\n",
                c == 1 ? "sequential pages:" : ("concurrent pages (" + std::to_string(c) + "):").c_str(), best,
                users / best);
  }
  return 0;
}
