// spdlog on stderr: "text" (human) or "json" (one object per line, fields
// time, level, msg). Secrets never reach here: callers log no Secret.
#pragma once

#include <string>

namespace jumpsync {
void setup_logging(const std::string& format);
}
