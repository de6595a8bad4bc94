// Signed, expiring verification links: {public_url}/verify?token=TOKEN.
//
// TOKEN = ACCOUNT_ID "." base64url(EMAIL) "." EXPIRY "." base64url(MAC)
// MAC   = HMAC-SHA256(key, ACCOUNT_ID "." EMAIL "." EXPIRY)
// The key is the mail-signing key derived from the secret key
// (SecretBox::derive_key("mail-link-v1")), never the secret key itself.
// Tokens are credentials: never log them.
#pragma once

#include <cstdint>
#include <string>

namespace jumpsync {

constexpr int64_t kLinkTokenLifetime = 7 * 24 * 3600;
constexpr const char* kMailLinkKeyPurpose = "mail-link-v1";

struct LinkClaims {
  int64_t account_id = 0;
  std::string email;
  int64_t expires_at = 0;
};

std::string make_link_token(const std::string& key, int64_t account_id, const std::string& email,
                            int64_t expires_at);
// True when the signature matches (constant-time compare) and now < expiry;
// fills `claims` then. False for anything malformed, tampered or expired.
bool verify_link_token(const std::string& key, const std::string& token, int64_t now, LinkClaims& claims);

// {public_url without trailing '/'}/verify?token={token}
std::string verification_link(const std::string& public_url, const std::string& token);

}  // namespace jumpsync
