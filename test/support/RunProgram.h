//===--- RunProgram.h - Run a program and capture its output (tests) ------===//
///
/// \file
/// Test helpers shared by the integration tests that drive real executables
/// (clang-tidy-16, pre-commit, nvim, the stresslint binaries): run with
/// captured stdout/stderr and a timeout, write files, make temp directories.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TEST_SUPPORT_RUNPROGRAM_H
#define STRESSLINT_TEST_SUPPORT_RUNPROGRAM_H

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>
#include <string>
#include <vector>

namespace stresslint::testing_support {

struct ProgramResult {
  int Exit = -1;
  std::string Out, Err, ErrMsg;
};

/// Runs \p Program with \p Args (argv[0] added), stdin from /dev/null,
/// optionally in a replaced environment, killed after \p Seconds.
inline ProgramResult runProgram(llvm::StringRef Program,
                                const std::vector<std::string> &Args,
                                std::optional<std::vector<std::string>> Env = {},
                                unsigned Seconds = 120) {
  llvm::SmallString<128> OutFile, ErrFile;
  llvm::sys::fs::createTemporaryFile("stresslint-run", "out", OutFile);
  llvm::sys::fs::createTemporaryFile("stresslint-run", "err", ErrFile);
  std::vector<llvm::StringRef> Argv{Program};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<std::vector<llvm::StringRef>> EnvRefs;
  if (Env)
    EnvRefs.emplace(Env->begin(), Env->end());
  std::optional<llvm::StringRef> Redirects[] = {
      llvm::StringRef(""), llvm::StringRef(OutFile), llvm::StringRef(ErrFile)};
  ProgramResult R;
  R.Exit = llvm::sys::ExecuteAndWait(Program, Argv, EnvRefs, Redirects, Seconds, 0,
                                     &R.ErrMsg);
  if (auto B = llvm::MemoryBuffer::getFile(OutFile))
    R.Out = (*B)->getBuffer().str();
  if (auto B = llvm::MemoryBuffer::getFile(ErrFile))
    R.Err = (*B)->getBuffer().str();
  llvm::sys::fs::remove(OutFile);
  llvm::sys::fs::remove(ErrFile);
  return R;
}

/// Writes \p Content to \p Dir/\p Name (creating directories); returns the
/// path.
inline std::string writeFile(llvm::StringRef Dir, llvm::StringRef Name,
                             llvm::StringRef Content) {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Name);
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
  std::error_code EC;
  llvm::raw_fd_ostream OS(P, EC);
  OS << Content;
  return std::string(P);
}

/// The absolute path of \p Name on PATH, or an empty string.
inline std::string findProgram(llvm::StringRef Name) {
  auto P = llvm::sys::findProgramByName(Name);
  return P ? *P : std::string();
}

/// A temporary directory removed with the object.
class TempDir {
public:
  explicit TempDir(llvm::StringRef Prefix) {
    llvm::sys::fs::createUniqueDirectory(Prefix, Path);
    llvm::SmallString<256> Real;
    if (!llvm::sys::fs::real_path(Path, Real))
      Path = Real;
  }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  std::string str() const { return std::string(Path); }
  std::string file(llvm::StringRef Name, llvm::StringRef Content) const {
    return writeFile(Path, Name, Content);
  }

private:
  llvm::SmallString<256> Path;
};

} // namespace stresslint::testing_support

#endif
