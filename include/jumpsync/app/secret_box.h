// Secrets at rest: IdP tokens and client secrets are sealed with
// AES-256-GCM (OpenSSL, authenticated) before they reach the database.
// Sealed form: "v1:" + base64(12-byte nonce | ciphertext | 16-byte tag).
//
// The key comes from JUMPSYNC_SECRET_KEY (64 hex chars) or else from the
// key file (32 random bytes, hex), created with mode 0600 on first seal.
// A wrong key fails authentication: open() throws a clear error, never
// returns garbage.
#pragma once

#include <string>

#include "jumpsync/app/config.h"
#include "jumpsync/core/secret.h"

namespace jumpsync {

class SecretBox {
 public:
  explicit SecretBox(const AppConfig& config) : config_(config) {}
  std::string seal(const Secret& plain);               // creates the key file if needed
  Secret open(const std::string& sealed, const std::string& what);  // what: "team acme's IdP token"
  // A 32-byte key for one purpose (e.g. "mail-link-v1"), HMAC-SHA256(secret
  // key, purpose): other uses never see the secret key itself. create: make
  // the key file if it is missing (senders), else fail like open().
  std::string derive_key(const std::string& purpose, bool create);

 private:
  std::string key(bool create);
  const AppConfig& config_;
};

// SCIM tokens: "jst_" + 43 base64url chars (256 bits); stored only as
// "sha256:<hex>" (high-entropy tokens need no slow hash).
std::string new_scim_token();
std::string hash_scim_token(const std::string& token);
// Reads a secret from a file ("-" = stdin), trimming surrounding whitespace.
Secret read_secret_file(const std::string& path, const std::string& what);

}  // namespace jumpsync
