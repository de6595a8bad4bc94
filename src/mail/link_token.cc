#include "jumpsync/mail/link_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>

#include <charconv>
#include <sstream>
#include <vector>

namespace jumpsync {
namespace {

// base64url without padding (RFC 4648 §5), through Poco.
std::string b64url(const std::string& in) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  enc.rdbuf()->setLineLength(0);
  enc << in;
  enc.close();
  return out.str();
}

bool unb64url(const std::string& in, std::string& out) {
  if (in.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos)
    return false;
  try {
    std::istringstream src(in);
    Poco::Base64Decoder dec(src, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    out.assign(std::istreambuf_iterator<char>(dec), {});
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
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
