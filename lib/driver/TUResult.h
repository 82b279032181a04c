//===--- TUResult.h - What analysing one translation unit yields -----------===//
///
/// \file
/// The result of one C++ translation unit, as a worker process sends it back
/// to the driver: the clang-tidy errors with full fidelity (messages, file
/// offsets, ranges, notes, replacements, levels, warnings-as-errors, check
/// names), the TU's call-graph summary, compile-command warnings and input
/// problems.
///
/// The wire format is llvm::json: it is already linked, self-delimiting and
/// easy to validate (a truncated or corrupt payload is an error, never
/// garbage diagnostics). clang's DiagnosticsYaml would cover only
/// tooling::Diagnostic, not ClangTidyError's IsWarningAsError, the summary
/// or the problems, and YAML is slower to emit and parse. JSON strings must
/// be UTF-8, and diagnostics quote source bytes that may not be: such
/// strings travel as {"hex": "..."} so every byte comes back unchanged.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_TURESULT_H
#define STRESSLINT_DRIVER_TURESULT_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace stresslint {

struct TUResult {
  std::vector<clang::tidy::ClangTidyError> Errors;
  /// graph/Summary.h's serialized summary of the TU.
  std::string Summary;
  /// Compile-command warnings (dropped plugin flags), in order.
  std::vector<std::string> Warnings;
  /// Input problems (exit code 3), e.g. compiler errors.
  std::vector<std::string> Problems;
  /// Compiler errors hidden because there is no compilation database.
  bool HiddenCompileErrors = false;
  /// Range-for loops Clang dropped and a second parse brought back
  /// (cpp/RecoveredLoops.h).
  unsigned RecoveredLoops = 0;
  /// Names of types Clang could not name, declared for a second parse
  /// (cpp/RecoveredLoops.h).
  unsigned UnknownTypes = 0;
  /// Top-level declarations the checks traversed, and those left out as
  /// system or library code (driver/ProjectScope.h), in the last parse.
  unsigned ProjectDecls = 0, LibraryDecls = 0;
  /// Every file the analysis read (main file and includes) with the digest
  /// of the bytes it read: what the result cache (driver/ResultCache.h)
  /// checks before reusing the result.
  struct Input {
    std::string Path, Digest;
  };
  std::vector<Input> Inputs;
};

std::string serializeTUResult(const TUResult &R);
llvm::Expected<TUResult> deserializeTUResult(llvm::StringRef Wire);

} // namespace stresslint

#endif
