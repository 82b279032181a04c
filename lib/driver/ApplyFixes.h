//===--- ApplyFixes.h - `--fix`: the findings' edits written to the files --===//
///
/// \file
/// Applies the fixes of a run's findings as clang-tidy's `--fix` and
/// `--fix-notes` do: a finding's own fix; with notes, when it has none, the
/// fix of its only note that has one. Unlike clang-tidy it never edits a
/// file that changed after stresslint read it (the digest of the bytes the
/// analysis read must still match), writes each file atomically with its
/// permissions kept (through a symlink to the file it points at), and skips
/// a finding whose edits overlap another's instead of half-applying it.
/// Compiler diagnostics' fix-its are never applied.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_APPLYFIXES_H
#define STRESSLINT_DRIVER_APPLYFIXES_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <optional>
#include <string>
#include <vector>

namespace stresslint {

struct FixReport {
  unsigned Findings = 0; ///< Findings whose fix was applied.
  unsigned Files = 0;    ///< Files written.
  /// Why a fix or a file was left alone, one line each.
  std::vector<std::string> Skipped;
  /// Files that could not be written (the run fails).
  std::vector<std::string> Errors;
};

/// Applies the fixes of \p Findings. \p DigestRead gives the digest
/// (driver/ResultCache.h contentDigest) of the bytes the analysis read from
/// an absolute path, or nothing when it did not record one.
FixReport
applyFixes(llvm::ArrayRef<clang::tidy::ClangTidyError> Findings, bool FromNotes,
           llvm::function_ref<std::optional<std::string>(llvm::StringRef)> DigestRead);

} // namespace stresslint

#endif
