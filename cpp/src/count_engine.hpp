#pragma once
// The counting engine of the vectorizers (private): documents or term lists in, term ids and counts
// out. Fit counts every term into CorpusCounts (count_batch); transform counts the terms of a fixed
// vocabulary (count_known). The sources and batch adapters feed both the same way.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexsim/analyzer.hpp"
#include "lexsim/corpus_counts.hpp"
#include "lexsim/sparse.hpp"
#include "lexsim/vectorizer.hpp"
#include "lexsim/vocabulary.hpp"

namespace lexsim::detail {

struct CountsAccess {
  static Vocabulary& terms(CorpusCounts& c) { return c.terms_; }
  static std::vector<std::int64_t>& df(CorpusCounts& c) { return c.df_; }
  static std::vector<std::int64_t>& total(CorpusCounts& c) { return c.total_; }
  static std::int64_t& n_documents(CorpusCounts& c) { return c.n_documents_; }
};

// Feeds the terms of document i to a callback: from text through the analyzer...
struct TextSource {
  const Documents& docs;
  const Analyzer& analyzer;
  std::size_t first = 0;  // number of the batch's first document in the whole input (for errors)
  std::size_t size() const { return docs.size(); }
  bool stable_views() const;
  std::size_t bytes(std::int64_t begin, std::int64_t end) const {
    std::size_t n = 0;
    for (auto i = begin; i < end; ++i) n += docs[static_cast<std::size_t>(i)].size();
    return n;
  }
  // Defined in count_engine.cpp, the one place that instantiates it (it needs the analysis pipeline's templates).
  template <class F>
  void terms(std::size_t i, F&& f) const;
};

// ...or from lists of terms made elsewhere.
struct TermSource {
  const TermLists& docs;
  std::size_t size() const { return docs.size(); }
  bool stable_views() const { return true; }
  std::size_t bytes(std::int64_t begin, std::int64_t end) const {
    std::size_t n = 0;
    for (auto i = begin; i < end; ++i) n += docs[static_cast<std::size_t>(i)].size() * 5;
    return n;
  }
  template <class F>
  void terms(std::size_t i, F&& f) const {
    for (auto t : docs[i]) f(t);
  }
};

// A block of kept rows and the map from its column ids to the ids of the fit's counts (empty: the
// ids are already those).
template <class T>
struct Piece {
  CsrMatrix<T> m;
  std::vector<std::int32_t> to_counts;
};

// Counts a batch of documents into `counts` (terms, document frequencies, totals, documents). With
// `pieces`, the batch's rows are appended to it, one block per worker. Sums of integers, so the
// counts are the same whatever the split into workers and batches; only the ids differ.
template <class T, class Source>
void count_batch(const Source& source, CorpusCounts& counts, bool binary, int n_jobs, std::vector<Piece<T>>* pieces);

// Counts the terms of `vocabulary` in a batch: one block of rows per worker, appended to `out`.
template <class T, class Source>
void count_known(const Source& source, const Vocabulary& vocabulary, bool binary, int n_jobs,
                 std::vector<CsrMatrix<T>>& out);

// Renumbers the columns of m with map (-1 drops a column) and sorts each row, in place.
template <class T>
void renumber_rows(CsrMatrix<T>& m, const std::vector<std::int32_t>& map);

// Adds the columns of a count matrix (fixed-vocabulary counting) to counts whose ids are columns.
template <class T>
void add_columns(CorpusCounts& counts, const CsrMatrix<T>& m) {
  auto& df = CountsAccess::df(counts);
  auto& total = CountsAccess::total(counts);
  for (std::size_t k = 0; k < m.indices.size(); ++k) {
    const auto j = static_cast<std::size_t>(m.indices[k]);
    ++df[j];
    total[j] += static_cast<std::int64_t>(m.data[k]);
  }
  CountsAccess::n_documents(counts) += m.rows;
}

// Calls f(source) with a TextSource or TermSource for each batch of the input: one for documents
// or term lists, one per callback batch otherwise (documents numbered across batches for errors).
template <class F>
void for_each_batch(const Input& input, const Analyzer& analyzer, F&& f) {
  switch (input.kind()) {
    case Input::Kind::documents: f(TextSource{input.documents(), analyzer}); return;
    case Input::Kind::terms: f(TermSource{input.terms()}); return;
    case Input::Kind::document_batches: {
      std::size_t first = 0;
      for (;;) {
        Documents batch(nullptr, 0);
        if (!input.document_batches()(batch)) return;
        f(TextSource{batch, analyzer, first});
        first += batch.size();
      }
    }
    case Input::Kind::term_batches:
      for (;;) {
        TermLists batch;
        if (!input.term_batches()(batch)) return;
        f(TermSource{batch});
      }
  }
}

}  // namespace lexsim::detail
