#include "mock_idp.h"

#include "jumpsync/core/plan_format.h"

#include <Poco/DeflatingStream.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "mock_internal.h"

namespace jumpsync::testing {
namespace {

Request read_request(Poco::Net::HTTPServerRequest& in, const MockIdpOptions& options) {
  Request r;
  r.method = in.getMethod();
  Poco::URI uri(in.getURI());
  r.path = uri.getPath();
  for (const auto& [k, v] : uri.getQueryParameters()) r.query[k] = v;
  r.authorization = in.get("Authorization", "");
  r.base = std::string(options.https ? "https" : "http") + "://" + in.getHost();
  r.url = r.base + in.getURI();
  Poco::StreamCopier::copyToString(in.stream(), r.body);
  return r;
}

Reply route(MockIdp::State& state, const Request& r) {
  if (r.path.rfind("/scim/v2/", 0) == 0) return serve_scim(state, r);
  if (r.path.rfind("/api/v1/", 0) == 0) return serve_okta(state, r);
  if (r.path.rfind("/v1.0/", 0) == 0) return serve_graph(state, r);
  if (r.method == "POST" && r.path.find("/oauth2/v2.0/token") != std::string::npos) return serve_token(state, r);
  return json_reply(404, "{\"error\":\"no such endpoint\"}");
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(MockIdp::State& state) : state_(state) {}
  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    ++state_.requests;
    Reply reply;
    try {
      reply = route(state_, read_request(in, state_.options));
    } catch (const std::exception& e) {
      reply = json_reply(500, "{\"error\":" + quote(e.what()) + "}");
    }
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    out.setContentType(reply.content_type);
    for (const auto& [k, v] : reply.headers) out.add(k, v);
    bool gzip = state_.options.gzip && in.get("Accept-Encoding", "").find("gzip") != std::string::npos;
    if (gzip) {
      std::ostringstream packed;
      {
        Poco::DeflatingOutputStream deflater(packed, Poco::DeflatingStreamBuf::STREAM_GZIP);
        deflater << reply.body;
        deflater.close();
      }
      reply.body = packed.str();
      out.set("Content-Encoding", "gzip");
    }
    out.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
    out.send() << reply.body;
  }

 private:
  MockIdp::State& state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(MockIdp::State& state) : state_(state) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  MockIdp::State& state_;
};

}  // namespace

std::string quote(const std::string& text) { return json_quote(text); }

Reply json_reply(int status, std::string body) { return Reply{status, "application/json", std::move(body), {}}; }

int64_t to_int(const std::string& text, int64_t fallback) {
  try {
    return text.empty() ? fallback : std::stoll(text);
  } catch (...) {
    return fallback;
  }
}

std::optional<Reply> page_fault(MockIdp::State& state, int page, const std::string& dialect) {
  const MockIdpOptions& o = state.options;
  if (o.slow_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(o.slow_ms));
  auto once = [&](const std::string& key) {
    std::lock_guard lock(state.mutex);
    return state.faults_done.insert(key).second;
  };
  if (page == o.fail_page) return json_reply(500, "{\"error\":\"mock: injected failure on page " + std::to_string(page) + "\"}");
  if (page == o.fail_once_503 && once("503")) return json_reply(503, "{\"error\":\"mock: service unavailable\"}");
  if (page == o.rate_limit_page && once("429")) {
    Reply r = json_reply(429, "{\"errorCode\":\"E0000047\",\"errorSummary\":\"API call exceeded rate limit due to too many requests.\"}");
    if (dialect == "okta") {
      auto reset = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 1;
      r.headers = {{"X-Rate-Limit-Limit", "600"}, {"X-Rate-Limit-Remaining", "0"}, {"X-Rate-Limit-Reset", std::to_string(reset)}};
    } else {
      r.headers = {{"Retry-After", "1"}};
    }
    return r;
  }
  if (page == o.html_page) return Reply{200, "text/html", "<html><body><h1>Sign in</h1></body></html>", {}};
  return std::nullopt;
}

void finish_page(MockIdp::State& state, int page, Reply& reply) {
  if (page == state.options.truncate_page) reply.body.resize(reply.body.size() / 2);
}

MockIdp::MockIdp(MockIdpOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  if (!state_->options.empty) {
    state_->users = state_->options.users_file.empty() ? generate_users(state_->options.users)
                                                       : load_users(state_->options.users_file);
  }
  for (size_t i = 0; i < state_->users.size(); ++i) state_->by_id[state_->users[i].id] = i;
}

MockIdp::~MockIdp() { stop(); }

void MockIdp::start() {
  const MockIdpOptions& o = state_->options;
  Poco::Net::SocketAddress address("127.0.0.1", o.port);
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  try {
    if (o.https) {
      Poco::Net::initializeSSL();
      Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, o.key_file,
                                                               o.cert_file, "", Poco::Net::Context::VERIFY_NONE);
      socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
    } else {
      socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
    }
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("mock_idp: cannot listen on 127.0.0.1:" + std::to_string(o.port) + ": " + e.displayText());
  }
  state_->port = socket->address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(32);
  params->setMaxQueued(256);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(1'000'000);
  params->setKeepAliveTimeout(Poco::Timespan(5, 0));
  state_->pool = std::make_unique<Poco::ThreadPool>(2, 32);
  state_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*state_), *state_->pool, *socket, params);
  state_->server->start();
}

void MockIdp::stop() {
  if (state_->server) {
    state_->server->stopAll(true);
    state_->server.reset();
  }
  if (state_->pool) {
    state_->pool->joinAll();
    state_->pool.reset();
  }
}

MockIdp::State::~State() = default;

uint16_t MockIdp::port() const { return state_->port; }

std::string MockIdp::base_url() const {
  return std::string(state_->options.https ? "https" : "http") + "://127.0.0.1:" + std::to_string(state_->port);
}

const std::vector<MockUser>& MockIdp::users() const { return state_->users; }

std::vector<std::string> MockIdp::issued_tokens() const {
  std::lock_guard lock(state_->mutex);
  return state_->issued;
}

int64_t MockIdp::requests() const { return state_->requests; }

}  // namespace jumpsync::testing
