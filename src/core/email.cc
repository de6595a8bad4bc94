#include "jumpsync/core/email.h"

#include <idn2.h>

#include <cstdlib>

namespace jumpsync {
namespace {

constexpr std::size_t kMaxLocal = 64;
constexpr std::size_t kMaxTotal = 254;
constexpr std::size_t kMaxLabel = 63;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_control_or_space(unsigned char c) { return c <= 0x20 || c == 0x7f; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

NormalizedEmail reject(std::string why) { return NormalizedEmail{false, "", std::move(why)}; }

// libidn2: strict IDNA2008 first; UTS#46 non-transitional mapping as
// fallback (accepts e.g. upper-case non-ASCII letters). "" when invalid.
std::string idn_to_ascii(const std::string& domain, std::string* error) {
  const int attempts[] = {IDN2_NFC_INPUT, IDN2_NONTRANSITIONAL};
  int rc = IDN2_OK;
  for (int flags : attempts) {
    char* out = nullptr;
    rc = idn2_to_ascii_8z(domain.c_str(), &out, flags);
    if (rc == IDN2_OK) {
      std::string ascii(out);
      idn2_free(out);
      for (char& c : ascii) c = ascii_lower(c);
      return ascii;
    }
  }
  *error = std::string("invalid international domain name (") + idn2_strerror(rc) + ")";
  return "";
}

// Checks an ASCII domain; returns "" when fine, else the reason.
std::string check_ascii_domain(std::string_view domain) {
  if (domain.find('.') == std::string_view::npos) return "domain has no dot";
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    std::string_view label = domain.substr(start, end - start);
    if (label.empty()) return "domain has an empty label";
    if (label.size() > kMaxLabel) return "domain label longer than 63 characters";
    for (char c : label) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return std::string("domain contains invalid character '") + c + "'";
    }
    start = end + 1;
  }
  return "";
}

}  // namespace

NormalizedEmail normalize_email(std::string_view raw) {
  std::string_view s = trim(raw);
  if (s.empty()) return reject("email is missing");
  for (char c : s) {
    if (is_control_or_space(static_cast<unsigned char>(c))) {
      return reject("email contains a space or control character");
    }
  }
  std::size_t at = s.find('@');
  if (at == std::string_view::npos) return reject("email has no '@'");
  if (s.find('@', at + 1) != std::string_view::npos) return reject("email has more than one '@'");
  std::string_view local = s.substr(0, at);
  std::string_view domain_raw = s.substr(at + 1);
  if (local.empty()) return reject("email has an empty local part");
  if (domain_raw.empty()) return reject("email has an empty domain");
  if (local.size() > kMaxLocal) return reject("email local part longer than 64 characters");

  std::string domain(domain_raw);
  for (char& c : domain) c = ascii_lower(c);
  if (!is_ascii(domain)) {
    std::string error;
    domain = idn_to_ascii(domain, &error);
    if (domain.empty()) return reject(error);
  }
  if (std::string why = check_ascii_domain(domain); !why.empty()) return reject("email " + why);

  std::string email;
  email.reserve(local.size() + 1 + domain.size());
  for (char c : local) email.push_back(ascii_lower(c));
  email.push_back('@');
  email += domain;
  if (email.size() > kMaxTotal) return reject("email longer than 254 characters");
  return NormalizedEmail{true, std::move(email), ""};
}

bool is_normalized_email(std::string_view s) {
  // The rules of normalize_email, for input it would return unchanged: no
  // trimming (no space or control byte at all), one '@', a non-empty local
  // part of at most 64 bytes without upper-case ASCII, a non-empty ASCII
  // domain of valid lower-case labels with a dot, at most 254 bytes.
  if (s.empty() || s.size() > kMaxTotal) return false;
  std::size_t at = std::string_view::npos;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (is_control_or_space(c) || (c >= 'A' && c <= 'Z')) return false;
    if (c == '@') {
      if (at != std::string_view::npos) return false;
      at = i;
    }
  }
  if (at == std::string_view::npos || at == 0 || at > kMaxLocal || at + 1 == s.size()) return false;
  std::string_view domain = s.substr(at + 1);
  return is_ascii(domain) && check_ascii_domain(domain).empty();
}

std::string email_domain(const std::string& normalized) {
  std::size_t at = normalized.rfind('@');
  return at == std::string::npos ? std::string() : normalized.substr(at + 1);
}

}  // namespace jumpsync
