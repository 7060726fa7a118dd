// TfidfTransformer over CSR buffers handed in by the Python layer: the counts are read where they
// are (no copy), weights leave as capsule-owned arrays or are written over the caller's values.
#include <pybind11/stl.h>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "csr_in.hpp"
#include "gil.hpp"
#include "module.hpp"
#include "numpy_out.hpp"
#include "enum_names.hpp"
#include "lexsim/tfidf.hpp"
#include "lexsim/vectorizer.hpp"

namespace lexsim::bindings {
namespace {

enum class Values { int32, int64, float32, float64 };

Values values_of(const py::tuple& m) {
  if (m.size() == 5 && py::isinstance<py::array>(m[0])) {
    const auto data = m[0].cast<py::array>();
    if (has_dtype(data, py::dtype::of<float>())) return Values::float32;
    if (has_dtype(data, py::dtype::of<std::int32_t>())) return Values::int32;
    if (has_dtype(data, py::dtype::of<std::int64_t>())) return Values::int64;
  }
  return Values::float64;  // or not a CSR tuple at all: csr_view then says what is wrong
}

// Calls fn(view) with the view typed after the tuple's buffers: (data, indices:int32, indptr, rows,
// cols), data int32/int64/float32/float64, indptr int32/int64.
template <class Fn>
auto with_counts(const py::tuple& m, Fn&& fn) {
  auto typed = [&](auto tag) {
    using T = decltype(tag);
    return csr_has_int32_indptr(m) ? fn(csr_view<T, std::int32_t>(m, "X")) : fn(csr_view<T, std::int64_t>(m, "X"));
  };
  switch (values_of(m)) {
    case Values::int32: return typed(std::int32_t{});
    case Values::int64: return typed(std::int64_t{});
    case Values::float32: return typed(float{});
    case Values::float64: break;
  }
  return typed(double{});
}

template <class T>
std::vector<T> to_vector(const py::array_t<T, py::array::c_style | py::array::forcecast>& a, const char* name) {
  if (a.ndim() != 1) throw py::value_error(std::string(name) + " must be one-dimensional");
  return std::vector<T>(a.data(), a.data() + a.size());
}

}  // namespace

void bind_tfidf(py::module_& m) {
  py::class_<TfidfWeighting>(m, "TfidfWeighting")
      .def(py::init<>())
      .def_readwrite("norm", &TfidfWeighting::norm)
      .def_readwrite("use_idf", &TfidfWeighting::use_idf)
      .def_readwrite("smooth_idf", &TfidfWeighting::smooth_idf)
      .def_readwrite("sublinear_tf", &TfidfWeighting::sublinear_tf);
  bind_enum<IdfPrecision>(m, "IdfPrecision");

  py::class_<TfidfTransformer>(m, "TfidfTransformer", "Count matrix -> TF-IDF (see lexsim.TfidfTransformer).")
      .def(py::init<TfidfWeighting, int>(), py::arg("weighting"), py::arg("n_jobs") = 1)
      .def(py::init<const TfidfTransformer&>(), py::arg("other"), "A copy.")
      .def_property("weighting", &TfidfTransformer::weighting, &TfidfTransformer::set_weighting)
      .def_property("n_jobs", &TfidfTransformer::n_jobs, &TfidfTransformer::set_n_jobs)
      .def(
          "fit",
          [](TfidfTransformer& t, const py::tuple& x) {
            with_counts(x, [&](const auto& v) { without_gil([&] { t.fit(v); }); });
          },
          py::arg("x"), "Count the rows and document frequencies of a CSR (data, indices, indptr, rows, cols) tuple.")
      .def(
          "partial_fit",
          [](TfidfTransformer& t, const py::tuple& x) {
            with_counts(x, [&](const auto& v) { without_gil([&] { t.partial_fit(v); }); });
          },
          py::arg("x"))
      .def(
          "merge", [](TfidfTransformer& t, const TfidfTransformer& other) { without_gil([&] { t.merge(other); }); },
          py::arg("other"))
      .def(
          "transform",
          [](const TfidfTransformer& t, const py::tuple& x, IdfPrecision precision) {
            return with_counts(x, [&](const auto& v) -> py::tuple {
              using T = std::remove_const_t<std::remove_pointer_t<decltype(v.data)>>;
              using Out = std::conditional_t<std::is_same_v<T, float>, float, double>;
              CsrMatrix<Out> out = without_gil([&] { return t.template transform<Out>(v, precision); });
              return csr_to_python(std::move(out));
            });
          },
          py::arg("x"), py::arg("precision") = IdfPrecision::output,
          "Weights of the counts as new CSR buffers (float32 for float32 counts, else float64).")
      .def(
          "transform_in_place",
          [](const TfidfTransformer& t, const py::tuple& x, IdfPrecision precision) {
            const Values kind = values_of(x);
            if (kind != Values::float32 && kind != Values::float64)
              throw py::type_error("X.data must be float32 or float64 to be weighted in place");
            auto data = x[0].cast<py::array>();
            if (!data.writeable()) throw py::value_error("X.data is read-only: it cannot be weighted in place");
            with_counts(x, [&](const auto& v) {
              using T = std::remove_const_t<std::remove_pointer_t<decltype(v.data)>>;
              if constexpr (std::is_floating_point_v<T>) {
                T* values = static_cast<T*>(data.mutable_data());
                without_gil([&] { t.transform_in_place(v, values, precision); });
              }
            });
          },
          py::arg("x"), py::arg("precision") = IdfPrecision::output,
          "Weights written over the values of X (float32 or float64).")
      .def(
          "set_counts",
          [](TfidfTransformer& t, std::int64_t n_documents,
             const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& df) {
            t.set_counts(n_documents, to_vector(df, "document_frequencies"));
          },
          py::arg("n_documents"), py::arg("document_frequencies"))
      .def(
          "set_idf",
          [](TfidfTransformer& t, const py::array_t<double, py::array::c_style | py::array::forcecast>& idf) {
            t.set_idf(to_vector(idf, "idf"));
          },
          py::arg("idf"))
      .def("clear", &TfidfTransformer::clear)
      .def_property_readonly("is_fitted", &TfidfTransformer::is_fitted)
      .def_property_readonly("has_counts", &TfidfTransformer::has_counts)
      .def_property_readonly("has_idf", &TfidfTransformer::has_idf)
      .def_property_readonly("idf_set_by_hand", &TfidfTransformer::idf_set_by_hand)
      .def_property_readonly("n_features", &TfidfTransformer::n_features)
      .def_property_readonly("n_documents", &TfidfTransformer::n_documents)
      .def("document_frequencies",
           [](const TfidfTransformer& t) { return move_to_numpy(std::vector<std::int64_t>(t.document_frequencies())); })
      .def("idf", [](const TfidfTransformer& t) { return move_to_numpy(std::vector<double>(t.idf())); })
      .def("idf_float", [](const TfidfTransformer& t) { return move_to_numpy(std::vector<float>(t.idf_float())); });

  m.def(
      "csr_has_duplicates",
      [](const py::tuple& x) {
        return with_counts(x, [&](const auto& v) {
          return without_gil([&] {
            // Rows the core would refuse for other reasons (bad pointers or columns) are its to report.
            if (v.rows > 0 && v.indptr[0] < 0) return false;
            for (std::int64_t r = 0; r < v.rows; ++r)
              if (v.indptr[r + 1] < v.indptr[r]) return false;
            std::vector<std::int64_t> seen(static_cast<std::size_t>(v.cols), -1);
            for (std::int64_t r = 0; r < v.rows; ++r) {
              for (auto k = static_cast<std::int64_t>(v.indptr[r]); k < static_cast<std::int64_t>(v.indptr[r + 1]);
                   ++k) {
                const auto col = static_cast<std::int64_t>(v.indices[k]);
                if (col < 0 || col >= v.cols) return false;
                auto& last = seen[static_cast<std::size_t>(col)];
                if (last == r) return true;
                last = r;
              }
            }
            return false;
          });
        });
      },
      py::arg("x"),
      "Whether a row of the CSR tuple stores a column twice (the transformer refuses that; Python sums them first).");

  // The vectorizer's weighting, added here (after bind_vectorizer) where its type is known.
  auto vectorizer = py::reinterpret_borrow<py::class_<TfidfVectorizer>>(m.attr("TfidfVectorizer"));
  vectorizer.def(
      "transformer", [](const TfidfVectorizer& v) { return TfidfTransformer(v.transformer()); },
      "A copy of the weighting: the TfidfTransformer fitted on the vocabulary's document frequencies.");
}

}  // namespace lexsim::bindings
