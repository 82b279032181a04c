//===--- main.cpp - stresslint-clangd: clangd plus stresslint diagnostics -===//
///
/// \file
/// `stresslint-clangd [--clangd=PATH] [clangd arguments...]`
///
/// A drop-in for the clangd binary: it starts the real clangd (`--clangd`,
/// else `clangd-16`, else `clangd` on PATH) with the other arguments and
/// passes every LSP message through unchanged, except that clangd's
/// `textDocument/publishDiagnostics` for a document is merged with
/// stresslint's findings for it (`source: "stresslint"`, `code` = rule id,
/// `codeDescription.href` = rule doc, notes as `relatedInformation`), and
/// clangd's answer to `textDocument/codeAction` gets a quick fix for each
/// stresslint finding with a fix in the requested range (a `WorkspaceEdit`
/// of the document, as `stresslint --fix` would apply it).
/// stresslint runs in-process on a worker thread over the editor's buffer:
/// on open and save, and 500 ms after the last change. Only documents under
/// the workspace roots of `initialize` are analysed.
///
/// Exit status: clangd's (128 + signal when it was killed); 2 when clangd
/// cannot be started. Malformed input gets a JSON-RPC -32700 error and is
/// not forwarded.
///
/// The parts: Proxy (the LSP between editor and clangd), ClangdProcess (the
/// child), DocumentLint (a document's findings), Lsp (framing, URIs,
/// positions). This file reads the arguments and starts them.
///
//===----------------------------------------------------------------------===//
#include "ClangdProcess.h"
#include "Proxy.h"

#include "rules/RuleSet.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

using namespace stresslint;
using namespace stresslint::clangd;

int main(int argc, char **argv) {
  std::string ClangdPath;
  std::string CompileCommandsDir;
  std::vector<std::string> ClangdArgs;
  bool NotLsp = false;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef A = argv[I];
    if (A.consume_front("--clangd=")) {
      ClangdPath = A.str();
      continue;
    }
    ClangdArgs.push_back(A.str());
    if (A.consume_front("--compile-commands-dir="))
      CompileCommandsDir = A.str();
    else if (A == "--compile-commands-dir" && I + 1 < argc)
      CompileCommandsDir = argv[I + 1];
    // Modes that do not speak LSP on stdio go straight to clangd.
    if (A == "--version" || A == "-version" || A == "--help" || A == "-help" ||
        A.startswith("--check"))
      NotLsp = true;
  }
  ClangdPath = findClangd(ClangdPath);
  if (ClangdPath.empty())
    return 2;
  if (NotLsp) {
    execClangd(ClangdPath, ClangdArgs);
    llvm::errs() << "stresslint-clangd: cannot run " << ClangdPath << "\n";
    return 2;
  }

  signal(SIGPIPE, SIG_IGN);
  // LSP goes to the editor through a private descriptor; anything else that
  // writes to stdout (it must not) lands on stderr instead of corrupting it.
  int EditorOut = dup(STDOUT_FILENO);
  dup2(STDERR_FILENO, STDOUT_FILENO);
  fcntl(EditorOut, F_SETFD, FD_CLOEXEC);

  int ToClangd = -1, FromClangd = -1;
  pid_t Pid = spawn(ClangdPath, ClangdArgs, ToClangd, FromClangd);
  if (Pid < 0) {
    llvm::errs() << "stresslint-clangd: cannot start " << ClangdPath << "\n";
    return 2;
  }
  activeRuleSet(); // Load the rules before the threads start.
  static Proxy P(EditorOut, ToClangd, FromClangd, Pid, CompileCommandsDir);
  std::thread Worker([] { P.runWorker(); });
  Worker.detach();
  std::thread FromClangdThread([] { P.runClangd(); });
  FromClangdThread.detach();
  P.runEditor();
  // The editor is gone: clangd sees end of input and exits; runClangd exits
  // this process with its status.
  close(ToClangd);
  for (;;)
    pause();
}
