#include "jumpsync/sources/http_client.h"

#include <Poco/InflatingStream.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <mutex>

#include "jumpsync/core/errors.h"

namespace jumpsync {
namespace {

using std::chrono::milliseconds;

Poco::Net::Context::Ptr make_tls_context(const std::string& ca_file) {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
  Poco::Net::Context::Ptr context = new Poco::Net::Context(
      Poco::Net::Context::TLS_CLIENT_USE, "", "", ca_file, Poco::Net::Context::VERIFY_STRICT, 9,
      /*loadDefaultCAs=*/true, "ALL:!ADH:!LOW:!EXP:!MD5:!aNULL:@STRENGTH");
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  return context;
}

std::string media_type(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  return Poco::toLower(Poco::trim(type));
}

std::optional<int64_t> parse_int(const std::string& text) {
  int64_t value = 0;
  std::string t = Poco::trim(text);
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
  return value;
}

std::string read_body(std::istream& in, const Poco::Net::HTTPResponse& response) {
  std::string body;
  if (response.hasContentLength()) body.reserve(static_cast<size_t>(response.getContentLength64()));
  if (Poco::icompare(response.get("Content-Encoding", ""), "gzip") == 0) {
    Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
    Poco::StreamCopier::copyToString(inflater, body);
  } else {
    Poco::StreamCopier::copyToString(in, body);
  }
  return body;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (Poco::icompare(key, std::string(name)) == 0) return value;
  }
  return {};
}

std::vector<std::string> HttpResponse::header_all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : headers) {
    if (Poco::icompare(key, std::string(name)) == 0) out.push_back(value);
  }
  return out;
}

bool HttpResponse::is_json() const {
  return content_type == "application/json" || content_type == "application/scim+json";
}

