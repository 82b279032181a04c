//===--- AtomicFile.h - Write a file so readers never see half of it -------===//
///
/// \file
/// Every file stresslint writes (reports, baselines, fixes) goes through
/// writeFileAtomically: the content is written to a temporary file in the
/// same directory, flushed to disk, given the permissions of the file it
/// replaces (or the umask's defaults for a new file), and renamed over the
/// target. A crash or a full disk leaves the old file intact, never a
/// truncated one.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SUPPORT_ATOMICFILE_H
#define STRESSLINT_SUPPORT_ATOMICFILE_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace stresslint {

/// Writes what \p Write produces to \p Path atomically. Errors name the path.
llvm::Error writeFileAtomically(llvm::StringRef Path,
                                llvm::function_ref<void(llvm::raw_ostream &)> Write);

/// The same for content already in memory.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Content);

} // namespace stresslint

#endif
