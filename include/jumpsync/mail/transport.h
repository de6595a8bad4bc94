// Sending one mail message. MailTransport is the seam: SmtpTransport speaks
// SMTP through Poco::Net; tests may put anything behind it.
//
// send() returns only once the server accepted the message (the "250" after
// the end of DATA); anything else throws MailError saying whether a retry
// can help (transient), cannot (permanent, a 5xx reply), or whether the
// server could not be reached at all (unreachable: nothing was tried).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "jumpsync/core/secret.h"

namespace jumpsync {

struct MailMessage {
  std::string from;     // bare address: jumpsync@example.com
  std::string to;       // bare address
  std::string subject;  // ASCII
  std::string body;     // text/plain, UTF-8, '\n' line ends
};

enum class MailFailure { transient, permanent, unreachable };

class MailError : public std::runtime_error {
 public:
  MailError(MailFailure kind, const std::string& message, int reply = 0)
      : std::runtime_error(message), kind_(kind), reply_(reply) {}
  MailFailure kind() const { return kind_; }
  int reply() const { return reply_; }  // SMTP reply code, 0 if none

 private:
  MailFailure kind_;
  int reply_;
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  virtual void send(const MailMessage& message) = 0;
};

// smtp.* settings. Precedence: environment (JUMPSYNC_SMTP_HOST, _PORT,
// _STARTTLS, _USER, _FROM, _PASSWORD) > config file > default.
struct SmtpSettings {
  std::string host = "localhost";
  uint16_t port = 25;
  bool starttls = false;   // STARTTLS required, server certificate verified
  std::string ca_file;     // smtp.ca_file: extra CA bundle for STARTTLS ("" = system CAs)
  std::string user;        // "" = no AUTH
  Secret password;         // JUMPSYNC_SMTP_PASSWORD or smtp.password_file
  std::string from = "jumpsync@localhost";
  int connect_timeout_s = 10;
  int io_timeout_s = 30;
  std::string helo_name;   // "" = this host's name
};

// Reads the settings from AppConfig::raw (config file with the JUMPSYNC_SMTP_*
// environment already applied by load_config); the password alone comes
// from JUMPSYNC_SMTP_PASSWORD or smtp.password_file, never from the map.
// Throws Error(usage) for a bad port/flag or an unreadable password file.
SmtpSettings load_smtp_settings(const std::map<std::string, std::string>& raw);

// "host:port".
std::string smtp_endpoint(const SmtpSettings& s);

// One SMTP session, opened on first send and reused; dropped after any
// failure so the next send starts clean.
std::unique_ptr<MailTransport> make_smtp_transport(const SmtpSettings& settings);

}  // namespace jumpsync
