// The three dialects the mock speaks over one population (see mock_idp.h).
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include <chrono>
#include <random>
#include <sstream>

#include "mock_internal.h"

namespace jumpsync::testing {
namespace {

std::string b(bool v) { return v ? "true" : "false"; }

int64_t epoch_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// ---- SCIM ----------------------------------------------------------------

Reply scim_error(int status, const std::string& scim_type, const std::string& detail) {
  std::string body = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"status\":\"" +
                     std::to_string(status) + "\"";
  if (!scim_type.empty()) body += ",\"scimType\":" + quote(scim_type);
  return Reply{status, "application/scim+json", body + ",\"detail\":" + quote(detail) + "}", {}};
}

void scim_user(std::string& out, const MockUser& u) {
  out += "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":" + quote(u.id) +
         ",\"userName\":" + quote(u.scim_no_emails ? u.email : u.id) + ",\"name\":{\"givenName\":" +
         quote(u.given_name) + ",\"familyName\":" + quote(u.family_name) + "},\"active\":" + b(u.active);
  if (!u.scim_no_emails) {
    std::string mine = "{\"value\":" + quote(u.email) + ",\"type\":\"work\",\"primary\":true}";
    if (u.scim_primary_second) {
      out += ",\"emails\":[{\"value\":\"other-" + u.id + "@elsewhere.example\",\"type\":\"home\"}," + mine + "]";
    } else {
      out += ",\"emails\":[" + mine + "]";
    }
  }
  out += ",\"meta\":{\"resourceType\":\"User\"}}";
}

Reply scim_users(MockIdp::State& s, const Request& r) {
  const auto& o = s.options;
  const int64_t n = static_cast<int64_t>(s.users.size());
  int64_t count = std::clamp<int64_t>(to_int(r.param("count"), 100), 0, o.page_size_max);
  bool cursor_mode = o.scim_cursor && r.query.count("cursor");
  int64_t offset = 0;
  if (cursor_mode) {
    const std::string c = r.param("cursor");
    if (!c.empty() && (c[0] != 'c' || to_int(c.substr(1), -1) < 0)) return scim_error(400, "invalidCursor", "unknown cursor");
    offset = c.empty() ? 0 : to_int(c.substr(1), 0);
  } else {
    offset = std::max<int64_t>(to_int(r.param("startIndex"), 1), 1) - 1;
  }
  const int page = count > 0 ? static_cast<int>(offset / count) + 1 : 1;
  if (auto fault = page_fault(s, page, "scim")) return *fault;
  int64_t served = (!cursor_mode && o.repeat_next && page >= 2) ? 0 : offset;
  int64_t total = n + (o.drift_page && page >= o.drift_page ? 1 : 0);
  std::string body = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\"totalResults\":" +
                     std::to_string(total);
  int64_t end = std::min(n, served + count);
  if (cursor_mode && end < n) {
    std::string next = (o.repeat_next && page == 2) ? r.param("cursor") : "c" + std::to_string(end);
    body += ",\"nextCursor\":" + quote(next);
  }
  if (!cursor_mode) body += ",\"startIndex\":" + std::to_string(offset + 1);
  body += ",\"itemsPerPage\":" + std::to_string(std::max<int64_t>(end - served, 0)) + ",\"Resources\":[";
  for (int64_t i = served; i < end; ++i) {
    if (i > served) body += ',';
    scim_user(body, s.users[static_cast<size_t>(i)]);
  }
  body += "]}";
  Reply reply{200, "application/scim+json", std::move(body), {}};
  finish_page(s, page, reply);
  return reply;
}

// ---- Okta ----------------------------------------------------------------

Reply okta_error(int status, const std::string& code, const std::string& summary) {
  return json_reply(status, "{\"errorCode\":" + quote(code) + ",\"errorSummary\":" + quote(summary) +
                                ",\"errorLink\":" + quote(code) + ",\"errorId\":\"oae-mock\",\"errorCauses\":[]}");
}

void okta_app_user(std::string& out, const MockUser& u) {
  out += "{\"id\":" + quote(u.id) + ",\"scope\":\"USER\",\"status\":" + quote(u.okta_app_status) +
         ",\"credentials\":{\"userName\":" + quote(u.email) + "},\"profile\":{},\"_embedded\":{\"user\":{\"id\":" +
         quote(u.id) + ",\"status\":" + quote(u.okta_user_status) + ",\"profile\":{\"firstName\":" +
         quote(u.given_name) + ",\"lastName\":" + quote(u.family_name) + ",\"email\":" + quote(u.email) +
         ",\"login\":" + quote(u.email) + "}}}}";
}

Reply okta_users(MockIdp::State& s, const Request& r, const std::string& app_url) {
  const auto& o = s.options;
  const int64_t n = static_cast<int64_t>(s.users.size());
  int64_t limit = std::clamp<int64_t>(to_int(r.param("limit"), 50), 1, std::min(500, o.page_size_max));
  const std::string after = r.param("after");
  int64_t offset = after.empty() ? 0 : to_int(after.substr(1), 0);
  const int page = static_cast<int>(offset / limit) + 1;
  if (auto fault = page_fault(s, page, "okta")) return *fault;
  int64_t end = std::min(n, offset + limit);
  std::string body = "[";
  for (int64_t i = offset; i < end; ++i) {
    if (i > offset) body += ',';
    okta_app_user(body, s.users[static_cast<size_t>(i)]);
  }
  body += "]";
  Reply reply = json_reply(200, std::move(body));
  reply.headers.emplace_back("Link", "<" + r.url + ">; rel=\"self\"");
  if (end < n) {
    std::string next = r.base + app_url + "/users?after=o" + std::to_string(end) + "&limit=" + std::to_string(limit) + "&expand=user";
    if (o.repeat_next && page == 2) next = r.url;
    if (o.foreign_next && page == 1) next = "https://evil.example.com" + app_url + "/users?after=o" + std::to_string(end);
    reply.headers.emplace_back("Link", "<" + next + ">; rel=\"next\"");
  }
  finish_page(s, page, reply);
  return reply;
}

// ---- Graph ---------------------------------------------------------------

Reply graph_error(int status, const std::string& code, const std::string& message) {
  return json_reply(status, "{\"error\":{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}}");
}

// One page of a pre-rendered collection, with $top/$skiptoken paging.
Reply graph_page(MockIdp::State& s, const Request& r, const std::vector<std::string>& items, int page_for_faults) {
  int64_t top = std::clamp<int64_t>(to_int(r.param("$top"), 100), 1, std::min(999, s.options.page_size_max));
  int64_t offset = to_int(r.param("$skiptoken"), 0);
  int64_t n = static_cast<int64_t>(items.size());
  int64_t end = std::min(n, offset + top);
  std::string body = "{\"@odata.context\":\"mock\",\"value\":[";
  for (int64_t i = offset; i < end; ++i) {
    if (i > offset) body += ',';
    body += items[static_cast<size_t>(i)];
  }
  body += "]";
  if (end < n) {
    std::string next = r.base + r.path + "?$top=" + std::to_string(top) + "&$skiptoken=" + std::to_string(end);
    if (page_for_faults == 2 && s.options.repeat_next) next = r.url;
    if (page_for_faults == 1 && s.options.foreign_next) next = "https://evil.example.com" + r.path + "?$skiptoken=" + std::to_string(end);
    body += ",\"@odata.nextLink\":" + quote(next);
  }
  return json_reply(200, body + "}");
}

std::vector<std::string> assignments(const MockIdp::State& s) {
  std::vector<std::string> out;
  bool g1 = false, g2 = false;
  for (const auto& u : s.users) {
    if (u.direct) out.push_back("{\"id\":\"a-" + u.id + "\",\"principalType\":\"User\",\"principalId\":" + quote(u.id) + "}");
    g1 = g1 || u.in_g1;
    g2 = g2 || u.in_g2;
  }
  if (g1) out.push_back("{\"id\":\"a-g1\",\"principalType\":\"Group\",\"principalId\":\"g1\"}");
  if (g2) out.push_back("{\"id\":\"a-g2\",\"principalType\":\"Group\",\"principalId\":\"g2\"}");
  if (!s.users.empty()) out.push_back("{\"id\":\"a-sp\",\"principalType\":\"ServicePrincipal\",\"principalId\":\"sp1\"}");
  return out;
}

std::vector<std::string> members(const MockIdp::State& s, const std::string& group) {
  std::vector<std::string> out;
  for (const auto& u : s.users) {
    if ((group == "g1" && u.in_g1) || (group == "g2" && u.in_g2)) {
      out.push_back("{\"@odata.type\":\"#microsoft.graph.user\",\"id\":" + quote(u.id) + "}");
    }
  }
  if (group == "g1") out.push_back("{\"@odata.type\":\"#microsoft.graph.device\",\"id\":\"dev1\"}");
  return out;
}

std::string graph_user(const MockUser& u) {
  return "{\"id\":" + quote(u.id) + ",\"mail\":" + (u.graph_no_mail ? std::string("null") : quote(u.email)) +
         ",\"userPrincipalName\":" + quote(u.email) + ",\"otherMails\":[],\"givenName\":" + quote(u.given_name) +
         ",\"surname\":" + quote(u.family_name) + ",\"displayName\":" + quote(u.given_name + " " + u.family_name) +
         ",\"accountEnabled\":" + b(u.active) + "}";
}

// The serial of a valid access token, or -1.
int token_serial(MockIdp::State& s, const std::string& authorization) {
  std::lock_guard lock(s.mutex);
  for (size_t i = 0; i < s.issued.size(); ++i) {
    if (authorization == "Bearer " + s.issued[i]) return static_cast<int>(i) + 1 >= s.min_valid_serial ? static_cast<int>(i) + 1 : -1;
  }
  return -1;
}

}  // namespace

Reply serve_scim(MockIdp::State& s, const Request& r) {
  if (!s.options.token.empty() && r.authorization != "Bearer " + s.options.token) {
    // Echoes what it got, as some servers do: the client must scrub it.
    return scim_error(401, "", "authorization '" + r.authorization + "' is not valid");
  }
  if (r.path == "/scim/v2/ServiceProviderConfig") {
    return Reply{200, "application/scim+json",
                 "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig\"],"
                 "\"filter\":{\"supported\":true,\"maxResults\":" + std::to_string(s.options.page_size_max) + "},"
                 "\"pagination\":{\"cursor\":" + b(s.options.scim_cursor) + ",\"index\":true,\"maxPageSize\":" +
                     std::to_string(s.options.page_size_max) + "}}",
                 {}};
  }
  if (r.path == "/scim/v2/Users") return scim_users(s, r);
  return scim_error(404, "", "no such resource");
}

Reply serve_okta(MockIdp::State& s, const Request& r) {
  if (r.path == "/api/v1/org") return json_reply(200, "{\"id\":\"00o-mock\"}");
  if (!s.options.token.empty() && r.authorization != "SSWS " + s.options.token) {
    return okta_error(401, "E0000011", "Invalid token provided");
  }
  const std::string app_url = "/api/v1/apps/" + s.options.app_id;
  Reply reply = okta_error(404, "E0000007", "Not found: Resource not found: (AppInstance)");
  if (r.path == app_url) reply = json_reply(200, "{\"id\":" + quote(s.options.app_id) + ",\"status\":\"ACTIVE\"}");
  if (r.path == app_url + "/users") reply = okta_users(s, r, app_url);
  if (reply.status != 429) {
    reply.headers.emplace_back("X-Rate-Limit-Limit", "600");
    reply.headers.emplace_back("X-Rate-Limit-Remaining", "599");
    reply.headers.emplace_back("X-Rate-Limit-Reset", std::to_string(epoch_now() + 60));
  }
  return reply;
}

Reply serve_token(MockIdp::State& s, const Request& r) {
  Poco::Net::NameValueCollection form;
  std::istringstream fields(r.body);
  for (std::string pair; std::getline(fields, pair, '&');) {
    auto eq = pair.find('=');
    std::string key, value;
    Poco::URI::decode(pair.substr(0, eq), key);
    if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value, true);
    form.set(key, value);
  }
  if (form.get("grant_type", "") != "client_credentials" || form.get("client_id", "").empty()) {
    return json_reply(400, "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS900144: missing client_id\"}");
  }
  if (!s.options.token.empty() && form.get("client_secret", "") != s.options.token) {
    return json_reply(401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}");
  }
  std::lock_guard lock(s.mutex);
  std::string token = "tok-" + std::to_string(++s.token_serial) + "-" + std::to_string(std::random_device{}());
  s.issued.push_back(token);
  return json_reply(200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":" + quote(token) + "}");
}

