//===--- DocumentLint.h - stresslint's findings for an editor's document ---===//
///
/// \file
/// One open document linted in-process over the editor's buffer: the
/// compilation database found upward within the workspace, a LintSession
/// over the buffer, and its findings (LintSession::findings, as the CLI's
/// reports take them) as LSP diagnostics of the document (`source:
/// "stresslint"`, `code` = rule id, `codeDescription.href` = rule doc,
/// notes as `relatedInformation`) with a quick fix for each finding that
/// has a fix of this document.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TOOLS_CLANGD_DOCUMENTLINT_H
#define STRESSLINT_TOOLS_CLANGD_DOCUMENTLINT_H

#include "Lsp.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <cstdint>
#include <string>
#include <vector>

namespace stresslint::clangd {

/// An open document, as the editor last sent it.
struct Document {
  std::string Path;
  std::string Text;
  llvm::json::Value Version = nullptr;
  uint64_t Generation = 0;
};

/// A stresslint finding's fix, as an LSP code action offers it.
struct QuickFix {
  llvm::json::Object Diagnostic; ///< The finding as published.
  llvm::json::Array Edits;       ///< TextEdits of the document.
  std::string Title;
  bool Preferred = true; ///< The finding's own fix, not a note's.
};

/// True when \p Path (symlinks resolved) is under one of \p Roots.
bool inWorkspace(llvm::StringRef Path, const std::vector<std::string> &Roots);

/// The LSP diagnostics of \p Doc, with the quick fixes in \p Fixes.
/// \p CompileCommandsDir is clangd's `--compile-commands-dir`, if given.
llvm::json::Array lintDocument(const Document &Doc,
                               const std::vector<std::string> &Roots,
                               llvm::StringRef CompileCommandsDir, lsp::Encoding Enc,
                               std::vector<QuickFix> &Fixes);

} // namespace stresslint::clangd

#endif
