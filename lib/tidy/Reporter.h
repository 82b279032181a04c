//===--- Reporter.h - From a rule's finding to a clang-tidy diagnostic -----===//
///
/// \file
/// The one path from a YAML rule to a diagnostic, taken by the check
/// (SqlRuleCheck: the CLI's C++ files, `clang-tidy --load`, the editor), by
/// the CLI's `.sql` files and by its cross-file link step alike:
/// - bindRule: the rule's options for the file being analysed, parsed once
///   by type (rules/Predicates.h) from `.clang-tidy` over the rule's YAML
///   defaults; a value that does not parse is a configuration warning;
/// - expandMessage / expandNote: the rule's words for one SQL fact;
/// - report: the finding at the level of the rule's severity (levelOf), then
///   its notes (a blank one dropped), emitted through ClangTidyContext::diag,
///   so NOLINT, WarningsAsErrors and every output format are clang-tidy's;
/// - reportFileFindings: the same for findings placed by byte offsets in a
///   file read without Clang (a `.sql` file). Where nothing in the file can
///   make clang-tidy's engine change a finding, it makes the ClangTidyErrors
///   the engine would, without a source manager or a diagnostic round trip.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TIDY_REPORTER_H
#define STRESSLINT_TIDY_REPORTER_H

#include "rules/Predicates.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>
#include <vector>

namespace clang::tidy {
class ClangTidyContext;
class ClangTidyDiagnosticConsumer;
struct ClangTidyError;
} // namespace clang::tidy
namespace llvm::vfs {
class FileSystem;
} // namespace llvm::vfs

namespace stresslint {

struct PathFinding;
struct SrcRange;

/// The level of \p R's findings: `error` is an error, `warning` a warning
/// and `note` a remark, a finding of its own (a clang-tidy note only ever
/// follows another diagnostic): `remark:` in text, SARIF level `note`, an
/// LSP hint. WarningsAsErrors promotes warnings only, as in clang-tidy.
clang::DiagnosticIDs::Level levelOf(const Rule &R);

/// \p R bound for the file \p Ctx is analysing: its options from the file's
/// `CheckOptions` (`<rule id>.<Option>`) over the YAML defaults, and, with
/// \p WithSchema, its schema (tidy/SchemaFor.h). A value that does not parse
/// as its option's type is reported once through `configurationDiag`, in
/// clang-tidy's words, and the default is used.
BoundRule bindRule(const Rule &R, clang::tidy::ClangTidyContext &Ctx,
                   bool WithSchema = true);

/// The switch \p Option (a check option outside a rule's, such as
/// `AnalyzeStringLiterals`) set to \p Value, parsed as rule options are;
/// \p Default, and a configuration warning, when it is not a boolean.
bool flagOption(clang::tidy::ClangTidyContext &Ctx, llvm::StringRef Option,
                llvm::StringRef Value, bool Default);

/// The rule's message for fact \p F.
std::string expandMessage(const BoundRule &B, const SqlFact &F);
/// The rule's note for fact \p F; empty when the rule has none or it
/// expands to blank text (report drops it).
std::string expandNote(const BoundRule &B, const SqlFact &F);

/// A note of a finding, with the fix-its it offers.
struct ReportNote {
  clang::SourceLocation Loc;
  std::string Message;
  std::vector<clang::FixItHint> Fixes = {};
};

/// One finding of a rule, in the source manager of the context it is
/// reported through.
struct RuleFinding {
  clang::SourceLocation Loc;
  /// The construct found; none when invalid.
  clang::CharSourceRange Range = {};
  std::string Message;
  std::vector<clang::FixItHint> Fixes = {};
  std::vector<ReportNote> Notes = {};
};

/// Emits \p F of rule \p R through \p Ctx: the finding at levelOf(R), then
/// each note in order; a note with blank text and no fix is dropped. The
/// texts are escaped for clang's formatter.
void report(clang::tidy::ClangTidyContext &Ctx, const Rule &R, const RuleFinding &F);

/// Where a place of a call-graph summary is; invalid when the file or the
/// offset is not there.
using LocationOf = llvm::function_ref<clang::SourceLocation(const SrcRange &)>;

/// Reports the call-graph finding \p F: at its place, over its length, with
/// a note for each step whose place \p LocOf finds. Nothing when its own
/// place is not found.
void reportPath(clang::tidy::ClangTidyContext &Ctx, const PathFinding &F,
                LocationOf LocOf);

/// A replacement of bytes [Begin, End) of a file by Text.
struct FileEdit {
  uint32_t Begin = 0, End = 0;
  std::string Text;
};

/// A note of a FileFinding, at a byte offset of the file.
struct FileNote {
  uint32_t Offset = 0;
  std::string Message;
  std::vector<FileEdit> Edits = {};
};

/// A finding of rule R over bytes [Begin, End) of one file.
struct FileFinding {
  const Rule *R = nullptr;
  uint32_t Begin = 0, End = 0;
  std::string Message;
  std::vector<FileNote> Notes = {};
};

/// Reports \p Findings, all in the file \p Path whose text is \p Text, and
/// appends the errors to \p Out as report() makes them through \p Consumer
/// (the consumer \p DE feeds). When nothing could make clang-tidy's engine
/// change a finding (reportFileFindingsDirectly), the errors are made
/// directly; otherwise through the engine (reportFileFindingsThroughEngine).
void reportFileFindings(clang::tidy::ClangTidyContext &Ctx,
                        clang::tidy::ClangTidyDiagnosticConsumer &Consumer,
                        clang::DiagnosticsEngine &DE,
                        llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
                        llvm::StringRef Path, llvm::StringRef Text,
                        llvm::ArrayRef<FileFinding> Findings,
                        std::vector<clang::tidy::ClangTidyError> &Out,
                        std::vector<std::string> &Problems);

/// reportFileFindings through ClangTidyContext::diag: the file is read from
/// \p FS into a source manager of its own; "<path>: cannot open" goes to
/// \p Problems when it cannot be.
void reportFileFindingsThroughEngine(clang::tidy::ClangTidyContext &Ctx,
                                     clang::tidy::ClangTidyDiagnosticConsumer &Consumer,
                                     clang::DiagnosticsEngine &DE,
                                     llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
                                     llvm::StringRef Path,
                                     llvm::ArrayRef<FileFinding> Findings,
                                     std::vector<clang::tidy::ClangTidyError> &Out,
                                     std::vector<std::string> &Problems);

/// reportFileFindings without clang's engine: appends to \p Out the errors
/// ClangTidyDiagnosticConsumer makes of report()'s diagnostics (levels,
/// WarningsAsErrors, the check filter, messages, ranges, notes, their
/// order) and returns true; or appends nothing and returns false when the
/// engine could make them differ: \p Text mentions NOLINT (a comment may
/// suppress a finding or be an error of its own), a note has edits (clang
/// merges fix-its), or two findings share a place and a message (clang-tidy
/// merges them).
bool reportFileFindingsDirectly(clang::tidy::ClangTidyContext &Ctx,
                                llvm::StringRef Path, llvm::StringRef Text,
                                llvm::ArrayRef<FileFinding> Findings,
                                std::vector<clang::tidy::ClangTidyError> &Out);

/// Escapes `%` for clang's diagnostic formatter.
std::string escapeDiagText(llvm::StringRef S);

} // namespace stresslint

#endif
