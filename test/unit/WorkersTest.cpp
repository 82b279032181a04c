//===--- WorkersTest.cpp - Worker processes, their wire format, atomic writes ---===//
///
/// \file
/// The per-TU result survives the trip through a worker's pipe byte for byte
/// (non-UTF-8 messages, ranges, notes, replacements, warnings-as-errors);
/// outcomes come back in job order whatever the scheduling; a child that
/// crashes, exits abnormally or hangs is reported and the others still run;
/// writeFileAtomically replaces files whole and keeps their permissions.
///
//===----------------------------------------------------------------------===//
#include "driver/Workers.h"
#include "driver/TUResult.h"
#include "support/AtomicFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <gtest/gtest.h>
#include <thread>
#include <unistd.h>

using namespace stresslint;
using clang::tidy::ClangTidyError;

namespace {

ClangTidyError sampleError() {
  ClangTidyError E("stress-select-star", ClangTidyError::Warning, "/build", true);
  E.EnabledDiagnosticAliases = {"stress-alias"};
  E.Message.Message = std::string("'*' in caf\xe9 \"quoted\"\n");
  E.Message.FilePath = "/src/a.cpp";
  E.Message.FileOffset = 42;
  clang::tooling::FileByteRange R;
  R.FilePath = "/src/a.cpp";
  R.FileOffset = 42;
  R.Length = 9;
  E.Message.Ranges.push_back(R);
  llvm::cantFail(E.Message.Fix["/src/a.cpp"].add(
      clang::tooling::Replacement("/src/a.cpp", 42, 1, "id, name")));
  llvm::cantFail(E.Message.Fix["/src/b.h"].add(
      clang::tooling::Replacement("/src/b.h", 3, 0, std::string("\xff"))));
  clang::tooling::DiagnosticMessage N("page by key instead");
  N.FilePath = "/src/a.cpp";
  N.FileOffset = 50;
  E.Notes.push_back(N);
  return E;
}

TEST(TUResultTest, RoundTripKeepsEveryByte) {
  TUResult In;
  In.Errors = {sampleError()};
  In.Errors.emplace_back("clang-diagnostic-error", ClangTidyError::Error, "", false);
  In.Summary = std::string("{\"functions\":[]}\x80", 17);
  In.Warnings = {"dropped '-fplugin=x.so'"};
  In.Problems = {"/src/a.cpp: compiler errors; analysed a partial AST"};
  In.HiddenCompileErrors = true;
  auto Out = deserializeTUResult(serializeTUResult(In));
  ASSERT_TRUE(static_cast<bool>(Out)) << llvm::toString(Out.takeError());
  ASSERT_EQ(Out->Errors.size(), 2u);
  const ClangTidyError &A = In.Errors[0], &B = Out->Errors[0];
  EXPECT_EQ(B.DiagnosticName, A.DiagnosticName);
  EXPECT_EQ(B.DiagLevel, A.DiagLevel);
  EXPECT_EQ(B.BuildDirectory, A.BuildDirectory);
  EXPECT_TRUE(B.IsWarningAsError);
  EXPECT_EQ(B.EnabledDiagnosticAliases, A.EnabledDiagnosticAliases);
  EXPECT_EQ(B.Message.Message, A.Message.Message);
  EXPECT_EQ(B.Message.FilePath, A.Message.FilePath);
  EXPECT_EQ(B.Message.FileOffset, 42u);
  ASSERT_EQ(B.Message.Ranges.size(), 1u);
  EXPECT_EQ(B.Message.Ranges[0].Length, 9u);
  ASSERT_EQ(B.Message.Fix.size(), 2u);
  EXPECT_EQ(B.Message.Fix.find("/src/a.cpp")->second.begin()->getReplacementText(),
            "id, name");
  EXPECT_EQ(B.Message.Fix.find("/src/b.h")->second.begin()->getReplacementText(),
            "\xff");
  ASSERT_EQ(B.Notes.size(), 1u);
  EXPECT_EQ(B.Notes[0].Message, "page by key instead");
  EXPECT_EQ(B.Notes[0].FileOffset, 50u);
  EXPECT_EQ(Out->Errors[1].DiagLevel, ClangTidyError::Error);
  EXPECT_FALSE(Out->Errors[1].IsWarningAsError);
  EXPECT_EQ(Out->Summary, In.Summary);
  EXPECT_EQ(Out->Warnings, In.Warnings);
  EXPECT_EQ(Out->Problems, In.Problems);
  EXPECT_TRUE(Out->HiddenCompileErrors);
}

TEST(TUResultTest, TruncatedOrForeignPayloadIsAnError) {
  TUResult In;
  In.Errors = {sampleError()};
  std::string Wire = serializeTUResult(In);
  EXPECT_FALSE(static_cast<bool>(deserializeTUResult(Wire.substr(0, Wire.size() / 2))));
  auto Foreign = deserializeTUResult("{\"errors\": [{\"check\": 3}]}");
  ASSERT_FALSE(static_cast<bool>(Foreign));
  EXPECT_EQ(llvm::toString(Foreign.takeError()), "malformed worker result");
}

TEST(WorkersTest, OutcomesComeBackInJobOrder) {
  JobOptions Opts;
  Opts.Jobs = 3;
  std::vector<unsigned> Order;
  std::vector<std::string> Payloads;
  // Later jobs finish first.
  runJobs(
      6, Opts,
      [](unsigned I) {
        std::this_thread::sleep_for(std::chrono::milliseconds(30 * (6 - I)));
        return "result " + std::to_string(I) + std::string(100000, 'x');
      },
      [&](unsigned I, JobOutcome &&O) {
        Order.push_back(I);
        EXPECT_EQ(O.State, JobOutcome::Done);
        Payloads.push_back(O.Payload.substr(0, 8));
      });
  EXPECT_EQ(Order, (std::vector<unsigned>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(Payloads[4], "result 4");
}

TEST(WorkersTest, ChildrenRunInOtherProcesses) {
  pid_t Parent = getpid();
  std::string Seen;
  runJobs(
      1, JobOptions(), [](unsigned) { return std::to_string(getpid()); },
      [&](unsigned, JobOutcome &&O) { Seen = O.Payload; });
  EXPECT_NE(Seen, std::to_string(Parent));
  JobOptions Here;
  Here.InProcess = true;
  runJobs(
      1, Here, [](unsigned) { return std::to_string(getpid()); },
      [&](unsigned, JobOutcome &&O) { Seen = O.Payload; });
  EXPECT_EQ(Seen, std::to_string(Parent));
}

TEST(WorkersTest, CrashExitAndHangAreReportedOthersStillRun) {
  JobOptions Opts;
  Opts.Jobs = 2;
  Opts.TimeoutSeconds = 1;
  std::vector<JobOutcome> Got(5);
  auto Start = std::chrono::steady_clock::now();
  runJobs(
      5, Opts,
      [](unsigned I) -> std::string {
        if (I == 1)
          std::raise(SIGKILL);
        if (I == 2)
          std::_Exit(3);
        if (I == 3)
          std::this_thread::sleep_for(std::chrono::seconds(60));
        return "ok";
      },
      [&](unsigned I, JobOutcome &&O) { Got[I] = std::move(O); });
  auto Took = std::chrono::steady_clock::now() - Start;
  EXPECT_LT(Took, std::chrono::seconds(20));
  EXPECT_EQ(Got[0].State, JobOutcome::Done);
  EXPECT_EQ(Got[1].State, JobOutcome::Crashed);
  EXPECT_EQ(describeFailure(Got[1], 1), "analysis crashed (signal 9)");
  EXPECT_EQ(Got[2].State, JobOutcome::Failed);
  EXPECT_EQ(Got[2].ExitCode, 3);
  EXPECT_EQ(Got[3].State, JobOutcome::TimedOut);
  EXPECT_EQ(describeFailure(Got[3], 1), "analysis timed out after 1s");
  EXPECT_EQ(Got[4].State, JobOutcome::Done);
  EXPECT_EQ(Got[4].Payload, "ok");
}

class AtomicFileTest : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-atomic", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }
  std::string path(llvm::StringRef Name) { return (Dir + "/" + Name).str(); }
  std::string read(llvm::StringRef P) {
    auto B = llvm::MemoryBuffer::getFile(P);
    return B ? (*B)->getBuffer().str() : "<missing>";
  }
  unsigned entries() {
    std::error_code EC;
    unsigned N = 0;
    for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC))
      ++N;
    return N;
  }
  llvm::SmallString<256> Dir;
};

