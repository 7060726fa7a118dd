// How many threads n_jobs starts: the CPUs the process may use (affinity, cgroup quotas described by
// files written here), the thread limit and the environment variables.
#include <catch2/catch.hpp>
#include <lexsim/lexsim.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "../../cpp/src/parallel.hpp"

#if defined(__linux__)
#include <sched.h>
#endif

namespace fs = std::filesystem;

namespace {

// A directory of its own under the system's temporary directory, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("lexsim-threads-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
};

// Sets (or unsets, with nullopt) an environment variable for the life of the object.
struct EnvVar {
  std::string name;
  std::optional<std::string> old;
  EnvVar(std::string n, const std::optional<std::string>& value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) old = v;
    set(value);
  }
  ~EnvVar() { set(old); }
  void set(const std::optional<std::string>& value) const {
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
};

// Restores the process-wide thread limit.
struct LimitGuard {
  int old = lexsim::thread_limit();
  ~LimitGuard() { lexsim::set_thread_limit(old); }
};

std::string mount_line(int id, const std::string& root, const std::string& point, const std::string& fstype,
                       const std::string& super_options) {
  return std::to_string(id) + " 1 0:" + std::to_string(id) + " " + root + " " + point +
         " rw,nosuid,nodev,noexec,relatime shared:" + std::to_string(id) + " - " + fstype + " " + fstype + " " +
         super_options + "\n";
}

// The threads parallel_blocks actually ran on for n_jobs over plenty of work.
int threads_used(int n_jobs) {
  std::mutex m;
  std::set<std::thread::id> ids;
  const std::int64_t n = 1000;
  lexsim::detail::parallel_blocks(n, lexsim::detail::resolve_jobs(n_jobs, n),
                                  [&](int, std::int64_t, std::int64_t, const lexsim::detail::StopToken&) {
                                    std::lock_guard<std::mutex> lock(m);
                                    ids.insert(std::this_thread::get_id());
                                  });
  return static_cast<int>(ids.size());
}

}  // namespace

TEST_CASE("thread counts in the environment: positive integers, the first level of a list", "[threads]") {
  using lexsim::detail::parse_thread_count;
  CHECK(parse_thread_count(nullptr) == 0);
  CHECK(parse_thread_count("") == 0);
  CHECK(parse_thread_count("  ") == 0);
  CHECK(parse_thread_count("1") == 1);
  CHECK(parse_thread_count(" 12 ") == 12);
  CHECK(parse_thread_count("4,2") == 4);
  CHECK(parse_thread_count("0") == -1);
  CHECK(parse_thread_count("-3") == -1);
  CHECK(parse_thread_count("two") == -1);
  CHECK(parse_thread_count("2.5") == -1);
  CHECK(parse_thread_count("99999999999") == -1);
}

TEST_CASE("cgroup v2: cpu.max of the cgroup and its ancestors, rounded up", "[threads]") {
  TempDir d;
  const std::string mnt = (d.path / "sys/fs/cgroup").string();
  const std::string mountinfo = d.write(
      "mountinfo", mount_line(30, "/", "/proc", "proc", "rw") + mount_line(31, "/", mnt, "cgroup2", "rw,nsdelegate"));
  const std::string cgroup = d.write("cgroup", "0::/user.slice/job\n");
  SECTION("no files, no quota") { CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, cgroup) == 0); }
  SECTION("max is no quota") {
    d.write("sys/fs/cgroup/user.slice/job/cpu.max", "max 100000\n");
    CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, cgroup) == 0);
  }
  SECTION("1.5 CPUs is 2") {
    d.write("sys/fs/cgroup/user.slice/job/cpu.max", "150000 100000\n");
    CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, cgroup) == 2);
  }
  SECTION("a small quota counts as one CPU") {
    d.write("sys/fs/cgroup/user.slice/job/cpu.max", "1000 100000\n");
    CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, cgroup) == 1);
  }
  SECTION("an ancestor's smaller quota wins, a larger one does not") {
    d.write("sys/fs/cgroup/user.slice/job/cpu.max", "400000 100000\n");
    d.write("sys/fs/cgroup/user.slice/cpu.max", "300000 100000\n");
    d.write("sys/fs/cgroup/cpu.max", "800000 100000\n");
    CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, cgroup) == 3);
  }
  SECTION("garbage in cpu.max is no quota") {
    d.write("sys/fs/cgroup/user.slice/job/cpu.max", "lots 100000\n");
    CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, cgroup) == 0);
  }
  SECTION("missing files") {
    CHECK(lexsim::detail::cgroup_cpu_quota((d.path / "none").string(), cgroup) == 0);
    CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, (d.path / "none").string()) == 0);
  }
}

