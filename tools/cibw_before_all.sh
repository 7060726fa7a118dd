#!/usr/bin/env bash
# cibuildwheel's before-all (pyproject.toml, [tool.cibuildwheel]): installs lexsim's C/C++ build
# dependencies, Eigen, utf8proc and libstemmer, from the package manager of the build image or
# runner, once per container (Linux) or runner (macOS). CMake then links utf8proc and libstemmer
# statically where the package ships the archives; otherwise the repair step (auditwheel, delocate)
# grafts the shared libraries into the wheel.
set -euxo pipefail

if command -v dnf >/dev/null; then
  # manylinux_2_34 (AlmaLinux 9): libstemmer and Eigen are in CRB, utf8proc in EPEL.
  dnf install -y dnf-plugins-core epel-release
  dnf config-manager --set-enabled crb
  dnf install -y eigen3-devel libstemmer-devel utf8proc-devel
elif command -v apk >/dev/null; then
  # musllinux_1_2 (Alpine)
  apk add --no-cache eigen-dev libstemmer-dev utf8proc-dev pkgconf
elif command -v brew >/dev/null; then
  # macOS: Homebrew's snowball formula provides libstemmer.
  brew install eigen utf8proc snowball
else
  echo "cibw_before_all.sh: found none of dnf, apk, brew; install Eigen, utf8proc and libstemmer by hand" >&2
  exit 1
fi
