#pragma once
// CorpusCounts: everything a vectorizer's fit needs to know about a corpus, in a form that adds up.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexsim/export.hpp"
#include "lexsim/vocabulary.hpp"

namespace lexsim {

namespace detail {
struct CountsAccess;  // the vectorizers' direct access, for counting without a copy
}

/// The additive fit state of a corpus: every term seen (before min_df, max_df or max_features
/// prune anything), the number of documents it occurs in, its total count, and the number of
/// documents. All of it is a sum over documents, so the counts of two corpora merge into exactly
/// the counts of their union, and pruning and idf computed from merged counts equal those of one
/// fit on everything.
///
/// Terms have dense ids in order of first insertion. That order depends on how the documents were
/// split (and on n_jobs); nothing computed from the counts does. canonical() gives the order-free
/// form, which is what a file should store.
class LEXSIM_API CorpusCounts {
 public:
  CorpusCounts() = default;
  /// From aligned arrays (terms in any order). Throws lexsim::InvalidArgument on arrays of
  /// different lengths, a repeated term, a negative count, a document frequency above the total
  /// count or above the number of documents.
  CorpusCounts(const std::vector<std::string>& terms, std::vector<std::int64_t> document_frequencies,
               std::vector<std::int64_t> total_counts, std::int64_t n_documents);

  /// Number of distinct terms.
  std::size_t size() const noexcept { return df_.size(); }
  bool empty() const noexcept { return df_.empty(); }
  std::int64_t n_documents() const noexcept { return n_documents_; }
  /// The terms, by id.
  const Vocabulary& terms() const noexcept { return terms_; }
  /// In how many documents each term occurs, by id.
  const std::vector<std::int64_t>& document_frequencies() const noexcept { return df_; }
  /// How often each term occurs in all documents, by id. With CountOptions::binary each document
  /// counts a term once, so this equals the document frequency.
  const std::vector<std::int64_t>& total_counts() const noexcept { return total_; }

  /// Adds the counts of other documents. Throws lexsim::InvalidArgument, changing nothing, if a
  /// sum would overflow int64.
  CorpusCounts& merge(const CorpusCounts& other);
  /// Adds one term's counts (inserting it if new) and returns its id.
  std::int32_t add(std::string_view term, std::int64_t document_frequency, std::int64_t total_count);
  /// Adds documents to the document count.
  void add_documents(std::int64_t n);

  /// The same counts with ids in code-point (UTF-8 byte) order: equal counts give equal canonical
  /// forms, whatever order the terms were first seen in.
  CorpusCounts canonical() const;
  /// The terms by id, as strings.
  std::vector<std::string> term_list() const { return terms_.terms(); }

  /// The same terms with the same counts, and the same number of documents (ids may differ).
  bool operator==(const CorpusCounts& other) const;
  bool operator!=(const CorpusCounts& other) const { return !(*this == other); }

 private:
  friend struct detail::CountsAccess;
  Vocabulary terms_;
  std::vector<std::int64_t> df_;
  std::vector<std::int64_t> total_;
  std::int64_t n_documents_ = 0;
};

}  // namespace lexsim
