// Fresh databases for tests: a temp SQLite file, or a new database on the
// PostgreSQL server that scripts/test.sh started (JUMPSYNC_TEST_PG_URL).
// PostgreSQL tests never skip: without the server they fail and say how
// to run them.
#pragma once

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "jumpsync/store/store.h"

namespace jumpsync::testing {

inline std::string pg_admin_url() {
  const char* url = std::getenv("JUMPSYNC_TEST_PG_URL");
  if (!url || !*url)
    throw std::runtime_error(
        "JUMPSYNC_TEST_PG_URL is not set: run the tests with scripts/test.sh, which starts PostgreSQL");
  return url;
}

class TestDb {
 public:
  explicit TestDb(const std::string& backend) : backend_(backend) {
    static std::atomic<int> counter{0};
    std::string tag = std::to_string(getpid()) + "_" + std::to_string(counter++);
    if (backend == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / ("jumpsync_test_" + tag);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "jumpsync.db").string();
    } else {
      std::string admin = pg_admin_url();
      name_ = "jumpsync_test_" + tag;
      soci::session s(soci::postgresql, postgres_conninfo(admin));
      s << "CREATE DATABASE " + name_;
      url_ = admin.substr(0, admin.rfind('/') + 1) + name_;
    }
  }
  ~TestDb() {
    try {
      if (backend_ == "sqlite") {
        std::filesystem::remove_all(dir_);
      } else {
        soci::session s(soci::postgresql, postgres_conninfo(pg_admin_url()));
        s << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
      }
    } catch (...) {
    }
  }
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  const std::string& url() const { return url_; }
  const std::string& backend() const { return backend_; }
  std::filesystem::path dir() const { return dir_; }
  // A raw SOCI session, for checks the Store interface does not offer.
  std::unique_ptr<soci::session> raw() const {
    if (backend_ == "sqlite") {
      auto s = std::make_unique<soci::session>(soci::sqlite3, "db=" + url_.substr(7) + " timeout=30");
      *s << "PRAGMA foreign_keys = ON";
      return s;
    }
    return std::make_unique<soci::session>(soci::postgresql, postgres_conninfo(url_));
  }

 private:
  std::string backend_, url_, name_;
  std::filesystem::path dir_;
};

}  // namespace jumpsync::testing
