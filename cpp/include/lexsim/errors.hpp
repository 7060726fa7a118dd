#pragma once
// Exception types thrown by lexsim. Every error lexsim reports derives from lexsim::Error.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

#include "lexsim/export.hpp"

namespace lexsim {

/// Base of every exception lexsim throws.
class LEXSIM_API Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A parameter or argument has an invalid value (the message names it and the value).
class LEXSIM_API InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// A method that needs a fitted model was called before fit (or without a fixed vocabulary).
class LEXSIM_API NotFittedError : public Error {
 public:
  using Error::Error;
};

/// A long operation was stopped by its interrupt check (see lexsim/interrupt.hpp). The objects it
/// worked on are left as they were before the call.
class LEXSIM_API Cancelled : public Error {
 public:
  Cancelled() : Error("operation cancelled") {}
};

/// Input text is not valid UTF-8 and decode_error is strict.
class LEXSIM_API UnicodeError : public Error {
 public:
  UnicodeError(const std::string& what, std::size_t document, std::size_t byte_offset)
      : Error(what), document_(document), byte_offset_(byte_offset) {}
  /// Index of the offending document in the batch (0 when analysing a single text).
  std::size_t document() const noexcept { return document_; }
  /// Offset of the first invalid byte within that document.
  std::size_t byte_offset() const noexcept { return byte_offset_; }

 private:
  std::size_t document_;
  std::size_t byte_offset_;
};

/// Bytes that are not a valid lexsim model (see lexsim/model_io.hpp): empty, truncated, damaged,
/// foreign, from a newer format version, or inconsistent. The message says why and at which byte.
class LEXSIM_API ModelFormatError : public Error {
 public:
  ModelFormatError(const std::string& what, std::size_t byte_offset) : Error(what), byte_offset_(byte_offset) {}
  /// Offset of the offending byte (or of the start of the offending field or section) in the model.
  std::size_t byte_offset() const noexcept { return byte_offset_; }

 private:
  std::size_t byte_offset_;
};

/// A file could not be opened, read, written or renamed. The message names the path and gives the
/// system's reason; error_code() is the errno value.
class LEXSIM_API FileError : public Error {
 public:
  FileError(const std::string& what, std::string path, int error_code)
      : Error(what), path_(std::move(path)), error_code_(error_code) {}
  const std::string& path() const noexcept { return path_; }
  int error_code() const noexcept { return error_code_; }

 private:
  std::string path_;
  int error_code_;
};

}  // namespace lexsim
