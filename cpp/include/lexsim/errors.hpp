#pragma once
// Exception types thrown by lexsim. Every error lexsim reports derives from lexsim::Error.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace lexsim {

/// Base of every exception lexsim throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A parameter or argument has an invalid value (the message names it and the value).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// A method that needs a fitted model was called before fit (or without a fixed vocabulary).
class NotFittedError : public Error {
 public:
  using Error::Error;
};

/// A long operation was stopped by its interrupt check (see lexsim/interrupt.hpp). The objects it
/// worked on are left as they were before the call.
class Cancelled : public Error {
 public:
  Cancelled() : Error("operation cancelled") {}
};

/// Input text is not valid UTF-8 and decode_error is strict.
class UnicodeError : public Error {
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

}  // namespace lexsim
