//===--- ClangdProcess.h - The real clangd behind stresslint-clangd --------===//
///
/// \file
/// Finding the clangd binary (`--clangd`, else `clangd-16`, else `clangd`
/// on PATH), starting it with pipes for its stdin and stdout (stderr is
/// shared), running it in place of this process for modes that do not
/// speak LSP, and exiting with its status when it is gone.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TOOLS_CLANGD_CLANGDPROCESS_H
#define STRESSLINT_TOOLS_CLANGD_CLANGDPROCESS_H

#include <string>
#include <sys/types.h>
#include <vector>

namespace stresslint::clangd {

/// The clangd to run: \p Requested (a path, or a name looked up on PATH),
/// else `clangd-16` or `clangd` on PATH; "" when none is executable.
std::string findClangd(const std::string &Requested);

/// Runs clangd with pipes for stdin and stdout; stderr is shared. -1 when
/// it cannot be started.
pid_t spawn(const std::string &Program, const std::vector<std::string> &Args,
            int &ToChild, int &FromChild);

/// Replaces this process with clangd; returns only when that fails.
void execClangd(const std::string &Program, std::vector<std::string> &Args);

/// Waits for clangd and exits with its status (128 + signal when it was
/// killed).
[[noreturn]] void exitWithStatusOf(pid_t Clangd);

} // namespace stresslint::clangd

#endif
