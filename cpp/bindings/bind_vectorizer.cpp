// CountVectorizer and TfidfVectorizer. Results leave as (data, indices, indptr, shape) tuples of
// capsule-owned arrays; the Python layer assembles the scipy matrix.
#include <pybind11/stl.h>

#include <memory>
#include <optional>

#include "gil.hpp"
#include "module.hpp"
#include "numpy_out.hpp"
#include "text_in.hpp"
#include "enum_names.hpp"
#include "lexsim/occurrences.hpp"
#include "lexsim/vectorizer.hpp"

namespace lexsim::bindings {
namespace {

// Batches pulled from a Python callable: next() returns the next batch as a list (of str/bytes, or
// of lists of str for pre-analysed documents) or None at the end. Called by the core without the
// GIL, so it takes it; the current batch stays alive until the next call. Destroy with the GIL held.
template <class Batch>
struct PythonBatches {
  py::object next;
  std::unique_ptr<Batch> current;
  bool pull() {
    py::gil_scoped_acquire gil;
    current.reset();
    py::object got = next();
    if (got.is_none()) return false;
    if (!PyList_Check(got.ptr()))
      throw py::type_error("a batch must be a list, got " + std::string(Py_TYPE(got.ptr())->tp_name));
    current = std::make_unique<Batch>(py::reinterpret_borrow<py::list>(got));
    return true;
  }
  DocumentBatches documents() {
    return [this](Documents& batch) {
      if (!pull()) return false;
      batch = current->docs();
      return true;
    };
  }
  TermBatches terms() {
    return [this](TermLists& batch) {
      if (!pull()) return false;
      batch = std::move(current->lists);  // views into current->text, which stays
      return true;
    };
  }
};

// One call's input from Python, with what keeps its text alive, as the core's Input: documents (a
// list of str/bytes, or ArrowDocuments), term lists (a list of lists of str), or a callable that
// returns batches of either. Made and destroyed with the GIL held; neither copied nor moved (the
// batch callbacks point into it).
class PyInput {
 public:
  PyInput(py::object obj, Input::Kind kind) {
    switch (kind) {
      case Input::Kind::documents:
        text_ = std::make_unique<TextBatch>(obj);
        input_.emplace(text_->docs());
        break;
      case Input::Kind::terms:
        terms_ = std::make_unique<TermBatch>(py::reinterpret_borrow<py::list>(obj));
        input_.emplace(terms_->lists);
        break;
      case Input::Kind::document_batches:
        text_batches_ = std::make_unique<PythonBatches<TextBatch>>(PythonBatches<TextBatch>{std::move(obj), {}});
        doc_next_ = text_batches_->documents();
        input_.emplace(doc_next_);
        break;
      case Input::Kind::term_batches:
        term_batches_ = std::make_unique<PythonBatches<TermBatch>>(PythonBatches<TermBatch>{std::move(obj), {}});
        term_next_ = term_batches_->terms();
        input_.emplace(term_next_);
        break;
    }
  }
  PyInput(const PyInput&) = delete;
  PyInput& operator=(const PyInput&) = delete;
  const Input& input() const { return *input_; }

