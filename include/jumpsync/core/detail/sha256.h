// Incremental SHA-256 (internal; see fingerprint.h for the public use).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jumpsync::detail {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // Finishes the hash; the object must not be used afterwards.
  std::string hex();

 private:
  void compress(const unsigned char* block);
  void compress_blocks(const unsigned char* data, std::size_t blocks);
  uint32_t state_[8];
  unsigned char buffer_[64] = {};
  std::size_t used_ = 0;
  uint64_t length_ = 0;
};

}  // namespace jumpsync::detail
