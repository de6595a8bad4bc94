#include "migrations.h"

#include <sstream>

#include "jumpsync/core/errors.h"
#include "soci_store.h"

namespace jumpsync {

std::vector<std::string> split_sql_statements(const std::string& sql) {
  std::vector<std::string> out;
  std::string current;
  std::istringstream in(sql);
  std::string line;
  while (std::getline(in, line)) {
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line.compare(first, 2, "--") == 0) continue;
    current += line;
    current += '\n';
    auto last = line.find_last_not_of(" \t\r");
    if (last != std::string::npos && line[last] == ';') {
      current.erase(current.find_last_of(';'));
      out.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
  return out;
}

std::vector<std::string> SociStore::migrate() {
  return guarded("migrating the schema", [&] {
    sql_ << "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)";
    lock_migrations();
    std::vector<std::string> applied;
    try {
      for (const auto& m : migrations()) {
        soci::transaction tx(sql_);
        int done = 0;
        sql_ << "SELECT COUNT(*) FROM schema_migrations WHERE name = :n", soci::use(m.name),
            soci::into(done);
        if (done) continue;  // recorded: the transaction rolls back a no-op
        for (const auto& stmt : split_sql_statements(m.sql)) sql_ << stmt;
        long long now = static_cast<long long>(time(nullptr));
        sql_ << "INSERT INTO schema_migrations (name, applied_at) VALUES (:n, :t)",
            soci::use(m.name), soci::use(now);
        tx.commit();
        applied.push_back(m.name);
      }
    } catch (...) {
      unlock_migrations();
      throw;
    }
    unlock_migrations();
    return applied;
  });
}

void SociStore::require_schema() {
  int known = 0;
  try {
    sql_ << "SELECT COUNT(*) FROM schema_migrations", soci::into(known);
  } catch (const std::exception&) {
    known = 0;
  }
  if (known < static_cast<int>(migrations().size())) {
    throw usage_error("the database " + description_ +
                      " is not initialised or is older than this jumpsync; run `jumpsync db migrate` first");
  }
}

}  // namespace jumpsync
