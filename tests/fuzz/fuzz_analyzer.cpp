// libFuzzer harness: arbitrary bytes through lexsim::Analyzer with options from the first bytes.
// Input: 6 option bytes (see fuzz::analysis_options), then the text.
//
// Checked on every input, besides "no crash, no leak, no UB":
// - decode_error=strict throws lexsim::UnicodeError exactly when the text is not valid UTF-8 (by
//   the table-driven reference decoder), at the offset of the first ill-formed byte; replace and
//   ignore never throw;
// - preprocess() yields valid UTF-8, equal to the reference decoding when it changes nothing else;
// - analyze() (whose common cases take the ASCII and UTF-8 fast paths) equals scikit-learn's
//   algorithms run over preprocess(): re.findall with the token pattern, stop words, word n-grams,
//   char and char_wb n-grams; with a stemmer, it equals word_ngrams(tokenize(preprocess(text)));
// - tokens_with_offsets() finds the same tokens, with byte offsets on code-point boundaries of the
//   input that agree with the code-point offsets, in range and in order.
#include <algorithm>
#include <cstdint>
#include <set>

#include "fuzz_common.hpp"

using fuzz::show;

namespace {

// Calls f(); returns whether it threw UnicodeError, checking that it did exactly when expected and
// at the right byte. Any other exception escapes and ends the run (a finding).
template <class F>
bool throws_unicode(F&& f, bool expected, const fuzz::RefDecoded& dec, std::string_view text, const char* what) {
  try {
    f();
  } catch (const lexsim::UnicodeError& e) {
    FUZZ_CHECK(expected, std::string(what) + " threw UnicodeError for valid input " + show(text) + ": " + e.what());
    FUZZ_CHECK(e.byte_offset() == *dec.first_error, std::string(what) + ": offset " + std::to_string(e.byte_offset()) +
                                                        ", reference " + std::to_string(*dec.first_error) + " in " +
                                                        show(text));
    FUZZ_CHECK(e.document() == 0, std::string(what) + ": document index for a single text");
    return true;
  }
  FUZZ_CHECK(!expected, std::string(what) + " did not throw for invalid UTF-8 " + show(text));
  return false;
}

// Documents over 1 MiB take another path: the UTF-8 fast path (word unigrams, default
// preprocessing, non-ASCII text) streams their tokens out in batches instead of holding them all.
// The text repeated with a space after each copy must give the terms of one copy, repeated (the
// space keeps tokens and case contexts from spanning copies). Compared on the fly so the check
// holds no 1 MiB of terms. About a second per input under ASan, so only for that path.
void check_huge(const lexsim::Analyzer& a, const fuzz::Pattern& pattern, std::string_view text, bool invalid,
                const fuzz::RefDecoded& dec) {
  const auto& o = a.options();
  const bool ascii =
      std::all_of(text.begin(), text.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
  if (ascii || o.analyzer != lexsim::AnalyzerKind::word || o.ngram_range != std::pair<int, int>{1, 1} ||
      !pattern.bounded || o.stemmer || !o.lowercase || o.casefold || o.strip_accents != lexsim::StripAccents::none ||
      o.normalization != lexsim::Normalization::none)
    return;
  const std::string unit = std::string(text) + " ";
  const std::size_t copies = (std::size_t{1} << 20) / unit.size() + 2;
  std::string big;
  big.reserve(unit.size() * copies);
  for (std::size_t k = 0; k < copies; ++k) big += unit;
  if (invalid) {
    throws_unicode([&] { a.analyze(big); }, true, dec, text, "analyze of the repeated text");
    return;
  }
  const std::vector<std::string> one = a.analyze(unit);
  struct Compare : lexsim::TermSink {
    const std::vector<std::string>* one = nullptr;
    std::size_t k = 0, first_bad = SIZE_MAX;
    std::string bad;
    void add(std::string_view t) override {
      if (first_bad == SIZE_MAX && (one->empty() || t != (*one)[k % one->size()])) {
        first_bad = k;
        bad = std::string(t);
      }
      ++k;
    }
  } cmp;
  cmp.one = &one;
  a.analyze(big, cmp);
  FUZZ_CHECK(cmp.first_bad == SIZE_MAX && cmp.k == one.size() * copies,
             "the text repeated " + std::to_string(copies) + " times gives " + std::to_string(cmp.k) + " terms, not " +
                 std::to_string(one.size()) + " x " + std::to_string(copies) + "; first difference at term " +
                 std::to_string(cmp.first_bad) + ": " + show(cmp.bad) + "\nterms of one copy " + show(one) + "\nof " +
                 show(text));
}

std::vector<std::string> first_words(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (out.size() < 3 && i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j > i) {
      std::string w(text.substr(i, j - i));
      for (auto& ch : w)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
      out.push_back(w);
    }
    i = j;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lexsim;
  fuzz::Reader reader(data, size);
  const auto option_bytes = reader.block(fuzz::kAnalyzerBytes);
  const std::string_view text = reader.rest();
  const fuzz::AnalysisChoice choice = fuzz::analysis_options(option_bytes, first_words(text));
  const AnalyzerOptions& o = choice.options;
  const Analyzer a(o);  // every option combination chosen here is valid

  const fuzz::RefDecoded dec = fuzz::ref_decode(text, o.decode_error);
  const bool invalid = o.decode_error == DecodeError::strict && dec.first_error.has_value();

  std::vector<std::string> terms;
  std::string pre;
  std::vector<Token> tokens;
  const bool word = o.analyzer == AnalyzerKind::word;
  throws_unicode([&] { terms = a.analyze(text); }, invalid, dec, text, "analyze");
  throws_unicode([&] { pre = a.preprocess(text); }, invalid, dec, text, "preprocess");
  if (word) throws_unicode([&] { tokens = a.tokens_with_offsets(text); }, invalid, dec, text, "tokens_with_offsets");
  // The huge check costs about half a second; run it for one input in 8 that ask for it (chosen by
  // a hash of the input, so that running an input again does the same) to leave time for the rest.
  std::uint32_t h = 2166136261u;
  for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
  if ((option_bytes[1] & 0x20) && (h >> 29) == 0) check_huge(a, choice.pattern, text, invalid, dec);
  if (invalid) return 0;

  FUZZ_CHECK(fuzz::valid_utf8(pre), "preprocess output " + show(pre));
  for (const auto& t : terms) {
    FUZZ_CHECK(fuzz::valid_utf8(t) && !t.empty(), "term " + show(t));
  }

  std::u32string decoded;
  for (const auto& ch : dec.chars) decoded.push_back(ch.cp);
  const bool identity =
      !o.lowercase && !o.casefold && o.strip_accents == StripAccents::none && o.normalization == Normalization::none;
  if (identity) FUZZ_CHECK(pre == fuzz::encode(decoded), "preprocess " + show(pre) + " of " + show(text));
  const bool ascii =
      std::all_of(text.begin(), text.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
  if (ascii && o.strip_accents == StripAccents::none && o.normalization == Normalization::none) {
    std::string expect(text);
    if (o.lowercase || o.casefold)
      for (auto& ch : expect)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
    FUZZ_CHECK(pre == expect, "ASCII preprocess " + show(pre) + " of " + show(text));
  }

  const std::u32string pcp = fuzz::code_points(pre);
  if (!word) {
    const auto expect = fuzz::ref_char_ngrams(pcp, o.analyzer, o.ngram_range);
    FUZZ_CHECK(terms == expect, "char n-grams " + show(terms) + "\nreference " + show(expect) + "\nof " + show(pre));
    return 0;
  }

  std::vector<std::string> ref;
  for (const auto& t : fuzz::ref_tokens(pcp, choice.pattern)) ref.push_back(fuzz::encode(t));
  const auto tokenized = a.tokenize(pre);
  FUZZ_CHECK(tokenized == ref, "tokenize " + show(tokenized) + "\nreference " + show(ref) + "\nof " + show(pre));
  std::vector<std::string> kept;
  if (o.stop_words) {
    const std::set<std::string> stop(o.stop_words->begin(), o.stop_words->end());
    for (const auto& t : ref)
      if (!stop.count(t)) kept.push_back(t);
  } else {
    kept = ref;
  }
  const auto expect = fuzz::ref_word_ngrams(kept, o.ngram_range);
  if (!o.stemmer) {
    FUZZ_CHECK(terms == expect, "analyze " + show(terms) + "\nreference " + show(expect) + "\nof " + show(text));
  } else {
    // analyze() is word_ngrams(tokenize(preprocess(text))), stems in place of words.
    FUZZ_CHECK(terms.size() == expect.size(), "stemmed term count " + std::to_string(terms.size()) + " vs " +
                                                  std::to_string(expect.size()) + " for " + show(text));
    std::vector<std::string_view> views(tokenized.begin(), tokenized.end());
    struct Collect : TermSink {
      std::vector<std::string> out;
      void add(std::string_view t) override { out.emplace_back(t); }
    } c;
    a.word_ngrams(views, c);
    FUZZ_CHECK(c.out == terms, "word_ngrams " + show(c.out) + "\nanalyze " + show(terms));
  }

  FUZZ_CHECK(tokens.size() == ref.size(), "tokens_with_offsets found " + std::to_string(tokens.size()) +
                                              " tokens, reference " + std::to_string(ref.size()) + " in " + show(text));
  std::size_t last_byte_begin = 0, last_byte_end = 0, last_char_begin = 0, last_char_end = 0;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    const std::string where = "token " + std::to_string(k) + " " + show(t.text) + " [" + std::to_string(t.byte_begin) +
                              ", " + std::to_string(t.byte_end) + ") chars [" + std::to_string(t.char_begin) + ", " +
                              std::to_string(t.char_end) + ") of " + show(text);
    if (!o.stemmer) FUZZ_CHECK(t.text == ref[k], where + " vs reference " + show(ref[k]));
    FUZZ_CHECK(t.byte_begin < t.byte_end && t.byte_end <= text.size(), where);
    FUZZ_CHECK(t.char_begin < t.char_end && t.char_end <= dec.chars.size(), where);
    // Byte offsets are those of the code points the char offsets name.
    FUZZ_CHECK(t.byte_begin == dec.chars[t.char_begin].begin && t.byte_end == dec.chars[t.char_end - 1].end, where);
    FUZZ_CHECK(t.byte_begin >= last_byte_begin && t.byte_end >= last_byte_end && t.char_begin >= last_char_begin &&
                   t.char_end >= last_char_end,
               where + " is out of order");
    last_byte_begin = t.byte_begin;
    last_byte_end = t.byte_end;
    last_char_begin = t.char_begin;
    last_char_end = t.char_end;
    if (identity) {
      const std::string slice = fuzz::encode(decoded.substr(t.char_begin, t.char_end - t.char_begin));
      FUZZ_CHECK(o.stemmer || slice == t.text, where + ": the text at its offsets is " + show(slice));
    }
  }
  // Working buffers are reused between calls: the same text gives the same terms again.
  FUZZ_CHECK(a.analyze(text) == terms, "second analyze of " + show(text));
  return 0;
}
