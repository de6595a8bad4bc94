#include "jumpsync/sources/redact.h"

namespace jumpsync {

void Redactor::add(const std::string& secret) {
  if (secret.size() < 4) return;
  std::lock_guard lock(mutex_);
  secrets_.push_back(secret);
}

std::string Redactor::scrub(std::string text) const {
  std::lock_guard lock(mutex_);
  for (const auto& secret : secrets_) {
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
      text.replace(pos, secret.size(), "***");
    }
  }
  return text;
}

}  // namespace jumpsync
