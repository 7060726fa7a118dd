// top_k over CSR buffers handed in by the Python layer (no copies of the inputs).
#include <pybind11/stl.h>

#include <optional>

#include "buffers.hpp"
#include "lexsim/similarity.hpp"

namespace lexsim::bindings {
namespace {

template <class T, class IP>
CsrView<T, IP, std::int32_t> make_view(const py::array& data, const py::array& indices, const py::array& indptr,
                                        std::int64_t rows, std::int64_t cols) {
  auto check = [](const py::array& arr, const py::dtype& want, const char* name) {
    if (!arr.dtype().is(want)) throw py::type_error(std::string(name) + " has the wrong dtype");
    if (arr.ndim() != 1 || !(arr.flags() & py::array::c_style)) throw py::value_error(std::string(name) + " must be a contiguous 1-d array");
  };
  check(data, py::dtype::of<T>(), "data");
  check(indices, py::dtype::of<std::int32_t>(), "indices");
  check(indptr, py::dtype::of<IP>(), "indptr");
  if (rows < 0 || cols < 0) throw py::value_error("negative shape");
  if (indptr.size() != rows + 1) throw py::value_error("indptr must have rows + 1 entries");
  if (indices.size() != data.size()) throw py::value_error("indices and data must have the same length");
  if (static_cast<std::int64_t>(data.size()) < static_cast<const IP*>(indptr.data())[rows])
    throw py::value_error("indptr[-1] exceeds the number of stored values");
  return {rows, cols, static_cast<const IP*>(indptr.data()), static_cast<const std::int32_t*>(indices.data()),
          static_cast<const T*>(data.data())};
}

template <class T, class IP>
py::tuple run(const py::tuple& a, const std::optional<py::tuple>& b, const TopKOptions& opt) {
  auto unpack = [](const py::tuple& t) {
    return make_view<T, IP>(t[0].cast<py::array>(), t[1].cast<py::array>(), t[2].cast<py::array>(),
                            t[3].cast<std::int64_t>(), t[4].cast<std::int64_t>());
  };
  const auto av = unpack(a);
  std::optional<CsrView<T, IP, std::int32_t>> bv;
  if (b) bv = unpack(*b);
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
