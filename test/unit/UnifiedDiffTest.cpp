//===--- UnifiedDiffTest.cpp - The unified-diff reader ----------------------===//
#include "driver/UnifiedDiff.h"

#include <gtest/gtest.h>

using namespace stresslint;

namespace {

using Ranges = std::vector<std::pair<unsigned, unsigned>>;

ChangedLines parse(llvm::StringRef Diff) {
  auto C = parseUnifiedDiff(Diff);
  if (!C) {
    ADD_FAILURE() << llvm::toString(C.takeError());
    return {};
  }
  return std::move(*C);
}

std::string parseError(llvm::StringRef Diff) {
  auto C = parseUnifiedDiff(Diff);
  if (C)
    return "<parsed>";
  return llvm::toString(C.takeError());
}

TEST(UnifiedDiff, GitDiffWithZeroContext) {
  ChangedLines C = parse("diff --git a/src/q.cpp b/src/q.cpp\n"
                         "index 1111111..2222222 100644\n"
                         "--- a/src/q.cpp\n"
                         "+++ b/src/q.cpp\n"
                         "@@ -3 +3 @@ void f() {\n"
                         "-  old();\n"
                         "+  db.query(\"SELECT * FROM t\");\n"
                         "@@ -10,0 +11,2 @@\n"
                         "+a\n"
                         "+b\n"
                         "@@ -20,3 +22,0 @@\n"
                         "-x\n"
                         "-y\n"
                         "-z\n");
  ASSERT_EQ(C.files().size(), 1u);
  EXPECT_EQ(C.files().at("src/q.cpp"), (Ranges{{3, 3}, {11, 12}}));
  EXPECT_TRUE(C.touches("src/q.cpp", 3, 3));
  EXPECT_TRUE(C.touches("src/q.cpp", 5, 11));
  EXPECT_FALSE(C.touches("src/q.cpp", 4, 10));
  EXPECT_FALSE(C.touches("src/q.cpp", 13, 30)) << "a pure deletion adds no line";
  EXPECT_FALSE(C.touches("src/other.cpp", 3, 3));
}

TEST(UnifiedDiff, NewDeletedRenamedAndBinaryFiles) {
  ChangedLines C = parse("diff --git a/new.sql b/new.sql\n"
                         "new file mode 100644\n"
                         "--- /dev/null\n"
                         "+++ b/new.sql\n"
                         "@@ -0,0 +1,2 @@\n"
                         "+SELECT 1;\n"
                         "+SELECT * FROM t;\n"
                         "\\ No newline at end of file\n"
                         "diff --git a/gone.sql b/gone.sql\n"
                         "deleted file mode 100644\n"
                         "--- a/gone.sql\n"
                         "+++ /dev/null\n"
                         "@@ -1 +0,0 @@\n"
                         "-SELECT * FROM gone;\n"
                         "diff --git a/old.sql b/renamed.sql\n"
                         "similarity index 90%\n"
                         "rename from old.sql\n"
                         "rename to renamed.sql\n"
                         "--- a/old.sql\n"
                         "+++ b/renamed.sql\n"
                         "@@ -2 +2 @@\n"
                         "-SELECT a FROM t;\n"
                         "\\ No newline at end of file\n"
                         "+SELECT * FROM t;\n"
                         "\\ No newline at end of file\n"
                         "diff --git a/moved.sql b/moved2.sql\n"
                         "similarity index 100%\n"
                         "rename from moved.sql\n"
                         "rename to moved2.sql\n"
                         "diff --git a/logo.png b/logo.png\n"
                         "Binary files a/logo.png and b/logo.png differ\n");
  EXPECT_EQ(C.files().size(), 2u);
  EXPECT_EQ(C.files().at("new.sql"), (Ranges{{1, 2}}));
  EXPECT_EQ(C.files().at("renamed.sql"), (Ranges{{2, 2}}));
  EXPECT_EQ(C.files().count("gone.sql"), 0u);
  EXPECT_EQ(C.files().count("moved2.sql"), 0u);
}

TEST(UnifiedDiff, HunkBodiesAreWalkedByTheirCounts) {
  // A removed SQL comment line reads "--- ..." and an added one "+++ ...":
  // inside a hunk they are body lines, not file headers.
  ChangedLines C = parse("--- a/q.sql\n"
                         "+++ b/q.sql\n"
                         "@@ -1,4 +1,4 @@\n"
                         " SELECT 1;\n"
                         "--- old comment\n"
                         "+++ new comment\n"
                         " SELECT 2;\n"
                         "\n" // context line whose trailing space an editor stripped
                         "@@ -9,2 +9,3 @@\n"
                         " ctx\n"
                         "+added\n"
                         " ctx\n");
  EXPECT_EQ(C.files().size(), 1u);
  EXPECT_EQ(C.files().at("q.sql"), (Ranges{{2, 2}, {10, 10}}));
}

TEST(UnifiedDiff, PlainDiffQuotedNamesAndCrlf) {
  ChangedLines Plain = parse("--- q.sql\t2024-01-01 10:00:00.000000000 +0100\n"
                             "+++ q.sql\t2024-01-02 10:00:00.000000000 +0100\n"
                             "@@ -1 +1 @@\n"
                             "-a\n"
                             "+b\n");
  EXPECT_EQ(Plain.files().at("q.sql"), (Ranges{{1, 1}}));
  ChangedLines Quoted = parse("--- \"a/na\\303\\257ve \\\"x\\\".sql\"\n"
                              "+++ \"b/na\\303\\257ve \\\"x\\\".sql\"\n"
                              "@@ -0,0 +1 @@\n"
                              "+SELECT 1;\n");
  EXPECT_EQ(Quoted.files().count("na\xC3\xAFve \"x\".sql"), 1u);
  ChangedLines Crlf =
      parse("--- a/w.sql\r\n+++ b/w.sql\r\n@@ -1 +1,2 @@\r\n-a\r\n+b\r\n+c\r\n");
  EXPECT_EQ(Crlf.files().at("w.sql"), (Ranges{{1, 2}}));
}

TEST(UnifiedDiff, MalformedDiffsAreErrors) {
  EXPECT_NE(parseError("@@ -1 +1 @@\n-a\n+b\n").find("hunk before any"),
            std::string::npos);
  EXPECT_NE(parseError("--- a/x\n+++ b/x\n@@ -1 +1,zz @@\n")
                .find("line 3: malformed hunk header"),
            std::string::npos);
  EXPECT_NE(parseError("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n").find("truncated"),
            std::string::npos);
  EXPECT_NE(parseError("--- a/x\n+++ b/x\n@@ -1 +1 @@\n+a\n+b\n").find("does not fit"),
            std::string::npos);
  EXPECT_NE(parseError("--- a/x\n+++ \"b/x\n").find("unterminated"), std::string::npos);
  EXPECT_EQ(parseError(""), "<parsed>");
  EXPECT_EQ(parseError("not a diff at all\n"), "<parsed>");
}

TEST(UnifiedDiff, RangesMergeAndRebase) {
  ChangedLines C;
  C.add("a.cpp", 10, 2);
  C.add("a.cpp", 12, 1); // adjacent
  C.add("a.cpp", 3, 1);  // out of order
  C.add("a.cpp", 5, 0);  // nothing
  EXPECT_EQ(C.files().at("a.cpp"), (Ranges{{3, 3}, {10, 12}}));
  ChangedLines R = C.rebased("/nonexistent/root");
  EXPECT_EQ(R.files().count("/nonexistent/root/a.cpp"), 1u);
  EXPECT_TRUE(R.touches("/nonexistent/root/a.cpp", 12, 40));
}

} // namespace
