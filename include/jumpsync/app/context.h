// What a job main needs to run: settings, the store (opened on first use),
// the wall clock, and where reports go. Only job mains build one.
#pragma once

#include <ctime>
#include <functional>
#include <iostream>
#include <memory>

#include "jumpsync/app/config.h"
#include "jumpsync/core/source.h"
#include "jumpsync/store/store.h"

namespace jumpsync {

class AppContext {
 public:
  explicit AppContext(AppConfig config) : config_(std::move(config)) {}
  const AppConfig& config() const { return config_; }
  Store& store();  // opens config().db_url on first use and checks the schema
  Store& store_unchecked();  // for `db migrate`
  int64_t now() const { return clock_ ? clock_() : static_cast<int64_t>(std::time(nullptr)); }
  void set_clock(std::function<int64_t()> clock) { clock_ = std::move(clock); }
  // Builds the IdpSource for a team's settings (replaceable in tests).
  std::function<std::unique_ptr<IdpSource>(const SourceSettings&)> make_source;
  ProgressSink* progress = nullptr;

 private:
  AppConfig config_;
  std::unique_ptr<Store> store_;
  bool schema_checked_ = false;
  std::function<int64_t()> clock_;
};

// Finds a team by name or throws Error(usage) "unknown team 'x'".
TeamRecord require_team(Store& store, const std::string& name);

}  // namespace jumpsync
