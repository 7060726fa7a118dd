// term_occurrences: counts and first positions of vocabulary terms, one analysis per document.
#include "lexsim/occurrences.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "lexsim/interrupt.hpp"
#include "analysis/pipeline.hpp"
#include "parallel.hpp"

namespace lexsim {
namespace {

// One worker's rows, merged in order at the end.
struct Block {
  std::vector<std::int64_t> row_nnz, lengths, counts, first;
  std::vector<std::int32_t> indices;
};

// Collects one document's terms: slot[column] is the entry of the column in this row, or -1.
struct RowBuilder {
  std::vector<std::int32_t> slot;
  std::vector<std::int32_t> cols;
  std::vector<std::int64_t> count, first;
  std::int64_t position = 0;

  explicit RowBuilder(std::size_t n_cols) : slot(n_cols, -1) {}

  void add(std::int32_t col) {
    if (col >= 0) {
      std::int32_t& e = slot[static_cast<std::size_t>(col)];
      if (e < 0) {
        e = static_cast<std::int32_t>(cols.size());
        cols.push_back(col);
        count.push_back(1);
        first.push_back(position);
      } else {
        ++count[static_cast<std::size_t>(e)];
      }
    }
    ++position;
  }

  void finish(Block& out) {
    std::vector<std::int32_t> order(cols.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<std::int32_t>(k);
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
      return cols[static_cast<std::size_t>(a)] < cols[static_cast<std::size_t>(b)];
    });
    for (const std::int32_t k : order) {
      const auto u = static_cast<std::size_t>(k);
      out.indices.push_back(cols[u]);
      out.counts.push_back(count[u]);
      out.first.push_back(first[u]);
      slot[static_cast<std::size_t>(cols[u])] = -1;
    }
    out.row_nnz.push_back(static_cast<std::int64_t>(cols.size()));
    out.lengths.push_back(position);
    cols.clear();
    count.clear();
    first.clear();
    position = 0;
  }
};

template <class EachDoc>
TermOccurrences collect(const Vocabulary& vocabulary, std::int64_t n_docs, int n_jobs, EachDoc&& each_doc) {
  const int workers = detail::resolve_jobs(n_jobs, n_docs);
  std::vector<Block> blocks(static_cast<std::size_t>(workers));
  detail::parallel_blocks(n_docs, workers,
                          [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
                            Block& out = blocks[static_cast<std::size_t>(w)];
                            RowBuilder row(vocabulary.size());
                            for (std::int64_t d = begin; d < end; ++d) {
                              if (w == 0 && (d & 255) == 0) detail::poll_interrupt();
                              if (stop.requested()) return;
                              each_doc(d, [&](std::string_view term) { row.add(vocabulary.find(term)); });
                              row.finish(out);
                            }
                            if (w != 0) return;
                            detail::trim_scratch();
                          });
  TermOccurrences r;
  r.counts.rows = n_docs;
  r.counts.cols = static_cast<std::int64_t>(vocabulary.size());
  for (auto& b : blocks) {
    for (const auto k : b.row_nnz) r.counts.indptr.push_back(r.counts.indptr.back() + k);
    r.counts.indices.insert(r.counts.indices.end(), b.indices.begin(), b.indices.end());
    r.counts.data.insert(r.counts.data.end(), b.counts.begin(), b.counts.end());
    r.first.insert(r.first.end(), b.first.begin(), b.first.end());
    r.lengths.insert(r.lengths.end(), b.lengths.begin(), b.lengths.end());
  }
  return r;
}

}  // namespace

TermOccurrences term_occurrences(const Analyzer& analyzer, const Vocabulary& vocabulary, const Documents& docs,
                                 int n_jobs) {
  const detail::Pipeline& pipeline = detail::pipeline_of(analyzer);
  return collect(vocabulary, static_cast<std::int64_t>(docs.size()), n_jobs,
                 [&](std::int64_t d, auto&& add) { pipeline.each_term(docs[static_cast<std::size_t>(d)], add); });
}

TermOccurrences term_occurrences(const Vocabulary& vocabulary, const TermLists& docs, int n_jobs) {
  return collect(vocabulary, static_cast<std::int64_t>(docs.size()), n_jobs, [&](std::int64_t d, auto&& add) {
    for (const std::string_view t : docs[static_cast<std::size_t>(d)]) add(t);
  });
}

}  // namespace lexsim
