// top_k over CSR buffers handed in by the Python layer (no copies of the inputs).
#include <pybind11/stl.h>

#include <optional>

#include "buffers.hpp"
#include "lexsim/similarity.hpp"

namespace lexsim::bindings {
namespace {

template <class T, class IP>
py::tuple run(const py::tuple& a, const std::optional<py::tuple>& b, const TopKOptions& opt) {
  const auto av = csr_view<T, IP>(a, "A");
  std::optional<CsrView<T, IP, std::int32_t>> bv;
  if (b) bv = csr_view<T, IP>(*b, "B");
  CsrMatrix<T> out = without_gil([&] { return top_k(av, bv ? &*bv : nullptr, opt); });
  return csr_to_python(std::move(out));
}

}  // namespace

void bind_similarity(py::module_& m) {
  m.def(
      "top_k",
      [](const py::tuple& a, const std::optional<py::tuple>& b, std::int64_t k, std::optional<double> threshold,
         int n_jobs) {
        // Each matrix: (data, indices:int32, indptr, rows, cols); data float32/float64, indptr int32/int64,
        // both matrices of the same types (the Python layer makes sure of it).
        TopKOptions opt;
        opt.k = k;
        opt.threshold = threshold;
        opt.n_jobs = n_jobs;
        const auto data = a[0].cast<py::array>();
        const auto indptr = a[2].cast<py::array>();
        const bool f32 = data.dtype().is(py::dtype::of<float>());
        const bool ip32 = indptr.dtype().is(py::dtype::of<std::int32_t>());
        if (f32) return ip32 ? run<float, std::int32_t>(a, b, opt) : run<float, std::int64_t>(a, b, opt);
        return ip32 ? run<double, std::int32_t>(a, b, opt) : run<double, std::int64_t>(a, b, opt);
      },
      py::arg("a"), py::arg("b"), py::arg("k"), py::arg("threshold"), py::arg("n_jobs"),
      "Top-k cosine similarities between CSR matrices given as buffer tuples.");
}

}  // namespace lexsim::bindings
