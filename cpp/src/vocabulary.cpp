#include "lexsim/vocabulary.hpp"

#include <cstring>

#include "lexsim/errors.hpp"

namespace lexsim {
namespace detail {

std::uint64_t hash_bytes(std::string_view s) noexcept {
  // 64-bit multiply-xorshift over 8-byte words; fast on short terms and well mixed.
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = 0x243F6A8885A308D3ULL ^ (s.size() * kMul);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ (w * kMul)) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ (w * kMul)) * 0xBF58476D1CE4E5B9ULL;
  }
  h ^= h >> 32;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 29;
  return h;
}

}  // namespace detail

Vocabulary Vocabulary::from_terms(const std::vector<std::string>& terms) {
  if (terms.empty()) throw InvalidArgument("empty vocabulary");
  Vocabulary v;
  v.reserve(terms.size());
  for (const auto& t : terms) {
    const auto before = v.size();
    v.insert(t);
    if (v.size() == before) throw InvalidArgument("Duplicate term in vocabulary: '" + t + "'");
  }
  return v;
}

void Vocabulary::reserve(std::size_t n_terms) {
  offsets_.reserve(n_terms);
  lengths_.reserve(n_terms);
  hashes_.reserve(n_terms);
  std::size_t want = 16;
  while (want < n_terms * 2) want <<= 1;
  if (want > slots_.size()) {
    slots_.assign(want, -1);
    const std::size_t mask = want - 1;
    for (std::size_t id = 0; id < offsets_.size(); ++id) {
      std::size_t s = hashes_[id] & mask;
      while (slots_[s] >= 0) s = (s + 1) & mask;
      slots_[s] = static_cast<std::int32_t>(id);
    }
  }
}

void Vocabulary::grow() { reserve(slots_.empty() ? 8 : slots_.size()); }

std::int32_t Vocabulary::find(std::string_view term) const noexcept {
  if (slots_.empty()) return -1;
  const std::uint64_t h = detail::hash_bytes(term);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = h & mask;; s = (s + 1) & mask) {
    const std::int32_t id = slots_[s];
    if (id < 0) return -1;
    const auto i = static_cast<std::size_t>(id);
    if (hashes_[i] == h && lengths_[i] == term.size() &&
        std::memcmp(arena_.data() + offsets_[i], term.data(), term.size()) == 0)
      return id;
  }
}

std::int32_t Vocabulary::insert(std::string_view term) {
  if (slots_.size() < (offsets_.size() + 1) * 2) grow();
  const std::uint64_t h = detail::hash_bytes(term);
  const std::size_t mask = slots_.size() - 1;
  std::size_t s = h & mask;
  for (;; s = (s + 1) & mask) {
    const std::int32_t id = slots_[s];
    if (id < 0) break;
    const auto i = static_cast<std::size_t>(id);
    if (hashes_[i] == h && lengths_[i] == term.size() &&
        std::memcmp(arena_.data() + offsets_[i], term.data(), term.size()) == 0)
      return id;
  }
  if (offsets_.size() >= static_cast<std::size_t>(INT32_MAX)) throw Error("vocabulary exceeds 2^31-1 terms");
  if (term.size() > UINT32_MAX) throw InvalidArgument("term longer than 4 GiB");
  const auto id = static_cast<std::int32_t>(offsets_.size());
  offsets_.push_back(arena_.size());
  lengths_.push_back(static_cast<std::uint32_t>(term.size()));
  hashes_.push_back(h);
  arena_.append(term.data(), term.size());
  slots_[s] = id;
  return id;
}

std::vector<std::string> Vocabulary::terms() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) out.emplace_back(term(static_cast<std::int32_t>(i)));
  return out;
}

}  // namespace lexsim
