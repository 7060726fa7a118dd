#pragma once
// The one tie rule of ranked results: the higher score first, ties to the lower index (column or
// document). Every ranked result orders by it: ranked_order, merge_top_k, SearchIndex's ranked(),
// top_k's heaps, group's top terms, top_terms and explain.

namespace lexsim::detail {

template <class T, class I>
constexpr bool ranks_before(T score_a, I index_a, T score_b, I index_b) noexcept {
  return score_a > score_b || (score_a == score_b && index_a < index_b);
}

}  // namespace lexsim::detail
