#include "smtp_test_server.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>

#include <sstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <stdexcept>

namespace jumpsync::testing {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string unb64(const std::string& in) {
  std::istringstream src(in);
  Poco::Base64Decoder dec(src);
  try {
    return std::string(std::istreambuf_iterator<char>(dec), {});
  } catch (const Poco::Exception&) {
    return "";
  }
}

struct Conn {
  int fd;
  const std::atomic<bool>& stop;
  std::string buf;

  bool send(const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  // One line without CRLF; false on EOF, error or server stop.
  bool line(std::string& out) {
    for (;;) {
      auto nl = buf.find("\r\n");
      if (nl != std::string::npos) {
        out = buf.substr(0, nl);
        buf.erase(0, nl + 2);
        return true;
      }
      pollfd p{fd, POLLIN, 0};
      int r = ::poll(&p, 1, 200);
      if (stop) return false;
      if (r == 0) continue;
      if (r < 0) return false;
      char tmp[4096];
      ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buf.append(tmp, static_cast<size_t>(n));
    }
  }
};

}  // namespace

std::string ReceivedMail::header(const std::string& name) const {
  std::string want = upper(name) + ":";
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    std::string l = data.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (l.empty()) break;
    if (upper(l.substr(0, want.size())) == want) {
      std::string v = l.substr(want.size());
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      return v;
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return "";
}

std::string ReceivedMail::body() const {
  auto p = data.find("\n\n");
  return p == std::string::npos ? "" : data.substr(p + 2);
}

SmtpTestServer::SmtpTestServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0)
    throw std::runtime_error("test SMTP server: cannot listen on 127.0.0.1");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

SmtpTestServer::~SmtpTestServer() {
  stop_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
}

std::vector<ReceivedMail> SmtpTestServer::received() const {
  std::lock_guard<std::mutex> lock(mu_);
  return received_;
}

void SmtpTestServer::accept_loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    int r = ::poll(&p, 1, 200);
    if (stop_) break;
    if (r <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void SmtpTestServer::serve(int fd) {
  Conn c{fd, stop_, {}};
  ReceivedMail cur;
  std::string auth_user, auth_password;
  c.send("220 test.smtp.local ESMTP ready\r\n");
  std::string l;
  while (c.line(l)) {
    std::string cmd = upper(l.substr(0, l.find(' ')));
    std::string u = upper(l);
    if (cmd == "EHLO") {
      c.send("250-test.smtp.local\r\n250-AUTH LOGIN\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n");
    } else if (cmd == "HELO") {
      c.send("250 test.smtp.local\r\n");
    } else if (u.rfind("AUTH LOGIN", 0) == 0) {
      std::string a, b;
      c.send("334 VXNlcm5hbWU6\r\n");
      if (!c.line(a)) break;
      c.send("334 UGFzc3dvcmQ6\r\n");
      if (!c.line(b)) break;
      auth_user = unb64(a);
      auth_password = unb64(b);
      c.send("235 2.7.0 Authentication successful\r\n");
    } else if (u.rfind("MAIL FROM:", 0) == 0) {
      cur = ReceivedMail{};
      cur.from = l.substr(10);
      c.send("250 2.1.0 Ok\r\n");
    } else if (u.rfind("RCPT TO:", 0) == 0) {
      if (fault_ == SmtpFault::rcpt_550) {
        c.send("550 5.1.1 <mailbox> unavailable: no such user\r\n");
      } else {
        std::string r = l.substr(8);
        if (!r.empty() && r.front() == '<') r = r.substr(1, r.find('>') - 1);
        cur.rcpt.push_back(r);
        c.send("250 2.1.5 Ok\r\n");
      }
    } else if (cmd == "DATA") {
      if (fault_ == SmtpFault::data_451) {
        c.send("451 4.3.0 Temporary local problem, try later\r\n");
        continue;
      }
      if (cur.rcpt.empty()) {
        c.send("503 5.5.1 No valid recipients\r\n");
        continue;
      }
      c.send("354 End data with <CR><LF>.<CR><LF>\r\n");
      std::string data, dl;
      int lines = 0;
      bool complete = false, dropped = false;
      while (c.line(dl)) {
        if (dl == ".") {
          complete = true;
          break;
        }
        if (!dl.empty() && dl[0] == '.') dl.erase(0, 1);
        data += dl + "\n";
        if (++lines == 3 && fault_ == SmtpFault::drop_mid_data) {
          dropped = true;
          break;
        }
      }
      if (!complete || dropped) break;
      cur.data = data;
      cur.auth_user = auth_user;
      cur.auth_password = auth_password;
      {
        std::lock_guard<std::mutex> lock(mu_);
        received_.push_back(cur);
      }
      cur = ReceivedMail{};
      c.send("250 2.0.0 Ok: queued\r\n");
    } else if (cmd == "RSET") {
      cur = ReceivedMail{};
      c.send("250 2.0.0 Ok\r\n");
    } else if (cmd == "NOOP") {
      c.send("250 2.0.0 Ok\r\n");
    } else if (cmd == "QUIT") {
      c.send("221 2.0.0 Bye\r\n");
      break;
    } else {
      c.send("502 5.5.2 Command not recognized\r\n");
    }
  }
  ::close(fd);
}

uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace jumpsync::testing
