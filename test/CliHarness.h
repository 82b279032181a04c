//===--- CliHarness.h - Run the built CLI in a temporary directory ---------===//
///
/// \file
/// A GoogleTest fixture for end-to-end tests: a fresh temporary directory,
/// files written into it, and the built stresslint (or another program, such
/// as git or python3) run with an explicit argv and captured output.
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

namespace stresslint_test {

struct RunResult {
  int Exit = -1;
  std::string Out, Err;
};

class CliHarness : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-cli", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string path(llvm::StringRef Name) const {
    llvm::SmallString<256> P(Dir);
    llvm::sys::path::append(P, Name);
    return std::string(P);
  }

  std::string write(llvm::StringRef Name, llvm::StringRef Content) {
    std::string P = path(Name);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    OS << Content;
    return P;
  }

  /// The content of \p Name, or "<missing>".
  std::string read(llvm::StringRef Name) const {
    auto Buf = llvm::MemoryBuffer::getFile(path(Name));
    return Buf ? (*Buf)->getBuffer().str() : "<missing>";
  }

  /// Runs \p Program (an absolute path) with \p Args; \p Stdin is a file
  /// read as standard input (empty: none).
  RunResult runProgram(llvm::StringRef Program, const std::vector<std::string> &Args,
                       llvm::StringRef Stdin = "", unsigned SecondsToWait = 120) {
    std::string OutFile = path(".out"), ErrFile = path(".err");
    std::vector<llvm::StringRef> Argv{Program};
    for (const std::string &A : Args)
      Argv.push_back(A);
    std::optional<llvm::StringRef> Redirects[] = {Stdin, llvm::StringRef(OutFile),
                                                  llvm::StringRef(ErrFile)};
    RunResult R;
    R.Exit = llvm::sys::ExecuteAndWait(Program, Argv, std::nullopt, Redirects,
                                       SecondsToWait);
    R.Out = read(".out");
    R.Err = read(".err");
    llvm::sys::fs::remove(OutFile);
    llvm::sys::fs::remove(ErrFile);
    return R;
  }

  RunResult run(const std::vector<std::string> &Args, llvm::StringRef Stdin = "") {
    return runProgram(STRESSLINT_CLI, Args, Stdin);
  }
  RunResult run(const std::vector<std::string> &Args, unsigned SecondsToWait) {
    return runProgram(STRESSLINT_CLI, Args, "", SecondsToWait);
  }
  /// Runs the CLI with \p Cwd (a directory under Dir) as its working
  /// directory.
  RunResult runIn(llvm::StringRef Cwd, const std::vector<std::string> &Args) {
    std::vector<std::string> Sh{"-c", "cd \"$0\" && exec \"$@\"", path(Cwd),
                                STRESSLINT_CLI};
    Sh.insert(Sh.end(), Args.begin(), Args.end());
    return runProgram("/bin/sh", Sh);
  }

  llvm::SmallString<256> Dir;
};

} // namespace stresslint_test

namespace {
using stresslint_test::RunResult;
/// The fixture of the CLI tests.
class CliTest : public stresslint_test::CliHarness {};
} // namespace

#endif