TEST_F(AtomicFileTest, ReplacesWholeAndKeepsPermissions) {
  std::string P = path("report.json");
  ASSERT_FALSE(static_cast<bool>(writeFileAtomically(P, "old\n")));
  EXPECT_EQ(read(P), "old\n");
  ASSERT_FALSE(llvm::sys::fs::setPermissions(P, llvm::sys::fs::owner_read |
                                                    llvm::sys::fs::owner_write |
                                                    llvm::sys::fs::group_read));
  llvm::Error E = writeFileAtomically(P, [](llvm::raw_ostream &OS) {
    for (int I = 0; I < 100000; ++I)
      OS << "line " << I << "\n";
  });
  ASSERT_FALSE(static_cast<bool>(E));
  EXPECT_TRUE(llvm::StringRef(read(P)).endswith("line 99999\n"));
  llvm::sys::fs::file_status St;
  ASSERT_FALSE(llvm::sys::fs::status(P, St));
  EXPECT_EQ(St.permissions(), llvm::sys::fs::owner_read | llvm::sys::fs::owner_write |
                                  llvm::sys::fs::group_read);
  EXPECT_EQ(entries(), 1u) << "a temporary file was left behind";
}

TEST_F(AtomicFileTest, FailedRenameLeavesTargetAndNoTemporary) {
  // The target is a non-empty directory: the rename fails after the data
  // was written; nothing of the old content is lost, no temp file remains.
  std::string P = path("out");
  ASSERT_FALSE(llvm::sys::fs::create_directory(P));
  ASSERT_FALSE(static_cast<bool>(writeFileAtomically(P + "/keep", "keep me\n")));
  llvm::Error E = writeFileAtomically(P, "new\n");
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("cannot replace '" + P),
            std::string::npos);
  EXPECT_EQ(read(P + "/keep"), "keep me\n");
  EXPECT_EQ(entries(), 1u) << "a temporary file was left behind";
}

TEST_F(AtomicFileTest, MissingDirectoryIsAnErrorNamingThePath) {
  std::string P = path("no/such/dir/out.json");
  llvm::Error E = writeFileAtomically(P, "x");
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_NE(
      llvm::toString(std::move(E)).find("cannot create a temporary file beside '" + P),
      std::string::npos);
}

} // namespace
