//===--- SessionImpl.h - What a LintSession holds of clang-tidy ------------===//
///
/// \file
/// The clang-tidy engine state of a LintSession and the helpers shared by
/// the files that implement it (Driver.cpp lists them). Private to
/// lib/driver.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_SESSIONIMPL_H
#define STRESSLINT_DRIVER_SESSIONIMPL_H

#include "driver/Driver.h"
#include "graph/Summary.h"
#include "rules/Predicates.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stresslint {

struct LintSession::Impl {
  clang::tidy::ClangTidyGlobalOptions GlobalOptions;
  std::unique_ptr<clang::tidy::ClangTidyContext> Context;
  // One consumer and one DiagnosticsEngine for the whole session: the
  // context maps custom diagnostic IDs to check names, and IDs are only
  // unique within one DiagnosticIDs.
  std::unique_ptr<clang::tidy::ClangTidyDiagnosticConsumer> Consumer;
  std::unique_ptr<clang::DiagnosticsEngine> Diags;
  std::unique_ptr<clang::tooling::CompilationDatabase> Database;
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS;
  /// Receives each TU's summary (installed by LintSession::run).
  struct SummaryHook : TUSummaryConsumer {
    /// The serialized summary of the TU analysed last; the second parse of
    /// a TU replaces the first's.
    std::string Last;
    void consume(const TUSummary &Summary) override {
      Last = serializeSummary(Summary);
    }
  } Summaries;
  /// The rules of the `.sql` files of one directory, bound for its first
  /// file (SqlFiles.cpp): a file's options are those of the `.clang-tidy`
  /// files above its directory (or `--config`, the same for every file),
  /// so they are looked up and bound once per directory, not per file.
  struct SqlDirectory {
    std::string Dir;
    /// The file the context was set to: a TU set since has other options.
    std::string ContextFile;
    /// False when bound for one file only (a symbolic link).
    bool Shared;
    std::vector<BoundRule> Rules;
  };
  std::optional<SqlDirectory> SqlDir;
};

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point T);

/// A compiler's diagnostic (`clang-diagnostic-*`), not a finding.
bool isCompilerDiagnostic(const clang::tidy::ClangTidyError &E);

/// The ClangTidyContext of a session (Configuration.cpp). Errors: an
/// invalid `--config`.
llvm::Expected<std::unique_ptr<clang::tidy::ClangTidyContext>>
makeTidyContext(const LintOptions &Opts,
                const clang::tidy::ClangTidyGlobalOptions &GlobalOptions,
                const llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> &FS);

/// Where a session's compile commands come from (CompilationDatabase.cpp).
struct CompilationSetup {
  std::unique_ptr<clang::tooling::CompilationDatabase> Database;
  /// The directory of the compilation database, when one was found.
  std::string DatabaseDir;
  /// Where call-graph summaries are stored for the editor and plugin
  /// modes, or empty.
  std::string SummaryDir;
  /// No database: `-std=c++17`, compiler errors hidden by default.
  bool NoDatabase = false;
};
/// Reads the compile commands \p Opts name or finds them upward from the
/// first input (when \p HasCppFiles); without any, inserts `-xc++` in
/// Opts.ExtraArgsBefore. Errors: a `-p` directory without a database.
llvm::Expected<CompilationSetup> setUpCompilations(LintOptions &Opts, bool HasCppFiles);

/// The `SchemaFiles` globs of the rules for the current file of \p Context
/// (CacheKey.cpp).
std::set<std::string> schemaGlobs(clang::tidy::ClangTidyContext &Context);

} // namespace stresslint

#endif
