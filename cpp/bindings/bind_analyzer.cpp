// Analyzer, its options, and the Unicode helpers the Python parity tests use.
#include <pybind11/stl.h>

#include "module.hpp"
#include "text_in.hpp"
#include "enum_names.hpp"
#include "lexsim/analyzer.hpp"
#include "lexsim/errors.hpp"

namespace lexsim::bindings {
namespace {

std::string_view text_view(const py::handle& obj, std::string& hold) { return text_utf8(obj, hold, "text"); }

// Pickled state of AnalyzerOptions (and so of an Analyzer): a version, then every field, enums as
// ints. Analyzers must pickle because the callables build_analyzer() and friends return hold them,
// and joblib ships those to worker processes.
constexpr int kOptionsStateVersion = 1;
constexpr std::size_t kOptionsStateSize = 11;

py::tuple options_state(const AnalyzerOptions& o) {
  return py::make_tuple(kOptionsStateVersion, static_cast<int>(o.analyzer), static_cast<int>(o.decode_error),
                        static_cast<int>(o.normalization), o.casefold, o.lowercase, static_cast<int>(o.strip_accents),
                        o.token_pattern, o.stop_words, o.ngram_range, o.stemmer);
}

template <class E>
E enum_from_state(const py::tuple& t, std::size_t i, E last, const char* name) {
  const int v = t[i].cast<int>();
  if (v < 0 || v > static_cast<int>(last))
    throw py::value_error("AnalyzerOptions state: " + std::string(name) + " = " + std::to_string(v) +
                          " is out of range");
  return static_cast<E>(v);
}

AnalyzerOptions options_from_fields(const py::tuple& t) {
  if (t.size() != kOptionsStateSize || !py::isinstance<py::int_>(t[0]) || t[0].cast<int>() != kOptionsStateVersion)
    throw py::value_error("AnalyzerOptions state: expected a tuple of " + std::to_string(kOptionsStateSize) +
                          " starting with version " + std::to_string(kOptionsStateVersion) + ", got " +
                          py::repr(t).cast<std::string>());
  AnalyzerOptions o;
  o.analyzer = enum_from_state(t, 1, AnalyzerKind::char_wb, "analyzer");
  o.decode_error = enum_from_state(t, 2, DecodeError::ignore, "decode_error");
  o.normalization = enum_from_state(t, 3, Normalization::nfkc, "normalization");
  o.casefold = t[4].cast<bool>();
  o.lowercase = t[5].cast<bool>();
  o.strip_accents = enum_from_state(t, 6, StripAccents::unicode, "strip_accents");
  o.token_pattern = t[7].cast<std::string>();
  o.stop_words = t[8].cast<std::optional<std::vector<std::string>>>();
  o.ngram_range = t[9].cast<std::pair<int, int>>();
  o.stemmer = t[10].cast<std::optional<std::string>>();
  return o;
}

AnalyzerOptions options_from_state(const py::tuple& t) {
  try {
    return options_from_fields(t);
  } catch (const py::cast_error&) {  // a field of the wrong type: as clear a ValueError as the rest
    throw py::value_error("AnalyzerOptions state: a field has the wrong type in " + py::repr(t).cast<std::string>());
  }
}

}  // namespace

void bind_analyzer(py::module_& m) {
  bind_enum<DecodeError>(m, "DecodeError");
  bind_enum<StripAccents>(m, "StripAccents");
  // Python names in lower case ("NFC", the option's value, is the name in lexsim/enums.hpp).
  py::enum_<Normalization>(m, "Normalization")
      .value("none", Normalization::none)
      .value("nfc", Normalization::nfc)
      .value("nfkc", Normalization::nfkc);
  bind_enum<AnalyzerKind>(m, "AnalyzerKind");

  py::class_<AnalyzerOptions>(m, "AnalyzerOptions", "Text analysis options (defaults equal scikit-learn's).")
      .def(py::init<>())
      .def_readwrite("analyzer", &AnalyzerOptions::analyzer)
      .def_readwrite("decode_error", &AnalyzerOptions::decode_error)
      .def_readwrite("normalization", &AnalyzerOptions::normalization)
      .def_readwrite("casefold", &AnalyzerOptions::casefold)
      .def_readwrite("lowercase", &AnalyzerOptions::lowercase)
      .def_readwrite("strip_accents", &AnalyzerOptions::strip_accents)
      .def_readwrite("token_pattern", &AnalyzerOptions::token_pattern)
      .def_readwrite("stop_words", &AnalyzerOptions::stop_words)
      .def_readwrite("ngram_range", &AnalyzerOptions::ngram_range)
      .def_readwrite("stemmer", &AnalyzerOptions::stemmer)
      .def(py::pickle(&options_state, &options_from_state));

  py::class_<Token>(m, "Token", "A token and its [begin, end) offsets in the original text.")
      .def_readonly("text", &Token::text)
      .def_readonly("byte_begin", &Token::byte_begin)
      .def_readonly("byte_end", &Token::byte_end)
      .def_readonly("char_begin", &Token::char_begin)
      .def_readonly("char_end", &Token::char_end)
      .def("__repr__", [](const Token& t) {
        return "Token(" + py::repr(py::str(t.text)).cast<std::string>() + ", chars=" + std::to_string(t.char_begin) +
               ":" + std::to_string(t.char_end) + ", bytes=" + std::to_string(t.byte_begin) + ":" +
               std::to_string(t.byte_end) + ")";
      });

  py::class_<Analyzer>(m, "Analyzer", "Turns text into terms; immutable and thread-safe.")
      .def(py::init<AnalyzerOptions>(), py::arg("options"))
      .def_property_readonly("options", &Analyzer::options)
      // The options rebuild an equal analyzer (the constructor validates them again).
      .def(py::pickle([](const Analyzer& a) { return options_state(a.options()); },
                      [](const py::tuple& t) { return Analyzer(options_from_state(t)); }))
      .def(
          "analyze",
          [](const Analyzer& a, const py::object& text) {
            std::string hold;
            const auto v = text_view(text, hold);
            std::vector<std::string> out;
            {
              py::gil_scoped_release release;
              out = a.analyze(v);
            }
            return out;
          },
          py::arg("text"), "The terms of one document.")
      .def(
          "preprocess",
          [](const Analyzer& a, const py::object& text) {
            std::string hold;
            return a.preprocess(text_view(text, hold));
          },
          py::arg("text"), "The text after decoding, normalisation, case and accent handling.")
      .def(
          "tokenize",
          [](const Analyzer& a, const py::object& text) {
            std::string hold;
            return a.tokenize(text_view(text, hold));
          },
          py::arg("preprocessed"), "Word tokens of preprocessed text, as token_pattern finds them.")
      .def(
          "word_ngrams",
          [](const Analyzer& a, const std::vector<std::string>& tokens) {
            std::vector<std::string_view> views(tokens.begin(), tokens.end());
            struct Collect : TermSink {
              std::vector<std::string> out;
              void add(std::string_view t) override { out.emplace_back(t); }
            } sink;
            a.word_ngrams(views, sink);
            return sink.out;
          },
          py::arg("tokens"), "Stop-word removal and word n-grams over tokens.")
      .def(
          "tokens_with_offsets",
          [](const Analyzer& a, const py::object& text) {
            std::string hold;
            return a.tokens_with_offsets(text_view(text, hold));
          },
          py::arg("text"), "Word tokens with byte and code-point offsets into the original text.")
      .def_static("supports_token_pattern", &Analyzer::supports_token_pattern, py::arg("pattern"));

  m.def("english_stop_words", &english_stop_words, "scikit-learn's English stop-word list.");
  m.def("stemmers", &stemmers, "The Snowball stemming algorithms AnalyzerOptions.stemmer accepts.");
}

}  // namespace lexsim::bindings
