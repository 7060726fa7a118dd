// HashingVectorizer and MurmurHash3. Results leave as (data, indices, indptr, shape) tuples of
// capsule-owned arrays; the Python layer assembles the scipy matrix.
#include <pybind11/stl.h>

#include "gil.hpp"
#include "module.hpp"
#include "numpy_out.hpp"
#include "text_in.hpp"
#include "lexsim/hashing.hpp"

namespace lexsim::bindings {
namespace {

// Runs fn(T{}) without the GIL for T = float or double and returns the matrix for Python.
template <class Fn>
py::tuple run_float(const std::string& dtype, Fn&& fn) {
  if (dtype == "float32") {
    CsrMatrix<float> m = without_gil([&] { return fn(float{}); });
    return csr_to_python(std::move(m));
  }
  if (dtype == "float64") {
    CsrMatrix<double> m = without_gil([&] { return fn(double{}); });
    return csr_to_python(std::move(m));
  }
  throw py::value_error("HashingVectorizer computes float32 or float64; got dtype '" + dtype + "'");
}

}  // namespace

void bind_hashing(py::module_& m) {
  py::class_<HashingOptions>(m, "HashingOptions")
      .def(py::init<>())
      .def_readwrite("analysis", &HashingOptions::analysis)
      .def_readwrite("n_features", &HashingOptions::n_features)
      .def_readwrite("binary", &HashingOptions::binary)
      .def_readwrite("norm", &HashingOptions::norm)
      .def_readwrite("alternate_sign", &HashingOptions::alternate_sign)
      .def_readwrite("n_jobs", &HashingOptions::n_jobs);

  py::class_<HashingVectorizer>(m, "HashingVectorizer", "Hashed term counts (see lexsim.HashingVectorizer).")
      .def(py::init<HashingOptions>(), py::arg("options"))
      .def_property_readonly("options", &HashingVectorizer::options, py::return_value_policy::reference_internal)
      .def_property_readonly(
          "analyzer", [](const HashingVectorizer& v) -> const Analyzer& { return v.analyzer(); },
          py::return_value_policy::reference_internal)
      .def(
          "transform",
          [](const HashingVectorizer& v, const py::object& docs, const std::string& dtype) {
            TextBatch batch(docs);
            return run_float(dtype, [&](auto tag) { return v.transform_csr<decltype(tag)>(batch.docs()); });
          },
          py::arg("docs"), py::arg("dtype") = "float64")
      .def(
          "transform_terms",
          [](const HashingVectorizer& v, const py::list& docs, const std::string& dtype) {
            TermBatch batch(docs);
            return run_float(dtype, [&](auto tag) { return v.transform_csr<decltype(tag)>(batch.lists); });
          },
          py::arg("docs"), py::arg("dtype") = "float64")
      .def(
          "hash",
          [](const HashingVectorizer& v, const std::string& term) {
            const HashedTerm t = v.hash(term);
            return py::make_tuple(t.column, t.sign);
          },
          py::arg("term"), "(column, sign) of one term's UTF-8 bytes.");

  m.def(
      "murmurhash3_32", [](const std::string& key, std::uint32_t seed) { return murmurhash3_32_signed(key, seed); },
      py::arg("key"), py::arg("seed") = 0,
      "Signed MurmurHash3 x86_32 of a str (its UTF-8 bytes) or bytes, as sklearn.utils.murmurhash3_32.");
}

}  // namespace lexsim::bindings
