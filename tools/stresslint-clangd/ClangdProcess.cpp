//===--- ClangdProcess.cpp - The real clangd behind stresslint-clangd ------===//
#include "ClangdProcess.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stresslint::clangd {

std::string findClangd(const std::string &Requested) {
  std::string ClangdPath = Requested;
  if (ClangdPath.empty()) {
    for (const char *Name : {"clangd-16", "clangd"})
      if (auto P = llvm::sys::findProgramByName(Name)) {
        ClangdPath = *P;
        break;
      }
  } else if (ClangdPath.find('/') == std::string::npos) {
    if (auto P = llvm::sys::findProgramByName(ClangdPath))
      ClangdPath = *P;
  }
  if (ClangdPath.empty() || !llvm::sys::fs::can_execute(ClangdPath)) {
    llvm::errs() << "stresslint-clangd: cannot find clangd (tried "
                 << (ClangdPath.empty() ? "clangd-16, clangd" : ClangdPath)
                 << "); pass --clangd=PATH\n";
    return "";
  }
  return ClangdPath;
}

pid_t spawn(const std::string &Program, const std::vector<std::string> &Args,
            int &ToChild, int &FromChild) {
  int In[2], Out[2];
  if (pipe2(In, O_CLOEXEC) || pipe2(Out, O_CLOEXEC))
    return -1;
  pid_t Pid = fork();
  if (Pid < 0)
    return -1;
  if (Pid == 0) {
    dup2(In[0], STDIN_FILENO);
    dup2(Out[1], STDOUT_FILENO);
    std::vector<char *> Argv;
    Argv.push_back(const_cast<char *>(Program.c_str()));
    for (const std::string &A : Args)
      Argv.push_back(const_cast<char *>(A.c_str()));
    Argv.push_back(nullptr);
    execv(Program.c_str(), Argv.data());
    _exit(127);
  }
  close(In[0]);
  close(Out[1]);
  ToChild = In[1];
  FromChild = Out[0];
  return Pid;
}

void execClangd(const std::string &Program, std::vector<std::string> &Args) {
  std::vector<char *> Argv{const_cast<char *>(Program.c_str())};
  for (std::string &A : Args)
    Argv.push_back(A.data());
  Argv.push_back(nullptr);
  execv(Program.c_str(), Argv.data());
}

[[noreturn]] void exitWithStatusOf(pid_t Clangd) {
  int Status = 0;
  while (waitpid(Clangd, &Status, 0) < 0 && errno == EINTR) {
  }
  int Code = WIFEXITED(Status)     ? WEXITSTATUS(Status)
             : WIFSIGNALED(Status) ? 128 + WTERMSIG(Status)
                                   : 1;
  if (Code != 0)
    llvm::errs() << "stresslint-clangd: clangd exited with status " << Code << "\n";
  _exit(Code);
}

} // namespace stresslint::clangd
