#pragma once
// The top-k kernel over prepared postings, shared by TopKIndex and SearchIndex (whose postings may
// lie in a mapped file).

#include <cstdint>

#include "lexsim/similarity.hpp"
#include "lexsim/sparse.hpp"
#include "rows.hpp"

namespace lexsim::detail {

/// top_k(A, &B, options) for a B of b_rows x b_cols prepared as `post` (rows already scaled as the
/// caller wants them; options.normalize applies to A only).
template <class T, class IndPtr, class Ind>
CsrMatrix<T> top_k_prepared(const CsrView<T, IndPtr, Ind>& A, const TopKOptions& options, const PostingsView<T>& post,
                            std::int64_t b_rows, std::int64_t b_cols);

}  // namespace lexsim::detail