Reply serve_graph(MockIdp::State& s, const Request& r) {
  const std::string sp = "/v1.0/servicePrincipals/" + s.options.app_id + "/appRoleAssignedTo";
  if (r.path == sp && s.options.expire_token_page) {
    int64_t top = std::clamp<int64_t>(to_int(r.param("$top"), 100), 1, std::min(999, s.options.page_size_max));
    if (to_int(r.param("$skiptoken"), 0) / top + 1 == s.options.expire_token_page) {
      std::lock_guard lock(s.mutex);
      if (s.faults_done.insert("expire").second) s.min_valid_serial = s.token_serial + 1;
    }
  }
  if (token_serial(s, r.authorization) < 0) {
    return graph_error(401, "InvalidAuthenticationToken", "Access token has expired or is not valid yet.");
  }
  if (r.path == sp) {
    int64_t top = std::clamp<int64_t>(to_int(r.param("$top"), 100), 1, std::min(999, s.options.page_size_max));
    int page = static_cast<int>(to_int(r.param("$skiptoken"), 0) / top) + 1;
    if (auto fault = page_fault(s, page, "graph")) return *fault;
    Reply reply = graph_page(s, r, assignments(s), page);
    finish_page(s, page, reply);
    return reply;
  }
  const std::string groups = "/v1.0/groups/", users = "/v1.0/users/";
  if (r.path.rfind(groups, 0) == 0 && r.path.size() > groups.size() + 8 && r.path.substr(r.path.size() - 8) == "/members") {
    return graph_page(s, r, members(s, r.path.substr(groups.size(), r.path.size() - groups.size() - 8)), 0);
  }
  if (r.path.rfind(users, 0) == 0) {
    auto it = s.by_id.find(r.path.substr(users.size()));
    if (it != s.by_id.end()) return json_reply(200, graph_user(s.users[it->second]));
  }
  return graph_error(404, "Request_ResourceNotFound", "Resource '" + r.path + "' does not exist.");
}

}  // namespace jumpsync::testing
