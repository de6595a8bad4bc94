// Text: the 8-byte string type of a Plan's Action fields (email, names,
// reason...). A million-action plan held five std::strings per action (160
// bytes, plus a heap block for every string over 15 bytes); a Text is one
// word:
//   - up to 7 bytes are stored inline (no allocation);
//   - longer text lives in a block {uint32 size; bytes; NUL}, either owned
//     by this Text (allocated on assignment from a std::string, a literal,
//     a string_view) or borrowed from a Plan's arena (the planner writes
//     its strings there, several actions sharing one constant reason).
// Reads look like a const std::string: implicit conversion to
// std::string_view and to std::string, ==, <=>, +, <<, size, empty, data,
// find. Copies are deep (a copy never borrows), so a copied Action outlives
// the Plan it came from; moves keep borrowing, so an Action *moved* out of
// a Plan must not outlive that Plan.
#pragma once

#include <bit>
#include <compare>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

namespace jumpsync {

class Text {
 public:
  Text() = default;
  Text(std::string_view s) { assign_owned(s); }
  Text(const std::string& s) : Text(std::string_view(s)) {}
  Text(const char* s) : Text(std::string_view(s)) {}
  Text(const Text& o) { assign_owned(o.view()); }
  Text(Text&& o) noexcept : w_(o.w_) { o.w_ = kEmpty; }
  Text& operator=(const Text& o) {
    if (this != &o) {
      Text tmp(o);
      swap(tmp);
    }
    return *this;
  }
  Text& operator=(Text&& o) noexcept {
    Text tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  Text& operator=(std::string_view s) {
    Text tmp(s);
    swap(tmp);
    return *this;
  }
  Text& operator=(const std::string& s) { return *this = std::string_view(s); }
  Text& operator=(const char* s) { return *this = std::string_view(s); }
  ~Text() { release(); }
  void swap(Text& o) noexcept { std::swap(w_, o.w_); }

  // A Text borrowing `block` (a {uint32 size; bytes; NUL} block aligned to
  // 4 that outlives the Text), for arenas.
  static Text borrow(const void* block) {
    Text t;
    t.w_ = reinterpret_cast<uint64_t>(block);
    return t;
  }
  // A Text that shares this one's bytes when they are inline or borrowed
  // (no copy), else a deep copy. For the planner, which reuses one arena
  // string in many actions.
  Text share() const {
    if (!(w_ & kOwned)) {
      Text t;
      t.w_ = w_;
      return t;
    }
    return Text(*this);
  }
  // True when a Text of `s` needs no block (7 bytes or fewer).
  static bool fits_inline(std::string_view s) { return s.size() <= 7; }

  std::size_t size() const {
    if (w_ & kInline) return (w_ >> 1) & 7;
    uint32_t n;
    std::memcpy(&n, block(), 4);
    return n;
  }
  bool empty() const { return size() == 0; }
  const char* data() const {
    if (w_ & kInline) return reinterpret_cast<const char*>(&w_) + 1;
    return block() + 4;
  }
  std::string_view view() const { return std::string_view(data(), size()); }
  operator std::string_view() const { return view(); }
  operator std::string() const { return std::string(view()); }
  std::string str() const { return std::string(view()); }
  std::size_t find(std::string_view s, std::size_t pos = 0) const { return view().find(s, pos); }

  friend bool operator==(const Text& a, const Text& b) { return a.view() == b.view(); }
  friend bool operator==(const Text& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const Text& a, const std::string& b) { return a.view() == std::string_view(b); }
  friend bool operator==(const Text& a, const char* b) { return a.view() == std::string_view(b); }
  friend std::strong_ordering operator<=>(const Text& a, const Text& b) { return a.view() <=> b.view(); }
  friend std::strong_ordering operator<=>(const Text& a, std::string_view b) { return a.view() <=> b; }
  friend std::string operator+(const Text& a, const Text& b) { return a.str().append(b.view()); }
  friend std::string operator+(const Text& a, std::string_view b) { return a.str().append(b); }
  friend std::string operator+(const Text& a, const char* b) { return a.str().append(b); }
  friend std::string operator+(const Text& a, const std::string& b) { return a.str().append(b); }
  friend std::string operator+(std::string_view a, const Text& b) { return std::string(a).append(b.view()); }
  friend std::string operator+(const char* a, const Text& b) { return std::string(a).append(b.view()); }
  friend std::string operator+(const std::string& a, const Text& b) { return std::string(a).append(b.view()); }
  friend std::string operator+(std::string&& a, const Text& b) { return std::move(a.append(b.view())); }
  friend std::ostream& operator<<(std::ostream& os, const Text& t);

 private:
  static_assert(std::endian::native == std::endian::little, "Text stores inline bytes after a tag byte");
  static constexpr uint64_t kInline = 1;  // low bit: inline; bits 1-3 the size, bytes 1-7 the text
  static constexpr uint64_t kOwned = 2;   // a block this Text allocated
  static constexpr uint64_t kEmpty = kInline;

  const char* block() const { return reinterpret_cast<const char*>(w_ & ~uint64_t{3}); }
  void release() {
    if ((w_ & (kInline | kOwned)) == kOwned) ::operator delete(const_cast<char*>(block()));
    w_ = kEmpty;
  }
  void assign_owned(std::string_view s) {
    if (s.size() <= 7) {
      uint64_t w = kInline | (static_cast<uint64_t>(s.size()) << 1);
      std::memcpy(reinterpret_cast<char*>(&w) + 1, s.data(), s.size());
      w_ = w;
      return;
    }
    char* p = static_cast<char*>(::operator new(s.size() + 5));
    auto n = static_cast<uint32_t>(s.size());
    std::memcpy(p, &n, 4);
    std::memcpy(p + 4, s.data(), s.size());
    p[4 + s.size()] = '\0';
    w_ = reinterpret_cast<uint64_t>(p) | kOwned;
  }

  uint64_t w_ = kEmpty;
};

// Bump allocator of Text blocks for one Plan: 1 MB chunks, never freed
// before the arena. Texts of inline size are returned inline.
class TextArena {
 public:
  Text add(std::string_view s) {
    if (Text::fits_inline(s)) return Text(s);
    std::size_t need = (4 + s.size() + 1 + 3) & ~std::size_t{3};
    if (need > left_) grow(need);
    char* p = cur_;
    auto n = static_cast<uint32_t>(s.size());
    std::memcpy(p, &n, 4);
    std::memcpy(p + 4, s.data(), s.size());
    p[4 + s.size()] = '\0';
    cur_ += need;
    left_ -= need;
    return Text::borrow(p);
  }
  // Raw storage for one T (8-byte aligned), never destroyed: only for
  // objects whose destructor has nothing to free.
  template <typename T>
  T* make(T&& value) {
    static_assert(alignof(T) <= 8);
    std::size_t pad = (8 - (reinterpret_cast<uintptr_t>(cur_) & 7)) & 7;
    if (pad + sizeof(T) > left_) {
      grow(sizeof(T));
      pad = 0;
    }
    cur_ += pad;
    left_ -= pad;
    T* p = new (cur_) T(std::move(value));
    cur_ += sizeof(T);
    left_ -= sizeof(T);
    return p;
  }
  std::size_t bytes() const { return chunks_.size() * kChunk; }

 private:
  static constexpr std::size_t kChunk = 1 << 20;
  void grow(std::size_t need) {
    std::size_t size = need > kChunk ? need : kChunk;
    chunks_.push_back(std::make_unique<char[]>(size));
    cur_ = chunks_.back().get();
    left_ = size;
  }
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* cur_ = nullptr;
  std::size_t left_ = 0;
};

// The arena a Plan's borrowed Texts point into, shared by copies of the
// Plan. Compares equal to any other (it is storage, not content).
struct PlanStorage {
  std::shared_ptr<TextArena> arena;
  bool operator==(const PlanStorage&) const { return true; }
};

}  // namespace jumpsync
