#include "jumpsync/sources/source_common.h"

#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include "jumpsync/core/errors.h"

namespace jumpsync {
namespace {

// The small error document, or null when the body is not a JSON object.
Poco::JSON::Object::Ptr error_object(const HttpResponse& response) {
  if (!response.is_json() || response.body.size() > 64 * 1024) return nullptr;
  try {
    Poco::JSON::Parser parser;
    return parser.parse(response.body).extract<Poco::JSON::Object::Ptr>();
  } catch (...) {
    return nullptr;
  }
}

std::string text_of(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (!object || !object->has(key) || object->isNull(key)) return {};
  try {
    return object->get(key).convert<std::string>();
  } catch (...) {
    return {};
  }
}

std::string first_line(std::string text, size_t max) {
  text = text.substr(0, text.find('\n'));
  if (text.size() > max) text = text.substr(0, max) + "...";
  return Poco::trim(text);
}

std::string detail_of(const HttpResponse& response) {
  auto object = error_object(response);
  if (object) {
    if (auto graph = object->getObject("error")) {
      return text_of(graph, "code") + ": " + text_of(graph, "message");
    }
    if (object->has("errorSummary")) {
      return text_of(object, "errorCode") + ": " + text_of(object, "errorSummary");
    }
    if (object->has("detail") || object->has("scimType")) {
      std::string type = text_of(object, "scimType");
      return (type.empty() ? "" : type + ": ") + text_of(object, "detail");
    }
    if (object->has("error_description")) {
      return text_of(object, "error") + ": " + text_of(object, "error_description");
    }
  }
  if (response.content_type == "text/plain") return first_line(response.body, 200);
  if (response.body.empty()) return {};
  return "(" + (response.content_type.empty() ? std::string("untyped") : response.content_type) + " body, " +
         std::to_string(response.body.size()) + " bytes)";
}

}  // namespace

std::string error_code(const HttpResponse& response) {
  auto object = error_object(response);
  if (!object) return {};
  if (auto graph = object->getObject("error")) return text_of(graph, "code");
  if (object->has("errorCode")) return text_of(object, "errorCode");
  if (object->has("scimType")) return text_of(object, "scimType");
  return text_of(object, "error");
}

std::string describe_failure(const HttpResponse& response, const Redactor& redactor) {
  std::string out = "HTTP " + std::to_string(response.status) + " " + response.reason;
  std::string detail = detail_of(response);
  if (!detail.empty()) out += " (" + first_line(detail, 300) + ")";
  return redactor.scrub(out);
}

std::string token_hint(const std::string& provider) {
  if (provider == "entra") {
    return "check the tenant and client id, and set a new client secret with `jumpsync team set-source NAME "
           "--client-secret-file F`";
  }
  return "set a new token with `jumpsync team set-source NAME --token-file F`";
}

void expect_json(const HttpResponse& response, const std::string& label, const std::string& url,
                 const std::string& credentials_hint, const Redactor& redactor) {
  const int status = response.status;
  const std::string at = "GET " + redact_url(url) + ": ";
  auto fail = [&](const std::string& what, const std::string& todo) {
    throw source_error(redactor.scrub(label + ": " + at + what + "; " + todo));
  };
  if (status >= 300 && status < 400) {
    fail("redirected (HTTP " + std::to_string(status) + ") to " + redact_url(response.header("Location")),
         "redirects are not followed; set the source URL to the final address");
  }
  if (status == 401) fail("the credentials were refused: " + describe_failure(response, redactor), credentials_hint);
  if (status == 403) {
    fail("permission denied: " + describe_failure(response, redactor),
         "grant the API client read access to users and app assignments");
  }
  if (status == 404) fail("not found: " + describe_failure(response, redactor), "check the URL and the app id");
  if (status < 200 || status >= 300) {
    fail(describe_failure(response, redactor), "check the source settings, or try again later");
  }
  if (!response.is_json()) {
    fail("expected JSON but got '" + (response.content_type.empty() ? "no content type" : response.content_type) +
             "' (an HTML login or error page?)",
         "check that the URL points at the IdP's API");
  }
}

}  // namespace jumpsync

#include <atomic>
#include <exception>
#include <thread>

namespace jumpsync {

HttpOptions http_options(const SourceSettings& settings, const SourceOptions& options) {
  HttpOptions http = options.http;
  if (!settings.ca_file.empty()) http.ca_file = settings.ca_file;
  return http;
}

std::shared_ptr<Clock> clock_of(const SourceOptions& options) {
  return options.clock ? options.clock : system_clock();
}

std::vector<ConnectionCheck> run_checks(const std::vector<CheckStep>& steps) {
  std::vector<ConnectionCheck> out;
  for (const auto& [name, step] : steps) {
    ConnectionCheck check{name, false, {}};
    try {
      check.detail = step();
      check.ok = true;
    } catch (const std::exception& e) {
      check.detail = e.what();
    }
    out.push_back(check);
    if (!check.ok) break;
  }
  return out;
}

void parallel_for(size_t n, int threads, const std::function<void(size_t worker, size_t i)>& fn) {
  size_t workers = std::min<size_t>(n, static_cast<size_t>(std::max(threads, 1)));
  if (workers <= 1) {
    for (size_t i = 0; i < n; ++i) fn(0, i);
    return;
  }
  std::vector<std::exception_ptr> errors(workers);
  std::atomic<bool> failed{false};
  std::vector<std::thread> pool;
  for (size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      size_t begin = n * w / workers, end = n * (w + 1) / workers;
      try {
        for (size_t i = begin; i < end && !failed; ++i) fn(w, i);
      } catch (...) {
        errors[w] = std::current_exception();
        failed = true;
      }
    });
  }
  for (auto& t : pool) t.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace jumpsync
