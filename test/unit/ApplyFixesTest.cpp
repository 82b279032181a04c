//===--- ApplyFixesTest.cpp - --fix never loses user data ------------------===//
#include "driver/ApplyFixes.h"
#include "driver/ResultCache.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace stresslint;
using clang::tidy::ClangTidyError;

namespace {

class ApplyFixesTest : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-fix", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string write(llvm::StringRef Name, llvm::StringRef Text) {
    llvm::SmallString<256> P(Dir);
    llvm::sys::path::append(P, Name);
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    OS << Text;
    return std::string(P);
  }
  static std::string read(llvm::StringRef Path) {
    auto B = llvm::MemoryBuffer::getFile(Path);
    return B ? (*B)->getBuffer().str() : "<missing>";
  }
  /// A finding whose fix replaces \p Length bytes at \p Offset of \p Path.
  static ClangTidyError finding(const std::string &Path, unsigned Offset,
                                unsigned Length, llvm::StringRef Text) {
    ClangTidyError E("stress-select-star", ClangTidyError::Warning, "", false);
    E.Message.Message = "'*' ships every column";
    E.Message.FilePath = Path;
    E.Message.FileOffset = Offset;
    llvm::cantFail(E.Message.Fix[Path].add(
        clang::tooling::Replacement(Path, Offset, Length, Text)));
    return E;
  }

  llvm::SmallString<128> Dir;
};

const char *const Code = "q.exec(\"SELECT * FROM t\");\n";

TEST_F(ApplyFixesTest, AppliesWhenTheFileIsAsRead) {
  std::string P = write("a.cpp", Code);
  std::string Digest = contentDigest(Code);
  FixReport R = applyFixes({finding(P, 15, 1, "a, b")}, false,
                           [&](llvm::StringRef) { return std::optional(Digest); });
  EXPECT_EQ(R.Findings, 1u);
  EXPECT_EQ(R.Files, 1u);
  EXPECT_EQ(read(P), "q.exec(\"SELECT a, b FROM t\");\n");
}

TEST_F(ApplyFixesTest, LeavesAFileThatChangedAfterTheAnalysis) {
  std::string P = write("a.cpp", Code);
  std::string Old = contentDigest("q.exec(\"SELECT * FROM u\");\n");
  FixReport R = applyFixes({finding(P, 15, 1, "a, b")}, false,
                           [&](llvm::StringRef) { return std::optional(Old); });
  EXPECT_EQ(R.Files, 0u);
  ASSERT_EQ(R.Skipped.size(), 1u);
  EXPECT_NE(R.Skipped[0].find("changed after it was analysed"), std::string::npos);
  EXPECT_EQ(read(P), Code);
  // Nor one the analysis did not record.
  R = applyFixes({finding(P, 15, 1, "a, b")}, false,
                 [&](llvm::StringRef) { return std::optional<std::string>(); });
  EXPECT_EQ(R.Files, 0u);
  EXPECT_EQ(read(P), Code);
}

TEST_F(ApplyFixesTest, KeepsPermissionsAndSymlinks) {
  std::string P = write("a.cpp", Code);
  ASSERT_FALSE(llvm::sys::fs::setPermissions(P, llvm::sys::fs::owner_read |
                                                    llvm::sys::fs::owner_write |
                                                    llvm::sys::fs::group_read));
  llvm::SmallString<256> Link(Dir);
  llvm::sys::path::append(Link, "link.cpp");
  ASSERT_FALSE(llvm::sys::fs::create_link(P, Link));
  std::string Digest = contentDigest(Code);
  FixReport R = applyFixes({finding(std::string(Link), 15, 1, "a")}, false,
                           [&](llvm::StringRef) { return std::optional(Digest); });
  EXPECT_EQ(R.Files, 1u);
  EXPECT_EQ(read(P), "q.exec(\"SELECT a FROM t\");\n");
  llvm::sys::fs::file_status Status;
  ASSERT_FALSE(llvm::sys::fs::status(P, Status));
  EXPECT_EQ(Status.permissions(), llvm::sys::fs::owner_read |
                                      llvm::sys::fs::owner_write |
                                      llvm::sys::fs::group_read);
  ASSERT_FALSE(llvm::sys::fs::status(Link, Status, /*follow=*/false));
  EXPECT_EQ(Status.type(), llvm::sys::fs::file_type::symlink_file);
}

TEST_F(ApplyFixesTest, SkipsAFixThatOverlapsAnother) {
  std::string P = write("a.cpp", Code);
  std::string Digest = contentDigest(Code);
  FixReport R = applyFixes({finding(P, 15, 1, "a"), finding(P, 14, 3, "x")}, false,
                           [&](llvm::StringRef) { return std::optional(Digest); });
  EXPECT_EQ(R.Findings, 1u);
  EXPECT_EQ(R.Skipped.size(), 1u);
  EXPECT_EQ(read(P), "q.exec(\"SELECT a FROM t\");\n");
}

TEST_F(ApplyFixesTest, NeverAppliesTheCompilersFixIts) {
  std::string P = write("a.cpp", Code);
  std::string Digest = contentDigest(Code);
  ClangTidyError E = finding(P, 5, 0, ";");
  E.DiagnosticName = "clang-diagnostic-error";
  FixReport R =
      applyFixes({E}, true, [&](llvm::StringRef) { return std::optional(Digest); });
  EXPECT_EQ(R.Files, 0u);
  EXPECT_EQ(read(P), Code);
}

TEST_F(ApplyFixesTest, NoteFixesOnlyWithFixNotes) {
  std::string P = write("a.cpp", Code);
  std::string Digest = contentDigest(Code);
  ClangTidyError E("stress-offset-pagination", ClangTidyError::Warning, "", false);
  E.Message.FilePath = P;
  clang::tooling::DiagnosticMessage Note;
  Note.FilePath = P;
  llvm::cantFail(Note.Fix[P].add(clang::tooling::Replacement(P, 0, 1, "Q")));
  E.Notes.push_back(Note);
  auto Same = [&](llvm::StringRef) { return std::optional(Digest); };
  EXPECT_EQ(applyFixes({E}, false, Same).Files, 0u);
  EXPECT_EQ(read(P), Code);
  EXPECT_EQ(applyFixes({E}, true, Same).Files, 1u);
  EXPECT_EQ(read(P)[0], 'Q');
}

} // namespace
