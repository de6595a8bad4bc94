// Schema migrations compiled in from sql/<backend>/NNNN_name.sql.
#pragma once

#include <string>
#include <vector>

namespace jumpsync {

struct Migration {
  std::string name;  // "0001_init": applied in name order, recorded by name
  std::string sql;   // statements separated by ';' at the end of a line
};

const std::vector<Migration>& embedded_migrations_postgresql();
const std::vector<Migration>& embedded_migrations_sqlite();

// Splits a migration into statements (';' ending a line; '--' comments dropped).
std::vector<std::string> split_sql_statements(const std::string& sql);

}  // namespace jumpsync
