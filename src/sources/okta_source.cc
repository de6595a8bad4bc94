// The okta source: the users assigned to one Okta app, paged by the Link
// header (see providers.h for the status mapping).
#include <Poco/String.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <unordered_set>

#include "jumpsync/core/errors.h"
#include "jumpsync/sources/providers.h"
#include "jumpsync/sources/scim_json.h"

namespace jumpsync {
namespace {

namespace od = simdjson::ondemand;

constexpr int kDefaultPageSize = 200;

std::string string_of(od::value value) {
  if (value.type() != od::json_type::string) return {};
  return std::string(std::string_view(value.get_string()));
}

bool app_status_active(const std::string& status) {
  return status.empty() || status == "ACTIVE" || status == "PROVISIONED";
}

bool user_status_active(const std::string& status) {
  static const std::unordered_set<std::string> active = {"", "ACTIVE", "PROVISIONED", "RECOVERY",
                                                         "PASSWORD_EXPIRED", "LOCKED_OUT"};
  static const std::unordered_set<std::string> inactive = {"STAGED", "SUSPENDED", "DEPROVISIONED"};
  if (active.count(status)) return true;
  if (inactive.count(status)) return false;
  spdlog::warn("okta source: unknown Okta user status '{}': treated as active", status);
  return true;
}

// The fields of one app user that the mapping needs.
struct OktaAppUser {
  std::string id, status, user_name, app_email;
  std::string user_status, email, first_name, last_name;
  bool embedded = false;
};

void read_profile(od::object profile, std::string& email, std::string* first, std::string* last) {
  for (auto field : profile) {
    std::string_view key = field.unescaped_key();
    if (key == "email") email = string_of(field.value());
    else if (first && key == "firstName") *first = string_of(field.value());
    else if (last && key == "lastName") *last = string_of(field.value());
  }
}

void read_embedded_user(od::object user, OktaAppUser& out) {
  out.embedded = true;
  for (auto field : user) {
    std::string_view key = field.unescaped_key();
    if (key == "status") out.user_status = string_of(field.value());
    else if (key == "profile" && field.value().type() == od::json_type::object) {
      read_profile(field.value().get_object(), out.email, &out.first_name, &out.last_name);
    }
  }
}

OktaAppUser read_app_user(od::object object) {
  OktaAppUser out;
  for (auto field : object) {
    std::string_view key = field.unescaped_key();
    od::value value = field.value();
    if (key == "id") out.id = string_of(value);
    else if (key == "status") out.status = string_of(value);
    else if (key == "credentials" && value.type() == od::json_type::object) {
      for (auto c : value.get_object()) {
        if (std::string_view(c.unescaped_key()) == "userName") out.user_name = string_of(c.value());
      }
    } else if (key == "profile" && value.type() == od::json_type::object) {
      read_profile(value.get_object(), out.app_email, nullptr, nullptr);
    } else if (key == "_embedded" && value.type() == od::json_type::object) {
      for (auto e : value.get_object()) {
        if (std::string_view(e.unescaped_key()) == "user" && e.value().type() == od::json_type::object) {
          read_embedded_user(e.value().get_object(), out);
        }
      }
    }
  }
  return out;
}

IdpUser to_idp_user(const OktaAppUser& app) {
  IdpUser user;
  user.external_id = app.id;
  user.email = !app.email.empty() ? app.email : !app.app_email.empty() ? app.app_email : "";
  if (user.email.empty() && app.user_name.find('@') != std::string::npos) user.email = app.user_name;
  user.given_name = app.first_name;
  user.family_name = app.last_name;
  user.active = app_status_active(app.status) && (!app.embedded || user_status_active(app.user_status));
  return user;
}

// The URL of rel="next" among the Link headers, "" when there is none.
std::string next_link(const HttpResponse& response) {
  for (const std::string& header : response.header_all("Link")) {
    size_t pos = 0;
    while ((pos = header.find('<', pos)) != std::string::npos) {
      size_t close = header.find('>', pos);
      if (close == std::string::npos) break;
      size_t end = header.find('<', close);
      std::string params = header.substr(close + 1, end == std::string::npos ? std::string::npos : end - close - 1);
      std::string compact;
      for (char c : params) {
        if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
      }
      if (compact.find("rel=\"next\"") != std::string::npos || compact.find("rel=next") != std::string::npos) {
        return header.substr(pos + 1, close - pos - 1);
      }
      pos = close;
    }
  }
  return {};
}

class OktaSource final : public IdpSource {
 public:
  OktaSource(SourceSettings settings, SourceOptions options)
      : settings_(std::move(settings)), options_(std::move(options)), redactor_(std::make_shared<Redactor>()) {
    while (!settings_.url.empty() && settings_.url.back() == '/') settings_.url.pop_back();
    token_ = Poco::trim(settings_.token.reveal());  // tokens pasted with a newline make Okta answer HTML 400
    redactor_->add(token_);
    redactor_->add(settings_.token.reveal());
    label_ = "okta source " + redact_url(settings_.url);
  }

  std::string describe() const override { return "okta " + redact_url(settings_.url) + " app " + settings_.app_id; }
  IdpSnapshot pull(ProgressSink* progress) override;
  std::vector<ConnectionCheck> test_connection() override;

