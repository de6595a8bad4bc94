// Helpers for tests that talk to a MockIdp: a throwaway TLS CA, a log
// capture, a temp dir, and the mock as a child process (for end-to-end
// tests of the jumpsync binary).
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace jumpsync::testing {

// A fresh directory under $TMPDIR (or /tmp), removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Writes `text` to file(name) and returns its path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

// A CA and a server certificate for 127.0.0.1 / localhost (SAN), made with
// the openssl CLI into `dir`. Throws std::runtime_error when openssl fails.
struct TestCa {
  std::string ca_cert, server_cert, server_key;
};
TestCa make_test_ca(const std::string& dir);

// Installs a logger that records every message (all levels) as the spdlog
// default logger; the previous default comes back on destruction.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::string text() const;

 private:
  std::shared_ptr<std::ostringstream> stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

// The mock_idp program as a child process: starts it with `args` plus
// "--port 0", reads "listening on PORT" from its stdout; stop() (or the
// destructor) terminates it.
class MockIdpProcess {
 public:
  MockIdpProcess(const std::string& program, std::vector<std::string> args);
  ~MockIdpProcess();
  MockIdpProcess(const MockIdpProcess&) = delete;
  MockIdpProcess& operator=(const MockIdpProcess&) = delete;
  uint16_t port() const { return port_; }
  void stop();

 private:
  struct Child;
  std::unique_ptr<Child> child_;
  uint16_t port_ = 0;
};

}  // namespace jumpsync::testing
