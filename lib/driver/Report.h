//===--- Report.h - Machine-readable reports of a lint run ------------------===//
///
/// \file
/// Renders findings for CI systems: stable JSON, SARIF 2.1.0 (GitHub code
/// scanning, VS Code's SARIF viewer), GitHub workflow-command annotations and
/// GitLab Code Quality. Paths in SARIF, GitHub and Code Quality reports, and
/// the fingerprints that baselines match on, are relative to a source root
/// (the git work tree by default), so reports from different checkouts agree.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_REPORT_H
#define STRESSLINT_DRIVER_REPORT_H

#include "driver/Driver.h"
#include "driver/SourceRoot.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>
#include <string>
#include <vector>

namespace stresslint {

struct Rule;

/// Where the rule documentation pages are published: a rule's `docs:` path
/// (`docs/rules/<id>.md`) is appended to it for SARIF `helpUri`.
/// `--help-uri-base` overrides it.
constexpr llvm::StringLiteral DefaultDocsBaseUrl =
    "https://github.com/stresslint/stresslint/blob/main/";
/// The tool's home page (SARIF `informationUri`).
constexpr llvm::StringLiteral ToolInformationUri =
    "https://github.com/stresslint/stresslint";
/// The key of stresslint's fingerprint in SARIF `partialFingerprints`.
constexpr llvm::StringLiteral FingerprintKey = "stresslint/v1";

enum class ReportFormat { Text, Json, Sarif, Github, CodeClimate };

/// `text`, `json`, `sarif`, `github` or `codeclimate`.
std::optional<ReportFormat> parseReportFormat(llvm::StringRef Name);

/// \p File relative to \p Root with `/` separators, or an empty string when
/// it is not under \p Root. Both are compared with symlinks resolved.
std::string relativeToRoot(llvm::StringRef File, llvm::StringRef Root);

/// The documentation link of \p R: its `docs:` value when that is a URL,
/// else \p Base followed by the docs path.
std::string ruleDocUrl(const Rule &R, llvm::StringRef Base);

/// The first paragraph of a rule's docs page that explains it (not the
/// title and not the one-line summary), joined into one line.
std::string docDescription(llvm::StringRef Markdown, llvm::StringRef Summary);

/// Fills Finding::Fingerprint: 16 hex digits of xxHash64 over the rule id,
/// the path relative to \p Root, the whitespace-normalised text of the
/// finding's line and of its flagged range, and the index of the finding
/// among findings with the same key. Line numbers and notes (the path of an
/// interprocedural finding, its wording) are not part of it, so edits
/// elsewhere, and in other files, keep it stable.
void assignFingerprints(std::vector<Finding> &Findings, llvm::StringRef Root);

/// Everything a report shows.
struct Report {
  std::vector<Finding> Findings; ///< With fingerprints.
  std::vector<std::string> InputErrors;
  unsigned FilesAnalyzed = 0;
  std::string SourceRoot;
  std::string DocsBaseUrl = std::string(DefaultDocsBaseUrl);
  /// The findings are those not in a baseline (SARIF `baselineState: new`).
  bool AgainstBaseline = false;
};

/// The session's findings (with fingerprints) and input problems.
Report makeReport(const LintSession &S, llvm::StringRef SourceRoot);

/// Writes \p R in \p Format. Text is clang's diagnostic lines without source
/// lines and carets (LintSession::printText renders the terminal form).
void writeReport(ReportFormat Format, const Report &R, llvm::raw_ostream &OS);

void writeJsonReport(const Report &R, llvm::raw_ostream &OS);
void writeSarifReport(const Report &R, llvm::raw_ostream &OS);
void writeGithubReport(const Report &R, llvm::raw_ostream &OS);
void writeCodeClimateReport(const Report &R, llvm::raw_ostream &OS);

/// Escapes GitHub workflow-command text: the message (`%`, CR, LF) or, with
/// \p Property, a property value (also `:` and `,`).
std::string escapeWorkflowCommand(llvm::StringRef S, bool Property);

} // namespace stresslint

#endif
