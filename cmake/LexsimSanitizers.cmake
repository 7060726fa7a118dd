# Sanitizer builds (make sanitize, make fuzz). Applied to every target of the project (library,
# Catch2 tests, fuzz harnesses), so the code under test and the code calling it agree on the ASan
# ABI. Each build lives in its own build directory.
if(NOT (LEXSIM_SANITIZE OR LEXSIM_BUILD_FUZZERS))
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  message(FATAL_ERROR "LEXSIM_SANITIZE and LEXSIM_BUILD_FUZZERS need GCC or Clang")
endif()
if(LEXSIM_BUILD_FUZZERS AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "LEXSIM_BUILD_FUZZERS needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
endif()

# Every UB check is fatal (a report that only prints is easy to miss in a passing run).
# float-cast-overflow (NaN or huge double -> integer) is part of clang's "undefined" but not GCC's.
set(_lexsim_san -fsanitize=address,undefined -fno-sanitize-recover=all)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND _lexsim_san -fsanitize=float-cast-overflow)
endif()
add_compile_options(${_lexsim_san} -fno-omit-frame-pointer)
add_link_options(${_lexsim_san})
# Bounds checks on std::vector/std::string operator[] and friends: ASan cannot see an index past
# size() that is still inside the vector's capacity.
add_compile_definitions(_GLIBCXX_ASSERTIONS)
if(LEXSIM_BUILD_FUZZERS)
  # Coverage instrumentation for libFuzzer everywhere; only the harnesses link its main().
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
