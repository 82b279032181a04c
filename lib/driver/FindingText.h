//===--- FindingText.h - Findings printed as clang prints diagnostics -----===//
///
/// \file
/// Prints the findings of a run (C++ and `.sql` alike) in clang's text
/// format: `path:line:col: warning: message [check]`, the source line, a
/// caret and `~` under the range, then the notes. The text is byte for byte
/// what clang-tidy's `handleErrors` prints (WarningsAsErrors as `error:` and
/// `[check,-warnings-as-errors]`, aliases, relative paths resolved in each
/// finding's build directory), without its cost per finding: a round trip
/// through a DiagnosticsEngine, a change of the working directory and a
/// flush of the stream.
///
/// A finding whose source line is printable ASCII is rendered here; one on
/// a line with tabs, UTF-8 or control characters, with ranges in another
/// file, or printed in colour goes through clang's own TextDiagnostic.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_FINDINGTEXT_H
#define STRESSLINT_DRIVER_FINDINGTEXT_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace stresslint {

struct FindingTextOptions {
  /// ANSI colours, as clang prints them on a terminal.
  bool Colors = false;
  /// Render every finding with clang's TextDiagnostic (tests compare the
  /// two renderers).
  bool AlwaysClang = false;
};

/// Prints \p Errors to \p OS in order, reading sources through \p FS.
/// Returns the number of warnings promoted to errors by WarningsAsErrors.
unsigned printFindingText(llvm::ArrayRef<clang::tidy::ClangTidyError> Errors,
                          llvm::raw_ostream &OS,
                          llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
                          const FindingTextOptions &Opts = {});

} // namespace stresslint

#endif
