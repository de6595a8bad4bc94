// Shared by the docs tests: temporary directories and shell runs with a
// clean jumpsync environment (no JUMPSYNC_* from the caller, HOME in the
// temporary directory so the default secret key file lands there).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

extern char** environ;

namespace jumpsync::docs {

namespace fs = std::filesystem;

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

inline void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// A directory under the system temp dir, removed at the end.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("jumpsync_docs_" + tag + "_" + std::to_string(getpid()) + "_" +
                                         std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct ShellResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs `script` with /bin/sh in `cwd`, stdin from /dev/null. The environment
// is the caller's minus every JUMPSYNC_* variable, plus `env`.
inline ShellResult run_shell(const std::string& script, const fs::path& cwd,
                             const std::map<std::string, std::string>& env) {
  static std::atomic<int> counter{0};
  std::string tag = std::to_string(counter++);
  fs::path out = cwd / (".docs-run-" + tag + ".out"), err = cwd / (".docs-run-" + tag + ".err");
  pid_t pid = fork();
  if (pid == 0) {
    std::map<std::string, std::string> all;
    for (char** e = environ; *e; ++e) {
      std::string kv(*e);
      auto eq = kv.find('=');
      if (eq == std::string::npos || kv.rfind("JUMPSYNC_", 0) == 0) continue;
      all[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : env) all[k] = v;
    clearenv();
    for (const auto& [k, v] : all) setenv(k.c_str(), v.c_str(), 1);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    if (!freopen("/dev/null", "r", stdin) || !freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr))
      _exit(126);
    execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ShellResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out);
  r.err = read_text(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

}  // namespace jumpsync::docs
