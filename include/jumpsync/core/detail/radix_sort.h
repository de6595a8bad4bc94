// Internal: the radix sort the planner's join and the fingerprint share.
#pragma once

#include <cstdint>
#include <vector>

namespace jumpsync::detail {

// Sorts 64-bit words by their upper 32 bits, LSD radix, 16 bits a pass
// (stable: equal upper halves keep their order), skipping passes where every
// word has the same digit.
void sort_words(std::vector<uint64_t>& words);

}  // namespace jumpsync::detail
