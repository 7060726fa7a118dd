// Arrow input: the reader of exported ArrowSchema / ArrowArray / ArrowArrayStream structs behind
// ArrowDocuments, and its binding. No Arrow library is linked or imported: the producer's own
// export functions and release callbacks do all the memory management.
#include "arrow_input.hpp"
#include "module.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace lexsim::bindings {
namespace {

// The value layouts read, by Arrow format string.
enum class Layout { offsets32, offsets64, view };

struct ValueType {
  Layout layout;
  bool binary;
};

bool value_type(const char* format, ValueType& out) {
  const std::string_view f(format);
  if (f == "u")
    out = {Layout::offsets32, false};
  else if (f == "U")
    out = {Layout::offsets64, false};
  else if (f == "vu")
    out = {Layout::view, false};
  else if (f == "z")
    out = {Layout::offsets32, true};
  else if (f == "Z")
    out = {Layout::offsets64, true};
  else if (f == "vz")
    out = {Layout::view, true};
  else
    return false;
  return true;
}

// Byte width and signedness of a dictionary's index type, 0 when the format is not an integer.
int index_width(const char* format, bool& is_signed) {
  const std::string_view f(format);
  if (f.size() != 1) return 0;
  switch (f[0]) {
    case 'c': is_signed = true; return 1;
    case 'C': is_signed = false; return 1;
    case 's': is_signed = true; return 2;
    case 'S': is_signed = false; return 2;
    case 'i': is_signed = true; return 4;
    case 'I': is_signed = false; return 4;
    case 'l': is_signed = true; return 8;
    case 'L': is_signed = false; return 8;
    default: return 0;
  }
}

// A readable name for the TypeError of an unsupported format.
std::string type_name(const std::string& f) {
  static const std::pair<const char*, const char*> names[] = {
      {"n", "null"},       {"b", "bool"},    {"c", "int8"},         {"C", "uint8"},        {"s", "int16"},
      {"S", "uint16"},     {"i", "int32"},   {"I", "uint32"},       {"l", "int64"},        {"L", "uint64"},
      {"e", "float16"},    {"f", "float32"}, {"g", "float64"},      {"u", "utf8"},         {"U", "large_utf8"},
      {"vu", "utf8_view"}, {"z", "binary"},  {"Z", "large_binary"}, {"vz", "binary_view"}, {"tdD", "date32"},
      {"tdm", "date64"},   {"+l", "list"},   {"+L", "large_list"},  {"+vl", "list_view"},  {"+s", "struct"},
      {"+m", "map"}};
  for (const auto& [format, name] : names)
    if (f == format) return name;
  if (f.rfind("w:", 0) == 0) return "fixed_size_binary";
  if (f.rfind("d:", 0) == 0) return "decimal";
  if (f.rfind("ts", 0) == 0) return "timestamp";
  if (f.rfind("+w:", 0) == 0) return "fixed_size_list";
  return "format '" + f + "'";
}

template <class T>
T load(const void* base, std::int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const char*>(base) + i * static_cast<std::int64_t>(sizeof(T)), sizeof(T));
  return v;
}

bool valid(const ArrowArray& a, std::int64_t i) {
  if (a.null_count == 0 || a.n_buffers < 1 || a.buffers[0] == nullptr) return true;
  const std::int64_t bit = a.offset + i;
  return (static_cast<const std::uint8_t*>(a.buffers[0])[bit >> 3] >> (bit & 7)) & 1;
}

[[noreturn]] void damaged(const std::string& what) { throw py::value_error("damaged Arrow data: " + what); }

[[noreturn]] void null_document(std::size_t doc) {
  throw py::value_error("document " + std::to_string(doc) +
                        " is null (a missing value in the Arrow data), expected a string");
}

void check_struct(const ArrowArray& a, std::int64_t min_buffers, const char* what) {
  if (a.length < 0 || a.offset < 0 || a.null_count < -1)
    damaged(std::string(what) + " has a negative length, offset or null count");
  if (a.n_buffers < min_buffers || (a.n_buffers > 0 && a.buffers == nullptr))
    damaged(std::string(what) + " has " + std::to_string(a.n_buffers) + " buffers, expected at least " +
            std::to_string(min_buffers));
}

