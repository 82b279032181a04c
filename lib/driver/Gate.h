//===--- Gate.h - Reports, baselines and changed lines for CI ---------------===//
///
/// \file
/// What happens after the analysis when stresslint gates a CI job: findings
/// recorded in a baseline (`--baseline`, matched by fingerprint) and
/// findings off the changed lines (`--diff`, `--diff-from`) are dropped, the
/// rest is printed and written (`--format`, `--output`), and the exit code
/// says whether any reported finding remains.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_GATE_H
#define STRESSLINT_DRIVER_GATE_H

#include "driver/Report.h"
#include "driver/UnifiedDiff.h"
#include <optional>

namespace stresslint {

struct GateOptions {
  ReportFormat Format = ReportFormat::Text;
  /// `--output`: the report goes to this file; stdout gets the text.
  std::string OutputFile;
  /// The first input path: where the source root and git are looked for.
  std::string FirstPath;
  /// `--source-root`; empty: the git work tree of FirstPath, else the
  /// current directory.
  std::string SourceRoot;
  std::string DocsBaseUrl = std::string(DefaultDocsBaseUrl);
  std::string Baseline;      ///< `--baseline`
  std::string WriteBaseline; ///< `--write-baseline`
  std::string DiffRev;       ///< `--diff <git-rev>`
  std::string DiffFrom;      ///< `--diff-from <file>`, `-` for stdin
  bool Quiet = false;
};

/// One recorded finding of a baseline file.
struct BaselineEntry {
  std::string Fingerprint, Rule, File, Message;
  unsigned Line = 0;
};

/// Reads a baseline written by writeBaseline. Errors name the file.
llvm::Expected<std::vector<BaselineEntry>> readBaseline(llvm::StringRef Path);
/// `{"version": 1, "tool": "stresslint", "findings": [{"fingerprint",
/// "rule", "file" (relative to the source root), "line", "message"}]}`.
void writeBaseline(const Report &R, llvm::raw_ostream &OS);

/// Whether \p F or one of its notes (the steps of its path) lies on a
/// changed line. \p Changed holds absolute, symlink-resolved paths.
bool touchesChangedLines(const Finding &F, const ChangedLines &Changed);

class Gate {
public:
  /// Checks the options and loads the baseline and the diff before the
  /// (long) analysis, so bad ones fail fast (exit code 2).
  static llvm::Expected<Gate> create(GateOptions Opts);

  /// After LintSession::run: filters, prints the findings on stdout, writes
  /// --output / --write-baseline, prints the baseline and diff counts on
  /// stderr. Returns the exit code.
  int finish(LintSession &S);

  const std::string &sourceRoot() const { return Root; }

private:
  explicit Gate(GateOptions Opts) : Opts(std::move(Opts)) {}
  GateOptions Opts;
  std::string Root;
  std::optional<std::vector<BaselineEntry>> Baseline;
  std::optional<ChangedLines> Changed;
};

} // namespace stresslint

#endif
