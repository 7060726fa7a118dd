#pragma once
// Batch work without the GIL, with Ctrl-C still stopping it.

#include <pybind11/pybind11.h>

#include "lexsim/errors.hpp"
#include "lexsim/interrupt.hpp"

namespace lexsim::bindings {

namespace py = pybind11;

/// Runs fn() without the GIL while Ctrl-C stays responsive: the core polls an interrupt check that
/// briefly takes the GIL to run Python's signal handlers; a KeyboardInterrupt propagates as such.
template <class Fn>
auto without_gil(Fn&& fn) -> decltype(fn()) {
  try {
    py::gil_scoped_release release;
    InterruptGuard guard([] {
      py::gil_scoped_acquire acquire;
      return PyErr_CheckSignals() != 0;
    });
    return fn();
  } catch (const Cancelled&) {
    throw py::error_already_set();
  }
}

}  // namespace lexsim::bindings
