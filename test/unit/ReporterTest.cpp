//===--- ReporterTest.cpp - A file's findings, with and without the engine -===//
///
/// \file
/// reportFileFindingsDirectly must make the very ClangTidyErrors that
/// reporting the same findings through clang-tidy's engine makes (levels,
/// WarningsAsErrors, the check filter, messages with `%`, ranges, notes and
/// blank notes, the order), and must decline where the engine could make
/// them differ.
///
//===----------------------------------------------------------------------===//
#include "tidy/Reporter.h"
#include "rules/RuleSet.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <gtest/gtest.h>

using namespace stresslint;
namespace tidy = clang::tidy;
namespace tooling = clang::tooling;

namespace {

const char *const Path = "/project/q.sql";
const char *const Text = "SELECT * FROM t;\n"
                         "SELECT a FROM t WHERE a LIKE '%x' OFFSET 5;\n"
                         "SELECT b FROM u;\n";

Rule makeRule(llvm::StringRef Id, RuleSeverity S) {
  Rule R;
  R.Id = Id.str();
  R.Severity = S;
  return R;
}

class FileFindingsTest : public testing::Test {
protected:
  void SetUp() override {
    tidy::ClangTidyOptions O = tidy::ClangTidyOptions::getDefaults();
    O.Checks = "-*,stress-a*,stress-b*,stress-note";
    O.WarningsAsErrors = "stress-b*";
    Ctx = std::make_unique<tidy::ClangTidyContext>(
        std::make_unique<tidy::DefaultOptionsProvider>(tidy::ClangTidyGlobalOptions(),
                                                       O));
    Consumer = std::make_unique<tidy::ClangTidyDiagnosticConsumer>(
        *Ctx, nullptr, /*RemoveIncompatibleErrors=*/true, /*GetFixesFromNotes=*/false);
    DE = std::make_unique<clang::DiagnosticsEngine>(
        new clang::DiagnosticIDs(), new clang::DiagnosticOptions(), Consumer.get(),
        /*ShouldOwnClient=*/false);
    Ctx->setDiagnosticsEngine(DE.get());
    Ctx->setCurrentFile(Path);
    Ctx->setCurrentBuildDirectory("");
  }

  /// The errors the engine makes of \p Findings in a file with \p Contents.
  std::vector<tidy::ClangTidyError> throughEngine(llvm::ArrayRef<FileFinding> Findings,
                                                  llvm::StringRef Contents = Text) {
    auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    FS->addFile(Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Contents, Path));
    std::vector<tidy::ClangTidyError> Out;
    std::vector<std::string> Problems;
    reportFileFindingsThroughEngine(*Ctx, *Consumer, *DE, FS, Path, Findings, Out,
                                    Problems);
    EXPECT_TRUE(Problems.empty());
    return Out;
  }

  std::unique_ptr<tidy::ClangTidyContext> Ctx;
  std::unique_ptr<tidy::ClangTidyDiagnosticConsumer> Consumer;
  std::unique_ptr<clang::DiagnosticsEngine> DE;
  Rule A = makeRule("stress-a", RuleSeverity::Warning);
  Rule B = makeRule("stress-b", RuleSeverity::Warning);
  Rule Note = makeRule("stress-note", RuleSeverity::Note);
  Rule OffWarning = makeRule("stress-off", RuleSeverity::Warning);
  Rule OffError = makeRule("stress-off-error", RuleSeverity::Error);
};

std::string show(const tooling::DiagnosticMessage &M) {
  std::string S =
      M.FilePath + ":" + std::to_string(M.FileOffset) + " '" + M.Message + "'";
  for (const tooling::FileByteRange &R : M.Ranges)
    S += " [" + R.FilePath + ":" + std::to_string(R.FileOffset) + "+" +
         std::to_string(R.Length) + "]";
  S += " fixes " + std::to_string(M.Fix.size());
  return S;
}

/// Everything a report or an output format reads of \p Errors.
std::vector<std::string> show(const std::vector<tidy::ClangTidyError> &Errors) {
  std::vector<std::string> Out;
  for (const tidy::ClangTidyError &E : Errors) {
    std::string S = E.DiagnosticName + " level " + std::to_string(E.DiagLevel) +
                    (E.IsWarningAsError ? " as-error" : "") + " dir '" +
                    E.BuildDirectory + "' " + show(E.Message);
    for (const tooling::DiagnosticMessage &N : E.Notes)
      S += "\n  note " + show(N);
    for (const std::string &Alias : E.EnabledDiagnosticAliases)
      S += "\n  alias " + Alias;
    Out.push_back(std::move(S));
  }
  return Out;
}

TEST_F(FileFindingsTest, DirectErrorsAreTheEnginesErrors) {
  // Out of order, at one place with other words, a `%` in a message, a
  // blank note, two notes, a remark, and checks the file does not enable.
  std::vector<FileFinding> Findings = {
      {&A, 46, 54, "'%x' starts with a wildcard", {{46, "use a trigram index"}}},
      {&A, 7, 8, "'*' ships every column", {{7, "name the columns"}}},
      {&B, 7, 8, "'*' again, 100% of it", {{7, "   "}}},
      {&Note, 17, 23, "a note-level finding", {{30, "first"}, {17, "second"}}},
      {&OffWarning, 55, 61, "not enabled", {}},
      {&OffError, 62, 70, "an error is kept", {}},
  };
  std::vector<tidy::ClangTidyError> Direct;
  ASSERT_TRUE(reportFileFindingsDirectly(*Ctx, Path, Text, Findings, Direct));
  std::vector<tidy::ClangTidyError> Engine = throughEngine(Findings);
  EXPECT_EQ(show(Direct), show(Engine));
  EXPECT_EQ(Direct.size(), 5u);
}

TEST_F(FileFindingsTest, WhatTheEngineCouldChangeGoesThroughIt) {
  std::vector<tidy::ClangTidyError> Out;
  // A NOLINT comment anywhere in the file.
  std::string WithNolint = std::string(Text) + "-- NOLINTNEXTLINE(stress-a)\n";
  EXPECT_FALSE(reportFileFindingsDirectly(*Ctx, Path, WithNolint,
                                          {{&A, 7, 8, "'*' ships", {}}}, Out));
  // A note with edits (clang merges fix-its).
  EXPECT_FALSE(reportFileFindingsDirectly(
      *Ctx, Path, Text, {{&A, 55, 61, "OFFSET", {{55, "use a key", {{55, 61, "x"}}}}}},
      Out));
  // Two findings at one place with the same words (clang-tidy merges
  // them into one with an alias).
  EXPECT_FALSE(reportFileFindingsDirectly(
      *Ctx, Path, Text, {{&A, 7, 8, "same", {}}, {&B, 7, 8, "same", {}}}, Out));
  EXPECT_TRUE(Out.empty());
  // What the engine makes of the last: one error, the other check an alias.
  EXPECT_EQ(throughEngine({{&A, 7, 8, "same", {}}, {&B, 7, 8, "same", {}}}).size(), 1u);
}

} // namespace
