#pragma once
// Where the shared corpora are, and whether their absence is a failure. No Catch2 or lexsim here:
// main.cpp includes it too.
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace lexsim_test {

/// The shared corpora: $LEXSIM_CORPORA when set, else ../shared/corpora beside the source tree
/// (LEXSIM_CORPORA_DIR, compiled in). Tests that read them are tagged [corpora]; main.cpp skips
/// those when the folder is missing, unless the corpora are required (corpora_required()).
inline std::filesystem::path corpora_dir() {
  const char* env = std::getenv("LEXSIM_CORPORA");
  return std::filesystem::path(env != nullptr && *env != '\0' ? env : LEXSIM_CORPORA_DIR);
}

/// Both corpora the tests read are there.
inline bool corpora_present() {
  namespace fs = std::filesystem;
  const fs::path dir = corpora_dir();
  std::error_code ec;
  return fs::is_directory(dir / "news-seeds", ec) && fs::is_regular_file(dir / "sentences" / "sentences.jsonl", ec);
}

namespace detail {
inline bool env_true(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return false;
  std::string s(v);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s == "1" || s == "true" || s == "yes";
}
}  // namespace detail

/// The variable that makes missing corpora a failure ("CI=true", "LEXSIM_REQUIRE_CORPORA=1"), or
/// an empty string when they may be skipped.
inline std::string corpora_required_by() {
  if (detail::env_true("LEXSIM_REQUIRE_CORPORA")) return "LEXSIM_REQUIRE_CORPORA=1";
  if (detail::env_true("CI")) return "CI=true";
  return "";
}

}  // namespace lexsim_test
