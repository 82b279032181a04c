//===--- CompileArgs.h - Make a project's compile command safe for Clang ---===//
///
/// \file
/// Compile commands come from the project: written for GCC, with CMake's
/// GCC precompiled headers, sometimes with compiler plugins. Before Clang
/// parses a TU, flags Clang does not know are dropped (as clangd does), a
/// `-include X` whose `X.gch` is not Clang's is dropped, `-Werror` is
/// dropped, and flags that load
/// code into the compiler are dropped with a warning: linting a repository
/// must never run code it names.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_COMPILEARGS_H
#define STRESSLINT_DRIVER_COMPILEARGS_H

#include "clang/Tooling/ArgumentsAdjusters.h"

namespace stresslint {

/// The adjuster; \p Warn receives one line per dropped plugin flag.
clang::tooling::ArgumentsAdjuster
getSanitizingAdjuster(const std::function<void(const std::string &)> &Warn);

/// Without a compilation database the command is Clang's made-up
/// `clang-tool`, and Clang's driver looks for the GCC installation (the C++
/// standard library's headers) beside the running binary: a copy of
/// stresslint in `/tmp` or `/opt` would take `/lib/gcc` by a path whose
/// multiarch headers are missing. The command names the clang++ of the LLVM
/// stresslint was built with instead, as `clang++-16` would run.
clang::tooling::ArgumentsAdjuster getDriverPathAdjuster();

/// Without a compilation database: a quoted include of the project's own
/// headers (`#include "core/song.h"` in `src/collection/x.cpp`) is looked
/// for in every directory above the file, up to the project root
/// (findSourceRoot: the git work tree, else the working directory), as
/// `-iquote` paths; an angled one (`#include <core/song.h>`, which the
/// project's `-I src` would find) in the same directories after the
/// system's (`-idirafter`). Then, for a name none of those serve
/// (`#include "network.h"` with the header in `src/common/`), the directory
/// of the one project file it names (ProjectHeaders). The project's own
/// types then resolve; headers that are truly missing (a library's, a
/// generated one) stay missing.
clang::tooling::ArgumentsAdjuster getProjectIncludeAdjuster();

/// The build options (names starting with WITH_, ENABLE_ or USE_) that
/// \p Text tests in an `#if`/`#ifdef` without `#else` holding nine tenths
/// or more of its code (`#ifdef WITH_SQL` around a whole storage backend),
/// and does not `#define` itself.
std::vector<std::string> featureMacrosOf(llvm::StringRef Text);

/// Without a compilation database, defines the build options a file is
/// wholly inside (featureMacrosOf): without them the file is empty, and a
/// build that compiles it has them on.
clang::tooling::ArgumentsAdjuster getFeatureMacroAdjuster();

} // namespace stresslint

#endif
