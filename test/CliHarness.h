//===--- CliHarness.h - Run the built stresslint CLI in a temp dir ---------===//
///
/// \file
/// The fixture of the end-to-end CLI tests: a fresh temporary directory, a
/// helper to write files into it, and one to run the built executable with
/// stdout/stderr captured.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TEST_CLIHARNESS_H
#define STRESSLINT_TEST_CLIHARNESS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

namespace {

struct RunResult {
  int Exit = -1;
  std::string Out, Err;
};

class CliTest : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-cli", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string write(llvm::StringRef Name, llvm::StringRef Content) {
    llvm::SmallString<256> P(Dir);
    llvm::sys::path::append(P, Name);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    OS << Content;
    return std::string(P);
  }

  RunResult run(std::vector<std::string> Args, unsigned SecondsToWait = 120) {
    std::string OutFile = std::string(Dir) + "/.out", ErrFile = std::string(Dir) + "/.err";
    std::vector<llvm::StringRef> Argv{STRESSLINT_CLI};
    for (const std::string &A : Args)
      Argv.push_back(A);
    std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""),
                                                  llvm::StringRef(OutFile),
                                                  llvm::StringRef(ErrFile)};
    RunResult R;
    R.Exit = llvm::sys::ExecuteAndWait(STRESSLINT_CLI, Argv, std::nullopt, Redirects,
                                       SecondsToWait);
    R.Out = (*llvm::MemoryBuffer::getFile(OutFile))->getBuffer().str();
    R.Err = (*llvm::MemoryBuffer::getFile(ErrFile))->getBuffer().str();
    return R;
  }

  llvm::SmallString<256> Dir;
};

} // namespace

#endif
