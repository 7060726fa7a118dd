#pragma once
// Vocabulary: a bijection between terms (UTF-8 strings) and dense integer ids.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lexsim {

/// Open-addressing hash table over one arena of term bytes. Ids are dense, in insertion order.
/// Views returned by term() stay valid until the next insert().
class Vocabulary {
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
  // A slot holds the upper half of the term's hash beside its id, so a probe compares term bytes
  // only when the hashes agree.
  struct Slot {
    std::uint32_t tag;
    std::int32_t id;  // -1 = empty
  };
  std::int32_t probe(std::string_view term, std::uint64_t hash, std::size_t& slot) const noexcept;
  void rehash(std::size_t n_slots);
  std::string arena_;
  std::vector<Entry> entries_;
  std::vector<Slot> slots_;  // size is a power of two, at most half full
};

namespace detail {
std::uint64_t hash_bytes(std::string_view s) noexcept;
}

}  // namespace lexsim
