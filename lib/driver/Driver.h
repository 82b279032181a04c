//===--- Driver.h - Run the stress-* checks over files ---------------------===//
///
/// \file
/// Runs the checks through clang-tidy's engine: C++ translation units via
/// LibTooling and ClangTidyASTConsumerFactory, `.sql` files through the same
/// ClangTidyContext (so NOLINT, Checks, CheckOptions and WarningsAsErrors
/// behave identically), and renders the results.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_DRIVER_H
#define STRESSLINT_DRIVER_DRIVER_H

#include "driver/ResultCache.h"
#include "driver/TUResult.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stresslint {

struct DroppedCode;
struct DroppedLoops;

/// Documented exit codes.
enum ExitCode : int {
  ExitClean = 0,
  ExitFindings = 1,
  ExitUsage = 2,
  ExitInputError = 3,
};

struct LintOptions {
  std::vector<std::string> Paths;
  /// `-p`: a build directory holding compile_commands.json.
  std::string BuildPath;
  /// Flags after `--`, when given.
  std::optional<std::vector<std::string>> CompilerArgs;
  std::vector<std::string> ExtraArgs;
  std::vector<std::string> ExtraArgsBefore;
  /// `--checks`, appended to the configured Checks like clang-tidy's.
  std::string Checks;
  /// `--config`: YAML/JSON that replaces the `.clang-tidy` files.
  std::string Config;
  /// `--warnings-as-errors`, appended to the configured value.
  std::string WarningsAsErrors;
  /// Show compiler errors even without a compilation database.
  bool ShowCompilerErrors = false;
  /// Without a compilation database, define the build options a whole file
  /// sits in (`#ifdef WITH_SQL`; getFeatureMacroAdjuster).
  bool DefineBuildOptions = true;
  bool AnalyzeSqlFiles = true;
  std::optional<bool> UseColor;
  /// Contents that replace files on disk (an editor's unsaved buffers):
  /// absolute path -> text. The files must exist on disk.
  std::vector<std::pair<std::string, std::string>> InMemoryFiles;
  /// `-j`: C++ TUs analysed at once, each in its own worker process;
  /// 0 means the number of hardware threads.
  unsigned Jobs = 0;
  /// `--timeout`: seconds per TU before its worker is killed; 0 = no limit.
  unsigned TimeoutSeconds = 0;
  /// Analyse every TU in this process (no isolation, no time limit).
  bool InProcess = false;
  /// `--cache-dir`; empty means defaultCacheDirectory().
  std::string CacheDir;
  /// `--no-cache`: analyse every TU, read and write no cache entry.
  bool NoCache = false;
  /// `--shard K/N`: analyse only the K-th (1-based) of N deterministic
  /// parts of the inputs; 0/0 means all of them.
  unsigned ShardIndex = 0, ShardCount = 0;
  /// `--part FILE`: write the per-file results and call-graph summaries for
  /// `stresslint merge` instead of linking them.
  std::string PartFile;
  /// `stresslint merge`: the part files to combine; nothing is analysed.
  std::vector<std::string> MergeParts;
  /// `--schema-files`: the global `SchemaFiles` option (the DDL files the
  /// schema is learnt from, docs/schema.md), over the configuration's.
  std::optional<std::string> SchemaFiles;
  /// The live `[i/N] file` line on stderr.
  bool Progress = false;
  /// Record the digest of every file the analysis reads, for `--fix`.
  bool RecordInputs = false;
  /// Test-only hooks (hidden flags): a TU whose path contains this
  /// substring crashes (SIGSEGV) / hangs inside its analysis.
  std::string TestCrashOn, TestHangOn;
};

/// One diagnostic, resolved to lines and columns.
struct Finding {
  std::string Check;
  /// warning | error | note (a `severity: note` rule's finding, a remark).
  std::string Level;
  std::string Message;
  std::string File;
  unsigned Line = 0, Column = 0, EndLine = 0, EndColumn = 0;
  /// Text that replaces a range (an empty range inserts).
  struct Edit {
    std::string File, Text;
    unsigned Line = 0, Column = 0, EndLine = 0, EndColumn = 0;
  };
  struct Note {
    std::string Message, File;
    unsigned Line = 0, Column = 0;
    /// The note's fix, applied only with `--fix-notes`.
    std::vector<Edit> Fix = {};
  };
  std::vector<Note> Notes;
  /// The finding's fix, as `--fix` applies it.
  std::vector<Edit> Fix;
  /// Stable identity for baselines and SARIF (driver/Report.h), when set.
  std::string Fingerprint;
};

