// CPUs the process may use (affinity and cgroup quota) and the thread limit (see threads.hpp).
#include "lexsim/threads.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lexsim/errors.hpp"

#if defined(__linux__)
#include <sched.h>
#endif

namespace lexsim {
namespace {

std::atomic<int> g_thread_limit{0};

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (in) std::getline(in, line);
  return line;
}

// Mount points in mountinfo escape space, tab, newline and backslash as \ooo (octal).
std::string unescape_mount_path(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
        s[i + 3] >= '0' && s[i + 3] <= '7') {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool has_item(const std::string& list, const std::string& item) {
  std::stringstream ss(list);
  std::string part;
  while (std::getline(ss, part, ','))
    if (part == item) return true;
  return false;
}

struct Mount {
  std::string root;   // the directory of the hierarchy mounted (as the cgroup paths write it)
  std::string point;  // where it is mounted
};

// The directory of `cgroup` (a path in the hierarchy) under `mount`, or "" when it is not visible.
std::string cgroup_dir(const Mount& mount, const std::string& cgroup) {
  if (mount.point.empty()) return {};
  if (mount.root == "/") return mount.point + (cgroup == "/" ? std::string() : cgroup);
  if (cgroup.compare(0, mount.root.size(), mount.root) == 0 &&
      (cgroup.size() == mount.root.size() || cgroup[mount.root.size()] == '/'))
    return mount.point + cgroup.substr(mount.root.size());
  return mount.point;  // a cgroup namespace whose root is outside the mount: its root is what we see
}

// CPUs (rounded up) of a quota over a period; 0 for no quota.
int quota_cpus(double quota, double period) {
  if (!(quota > 0) || !(period > 0)) return 0;
  const double cpus = std::ceil(quota / period);
  return cpus >= 1e6 ? 1000000 : std::max(1, static_cast<int>(cpus));
}

int v2_quota(const std::string& dir) {  // cpu.max: "max 100000" or "<quota> <period>"
  std::istringstream in(read_first_line(dir + "/cpu.max"));
  std::string quota;
  double period = 0;
  if (!(in >> quota >> period) || quota == "max") return 0;
  char* end = nullptr;
  const double q = std::strtod(quota.c_str(), &end);
  return end != nullptr && *end == '\0' ? quota_cpus(q, period) : 0;
}

int v1_quota(const std::string& dir) {  // cpu.cfs_quota_us is -1 when there is none
  const std::string quota = read_first_line(dir + "/cpu.cfs_quota_us");
  const std::string period = read_first_line(dir + "/cpu.cfs_period_us");
  if (quota.empty() || period.empty()) return 0;
  return quota_cpus(std::strtod(quota.c_str(), nullptr), std::strtod(period.c_str(), nullptr));
}

// The smallest quota from `dir` up to the mount point (an ancestor's quota limits its children too).
template <class Read>
int smallest_quota_up_to(std::string dir, const std::string& mount_point, Read read) {
  int best = 0;
  for (;;) {
    const int q = read(dir);
    if (q > 0 && (best == 0 || q < best)) best = q;
    if (dir.size() <= mount_point.size()) break;
    const auto slash = dir.find_last_of('/');
    if (slash == std::string::npos || slash < mount_point.size()) {
      dir = mount_point;
    } else {
      dir.erase(slash);
    }
  }
  return best;
}

int cpus_in_affinity_mask() {
#if defined(__linux__)
  for (int n = 1024; n <= (1 << 20); n *= 2) {
    cpu_set_t* set = CPU_ALLOC(static_cast<std::size_t>(n));
    if (set == nullptr) break;
    const std::size_t size = CPU_ALLOC_SIZE(static_cast<std::size_t>(n));
    CPU_ZERO_S(size, set);
    if (sched_getaffinity(0, size, set) == 0) {
      const int count = CPU_COUNT_S(size, set);
      CPU_FREE(set);
      return count;
    }
    const int error = errno;
    CPU_FREE(set);
    if (error != EINVAL) break;  // EINVAL: the kernel's mask is larger than ours
  }
#endif
  return 0;
}

int environment_limit() {
  const char* lexsim = std::getenv("LEXSIM_NUM_THREADS");
  const int own = detail::parse_thread_count(lexsim);
  if (own < 0)
    throw InvalidArgument(std::string("LEXSIM_NUM_THREADS must be a positive integer; got '") + lexsim + "'");
  if (own > 0) return own;
  const int omp = detail::parse_thread_count(std::getenv("OMP_NUM_THREADS"));
  return omp > 0 ? omp : 0;
}

}  // namespace

namespace detail {

int default_jobs() {
  const int limit = environment_limit();
  const int cpus = available_cpus();
  return limit > 0 ? std::min(cpus, limit) : cpus;
}

int parse_thread_count(const char* value) noexcept {
  if (value == nullptr) return 0;
  std::string s(value);
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return 0;
  s = s.substr(first, s.find_last_not_of(" \t") - first + 1);
  const auto comma = s.find(',');  // OMP_NUM_THREADS="4,2": threads of the outermost level
  if (comma != std::string::npos) s.erase(comma);
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return -1;
  const int n = std::atoi(s.c_str());
  return n >= 1 ? n : -1;
}

int cgroup_cpu_quota(const std::string& mountinfo, const std::string& proc_cgroup) {
  // Which cgroup this process is in: "0::<path>" (v2), "<id>:<controllers>:<path>" (v1, cpu among them).
  std::string v2_path, v1_path;
  bool have_v2 = false, have_v1 = false;
  {
    std::ifstream in(proc_cgroup);
    std::string line;
    while (std::getline(in, line)) {
      const auto a = line.find(':');
      const auto b = a == std::string::npos ? a : line.find(':', a + 1);
      if (b == std::string::npos) continue;
      const std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
      if (line.compare(0, a, "0") == 0 && controllers.empty()) {
        v2_path = path;
        have_v2 = true;
      } else if (has_item(controllers, "cpu")) {
        v1_path = path;
        have_v1 = true;
      }
    }
  }
  if (!have_v1 && !have_v2) return 0;
  // Where those hierarchies are mounted. A mountinfo line: id parent major:minor root mount-point
  // options [optional fields...] - fstype source super-options.
  Mount v2_mount, v1_mount;
  {
    std::ifstream in(mountinfo);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::vector<std::string> f;
      std::string word;
      while (fields >> word) f.push_back(word);
      const auto dash = std::find(f.begin(), f.end(), "-");
      if (f.size() < 5 || dash == f.end() || f.end() - dash < 4) continue;
      const std::string& fstype = *(dash + 1);
      const std::string& super_options = *(dash + 3);
      const Mount m{unescape_mount_path(f[3]), unescape_mount_path(f[4])};
      if (fstype == "cgroup2" && v2_mount.point.empty()) v2_mount = m;
      if (fstype == "cgroup" && v1_mount.point.empty() && has_item(super_options, "cpu")) v1_mount = m;
    }
  }
  int best = 0;
  auto take = [&](int q) {
    if (q > 0 && (best == 0 || q < best)) best = q;
  };
  if (have_v2) {
    const std::string dir = cgroup_dir(v2_mount, v2_path);
    if (!dir.empty()) take(smallest_quota_up_to(dir, v2_mount.point, v2_quota));
  }
  if (have_v1) {
    const std::string dir = cgroup_dir(v1_mount, v1_path);
    if (!dir.empty()) take(smallest_quota_up_to(dir, v1_mount.point, v1_quota));
  }
  return best;
}

}  // namespace detail

int available_cpus() {
  // The quota is a property of the container, read once; the affinity mask can change (taskset -p).
  static const int quota = detail::cgroup_cpu_quota("/proc/self/mountinfo", "/proc/self/cgroup");
  int cpus = cpus_in_affinity_mask();
  if (cpus <= 0) cpus = static_cast<int>(std::thread::hardware_concurrency());
  if (cpus <= 0) cpus = 1;
  if (quota > 0) cpus = std::min(cpus, quota);
  return cpus;
}

void set_thread_limit(int limit) {
  if (limit < 0) throw InvalidArgument("the thread limit must be >= 0 (0: no limit); got " + std::to_string(limit));
  g_thread_limit.store(limit, std::memory_order_relaxed);
}

int thread_limit() noexcept { return g_thread_limit.load(std::memory_order_relaxed); }

int effective_jobs(int n_jobs) {
  if (n_jobs >= 1) return n_jobs;
  if (n_jobs != -1) throw InvalidArgument("n_jobs must be a positive integer or -1; got " + std::to_string(n_jobs));
  const int limit = thread_limit();
  return limit > 0 ? std::min(available_cpus(), limit) : detail::default_jobs();
}

}  // namespace lexsim
