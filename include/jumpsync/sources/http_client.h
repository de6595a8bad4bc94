// The HTTP(S) client every IdP source uses (Poco underneath; no Poco type
// escapes this header). One client talks to exactly one origin (scheme,
// host, port) over one keep-alive session:
//  - TLS certificates are verified (VERIFY_STRICT, system CAs plus
//    HttpOptions::ca_file); plain http only to loopback (see url.h);
//  - a request for any other origin is refused before anything is sent, so
//    the Authorization header never leaves the configured host; redirects
//    are never followed (3xx is returned to the caller, who refuses it);
//  - 5xx, 429, connection errors and timeouts are retried with exponential
//    backoff and jitter, honouring Retry-After (seconds) and Okta's
//    X-Rate-Limit-Reset (epoch seconds), within a total retry budget;
//    when X-Rate-Limit-Remaining reaches 0 the next request waits for the
//    reset;
//  - gzip responses are decoded;
//  - Poco exceptions stop here: failures become Error(ErrorKind::source,
//    "<label>: <what happened>; <what to do>") with secrets scrubbed.
//
// Thread safety: a client is used by one thread at a time. Concurrent
// fetches make one client each (they may share Clock and Redactor).
#pragma once

#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jumpsync/sources/clock.h"
#include "jumpsync/sources/redact.h"
#include "jumpsync/sources/url.h"

namespace Poco::Net {
class HTTPClientSession;
}

namespace jumpsync {

struct HttpOptions {
  std::string ca_file;  // extra trusted CAs (PEM); "" = system CAs only
  std::chrono::milliseconds connect_timeout{10'000};   // Default: 10 s
  std::chrono::milliseconds read_timeout{60'000};      // Default: 60 s
  std::chrono::milliseconds retry_budget{60'000};      // total time one request may spend retrying. Default: 60 s
  std::chrono::milliseconds backoff_initial{500};      // first backoff, doubled per attempt. Default: 0.5 s
  std::chrono::milliseconds backoff_max{10'000};       // Default: 10 s
  int max_attempts = 8;                                // Default: 8
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;       // absolute, on the client's origin
  HttpHeaders headers;   // e.g. Authorization: never logged
  std::string body;
  std::string content_type;
};

struct HttpResponse {
  int status = 0;
  std::string reason;
  std::string content_type;  // media type only, lower case ("application/json")
  HttpHeaders headers;
  std::string body;  // decoded (gzip removed)

  // First value of a header (case-insensitive name), "" when absent.
  std::string header(std::string_view name) const;
  std::vector<std::string> header_all(std::string_view name) const;
  bool is_json() const;  // application/json or application/scim+json
};

class HttpClient {
 public:
  // `label` starts every message: "scim source https://idp.example/scim/v2".
  HttpClient(Origin origin, std::string label, HttpOptions options,
             std::shared_ptr<Clock> clock, std::shared_ptr<const Redactor> redactor);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends with retries. Returns the first response that is neither 5xx nor
  // 429 (the caller interprets 2xx/3xx/4xx). Throws Error(source) when
  // retries run out, on TLS failure, or when `request.url` is not on the
  // client's origin.
  HttpResponse send(const HttpRequest& request);
  // One attempt, no retries: for test-connection probes.
  HttpResponse send_once(const HttpRequest& request);

  const Origin& origin() const { return origin_; }
  const std::string& label() const { return label_; }

 private:
  std::string path_on_origin(const std::string& url) const;
  HttpResponse exchange(const HttpRequest& request, const std::string& path);
  Poco::Net::HTTPClientSession& session();
  void reset_session();
  std::chrono::milliseconds backoff(int attempt);
  std::chrono::milliseconds server_delay(const HttpResponse& response) const;
  void note_rate_limit(const HttpResponse& response);
  void wait_for_rate_limit_reset();
  [[noreturn]] void fail(const std::string& what, const std::string& todo) const;

  Origin origin_;
  std::string label_;
  HttpOptions options_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<const Redactor> redactor_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  std::mt19937 rng_;
  int64_t rate_limit_reset_epoch_ = 0;  // wait until this before the next request (0 = none)
};

}  // namespace jumpsync
