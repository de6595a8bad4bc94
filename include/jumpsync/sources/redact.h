// Keeps secrets out of text that may reach a log or a message: every known
// secret (token, client secret, access token) is replaced by "***". Used on
// anything the IdP sent back (error bodies may echo a token) and on library
// exception texts, as a second line of defence behind never formatting a
// secret in the first place.
//
// Thread safety: add() and scrub() may be called concurrently.
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace jumpsync {

class Redactor {
 public:
  // Ignores empty and very short (< 4 chars) values, which would mangle text.
  void add(const std::string& secret);
  std::string scrub(std::string text) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
};

}  // namespace jumpsync
