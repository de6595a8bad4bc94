#include "test_support.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <spdlog/sinks/ostream_sink.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace jumpsync::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/jumpsync-test-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temp dir");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
  std::ofstream out(file(name), std::ios::binary);
  out << text;
  return file(name);
}

TestCa make_test_ca(const std::string& dir) {
  TestCa ca{dir + "/ca.pem", dir + "/server.pem", dir + "/server.key"};
  std::ofstream(dir + "/san.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                  << "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                                  << "extendedKeyUsage=serverAuth\n";
  const std::string quiet = " >/dev/null 2>&1";
  const std::vector<std::string> steps = {
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=jumpsync-test-ca -keyout " + dir + "/ca.key -out " +
          ca.ca_cert,
      "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout " + ca.server_key + " -out " + dir + "/server.csr",
      "openssl x509 -req -in " + dir + "/server.csr -CA " + ca.ca_cert + " -CAkey " + dir +
          "/ca.key -CAcreateserial -days 2 -extfile " + dir + "/san.ext -out " + ca.server_cert,
  };
  for (const auto& step : steps) {
    if (std::system((step + quiet).c_str()) != 0) throw std::runtime_error("openssl failed: " + step);
  }
  return ca;
}

LogCapture::LogCapture() : stream_(std::make_shared<std::ostringstream>()), previous_(spdlog::default_logger()) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream_);
  auto logger = std::make_shared<spdlog::logger>("capture", sink);
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

LogCapture::~LogCapture() { spdlog::set_default_logger(previous_); }

std::string LogCapture::text() const {
  spdlog::default_logger()->flush();
  return stream_->str();
}

struct MockIdpProcess::Child {
  Poco::Pipe out;
  std::unique_ptr<Poco::ProcessHandle> handle;
};

MockIdpProcess::MockIdpProcess(const std::string& program, std::vector<std::string> args)
    : child_(std::make_unique<Child>()) {
  args.push_back("--port");
  args.push_back("0");
  child_->handle = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(program, args, nullptr, &child_->out, nullptr));
  Poco::PipeInputStream in(child_->out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("listening on ", 0) == 0) {
      port_ = static_cast<uint16_t>(std::stoi(line.substr(13)));
      return;
    }
  }
  stop();
  throw std::runtime_error("mock_idp did not start: " + program);
}

MockIdpProcess::~MockIdpProcess() { stop(); }

void MockIdpProcess::stop() {
  if (!child_ || !child_->handle) return;
  Poco::Process::requestTermination(child_->handle->id());
  child_->handle->wait();
  child_->handle.reset();
}

}  // namespace jumpsync::testing