// The values of one array (offset applied) appended to `out`. A null is an error naming document
// `first + i`, unless `nulls` collects them (a dictionary's values, which only matter if used).
void read_values(const ArrowArray& a, const ValueType& t, std::size_t first, std::vector<std::string_view>& out,
                 std::vector<bool>* nulls) {
  const std::int64_t n = a.length;
  if (t.layout == Layout::view) {
    check_struct(a, 3, "a utf8_view/binary_view array");
    const std::int64_t n_data = a.n_buffers - 3;  // validity, views, data buffers..., their sizes
    const void* views = a.buffers[1];
    const void* sizes = a.buffers[a.n_buffers - 1];
    if (n > 0 && views == nullptr) damaged("a utf8_view/binary_view array has no views buffer");
    if (n_data > 0 && sizes == nullptr) damaged("a utf8_view/binary_view array has no buffer sizes");
    for (std::int64_t i = 0; i < n; ++i) {
      const bool ok = valid(a, i);
      if (nulls != nullptr) nulls->push_back(!ok);
      if (!ok) {
        if (nulls == nullptr) null_document(first + static_cast<std::size_t>(i));
        out.emplace_back();
        continue;
      }
      const char* view = static_cast<const char*>(views) + (a.offset + i) * 16;
      const auto length = load<std::int32_t>(view, 0);
      if (length < 0)
        damaged("document " + std::to_string(first + static_cast<std::size_t>(i)) + " has a negative length");
      if (length <= 12) {  // short strings are stored in the view itself
        out.emplace_back(view + 4, static_cast<std::size_t>(length));
        continue;
      }
      const auto buffer = load<std::int32_t>(view + 8, 0);
      const auto offset = load<std::int32_t>(view + 12, 0);
      if (buffer < 0 || buffer >= n_data || offset < 0 ||
          static_cast<std::int64_t>(offset) + length > load<std::int64_t>(sizes, buffer) ||
          a.buffers[2 + buffer] == nullptr)
        damaged("document " + std::to_string(first + static_cast<std::size_t>(i)) + " points past its data buffer");
      out.emplace_back(static_cast<const char*>(a.buffers[2 + buffer]) + offset, static_cast<std::size_t>(length));
    }
    return;
  }
  check_struct(a, 3, "a utf8/binary array");
  const void* offsets = a.buffers[1];
  const char* data = static_cast<const char*>(a.buffers[2]);
  if (n == 0) return;
  if (offsets == nullptr) damaged("a utf8/binary array has no offsets buffer");
  const bool wide = t.layout == Layout::offsets64;
  auto at = [&](std::int64_t i) {
    return wide ? load<std::int64_t>(offsets, a.offset + i)
                : static_cast<std::int64_t>(load<std::int32_t>(offsets, a.offset + i));
  };
  std::int64_t begin = at(0);
  if (begin < 0) damaged("document " + std::to_string(first) + " starts at a negative offset");
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t end = at(i + 1);
    if (end < begin) damaged("the offsets decrease at document " + std::to_string(first + static_cast<std::size_t>(i)));
    if (data == nullptr && end > begin) damaged("a utf8/binary array has no data buffer");
    const bool ok = valid(a, i);
    if (nulls != nullptr) nulls->push_back(!ok);
    if (!ok && nulls == nullptr) null_document(first + static_cast<std::size_t>(i));
    if (ok && end > begin)
      out.emplace_back(data + begin, static_cast<std::size_t>(end - begin));
    else
      out.emplace_back();
    begin = end;
  }
}

// Moves a struct out of a PyCapsule of the PyCapsule interface: the consumer owns it afterwards,
// and the capsule's destructor sees it released (release == nullptr) and does nothing.
template <class T>
T move_out(const py::object& capsule, const char* name) {
  if (!PyCapsule_IsValid(capsule.ptr(), name))
    throw py::type_error(std::string("the Arrow export did not return a PyCapsule named '") + name + "'");
  auto* p = static_cast<T*>(PyCapsule_GetPointer(capsule.ptr(), name));
  if (p == nullptr) throw py::error_already_set();
  if (p->release == nullptr) throw py::value_error(std::string("the Arrow ") + name + " capsule was already consumed");
  T out = *p;
  p->release = nullptr;
  return out;
}

// Releases a moved-out struct when it leaves scope (also on an exception).
template <class T>
struct Released {
  T& value;
  ~Released() {
    if (value.release != nullptr) value.release(&value);
  }
};

}  // namespace

