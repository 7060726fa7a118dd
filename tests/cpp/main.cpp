// The Catch2 runner. Tests tagged [corpora] read the shared corpora (helpers.hpp). When those are
// missing, they are skipped with one line saying so, and a run of nothing but them exits with 77
// (ctest's SKIP_RETURN_CODE, tests/cpp/CMakeLists.txt); with CI=true or LEXSIM_REQUIRE_CORPORA=1
// they run, and fail.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "corpora.hpp"

namespace {

constexpr int kSkipped = 77;

bool needs_corpora(const Catch::TestCase& test) {
  const auto& tags = test.getTestCaseInfo().lcaseTags;
  return std::find(tags.begin(), tags.end(), "corpora") != tags.end();
}

// A test spec that matches exactly the test named `name`.
std::string exact(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '\\' || c == ',' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char* argv[]) {
  Catch::Session session;
  if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  Catch::Config& config = session.config();
  if (lexsim_test::corpora_present() || config.listTests() || config.listTestNamesOnly() || config.listTags() ||
      config.listReporters())
    return session.run();

  std::vector<std::string> others;
  std::size_t skipped = 0;
  for (const auto& test : Catch::filterTests(Catch::getAllTestCasesSorted(config), config.testSpec(), config)) {
    if (needs_corpora(test))
      ++skipped;
    else
      others.push_back(test.getTestCaseInfo().name);
  }
  if (skipped == 0) return session.run();

  const std::string dir = lexsim_test::corpora_dir().string();
  if (const std::string required = lexsim_test::corpora_required_by(); !required.empty()) {
    std::cout << "the corpora are required (" << required << ") but " << dir << " is missing: " << skipped
              << " C++ tests tagged [corpora] fail (set LEXSIM_CORPORA=<the shared corpora folder>)\n";
    return session.run();
  }
  std::cout << "skipped " << skipped << " C++ tests tagged [corpora]: " << dir
            << " not found (set LEXSIM_CORPORA=<the shared corpora folder>; CI=true or LEXSIM_REQUIRE_CORPORA=1 makes"
               " this a failure)\n"
            << std::flush;
  if (others.empty()) return kSkipped;
  Catch::ConfigData data = session.configData();
  data.testsOrTags.clear();
  if (!config.hasTestFilters()) {
    data.testsOrTags.push_back("~[corpora]");
  } else {
    std::string spec;
    for (const auto& name : others) spec += (spec.empty() ? "" : ",") + exact(name);
    data.testsOrTags.push_back(spec);
  }
  session.useConfigData(data);
  return session.run();
}
