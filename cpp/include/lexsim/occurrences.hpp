#pragma once
// Where and how often each vocabulary term occurs in each document: the raw counts key terms are
// scored from, and the first positions their ties are broken by.

#include <cstdint>
#include <vector>

#include "lexsim/export.hpp"
#include "lexsim/analyzer.hpp"
#include "lexsim/sparse.hpp"
#include "lexsim/vocabulary.hpp"

namespace lexsim {

/// For each document and each vocabulary term in it: how often it occurs and where it first does.
///
/// A position counts the terms the analyzer produces for the document (stop words already removed,
/// terms out of the vocabulary included), from 0: the first term is at 0. With word n-grams the
/// sequence is scikit-learn's (all unigrams, then all bigrams...), so an n-gram's position comes
/// after every unigram's.
struct TermOccurrences {
  /// Raw counts (never binary), documents x vocabulary, columns increasing within a row.
  CsrMatrix<std::int64_t> counts;
  /// Aligned with counts.data: the position of the term's first occurrence in the document.
  std::vector<std::int64_t> first;
  /// Per document: how many terms the analyzer produced, in the vocabulary or not.
  std::vector<std::int64_t> lengths;
};

/// Analyses every document once (n_jobs threads; the result does not depend on it).
LEXSIM_API TermOccurrences term_occurrences(const Analyzer& analyzer, const Vocabulary& vocabulary,
                                            const Documents& docs, int n_jobs = 1);
/// The same for documents already analysed into terms.
LEXSIM_API TermOccurrences term_occurrences(const Vocabulary& vocabulary, const TermLists& docs, int n_jobs = 1);

}  // namespace lexsim