ArrowDocuments::ArrowDocuments(const py::object& source) {
  try {
    if (py::hasattr(source, "__arrow_c_stream__")) {
      read_stream(source.attr("__arrow_c_stream__")());
    } else if (py::hasattr(source, "__arrow_c_array__")) {
      py::tuple pair = source.attr("__arrow_c_array__")();
      if (pair.size() != 2) throw py::type_error("__arrow_c_array__ must return a (schema, array) pair of PyCapsules");
      read_array(pair[0], pair[1]);
    } else {
      throw py::type_error(std::string(Py_TYPE(source.ptr())->tp_name) +
                           " does not export Arrow data (it has no __arrow_c_stream__ or __arrow_c_array__)");
    }
  } catch (...) {
    // The destructor does not run for an object that failed to construct: release what was read.
    for (ArrowArray& a : chunks_)
      if (a.release != nullptr) a.release(&a);
    throw;
  }
}

ArrowDocuments::~ArrowDocuments() {
  for (ArrowArray& a : chunks_)
    if (a.release != nullptr) a.release(&a);
}

void ArrowDocuments::read_stream(const py::object& capsule) {
  ArrowArrayStream stream = move_out<ArrowArrayStream>(capsule, "arrow_array_stream");
  Released<ArrowArrayStream> release_stream{stream};
  auto failed = [&](const char* what, int code) {
    const char* message = stream.get_last_error != nullptr ? stream.get_last_error(&stream) : nullptr;
    return py::value_error(std::string("reading the Arrow stream failed (") + what + ", error " + std::to_string(code) +
                           "): " + (message != nullptr ? message : "no message"));
  };
  ArrowSchema schema{};
  if (const int code = stream.get_schema(&stream, &schema); code != 0) throw failed("get_schema", code);
  {
    Released<ArrowSchema> release_schema{schema};
    set_type(schema);
  }
  while (true) {
    ArrowArray chunk{};
    if (const int code = stream.get_next(&stream, &chunk); code != 0) throw failed("get_next", code);
    if (chunk.release == nullptr) break;  // the end of the stream
    add_chunk(std::move(chunk));
  }
}

void ArrowDocuments::read_array(const py::object& schema_capsule, const py::object& array_capsule) {
  ArrowSchema schema = move_out<ArrowSchema>(schema_capsule, "arrow_schema");
  {
    Released<ArrowSchema> release_schema{schema};
    ArrowArray array = move_out<ArrowArray>(array_capsule, "arrow_array");
    Released<ArrowArray> release_array{array};
    set_type(schema);
    ArrowArray owned = array;
    array.release = nullptr;  // now add_chunk's
    add_chunk(std::move(owned));
  }
}

void ArrowDocuments::set_type(const ArrowSchema& schema) {
  if (schema.format == nullptr) damaged("the schema has no format");
  const ArrowSchema* values = &schema;
  if (schema.dictionary != nullptr) {
    bool is_signed = false;
    if (index_width(schema.format, is_signed) == 0) damaged("a dictionary with non-integer indices");
    index_format_ = schema.format;
    values = schema.dictionary;
    if (values->format == nullptr) damaged("the dictionary's schema has no format");
  }
  ValueType t{};
  if (!value_type(values->format, t)) {
    const std::string f = values->format;
    std::string message =
        "documents must be Arrow strings or binary (utf8, large_utf8, utf8_view, binary, "
        "large_binary, binary_view, or a dictionary of them); got Arrow type " +
        (schema.dictionary != nullptr ? "dictionary of " + type_name(f) : type_name(f));
    if (f == "+s") message += " (a table or record batch? pass one of its columns)";
    throw py::type_error(message);
  }
  format_ = values->format;
  binary_ = t.binary;
}

