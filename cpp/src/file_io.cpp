#include "file_io.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>

#include "lexsim/errors.hpp"
#include "lexsim/model_io.hpp"
#include "search_state.hpp"

namespace lexsim::detail {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

[[noreturn]] void file_error(const std::string& what, const std::string& path, int err) {
  throw FileError(what + ": " + errno_text(err), path, err);
}

void write_all(int fd, std::string_view bytes, const std::string& tmp, const std::string& path) {
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, std::min<std::size_t>(left, std::size_t(1) << 30));
    if (n < 0) {
      if (errno == EINTR) continue;
      file_error("cannot write the model '" + path + "' (to its temporary file '" + tmp + "')", path, errno);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Writes to a new temporary file beside `path`, fsyncs it, renames it over `path`, then fsyncs the
// directory so the rename itself survives a crash. On failure the temporary file is removed.

// Reads up to n bytes at the current position (fewer only at the end of the file).
std::size_t read_some(int fd, char* out, std::size_t n, const std::string& path) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::read(fd, out + done, std::min<std::size_t>(n - done, std::size_t(1) << 30));
    if (got < 0) {
      if (errno == EINTR) continue;
      file_error("cannot read the model '" + path + "'", path, errno);
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

void write_atomically(const std::string& path, std::string_view bytes) {
  if (path.empty()) throw FileError("cannot save a model to an empty path", path, ENOENT);
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty() || base == "." || base == "..")
    throw FileError("cannot save a model to '" + path + "': " + errno_text(EISDIR), path, EISDIR);

  static std::atomic<unsigned> counter{0};
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    const auto stamp = static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
    tmp = (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + "." + base + ".tmp-" +
          std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + "-" +
          std::to_string(stamp % 1000000);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EINTR && (errno != EEXIST || attempt >= 100))
      file_error("cannot save the model '" + path + "': cannot create a temporary file in '" + dir + "'", path, errno);
  }
  try {
    // Replacing a file keeps its permission bits (a model made group-readable stays so).
    struct stat old {};
    if (::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode)) (void)::fchmod(fd, old.st_mode & 07777);
    write_all(fd, bytes, tmp, path);
    while (::fsync(fd) != 0) {
      if (errno != EINTR)
        file_error("cannot save the model '" + path + "': fsync of its temporary file failed", path, errno);
    }
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0 && errno != EINTR)
      file_error("cannot save the model '" + path + "': closing its temporary file failed", path, errno);
    if (::rename(tmp.c_str(), path.c_str()) != 0) file_error("cannot save the model '" + path + "'", path, errno);
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {  // best effort: some file systems cannot fsync a directory, and the data is safe anyway
    (void)::fsync(dfd);
    ::close(dfd);
  }
}

std::string read_file(const std::string& path, std::size_t header_size, const HeaderCheck& check_header) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (f.fd < 0) file_error("cannot open the model '" + path + "'", path, errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) file_error("cannot read the model '" + path + "'", path, errno);
  if (S_ISDIR(st.st_mode)) file_error("cannot read the model '" + path + "'", path, EISDIR);
  if (!S_ISREG(st.st_mode)) throw FileError("cannot read the model '" + path + "': not a regular file", path, EINVAL);
  const int fl = ::fcntl(f.fd, F_GETFL);
  if (fl >= 0) (void)::fcntl(f.fd, F_SETFL, fl & ~O_NONBLOCK);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  // The header first: a foreign, truncated or newer file is refused without reading the rest.
  std::string data(static_cast<std::size_t>(std::min<std::uint64_t>(size, header_size)), '\0');
  data.resize(read_some(f.fd, data.data(), data.size(), path));
  try {
    check_header(data, std::max<std::uint64_t>(size, data.size()));
  } catch (const ModelFormatError& e) {
    throw ModelFormatError("cannot load the model '" + path + "': " + e.what(), e.byte_offset());
  }
  const std::size_t head = data.size();
  data.resize(static_cast<std::size_t>(size));
  data.resize(head + read_some(f.fd, data.data() + head, data.size() - head, path));
  // A file that grew while being read: take what is there (the envelope check then decides).
  char extra[4096];
  for (std::size_t got; (got = read_some(f.fd, extra, sizeof extra, path)) > 0;) {
    if (data.size() + got > 2 * size + (1u << 20)) break;  // it keeps growing: stop, it is not a model
    data.append(extra, got);
  }
  return data;
}

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (f.fd < 0) file_error("cannot open the model '" + path + "'", path, errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) file_error("cannot read the model '" + path + "'", path, errno);
  if (S_ISDIR(st.st_mode)) file_error("cannot read the model '" + path + "'", path, EISDIR);
  if (!S_ISREG(st.st_mode)) throw FileError("cannot read the model '" + path + "': not a regular file", path, EINVAL);
  if (static_cast<std::uint64_t>(st.st_size) > std::numeric_limits<std::size_t>::max())
    throw FileError("cannot map the model '" + path + "': it is larger than the address space", path, EFBIG);
  const auto size = static_cast<std::size_t>(st.st_size);
  void* address = nullptr;
  if (size > 0) {  // an empty file is refused by the envelope check, as when it is read
    address = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, f.fd, 0);
    if (address == MAP_FAILED) file_error("cannot map the model '" + path + "'", path, errno);
  }
  std::shared_ptr<const MappedFile> out(new MappedFile(path, f.fd, address, size));
  f.fd = -1;  // the mapping keeps it, to see whether the file shrinks
  return out;
}

MappedFile::~MappedFile() {
  if (address_ != nullptr) ::munmap(address_, size_);
  if (fd_ >= 0) ::close(fd_);
}

void MappedFile::check_size() const {
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) < size_)
    throw ModelFormatError("the index file '" + path_ + "' was cut to " + std::to_string(st.st_size) +
                               " bytes while mapped (it had " + std::to_string(size_) + "): load it again",
                           static_cast<std::size_t>(st.st_size));
}

}  // namespace lexsim::detail