 private:
  std::unique_ptr<TextBatch> text_;
  std::unique_ptr<TermBatch> terms_;
  std::unique_ptr<PythonBatches<TextBatch>> text_batches_;
  std::unique_ptr<PythonBatches<TermBatch>> term_batches_;
  DocumentBatches doc_next_;
  TermBatches term_next_;
  std::optional<Input> input_;
};

Input::Kind batches_of(bool terms) { return terms ? Input::Kind::term_batches : Input::Kind::document_batches; }

// A fit state's counts for Python, in code-point order: the terms' UTF-8 bytes back to back, the
// byte length of each, document frequencies, total counts, number of documents.
py::tuple counts_to_python(const CorpusCounts& counts) {
  const CorpusCounts c = counts.canonical();
  std::string blob;
  std::vector<std::int64_t> lengths(c.size());
  std::size_t bytes = 0;
  for (std::size_t j = 0; j < c.size(); ++j) bytes += c.terms().term(static_cast<std::int32_t>(j)).size();
  blob.reserve(bytes);
  for (std::size_t j = 0; j < c.size(); ++j) {
    const auto t = c.terms().term(static_cast<std::int32_t>(j));
    blob.append(t.data(), t.size());
    lengths[j] = static_cast<std::int64_t>(t.size());
  }
  return py::make_tuple(py::bytes(blob), move_to_numpy(std::move(lengths)),
                        move_to_numpy(std::vector<std::int64_t>(c.document_frequencies())),
                        move_to_numpy(std::vector<std::int64_t>(c.total_counts())), c.n_documents());
}

CorpusCounts counts_from_python(const py::bytes& blob, const std::vector<std::int64_t>& lengths,
                                std::vector<std::int64_t> df, std::vector<std::int64_t> total,
                                std::int64_t n_documents) {
  const std::string_view bytes = blob;
  std::vector<std::string> terms;
  terms.reserve(lengths.size());
  std::size_t at = 0;
  for (std::size_t j = 0; j < lengths.size(); ++j) {
    if (lengths[j] < 0 || static_cast<std::uint64_t>(lengths[j]) > bytes.size() - at)
      throw py::value_error("corpus counts: term " + std::to_string(j) +
                            " has a length past the end of the terms' bytes");
    terms.emplace_back(bytes.substr(at, static_cast<std::size_t>(lengths[j])));
    at += static_cast<std::size_t>(lengths[j]);
  }
  if (at != bytes.size()) throw py::value_error("corpus counts: the term lengths do not add up to the terms' bytes");
  return CorpusCounts(terms, std::move(df), std::move(total), n_documents);
}

enum class DType { int32, int64, float32, float64 };

DType parse_dtype(const std::string& name) {
  if (name == "int32") return DType::int32;
  if (name == "int64") return DType::int64;
  if (name == "float32") return DType::float32;
  if (name == "float64") return DType::float64;
  throw py::value_error("unsupported dtype '" + name + "' (int32, int64, float32 or float64)");
}

// Runs fn<T>() without the GIL and returns the matrix for Python.
template <bool FloatOnly, class Fn>
py::tuple run_typed(DType dtype, Fn&& fn) {
  auto go = [&](auto tag) {
    using T = decltype(tag);
    CsrMatrix<T> m = without_gil([&] { return fn(tag); });
    return csr_to_python(std::move(m));
  };
  switch (dtype) {
    case DType::float32: return go(float{});
    case DType::float64: return go(double{});
    case DType::int32:
    case DType::int64:
      if constexpr (!FloatOnly) return dtype == DType::int32 ? go(std::int32_t{}) : go(std::int64_t{});
      break;
  }
  throw py::value_error("TfidfVectorizer supports float32 and float64 only");
}

// Each entry point once, on any input: the Python methods below differ only in the input kind.
template <bool FloatOnly, class V>
py::tuple fit_transform_input(V& v, const PyInput& in, const std::string& dtype) {
  return run_typed<FloatOnly>(parse_dtype(dtype),
                              [&](auto tag) { return v.template fit_transform_csr<decltype(tag)>(in.input()); });
}

template <bool FloatOnly, class V>
py::tuple transform_input(const V& v, const PyInput& in, const std::string& dtype) {
  return run_typed<FloatOnly>(parse_dtype(dtype),
                              [&](auto tag) { return v.template transform_csr<decltype(tag)>(in.input()); });
}

template <class V>
void fit_input(V& v, const PyInput& in) {
  without_gil([&] { v.fit(in.input()); });
}

template <class V>
void partial_fit_input(V& v, const PyInput& in) {
  without_gil([&] { v.partial_fit(in.input()); });
}

// The same method set on both vectorizers; Tfidf accepts float dtypes only.
template <bool FloatOnly, class V>
void bind_common(py::class_<V>& cls) {
  using K = Input::Kind;
  cls.def(
         "fit_transform",
         [](V& v, const py::object& docs, const std::string& dtype) {
           return fit_transform_input<FloatOnly>(v, PyInput(docs, K::documents), dtype);
         },
         py::arg("docs"), py::arg("dtype") = "float64")
      .def(
          "transform",
          [](const V& v, const py::object& docs, const std::string& dtype) {
            return transform_input<FloatOnly>(v, PyInput(docs, K::documents), dtype);
          },
          py::arg("docs"), py::arg("dtype") = "float64")
      .def(
          "fit_transform_terms",
          [](V& v, const py::list& docs, const std::string& dtype) {
            return fit_transform_input<FloatOnly>(v, PyInput(docs, K::terms), dtype);
          },
          py::arg("docs"), py::arg("dtype") = "float64")
      .def(
          "transform_terms",
          [](const V& v, const py::list& docs, const std::string& dtype) {
            return transform_input<FloatOnly>(v, PyInput(docs, K::terms), dtype);
          },
          py::arg("docs"), py::arg("dtype") = "float64")
      .def(
          "fit", [](V& v, const py::object& docs) { fit_input(v, PyInput(docs, K::documents)); }, py::arg("docs"))
      .def(
          "fit_terms", [](V& v, const py::list& docs) { fit_input(v, PyInput(docs, K::terms)); }, py::arg("docs"))
      .def(
          "partial_fit", [](V& v, const py::object& docs) { partial_fit_input(v, PyInput(docs, K::documents)); },
          py::arg("docs"))
      .def(
          "partial_fit_terms", [](V& v, const py::list& docs) { partial_fit_input(v, PyInput(docs, K::terms)); },
          py::arg("docs"))
      .def(
          "merge", [](V& v, const V& other) { without_gil([&] { v.merge(other); }); }, py::arg("other"))
      .def_property_readonly("has_counts", [](const V& v) { return v.has_counts(); })
      .def(
          "counts_state", [](const V& v) { return counts_to_python(v.counts()); },
          "The fit's counts: (terms' UTF-8 bytes, their lengths, document frequencies, total counts, documents), "
          "terms in code-point order.")
      .def(
          "set_counts",
          [](V& v, const py::bytes& blob, const std::vector<std::int64_t>& lengths, std::vector<std::int64_t> df,
             std::vector<std::int64_t> total, std::int64_t n_documents) {
            v.set_counts(counts_from_python(blob, lengths, std::move(df), std::move(total), n_documents));
          },
          py::arg("terms"), py::arg("lengths"), py::arg("document_frequencies"), py::arg("total_counts"),
          py::arg("n_documents"))
      .def(
          "fit_batches",
          [](V& v, py::object next, bool terms) { fit_input(v, PyInput(std::move(next), batches_of(terms))); },
          py::arg("next"), py::arg("terms") = false)
      .def(
          "partial_fit_batches",
          [](V& v, py::object next, bool terms) { partial_fit_input(v, PyInput(std::move(next), batches_of(terms))); },
          py::arg("next"), py::arg("terms") = false)
      .def(
          "fit_transform_batches",
          [](V& v, py::object next, const std::string& dtype, bool terms) {
            return fit_transform_input<FloatOnly>(v, PyInput(std::move(next), batches_of(terms)), dtype);
          },
          py::arg("next"), py::arg("dtype") = "float64", py::arg("terms") = false)
      .def(
          "transform_batches",
          [](const V& v, py::object next, const std::string& dtype, bool terms) {
            return transform_input<FloatOnly>(v, PyInput(std::move(next), batches_of(terms)), dtype);
          },
          py::arg("next"), py::arg("dtype") = "float64", py::arg("terms") = false)
      .def(
          "occurrences",
          [](const V& v, const py::object& docs, bool terms) {
            TermOccurrences r;
            if (terms) {
              if (!PyList_Check(docs.ptr())) throw py::type_error("analyzed documents must be a list of lists of str");
              TermBatch batch(py::reinterpret_borrow<py::list>(docs));
              r = without_gil([&] { return term_occurrences(v.vocabulary(), batch.lists, v.n_jobs()); });
            } else {
              TextBatch batch(docs);
              r = without_gil([&] { return term_occurrences(v.analyzer(), v.vocabulary(), batch.docs(), v.n_jobs()); });
            }
            return py::make_tuple(csr_to_python(std::move(r.counts)), move_to_numpy(std::move(r.first)),
                                  move_to_numpy(std::move(r.lengths)));
          },
          py::arg("docs"), py::arg("terms") = false,
          "Raw counts and first positions of the vocabulary's terms in each document: ((counts, indices, "
          "indptr, shape), first, lengths), first aligned with counts; lengths = terms per document.")
      .def_property_readonly("is_fitted", [](const V& v) { return v.is_fitted(); })
      .def_property(
          "n_jobs", [](const V& v) { return v.n_jobs(); }, [](V& v, int n) { v.set_n_jobs(n); })
      .def_property_readonly("n_documents", [](const V& v) { return v.n_documents(); })
      .def(
          "feature_names", [](const V& v) { return v.feature_names(); }, "Terms in column order.")
      .def("document_frequencies", [](const V& v) { return std::vector<std::int64_t>(v.document_frequencies()); })
      .def_property_readonly(
          "analyzer", [](const V& v) -> const Analyzer& { return v.analyzer(); },
          py::return_value_policy::reference_internal);
}

}  // namespace

void bind_vectorizer(py::module_& m) {
  py::class_<DocFrequency>(m, "DocFrequency")
      .def(py::init<>())
      .def_static("count", &DocFrequency::count)
      .def_static("proportion", &DocFrequency::proportion)
      .def_readwrite("value", &DocFrequency::value)
      .def_readwrite("is_proportion", &DocFrequency::is_proportion);

  bind_enum<Norm>(m, "Norm");

  py::class_<CountOptions>(m, "CountOptions")
      .def(py::init<>())
      .def_readwrite("analysis", &CountOptions::analysis)
      .def_readwrite("min_df", &CountOptions::min_df)
      .def_readwrite("max_df", &CountOptions::max_df)
      .def_readwrite("max_features", &CountOptions::max_features)
      .def_readwrite("vocabulary", &CountOptions::vocabulary)
      .def_readwrite("binary", &CountOptions::binary)
      .def_readwrite("n_jobs", &CountOptions::n_jobs);
  py::class_<TfidfOptions, CountOptions>(m, "TfidfOptions")
      .def(py::init<>())
      .def_readwrite("norm", &TfidfOptions::norm)
      .def_readwrite("use_idf", &TfidfOptions::use_idf)
      .def_readwrite("smooth_idf", &TfidfOptions::smooth_idf)
      .def_readwrite("sublinear_tf", &TfidfOptions::sublinear_tf);

  py::class_<CountVectorizer> count(m, "CountVectorizer", "Term counts (see lexsim.CountVectorizer).");
  count.def(py::init<CountOptions>(), py::arg("options"))
      .def("set_vocabulary", &CountVectorizer::set_vocabulary, py::arg("terms"), py::arg("n_documents"),
           py::arg("document_frequencies") = std::vector<std::int64_t>{});
  bind_common<false>(count);

  py::class_<TfidfVectorizer> tfidf(m, "TfidfVectorizer", "TF-IDF (see lexsim.TfidfVectorizer).");
  tfidf.def(py::init<TfidfOptions>(), py::arg("options"))
      .def("idf", [](const TfidfVectorizer& v) { return move_to_numpy(std::vector<double>(v.idf())); })
      .def("idf_float", [](const TfidfVectorizer& v) { return move_to_numpy(std::vector<float>(v.idf_float())); })
      .def("set_idf", &TfidfVectorizer::set_idf, py::arg("idf"))
      .def_property_readonly("idf_set_by_hand", &TfidfVectorizer::idf_set_by_hand)
      .def("set_state", &TfidfVectorizer::set_state, py::arg("terms"), py::arg("n_documents"), py::arg("idf"),
           py::arg("document_frequencies") = std::vector<std::int64_t>{});
  bind_common<true>(tfidf);
}

}  // namespace lexsim::bindings
