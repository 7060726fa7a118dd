#pragma once
// Sparse matrices in: the (data, indices, indptr, rows, cols) tuples the Python layer passes,
// checked and viewed in place as CsrView (no copy).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>

#include "lexsim/sparse.hpp"

namespace lexsim::bindings {

namespace py = pybind11;

/// Whether an array holds `want` values. Not dtype identity: an array that was pickled (by Dask,
/// multiprocessing...) carries an equal dtype object that is not numpy's cached one.
inline bool has_dtype(const py::array& arr, const py::dtype& want) {
  return py::detail::npy_api::get().PyArray_EquivTypes_(arr.dtype().ptr(), want.ptr());
}

/// A CSR matrix the Python layer hands in as (data, indices, indptr, rows, cols), viewed in place:
/// data of type T, indices int32, indptr of type IP, each a contiguous 1-d array (the Python layer
/// converts; a wrong dtype here is a TypeError, an inconsistent shape a ValueError).
template <class T, class IP>
CsrView<T, IP, std::int32_t> csr_view(const py::tuple& m, const char* name) {
  const std::string who(name);
  if (m.size() != 5) throw py::type_error(who + " must be a (data, indices, indptr, rows, cols) tuple");
  const auto data = m[0].cast<py::array>(), indices = m[1].cast<py::array>(), indptr = m[2].cast<py::array>();
  const auto rows = m[3].cast<std::int64_t>(), cols = m[4].cast<std::int64_t>();
  auto check = [&](const py::array& arr, const py::dtype& want, const char* part) {
    if (!has_dtype(arr, want))
      throw py::type_error(who + "." + part + " has dtype " + py::str(arr.dtype()).cast<std::string>() + ", expected " +
                           py::str(want).cast<std::string>());
    if (arr.ndim() != 1 || !(arr.flags() & py::array::c_style))
      throw py::value_error(who + "." + part + " must be a contiguous 1-d array");
  };
  check(data, py::dtype::of<T>(), "data");
  check(indices, py::dtype::of<std::int32_t>(), "indices");
  check(indptr, py::dtype::of<IP>(), "indptr");
  if (rows < 0 || cols < 0) throw py::value_error(who + " has a negative shape");
  if (indptr.size() != rows + 1) throw py::value_error(who + ".indptr must have rows + 1 entries");
  if (indices.size() != data.size()) throw py::value_error(who + ".indices and .data must have the same length");
  if (static_cast<std::int64_t>(data.size()) < static_cast<std::int64_t>(static_cast<const IP*>(indptr.data())[rows]))
    throw py::value_error(who + ".indptr[-1] exceeds the number of stored values");
  return {rows, cols, static_cast<const IP*>(indptr.data()), static_cast<const std::int32_t*>(indices.data()),
          static_cast<const T*>(data.data())};
}

/// The types of a (data, indices, indptr, rows, cols) tuple: float32 data? int32 indptr? (false
/// for what is not such a tuple: csr_view then says what is wrong)
inline bool csr_is_float32(const py::tuple& m) {
  return m.size() == 5 && py::isinstance<py::array>(m[0]) && has_dtype(m[0].cast<py::array>(), py::dtype::of<float>());
}
inline bool csr_has_int32_indptr(const py::tuple& m) {
  return m.size() == 5 && py::isinstance<py::array>(m[2]) &&
         has_dtype(m[2].cast<py::array>(), py::dtype::of<std::int32_t>());
}

}  // namespace lexsim::bindings
