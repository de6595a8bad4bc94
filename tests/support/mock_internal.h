// Internals shared by mock_idp.cc (server, faults) and mock_dialects.cc
// (SCIM, Okta, Graph). Not for tests to include.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mock_idp.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace jumpsync::testing {

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct Request {
  std::string method, path, body, authorization, base;  // base: "http://127.0.0.1:PORT"
  std::map<std::string, std::string> query;
  std::string url;  // the whole request URL, absolute
  std::string param(const std::string& key, const std::string& fallback = "") const {
    auto it = query.find(key);
    return it == query.end() ? fallback : it->second;
  }
};

struct MockIdp::State {
  MockIdpOptions options;
  std::vector<MockUser> users;
  std::unordered_map<std::string, size_t> by_id;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  ~State();
  uint16_t port = 0;
  std::atomic<int64_t> requests{0};
  std::mutex mutex;  // guards everything below
  std::set<std::string> faults_done;
  int token_serial = 0;
  int min_valid_serial = 0;
  std::vector<std::string> issued;
};

// JSON string literal with escapes.
std::string quote(const std::string& text);
Reply json_reply(int status, std::string body);
// Faults that replace a whole list page (fail, 503, 429, HTML); also sleeps for slow_ms.
std::optional<Reply> page_fault(MockIdp::State& state, int page, const std::string& dialect);
// Applies truncate_page to a successful page.
void finish_page(MockIdp::State& state, int page, Reply& reply);
int64_t to_int(const std::string& text, int64_t fallback);

Reply serve_scim(MockIdp::State& state, const Request& request);
Reply serve_okta(MockIdp::State& state, const Request& request);
Reply serve_graph(MockIdp::State& state, const Request& request);
Reply serve_token(MockIdp::State& state, const Request& request);

}  // namespace jumpsync::testing
