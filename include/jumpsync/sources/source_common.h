// Pieces every HTTP source shares: turning a non-success HTTP response into
// a clear Error(source) that names the source and says what to do, and the
// knobs a caller (the CLI, tests) can set on all sources.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "jumpsync/core/source.h"

#include "jumpsync/sources/clock.h"
#include "jumpsync/sources/http_client.h"
#include "jumpsync/sources/redact.h"

namespace jumpsync {

// Options beyond SourceSettings, the same for every provider.
struct SourceOptions {
  HttpOptions http;                // timeouts, retry budget, backoff, ca_file (overridden by SourceSettings::ca_file)
  std::shared_ptr<Clock> clock;    // nullptr = system_clock()
  int concurrency = 4;             // pages / user lookups in flight at once (>= 1). Default: 4
};

// "HTTP 401 Unauthorized: <detail>" where the detail comes from a SCIM
// Error (detail, scimType), an Okta error (errorSummary, errorCode), a Graph
// error ({"error":{"code","message"}}) or a short text body. Scrubbed.
std::string describe_failure(const HttpResponse& response, const Redactor& redactor);

// The error code of an IdP error body ("InvalidAuthenticationToken",
// "E0000011", "invalidCursor"), "" when none.
std::string error_code(const HttpResponse& response);

// Throws Error(source, "<label>: <what> ...; <what to do>") unless the
// response is 2xx with a JSON content type. `credentials_hint` is the fix
// for a 401 ("set a new token with `jumpsync team set-source ...`").
void expect_json(const HttpResponse& response, const std::string& label, const std::string& url,
                 const std::string& credentials_hint, const Redactor& redactor);

// SourceOptions::http with SourceSettings::ca_file applied.
HttpOptions http_options(const SourceSettings& settings, const SourceOptions& options);
std::shared_ptr<Clock> clock_of(const SourceOptions& options);

// test-connection: runs the steps in order and stops at the first one that
// throws; a step returns its "ok" detail, an Error's message becomes the
// failing step's detail.
using CheckStep = std::pair<std::string, std::function<std::string()>>;
std::vector<ConnectionCheck> run_checks(const std::vector<CheckStep>& steps);

// Runs fn(i) for i in [0, n) on up to `threads` threads (contiguous
// chunks); rethrows the first exception (by index) after all have stopped.
void parallel_for(size_t n, int threads, const std::function<void(size_t worker, size_t i)>& fn);

// The fix for refused credentials, per provider (names the CLI flags).
std::string token_hint(const std::string& provider);

}  // namespace jumpsync
