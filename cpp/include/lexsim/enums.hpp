#pragma once
// One table per option enum: each value and the name users write for it (the Python option's
// value, as messages print it). to_string and from_string read the table; so do option printing,
// error messages, the bindings' enum values and the index file's codes of Scoring and Bm25Method.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "lexsim/analyzer.hpp"
#include "lexsim/search.hpp"
#include "lexsim/similarity.hpp"
#include "lexsim/tfidf.hpp"

namespace lexsim {

/// The names of an enum's values, in declaration order: `entries` is an array of (value, name).
template <class E>
struct EnumNames;

template <>
struct EnumNames<AnalyzerKind> {
  static constexpr std::array<std::pair<AnalyzerKind, std::string_view>, 3> entries{
      {{AnalyzerKind::word, "word"}, {AnalyzerKind::char_, "char"}, {AnalyzerKind::char_wb, "char_wb"}}};
};

template <>
struct EnumNames<DecodeError> {
  static constexpr std::array<std::pair<DecodeError, std::string_view>, 3> entries{
      {{DecodeError::strict, "strict"}, {DecodeError::replace, "replace"}, {DecodeError::ignore, "ignore"}}};
};

template <>
struct EnumNames<Normalization> {
  static constexpr std::array<std::pair<Normalization, std::string_view>, 3> entries{
      {{Normalization::none, "none"}, {Normalization::nfc, "NFC"}, {Normalization::nfkc, "NFKC"}}};
};

template <>
struct EnumNames<StripAccents> {
  static constexpr std::array<std::pair<StripAccents, std::string_view>, 3> entries{
      {{StripAccents::none, "none"}, {StripAccents::ascii, "ascii"}, {StripAccents::unicode, "unicode"}}};
};

template <>
struct EnumNames<Norm> {
  static constexpr std::array<std::pair<Norm, std::string_view>, 3> entries{
      {{Norm::none, "none"}, {Norm::l1, "l1"}, {Norm::l2, "l2"}}};
};

template <>
struct EnumNames<IdfPrecision> {
  static constexpr std::array<std::pair<IdfPrecision, std::string_view>, 3> entries{
      {{IdfPrecision::output, "output"}, {IdfPrecision::float32, "float32"}, {IdfPrecision::float64, "float64"}}};
};

// An index file stores Scoring and Bm25Method as their position in these two tables (model_io.hpp):
// append new values, never reorder.
template <>
struct EnumNames<Scoring> {
  static constexpr std::array<std::pair<Scoring, std::string_view>, 2> entries{
      {{Scoring::cosine, "cosine"}, {Scoring::bm25, "bm25"}}};
};

/// bm25s's names of the methods.
template <>
struct EnumNames<Bm25Method> {
  static constexpr std::array<std::pair<Bm25Method, std::string_view>, 5> entries{{{Bm25Method::robertson, "robertson"},
                                                                                   {Bm25Method::lucene, "lucene"},
                                                                                   {Bm25Method::atire, "atire"},
                                                                                   {Bm25Method::bm25l, "bm25l"},
                                                                                   {Bm25Method::bm25plus, "bm25+"}}};
};

template <>
struct EnumNames<GroupMethod> {
  static constexpr std::array<std::pair<GroupMethod, std::string_view>, 2> entries{
      {{GroupMethod::leiden, "leiden"}, {GroupMethod::single, "single"}}};
};

/// The name of a value ("" for a value outside the enum).
template <class E, class = decltype(EnumNames<E>::entries)>
constexpr std::string_view to_string(E value) noexcept {
  for (const auto& [v, name] : EnumNames<E>::entries)
    if (v == value) return name;
  return {};
}

/// The value of a name (exact spelling), or nothing.
template <class E>
constexpr std::optional<E> from_string(std::string_view name) noexcept {
  for (const auto& [v, n] : EnumNames<E>::entries)
    if (n == name) return v;
  return std::nullopt;
}

/// The position of a value in its table, or nothing for a value outside the enum.
template <class E>
constexpr std::optional<std::size_t> enum_position(E value) noexcept {
  for (std::size_t i = 0; i < EnumNames<E>::entries.size(); ++i)
    if (EnumNames<E>::entries[i].first == value) return i;
  return std::nullopt;
}

/// The names of all values, for messages: "'a', 'b' or 'c'" (`quote` around each name).
template <class E>
std::string enum_choices(std::string_view quote = "'") {
  std::string out;
  const auto& entries = EnumNames<E>::entries;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) out += i + 1 == entries.size() ? " or " : ", ";
    out.append(quote).append(entries[i].second).append(quote);
  }
  return out;
}

}  // namespace lexsim
