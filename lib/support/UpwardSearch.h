//===--- UpwardSearch.h - Find a directory by walking up the tree ----------===//
///
/// \file
/// The one search up the directory tree: a compilation database
/// (`compile_commands.json`), a project root (`.git`, `.clang-tidy`), the
/// `.clang-tidy` that sets an option. Each caller says what it looks for;
/// the walk itself (absolute path, a file's directory, parents up to the
/// file-system root) is written once, here.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SUPPORT_UPWARDSEARCH_H
#define STRESSLINT_SUPPORT_UPWARDSEARCH_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace stresslint {

/// The nearest directory at or above \p Start for which \p Found is true,
/// or "" when there is none. \p Start is made absolute (against the
/// working directory) but not otherwise changed; when it is not an existing
/// directory, the search starts at its parent (a file's directory). The
/// walk stops, without a result, at the first directory \p Within refuses.
std::string findUpward(llvm::StringRef Start,
                       llvm::function_ref<bool(llvm::StringRef Dir)> Found,
                       llvm::function_ref<bool(llvm::StringRef Dir)> Within = nullptr);

/// The nearest directory at or above \p Start that holds an entry (file or
/// directory) named \p Name, as findUpward walks; "" when there is none.
std::string findDirectoryHolding(llvm::StringRef Start, llvm::StringRef Name);

} // namespace stresslint

#endif
