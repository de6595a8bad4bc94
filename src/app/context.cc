#include "jumpsync/app/context.h"

#include "jumpsync/core/errors.h"
#include "jumpsync/sources/factory.h"

namespace jumpsync {

Store& AppContext::store_unchecked() {
  if (!store_) store_ = open_store(config_.db_url);
  return *store_;
}

Store& AppContext::store() {
  Store& s = store_unchecked();
  if (!schema_checked_) {
    s.require_schema();
    schema_checked_ = true;
  }
  return s;
}

TeamRecord require_team(Store& store, const std::string& name) {
  auto team = store.find_team(name);
  if (!team)
    throw usage_error("unknown team '" + name + "' (create it with `jumpsync team create " + name + "`)");
  return *team;
}

}  // namespace jumpsync
