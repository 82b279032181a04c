//===--- Findings.cpp - The run's diagnostics as findings and text --------===//
///
/// \file
/// LintSession::findings: each ClangTidyError with its file resolved and
/// its offsets as lines and columns (support/LineTable.h), for the reports,
/// the gate and the fixes; retainFindings; printText, the clang-style text.
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "driver/FindingText.h"
#include "driver/SessionImpl.h"
#include "support/LineTable.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

using namespace clang;
using namespace clang::tidy;

namespace stresslint {

/// A diagnostic's file as a path of ours: clang-tidy runs each compile
/// command in its directory, so a relative name (a compilation database's
/// relative `file`) is relative to \p BuildDir, not to our working
/// directory.
static std::string resolvedPath(llvm::StringRef File, llvm::StringRef BuildDir) {
  if (File.empty() || llvm::sys::path::is_absolute(File))
    return File.str();
  llvm::SmallString<256> Path(BuildDir);
  llvm::sys::path::append(Path, File);
  llvm::sys::fs::make_absolute(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

std::vector<Finding> LintSession::findings() const {
  // The bytes the analysis read: an editor's buffer, not the file on disk.
  FileLines Files(I->FS);
  auto Position = [&](llvm::StringRef File, unsigned Offset) {
    return Files.get(File).position(Offset);
  };
  std::vector<Finding> Out;
  for (const ClangTidyError &E : Errors) {
    auto Resolved = [&](llvm::StringRef File) {
      return resolvedPath(File, E.BuildDirectory);
    };
    Finding F;
    F.Check = E.DiagnosticName;
    F.Level = E.DiagLevel == tooling::Diagnostic::Error    ? "error"
              : E.DiagLevel == tooling::Diagnostic::Remark ? "note"
                                                           : "warning";
    F.Message = E.Message.Message;
    F.File = Resolved(E.Message.FilePath);
    if (!F.File.empty()) {
      std::tie(F.Line, F.Column) = Position(F.File, E.Message.FileOffset);
      F.EndLine = F.Line;
      F.EndColumn = F.Column + 1;
      for (const auto &R : E.Message.Ranges)
        if (Resolved(R.FilePath) == F.File && R.FileOffset == E.Message.FileOffset) {
          std::tie(F.EndLine, F.EndColumn) = Position(F.File, R.FileOffset + R.Length);
          break;
        }
    }
    auto Edits = [&](const llvm::StringMap<tooling::Replacements> &Fix) {
      std::vector<Finding::Edit> Out;
      for (const auto &FileAndReps : Fix)
        for (const tooling::Replacement &R : FileAndReps.second) {
          Finding::Edit Ed;
          Ed.File = Resolved(R.getFilePath());
          Ed.Text = R.getReplacementText().str();
          std::tie(Ed.Line, Ed.Column) = Position(Ed.File, R.getOffset());
          std::tie(Ed.EndLine, Ed.EndColumn) =
              Position(Ed.File, R.getOffset() + R.getLength());
          Out.push_back(std::move(Ed));
        }
      return Out;
    };
    for (const auto &N : E.Notes) {
      Finding::Note Note;
      Note.Message = N.Message;
      Note.File = Resolved(N.FilePath);
      if (!Note.File.empty())
        std::tie(Note.Line, Note.Column) = Position(Note.File, N.FileOffset);
      Note.Fix = Edits(N.Fix);
      F.Notes.push_back(std::move(Note));
    }
    F.Fix = Edits(E.Message.Fix);
    Out.push_back(std::move(F));
  }
  return Out;
}

void LintSession::retainFindings(llvm::function_ref<bool(size_t)> Keep) {
  size_t Index = 0;
  llvm::erase_if(Errors, [&](const ClangTidyError &E) {
    return !Keep(Index++) && !isCompilerDiagnostic(E);
  });
}

unsigned LintSession::printText() {
  // As clang-tidy's handleErrors decides colour.
  FindingTextOptions Text;
  Text.Colors = I->Context->getOptions().UseColor.value_or(
      llvm::sys::Process::StandardOutHasColors());
  if (Text.Colors && !llvm::sys::Process::StandardOutIsDisplayed())
    llvm::sys::Process::UseANSIEscapeCodes(true);
  return printFindingText(Errors, llvm::outs(), I->FS, Text);
}

} // namespace stresslint
