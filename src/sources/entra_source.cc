// The entra source: Microsoft Graph, client credentials, the users assigned
// to an enterprise app with group assignments expanded (see providers.h).
#include <Poco/JSON/Parser.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <unordered_set>

#include "jumpsync/core/errors.h"
#include "jumpsync/sources/providers.h"

namespace jumpsync {
namespace {

namespace od = simdjson::ondemand;
using std::chrono::seconds;

constexpr int kDefaultPageSize = 999;
const char* const kDefaultGraph = "https://graph.microsoft.com/v1.0";
const char* const kDefaultAuthority = "https://login.microsoftonline.com";
const char* const kUserFields = "id,mail,userPrincipalName,otherMails,givenName,surname,displayName,accountEnabled";

std::string string_of(od::value value) {
  if (value.type() != od::json_type::string) return {};
  return std::string(std::string_view(value.get_string()));
}

// Client-credentials access tokens, shared by the fetching threads.
class TokenSource {
 public:
  TokenSource(std::unique_ptr<HttpClient> http, std::string url, std::string form, std::string label,
              std::shared_ptr<Clock> clock, std::shared_ptr<Redactor> redactor)
      : http_(std::move(http)), url_(std::move(url)), form_(std::move(form)), label_(std::move(label)),
        clock_(std::move(clock)), redactor_(std::move(redactor)) {}

  // A token valid for at least 5 more minutes.
  std::string current() {
    std::lock_guard lock(mutex_);
    if (token_.empty() || clock_->now() >= renew_at_) fetch();
    return token_;
  }
  // Called after a 401 InvalidAuthenticationToken with `stale`.
  std::string renew(const std::string& stale) {
    std::lock_guard lock(mutex_);
    if (token_ == stale) fetch();
    return token_;
  }

 private:
  void fetch() {
    HttpResponse r = http_->send({"POST", url_, {}, form_, "application/x-www-form-urlencoded"});
    if (r.status == 400 || r.status == 401) {
      throw source_error(label_ + ": the token request was refused: " + describe_failure(r, *redactor_) + "; " +
                         token_hint("entra"));
    }
    expect_json(r, label_, url_, token_hint("entra"), *redactor_);
    try {
      auto doc = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
      token_ = doc->getValue<std::string>("access_token");
      int64_t lifetime = doc->has("expires_in") ? doc->get("expires_in").convert<int64_t>() : 3600;
      redactor_->add(token_);
      renew_at_ = clock_->now() + seconds(std::max<int64_t>(lifetime - 300, lifetime / 2));
    } catch (const Poco::Exception&) {
      throw source_error(label_ + ": the token response has no access_token; check --auth-url");
    }
    spdlog::debug("{}: obtained an access token", label_);
  }

  std::mutex mutex_;
  std::unique_ptr<HttpClient> http_;
  std::string url_, form_, label_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<Redactor> redactor_;
  std::string token_;
  std::chrono::steady_clock::time_point renew_at_{};
};

struct Principals {
  std::vector<std::string> users;  // distinct, first-seen order
  std::vector<std::string> groups;
};

class EntraSource final : public IdpSource {
 public:
  EntraSource(SourceSettings settings, SourceOptions options)
      : settings_(std::move(settings)), options_(std::move(options)), redactor_(std::make_shared<Redactor>()) {
    if (settings_.url.empty()) settings_.url = kDefaultGraph;
    if (settings_.auth_url.empty()) settings_.auth_url = kDefaultAuthority;
    for (auto* u : {&settings_.url, &settings_.auth_url}) {
      while (!u->empty() && u->back() == '/') u->pop_back();
    }
    redactor_->add(settings_.client_secret.reveal());
    label_ = "entra source " + redact_url(settings_.url);
  }

  std::string describe() const override { return "entra " + redact_url(settings_.url) + " app " + settings_.app_id; }
  IdpSnapshot pull(ProgressSink* progress) override;
  std::vector<ConnectionCheck> test_connection() override;

 private:
  void require_settings() const {
    if (settings_.tenant.empty() || settings_.client_id.empty() || settings_.app_id.empty()) {
      throw usage_error(label_ + ": --tenant, --client-id and --app-id are all required");
    }
    if (settings_.client_secret.empty()) throw usage_error(label_ + ": no client secret set; " + token_hint("entra"));
  }
  std::unique_ptr<HttpClient> client(const Origin& origin) const {
    return std::make_unique<HttpClient>(origin, label_, http_options(settings_, options_), clock_of(options_),
                                        redactor_);
  }
  std::unique_ptr<TokenSource> make_tokens() const;
  HttpResponse graph_get(HttpClient& http, const std::string& url, bool allow_404 = false);
  void for_each_page(HttpClient& http, std::string url, const std::function<void(od::object)>& item);
  Principals read_assignments(HttpClient& http, ProgressSink* progress);
  std::vector<IdpUser> read_users(const std::vector<std::string>& ids, const Origin& origin);

