#pragma once
// Vocabulary: a bijection between terms (UTF-8 strings) and dense integer ids.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexsim/export.hpp"

namespace lexsim {

/// Open-addressing hash table over one arena of term bytes. Ids are dense, in insertion order.
/// Views returned by term() stay valid until the next insert().
class LEXSIM_API Vocabulary {
 public:
  Vocabulary() = default;
  /// Build from terms in id order; throws lexsim::InvalidArgument on a duplicate or empty list.
  static Vocabulary from_terms(const std::vector<std::string>& terms);

  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  /// Id of a term, or -1.
  std::int32_t find(std::string_view term) const noexcept;
  /// Id of a term, inserting it with the next id if absent.
  std::int32_t insert(std::string_view term);
  /// insert() for many terms at once (ids[i] for terms[i]): their slots are prefetched first, which
  /// hides most of the memory latency of a large table.
  void insert_many(const std::string_view* terms, std::size_t n, std::int32_t* ids);
  /// find() for many terms at once, prefetching their slots first. `hashes` is caller scratch space
  /// (this function is const and safe to call from many threads).
  void find_many(const std::string_view* terms, std::size_t n, std::int32_t* ids,
                 std::vector<std::uint64_t>& hashes) const;
  std::string_view term(std::int32_t id) const noexcept {
    const Entry& e = entries_[static_cast<std::size_t>(id)];
    return {arena_.data() + e.offset, e.length};
  }
  /// All terms in id order.
  std::vector<std::string> terms() const;
  void reserve(std::size_t n_terms);

 private:
  struct Entry {
    std::uint64_t offset;
    std::uint32_t length;
  };
  // A slot holds 24 bits of the term's hash and its length (meta), its first bytes (head) and its id:
  // a term of up to 8 bytes is identified by head and length alone, so most lookups read one slot
  // and nothing else; longer terms compare their remaining bytes in the arena.
  struct Slot {
    std::uint64_t head;
    std::uint32_t meta;
    std::int32_t id;  // -1 = empty
  };
  std::int32_t probe(std::string_view term, std::uint64_t head, std::uint64_t hash, std::size_t& slot) const noexcept;
  std::int32_t insert_hashed(std::string_view term, std::uint64_t head, std::uint64_t hash);
  std::vector<std::uint64_t> batch_hash_, batch_head_;
  void rehash(std::size_t n_slots);
  std::string arena_;
  std::vector<Entry> entries_;
  std::vector<Slot> slots_;  // size is a power of two, at most half full
};

namespace detail {
/// The bytes of a term of up to 8 bytes packed so that (head, length) identifies it; for longer
/// terms, a function of their first and last bytes.
inline std::uint64_t term_head(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  if (n >= 4) {
    std::uint32_t lo, hi;
    __builtin_memcpy(&lo, p, 4);
    __builtin_memcpy(&hi, p + (n < 8 ? n : 8) - 4, 4);
    return lo | (static_cast<std::uint64_t>(hi) << 32);
  }
  if (n == 0) return 0;
  return p[0] | (static_cast<std::uint64_t>(p[n / 2]) << 8) | (static_cast<std::uint64_t>(p[n - 1]) << 16);
}
/// Hash of a term (consistent with term_head for short terms).
std::uint64_t hash_bytes(std::string_view s) noexcept;
}  // namespace detail

}  // namespace lexsim
