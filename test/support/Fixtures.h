//===--- Fixtures.h - Where the fixtures are and what their tests are called ===//
///
/// \file
/// Shared by the parameterised fixture tests (FixtureTest, FixTest,
/// PluginTest): the source tree the fixtures are read from, and a test name
/// for each fixture file.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TEST_SUPPORT_FIXTURES_H
#define STRESSLINT_TEST_SUPPORT_FIXTURES_H

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include <cstdlib>
#include <gtest/gtest.h>
#include <string>

namespace stresslint_test {

/// The source tree (STRESSLINT_SOURCE_DIR in the environment overrides the
/// one the tests were built from).
inline std::string sourceDir() {
  if (const char *Env = std::getenv("STRESSLINT_SOURCE_DIR"))
    return Env;
  return STRESSLINT_SOURCE_DIR;
}

/// The test name of fixture \p Info.param: its path under \p Under (from the
/// source tree: `/test/fixtures/`), each other character than a letter or a
/// digit an underscore (`cpp/fixes/pqxx.cpp` -> `cpp_fixes_pqxx_cpp`).
inline std::string fixtureTestName(const testing::TestParamInfo<std::string> &Info,
                                   llvm::StringRef Under) {
  std::string Rel = Info.param.substr(sourceDir().size() + Under.size());
  for (char &C : Rel)
    if (!llvm::isAlnum(C))
      C = '_';
  return Rel;
}

} // namespace stresslint_test

#endif