  SourceSettings settings_;
  SourceOptions options_;
  std::shared_ptr<Redactor> redactor_;
  std::string label_;
  std::unique_ptr<TokenSource> tokens_;
};

std::unique_ptr<TokenSource> EntraSource::make_tokens() const {
  CheckedUrl auth = check_url(settings_.auth_url, label_);
  CheckedUrl graph = check_url(settings_.url, label_);
  std::string form = "client_id=" + url_encode(settings_.client_id) +
                     "&client_secret=" + url_encode(settings_.client_secret.reveal()) +
                     "&grant_type=client_credentials&scope=" + url_encode(graph.origin.str() + "/.default");
  return std::make_unique<TokenSource>(client(auth.origin),
                                       settings_.auth_url + "/" + url_encode(settings_.tenant) + "/oauth2/v2.0/token",
                                       form, label_, clock_of(options_), redactor_);
}

HttpResponse EntraSource::graph_get(HttpClient& http, const std::string& url, bool allow_404) {
  std::string token = tokens_->current();
  for (int renewals = 0;; ++renewals) {
    HttpResponse r = http.send({"GET", url, {{"Authorization", "Bearer " + token}}, {}, {}});
    if (r.status == 401 && renewals == 0 && error_code(r) == "InvalidAuthenticationToken") {
      spdlog::info("{}: access token refused mid-pull; requesting a new one", label_);
      token = tokens_->renew(token);
      continue;
    }
    if (allow_404 && r.status == 404) return r;
    expect_json(r, label_, url, token_hint("entra"), *redactor_);
    return r;
  }
}

void EntraSource::for_each_page(HttpClient& http, std::string url, const std::function<void(od::object)>& item) {
  od::parser parser;
  std::unordered_set<std::string> seen;
  const Origin origin = http.origin();
  while (!url.empty()) {
    if (!seen.insert(url).second) {
      throw source_error(label_ + ": paging loop: @odata.nextLink repeats a page already read; run the sync again");
    }
    HttpResponse r = graph_get(http, url);
    std::string next;
    r.body.reserve(r.body.size() + simdjson::SIMDJSON_PADDING);
    try {
      od::document doc = parser.iterate(r.body.data(), r.body.size(), r.body.capacity());
      for (auto field : doc.get_object()) {
        std::string_view key = field.unescaped_key();
        if (key == "value") {
          for (od::value v : field.value().get_array()) item(v.get_object());
        } else if (key == "@odata.nextLink") {
          next = string_of(field.value());
        }
      }
    } catch (const simdjson::simdjson_error& e) {
      throw source_error(label_ + ": GET " + redact_url(url) + ": malformed page (" + e.what() +
                         "); run the sync again");
    }
    if (!next.empty() && !(check_url(next, label_).origin == origin)) {
      throw source_error(label_ + ": @odata.nextLink leaves the configured host (" +
                         check_url(next, label_).origin.str() + "); refusing to follow it; check --url");
    }
    url = next;
  }
}

Principals EntraSource::read_assignments(HttpClient& http, ProgressSink* progress) {
  Principals out;
  std::unordered_set<std::string> users, groups;
  const std::string top = "$top=" + std::to_string(settings_.page_size > 0 ? settings_.page_size : kDefaultPageSize);
  for_each_page(http, settings_.url + "/servicePrincipals/" + url_encode(settings_.app_id) + "/appRoleAssignedTo?" + top,
                [&](od::object a) {
                  std::string type, id;
                  for (auto f : a) {
                    std::string_view key = f.unescaped_key();
                    if (key == "principalType") type = string_of(f.value());
                    else if (key == "principalId") id = string_of(f.value());
                  }
                  if (type == "User" && users.insert(id).second) out.users.push_back(id);
                  if (type == "Group" && groups.insert(id).second) out.groups.push_back(id);
                });
  for (const std::string& group : out.groups) {
    for_each_page(http, settings_.url + "/groups/" + url_encode(group) + "/members?$select=id&" + top,
                  [&](od::object m) {
                    std::string type, id;
                    for (auto f : m) {
                      std::string_view key = f.unescaped_key();
                      if (key == "@odata.type") type = string_of(f.value());
                      else if (key == "id") id = string_of(f.value());
                    }
                    if (type == "#microsoft.graph.user" && users.insert(id).second) out.users.push_back(id);
                  });
  }
  if (progress) progress->pulled(0, 0, static_cast<int64_t>(out.users.size()));
  return out;
}

std::vector<IdpUser> EntraSource::read_users(const std::vector<std::string>& ids, const Origin& origin) {
  std::vector<std::optional<IdpUser>> found(ids.size());
  int threads = std::max(1, options_.concurrency);
  std::vector<std::unique_ptr<HttpClient>> clients;
  std::vector<od::parser> parsers(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) clients.push_back(client(origin));
  parallel_for(ids.size(), threads, [&](size_t worker, size_t i) {
    const std::string url = settings_.url + "/users/" + url_encode(ids[i]) + "?$select=" + kUserFields;
    HttpResponse r = graph_get(*clients[worker], url, /*allow_404=*/true);
    if (r.status == 404) {
      spdlog::warn("{}: assigned user {} no longer exists; skipped", label_, ids[i]);
      return;
    }
    IdpUser user;
    std::string upn;
    r.body.reserve(r.body.size() + simdjson::SIMDJSON_PADDING);
    try {
      od::document doc = parsers[worker].iterate(r.body.data(), r.body.size(), r.body.capacity());
      for (auto f : doc.get_object()) {
        std::string_view key = f.unescaped_key();
        if (key == "id") user.external_id = string_of(f.value());
        else if (key == "mail") user.email = string_of(f.value());
        else if (key == "userPrincipalName") upn = string_of(f.value());
        else if (key == "givenName") user.given_name = string_of(f.value());
        else if (key == "surname") user.family_name = string_of(f.value());
        else if (key == "accountEnabled" && f.value().type() == od::json_type::boolean) user.active = bool(f.value().get_bool());
      }
    } catch (const simdjson::simdjson_error& e) {
      throw source_error(label_ + ": GET " + redact_url(url) + ": malformed user (" + e.what() + "); run the sync again");
    }
    if (user.email.empty() && upn.find('@') != std::string::npos) user.email = upn;
    if (user.external_id.empty()) user.external_id = ids[i];
    found[i] = std::move(user);
  });
  std::vector<IdpUser> users;
  for (auto& u : found) {
    if (u) users.push_back(std::move(*u));
  }
  return users;
}

IdpSnapshot EntraSource::pull(ProgressSink* progress) {
  CheckedUrl graph = check_url(settings_.url, label_);
  require_settings();
  tokens_ = make_tokens();
  auto http = client(graph.origin);
  Principals principals = read_assignments(*http, progress);
  IdpSnapshot snapshot{read_users(principals.users, graph.origin)};
  if (progress) progress->pulled(0, static_cast<int64_t>(snapshot.users.size()), static_cast<int64_t>(principals.users.size()));
  spdlog::info("{}: pulled {} users ({} groups expanded)", label_, snapshot.users.size(), principals.groups.size());
  return snapshot;
}

std::vector<ConnectionCheck> EntraSource::test_connection() {
  std::optional<CheckedUrl> graph, auth;
  return run_checks({
      {"url", [&] {
         graph = check_url(settings_.url, label_);
         auth = check_url(settings_.auth_url, label_);
         require_settings();
         return "Graph " + redact_url(settings_.url) + ", authority " + auth->origin.str() + ", tenant " + settings_.tenant;
       }},
      {"tls", [&] {
         auto probe = client(auth->origin);
         HttpResponse r = probe->send_once({"GET", settings_.auth_url + "/", {}, {}, {}});
         return "reached " + auth->origin.str() + (auth->origin.scheme == "https" ? " (certificate verified)" : "") +
                ", HTTP " + std::to_string(r.status);
       }},
      {"credentials", [&] {
         tokens_ = make_tokens();
         tokens_->current();
         return std::string("client secret accepted; access token issued");
       }},
      {"permissions", [&] {
         auto http = client(graph->origin);
         graph_get(*http, settings_.url + "/servicePrincipals/" + url_encode(settings_.app_id) + "/appRoleAssignedTo?$top=1");
         return std::string("the app can read the enterprise app's assignments");
       }},
  });
}

}  // namespace

std::unique_ptr<IdpSource> make_entra_source(const SourceSettings& settings, const SourceOptions& options) {
  return std::make_unique<EntraSource>(settings, options);
}

}  // namespace jumpsync
