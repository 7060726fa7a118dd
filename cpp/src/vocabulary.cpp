#include "lexsim/vocabulary.hpp"

#include <algorithm>
#include <cstring>

#include "lexsim/errors.hpp"

namespace lexsim {
namespace detail {

namespace {
inline std::uint64_t mix(std::uint64_t h) noexcept {
  h ^= h >> 32;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 29;
  return h;
}
}  // namespace

std::uint64_t hash_bytes(std::string_view s) noexcept {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  if (s.size() <= 8) return mix((term_head(s) ^ (static_cast<std::uint64_t>(s.size()) << 59)) * kMul);
  // 64-bit multiply-xorshift over 8-byte words.
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
  return mix(h);
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

namespace {
inline std::uint32_t slot_meta(std::uint64_t hash, std::size_t length) noexcept {
  return (static_cast<std::uint32_t>(hash >> 40) << 8) | static_cast<std::uint32_t>(length < 255 ? length : 255);
}
}  // namespace

void Vocabulary::rehash(std::size_t n_slots) {
  std::vector<Slot> slots(n_slots, Slot{0, 0, -1});
  const std::size_t mask = n_slots - 1;
  for (std::size_t id = 0; id < entries_.size(); ++id) {
    const std::string_view t = term(static_cast<std::int32_t>(id));
    const std::uint64_t h = detail::hash_bytes(t);
    std::size_t s = h & mask;
    while (slots[s].id >= 0) s = (s + 1) & mask;
    slots[s] = Slot{detail::term_head(t), slot_meta(h, t.size()), static_cast<std::int32_t>(id)};
  }
  slots_ = std::move(slots);
}

void Vocabulary::reserve(std::size_t n_terms) {
  entries_.reserve(n_terms);
  std::size_t want = 16;
  while (want < n_terms * 2) want <<= 1;
  if (want > slots_.size()) rehash(want);
}

std::int32_t Vocabulary::probe(std::string_view t, std::uint64_t head, std::uint64_t h,
                               std::size_t& slot) const noexcept {
  const std::size_t mask = slots_.size() - 1;
  const std::uint32_t meta = slot_meta(h, t.size());
  for (std::size_t s = h & mask;; s = (s + 1) & mask) {
    const Slot& sl = slots_[s];
    if (sl.id < 0) {
      slot = s;
      return -1;
    }
    if (sl.meta == meta && sl.head == head) {
      if (t.size() <= 8) {  // head and length identify the term
        slot = s;
        return sl.id;
      }
      const Entry& e = entries_[static_cast<std::size_t>(sl.id)];
      if (e.length == t.size() && std::memcmp(arena_.data() + e.offset, t.data(), t.size()) == 0) {
        slot = s;
        return sl.id;
      }
    }
  }
}

std::int32_t Vocabulary::find(std::string_view t) const noexcept {
  if (slots_.empty()) return -1;
  std::size_t slot;
  return probe(t, detail::term_head(t), detail::hash_bytes(t), slot);
}

std::int32_t Vocabulary::insert(std::string_view t) {
  return insert_hashed(t, detail::term_head(t), detail::hash_bytes(t));
}

void Vocabulary::insert_many(const std::string_view* terms, std::size_t n, std::int32_t* ids) {
  batch_hash_.resize(n);
  batch_head_.resize(n);
  if (slots_.size() < (entries_.size() + n) * 2) reserve(entries_.size() + n);  // no rehash mid-batch
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = 0; i < n; ++i) {
    batch_hash_[i] = detail::hash_bytes(terms[i]);
    batch_head_[i] = detail::term_head(terms[i]);
    __builtin_prefetch(&slots_[batch_hash_[i] & mask]);
  }
  for (std::size_t i = 0; i < n; ++i) ids[i] = insert_hashed(terms[i], batch_head_[i], batch_hash_[i]);
}

void Vocabulary::find_many(const std::string_view* terms, std::size_t n, std::int32_t* ids,
                           std::vector<std::uint64_t>& hashes) const {
  if (slots_.empty()) {
    std::fill(ids, ids + n, -1);
    return;
  }
  hashes.resize(n);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = 0; i < n; ++i) {
    hashes[i] = detail::hash_bytes(terms[i]);
    __builtin_prefetch(&slots_[hashes[i] & mask]);
  }
  std::size_t slot;
  for (std::size_t i = 0; i < n; ++i) ids[i] = probe(terms[i], detail::term_head(terms[i]), hashes[i], slot);
}

std::int32_t Vocabulary::insert_hashed(std::string_view t, std::uint64_t head, std::uint64_t h) {
  if (slots_.size() < (entries_.size() + 1) * 2) rehash(slots_.empty() ? 16 : slots_.size() * 2);
  std::size_t slot;
  const std::int32_t found = probe(t, head, h, slot);
  if (found >= 0) return found;
  if (entries_.size() >= static_cast<std::size_t>(INT32_MAX)) throw Error("vocabulary exceeds 2^31-1 terms");
  if (t.size() > UINT32_MAX) throw InvalidArgument("term longer than 4 GiB");
  const auto id = static_cast<std::int32_t>(entries_.size());
  entries_.push_back(Entry{arena_.size(), static_cast<std::uint32_t>(t.size())});
  arena_.append(t.data(), t.size());
  slots_[slot] = Slot{head, slot_meta(h, t.size()), id};
  return id;
}

std::vector<std::string> Vocabulary::terms() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) out.emplace_back(term(static_cast<std::int32_t>(i)));
  return out;
}

}  // namespace lexsim
