#include "jumpsync/sources/factory.h"

#include "jumpsync/core/errors.h"
#include "jumpsync/sources/providers.h"

namespace jumpsync {

std::unique_ptr<IdpSource> make_source(const SourceSettings& settings) {
  return make_source(settings, SourceOptions{});
}

std::unique_ptr<IdpSource> make_source(const SourceSettings& settings, const SourceOptions& options) {
  if (settings.provider == "scim") return make_scim_source(settings, options);
  if (settings.provider == "okta") return make_okta_source(settings, options);
  if (settings.provider == "entra") return make_entra_source(settings, options);
  if (settings.provider == "file") return make_file_source(settings, options);
  throw usage_error("unknown source provider '" + settings.provider + "' (use scim, okta, entra or file)");
}

}  // namespace jumpsync
