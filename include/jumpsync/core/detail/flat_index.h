// Internal to the planner: an open-addressing hash index from string keys
// to uint32 values, 8 bytes a slot. The table stores only a 32-bit hash tag
// and the value; the key of a value is recomputed by the caller's key_of
// (an index into a snapshot), so a million-key index costs 12 MB and one
// lookup touches one slot plus, on a tag match, one key. Linear probing,
// capacity 1.5 slots a key. No erase. Not thread-safe for
// writes; concurrent finds are fine.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace jumpsync::detail {

// 64-bit string hash: 8 bytes a step, multiply-xorshift mixing.
inline uint64_t hash_key(std::string_view s) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  uint64_t h = 0x243F6A8885A308D3ull ^ (s.size() * kMul);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    h = (h ^ chunk) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h = (h ^ tail) * kMul;
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 32);
}

class FlatIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Capacity 1.5 slots a key (load <= 2/3), not a power of two: a slot
  // is picked by multiplying the hash (12 MB for a million keys, not 16).
  void reserve(std::size_t keys) {
    std::size_t cap = keys + keys / 2 + 16;
    slots_.assign(cap, Slot{0, kNone});
    cap_ = cap;
  }

  // Frees the table (finds return kNone afterwards).
  void release() {
    std::vector<Slot>().swap(slots_);
    cap_ = 0;
  }

  // Prefetches the home slot for a precomputed hash_key().
  void prefetch_hash(uint64_t h) const {
    if (cap_ != 0) __builtin_prefetch(&slots_[home(h)]);
  }
  // peek() and find() for a precomputed hash_key() of the key.
  uint32_t peek_hash(uint64_t h) const {
    if (cap_ == 0) return kNone;
    auto tag = static_cast<uint32_t>(h >> 32);
    for (std::size_t i = home(h);; i = i + 1 == cap_ ? 0 : i + 1) {
      const Slot& s = slots_[i];
      if (s.value == kNone || s.tag == tag) return s.value;
    }
  }
  template <typename KeyOf>
  uint32_t find_hash(uint64_t h, std::string_view key, KeyOf key_of) const {
    if (cap_ == 0) return kNone;
    auto tag = static_cast<uint32_t>(h >> 32);
    for (std::size_t i = home(h);; i = i + 1 == cap_ ? 0 : i + 1) {
      const Slot& s = slots_[i];
      if (s.value == kNone) return kNone;
      if (s.tag == tag && key_of(s.value) == key) return s.value;
    }
  }

  // Prefetching, for loops over many keys (each lookup is a cache miss on
  // a table of tens of MB): touch the home slot of `key` ahead of use.
  void prefetch(std::string_view key) const { prefetch_hash(hash_key(key)); }

  // A guess for prefetching the value's data: the first value in the probe
  // sequence whose tag matches (not checked against the key), or kNone.
  uint32_t peek(std::string_view key) const { return peek_hash(hash_key(key)); }

  // The value stored for `key`, or kNone.
  template <typename KeyOf>
  uint32_t find(std::string_view key, KeyOf key_of) const {
    return find_hash(hash_key(key), key, key_of);
  }

  // Inserts key -> value unless the key is present; returns the stored
  // value's slot (the old one when present) and whether it was inserted.
  // reserve() must have made room for every key.
  template <typename KeyOf>
  uint32_t& insert(std::string_view key, uint32_t value, KeyOf key_of, bool* inserted) {
    return insert_hash(hash_key(key), key, value, key_of, inserted);
  }
  // insert() for a precomputed hash_key() of the key.
  template <typename KeyOf>
  uint32_t& insert_hash(uint64_t h, std::string_view key, uint32_t value, KeyOf key_of, bool* inserted) {
    auto tag = static_cast<uint32_t>(h >> 32);
    for (std::size_t i = home(h);; i = i + 1 == cap_ ? 0 : i + 1) {
      Slot& s = slots_[i];
      if (s.value == kNone) {
        s = Slot{tag, value};
        *inserted = true;
        return s.value;
      }
      if (s.tag == tag && key_of(s.value) == key) {
        *inserted = false;
        return s.value;
      }
    }
  }

 private:
  struct Slot {
    uint32_t tag;
    uint32_t value;
  };
  // Home slot: the top bits of hash * capacity (the low 32 bits of the
  // hash feed it; the high 32 are the tag).
  std::size_t home(uint64_t h) const {
    return static_cast<std::size_t>((static_cast<uint64_t>(static_cast<uint32_t>(h)) * cap_) >> 32);
  }
  std::vector<Slot> slots_;
  std::size_t cap_ = 0;  // the capacity
};

}  // namespace jumpsync::detail
