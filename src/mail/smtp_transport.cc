#include <Poco/Exception.h>

#include <Poco/String.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>

#include "jumpsync/core/errors.h"
#include "jumpsync/mail/transport.h"

namespace jumpsync {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string trim(const std::string& s) { return Poco::trim(s); }

bool parse_bool(const std::string& v, const std::string& what) {
  std::string s = trim(v);
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off" || s.empty()) return false;
  throw usage_error(what + " must be true or false, got '" + v + "'");
}

// Collapses a server reply to one line without CR/LF, for messages.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\r' || c == '\n') c = ' ';
  s = trim(s);
  if (s.size() > 300) s = s.substr(0, 300) + "...";
  return s;
}

// CRLF line ends, dot-stuffing; ends with CRLF "." (the session adds the
// final CRLF), so the server sees <CRLF>.<CRLF>.
std::string data_section(const std::string& content) {
  std::string out;
  out.reserve(content.size() + 64);
  bool line_start = true;
  for (size_t i = 0; i < content.size(); ++i) {
    char c = content[i];
    if (c == '\r') continue;
    if (line_start && c == '.') out += '.';
    if (c == '\n') {
      out += "\r\n";
      line_start = true;
    } else {
      out += c;
      line_start = false;
    }
  }
  if (!line_start) out += "\r\n";
  out += ".";
  return out;
}

std::string rfc2822_date(std::time_t t) {
  char buf[64];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

std::string message_id(const std::string& from) {
  static std::mt19937_64 rng{std::random_device{}()};
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto at = from.find('@');
  std::string domain = at == std::string::npos ? "localhost" : from.substr(at + 1);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return "<" + std::to_string(std::time(nullptr)) + "." + buf + "@" + domain + ">";
}

std::string render(const MailMessage& m) {
  std::string out;
  out += "From: " + m.from + "\n";
  out += "To: " + m.to + "\n";
  out += "Subject: " + m.subject + "\n";
  out += "Date: " + rfc2822_date(std::time(nullptr)) + "\n";
  out += "Message-ID: " + message_id(m.from) + "\n";
  out += "MIME-Version: 1.0\n";
  out += "Content-Type: text/plain; charset=UTF-8\n";
  out += "Content-Transfer-Encoding: 8bit\n";
  out += "\n";
  out += m.body;
  return out;
}

bool bad_address(const std::string& a) {
  return a.empty() || a.find_first_of("<>\r\n ") != std::string::npos;
}

class SmtpTransport : public MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings s) : s_(std::move(s)) {}
  ~SmtpTransport() override { drop(true); }

  void send(const MailMessage& m) override {
    if (bad_address(m.from) || bad_address(m.to))
      throw MailError(MailFailure::permanent, "invalid sender or recipient address");
    if (!session_) connect();
    try {
      std::string reply;
      int st = session_->sendCommand("MAIL FROM:<" + m.from + ">", reply);
      check(st, reply, "MAIL FROM");
      st = session_->sendCommand("RCPT TO:<" + m.to + ">", reply);
      check(st, reply, "RCPT TO");
      st = session_->sendCommand("DATA", reply);
      if (st / 100 != 3) check(st, reply, "DATA");
      // The whole message then "."; the reply is the server's verdict.
      st = session_->sendCommand(data_section(render(m)), reply);
      check(st, reply, "end of DATA");
    } catch (const MailError&) {
      drop(false);
      throw;
    } catch (const Poco::TimeoutException&) {
      drop(false);
      throw MailError(MailFailure::transient, "SMTP server " + smtp_endpoint(s_) + " timed out during the transaction");
    } catch (const Poco::Exception& e) {
      drop(false);
      throw MailError(MailFailure::transient, "connection to SMTP server " + smtp_endpoint(s_) +
                                                  " failed during the transaction: " + one_line(e.displayText()));
    }
  }

 private:
  void check(int status, const std::string& reply, const std::string& step) {
    if (status / 100 == 2) return;
    if (status <= 0)
      throw MailError(MailFailure::transient,
                      "SMTP server " + smtp_endpoint(s_) + " closed the connection without replying to " + step);
    bool permanent = status / 100 == 5;
    throw MailError(permanent ? MailFailure::permanent : MailFailure::transient,
                    "SMTP server rejected " + step + ": " + one_line(reply), status);
  }

  void drop(bool polite) {
    if (!session_) return;
    try {
      if (polite) session_->close();  // QUIT
    } catch (...) {
    }
    session_.reset();
  }

  void connect() {
    std::string where = smtp_endpoint(s_);
    std::string helo = s_.helo_name;
    if (helo.empty()) {
      try {
        helo = Poco::Net::DNS::hostName();
      } catch (...) {
        helo = "localhost";
      }
    }
    std::unique_ptr<Poco::Net::SMTPClientSession> session;
    try {
      if (s_.starttls) {
        static std::once_flag once;
        std::call_once(once, [] { Poco::Net::initializeSSL(); });
        auto secure = std::make_unique<Poco::Net::SecureSMTPClientSession>(s_.host, s_.port);
        secure->setTimeout(Poco::Timespan(s_.io_timeout_s, 0));
        secure->login(helo);
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, "", "", s_.ca_file, Poco::Net::Context::VERIFY_STRICT, 9,
            /*loadDefaultCAs=*/true, "ALL:!ADH:!LOW:!EXP:!MD5:!aNULL:@STRENGTH");
        ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        if (!secure->startTLS(ctx))
          throw MailError(MailFailure::unreachable, "SMTP server " + where +
                                                        " does not offer STARTTLS (smtp.starttls=true requires it)");
        session = std::move(secure);
      } else {
        Poco::Net::StreamSocket socket;
        socket.connect(Poco::Net::SocketAddress(s_.host, s_.port), Poco::Timespan(s_.connect_timeout_s, 0));
        session = std::make_unique<Poco::Net::SMTPClientSession>(socket);
        session->setTimeout(Poco::Timespan(s_.io_timeout_s, 0));
      }
      if (!s_.user.empty()) {
        session->login(helo, Poco::Net::SMTPClientSession::AUTH_LOGIN, s_.user, s_.password.reveal());
      } else {
        session->login(helo);  // EHLO (again, after STARTTLS)
      }
    } catch (const MailError&) {
      throw;
    } catch (const Poco::Net::SMTPException& e) {
      // Never include e.displayText() blindly: AUTH replies may echo input.
      bool auth = !s_.user.empty() && std::string(e.message()).find("uthentication") != std::string::npos;
      throw MailError(MailFailure::unreachable,
                      auth ? "SMTP server " + where + " refused the login for user " + s_.user +
                                 " (check smtp.user and the password in smtp.password_file or JUMPSYNC_SMTP_PASSWORD)"
                           : "SMTP server " + where + " refused the session: " + one_line(e.message()));
    } catch (const Poco::Exception& e) {
      throw MailError(MailFailure::unreachable, "cannot reach SMTP server " + where + ": " + one_line(e.displayText()));
    }
    session_ = std::move(session);
  }

  SmtpSettings s_;
  std::unique_ptr<Poco::Net::SMTPClientSession> session_;
};

}  // namespace

