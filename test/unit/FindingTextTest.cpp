//===--- FindingTextTest.cpp - Findings printed as clang prints them ------===//
#include "driver/FindingText.h"

#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

using namespace stresslint;
using clang::tidy::ClangTidyError;

namespace {

/// Files in memory, and findings pointing into them.
class FindingTextTest : public ::testing::Test {
protected:
  FindingTextTest() : FS(new llvm::vfs::InMemoryFileSystem()) {}

  void addFile(llvm::StringRef Path, llvm::StringRef Text) {
    FS->addFile(Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Text, Path));
  }

  static ClangTidyError finding(llvm::StringRef Check, llvm::StringRef Message,
                                llvm::StringRef File, unsigned Offset, int Length = -1,
                                bool AsError = false, llvm::StringRef BuildDir = "") {
    ClangTidyError E(Check, AsError ? ClangTidyError::Error : ClangTidyError::Warning,
                     BuildDir, AsError);
    E.Message.Message = Message.str();
    E.Message.FilePath = File.str();
    E.Message.FileOffset = Offset;
    if (Length >= 0) {
      clang::tooling::FileByteRange R;
      R.FilePath = File.str();
      R.FileOffset = Offset;
      R.Length = static_cast<unsigned>(Length);
      E.Message.Ranges.push_back(R);
    }
    return E;
  }

  static void addNote(ClangTidyError &E, llvm::StringRef Message, llvm::StringRef File,
                      unsigned Offset) {
    clang::tooling::DiagnosticMessage N(Message);
    N.FilePath = File.str();
    N.FileOffset = Offset;
    E.Notes.push_back(N);
  }

  std::string print(const std::vector<ClangTidyError> &Errors, bool AlwaysClang,
                    unsigned *AsErrors = nullptr) {
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    FindingTextOptions Opts;
    Opts.AlwaysClang = AlwaysClang;
    unsigned N = printFindingText(Errors, OS, FS, Opts);
    if (AsErrors)
      *AsErrors = N;
    return OS.str();
  }

  /// Prints with both renderers; they must agree. Returns the text.
  std::string printBoth(const std::vector<ClangTidyError> &Errors) {
    std::string Clang = print(Errors, /*AlwaysClang=*/true);
    std::string Ours = print(Errors, /*AlwaysClang=*/false);
    EXPECT_EQ(Ours, Clang);
    return Ours;
  }

  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> FS;
};

TEST_F(FindingTextTest, PlainLineCaretRangeAndNoteAtTheSamePlace) {
  addFile("/p/q.sql", "-- head\nSELECT a FROM t OFFSET 10;\n");
  ClangTidyError E =
      finding("stress-offset", "'OFFSET 10' skips rows", "/p/q.sql", 24, 9);
  addNote(E, "page by key", "/p/q.sql", 24);
  EXPECT_EQ(printBoth({E}),
            "/p/q.sql:2:17: warning: 'OFFSET 10' skips rows [stress-offset]\n"
            "SELECT a FROM t OFFSET 10;\n"
            "                ^~~~~~~~~\n"
            "/p/q.sql:2:17: note: page by key\n");
}

TEST_F(FindingTextTest, WarningsAsErrorsAreCountedAndNamed) {
  addFile("/p/q.sql", "SELECT * FROM t;");
  unsigned AsErrors = 0;
  std::string Out = print({finding("stress-star", "star", "/p/q.sql", 7, 1, true),
                           finding("stress-star", "star", "/p/q.sql", 7, 1)},
                          false, &AsErrors);
  EXPECT_EQ(AsErrors, 1u);
  EXPECT_EQ(Out, "/p/q.sql:1:8: error: star [stress-star,-warnings-as-errors]\n"
                 "SELECT * FROM t;\n"
                 "       ^\n"
                 "/p/q.sql:1:8: warning: star [stress-star]\n"
                 "SELECT * FROM t;\n"
                 "       ^\n");
}

TEST_F(FindingTextTest, SameLocationWithoutRangesShowsTheSnippetOnce) {
  addFile("/p/q.sql", "SELECT * FROM t;\nSELECT 1;\n");
  ClangTidyError A = finding("a", "first", "/p/q.sql", 7);
  ClangTidyError B = finding("b", "second", "/p/q.sql", 7);
  ClangTidyError C = finding("c", "third", "/p/q.sql", 7);
  addNote(B, "elsewhere", "/p/q.sql", 17);
  std::string Out = printBoth({A, A, B, C});
  EXPECT_EQ(Out.rfind("/p/q.sql:1:8: warning: first [a]\nSELECT * FROM t;\n       ^\n"
                      "/p/q.sql:1:8: warning: first [a]\n"
                      "/p/q.sql:1:8: warning: second [b]\n"
                      "/p/q.sql:2:1: note: elsewhere\nSELECT 1;\n^\n"
                      "/p/q.sql:1:8: warning: third [c]\nSELECT * FROM t;\n       ^\n",
                      0),
            0u)
      << Out;
}

