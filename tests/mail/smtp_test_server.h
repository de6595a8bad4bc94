// A small SMTP server for tests: listens on 127.0.0.1 on a free port, one
// thread per connection, speaks enough real SMTP for a client (220
// greeting, EHLO/HELO, AUTH LOGIN, MAIL FROM, RCPT TO, DATA with
// dot-termination and dot-unstuffing, RSET, NOOP, QUIT) and records every
// message it accepted. Fault switches make it misbehave on purpose.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jumpsync::testing {

enum class SmtpFault {
  none,
  drop_mid_data,  // close the connection after a few DATA lines, no reply
  data_451,       // "451" to the DATA command
  rcpt_550,       // "550" to RCPT TO
};

struct ReceivedMail {
  std::string from;
  std::vector<std::string> rcpt;
  std::string data;  // the message as received, CRLF -> LF, unstuffed
  std::string auth_user, auth_password;

  std::string header(const std::string& name) const;  // "" if missing
  std::string body() const;
};

class SmtpTestServer {
 public:
  SmtpTestServer();
  ~SmtpTestServer();
  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  uint16_t port() const { return port_; }
  void set_fault(SmtpFault f) { fault_ = f; }
  std::vector<ReceivedMail> received() const;
  int connections() const { return connections_; }

 private:
  void accept_loop();
  void serve(int fd);

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<SmtpFault> fault_{SmtpFault::none};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<ReceivedMail> received_;
};

// A port on 127.0.0.1 that nothing listens on (bound then closed).
uint16_t closed_port();

}  // namespace jumpsync::testing
