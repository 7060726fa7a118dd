# Finds utf8proc (https://juliastrings.github.io/utf8proc/) and defines the imported target
# utf8proc::utf8proc. Uses pkg-config when available, then falls back to a plain search.
# With Utf8proc_USE_STATIC_LIBS set, the static archive is preferred (kept in its own cache entry,
# Utf8proc_STATIC_LIBRARY, so switching needs no fresh build directory); the shared library is the
# fallback when there is none.
include(FindPackageHandleStandardArgs)

find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_UTF8PROC QUIET libutf8proc)
endif()

find_path(Utf8proc_INCLUDE_DIR NAMES utf8proc.h HINTS ${PC_UTF8PROC_INCLUDE_DIRS})
if(Utf8proc_USE_STATIC_LIBS)
  find_library(Utf8proc_STATIC_LIBRARY
    NAMES ${CMAKE_STATIC_LIBRARY_PREFIX}utf8proc${CMAKE_STATIC_LIBRARY_SUFFIX} utf8proc_static
    HINTS ${PC_UTF8PROC_LIBRARY_DIRS})
  mark_as_advanced(Utf8proc_STATIC_LIBRARY)
endif()
if(Utf8proc_STATIC_LIBRARY AND Utf8proc_USE_STATIC_LIBS)
  set(Utf8proc_LIBRARY "${Utf8proc_STATIC_LIBRARY}")
  set(Utf8proc_IS_STATIC TRUE)
else()
  find_library(Utf8proc_LIBRARY NAMES utf8proc HINTS ${PC_UTF8PROC_LIBRARY_DIRS})
  set(Utf8proc_IS_STATIC FALSE)
endif()

if(Utf8proc_INCLUDE_DIR AND EXISTS "${Utf8proc_INCLUDE_DIR}/utf8proc.h")
  file(STRINGS "${Utf8proc_INCLUDE_DIR}/utf8proc.h" _utf8proc_version_lines
       REGEX "#define UTF8PROC_VERSION_(MAJOR|MINOR|PATCH)")
  foreach(_part MAJOR MINOR PATCH)
    string(REGEX REPLACE ".*#define UTF8PROC_VERSION_${_part} ([0-9]+).*" "\\1" _v_${_part} "${_utf8proc_version_lines}")
  endforeach()
  set(Utf8proc_VERSION "${_v_MAJOR}.${_v_MINOR}.${_v_PATCH}")
endif()

find_package_handle_standard_args(Utf8proc
  REQUIRED_VARS Utf8proc_LIBRARY Utf8proc_INCLUDE_DIR
  VERSION_VAR Utf8proc_VERSION)

if(Utf8proc_FOUND AND NOT TARGET utf8proc::utf8proc)
  add_library(utf8proc::utf8proc UNKNOWN IMPORTED)
  set_target_properties(utf8proc::utf8proc PROPERTIES
    IMPORTED_LOCATION "${Utf8proc_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Utf8proc_INCLUDE_DIR}")
  if(Utf8proc_IS_STATIC)
    # utf8proc.h declares its functions dllimport on Windows unless told the library is static.
    set_property(TARGET utf8proc::utf8proc PROPERTY INTERFACE_COMPILE_DEFINITIONS UTF8PROC_STATIC)
  endif()
endif()
mark_as_advanced(Utf8proc_INCLUDE_DIR Utf8proc_LIBRARY)
