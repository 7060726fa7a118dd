// CountVectorizer and TfidfVectorizer. Results leave as (data, indices, indptr, shape) tuples of
// capsule-owned arrays; the Python layer assembles the scipy matrix.
#include <pybind11/stl.h>

#include "buffers.hpp"
#include "lexsim/vectorizer.hpp"

namespace lexsim::bindings {
namespace {

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
    case DType::float32:
      return go(float{});
    case DType::float64:
      return go(double{});
    case DType::int32:
    case DType::int64:
      if constexpr (!FloatOnly) return dtype == DType::int32 ? go(std::int32_t{}) : go(std::int64_t{});
      break;
  }
  throw py::value_error("TfidfVectorizer supports float32 and float64 only");
}

// The same method set on both vectorizers; Tfidf accepts float dtypes only.
template <bool FloatOnly, class V>
void bind_common(py::class_<V>& cls) {
  cls.def(
         "fit_transform",
         [](V& v, const py::list& docs, const std::string& dtype) {
           TextBatch batch(docs);
           return run_typed<FloatOnly>(parse_dtype(dtype), [&](auto tag) {
             return v.template fit_transform_csr<decltype(tag)>(batch.docs());
           });
         },
         py::arg("docs"), py::arg("dtype") = "float64")
      .def(
          "transform",
          [](const V& v, const py::list& docs, const std::string& dtype) {
            TextBatch batch(docs);
            return run_typed<FloatOnly>(parse_dtype(dtype), [&](auto tag) {
              return v.template transform_csr<decltype(tag)>(batch.docs());
            });
          },
          py::arg("docs"), py::arg("dtype") = "float64")
      .def(
          "fit_transform_terms",
          [](V& v, const py::list& docs, const std::string& dtype) {
            TermBatch batch(docs);
            return run_typed<FloatOnly>(parse_dtype(dtype), [&](auto tag) {
              return v.template fit_transform_terms<decltype(tag)>(batch.lists);
            });
          },
          py::arg("docs"), py::arg("dtype") = "float64")
      .def(
          "transform_terms",
          [](const V& v, const py::list& docs, const std::string& dtype) {
            TermBatch batch(docs);
            return run_typed<FloatOnly>(parse_dtype(dtype), [&](auto tag) {
              return v.template transform_terms<decltype(tag)>(batch.lists);
            });
          },
          py::arg("docs"), py::arg("dtype") = "float64")
      .def_property_readonly("is_fitted", [](const V& v) { return v.is_fitted(); })
      .def_property_readonly("n_documents", [](const V& v) { return v.n_documents(); })
      .def("feature_names", [](const V& v) { return v.feature_names(); }, "Terms in column order.")
      .def("document_frequencies", [](const V& v) { return std::vector<std::int64_t>(v.document_frequencies()); })
      .def_property_readonly(
          "analyzer", [](const V& v) -> const Analyzer& { return v.analyzer(); }, py::return_value_policy::reference_internal);
}

}  // namespace

void bind_vectorizer(py::module_& m) {
  py::class_<DocFrequency>(m, "DocFrequency")
      .def(py::init<>())
      .def_static("count", &DocFrequency::count)
      .def_static("proportion", &DocFrequency::proportion)
      .def_readwrite("value", &DocFrequency::value)
      .def_readwrite("is_proportion", &DocFrequency::is_proportion);
  py::enum_<Norm>(m, "Norm").value("none", Norm::none).value("l1", Norm::l1).value("l2", Norm::l2);

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
      .def("set_state", &TfidfVectorizer::set_state, py::arg("terms"), py::arg("n_documents"), py::arg("idf"),
           py::arg("document_frequencies") = std::vector<std::int64_t>{});
  bind_common<true>(tfidf);
}

}  // namespace lexsim::bindings
