// Draws a run's progress (pull: users, pages, rate; then the apply) on stderr
// as one updating line, redrawn with '\r' at most every `min_interval` and
// ended with a newline. SPEC §7: only on a terminal, never in a pipe, a file
// or a JSON log - terminal_progress_for() decides.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "jumpsync/core/source.h"

namespace jumpsync {

class TerminalProgress : public ProgressSink {
 public:
  using Clock = std::chrono::steady_clock;
  explicit TerminalProgress(int fd = 2, std::chrono::milliseconds min_interval = std::chrono::milliseconds(100));
  ~TerminalProgress() override;  // ends a line left open

  void pull_started(const std::string& team) override;
  void pulled(int64_t pages, int64_t users, int64_t total_hint) override;
  void applying(const std::string& team, int64_t changes) override;
  void finished(bool ok) override;

  // Wipes the open line before a log line is written; the next update draws
  // it again below the log line.
  void clear_for_log();

  // The line as it would be drawn now.
  std::string line() const;

 private:
  enum class Phase { idle, pull, apply };
  std::string line_locked() const;
  void draw_locked();
  void write(const std::string& text) const;

  mutable std::mutex mu_;
  int fd_;
  std::chrono::milliseconds min_interval_;
  Phase phase_ = Phase::idle;
  std::string team_;
  int64_t pages_ = 0, users_ = 0, total_ = -1, changes_ = 0;
  Clock::time_point started_{}, last_draw_{};
  bool got_update_ = false;
  bool drawn_ = false;  // a line is open on the terminal
};

// When stderr is a terminal and the log format is text: a TerminalProgress
// on stderr, hooked into the default spdlog logger so that log lines never
// land in the middle of the progress line. Otherwise nullptr (pipes, files
// and JSON logs get no progress at all). Keep it alive for the whole run.
std::shared_ptr<ProgressSink> terminal_progress_for(const std::string& log_format);

}  // namespace jumpsync
