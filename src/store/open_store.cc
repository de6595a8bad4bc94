#include <cstdlib>

#include "jumpsync/core/errors.h"
#include "soci_store.h"

namespace jumpsync {

void throw_db_error(const std::string& what, const std::string& db, const std::string& detail) {
  // Driver messages can quote the connection string; keep only the first line
  // and redact anything that looks like a password.
  std::string first = detail.substr(0, detail.find('\n'));
  throw Error(ErrorKind::internal, "database error while " + what + " (" + db + "): " + redact_db_url(first));
}

std::string redact_db_url(const std::string& url) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::unique_ptr<Store> open_store(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.empty()) throw usage_error("--db sqlite: needs a file path, e.g. sqlite:jumpsync.db");
    return open_sqlite_store(path);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return open_postgres_store(url);
  }
  throw usage_error("unsupported database URL '" + redact_db_url(url) +
                    "': use sqlite:PATH or postgresql://USER@HOST:PORT/DB");
}

}  // namespace jumpsync
