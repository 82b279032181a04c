//===--- Lsp.h - LSP framing, URIs and positions for stresslint-clangd ----===//
///
/// \file
/// The small pieces of the Language Server Protocol the clangd wrapper
/// needs: JSON-RPC messages framed by `Content-Length` headers over file
/// descriptors, `file://` URIs, LSP positions (UTF-16 or UTF-8 code units)
/// and incremental text edits.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TOOLS_CLANGD_LSP_H
#define STRESSLINT_TOOLS_CLANGD_LSP_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <mutex>
#include <optional>
#include <string>

namespace stresslint::lsp {

/// Reads framed messages from a file descriptor.
class MessageReader {
public:
  explicit MessageReader(int Fd) : Fd(Fd) {}

  enum class Status { Message, Malformed, End };
  /// Reads the next message body into \p Body. `Malformed`: the header was
  /// not valid (no or bad `Content-Length`); the reader has skipped it and
  /// can continue. `End`: end of input (or a read error).
  Status read(std::string &Body);

private:
  bool fill();
  int Fd;
  std::string Buf;
  size_t Pos = 0;
  bool Eof = false;
};

/// Writes framed messages to a file descriptor; safe from several threads.
class MessageWriter {
public:
  explicit MessageWriter(int Fd) : Fd(Fd) {}
  /// False when the other side is gone.
  bool writeRaw(llvm::StringRef Body);
  bool write(const llvm::json::Value &V);

private:
  int Fd;
  std::mutex Mu;
};

/// The JSON-RPC parse error response (-32700) for input that is not a
/// message.
llvm::json::Value parseError(llvm::StringRef Detail);

/// `file:///a%20b/c.cpp` -> `/a b/c.cpp`; nullopt for other schemes.
std::optional<std::string> uriToPath(llvm::StringRef Uri);
std::string pathToUri(llvm::StringRef Path);

enum class Encoding { Utf16, Utf8 };

/// LSP position <-> byte offset in \p Text. Out-of-range positions clamp.
size_t offsetOf(llvm::StringRef Text, int64_t Line, int64_t Character, Encoding Enc);
llvm::json::Object positionOf(llvm::StringRef Text, size_t Offset, Encoding Enc);

/// Applies one `TextDocumentContentChangeEvent` (full text or a range) to
/// \p Text. False when the change is malformed.
bool applyChange(std::string &Text, const llvm::json::Object &Change, Encoding Enc);

} // namespace stresslint::lsp

#endif
