#include "jumpsync/app/terminal_progress.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace jumpsync {
namespace {

// 1234567 -> "1,234,567"
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string seconds(TerminalProgress::Clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(d).count());
  return buf;
}

// Runs before the stderr sink: takes the progress line off the screen.
class ClearProgressSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit ClearProgressSink(std::weak_ptr<TerminalProgress> progress) : progress_(std::move(progress)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg&) override {
    if (auto p = progress_.lock()) p->clear_for_log();
  }
  void flush_() override {}

 private:
  std::weak_ptr<TerminalProgress> progress_;
};

}  // namespace

TerminalProgress::TerminalProgress(int fd, std::chrono::milliseconds min_interval)
    : fd_(fd), min_interval_(min_interval) {}

TerminalProgress::~TerminalProgress() {
  if (drawn_) write("\n");
}

void TerminalProgress::pull_started(const std::string& team) {
  std::lock_guard lock(mu_);
  if (drawn_) write("\n");
  phase_ = Phase::pull;
  team_ = team;
  pages_ = users_ = 0;
  total_ = -1;
  got_update_ = false;
  started_ = Clock::now();
  draw_locked();
}

void TerminalProgress::pulled(int64_t pages, int64_t users, int64_t total_hint) {
  std::lock_guard lock(mu_);
  if (phase_ != Phase::pull) {  // a source used without pull_started
    phase_ = Phase::pull;
    started_ = Clock::now();
  }
  got_update_ = true;
  pages_ = pages;
  users_ = users;
  if (total_hint >= 0) total_ = total_hint;
  if (!drawn_ || Clock::now() - last_draw_ >= min_interval_) draw_locked();
}

void TerminalProgress::applying(const std::string& team, int64_t changes) {
  std::lock_guard lock(mu_);
  if (drawn_) write("\n");
  phase_ = Phase::apply;
  team_ = team;
  changes_ = changes;
  started_ = Clock::now();
  draw_locked();
}

void TerminalProgress::finished(bool ok) {
  std::lock_guard lock(mu_);
  if (phase_ == Phase::idle) return;
  draw_locked();
  write(ok ? " - done in " + seconds(Clock::now() - started_) + "\n" : " - failed\n");
  drawn_ = false;
  phase_ = Phase::idle;
}

void TerminalProgress::clear_for_log() {
  std::lock_guard lock(mu_);
  if (!drawn_) return;
  write("\r\033[K");
  drawn_ = false;
}

std::string TerminalProgress::line() const {
  std::lock_guard lock(mu_);
  return line_locked();
}

std::string TerminalProgress::line_locked() const {
  std::string who = team_.empty() ? "" : team_ + ": ";
  if (phase_ == Phase::apply)
    return who + "applying " + grouped(changes_) + (changes_ == 1 ? " change..." : " changes...");
  if (phase_ != Phase::pull) return "";
  if (!got_update_) return who + "pulling users...";
  std::string out = who + "pulled " + grouped(users_);
  if (total_ >= 0) out += " of " + grouped(total_);
  out += users_ == 1 && total_ < 0 ? " user" : " users";
  if (total_ > 0) out += " (" + std::to_string(users_ * 100 / total_) + "%)";
  if (pages_ > 0) out += ", " + grouped(pages_) + (pages_ == 1 ? " page" : " pages");
  double secs = std::chrono::duration<double>(Clock::now() - started_).count();
  if (secs >= 0.5) out += ", " + grouped(static_cast<int64_t>(static_cast<double>(users_) / secs)) + " users/s";
  return out;
}

void TerminalProgress::draw_locked() {
  std::string text = line_locked();
  struct winsize ws {};
  // Never wrap: '\r' only returns to the start of the last row. Room is kept
  // for the " - done in 12.3 s" that ends the line.
  if (ioctl(fd_, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 40 && text.size() > ws.ws_col - 20u)
    text.resize(ws.ws_col - 20u);
  write("\r" + text + "\033[K");
  drawn_ = true;
  last_draw_ = Clock::now();
}

void TerminalProgress::write(const std::string& text) const {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // progress is best effort
    p += n;
    left -= static_cast<size_t>(n);
  }
}

std::shared_ptr<ProgressSink> terminal_progress_for(const std::string& log_format) {
  if (log_format != "text" || !::isatty(2)) return nullptr;
  auto progress = std::make_shared<TerminalProgress>(2);
  if (auto logger = spdlog::default_logger()) {
    auto& sinks = logger->sinks();
    sinks.insert(sinks.begin(), std::make_shared<ClearProgressSink>(progress));
  }
  return progress;
}

}  // namespace jumpsync
