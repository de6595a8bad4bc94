// A plan with several action kinds and hostile IdP strings, shared by the
// HTML unit and browser tests.
#pragma once

#include "jumpsync/core/model.h"

namespace jumpsync::html_testing {

// Team "acme", blocked, 2 deactivations, 1 conflict, 2 creates, 1 update,
// 1 adopt-pending (verification email), 3 noops, 1 unmanaged member.
// Names and reasons carry <script> and <img onerror> payloads that, if they
// ran, would set data-pwned on <body> and change document.title.
Plan hostile_plan();

}  // namespace jumpsync::html_testing
