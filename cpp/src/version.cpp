#include "lexsim/version.hpp"

#include "unicode/unicode.hpp"

namespace lexsim {
const char* unicode_version() noexcept { return detail::unicode_data_version(); }
}  // namespace lexsim
