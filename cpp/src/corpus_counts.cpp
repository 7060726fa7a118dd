#include "lexsim/corpus_counts.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <utility>

#include "lexsim/errors.hpp"

namespace lexsim {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

std::int64_t max_of(const std::vector<std::int64_t>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

std::string quoted(std::string_view term) { return "'" + std::string(term) + "'"; }

void check_counts(std::string_view term, std::int64_t df, std::int64_t total) {
  if (df < 0 || total < 0)
    throw InvalidArgument("term " + quoted(term) + ": negative count (document frequency " + std::to_string(df) +
                          ", total count " + std::to_string(total) + ")");
  if (df > total)
    throw InvalidArgument("term " + quoted(term) + ": document frequency " + std::to_string(df) +
                          " is above its total count " + std::to_string(total));
}

}  // namespace

CorpusCounts::CorpusCounts(const std::vector<std::string>& terms, std::vector<std::int64_t> document_frequencies,
                           std::vector<std::int64_t> total_counts, std::int64_t n_documents) {
  if (document_frequencies.size() != terms.size() || total_counts.size() != terms.size())
    throw InvalidArgument("corpus counts: " + std::to_string(terms.size()) + " terms, " +
                          std::to_string(document_frequencies.size()) + " document frequencies and " +
                          std::to_string(total_counts.size()) + " total counts (they must be aligned)");
  if (n_documents < 0)
    throw InvalidArgument("corpus counts: negative number of documents " + std::to_string(n_documents));
  terms_.reserve(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    check_counts(terms[i], document_frequencies[i], total_counts[i]);
    if (document_frequencies[i] > n_documents)
      throw InvalidArgument("term " + quoted(terms[i]) + ": document frequency " +
                            std::to_string(document_frequencies[i]) + " is above the number of documents " +
                            std::to_string(n_documents));
    if (terms_.insert(terms[i]) != static_cast<std::int32_t>(i))
      throw InvalidArgument("corpus counts: term " + quoted(terms[i]) + " appears twice");
  }
  df_ = std::move(document_frequencies);
  total_ = std::move(total_counts);
  n_documents_ = n_documents;
}

CorpusCounts& CorpusCounts::merge(const CorpusCounts& other) {
  if (&other == this) {  // the loop below would read the tables it grows
    // other is *this, which merge grows: the copy is needed.
    // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
    const CorpusCounts copy = other;
    return merge(copy);
  }
  if (n_documents_ > kMax - other.n_documents_)
    throw InvalidArgument("corpus counts: the number of documents overflows int64");
  // Sums of the largest values bound every sum: only when they could overflow is each term checked,
  // before anything changes.
  if (max_of(df_) > kMax - max_of(other.df_) || max_of(total_) > kMax - max_of(other.total_)) {
    for (std::size_t j = 0; j < other.size(); ++j) {
      const auto t = other.terms_.term(static_cast<std::int32_t>(j));
      const auto id = terms_.find(t);
      if (id < 0) continue;
      const auto i = static_cast<std::size_t>(id);
      if (df_[i] > kMax - other.df_[j] || total_[i] > kMax - other.total_[j])
        throw InvalidArgument("corpus counts: the counts of term " + quoted(t) + " overflow int64");
    }
  }
  constexpr std::size_t kBatch = 4096;  // inserted with prefetching, as fitting does
  std::vector<std::string_view> views;
  std::vector<std::int32_t> ids(kBatch);
  views.reserve(kBatch);
  for (std::size_t begin = 0; begin < other.size(); begin += kBatch) {
    const std::size_t end = std::min(other.size(), begin + kBatch);
    views.clear();
    for (std::size_t j = begin; j < end; ++j) views.push_back(other.terms_.term(static_cast<std::int32_t>(j)));
    terms_.insert_many(views.data(), views.size(), ids.data());
    df_.resize(terms_.size(), 0);
    total_.resize(terms_.size(), 0);
    for (std::size_t j = begin; j < end; ++j) {
      const auto i = static_cast<std::size_t>(ids[j - begin]);
      df_[i] += other.df_[j];
      total_[i] += other.total_[j];
    }
  }
  n_documents_ += other.n_documents_;
  return *this;
}

std::int32_t CorpusCounts::add(std::string_view term, std::int64_t document_frequency, std::int64_t total_count) {
  check_counts(term, document_frequency, total_count);
  const auto found = terms_.find(term);
  if (found >= 0) {
    const auto i = static_cast<std::size_t>(found);
    if (df_[i] > kMax - document_frequency || total_[i] > kMax - total_count)
      throw InvalidArgument("corpus counts: the counts of term " + quoted(term) + " overflow int64");
    df_[i] += document_frequency;
    total_[i] += total_count;
    return found;
  }
  const auto id = terms_.insert(term);
  df_.push_back(document_frequency);
  total_.push_back(total_count);
  return id;
}

void CorpusCounts::add_documents(std::int64_t n) {
  if (n < 0)
    throw InvalidArgument("corpus counts: cannot add a negative number of documents (" + std::to_string(n) + ")");
  if (n_documents_ > kMax - n) throw InvalidArgument("corpus counts: the number of documents overflows int64");
  n_documents_ += n;
}

CorpusCounts CorpusCounts::canonical() const {
  std::vector<std::int32_t> order(size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::int32_t a, std::int32_t b) { return terms_.term(a) < terms_.term(b); });
  CorpusCounts out;
  out.terms_.reserve(order.size());
  out.df_.reserve(order.size());
  out.total_.reserve(order.size());
  for (const auto id : order) {
    out.terms_.insert(terms_.term(id));
    out.df_.push_back(df_[static_cast<std::size_t>(id)]);
    out.total_.push_back(total_[static_cast<std::size_t>(id)]);
  }
  out.n_documents_ = n_documents_;
  return out;
}

bool CorpusCounts::operator==(const CorpusCounts& other) const {
  if (size() != other.size() || n_documents_ != other.n_documents_) return false;
  for (std::size_t i = 0; i < size(); ++i) {
    const auto j = other.terms_.find(terms_.term(static_cast<std::int32_t>(i)));
    if (j < 0 || other.df_[static_cast<std::size_t>(j)] != df_[i] ||
        other.total_[static_cast<std::size_t>(j)] != total_[i])
      return false;
  }
  return true;
}

}  // namespace lexsim
