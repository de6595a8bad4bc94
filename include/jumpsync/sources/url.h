// URL rules shared by every HTTP source: which URLs may be used at all,
// what an "origin" is (the only host a source's credentials may reach), and
// how URLs are written into messages without their secrets.
#pragma once

#include <cstdint>
#include <string>

namespace jumpsync {

// scheme + host + port: requests, next links and the Authorization header
// never leave the origin a client was made for.
struct Origin {
  std::string scheme;  // "http" | "https" (lower case)
  std::string host;    // lower case; IPv6 without brackets
  uint16_t port = 0;   // explicit or the scheme's default
  bool operator==(const Origin&) const = default;
  std::string str() const;  // "https://idp.example" (":port" only when not default)
};

struct CheckedUrl {
  Origin origin;
  std::string path_and_query;  // "/scim/v2/Users?count=1" ("/" at least)
};

// true for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(const std::string& host);

// Parses an absolute URL that a source may use. Throws
// Error(ErrorKind::usage, "<context>: ...") when it is not http(s), has no
// host, or is plain http to a non-loopback host ("plain http is only allowed
// to loopback hosts; use https://").
CheckedUrl check_url(const std::string& url, const std::string& context);

// The URL fit for a log line or message: user-info removed, and the value
// of every query parameter replaced by "***" except well-known paging ones
// (startIndex, count, limit, expand, $top, $select, after, cursor).
std::string redact_url(const std::string& url);

// Percent-encodes one query or path component (RFC 3986 unreserved kept).
std::string url_encode(const std::string& text);

}  // namespace jumpsync