std::string smtp_endpoint(const SmtpSettings& s) { return s.host + ":" + std::to_string(s.port); }

SmtpSettings load_smtp_settings(const std::map<std::string, std::string>& raw) {
  SmtpSettings s;
  // `raw` already has the JUMPSYNC_SMTP_* environment applied (AppConfig).
  auto pick = [&](const char* key) -> std::optional<std::string> {
    auto it = raw.find(key);
    if (it != raw.end()) return trim(it->second);
    return std::nullopt;
  };
  if (auto v = pick("smtp.host"); v && !v->empty()) s.host = *v;
  if (auto v = pick("smtp.port"); v && !v->empty()) {
    char* end = nullptr;
    long p = std::strtol(v->c_str(), &end, 10);
    if (!end || *end || p < 1 || p > 65535) throw usage_error("smtp.port must be a port number (1-65535), got '" + *v + "'");
    s.port = static_cast<uint16_t>(p);
  }
  if (auto v = pick("smtp.starttls")) s.starttls = parse_bool(*v, "smtp.starttls");
  if (auto v = pick("smtp.ca_file")) s.ca_file = *v;
  if (auto v = pick("smtp.user")) s.user = *v;
  if (auto v = pick("smtp.from"); v && !v->empty()) s.from = *v;
  if (auto v = pick("smtp.helo")) s.helo_name = *v;
  if (!env("JUMPSYNC_SMTP_PASSWORD").empty()) {
    s.password = Secret(env("JUMPSYNC_SMTP_PASSWORD"));
  } else if (auto it = raw.find("smtp.password_file"); it != raw.end() && !trim(it->second).empty()) {
    std::string path = trim(it->second);
    std::ifstream in(path);
    if (!in) throw usage_error("cannot read the SMTP password from " + path + " (smtp.password_file)");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    s.password = Secret(trim(text));
  }
  if (!s.user.empty() && s.password.empty())
    throw usage_error("smtp.user is set but there is no password: set smtp.password_file or JUMPSYNC_SMTP_PASSWORD");
  if (bad_address(s.from) || s.from.find('@') == std::string::npos)
    throw usage_error("smtp.from must be a bare address like jumpsync@example.com, got '" + s.from + "'");
  return s;
}

std::unique_ptr<MailTransport> make_smtp_transport(const SmtpSettings& settings) {
  return std::make_unique<SmtpTransport>(settings);
}

}  // namespace jumpsync
