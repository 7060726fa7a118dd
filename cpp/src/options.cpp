#include "options.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "lexsim/enums.hpp"
#include "lexsim/errors.hpp"

namespace lexsim::detail {
namespace {

std::string describe_df(const char* name, const DocFrequency& d) {
  // A count prints as an integer only when it is one that long long holds: casting NaN, inf or
  // -1e300 to an integer is undefined behaviour, and those are exactly the values reported here.
  const bool integral = !d.is_proportion && std::abs(d.value) < 1e18 && d.value == std::trunc(d.value);
  return std::string(name) + "=" +
         (integral ? std::to_string(static_cast<long long>(d.value)) : std::to_string(d.value));
}

// ---- comparing options for merge: the first option that differs, with both values

std::string show(bool b) { return b ? "true" : "false"; }
std::string show(const std::string& s) { return "'" + s + "'"; }
std::string show(const DocFrequency& d) {
  return d.is_proportion ? std::to_string(d.value) + " (a proportion)"
                         : std::to_string(static_cast<long long>(d.value)) + " (documents)";
}
std::string show(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "none"; }
std::string show(const std::optional<std::string>& v) { return v ? show(*v) : "none"; }
std::string show(const std::pair<int, int>& r) {
  return "(" + std::to_string(r.first) + ", " + std::to_string(r.second) + ")";
}
std::string show(const std::optional<std::vector<std::string>>& v) {
  return v ? std::to_string(v->size()) + " terms" : "none";
}
template <class E>
std::string show_enum(E e) {
  return std::string(to_string(e));
}

bool same(const DocFrequency& a, const DocFrequency& b) {
  return a.value == b.value && a.is_proportion == b.is_proportion;
}
template <class V>
bool same(const V& a, const V& b) {
  return a == b;
}

struct OptionDiff {
  std::string message;
  template <class V>
  void check(const char* name, const V& a, const V& b) {
    if (message.empty() && !same(a, b)) message = std::string(name) + " (" + show(a) + " vs " + show(b) + ")";
  }
  template <class E>
  void check_enum(const char* name, E a, E b) {
    if (message.empty() && a != b) message = std::string(name) + " (" + show_enum(a) + " vs " + show_enum(b) + ")";
  }
};

}  // namespace

void validate(const CountOptions& o) {
  auto check = [](const char* name, const DocFrequency& d) {
    if (d.is_proportion ? !(d.value >= 0.0 && d.value <= 1.0) : !(d.value >= 1.0)) {
      throw InvalidArgument(
          "The '" + std::string(name) +
          "' parameter must be a float in the range [0.0, 1.0] or an int in the range [1, inf); got " +
          describe_df(name, d));
    }
  };
  check("min_df", o.min_df);
  check("max_df", o.max_df);
  if (o.max_features && *o.max_features < 1) {
    throw InvalidArgument("The 'max_features' parameter must be an int in the range [1, inf) or None; got " +
                          std::to_string(*o.max_features));
  }
  if (o.vocabulary && o.vocabulary->empty()) throw InvalidArgument("empty vocabulary passed to fit");
  if (o.n_jobs == 0 || o.n_jobs < -1)
    throw InvalidArgument("n_jobs must be a positive integer or -1; got " + std::to_string(o.n_jobs));
}

std::string count_options_diff(const CountOptions& a, const CountOptions& b) {
  OptionDiff d;
  const auto &x = a.analysis, &y = b.analysis;
  d.check_enum("analyzer", x.analyzer, y.analyzer);
  d.check_enum("decode_error", x.decode_error, y.decode_error);
  d.check_enum("normalization", x.normalization, y.normalization);
  d.check("casefold", x.casefold, y.casefold);
  d.check("lowercase", x.lowercase, y.lowercase);
  d.check_enum("strip_accents", x.strip_accents, y.strip_accents);
  d.check("token_pattern", x.token_pattern, y.token_pattern);
  if (d.message.empty() && x.stop_words != y.stop_words) d.message = "stop_words";
  d.check("ngram_range", x.ngram_range, y.ngram_range);
  d.check("stemmer", x.stemmer, y.stemmer);
  d.check("min_df", a.min_df, b.min_df);
  d.check("max_df", a.max_df, b.max_df);
  d.check("max_features", a.max_features, b.max_features);
  if (d.message.empty() && a.vocabulary != b.vocabulary)
    d.message = "vocabulary (" + show(a.vocabulary) + " vs " + show(b.vocabulary) + ")";
  d.check("binary", a.binary, b.binary);
  return d.message;
}

std::string weighting_diff(const TfidfWeighting& a, const TfidfWeighting& b) {
  OptionDiff d;
  d.check_enum("norm", a.norm, b.norm);
  d.check("use_idf", a.use_idf, b.use_idf);
  d.check("smooth_idf", a.smooth_idf, b.smooth_idf);
  d.check("sublinear_tf", a.sublinear_tf, b.sublinear_tf);
  return d.message;
}

}  // namespace lexsim::detail
