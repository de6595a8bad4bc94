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

std::string postgres_conninfo(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) throw usage_error("not a postgresql:// URL: " + redact_db_url(url));
  std::string rest = url.substr(scheme + 3), query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string db;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string user, password;
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    user = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (auto colon = user.find(':'); colon != std::string::npos) {
      password = user.substr(colon + 1);
      user = user.substr(0, colon);
    }
  }
  std::string host = rest, port;
  if (auto colon = rest.rfind(':'); colon != std::string::npos && rest.find(']') == std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  auto quote = [](const std::string& v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\\' || c == '\'') out += '\\';
      out += c;
    }
    return out + "'";
  };
  std::string info;
  auto add = [&](const char* key, const std::string& v) {
    if (!v.empty()) info += std::string(info.empty() ? "" : " ") + key + "=" + quote(v);
  };
  add("host", host);
  add("port", port);
  add("dbname", db);
  add("user", user);
  add("password", password);
  size_t pos = 0;
  while (pos < query.size()) {
    size_t amp = query.find('&', pos);
    std::string kv = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (auto eq = kv.find('='); eq != std::string::npos) add(kv.substr(0, eq).c_str(), kv.substr(eq + 1));
    pos = amp == std::string::npos ? query.size() : amp + 1;
  }
  return info;
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
