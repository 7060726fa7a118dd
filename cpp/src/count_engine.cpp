#include "count_engine.hpp"

#include <algorithm>
#include <utility>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"
#include "analysis/pipeline.hpp"
#include "parallel.hpp"
#include "row_blocks.hpp"

namespace lexsim::detail {

bool TextSource::stable_views() const { return detail::pipeline_of(analyzer).stable_views(); }

template <class F>
void TextSource::terms(std::size_t i, F&& f) const {
  try {
    detail::pipeline_of(analyzer).each_term(docs[i], f);
  } catch (const UnicodeError& e) {
    throw UnicodeError("document " + std::to_string(first + i) + ": " + e.what(), first + i, e.byte_offset());
  }
}

namespace {

// Per-document counting with a dense counter and a list of the ids touched.
struct RowCounter {
  std::vector<std::int64_t> counts;
  std::vector<std::int32_t> touched;
  void add(std::int32_t id) {
    const auto i = static_cast<std::size_t>(id);
    if (i >= counts.size()) counts.resize(std::max<std::size_t>(i + 1, counts.size() * 2), 0);
    if (counts[i]++ == 0) touched.push_back(id);
  }
  template <class T>
  void flush(CsrMatrix<T>& m, bool binary) {
    std::sort(touched.begin(), touched.end());
    for (auto id : touched) {
      auto& c = counts[static_cast<std::size_t>(id)];
      m.indices.push_back(id);
      m.data.push_back(binary ? T(1) : static_cast<T>(c));
      c = 0;
    }
    touched.clear();
    m.indptr.push_back(static_cast<std::int64_t>(m.indices.size()));
  }
};

// Document frequency and total count of a term, side by side (one cache miss for both).
struct TermTally {
  std::int64_t df = 0;
  std::int64_t total = 0;
};

// Ends a row of a fit: adds its terms to the tallies (exact int64 counts, whatever T is) and, when
// rows are kept, appends the row unsorted (it is renumbered and sorted once the vocabulary is known).
template <bool KeepRows, class T>
void flush_fit(RowCounter& counter, CsrMatrix<T>& m, bool binary, std::vector<TermTally>& tally) {
  if (tally.size() < counter.counts.size()) tally.resize(counter.counts.size());
  for (auto id : counter.touched) {
    auto& c = counter.counts[static_cast<std::size_t>(id)];
    auto& t = tally[static_cast<std::size_t>(id)];
    ++t.df;
    t.total += binary ? 1 : c;
    if constexpr (KeepRows) {
      m.indices.push_back(id);
      m.data.push_back(binary ? T(1) : static_cast<T>(c));
    }
    c = 0;
  }
  counter.touched.clear();
  if constexpr (KeepRows) m.indptr.push_back(static_cast<std::int64_t>(m.indices.size()));
}

// One worker's share of a batch: its documents counted with the worker's own term ids.
template <class T>
struct FitPart {
  Vocabulary vocab;
  CsrMatrix<T> m;  // kept rows: column indices are local term ids, rows not sorted yet
  std::vector<TermTally> tally;
};

// Terms per prefetching vocabulary batch: enough to hide the probes' cache misses, few enough
// that a huge document does not hold a view per token (16 bytes each) at once.
constexpr std::size_t kTermBatch = 4096;

template <bool KeepRows, class T, class Source>
void count_rows(const Source& source, std::int64_t begin, std::int64_t end, bool binary, bool poll,
                const detail::StopToken& stop, FitPart<T>& part) {
  if constexpr (KeepRows) {
    part.m.rows = end - begin;
    part.m.indptr.reserve(static_cast<std::size_t>(end - begin) + 1);
    const std::size_t guess = source.bytes(begin, end) / 5 + 16;  // about one distinct term per 5 bytes
    part.m.indices.reserve(guess);
    part.m.data.reserve(guess);
  }
  RowCounter counter;
  std::vector<std::string_view> terms;
  std::vector<std::int32_t> ids;
  const bool batch = source.stable_views();
  for (auto i = begin; i < end; ++i) {
    if (poll) detail::poll_interrupt();
    if (stop.requested()) return;
    if (batch) {  // the document's terms in batches, each inserted with prefetching
      auto insert = [&] {
        ids.resize(terms.size());
        part.vocab.insert_many(terms.data(), terms.size(), ids.data());
        for (auto id : ids) counter.add(id);
        terms.clear();
      };
      source.terms(static_cast<std::size_t>(i), [&](std::string_view t) {
        terms.push_back(t);
        if (terms.size() == kTermBatch) insert();
      });
      insert();
    } else {
      source.terms(static_cast<std::size_t>(i), [&](std::string_view t) { counter.add(part.vocab.insert(t)); });
    }
    flush_fit<KeepRows>(counter, part.m, binary, part.tally);
  }
  detail::trim_scratch();
  part.tally.resize(part.vocab.size());
}

}  // namespace

template <class T, class Source>
void count_batch(const Source& source, CorpusCounts& counts, bool binary, int n_jobs, std::vector<Piece<T>>* pieces) {
  const auto n_doc = static_cast<std::int64_t>(source.size());
  const int workers = detail::resolve_jobs(n_jobs, n_doc / 256 + 1);
  std::vector<FitPart<T>> parts(static_cast<std::size_t>(workers));
  detail::parallel_blocks(n_doc, workers,
                          [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
                            auto& part = parts[static_cast<std::size_t>(w)];
                            if (pieces != nullptr) {
                              count_rows<true>(source, begin, end, binary, /*poll=*/w == 0, stop, part);
                            } else {
                              count_rows<false>(source, begin, end, binary, /*poll=*/w == 0, stop, part);
                            }
                          });

  Vocabulary& terms = CountsAccess::terms(counts);
  auto& df = CountsAccess::df(counts);
  auto& total = CountsAccess::total(counts);
  auto split_tally = [](const std::vector<TermTally>& tally, std::vector<std::int64_t>& d,
                        std::vector<std::int64_t>& t) {
    d.resize(tally.size());
    t.resize(tally.size());
    for (std::size_t j = 0; j < tally.size(); ++j) {
      d[j] = tally[j].df;
      t[j] = tally[j].total;
    }
  };
  if (counts.empty() && parts.size() == 1) {  // the worker's ids become the counts' ids
    terms = std::move(parts[0].vocab);
    split_tally(parts[0].tally, df, total);
    if (pieces != nullptr) pieces->push_back({std::move(parts[0].m), {}});
  } else {
    // One id per distinct term, in order of workers, then of first appearance.
    if (counts.empty()) terms.reserve(parts[0].vocab.size() + parts[0].vocab.size() / 4);
    std::vector<std::string_view> views;
    for (auto& part : parts) {
      std::vector<std::int32_t> to_counts(part.vocab.size());
      for (std::size_t begin = 0; begin < to_counts.size(); begin += kTermBatch) {
        const std::size_t end = std::min(to_counts.size(), begin + kTermBatch);
        views.clear();
        for (std::size_t lid = begin; lid < end; ++lid)
          views.push_back(part.vocab.term(static_cast<std::int32_t>(lid)));
        terms.insert_many(views.data(), views.size(), to_counts.data() + begin);
      }
      df.resize(terms.size(), 0);
      total.resize(terms.size(), 0);
      for (std::size_t lid = 0; lid < to_counts.size(); ++lid) {
        const auto gid = static_cast<std::size_t>(to_counts[lid]);
        df[gid] += part.tally[lid].df;
        total[gid] += part.tally[lid].total;
      }
      part.vocab = Vocabulary();
      part.tally = {};
      if (pieces != nullptr) pieces->push_back({std::move(part.m), std::move(to_counts)});
    }
  }
  CountsAccess::n_documents(counts) += n_doc;
}

template <class T, class Source>
void count_known(const Source& source, const Vocabulary& vocabulary, bool binary, int n_jobs,
                 std::vector<CsrMatrix<T>>& out) {
  const auto n_doc = static_cast<std::int64_t>(source.size());
  const int workers = jobs_for(n_jobs, source.size());
  const std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(workers));
  detail::parallel_blocks(n_doc, workers,
                          [&](int w, std::int64_t begin, std::int64_t end, const detail::StopToken& stop) {
                            CsrMatrix<T>& m = out[at + static_cast<std::size_t>(w)];
                            m.rows = end - begin;
                            m.indptr.reserve(static_cast<std::size_t>(end - begin) + 1);
                            RowCounter counter;
                            counter.counts.assign(vocabulary.size(), 0);
                            std::vector<std::string_view> terms;
                            std::vector<std::int32_t> ids;
                            std::vector<std::uint64_t> hashes;
                            const bool batch = source.stable_views();
                            for (auto i = begin; i < end; ++i) {
                              if (w == 0) detail::poll_interrupt();
                              if (stop.requested()) return;
                              if (batch) {  // the document's terms in batches, each looked up with prefetching
                                auto lookup = [&] {
                                  ids.resize(terms.size());
                                  vocabulary.find_many(terms.data(), terms.size(), ids.data(), hashes);
                                  for (auto id : ids)
                                    if (id >= 0) counter.add(id);
                                  terms.clear();
                                };
                                source.terms(static_cast<std::size_t>(i), [&](std::string_view t) {
                                  terms.push_back(t);
                                  if (terms.size() == kTermBatch) lookup();
                                });
                                lookup();
                              } else {
                                source.terms(static_cast<std::size_t>(i), [&](std::string_view t) {
                                  const auto id = vocabulary.find(t);
                                  if (id >= 0) counter.add(id);
                                });
                              }
                              counter.flush(m, binary);
                            }
                            detail::trim_scratch();
                          });
}

