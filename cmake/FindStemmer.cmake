# Finds Snowball's libstemmer (https://snowballstem.org/, Debian: libstemmer-dev) and defines the
# imported target Stemmer::Stemmer. libstemmer ships no version macro and, on Debian, no pkg-config
# file; pkg-config is still asked first, for the systems that do provide libstemmer.pc.
# With Stemmer_USE_STATIC_LIBS set, the static archive is preferred (own cache entry,
# Stemmer_STATIC_LIBRARY); the shared library is the fallback when there is none.
include(FindPackageHandleStandardArgs)

find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_STEMMER QUIET libstemmer)
endif()

find_path(Stemmer_INCLUDE_DIR NAMES libstemmer.h HINTS ${PC_STEMMER_INCLUDE_DIRS} PATH_SUFFIXES libstemmer)
if(Stemmer_USE_STATIC_LIBS)
  find_library(Stemmer_STATIC_LIBRARY
    NAMES ${CMAKE_STATIC_LIBRARY_PREFIX}stemmer${CMAKE_STATIC_LIBRARY_SUFFIX} stemmer_static
    HINTS ${PC_STEMMER_LIBRARY_DIRS})
  mark_as_advanced(Stemmer_STATIC_LIBRARY)
endif()
if(Stemmer_STATIC_LIBRARY AND Stemmer_USE_STATIC_LIBS)
  set(Stemmer_LIBRARY "${Stemmer_STATIC_LIBRARY}")
  set(Stemmer_IS_STATIC TRUE)
else()
  find_library(Stemmer_LIBRARY NAMES stemmer HINTS ${PC_STEMMER_LIBRARY_DIRS})
  set(Stemmer_IS_STATIC FALSE)
endif()

find_package_handle_standard_args(Stemmer REQUIRED_VARS Stemmer_LIBRARY Stemmer_INCLUDE_DIR)

if(Stemmer_FOUND AND NOT TARGET Stemmer::Stemmer)
  add_library(Stemmer::Stemmer UNKNOWN IMPORTED)
  set_target_properties(Stemmer::Stemmer PROPERTIES
    IMPORTED_LOCATION "${Stemmer_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Stemmer_INCLUDE_DIR}")
endif()
mark_as_advanced(Stemmer_INCLUDE_DIR Stemmer_LIBRARY)
