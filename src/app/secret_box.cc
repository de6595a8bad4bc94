#include "jumpsync/app/secret_box.h"

#include <Poco/String.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "jumpsync/core/errors.h"
#include "jumpsync/core/fingerprint.h"

namespace jumpsync {
namespace {

constexpr size_t kKeyBytes = 32, kNonceBytes = 12, kTagBytes = 16;

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw internal_error("the system random generator failed");
  return out;
}

std::string to_hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string from_hex(const std::string& hex, const std::string& where) {
  auto nibble = [&](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw usage_error(where + " must be 64 hexadecimal characters (32 bytes)");
  };
  if (hex.size() != 2 * kKeyBytes) throw usage_error(where + " must be 64 hexadecimal characters (32 bytes)");
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) out += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
  return out;
}

std::string trim(const std::string& s) { return Poco::trim(s); }

std::string b64(const std::string& bytes, bool url) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out, url ? (Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING) : 0);
  enc.rdbuf()->setLineLength(0);
  enc << bytes;
  enc.close();
  return out.str();
}

std::string unb64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder dec(in);
  return std::string(std::istreambuf_iterator<char>(dec), {});
}

struct CipherCtx {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
};

}  // namespace

std::string SecretBox::key(bool create) {
  if (!config_.secret_key_hex.empty()) return from_hex(trim(config_.secret_key_hex.reveal()), "JUMPSYNC_SECRET_KEY");
  const std::string& path = config_.secret_key_file;
  if (!std::filesystem::exists(path)) {
    if (!create)
      throw usage_error("the secret key file " + path +
                        " is missing: set JUMPSYNC_SECRET_KEY or secret_key_file to the key the secrets were "
                        "stored with, or set the team's source again with `jumpsync team set-source`");
    std::filesystem::create_directories(std::filesystem::path(path).parent_path().empty()
                                            ? "."
                                            : std::filesystem::path(path).parent_path());
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) throw usage_error("cannot create the secret key file " + path);
    std::string hex = to_hex(random_bytes(kKeyBytes)) + "\n";
    bool ok = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size());
    ::close(fd);
    if (!ok) throw usage_error("cannot write the secret key file " + path);
  }
  std::ifstream in(path);
  std::string hex((std::istreambuf_iterator<char>(in)), {});
  return from_hex(trim(hex), "the secret key file " + path);
}

std::string SecretBox::seal(const Secret& plain) {
  std::string k = key(true), nonce = random_bytes(kNonceBytes);
  const std::string& p = plain.reveal();
  std::string cipher(p.size(), '\0'), tag(kTagBytes, '\0');
  CipherCtx c;
  int len = 0, fin = 0;
  auto* kp = reinterpret_cast<const unsigned char*>(k.data());
  auto* np = reinterpret_cast<const unsigned char*>(nonce.data());
  if (EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, kp, np) != 1 ||
      EVP_EncryptUpdate(c.ctx, reinterpret_cast<unsigned char*>(cipher.data()), &len,
                        reinterpret_cast<const unsigned char*>(p.data()), static_cast<int>(p.size())) != 1 ||
      EVP_EncryptFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(cipher.data()) + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) != 1)
    throw internal_error("encrypting a secret failed");
  return "v1:" + b64(nonce + cipher + tag, false);
}

Secret SecretBox::open(const std::string& sealed, const std::string& what) {
  if (sealed.rfind("v1:", 0) != 0) throw usage_error(what + " is not in a format this jumpsync can read");
  std::string raw = unb64(sealed.substr(3));
  if (raw.size() < kNonceBytes + kTagBytes) throw usage_error(what + " is damaged in the database");
  std::string k = key(false);
  std::string nonce = raw.substr(0, kNonceBytes), tag = raw.substr(raw.size() - kTagBytes);
  std::string cipher = raw.substr(kNonceBytes, raw.size() - kNonceBytes - kTagBytes);
  std::string plain(cipher.size(), '\0');
  CipherCtx c;
  int len = 0, fin = 0;
  bool ok = EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char*>(k.data()),
                               reinterpret_cast<const unsigned char*>(nonce.data())) == 1 &&
            EVP_DecryptUpdate(c.ctx, reinterpret_cast<unsigned char*>(plain.data()), &len,
                              reinterpret_cast<const unsigned char*>(cipher.data()),
                              static_cast<int>(cipher.size())) == 1 &&
            EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(plain.data()) + len, &fin) == 1;
  if (!ok)
    throw usage_error("cannot decrypt " + what +
                      ": the secret key (JUMPSYNC_SECRET_KEY or the key file) is not the one it was stored with");
  return Secret(plain);
}

std::string SecretBox::derive_key(const std::string& purpose, bool create) {
  std::string k = key(create);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), k.data(), static_cast<int>(k.size()), reinterpret_cast<const unsigned char*>(purpose.data()),
            purpose.size(), md, &len))
    throw internal_error("deriving a key failed");
  return std::string(reinterpret_cast<char*>(md), len);
}

std::string new_scim_token() { return "jst_" + b64(random_bytes(32), true); }

std::string hash_scim_token(const std::string& token) { return "sha256:" + sha256_hex(token); }

Secret read_secret_file(const std::string& path, const std::string& what) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(path);
    if (!in) throw usage_error("cannot read " + what + " from " + path + " (file missing or unreadable)");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  text = trim(text);
  if (text.empty()) throw usage_error(what + " in " + path + " is empty");
  return Secret(text);
}

}  // namespace jumpsync
