//===--- SupportTest.cpp - lib/support: line table, upward search ----------===//
///
/// \file
/// LineTable agrees with clang on where lines start (`\n`, `\r\n`, a lone
/// `\r`), puts the end of a file with a final break on line N+1 column 1
/// without counting that line, and converts back; findUpward finds the
/// nearest directory, honours its limit and starts at a file's directory.
///
//===----------------------------------------------------------------------===//
#include "support/LineTable.h"
#include "support/UpwardSearch.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace stresslint;

namespace {

using Pos = std::pair<unsigned, unsigned>;

TEST(LineTable, PositionsAreOneBasedBytes) {
  LineTable T("ab\ncd");
  EXPECT_EQ(T.position(0), Pos(1, 1));
  EXPECT_EQ(T.position(2), Pos(1, 3)); // the break belongs to its line
  EXPECT_EQ(T.position(3), Pos(2, 1));
  EXPECT_EQ(T.position(5), Pos(2, 3)); // end of a file without a final break
  EXPECT_EQ(T.lineCount(), 2u);
  EXPECT_EQ(T.lineText(1), "ab");
  EXPECT_EQ(T.lineText(2), "cd");
  EXPECT_EQ(T.lineText(3), "");
  EXPECT_EQ(LineTable("\xc3\xa9x").position(2), Pos(1, 3)); // bytes, not characters
}

TEST(LineTable, FinalBreakEndsTheLastLine) {
  LineTable T("ab\ncd\n");
  EXPECT_EQ(T.lineCount(), 2u);
  // End of file: where clang puts it, on a line that holds nothing.
  EXPECT_EQ(T.position(6), Pos(3, 1));
  EXPECT_EQ(T.lineText(3), "");
  EXPECT_EQ(T.offset(3, 1), std::optional<size_t>(6));
  EXPECT_EQ(T.offset(4, 1), std::nullopt);
  EXPECT_EQ(LineTable("").lineCount(), 0u);
  EXPECT_EQ(LineTable("").position(0), Pos(1, 1));
  EXPECT_EQ(LineTable("\n").lineCount(), 1u);
  EXPECT_EQ(LineTable("x").lineCount(), 1u);
}

TEST(LineTable, CrLfIsOneBreakAndALoneCrIsOne) {
  LineTable Crlf("ab\r\ncd\r\n");
  EXPECT_EQ(Crlf.lineCount(), 2u);
  EXPECT_EQ(Crlf.position(2), Pos(1, 3)); // '\r'
  EXPECT_EQ(Crlf.position(3), Pos(1, 4)); // '\n' of the same break
  EXPECT_EQ(Crlf.position(4), Pos(2, 1));
  EXPECT_EQ(Crlf.lineText(1), "ab");
  EXPECT_EQ(Crlf.position(8), Pos(3, 1));

  LineTable Cr("ab\rcd\r");
  EXPECT_EQ(Cr.lineCount(), 2u);
  EXPECT_EQ(Cr.position(3), Pos(2, 1));
  EXPECT_EQ(Cr.lineText(2), "cd");

  LineTable Mixed("a\n\rb\r\n\nc");
  EXPECT_EQ(Mixed.lineCount(), 5u);
  EXPECT_EQ(Mixed.position(3), Pos(3, 1));
  EXPECT_EQ(Mixed.position(7), Pos(5, 1));
}

TEST(LineTable, OffsetIsTheInverseOfPosition) {
  for (llvm::StringRef Text :
       {"", "a", "ab\ncd", "ab\ncd\n", "\n\n", "a\r\nb\rc\n", "x\r\n\r\ny"}) {
    LineTable T(Text);
    for (size_t Off = 0; Off <= Text.size(); ++Off) {
      auto [Line, Column] = T.position(Off);
      EXPECT_EQ(T.offset(Line, Column), std::optional<size_t>(Off))
          << "offset " << Off << " of '" << Text.str() << "'";
    }
  }
  EXPECT_EQ(LineTable("ab").offset(0, 1), std::nullopt);
  EXPECT_EQ(LineTable("ab").offset(1, 0), std::nullopt);
}

/// A scratch directory tree, removed afterwards.
class UpwardSearch : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-upward", Root));
    llvm::SmallString<256> Real;
    ASSERT_FALSE(llvm::sys::fs::real_path(Root, Real));
    Root = Real;
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }
  std::string path(llvm::StringRef Rel) {
    llvm::SmallString<256> P(Root);
    llvm::sys::path::append(P, Rel);
    return std::string(P);
  }
  void touch(llvm::StringRef Rel) {
    ASSERT_FALSE(
        llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path(Rel))));
    std::error_code EC;
    llvm::raw_fd_ostream OS(path(Rel), EC);
    ASSERT_FALSE(EC);
  }
  llvm::SmallString<256> Root;
};

TEST_F(UpwardSearch, FindsTheNearestDirectory) {
  touch("compile_commands.json");
  touch("a/compile_commands.json");
  touch("a/b/c/main.cpp");
  EXPECT_EQ(findDirectoryHolding(path("a/b/c/main.cpp"), "compile_commands.json"),
            path("a"));
  EXPECT_EQ(findDirectoryHolding(path("a/b/c"), "compile_commands.json"), path("a"));
  EXPECT_EQ(findDirectoryHolding(path("a"), "compile_commands.json"), path("a"));
  EXPECT_EQ(findDirectoryHolding(path("a/b/c/main.cpp"), "no-such-file-here"), "");
  // A directory counts as well as a file (a `.git` directory).
  ASSERT_FALSE(llvm::sys::fs::create_directories(path("a/b/.git")));
  EXPECT_EQ(findDirectoryHolding(path("a/b/c/main.cpp"), ".git"), path("a/b"));
}

TEST_F(UpwardSearch, StopsWhereTheLimitSays) {
  touch("compile_commands.json");
  touch("a/b/main.cpp");
  auto Has = [&](llvm::StringRef Dir) {
    return llvm::sys::fs::exists(Dir + "/compile_commands.json");
  };
  EXPECT_EQ(findUpward(path("a/b/main.cpp"), Has), std::string(Root));
  std::string Limit = path("a");
  EXPECT_EQ(findUpward(path("a/b/main.cpp"), Has,
                       [&](llvm::StringRef Dir) { return Dir.startswith(Limit); }),
            "");
}

TEST_F(UpwardSearch, ResolvesRelativeStartsAgainstTheWorkingDirectory) {
  touch("a/compile_commands.json");
  touch("a/b/main.cpp");
  llvm::SmallString<256> Cwd;
  ASSERT_FALSE(llvm::sys::fs::current_path(Cwd));
  ASSERT_FALSE(llvm::sys::fs::set_current_path(path("a")));
  std::string Found = findDirectoryHolding("b/main.cpp", "compile_commands.json");
  ASSERT_FALSE(llvm::sys::fs::set_current_path(Cwd));
  EXPECT_EQ(Found, path("a"));
}

} // namespace
