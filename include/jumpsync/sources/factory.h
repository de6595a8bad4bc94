// Builds the IdpSource for a team's SourceSettings (SPEC §5, §8).
//
// Providers: "scim", "okta", "entra", "file" (see providers.h for what each
// pulls and how it maps users). Construction does no I/O and never throws
// for a bad URL or a missing credential: pull() throws Error(usage) for
// those, and test_connection() reports them as its "url"/"credentials"
// step. An unknown provider throws Error(usage) here.
//
// Thread safety: one source is used by one thread at a time; a pull may
// use up to SourceOptions::concurrency threads internally.
#pragma once

#include <memory>

#include "jumpsync/core/source.h"
#include "jumpsync/sources/source_common.h"

namespace jumpsync {

std::unique_ptr<IdpSource> make_source(const SourceSettings& settings);
std::unique_ptr<IdpSource> make_source(const SourceSettings& settings, const SourceOptions& options);

}  // namespace jumpsync
