#pragma once
// Pruning a fit's counts to its vocabulary (min_df, max_df, max_features), and the reason when
// nothing is left (private).

#include <cstdint>
#include <string>
#include <vector>

#include "lexsim/corpus_counts.hpp"
#include "lexsim/vectorizer.hpp"

namespace lexsim::detail {

// The terms of a fit: ids of `counts` that pass min_df, max_df and max_features, in code-point
// (= UTF-8 byte) order. Empty, with the reason in `why`, when none do: the reason names the values
// and the document count, then gives scikit-learn's message in parentheses.
std::vector<std::int32_t> select_terms(const CorpusCounts& counts, const CountOptions& o, std::string& why);

}  // namespace lexsim::detail