 private:
  void require_settings() const {
    if (settings_.app_id.empty()) throw usage_error(label_ + ": no app id set; set it with --app-id");
    if (token_.empty()) throw usage_error(label_ + ": no API token set; " + token_hint("okta"));
  }
  std::string app_url() const { return settings_.url + "/api/v1/apps/" + url_encode(settings_.app_id); }
  std::unique_ptr<HttpClient> client(const Origin& origin) const {
    return std::make_unique<HttpClient>(origin, label_, http_options(settings_, options_), clock_of(options_),
                                        redactor_);
  }
  HttpResponse get_json(HttpClient& http, const std::string& url) {
    HttpResponse response = http.send({"GET", url, {{"Authorization", "SSWS " + token_}}, {}, {}});
    expect_json(response, label_, url, token_hint("okta"), *redactor_);
    return response;
  }
  std::vector<IdpUser> parse_page(std::string& body, const std::string& where);

  SourceSettings settings_;
  SourceOptions options_;
  std::shared_ptr<Redactor> redactor_;
  std::string token_;
  std::string label_;
  od::parser parser_;
};

std::vector<IdpUser> OktaSource::parse_page(std::string& body, const std::string& where) {
  body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  std::vector<IdpUser> users;
  try {
    od::document doc = parser_.iterate(body.data(), body.size(), body.capacity());
    for (od::value item : doc.get_array()) users.push_back(to_idp_user(read_app_user(item.get_object())));
    const char* rest = nullptr;
    if (doc.current_location().get(rest) == simdjson::SUCCESS) throw simdjson::simdjson_error(simdjson::TRAILING_CONTENT);
  } catch (const std::exception& e) {
    throw source_error(label_ + ": " + where + ": malformed page (" + e.what() +
                       "); Okta sent a broken page; run the sync again");
  }
  return users;
}

IdpSnapshot OktaSource::pull(ProgressSink* progress) {
  CheckedUrl base = check_url(settings_.url, label_);
  require_settings();
  auto http = client(base.origin);
  std::string url = app_url() + "/users?limit=" +
                    std::to_string(settings_.page_size > 0 ? settings_.page_size : kDefaultPageSize) + "&expand=user";
  std::unordered_set<std::string> seen_urls, ids;
  IdpSnapshot snapshot;
  int64_t pages = 0;
  while (!url.empty()) {
    seen_urls.insert(url);
    HttpResponse response = get_json(*http, url);
    ++pages;
    size_t fresh = 0;
    for (auto& user : parse_page(response.body, "GET " + redact_url(url))) {
      if (user.external_id.empty()) throw source_error(label_ + ": an app user without id; run the sync again");
      if (ids.insert(user.external_id).second) {
        snapshot.users.push_back(std::move(user));
        ++fresh;
      }
    }
    if (progress) progress->pulled(pages, static_cast<int64_t>(snapshot.users.size()), -1);
    std::string next = next_link(response);
    if (next.empty()) break;
    CheckedUrl checked = check_url(next, label_);
    if (!(checked.origin == base.origin)) {
      throw source_error(label_ + ": the next-page link leaves the configured host (" + checked.origin.str() +
                         "); refusing to follow it; check the org URL");
    }
    if (seen_urls.count(next) || fresh == 0) {
      throw source_error(label_ + ": paging loop: the next-page link repeats a page already read; run the sync "
                         "again, or report it to Okta support");
    }
    url = next;
  }
  spdlog::info("{}: pulled {} users in {} pages", label_, snapshot.users.size(), pages);
  return snapshot;
}

std::vector<ConnectionCheck> OktaSource::test_connection() {
  std::optional<CheckedUrl> base;
  std::unique_ptr<HttpClient> http;
  return run_checks({
      {"url", [&] {
         base = check_url(settings_.url, label_);
         require_settings();
         return "Okta org " + base->origin.str() + ", app " + settings_.app_id;
       }},
      {"tls", [&] {
         http = client(base->origin);
         HttpResponse r = http->send_once({"GET", settings_.url + "/api/v1/org", {}, {}, {}});
         return "reached " + base->origin.str() + (base->origin.scheme == "https" ? " (certificate verified)" : "") +
                ", HTTP " + std::to_string(r.status);
       }},
      {"credentials", [&] {
         HttpResponse r = http->send({"GET", app_url(), {{"Authorization", "SSWS " + token_}}, {}, {}});
         if (r.status == 404) {
           throw source_error(label_ + ": app '" + settings_.app_id + "' was not found (404); check --app-id");
         }
         expect_json(r, label_, app_url(), token_hint("okta"), *redactor_);
         return std::string("API token accepted; app found");
       }},
      {"permissions", [&] {
         get_json(*http, app_url() + "/users?limit=1&expand=user");
         return std::string("the token can read the app's assigned users");
       }},
  });
}

}  // namespace

std::unique_ptr<IdpSource> make_okta_source(const SourceSettings& settings, const SourceOptions& options) {
  return std::make_unique<OktaSource>(settings, options);
}

}  // namespace jumpsync
