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

  std::size_t size() const noexcept { return offsets_.size(); }
  bool empty() const noexcept { return offsets_.empty(); }
  /// Id of a term, or -1.
  std::int32_t find(std::string_view term) const noexcept;
  /// Id of a term, inserting it with the next id if absent.
  std::int32_t insert(std::string_view term);
  std::string_view term(std::int32_t id) const noexcept {
    const auto i = static_cast<std::size_t>(id);
    return {arena_.data() + offsets_[i], lengths_[i]};
  }
  /// All terms in id order.
  std::vector<std::string> terms() const;
  void reserve(std::size_t n_terms);

 private:
  void grow();
  std::string arena_;
  std::vector<std::uint64_t> offsets_;
  std::vector<std::uint32_t> lengths_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::int32_t> slots_;  // -1 = empty; size is a power of two
};

namespace detail {
std::uint64_t hash_bytes(std::string_view s) noexcept;
}

}  // namespace lexsim