void ArrowDocuments::add_chunk(ArrowArray&& chunk) {
  chunks_.push_back(chunk);  // owned from here on, whatever happens below
  chunk.release = nullptr;
  const ArrowArray& a = chunks_.back();
  ValueType t{};
  value_type(format_.c_str(), t);
  const std::size_t first = views_.size();
  if (a.length > 0 && static_cast<std::uint64_t>(a.length) > std::numeric_limits<std::size_t>::max() / 32)
    damaged("an array of " + std::to_string(a.length) + " values");
  views_.reserve(first + static_cast<std::size_t>(std::max<std::int64_t>(a.length, 0)));
  if (index_format_.empty()) {
    read_values(a, t, first, views_, nullptr);
    return;
  }
  // Dictionary-encoded: the values once, then each index looked up.
  check_struct(a, 2, "a dictionary-encoded array");
  if (a.dictionary == nullptr) damaged("a dictionary-encoded array has no dictionary");
  std::vector<std::string_view> values;
  std::vector<bool> value_is_null;
  read_values(*a.dictionary, t, 0, values, &value_is_null);
  bool is_signed = false;
  const int width = index_width(index_format_.c_str(), is_signed);
  const void* indices = a.buffers[1];
  if (a.length > 0 && indices == nullptr) damaged("a dictionary-encoded array has no indices");
  for (std::int64_t i = 0; i < a.length; ++i) {
    const std::size_t doc = first + static_cast<std::size_t>(i);
    if (!valid(a, i)) null_document(doc);
    const std::int64_t k = a.offset + i;
    std::int64_t index = 0;
    bool in_range = true;
    switch (width) {
      case 1: index = is_signed ? load<std::int8_t>(indices, k) : load<std::uint8_t>(indices, k); break;
      case 2: index = is_signed ? load<std::int16_t>(indices, k) : load<std::uint16_t>(indices, k); break;
      case 4:
        index = is_signed ? load<std::int32_t>(indices, k) : static_cast<std::int64_t>(load<std::uint32_t>(indices, k));
        break;
      default:
        if (is_signed) {
          index = load<std::int64_t>(indices, k);
        } else {
          const auto u = load<std::uint64_t>(indices, k);
          in_range = u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
          index = static_cast<std::int64_t>(u);
        }
    }
    if (!in_range || index < 0 || static_cast<std::uint64_t>(index) >= values.size())
      damaged("document " + std::to_string(doc) + " has dictionary index " + std::to_string(index) + ", outside the " +
              std::to_string(values.size()) + " values");
    if (value_is_null[static_cast<std::size_t>(index)]) null_document(doc);
    views_.push_back(values[static_cast<std::size_t>(index)]);
  }
}

py::list ArrowDocuments::to_list(const std::string& errors) const {
  py::list out(views_.size());
  for (std::size_t i = 0; i < views_.size(); ++i) {
    const std::string_view v = views_[i];
    const auto size = static_cast<Py_ssize_t>(v.size());
    PyObject* o =
        binary_ ? PyBytes_FromStringAndSize(v.data(), size) : PyUnicode_DecodeUTF8(v.data(), size, errors.c_str());
    if (o == nullptr) {
      py::error_already_set e;
      if (!e.matches(PyExc_UnicodeDecodeError)) throw e;
      // As the vectorizers report bytes that do not decode: the reason, the document, the offset.
      Py_ssize_t start = 0, end = 0;
      PyUnicodeDecodeError_GetStart(e.value().ptr(), &start);
      PyUnicodeDecodeError_GetEnd(e.value().ptr(), &end);
      py::object reason = py::reinterpret_steal<py::object>(PyUnicodeDecodeError_GetReason(e.value().ptr()));
      const std::string message = (reason ? py::str(reason).cast<std::string>() : std::string("invalid UTF-8")) +
                                  " (document " + std::to_string(i) + ", byte offset " + std::to_string(start) + ")";
      py::object exc = py::reinterpret_steal<py::object>(
          PyUnicodeDecodeError_Create("utf-8", v.data(), size, start, end, message.c_str()));
      if (!exc) throw py::error_already_set();
      exc.attr("document") = i;  // as lexsim.UnicodeError has it
      PyErr_SetObject(PyExc_UnicodeDecodeError, exc.ptr());
      throw py::error_already_set();
    }
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), o);
  }
  return out;
}

void bind_arrow(py::module_& m) {
  py::class_<ArrowDocuments>(m, "ArrowDocuments",
                             "Documents viewed in the buffers of Arrow string or binary data (see lexsim._arrow).")
      .def(py::init<const py::object&>(), py::arg("source"),
           "Read an object with __arrow_c_stream__ or __arrow_c_array__: utf8, large_utf8, utf8_view, binary, "
           "large_binary, binary_view or a dictionary of them, in any number of chunks. A null is a ValueError "
           "naming the document, another type a TypeError.")
      .def("__len__", &ArrowDocuments::size)
      .def_property_readonly("binary", &ArrowDocuments::binary, "Whether the values are binary (bytes), not strings.")
      .def_property_readonly("format", &ArrowDocuments::format, "The Arrow format string of the values.")
      .def_property_readonly("index_format", &ArrowDocuments::index_format,
                             "The Arrow format string of the dictionary's indices ('' when not dictionary-encoded).")
      .def("to_list", &ArrowDocuments::to_list, py::arg("errors") = "strict",
           "The documents as a list of str (UTF-8 decoded with errors='strict', 'replace' or 'ignore'; a strict "
           "failure is a UnicodeDecodeError whose reason and document attribute name the document) or of bytes "
           "for binary data.");
}

}  // namespace lexsim::bindings