/// What a run did and how long each phase took (`--stats`).
struct RunStats {
  double SetupSeconds = 0, CacheSeconds = 0, AnalysisSeconds = 0, LinkSeconds = 0,
         SqlSeconds = 0;
  /// C++ TUs analysed now, and taken from the cache.
  unsigned Analysed = 0, FromCache = 0;
  unsigned Jobs = 0;
  /// Calls whose header was missing, linked by name (graph/Link.h).
  unsigned ByNameCalls = 0, ByNameResolved = 0, ByNameAmbiguous = 0;
  /// Range-for loops Clang dropped and type names it could not name, and
  /// the TUs parsed again to keep what they cost.
  unsigned RecoveredLoops = 0, UnknownTypes = 0, ReparsedTUs = 0;
  /// Top-level declarations of the analysed TUs the checks traversed, and
  /// those left out as system or library code (driver/ProjectScope.h).
  unsigned ProjectDecls = 0, LibraryDecls = 0;
  /// Empty when the cache is off.
  std::string CacheDir;
  CacheStats Cache;
};

class LintSession {
public:
  /// Validates options, finds inputs and the compilation database. Errors
  /// are usage/configuration errors (exit code 2).
  static llvm::Expected<std::unique_ptr<LintSession>> create(LintOptions Opts);
  ~LintSession();

  /// Analyses every input. Afterwards errors() holds the diagnostics.
  void run();

  /// Diagnostics of the run, deduplicated and in a deterministic order.
  const std::vector<clang::tidy::ClangTidyError> &errors() const { return Errors; }
  /// The same, with lines and columns.
  std::vector<Finding> findings() const;
  /// Keeps the findings whose index in findings() satisfies \p Keep
  /// (baseline, changed lines); compiler diagnostics always stay.
  void retainFindings(llvm::function_ref<bool(size_t)> Keep);

  /// Prints in clang's format (source line, caret, notes); colour on a
  /// terminal. Returns the number of warnings promoted to errors.
  unsigned printText();
  /// A one-line summary for stderr.
  std::string summary() const;

  /// Findings per rule, files and time, as a table for stderr; with
  /// \p PerPhase also the phases and the cache (`--stats`).
  std::string statsTable(bool PerPhase, double ReportSeconds) const;
  const RunStats &stats() const { return Stats; }
  /// Whether the run writes a part file (`--part`) rather than a report.
  bool writesPart() const { return !Opts.PartFile.empty(); }
  /// Whether writing the part file failed (the reason is an input problem).
  bool partWriteFailed() const { return PartWriteFailed; }

  int exitCode() const;
  unsigned fileCount() const { return CppFiles.size() + SqlFiles.size(); }
  /// Messages about inputs that could not be analysed (exit code 3).
  const std::vector<std::string> &inputProblems() const { return InputProblems; }
  clang::tidy::ClangTidyContext &context();
  /// The digest of the bytes the analysis read from \p AbsPath (recorded
  /// with LintOptions::RecordInputs), or nothing.
  std::optional<std::string> digestRead(llvm::StringRef AbsPath) const;

private:
  LintSession() = default;
  void runCpp();
  /// One TU, as a worker process runs it.
  TUResult analyseTU(const std::string &File);
  /// One clang-tidy run over \p File, its diagnostics left in the consumer;
  /// \p Respelled, when set, replaces the texts of the files it names (the
  /// main file's under \p File).
  int runTool(const std::string &File, TUResult &Result,
              std::vector<TUResult::Input> *Inputs, DroppedCode *Dropped,
              const std::vector<DroppedLoops> *Respelled,
              const std::string *Stubs = nullptr);
  void runSql(const std::string &Path);
  /// Links the TUs' call-graph summaries and reports the context rules.
  void runLink();
  /// The cache key of a TU: everything besides file contents its result
  /// depends on.
  std::string cacheKey(const std::string &File);
  /// Takes in one TU's result (from a worker or the cache).
  void addResult(TUResult &&R);
  llvm::Error loadParts();
  void writePart();

  struct Impl;
  std::unique_ptr<Impl> I;
  LintOptions Opts;
  std::vector<std::string> CppFiles, SqlFiles;
  std::vector<clang::tidy::ClangTidyError> Errors;
  std::vector<std::string> InputProblems;
  /// The call-graph summary of each analysed TU (graph/Summary.h), linked
  /// after the last TU.
  std::vector<std::string> Summaries;
  /// Where summaries are stored for the editor and plugin modes (under the
  /// compilation database's directory), or empty.
  std::string SummaryDir;
  std::vector<std::string> Warnings;
  unsigned TUsWithHiddenErrors = 0;
  bool NoDatabase = false;
  /// Workers record the files each TU read (for the cache).
  bool CollectInputs = false;
  bool PartWriteFailed = false;
  /// Absolute path -> digest of the bytes read (RecordInputs).
  llvm::StringMap<std::string> InputDigests;
  std::string DatabaseDir;
  RunStats Stats;
  std::chrono::steady_clock::time_point Created;
};

/// Expands files and directories (recursively, symlink loops cut) into C++
/// sources/headers and .sql files, sorted. Missing paths are errors.
llvm::Error collectInputs(const std::vector<std::string> &Paths,
                          std::vector<std::string> &Cpp, std::vector<std::string> &Sql);

} // namespace stresslint

#endif