TEST_CASE("cgroup v2 in a container: the namespace's root is the mount's root", "[threads]") {
  TempDir d;
  const std::string mnt = (d.path / "cg").string();
  // Without a cgroup namespace the container sees its own path both in /proc/self/cgroup and as
  // the root of the mount; with one it sees "/" in both.
  const std::string mountinfo = d.write("mountinfo", mount_line(31, "/docker/abc", mnt, "cgroup2", "rw"));
  d.write("cg/cpu.max", "200000 100000\n");
  CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, d.write("cgroup", "0::/docker/abc\n")) == 2);
  CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, d.write("cgroup2", "0::/\n")) == 2);
}

TEST_CASE("cgroup v1: cpu.cfs_quota_us / cpu.cfs_period_us of the cpu hierarchy", "[threads]") {
  TempDir d;
  const std::string mnt = (d.path / "sys/fs/cgroup/cpu,cpuacct").string();
  const std::string mountinfo =
      d.write("mountinfo", mount_line(40, "/", (d.path / "sys/fs/cgroup/memory").string(), "cgroup", "rw,memory") +
                               mount_line(41, "/", mnt, "cgroup", "rw,cpu,cpuacct"));
  const std::string cgroup = d.write("cgroup", "5:memory:/a\n4:cpu,cpuacct:/a\n1:name=systemd:/a\n0::/a\n");
  SECTION("-1 is no quota") {
    d.write("sys/fs/cgroup/cpu,cpuacct/a/cpu.cfs_quota_us", "-1\n");
    d.write("sys/fs/cgroup/cpu,cpuacct/a/cpu.cfs_period_us", "100000\n");
    CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, cgroup) == 0);
  }
  SECTION("a quota of 2.5 CPUs is 3") {
    d.write("sys/fs/cgroup/cpu,cpuacct/a/cpu.cfs_quota_us", "250000\n");
    d.write("sys/fs/cgroup/cpu,cpuacct/a/cpu.cfs_period_us", "100000\n");
    CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, cgroup) == 3);
  }
  SECTION("the memory hierarchy's files do not count") {
    d.write("sys/fs/cgroup/memory/a/cpu.cfs_quota_us", "100000\n");
    d.write("sys/fs/cgroup/memory/a/cpu.cfs_period_us", "100000\n");
    CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, cgroup) == 0);
  }
}

TEST_CASE("mount points with escaped spaces", "[threads]") {
  TempDir d;
  const std::string mnt = (d.path / "my cgroups").string();
  std::string escaped = mnt;
  escaped.replace(escaped.find(' '), 1, "\\040");
  const std::string mountinfo = d.write("mountinfo", mount_line(31, "/", escaped, "cgroup2", "rw"));
  d.write("my cgroups/cpu.max", "100000 100000\n");
  CHECK(lexsim::detail::cgroup_cpu_quota(mountinfo, d.write("cgroup", "0::/\n")) == 1);
}

