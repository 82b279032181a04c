//===--- RapidJson.h - RapidJSON, as stresslint includes it ----------------===//
///
/// \file
/// Every RapidJSON include goes through here. The 1.1.0 release Debian ships
/// computes `stackTop_ + n` on a stack that is still null before its first
/// allocation (internal/stack.h, Stack::Reserve, on every first push). The
/// comparison that follows is what it means and works everywhere, but
/// offsetting a null pointer is undefined, and Clang's UBSan
/// (pointer-overflow, in the fuzz targets' -fsanitize=undefined) stops on
/// it. The check is turned off for RapidJSON's own functions only; our code
/// keeps it.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_RAPIDJSON_H
#define STRESSLINT_SQL_RAPIDJSON_H

// The standard headers RapidJSON uses come first, so the attribute below
// reaches only RapidJSON's own functions.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <istream>
#include <iterator>
#include <limits>
#include <new>
#include <ostream>
#include <streambuf>
#include <string>
#include <utility>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("pointer-overflow"))),         \
                                 apply_to = function)
#endif
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#if defined(__clang__)
#pragma clang attribute pop
#endif

#endif
