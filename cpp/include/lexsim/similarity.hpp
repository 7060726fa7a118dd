#pragma once
// Cosine similarity between the rows of sparse matrices.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "lexsim/sparse.hpp"

namespace lexsim {

struct TopKOptions {
  std::int64_t k = 10;
  /// Keep only similarities strictly greater than this.
  std::optional<double> threshold;
  /// Worker threads; the result does not depend on it.
  int n_jobs = 1;
  /// true: cosine similarity (rows are L2-normalised on the fly). false: the raw dot product of
  /// the rows as given (e.g. BM25 query-term indicators against document term weights).
  bool normalize = true;
};

/// For each row of A, the k rows of B with the largest cosine similarity (rows are L2-normalised
/// on the fly; zero rows match nothing). Only non-zero similarities are stored. Ties go to the lower
/// row index of B. When B is null, B = A and each row's match with itself is left out.
/// Result: rows(A) x rows(B), column indices sorted within each row.
template <class T, class IndPtr, class Ind>
CsrMatrix<T> top_k(const CsrView<T, IndPtr, Ind>& A, const CsrView<T, IndPtr, Ind>* B,
                   const TopKOptions& options = {});

/// Convenience overloads on Eigen matrices.
SparseMatrix<double> top_k(const SparseMatrix<double>& A, const TopKOptions& options = {});
SparseMatrix<double> top_k(const SparseMatrix<double>& A, const SparseMatrix<double>& B,
                           const TopKOptions& options = {});

}  // namespace lexsim
