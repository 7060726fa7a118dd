#pragma once
// Text in: Python lists of str/bytes (or of lists of terms) and Arrow string arrays, viewed as
// UTF-8 without per-document copies where possible.

#include <pybind11/pybind11.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arrow_input.hpp"
#include "lexsim/sparse.hpp"
#include "lexsim/vectorizer.hpp"
#include "unicode/utf8.hpp"  // the core's UTF-8 (header-only, no utf8proc)

namespace lexsim::bindings {

namespace py = pybind11;

/// Appends the UTF-8 form of a str to out, encoded by the core's utf8.hpp. A lone surrogate has no
/// UTF-8 form: ValueError naming it by name() ("document 3") and its index.
template <class Name>
void append_str_utf8(PyObject* o, std::string& out, Name&& name) {
  const int kind = PyUnicode_KIND(o);
  const void* data = PyUnicode_DATA(o);
  const auto len = static_cast<std::size_t>(PyUnicode_GET_LENGTH(o));
  // Room for the longest form (a code point of a 1-byte-kind str takes at most 2 bytes, of a
  // 2-byte kind 3), written through a pointer and cut to size after.
  const std::size_t at = out.size();
  out.resize(at + len * (kind == PyUnicode_1BYTE_KIND ? 2 : kind == PyUnicode_2BYTE_KIND ? 3 : 4));
  char* w = out.data() + at;
  for (std::size_t j = 0; j < len; ++j) {
    const Py_UCS4 c = PyUnicode_READ(kind, data, static_cast<Py_ssize_t>(j));
    if (detail::is_surrogate(c)) {
      out.resize(at);
      throw py::value_error(name() + " is not encodable as UTF-8 (it contains a lone surrogate code point at index " +
                            std::to_string(j) + ")");
    }
    w += detail::encode_utf8(c, w);
  }
  out.resize(static_cast<std::size_t>(w - out.data()));
}

/// The UTF-8 of one str or bytes: an ASCII str or a bytes object viewed in place, another str
/// encoded into `hold`. `name` names it in errors ("text").
inline std::string_view text_utf8(const py::handle& obj, std::string& hold, const char* name) {
  PyObject* o = obj.ptr();
  if (PyUnicode_Check(o)) {
    if (PyUnicode_IS_ASCII(o))
      return {static_cast<const char*>(PyUnicode_DATA(o)), static_cast<std::size_t>(PyUnicode_GET_LENGTH(o))};
    hold.clear();
    append_str_utf8(o, hold, [name] { return std::string(name); });
    return hold;
  }
  if (PyBytes_Check(o)) return {PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o))};
  throw py::type_error(std::string("expected str or bytes, got ") + Py_TYPE(o)->tp_name);
}

/// The UTF-8 text of a list of str/bytes, without copying where possible: ASCII str and bytes are
/// viewed in place; other str are encoded into one arena owned by this object (not cached inside
/// the str objects, which would keep a second copy of the user's corpus alive). The list must stay
/// alive and unmodified while the views are used.
class DocumentViews {
 public:
  explicit DocumentViews(const py::list& docs) {
    const std::size_t n = docs.size();
    views_.resize(n);
    std::vector<std::pair<std::size_t, std::size_t>> in_arena;  // (doc, offset) of encoded documents
    for (std::size_t i = 0; i < n; ++i) {
      PyObject* o = PyList_GET_ITEM(docs.ptr(), static_cast<py::ssize_t>(i));
      if (PyUnicode_Check(o)) {
        if (PyUnicode_IS_ASCII(o)) {
          views_[i] = std::string_view(static_cast<const char*>(PyUnicode_DATA(o)),
                                       static_cast<std::size_t>(PyUnicode_GET_LENGTH(o)));
        } else {
          const std::size_t at = arena_.size();
          encode(o, i);
          in_arena.emplace_back(i, at);
        }
      } else if (PyBytes_Check(o)) {
        views_[i] = std::string_view(PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o)));
      } else {
        throw py::type_error("document " + std::to_string(i) + " is " + std::string(Py_TYPE(o)->tp_name) +
                             ", expected str or bytes");
      }
    }
    // The arena no longer grows: point the encoded documents into it.
    for (std::size_t k = 0; k < in_arena.size(); ++k) {
      const std::size_t end = k + 1 < in_arena.size() ? in_arena[k + 1].second : arena_.size();
      views_[in_arena[k].first] = std::string_view(arena_.data() + in_arena[k].second, end - in_arena[k].second);
    }
  }
  const std::vector<std::string_view>& views() const noexcept { return views_; }

 private:
  void encode(PyObject* o, std::size_t doc) {
    append_str_utf8(o, arena_, [doc] { return "document " + std::to_string(doc); });
  }
  std::string arena_;
  std::vector<std::string_view> views_;
};

/// Materialised input: the views of a Python list of str/bytes, or of an ArrowDocuments (either
/// kept alive while the views are used)...
class TextBatch {
 public:
  explicit TextBatch(const py::object& docs) : keep_alive_(docs) {
    if (PyList_Check(docs.ptr())) {
      list_ = std::make_unique<DocumentViews>(py::reinterpret_borrow<py::list>(docs));
      views_ = &list_->views();
    } else if (py::isinstance<ArrowDocuments>(docs)) {
      views_ = &docs.cast<const ArrowDocuments&>().views();
    } else {
      throw py::type_error(std::string("documents must be a list or lexsim._core.ArrowDocuments, got ") +
                           Py_TYPE(docs.ptr())->tp_name);
    }
  }
  Documents docs() const { return Documents(views_->data(), views_->size()); }

 private:
  py::object keep_alive_;
  std::unique_ptr<DocumentViews> list_;
  const std::vector<std::string_view>* views_ = nullptr;
};

/// ...or of a list of lists of terms (str or bytes each).
struct TermBatch {
  py::list keep_alive;
  std::vector<DocumentViews> text;
  TermLists lists;
  explicit TermBatch(const py::list& docs) : keep_alive(docs) {
    lists.resize(docs.size());
    text.reserve(docs.size());
    for (std::size_t i = 0; i < docs.size(); ++i) {
      py::handle item = docs[i];
      if (!PyList_Check(item.ptr()))
        throw py::type_error("analyzed document " + std::to_string(i) + " must be a list of str");
      text.emplace_back(py::reinterpret_borrow<py::list>(item));
      lists[i] = text.back().views();
    }
  }
};

}  // namespace lexsim::bindings