TEST_CASE("effective_jobs: explicit counts are honoured, -1 is the CPUs within the limit", "[threads]") {
  LimitGuard guard;
  EnvVar lexsim_env("LEXSIM_NUM_THREADS", std::nullopt), omp_env("OMP_NUM_THREADS", std::nullopt);
  lexsim::set_thread_limit(0);
  const int cpus = lexsim::available_cpus();
  REQUIRE(cpus >= 1);
  CHECK(lexsim::effective_jobs(1) == 1);
  CHECK(lexsim::effective_jobs(7) == 7);
  CHECK(lexsim::effective_jobs(-1) == cpus);
  CHECK_THROWS_AS(lexsim::effective_jobs(0), lexsim::InvalidArgument);
  CHECK_THROWS_WITH(lexsim::effective_jobs(-2), "n_jobs must be a positive integer or -1; got -2");
  CHECK_THROWS_AS(lexsim::set_thread_limit(-1), lexsim::InvalidArgument);

  SECTION("OMP_NUM_THREADS (what joblib sets in its workers) limits -1") {
    omp_env.set("1");
    CHECK(lexsim::effective_jobs(-1) == 1);
    CHECK(lexsim::effective_jobs(3) == 3);
    omp_env.set("1000");
    CHECK(lexsim::effective_jobs(-1) == cpus);  // a limit never adds CPUs
    omp_env.set("not a number");
    CHECK(lexsim::effective_jobs(-1) == cpus);  // ignored, as OpenMP runtimes ignore it
  }
  SECTION("LEXSIM_NUM_THREADS comes before OMP_NUM_THREADS; a bad one is an error") {
    omp_env.set("1");
    lexsim_env.set(std::to_string(cpus));
    CHECK(lexsim::effective_jobs(-1) == cpus);
    lexsim_env.set("0");
    CHECK_THROWS_WITH(lexsim::effective_jobs(-1), "LEXSIM_NUM_THREADS must be a positive integer; got '0'");
    CHECK(lexsim::effective_jobs(2) == 2);  // only -1 reads the environment
  }
  SECTION("set_thread_limit comes before both") {
    omp_env.set("1");
    lexsim_env.set("1");
    lexsim::set_thread_limit(cpus);
    CHECK(lexsim::thread_limit() == cpus);
    CHECK(lexsim::effective_jobs(-1) == cpus);
    lexsim::set_thread_limit(1);
    CHECK(lexsim::effective_jobs(-1) == 1);
    lexsim::set_thread_limit(0);
    CHECK(lexsim::effective_jobs(-1) == 1);  // the environment again
  }
}

TEST_CASE("the threads a call starts follow the limit", "[threads]") {
  LimitGuard guard;
  EnvVar lexsim_env("LEXSIM_NUM_THREADS", std::nullopt), omp_env("OMP_NUM_THREADS", std::nullopt);
  lexsim::set_thread_limit(1);
  CHECK(threads_used(-1) == 1);
  CHECK(threads_used(2) == 2);
  lexsim::set_thread_limit(0);
  CHECK(threads_used(-1) == lexsim::available_cpus());
  omp_env.set("1");
  CHECK(threads_used(-1) == 1);
}

#if defined(__linux__)
TEST_CASE("available_cpus follows the affinity mask (taskset)", "[threads]") {
  cpu_set_t old;
  CPU_ZERO(&old);
  REQUIRE(sched_getaffinity(0, sizeof old, &old) == 0);
  int first = -1;
  for (int c = 0; c < CPU_SETSIZE && first < 0; ++c)
    if (CPU_ISSET(c, &old)) first = c;
  REQUIRE(first >= 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  REQUIRE(sched_setaffinity(0, sizeof one, &one) == 0);
  const int seen = lexsim::available_cpus();
  LimitGuard guard;
  EnvVar lexsim_env("LEXSIM_NUM_THREADS", std::nullopt), omp_env("OMP_NUM_THREADS", std::nullopt);
  lexsim::set_thread_limit(0);
  const int used = threads_used(-1);
  REQUIRE(sched_setaffinity(0, sizeof old, &old) == 0);
  CHECK(seen == 1);
  CHECK(used == 1);
  const int quota = lexsim::detail::cgroup_cpu_quota("/proc/self/mountinfo", "/proc/self/cgroup");
  CHECK(lexsim::available_cpus() == (quota > 0 ? std::min(CPU_COUNT(&old), quota) : CPU_COUNT(&old)));
}
#endif
