//===--- SourceRoot.h - The project a file belongs to ----------------------===//
///
/// \file
/// The one upward search for a project's root: report paths and
/// fingerprints are relative to it, the project's own includes are looked
/// for up to it, and the schema's DDL files are found under it. In the
/// checks library (no driver needed): the `clang-tidy --load` plugin and
/// the editor find the root the same way.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_SOURCEROOT_H
#define STRESSLINT_DRIVER_SOURCEROOT_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace stresslint {

/// \p P absolute, with symlinks resolved when it exists (else `.` and `..`
/// removed).
std::string canonicalPath(llvm::StringRef P);

/// The root of the project that holds \p Path: the git work tree (the
/// nearest directory with a `.git` directory or file, \p Path itself
/// included), else, when \p FallbackMarker is given, the nearest directory
/// holding a file of that name (`.clang-tidy`), else the current
/// directory. Absolute, symlinks resolved.
std::string findSourceRoot(llvm::StringRef Path, llvm::StringRef FallbackMarker = "");

/// Calls \p Visit with every file under the directory \p Root, recursively:
/// hidden directories (`.git`, `.cache`) and hidden files are passed over,
/// CMake build trees (a `CMakeCache.txt` in them) and directories \p Enter
/// refuses are not entered, and symlink loops are cut.
void walkSourceTree(llvm::StringRef Root,
                    llvm::function_ref<void(const std::string &)> Visit,
                    llvm::function_ref<bool(llvm::StringRef Dir)> Enter = nullptr);

} // namespace stresslint

#endif
