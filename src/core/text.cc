#include "jumpsync/core/text.h"

#include <ostream>

namespace jumpsync {

std::ostream& operator<<(std::ostream& os, const Text& t) { return os << t.view(); }

}  // namespace jumpsync
