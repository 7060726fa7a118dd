#pragma once
// Model files on disk (private): atomic writing, whole-file reading, mapping (MappedFile in
// lexsim/model_io.hpp). The bytes are the format's business (model_io.cpp); errors here are
// FileError naming the path and errno.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace lexsim::detail {

/// Writes `bytes` to `path` so that readers see the old file or the new one, never a part: a
/// temporary file beside it, fsync, rename over it (keeping its permission bits), fsync of the folder.
void write_atomically(const std::string& path, std::string_view bytes);
/// Throws ModelFormatError unless `head` (the first bytes of a file of `size` bytes) may begin a model.
using HeaderCheck = std::function<void(std::string_view head, std::uint64_t size)>;
/// The whole file at `path`; its first `header_size` bytes are checked first, so that a foreign,
/// truncated or newer file is refused without reading the rest (the error then names the path).
std::string read_file(const std::string& path, std::size_t header_size, const HeaderCheck& check_header);

}  // namespace lexsim::detail
