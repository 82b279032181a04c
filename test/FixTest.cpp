//===--- FixTest.cpp - Fixes applied by the real --fix, compared -----------===//
///
/// \file
/// Every fixture with a `<name>.fixed.<ext>` beside it (clang-tidy's
/// CHECK-FIXES, as a whole file) is copied to a temporary directory, fixed
/// by the real `stresslint --fix` and by `clang-tidy-16 --load ... --fix`,
/// and must then read exactly as the `.fixed` file. A trap (no fix may be
/// offered) has a `.fixed` file equal to itself. The compiler flags are the
/// fixture's `// ARGS:` header, as in FixtureTest.cpp. A fixture whose
/// header has `FIX-NOTES` is fixed with `--fix-notes` (fixes attached to
/// notes, which change what the caller passes), and plain `--fix` must
/// leave it as it is.
///
//===----------------------------------------------------------------------===//
#include "support/RunProgram.h"

#include "support/Fixtures.h"
#include "llvm/ADT/StringExtras.h"
#include <gtest/gtest.h>

using namespace stresslint::testing_support;

namespace {

using stresslint_test::sourceDir;

/// `a/b/x.cpp` -> `a/b/x.fixed.cpp`.
std::string fixedPath(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  return (Path.drop_back(Ext.size()) + ".fixed" + Ext).str();
}

std::vector<std::string> fixtureWithFixes() {
  std::vector<std::string> Out;
  std::error_code EC;
  for (const char *Sub : {"test/fixtures/cpp", "test/fixtures/sql"}) {
    std::string Root = sourceDir() + "/" + Sub;
    for (llvm::sys::fs::recursive_directory_iterator It(Root, EC), End;
         It != End && !EC; It.increment(EC)) {
      llvm::StringRef P = It->path();
      if (P.contains(".fixed."))
        continue;
      if (llvm::sys::fs::exists(fixedPath(P)))
        Out.push_back(P.str());
    }
  }
  llvm::sort(Out);
  return Out;
}

/// The fixture's `CONFIG:` header, else the stress-* checks.
std::string configOf(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    L = L.trim();
    if (!L.consume_front("//") && !L.consume_front("--"))
      break;
    if (L.ltrim().consume_front("CONFIG:"))
      return L.ltrim().drop_front(strlen("CONFIG:")).trim().str();
  }
  return "{Checks: '-*,stress-*'}";
}

/// Does the fixture's header (its first comment lines) say `FIX-NOTES`?
bool fixNotes(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    L = L.trim();
    if (!L.consume_front("//") && !L.consume_front("--"))
      return false;
    if (L.trim() == "FIX-NOTES")
      return true;
  }
  return false;
}

std::string readFile(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  return Buf ? (*Buf)->getBuffer().str() : "<missing>";
}

/// The compiler flags of a C++ fixture: the stubs, then its `// ARGS:`.
std::vector<std::string> compilerArgs(llvm::StringRef Text) {
  std::vector<std::string> Args{"-std=c++17",
                                "-I" + sourceDir() + "/test/fixtures/stubs"};
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    L = L.trim();
    if (!L.consume_front("//"))
      break;
    if (!L.ltrim().consume_front("ARGS:"))
      continue;
    llvm::SmallVector<llvm::StringRef, 8> A;
    L.ltrim().drop_front(strlen("ARGS:")).split(A, ' ', -1, false);
    for (llvm::StringRef X : A)
      Args.push_back(X.str());
  }
  return Args;
}

