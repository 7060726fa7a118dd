// The slow, obviously correct references the Catch2 tests and the fuzzers share (tests/reference,
// whose Python modules the pytest suite uses). Included as "reference/cpp/<name>.hpp" with tests/
// on the include path.
#pragma once

#include <cstdint>
#include <string_view>

namespace reference {

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) bit by bit: the textbook definition, no
// table, independent of lexsim's slicing-by-8 one.
inline std::uint32_t crc32(std::string_view s) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (const char ch : s) {
    c ^= static_cast<std::uint8_t>(ch);
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

}  // namespace reference
