// The one error type the core and every adapter speak. Adapters catch
// library exceptions (Poco, SOCI, simdjson) at their boundary and rethrow
// as Error with the matching kind; job mains map kinds to exit codes
// (SPEC §7). Messages never contain secrets.
#pragma once

#include <stdexcept>
#include <string>

namespace jumpsync {

enum class ErrorKind {
  internal = 1,  // bug or unexpected environment failure
  usage = 2,     // bad flag, unknown team/user, bad URL, prerequisites missing
  blocked = 3,   // a safety guard stopped the run; nothing applied
  source = 4,    // IdP pull incomplete, auth refused, TLS; nothing applied
  disabled = 5,  // SCIM disabled for the team / credentials revoked
  busy = 7,      // another run holds the team's lock; nothing touched
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }
  int exit_code() const { return static_cast<int>(kind_); }

 private:
  ErrorKind kind_;
};

// Convenience constructors: throw usage_error("unknown team 'x'").
inline Error usage_error(const std::string& m) { return Error(ErrorKind::usage, m); }
inline Error source_error(const std::string& m) { return Error(ErrorKind::source, m); }
inline Error internal_error(const std::string& m) { return Error(ErrorKind::internal, m); }

}  // namespace jumpsync
