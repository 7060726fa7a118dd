#include "lexsim/vectorizer.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "lexsim/errors.hpp"
#include "count_engine.hpp"
#include "options.hpp"
#include "parallel.hpp"
#include "pruning.hpp"
#include "row_blocks.hpp"

namespace lexsim {

namespace {

using detail::add_columns;
using detail::count_batch;
using detail::count_known;
using detail::count_options_diff;
using detail::CountsAccess;
using detail::for_each_batch;
using detail::Piece;
using detail::renumber_rows;
using detail::select_terms;
using detail::stack_all;
using detail::stack_rows;
using detail::validate;

}  // namespace

// ---------------------------------------------------------------------------------------------
// CountVectorizer

CountVectorizer::CountVectorizer(CountOptions options) : options_(std::move(options)), analyzer_(options_.analysis) {
  validate(options_);
  if (options_.vocabulary) {
    vocabulary_ = Vocabulary::from_terms(*options_.vocabulary);
    counts_ = fixed_vocabulary_counts();
    has_counts_ = true;
    fitted_ = true;
  }
}

CorpusCounts CountVectorizer::fixed_vocabulary_counts() const {
  CorpusCounts c;
  CountsAccess::terms(c) = vocabulary_;  // ids = columns
  CountsAccess::df(c).assign(vocabulary_.size(), 0);
  CountsAccess::total(c).assign(vocabulary_.size(), 0);
  return c;
}

void CountVectorizer::set_n_jobs(int n_jobs) {
  if (n_jobs == 0 || n_jobs < -1)
    throw InvalidArgument("n_jobs must be a positive integer or -1; got " + std::to_string(n_jobs));
  options_.n_jobs = n_jobs;
}

void CountVectorizer::check_fitted() const {
  if (fitted_) return;
  if (!unfitted_reason_.empty()) throw NotFittedError("Vocabulary not fitted: " + unfitted_reason_);
  throw NotFittedError("Vocabulary not fitted or provided");
}

const Vocabulary& CountVectorizer::vocabulary() const {
  check_fitted();
  return vocabulary_;
}

std::vector<std::string> CountVectorizer::feature_names() const {
  check_fitted();
  return vocabulary_.terms();
}

const CorpusCounts& CountVectorizer::counts() const {
  if (!has_counts_) {
    if (fitted_) throw NotFittedError("this vectorizer was restored without its corpus counts");
    throw NotFittedError("no corpus counts: the vectorizer is not fitted");
  }
  return counts_;
}

void CountVectorizer::set_vocabulary(const std::vector<std::string>& terms, std::int64_t n_documents,
                                     std::vector<std::int64_t> document_frequencies) {
  if (terms.empty()) throw InvalidArgument("empty vocabulary");
  if (!document_frequencies.empty() && document_frequencies.size() != terms.size())
    throw InvalidArgument("document_frequencies has " + std::to_string(document_frequencies.size()) + " entries for " +
                          std::to_string(terms.size()) + " terms");
  vocabulary_ = Vocabulary::from_terms(terms);
  n_documents_ = n_documents;
  df_ = std::move(document_frequencies);
  fitted_ = true;
  counts_ = CorpusCounts();
  has_counts_ = false;
  counts_unknown_ = true;
  unfitted_reason_.clear();
}

// Makes `counts` the fit's counts and the terms `kept` (their ids, in column order) its vocabulary;
// with none kept, the vectorizer keeps the counts but is not fitted, for the reason `why`. Builds
// everything first, so that the vectorizer is unchanged if that fails.
void CountVectorizer::commit(CorpusCounts&& counts, const std::vector<std::int32_t>& kept, const std::string& why) {
  Vocabulary vocab;
  std::vector<std::int64_t> df;
  std::string reason;
  const bool fixed = options_.vocabulary.has_value();
  if (fixed) {  // the ids of the counts are the columns
    df = counts.document_frequencies();
  } else if (!kept.empty()) {
    vocab.reserve(kept.size());
    df.resize(kept.size());
    for (std::size_t k = 0; k < kept.size(); ++k) {
      vocab.insert(counts.terms().term(kept[k]));
      df[k] = counts.document_frequencies()[static_cast<std::size_t>(kept[k])];
    }
  } else {
    reason = why + " (" + std::to_string(counts.n_documents()) + " documents counted so far)";
  }
  // Nothing below throws.
  if (!fixed) vocabulary_ = std::move(vocab);
  df_ = std::move(df);
  fitted_ = fixed || !kept.empty();
  unfitted_reason_ = std::move(reason);
  n_documents_ = counts.n_documents();
  if (&counts != &counts_) counts_ = std::move(counts);
  has_counts_ = true;
  counts_unknown_ = false;
}

void CountVectorizer::adopt(CorpusCounts&& counts) {
  std::string why;
  std::vector<std::int32_t> kept;
  if (!options_.vocabulary) kept = select_terms(counts, options_, why);
  commit(std::move(counts), kept, why);
}

// Adds counts to the fit's and refits. A failure midway (out of memory) cannot be undone, so the
// counts are then marked lost rather than left half-added.
void CountVectorizer::add_counts(const CorpusCounts& more) {
  try {
    counts_.merge(more);
  } catch (const InvalidArgument&) {  // an overflow, found before anything changed
    throw;
  } catch (...) {
    lose_counts();
    throw;
  }
  try {
    adopt(std::move(counts_));
  } catch (...) {
    lose_counts();
    throw;
  }
}

void CountVectorizer::lose_counts() {
  counts_ = CorpusCounts();
  has_counts_ = false;
  counts_unknown_ = true;
  fitted_ = false;
  vocabulary_ = Vocabulary();
  df_.clear();
  unfitted_reason_ = "adding counts failed midway, and the counts are lost; fit again";
}

template <class T>
CsrMatrix<T> CountVectorizer::transform_csr(const Input& input) const {
  check_fitted();
  std::vector<CsrMatrix<T>> blocks;
  for_each_batch(input, analyzer_, [&](const auto& source) {
    count_known<T>(source, vocabulary_, options_.binary, options_.n_jobs, blocks);
  });
  return stack_all(blocks, static_cast<std::int64_t>(vocabulary_.size()), options_.n_jobs);
}

// Every fit: count the batches (keeping their rows when asked), prune once on the summed counts,
// renumber the rows. Nothing changes until all of it succeeded.
template <class T>
CsrMatrix<T> CountVectorizer::fit_impl(const Input& input, bool keep_rows) {
  if (options_.vocabulary) {  // fixed vocabulary: counting is all there is to fitting
    CorpusCounts counts = fixed_vocabulary_counts();
    std::vector<CsrMatrix<T>> blocks;
    for_each_batch(input, analyzer_, [&](const auto& source) {
      const std::size_t at = blocks.size();
      count_known<T>(source, vocabulary_, options_.binary, options_.n_jobs, blocks);
      for (std::size_t b = at; b < blocks.size(); ++b) add_columns(counts, blocks[b]);
      if (!keep_rows) blocks.clear();
    });
    CsrMatrix<T> m = stack_all(blocks, static_cast<std::int64_t>(vocabulary_.size()), options_.n_jobs);
    commit(std::move(counts), {}, "");
    return m;
  }
  CorpusCounts counts;
  std::vector<Piece<T>> pieces;
  for_each_batch(input, analyzer_, [&](const auto& source) {
    count_batch<T>(source, counts, options_.binary, options_.n_jobs, keep_rows ? &pieces : nullptr);
  });
  std::string why;
  const std::vector<std::int32_t> kept = select_terms(counts, options_, why);
  if (kept.empty()) throw InvalidArgument(why);

  CsrMatrix<T> m;
  m.cols = static_cast<std::int64_t>(kept.size());
  if (keep_rows) {
    // Renumber every block's columns in place (rows only shrink) and sort its rows, then stack.
    std::vector<std::int32_t> new_id(counts.size(), -1);
    for (std::size_t k = 0; k < kept.size(); ++k)
      new_id[static_cast<std::size_t>(kept[k])] = static_cast<std::int32_t>(k);
    const auto n_pieces = static_cast<std::int64_t>(pieces.size());
    detail::parallel_blocks(n_pieces, detail::resolve_jobs(options_.n_jobs, n_pieces),
                            [&](int, std::int64_t begin, std::int64_t end, const detail::StopToken&) {
                              for (auto p = static_cast<std::size_t>(begin); p < static_cast<std::size_t>(end); ++p) {
                                Piece<T>& piece = pieces[p];
                                if (piece.to_counts.empty()) {
                                  renumber_rows(piece.m, new_id);
                                } else {
                                  for (auto& id : piece.to_counts) id = new_id[static_cast<std::size_t>(id)];
                                  renumber_rows(piece.m, piece.to_counts);
                                }
                              }
                            });
    std::vector<CsrMatrix<T>*> blocks;
    blocks.reserve(pieces.size());
    for (auto& p : pieces) blocks.push_back(&p.m);
    if (!blocks.empty()) m = stack_rows(blocks, static_cast<std::int64_t>(kept.size()), options_.n_jobs);
  }
  commit(std::move(counts), kept, why);
  return m;
}

CountVectorizer& CountVectorizer::partial_fit(const Input& input) {
  if (counts_unknown_)
    throw InvalidArgument(
        "partial_fit needs the counts of the earlier fit, and this vectorizer was restored without them; fit it again");
  CorpusCounts more = options_.vocabulary ? fixed_vocabulary_counts() : CorpusCounts();
  for_each_batch(input, analyzer_, [&](const auto& source) {
    if (options_.vocabulary) {
      std::vector<CsrMatrix<std::int64_t>> blocks;
      count_known<std::int64_t>(source, vocabulary_, options_.binary, options_.n_jobs, blocks);
      for (const auto& b : blocks) add_columns(more, b);
    } else {
      count_batch<std::int32_t>(source, more, options_.binary, options_.n_jobs, nullptr);
    }
  });
  if (has_counts_) {
    add_counts(more);
  } else {
    adopt(std::move(more));
  }
  return *this;
}

void CountVectorizer::check_mergeable(const CountVectorizer& other) const {
  if (counts_unknown_)
    throw InvalidArgument("cannot merge into a vectorizer restored without its corpus counts; fit it again");
  if (other.counts_unknown_) throw InvalidArgument("cannot merge a vectorizer restored without its corpus counts");
  if (!other.has_counts_) throw NotFittedError("cannot merge a vectorizer that is not fitted");
  const std::string diff = count_options_diff(options_, other.options_);
  if (!diff.empty()) throw InvalidArgument("cannot merge vectorizers with different options: " + diff);
}

CountVectorizer& CountVectorizer::merge(const CountVectorizer& other) {
  check_mergeable(other);
  if (has_counts_) {
    add_counts(other.counts_);
  } else {
    adopt(CorpusCounts(other.counts_));
  }
  return *this;
}

void CountVectorizer::set_counts(CorpusCounts counts) {
  if (options_.vocabulary) {  // in column order, holding exactly the fixed terms
    if (counts.size() != vocabulary_.size())
      throw InvalidArgument("the counts have " + std::to_string(counts.size()) + " terms; the fixed vocabulary has " +
                            std::to_string(vocabulary_.size()));
    CorpusCounts aligned = fixed_vocabulary_counts();
    for (std::size_t j = 0; j < counts.size(); ++j) {
      const auto t = counts.terms().term(static_cast<std::int32_t>(j));
      const auto col = vocabulary_.find(t);
      if (col < 0)
        throw InvalidArgument("the counts hold the term '" + std::string(t) +
                              "', which is not in the fixed vocabulary");
      CountsAccess::df(aligned)[static_cast<std::size_t>(col)] = counts.document_frequencies()[j];
      CountsAccess::total(aligned)[static_cast<std::size_t>(col)] = counts.total_counts()[j];
    }
    CountsAccess::n_documents(aligned) = counts.n_documents();
    counts = std::move(aligned);
  }
  for (const auto d : counts.document_frequencies())
    if (d > counts.n_documents())
      throw InvalidArgument("the counts have a document frequency of " + std::to_string(d) +
                            " above their number of documents " + std::to_string(counts.n_documents()));
  adopt(std::move(counts));
}

CountVectorizer& CountVectorizer::fit(const Input& input) {
  fit_impl<std::int64_t>(input, /*keep_rows=*/false);
  return *this;
}

SparseMatrix<double> CountVectorizer::fit_transform(const Input& input) {
  return to_eigen(fit_transform_csr<double>(input));
}

SparseMatrix<double> CountVectorizer::transform(const Input& input) const {
  return to_eigen(transform_csr<double>(input));
}

template <class T>
CsrMatrix<T> CountVectorizer::fit_transform_csr(const Input& input) {
  return fit_impl<T>(input, /*keep_rows=*/true);
}

#define LEXSIM_COUNT_INSTANTIATE(T)                                          \
  template CsrMatrix<T> CountVectorizer::fit_transform_csr<T>(const Input&); \
  template CsrMatrix<T> CountVectorizer::transform_csr<T>(const Input&) const;
LEXSIM_COUNT_INSTANTIATE(std::int32_t)
LEXSIM_COUNT_INSTANTIATE(std::int64_t)
LEXSIM_COUNT_INSTANTIATE(float)
LEXSIM_COUNT_INSTANTIATE(double)
#undef LEXSIM_COUNT_INSTANTIATE

}  // namespace lexsim