TEST_F(FindingTextTest, LinesClangRendersItselfAgree) {
  addFile("/p/tab.sql", "\tSELECT * FROM t;\n");
  addFile("/p/utf8.sql", "SELECT 'caf\xc3\xa9', * FROM t;\n");
  addFile("/p/latin1.sql", "SELECT '\xe9', * FROM t;\n");
  addFile("/p/ctrl.sql", "SELECT \x01* FROM t;\n");
  addFile("/p/crlf.sql", "SELECT 1;\r\nSELECT * FROM t;\r\n");
  addFile("/p/cr.sql", "SELECT 1;\rSELECT * FROM t;\r");
  std::vector<ClangTidyError> Errors{
      finding("x", "tab", "/p/tab.sql", 8, 1),
      finding("x", "utf8", "/p/utf8.sql", 15, 1),
      finding("x", "latin1", "/p/latin1.sql", 12, 1),
      finding("x", "ctrl", "/p/ctrl.sql", 8, 1),
      finding("x", "crlf", "/p/crlf.sql", 18, 1),
      finding("x", "crlf at the break", "/p/crlf.sql", 10, 1),
      finding("x", "cr", "/p/cr.sql", 17, 1),
  };
  std::string Out = printBoth(Errors);
  EXPECT_NE(Out.find("/p/cr.sql:2:8: warning: cr [x]\n"), std::string::npos) << Out;
  EXPECT_NE(Out.find("/p/crlf.sql:2:8: warning: crlf [x]\n"), std::string::npos) << Out;
}

TEST_F(FindingTextTest, RangesOverSeveralLinesAndLongLines) {
  addFile("/p/m.sql", "SELECT *\n  FROM t\n  LIMIT 5 OFFSET\n  100;\n");
  std::string Long = "SELECT " + std::string(5000, 'a') + " FROM t;\n";
  addFile("/p/long.sql", Long + "SELECT " + std::string(4089, 'b') + ";\n");
  std::vector<ClangTidyError> Errors{
      finding("x", "spans lines", "/p/m.sql", 34, 9),
      finding("x", "from before", "/p/m.sql", 19, 20),
      finding("x", "to the end", "/p/m.sql", 0, 41),
      finding("x", "past 4096", "/p/long.sql", 4500, 3),
      finding("x", "line too long", "/p/long.sql", 3, 3),
      finding("x", "caret at 4097", "/p/long.sql", Long.size() + 4096, 0),
      finding("x", "at the end", "/p/m.sql", 42),
  };
  std::string Out = printBoth(Errors);
  EXPECT_NE(Out.find("/p/m.sql:5:1: warning: at the end [x]\n"), std::string::npos)
      << Out;
}

TEST_F(FindingTextTest, MessagesClangEscapes) {
  addFile("/p/q.sql", "SELECT * FROM t;\n");
  std::vector<ClangTidyError> Errors{
      finding("x", "pattern '%\xe9x'", "/p/q.sql", 7, 1),
      finding("x", "bell \x07 and caf\xc3\xa9", "/p/q.sql", 7, 1),
      finding("x", "two\nlines\tand a tab", "/p/q.sql", 7, 1),
  };
  addNote(Errors[2], "note \x7f", "/p/q.sql", 0);
  std::string Out = printBoth(Errors);
  EXPECT_NE(Out.find("pattern '%<E9>x' [x]"), std::string::npos) << Out;
}

TEST_F(FindingTextTest, OtherFilesMissingFilesFixesAndBuildDirectories) {
  addFile("/p/a.cpp", "int f();\nint g() { return fx(); }\n");
  addFile("/p/b.h", "int h();\n");
  addFile("/build/src/c.cpp", "int k = 1;\n");
  ClangTidyError Other = finding("x", "range elsewhere", "/p/a.cpp", 9, 3);
  Other.Message.Ranges[0].FilePath = "/p/b.h";
  ClangTidyError Missing = finding("x", "no file", "/p/none.cpp", 3, 2);
  addNote(Missing, "note in a file", "/p/a.cpp", 0);
  ClangTidyError Fix =
      finding("clang-diagnostic-error", "did you mean 'f'?", "/p/a.cpp", 26, 2);
  llvm::cantFail(Fix.Message.Fix["/p/a.cpp"].add(
      clang::tooling::Replacement("/p/a.cpp", 26, 2, "f")));
  ClangTidyError Relative =
      finding("x", "relative", "src/c.cpp", 4, 1, false, "/build");
  std::string Out = printBoth({Other, Missing, Fix, Relative});
  EXPECT_NE(Out.find("warning: no file [x]\n/p/a.cpp:1:1: note: note in a file\n"),
            std::string::npos)
      << Out;
  EXPECT_NE(Out.find("src/c.cpp:1:5: warning: relative [x]\nint k = 1;\n    ^\n"),
            std::string::npos)
      << Out;
  EXPECT_NE(Out.find("\n" + std::string(17, ' ') + "f\n"), std::string::npos) << Out;
}

} // namespace
