#include "pruning.hpp"

#include <algorithm>
#include <cstdio>

#include "lexsim/vocabulary.hpp"

namespace lexsim::detail {
namespace {

// A number as people read it: 6 significant digits; a proportion keeps a decimal point ("1.0"),
// as Python prints the float the user gave.
std::string number_text(double v, bool is_proportion) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  std::string out(buf);
  if (is_proportion && out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

std::string df_text(const char* name, const DocFrequency& d) {
  return std::string(name) + "=" + number_text(d.value, d.is_proportion);
}

std::string documents_text(std::int64_t n) { return std::to_string(n) + (n == 1 ? " document" : " documents"); }

}  // namespace

std::vector<std::int32_t> select_terms(const CorpusCounts& counts, const CountOptions& o, std::string& why) {
  const std::size_t n_seen = counts.size();
  if (n_seen == 0) {
    why = "empty vocabulary; perhaps the documents only contain stop words";
    return {};
  }
  const auto n_doc = static_cast<double>(counts.n_documents());
  const double high = o.max_df.is_proportion ? o.max_df.value * n_doc : o.max_df.value;
  const double low = o.min_df.is_proportion ? o.min_df.value * n_doc : o.min_df.value;
  const std::string min_df = df_text("min_df", o.min_df), max_df = df_text("max_df", o.max_df);
  const std::string corpus = "the corpus has " + documents_text(counts.n_documents());
  if (high < low) {
    if (low > n_doc) {
      why = min_df + " keeps no terms: " + corpus + " (max_df corresponds to < documents than min_df)";
    } else {
      why = max_df + " keeps no terms: it allows at most " + number_text(high, false) + " documents, " + min_df +
            " asks for at least " + number_text(low, false) + "; " + corpus +
            " (max_df corresponds to < documents than min_df)";
    }
    return {};
  }
  const auto& df = counts.document_frequencies();
  const auto& total = counts.total_counts();
  const Vocabulary& terms = counts.terms();
  std::vector<std::int32_t> kept;
  kept.reserve(n_seen);
  for (std::size_t j = 0; j < n_seen; ++j) {
    const auto d = static_cast<double>(df[j]);
    if (d <= high && d >= low) kept.push_back(static_cast<std::int32_t>(j));
  }
  std::sort(kept.begin(), kept.end(), [&](std::int32_t a, std::int32_t b) { return terms.term(a) < terms.term(b); });
  if (o.max_features && static_cast<std::int64_t>(kept.size()) > *o.max_features) {
    // Highest total count first; equal counts keep code-point order (a stable sort).
    std::vector<std::int32_t> by_count = kept;
    std::stable_sort(by_count.begin(), by_count.end(), [&](std::int32_t a, std::int32_t b) {
      return total[static_cast<std::size_t>(a)] > total[static_cast<std::size_t>(b)];
    });
    by_count.resize(static_cast<std::size_t>(*o.max_features));
    std::vector<char> chosen(n_seen, 0);
    for (auto j : by_count) chosen[static_cast<std::size_t>(j)] = 1;
    kept.erase(
        std::remove_if(kept.begin(), kept.end(), [&](std::int32_t j) { return !chosen[static_cast<std::size_t>(j)]; }),
        kept.end());
  }
  if (kept.empty()) {
    why = low > n_doc ? min_df + " keeps no terms: " + corpus
                      : min_df + " and " + max_df + " keep no terms: none is in " + number_text(low, false) + " to " +
                            number_text(high, false) + " of the corpus's " + documents_text(counts.n_documents());
    why += " (After pruning, no terms remain. Try a lower min_df or a higher max_df.)";
  }
  return kept;
}

}  // namespace lexsim::detail
