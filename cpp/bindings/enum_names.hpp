#pragma once
// Python enums whose member names are the C++ table's (lexsim/enums.hpp), in its order.
#include <pybind11/pybind11.h>

#include "lexsim/enums.hpp"

namespace lexsim::bindings {

template <class E>
pybind11::enum_<E> bind_enum(pybind11::module_& m, const char* name) {
  pybind11::enum_<E> e(m, name);
  for (const auto& [value, text] : EnumNames<E>::entries) e.value(text.data(), value);  // literals: NUL-terminated
  return e;
}

}  // namespace lexsim::bindings
