// Runs the real jumpsync binary as a child process, the way an operator or
// cron would, and captures its exit code, stdout and stderr.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace jumpsync::testing {

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

inline std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

class Cli {
 public:
  Cli(std::string db_url, std::filesystem::path work_dir) : db_url_(std::move(db_url)), dir_(std::move(work_dir)) {
    std::filesystem::create_directories(dir_);
    env_["JUMPSYNC_DB"] = db_url_;
    env_["JUMPSYNC_SECRET_KEY"] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    env_["JUMPSYNC_SECRET_KEY_FILE"] = (dir_ / "unused.key").string();
  }
  void set_env(const std::string& k, const std::string& v) { env_[k] = v; }

  // Starts jumpsync with args; returns the pid (outputs go to files).
  pid_t start(const std::vector<std::string>& args, const std::string& tag) {
    std::vector<std::string> argv_s{JUMPSYNC_BIN_PATH};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s;
    for (char** e = environ; *e; ++e) {
      std::string kv(*e);
      if (kv.rfind("JUMPSYNC_", 0) != 0) env_s.push_back(kv);
    }
    for (const auto& [k, v] : env_) env_s.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    std::string out = (dir_ / (tag + ".out")).string(), err = (dir_ / (tag + ".err")).string();
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    return pid;
  }

  CliResult wait(pid_t pid, const std::string& tag) {
    int status = 0;
    waitpid(pid, &status, 0);
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_all((dir_ / (tag + ".out")).string());
    r.err = read_all((dir_ / (tag + ".err")).string());
    return r;
  }

  CliResult run(const std::vector<std::string>& args) {
    std::string tag = "run" + std::to_string(counter_++);
    return wait(start(args, tag), tag);
  }

  // Runs and requires exit 0, with the output in the failure message.
  CliResult ok(const std::vector<std::string>& args);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::string db_url_;
  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
  int counter_ = 0;
};

}  // namespace jumpsync::testing