class FixTest : public testing::TestWithParam<std::string> {
protected:
  /// Copies the fixture into \p Dir (a project root, with the fixtures'
  /// schema at the path their CONFIG names), runs \p Program with \p Args
  /// (the copy's path appended, then `--` and the compiler flags) and
  /// returns the copy's text afterwards.
  std::string fixWith(const TempDir &Dir, llvm::StringRef Program,
                      std::vector<std::string> Args, std::string &Log) {
    const std::string &Fixture = GetParam();
    std::string Text = readFile(Fixture);
    llvm::sys::fs::create_directories(Dir.str() + "/.git");
    for (const char *Ddl : {"1_tables.sql", "2_indexes.sql"})
      Dir.file(std::string("test/fixtures/schema/") + Ddl,
               readFile(sourceDir() + "/test/fixtures/schema/" + Ddl));
    std::string Copy = Dir.file(llvm::sys::path::filename(Fixture), Text);
    Args.push_back(Copy);
    if (llvm::sys::path::extension(Fixture) == ".cpp") {
      Args.push_back("--");
      llvm::append_range(Args, compilerArgs(Text));
    }
    ProgramResult R = runProgram(Program, Args);
    Log = "exit " + std::to_string(R.Exit) + "\n" + R.Out + R.Err;
    return readFile(Copy);
  }
};

TEST_P(FixTest, CliFixGivesTheFixedFile) {
  TempDir Dir("stresslint-fix");
  std::string Log;
  bool Notes = fixNotes(readFile(GetParam()));
  std::string Got = fixWith(Dir, STRESSLINT_CLI,
                            {Notes ? "--fix-notes" : "--fix", "--no-cache", "--quiet",
                             "--config=" + configOf(readFile(GetParam()))},
                            Log);
  EXPECT_EQ(readFile(fixedPath(GetParam())), Got) << Log;
}

TEST_P(FixTest, PlainFixLeavesTheFixesOfNotes) {
  std::string Text = readFile(GetParam());
  if (!fixNotes(Text))
    GTEST_SKIP() << "no fixes on notes here";
  TempDir Dir("stresslint-fix");
  std::string Log;
  std::string Got =
      fixWith(Dir, STRESSLINT_CLI,
              {"--fix", "--no-cache", "--quiet", "--config=" + configOf(Text)}, Log);
  EXPECT_EQ(Text, Got) << Log;
}

#if !STRESSLINT_SANITIZE
TEST_P(FixTest, PluginFixGivesTheFixedFile) {
  if (llvm::sys::path::extension(GetParam()) != ".cpp")
    GTEST_SKIP() << "clang-tidy reads C++ only";
  std::string ClangTidy = findProgram("clang-tidy-16");
  ASSERT_FALSE(ClangTidy.empty()) << "clang-tidy-16 is not installed";
  TempDir Dir("stresslint-fix");
  std::string Log;
  std::vector<std::string> Args{std::string("--load=") + STRESSLINT_TIDY_PLUGIN,
                                "--config=" + configOf(readFile(GetParam())), "--fix",
                                "--quiet"};
  if (fixNotes(readFile(GetParam())))
    Args.push_back("--fix-notes");
  std::string Got = fixWith(Dir, ClangTidy, Args, Log);
  EXPECT_EQ(readFile(fixedPath(GetParam())), Got) << Log;
}
#endif

std::string testName(const testing::TestParamInfo<std::string> &Info) {
  return stresslint_test::fixtureTestName(Info, "/test/fixtures/");
}

INSTANTIATE_TEST_SUITE_P(Fixes, FixTest, testing::ValuesIn(fixtureWithFixes()),
                         testName);

TEST(FixFixtures, EveryFixtureInFixesHasItsFixedFile) {
  std::error_code EC;
  unsigned Count = 0;
  std::string Root = sourceDir() + "/test/fixtures/cpp/fixes";
  for (llvm::sys::fs::directory_iterator It(Root, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::StringRef P = It->path();
    if (P.contains(".fixed.") || llvm::sys::path::extension(P) != ".cpp")
      continue;
    ++Count;
    EXPECT_TRUE(llvm::sys::fs::exists(fixedPath(P)))
        << P.str() << " has no .fixed file";
  }
  EXPECT_GE(Count, 5u);
}

} // namespace
