// SQLite backend: vector binds for staging (fast in-process), WAL mode,
// and an flock(2) on a file beside the database per team lock; the kernel
// drops the lock when the process dies.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <soci/sqlite3/soci-sqlite3.h>

#include "jumpsync/core/errors.h"
#include "soci_store.h"

namespace jumpsync {
namespace {

class FileLock : public TeamLock {
 public:
  explicit FileLock(int fd) : fd_(fd) {}
  ~FileLock() override {
    flock(fd_, LOCK_UN);
    close(fd_);
  }

 private:
  int fd_;
};

class SqliteStore : public SociStore {
 public:
  explicit SqliteStore(const std::string& path) : SociStore("sqlite:" + path), path_(path) {
    guarded("opening", [&] {
      sql_.open(soci::sqlite3, "db=" + path + " timeout=60");
      sql_ << "PRAGMA foreign_keys = ON";
      sql_ << "PRAGMA journal_mode = WAL";
      sql_ << "PRAGMA synchronous = NORMAL";
    });
  }
  std::string backend() const override { return "sqlite"; }

  std::unique_ptr<TeamLock> try_lock_team(int64_t team_id) override {
    std::string lock_path = path_ + ".team-" + std::to_string(team_id) + ".lock";
    int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw internal_error("cannot open the lock file " + lock_path);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      close(fd);
      return nullptr;
    }
    return std::make_unique<FileLock>(fd);
  }

 protected:
  const std::vector<Migration>& migrations() const override { return embedded_migrations_sqlite(); }
  // SQLite serialises writers itself; each migration runs in a transaction.
  void lock_migrations() override {}
  void unlock_migrations() override {}

  // The caller's transaction already holds SQLite's write lock, so no other
  // writer can take these ids in between.
  std::vector<int64_t> allocate_account_ids(size_t n) override {
    long long max_id = 0;
    sql_ << "SELECT MAX(m) FROM (SELECT COALESCE(MAX(id), 0) AS m FROM accounts UNION ALL "
            "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'accounts')",
        soci::into(max_id);
    std::vector<int64_t> out(n);
    for (size_t i = 0; i < n; ++i) out[i] = max_id + 1 + static_cast<int64_t>(i);
    return out;
  }

  void append_rows(const std::string& table, const StageColumns& rows) override {
    if (rows.rows() == 0) return;
    std::string columns, params;
    for (const auto& n : rows.names) {
      columns += (columns.empty() ? "" : ", ") + n;
      params += (params.empty() ? ":" : ", :") + n;
    }
    soci::statement st(sql_);
    st.alloc();
    st.prepare("INSERT INTO " + table + " (" + columns + ") VALUES (" + params + ")");
    // SOCI binds vectors by reference: keep copies alive while executing.
    std::vector<std::vector<std::string>> cols(rows.values);
    std::vector<std::vector<soci::indicator>> nulls(cols.size());
    for (size_t c = 0; c < cols.size(); ++c) {
      if (!rows.nullable(c)) {
        st.exchange(soci::use(cols[c]));
        continue;
      }
      for (const auto& v : cols[c]) nulls[c].push_back(v.empty() ? soci::i_null : soci::i_ok);
      st.exchange(soci::use(cols[c], nulls[c]));
    }
    st.define_and_bind();
    st.execute(true);
  }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
  return std::make_unique<SqliteStore>(path);
}

}  // namespace jumpsync
