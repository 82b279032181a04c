//===--- Proxy.h - The LSP proxy between the editor and clangd ------------===//
///
/// \file
/// Passes every LSP message between the editor and clangd unchanged
/// (framing in Lsp.h), except that clangd's
/// `textDocument/publishDiagnostics` for a document is merged with
/// stresslint's (DocumentLint.h), and clangd's answer to
/// `textDocument/codeAction` gets stresslint's quick fixes in the requested
/// range. Tracks the open documents (text, version, generation) and the
/// workspace roots; a worker thread lints a document on open and save and
/// 500 ms after the last change, and drops results a newer text made stale.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TOOLS_CLANGD_PROXY_H
#define STRESSLINT_TOOLS_CLANGD_PROXY_H

#include "DocumentLint.h"
#include "Lsp.h"

#include "llvm/Support/JSON.h"
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace stresslint::clangd {

using Clock = std::chrono::steady_clock;

/// What the editor is shown for a document: clangd's diagnostics and ours.
struct DocDiagnostics {
  /// The last publishDiagnostics params clangd sent for the document.
  std::optional<llvm::json::Object> Clangd;
  llvm::json::Array Ours;
  std::vector<QuickFix> Fixes;
  /// The document generation Ours and Fixes were found in.
  uint64_t Generation = 0;
};

class Proxy {
public:
  Proxy(int EditorOut, int ToClangd, int FromClangd, pid_t Clangd,
        std::string CompileCommandsDir)
      : ToEditor(EditorOut), ToClangd(ToClangd), FromClangd(FromClangd), Clangd(Clangd),
        CompileCommandsDir(std::move(CompileCommandsDir)) {}

  /// Reads the editor until end of input; returns when clangd should exit.
  void runEditor();
  /// Reads clangd until it exits, then exits the process with its status.
  [[noreturn]] void runClangd();
  void runWorker();

private:
  void onEditorMessage(const llvm::json::Object &Msg);
  void publish(const std::string &Uri);
  void schedule(const std::string &Uri, Clock::time_point Due);
  /// Our quick fixes for a `textDocument/codeAction` request.
  llvm::json::Array codeActions(const llvm::json::Object &Params);
  void addRoot(llvm::StringRef Path);
  void addRootUri(const llvm::json::Value *Uri);

  lsp::MessageWriter ToEditor, ToClangd;
  int FromClangd;
  pid_t Clangd;
  std::string CompileCommandsDir;

  std::mutex Mu; ///< Guards everything below.
  std::condition_variable Wake;
  std::map<std::string, Document> Docs;
  std::map<std::string, DocDiagnostics> Diags;
  std::map<std::string, Clock::time_point> Pending;
  std::vector<std::string> WorkspaceRoots;
  std::string InitializeId;
  /// codeAction requests sent on to clangd (by id) and our actions for
  /// them, added to clangd's answer.
  std::map<std::string, llvm::json::Array> PendingActions;
  lsp::Encoding Enc = lsp::Encoding::Utf16;
  uint64_t NextGeneration = 1;
  /// Keeps publications of one document in order across threads.
  std::mutex PublishMu;
};

} // namespace stresslint::clangd

#endif
