#include "jumpsync/sources/url.h"

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <array>
#include <cctype>

#include "jumpsync/core/errors.h"

namespace jumpsync {
namespace {

uint16_t default_port(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

bool is_paging_key(const std::string& key) {
  static const std::array<const char*, 9> keys = {"startIndex", "count", "limit", "expand",
                                                  "$top", "$select", "after", "cursor",
                                                  "filter"};
  for (const char* k : keys) {
    if (key == k) return true;
  }
  return false;
}

}  // namespace

std::string Origin::str() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::string out = scheme + "://" + h;
  if (port != default_port(scheme)) out += ":" + std::to_string(port);
  return out;
}

bool is_loopback_host(const std::string& host) {
  std::string h = Poco::toLower(host);
  if (h == "localhost" || h == "localhost.") return true;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  Poco::Net::IPAddress address;
  if (!Poco::Net::IPAddress::tryParse(h, address)) return false;
  return address.isLoopback();
}

CheckedUrl check_url(const std::string& url, const std::string& context) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception&) {
    throw usage_error(context + ": '" + redact_url(url) + "' is not a valid URL");
  }
  CheckedUrl out;
  out.origin.scheme = Poco::toLower(uri.getScheme());
  out.origin.host = Poco::toLower(uri.getHost());
  if (out.origin.scheme != "http" && out.origin.scheme != "https") {
    throw usage_error(context + ": the URL must start with https:// (got '" + redact_url(url) + "')");
  }
  if (out.origin.host.empty()) throw usage_error(context + ": the URL has no host");
  if (out.origin.scheme == "http" && !is_loopback_host(out.origin.host)) {
    throw usage_error(context + ": plain http is only allowed to loopback hosts; use https://");
  }
  out.origin.port = uri.getPort() ? uri.getPort() : default_port(out.origin.scheme);
  out.path_and_query = uri.getPathAndQuery();
  if (out.path_and_query.empty()) out.path_and_query = "/";
  return out;
}

std::string redact_url(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception&) {
    return "<unparsable URL>";
  }
  uri.setUserInfo("");
  std::string query;
  for (const auto& [key, value] : uri.getQueryParameters()) {
    std::string shown;
    if (is_paging_key(key)) Poco::URI::encode(value, "&=#+", shown);
    query += (query.empty() ? "" : "&") + key + "=" + (is_paging_key(key) ? shown : "***");
  }
  uri.setRawQuery("");
  uri.setFragment("");
  return uri.toString() + (query.empty() ? "" : "?" + query);
}

std::string url_encode(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

}  // namespace jumpsync