// A row is sorted as 8-byte keys (new id, position in the row), which moves half the bytes of pairs.
template <class T>
void renumber_rows(CsrMatrix<T>& m, const std::vector<std::int32_t>& map) {
  std::vector<std::uint64_t> keys;
  std::vector<T> values;
  std::size_t w = 0;
  for (std::int64_t r = 0; r < m.rows; ++r) {
    const auto b = static_cast<std::size_t>(m.indptr[static_cast<std::size_t>(r)]);
    const auto e = static_cast<std::size_t>(m.indptr[static_cast<std::size_t>(r) + 1]);
    keys.clear();
    for (std::size_t k = b; k < e; ++k) {
      const auto id = map[static_cast<std::size_t>(m.indices[k])];
      if (id >= 0) keys.push_back((static_cast<std::uint64_t>(id) << 32) | static_cast<std::uint32_t>(k - b));
    }
    std::sort(keys.begin(), keys.end());
    values.assign(m.data.begin() + static_cast<std::ptrdiff_t>(b), m.data.begin() + static_cast<std::ptrdiff_t>(e));
    m.indptr[static_cast<std::size_t>(r)] = static_cast<std::int64_t>(w);
    for (const auto key : keys) {
      m.indices[w] = static_cast<std::int32_t>(key >> 32);
      m.data[w] = values[key & 0xFFFFFFFFu];
      ++w;
    }
  }
  m.indptr[static_cast<std::size_t>(m.rows)] = static_cast<std::int64_t>(w);
  // No shrink_to_fit: it would copy both arrays; the unused tail was never touched, so it costs
  // address space, not memory.
  m.indices.resize(w);
  m.data.resize(w);
}

#define LEXSIM_ENGINE_INSTANTIATE(T)                                                                             \
  template void count_batch<T, TextSource>(const TextSource&, CorpusCounts&, bool, int, std::vector<Piece<T>>*); \
  template void count_batch<T, TermSource>(const TermSource&, CorpusCounts&, bool, int, std::vector<Piece<T>>*); \
  template void count_known<T, TextSource>(const TextSource&, const Vocabulary&, bool, int,                      \
                                           std::vector<CsrMatrix<T>>&);                                          \
  template void count_known<T, TermSource>(const TermSource&, const Vocabulary&, bool, int,                      \
                                           std::vector<CsrMatrix<T>>&);                                          \
  template void renumber_rows<T>(CsrMatrix<T>&, const std::vector<std::int32_t>&);
LEXSIM_ENGINE_INSTANTIATE(std::int32_t)
LEXSIM_ENGINE_INSTANTIATE(std::int64_t)
LEXSIM_ENGINE_INSTANTIATE(float)
LEXSIM_ENGINE_INSTANTIATE(double)
#undef LEXSIM_ENGINE_INSTANTIATE

}  // namespace lexsim::detail
