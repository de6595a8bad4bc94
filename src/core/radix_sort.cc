#include "jumpsync/core/detail/radix_sort.h"

namespace jumpsync::detail {

void sort_words(std::vector<uint64_t>& words) {
  if (words.size() < 2) return;
  std::vector<uint32_t> counts(2 * 65536, 0);
  for (uint64_t w : words) {
    ++counts[(w >> 32) & 0xFFFF];
    ++counts[65536 + (w >> 48)];
  }
  std::vector<uint64_t> buffer;
  for (int p = 0; p < 2; ++p) {
    uint32_t* c = &counts[p * 65536];
    int shift = 32 + 16 * p;
    if (c[(words[0] >> shift) & 0xFFFF] == words.size()) continue;
    if (buffer.empty()) buffer.resize(words.size());
    uint32_t sum = 0;
    for (int d = 0; d < 65536; ++d) {
      uint32_t n = c[d];
      c[d] = sum;
      sum += n;
    }
    for (uint64_t w : words) buffer[c[(w >> shift) & 0xFFFF]++] = w;
    words.swap(buffer);
  }
}

}  // namespace jumpsync::detail
