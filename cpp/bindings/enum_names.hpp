#pragma once
// Python enums whose member names are the C++ table's (lexsim/enums.hpp), in its order; and the
// table's names as strings, for the options Python passes as strings (scoring, BM25 and group methods).
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "lexsim/enums.hpp"

namespace lexsim::bindings {

template <class E>
pybind11::enum_<E> bind_enum(pybind11::module_& m, const char* name) {
  pybind11::enum_<E> e(m, name);
  for (const auto& [value, text] : EnumNames<E>::entries) e.value(text.data(), value);  // literals: NUL-terminated
  return e;
}

template <class E>
std::vector<std::string> enum_names() {
  std::vector<std::string> names;
  for (const auto& entry : EnumNames<E>::entries) names.emplace_back(entry.second);
  return names;
}

}  // namespace lexsim::bindings
