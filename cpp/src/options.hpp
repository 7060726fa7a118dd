#pragma once
// The vectorizers' options (private): validation with scikit-learn's messages, and the comparison
// that merge reports (the first option that differs, with both values).

#include <string>

#include "lexsim/tfidf.hpp"
#include "lexsim/vectorizer.hpp"

namespace lexsim::detail {

/// Throws InvalidArgument naming the first invalid value.
void validate(const CountOptions& o);
/// "" when equal, except n_jobs (which merge ignores); else "name (a vs b)" of the first that differs.
std::string count_options_diff(const CountOptions& a, const CountOptions& b);
/// The same for norm, use_idf, smooth_idf and sublinear_tf.
std::string weighting_diff(const TfidfWeighting& a, const TfidfWeighting& b);

}  // namespace lexsim::detail
