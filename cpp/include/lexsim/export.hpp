#pragma once
// LEXSIM_API marks the declarations a shared lexsim library exports. The library is compiled with
// hidden visibility by default (CMake's CXX_VISIBILITY_PRESET), so its dynamic symbol table holds
// the public API and nothing of detail:: internals, utf8proc or libstemmer; the exception classes
// are marked so that a program catches them by type across the library boundary. In a static
// library the marks change nothing.
#if defined(_WIN32)
#if defined(LEXSIM_BUILDING_SHARED)
#define LEXSIM_API __declspec(dllexport)
#elif defined(LEXSIM_SHARED)
#define LEXSIM_API __declspec(dllimport)
#else
#define LEXSIM_API
#endif
#else
#define LEXSIM_API __attribute__((visibility("default")))
#endif