HttpClient::HttpClient(Origin origin, std::string label, HttpOptions options,
                       std::shared_ptr<Clock> clock, std::shared_ptr<const Redactor> redactor)
    : origin_(std::move(origin)),
      label_(std::move(label)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      redactor_(std::move(redactor)),
      rng_(std::random_device{}()) {}

HttpClient::~HttpClient() = default;

void HttpClient::fail(const std::string& what, const std::string& todo) const {
  throw source_error(redactor_->scrub(label_ + ": " + what + "; " + todo));
}

std::string HttpClient::path_on_origin(const std::string& url) const {
  CheckedUrl checked = check_url(url, label_);
  if (!(checked.origin == origin_)) {
    fail("refusing to send a request to " + checked.origin.str() + ", which is not the configured host " +
             origin_.str(),
         "the IdP answered with a link to another host; check the source URL");
  }
  return checked.path_and_query;
}

Poco::Net::HTTPClientSession& HttpClient::session() {
  if (!session_) {
    if (origin_.scheme == "https") {
      session_ = std::make_unique<Poco::Net::HTTPSClientSession>(origin_.host, origin_.port,
                                                                   make_tls_context(options_.ca_file));
    } else {
      session_ = std::make_unique<Poco::Net::HTTPClientSession>(origin_.host, origin_.port);
    }
    session_->setKeepAlive(true);
    session_->setTimeout(Poco::Timespan(options_.connect_timeout.count() * 1000),
                         Poco::Timespan(options_.read_timeout.count() * 1000),
                         Poco::Timespan(options_.read_timeout.count() * 1000));
  }
  return *session_;
}

void HttpClient::reset_session() { session_.reset(); }

HttpResponse HttpClient::exchange(const HttpRequest& request, const std::string& path) {
  Poco::Net::HTTPRequest out(request.method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  out.setKeepAlive(true);
  out.set("Accept", "application/scim+json, application/json");
  out.set("Accept-Encoding", "gzip");
  out.set("User-Agent", "jumpsync/0.1");
  for (const auto& [key, value] : request.headers) out.set(key, value);
  if (!request.body.empty() || request.method == "POST") {
    out.setContentType(request.content_type);
    out.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
  }
  auto& s = session();
  s.sendRequest(out) << request.body;
  Poco::Net::HTTPResponse in;
  std::istream& body = s.receiveResponse(in);
  HttpResponse response;
  response.status = static_cast<int>(in.getStatus());
  response.reason = in.getReason();
  response.content_type = media_type(in.getContentType());
  for (const auto& [key, value] : in) response.headers.emplace_back(key, value);
  response.body = read_body(body, in);
  if (!in.getKeepAlive()) reset_session();
  return response;
}

milliseconds HttpClient::backoff(int attempt) {
  auto base = options_.backoff_initial.count() << std::min(attempt - 1, 20);
  auto capped = std::min<int64_t>(base, options_.backoff_max.count());
  std::uniform_int_distribution<int64_t> jitter(capped / 2, std::max<int64_t>(capped, 1));
  return milliseconds(jitter(rng_));
}

// How long the server asked us to wait (Retry-After seconds, or Okta's
// X-Rate-Limit-Reset epoch); 0 when it did not say.
milliseconds HttpClient::server_delay(const HttpResponse& response) const {
  if (auto seconds = parse_int(response.header("Retry-After"))) {
    return milliseconds(std::max<int64_t>(*seconds, 0) * 1000);
  }
  if (auto reset = parse_int(response.header("X-Rate-Limit-Reset")); reset && response.status == 429) {
    return milliseconds(std::max<int64_t>(*reset - clock_->epoch_seconds(), 0) * 1000 + 100);
  }
  return milliseconds(0);
}

void HttpClient::note_rate_limit(const HttpResponse& response) {
  auto remaining = parse_int(response.header("X-Rate-Limit-Remaining"));
  auto reset = parse_int(response.header("X-Rate-Limit-Reset"));
  rate_limit_reset_epoch_ = (remaining && *remaining <= 0 && reset) ? *reset : 0;
}

void HttpClient::wait_for_rate_limit_reset() {
  if (rate_limit_reset_epoch_ == 0) return;
  int64_t seconds = rate_limit_reset_epoch_ - clock_->epoch_seconds();
  rate_limit_reset_epoch_ = 0;
  if (seconds <= 0) return;
  milliseconds wait(seconds * 1000);
  if (wait > options_.retry_budget) {
    fail("the rate limit is exhausted until " + std::to_string(seconds) + " s from now",
         "try again later, or ask the IdP admin for a higher rate limit");
  }
  spdlog::info("{}: rate limit exhausted (X-Rate-Limit-Remaining: 0); waiting {} ms for the reset", label_,
               wait.count());
  clock_->sleep_for(wait);
}

HttpResponse HttpClient::send_once(const HttpRequest& request) {
  std::string path = path_on_origin(request.url);
  try {
    return exchange(request, path);
  } catch (const Poco::Net::SSLException& e) {
    reset_session();
    fail("TLS failed: " + e.displayText(),
         "check the certificate; for a private CA set --ca-file with the CA bundle");
  } catch (const Poco::TimeoutException&) {
    reset_session();
    fail("timed out", "check that the host is reachable");
  } catch (const Poco::Exception& e) {
    reset_session();
    fail("cannot connect: " + e.displayText(), "check the URL and that the host is reachable");
  }
}

HttpResponse HttpClient::send(const HttpRequest& request) {
  const std::string path = path_on_origin(request.url);
  const std::string shown = redact_url(request.url);
  const auto start = clock_->now();
  std::string problem, todo;
  for (int attempt = 1;; ++attempt) {
    wait_for_rate_limit_reset();
    milliseconds wait(0);
    try {
      HttpResponse response = exchange(request, path);
      note_rate_limit(response);
      if (response.status != 429 && response.status < 500) return response;
      problem = "HTTP " + std::to_string(response.status) + " " + response.reason;
      todo = response.status == 429 ? "the IdP is rate-limiting us; try again later"
                                    : "the IdP is failing; try again later";
      wait = server_delay(response);
    } catch (const Poco::Net::SSLException& e) {
      reset_session();
      fail("TLS failed for " + shown + ": " + e.displayText(),
           "check the server certificate; for a private CA set --ca-file with the CA bundle");
    } catch (const Poco::TimeoutException&) {
      reset_session();
      problem = "timed out";
      todo = "check that the host is reachable and not overloaded";
    } catch (const Poco::Exception& e) {
      reset_session();
      problem = e.displayText();
      todo = "check the URL and that the host is reachable";
    }
    if (wait.count() == 0) wait = backoff(attempt);
    auto spent = std::chrono::duration_cast<milliseconds>(clock_->now() - start);
    if (attempt >= options_.max_attempts || spent + wait > options_.retry_budget) {
      fail(request.method + " " + shown + " failed: " + problem + " (gave up after " + std::to_string(attempt) +
               " attempts in " + std::to_string(spent.count()) + " ms)",
           todo);
    }
    spdlog::warn("{}: {} {}: {}; retrying in {} ms (attempt {}/{})", label_, request.method, shown,
                 redactor_->scrub(problem), wait.count(), attempt, options_.max_attempts);
    clock_->sleep_for(wait);
  }
}

}  // namespace jumpsync
