// PostgreSQL backend: COPY FROM STDIN for staging (one round trip per
// batch, not per row) and session advisory locks for team exclusivity;
// both die with the connection, so a killed process never leaves a lock.
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>

#include <algorithm>

#include "jumpsync/core/errors.h"
#include "soci_store.h"

namespace jumpsync {
namespace {

constexpr int kLockSpace = 0x4A53;  // "JS": advisory-lock namespace of jumpsync
constexpr int kMigrationLock = 0;   // team ids start at 1

void append_copy_field(std::string& out, const std::string& v) {
  for (char ch : v) {
    switch (ch) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += ch;
    }
  }
}

class PgTeamLock : public TeamLock {
 public:
  PgTeamLock(soci::session& sql, long long team) : sql_(sql), team_(team) {}
  ~PgTeamLock() override {
    try {
      int released = 0;
      sql_ << "SELECT CASE WHEN pg_advisory_unlock(:s, CAST(:t AS INTEGER)) THEN 1 ELSE 0 END",
          soci::use(kLockSpace), soci::use(team_), soci::into(released);
    } catch (...) {
      // The connection is gone: PostgreSQL released the lock with it.
    }
  }

 private:
  soci::session& sql_;
  long long team_;
};

class PostgresStore : public SociStore {
 public:
  explicit PostgresStore(const std::string& url) : SociStore(redact_db_url(url)) {
    guarded("connecting", [&] { sql_.open(soci::postgresql, postgres_conninfo(url)); });
    sql_ << "SET client_min_messages TO WARNING";
    // If this process dies mid-statement, the server notices within a
    // second, rolls back and frees the team lock (instead of finishing the
    // statement for nobody while the next run is refused as busy).
    sql_ << "SET client_connection_check_interval = 1000";
  }
  std::string backend() const override { return "postgresql"; }

  std::unique_ptr<TeamLock> try_lock_team(int64_t team_id) override {
    return guarded("locking the team", [&]() -> std::unique_ptr<TeamLock> {
      long long team = team_id;
      int got = 0;
      sql_ << "SELECT CASE WHEN pg_try_advisory_lock(:s, CAST(:t AS INTEGER)) THEN 1 ELSE 0 END",
          soci::use(kLockSpace), soci::use(team), soci::into(got);
      if (!got) return nullptr;
      return std::make_unique<PgTeamLock>(sql_, team);
    });
  }

 protected:
  const std::vector<Migration>& migrations() const override { return embedded_migrations_postgresql(); }
  void lock_migrations() override {
    sql_ << "SELECT pg_advisory_lock(:s, :t)", soci::use(kLockSpace), soci::use(kMigrationLock);
  }
  void unlock_migrations() override {
    int ok = 0;
    sql_ << "SELECT CASE WHEN pg_advisory_unlock(:s, :t) THEN 1 ELSE 0 END", soci::use(kLockSpace),
        soci::use(kMigrationLock), soci::into(ok);
  }

  std::vector<int64_t> allocate_account_ids(size_t n) override {
    std::vector<int64_t> out;
    if (n == 0) return out;
    std::vector<long long> ids(std::min<size_t>(n, 65536));
    long long count = static_cast<long long>(n);
    soci::statement st = (sql_.prepare << "SELECT nextval('accounts_id_seq') FROM generate_series(1, :n)",
                          soci::use(count), soci::into(ids));
    st.execute();
    while (st.fetch()) {
      out.insert(out.end(), ids.begin(), ids.end());
      ids.resize(std::min<size_t>(n, 65536));
    }
    return out;
  }

  void append_rows(const std::string& table, const StageColumns& rows) override {
    if (rows.rows() == 0) return;
    PGconn* conn = static_cast<soci::postgresql_session_backend*>(sql_.get_backend())->conn_;
    std::string columns;
    for (const auto& n : rows.names) columns += (columns.empty() ? "" : ", ") + n;
    std::string copy = "COPY " + table + " (" + columns + ") FROM STDIN";
    PGresult* res = PQexec(conn, copy.c_str());
    bool started = PQresultStatus(res) == PGRES_COPY_IN;
    PQclear(res);
    if (!started) throw internal_error("COPY into " + table + " failed: " + PQerrorMessage(conn));
    std::string buf;
    const size_t n = rows.rows();
    std::vector<bool> nullable(rows.values.size());
    for (size_t c = 0; c < nullable.size(); ++c) nullable[c] = rows.nullable(c);
    for (size_t r = 0; r < n; ++r) {
      for (size_t c = 0; c < rows.values.size(); ++c) {
        if (c) buf += '\t';
        if (nullable[c] && rows.values[c][r].empty()) {
          buf += "\\N";
        } else {
          append_copy_field(buf, rows.values[c][r]);
        }
      }
      buf += '\n';
      if (buf.size() > (1 << 20) || r + 1 == n) {
        if (PQputCopyData(conn, buf.data(), static_cast<int>(buf.size())) != 1)
          throw internal_error(std::string("COPY data failed: ") + PQerrorMessage(conn));
        buf.clear();
      }
    }
    if (PQputCopyEnd(conn, nullptr) != 1) throw internal_error(std::string("COPY end failed: ") + PQerrorMessage(conn));
    while ((res = PQgetResult(conn)) != nullptr) {
      bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
      std::string err = ok ? "" : PQresultErrorMessage(res);
      PQclear(res);
      if (!ok) throw internal_error("COPY into " + table + " failed: " + err);
    }
  }
};

}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& url) {
  return std::make_unique<PostgresStore>(url);
}

}  // namespace jumpsync
