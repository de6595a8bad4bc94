#include "jumpsync/mail/link_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <vector>

namespace jumpsync {
namespace {

const char* kB64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string b64url(const std::string& in) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += kB64Url[(v >> 18) & 63];
    out += kB64Url[(v >> 12) & 63];
    out += kB64Url[(v >> 6) & 63];
    out += kB64Url[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kB64Url[(v >> 18) & 63];
    out += kB64Url[(v >> 12) & 63];
  } else if (i + 2 == in.size()) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kB64Url[(v >> 18) & 63];
    out += kB64Url[(v >> 12) & 63];
    out += kB64Url[(v >> 6) & 63];
  }
  return out;
}

bool unb64url(const std::string& in, std::string& out) {
  out.clear();
  if (in.size() % 4 == 1) return false;
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-') v = 62;
    else if (c == '_') v = 63;
    else return false;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return true;
}

std::string mac(const std::string& key, const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

bool parse_i64(const std::string& s, int64_t& v) {
  if (s.empty() || s.size() > 19) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::vector<std::string> split_dots(const std::string& s) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = s.find('.', start);
    parts.push_back(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::string signed_text(int64_t account_id, const std::string& email, int64_t expires_at) {
  return std::to_string(account_id) + "." + email + "." + std::to_string(expires_at);
}

}  // namespace

std::string make_link_token(const std::string& key, int64_t account_id, const std::string& email, int64_t expires_at) {
  return std::to_string(account_id) + "." + b64url(email) + "." + std::to_string(expires_at) + "." +
         b64url(mac(key, signed_text(account_id, email, expires_at)));
}

bool verify_link_token(const std::string& key, const std::string& token, int64_t now, LinkClaims& claims) {
  if (token.size() > 2048) return false;
  auto parts = split_dots(token);
  if (parts.size() != 4) return false;
  LinkClaims c;
  std::string sig;
  if (!parse_i64(parts[0], c.account_id) || !unb64url(parts[1], c.email) || c.email.empty() ||
      !parse_i64(parts[2], c.expires_at) || !unb64url(parts[3], sig))
    return false;
  // One spelling per token: base64url has spare low bits in its last
  // character, so a non-canonical encoding would be a second valid token.
  if (b64url(c.email) != parts[1] || b64url(sig) != parts[3]) return false;
  std::string expected = mac(key, signed_text(c.account_id, c.email, c.expires_at));
  if (sig.size() != expected.size() || CRYPTO_memcmp(sig.data(), expected.data(), sig.size()) != 0) return false;
  if (now >= c.expires_at) return false;
  claims = c;
  return true;
}

std::string verification_link(const std::string& public_url, const std::string& token) {
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/verify?token=" + token;
}

}  // namespace jumpsync
