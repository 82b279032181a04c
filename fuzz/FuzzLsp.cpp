//===--- FuzzLsp.cpp - libFuzzer target: stresslint-clangd's LSP input ----===//
///
/// \file
/// Feeds arbitrary bytes, as an editor would send them, through the framing
/// reader of stresslint-clangd (Content-Length headers), parses each body as
/// JSON-RPC and applies what a `textDocument/didChange` would (ranges in
/// UTF-16 and UTF-8), converts URIs and positions. Malformed input must be
/// reported (Malformed, a parse error), never crash, hang or read past a
/// buffer.
///
//===----------------------------------------------------------------------===//
#include "Lsp.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace stresslint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  int Fds[2];
  if (Size > 60000 || pipe(Fds) != 0)
    return 0;
  // The whole input fits in the pipe buffer; close it so the reader sees EOF.
  if (write(Fds[1], Data, Size) != static_cast<ssize_t>(Size))
    std::abort();
  close(Fds[1]);
  lsp::MessageReader Reader(Fds[0]);
  std::string Text = "int main() {\n  return 0;\n}\n";
  std::string Body;
  for (unsigned Guard = 0; Guard < 1000; ++Guard) {
    lsp::MessageReader::Status S = Reader.read(Body);
    if (S == lsp::MessageReader::Status::End)
      break;
    if (S == lsp::MessageReader::Status::Malformed) {
      (void)lsp::parseError("malformed header");
      continue;
    }
    auto Msg = llvm::json::parse(Body);
    if (!Msg) {
      (void)lsp::parseError(llvm::toString(Msg.takeError()));
      continue;
    }
    const llvm::json::Object *O = Msg->getAsObject();
    const llvm::json::Object *Params = O ? O->getObject("params") : nullptr;
    if (!Params)
      continue;
    if (const llvm::json::Object *Doc = Params->getObject("textDocument"))
      if (auto Uri = Doc->getString("uri"))
        if (auto Path = lsp::uriToPath(*Uri))
          (void)lsp::pathToUri(*Path);
    if (const llvm::json::Array *Changes = Params->getArray("contentChanges"))
      for (const llvm::json::Value &C : *Changes)
        if (const llvm::json::Object *Change = C.getAsObject())
          for (lsp::Encoding Enc : {lsp::Encoding::Utf16, lsp::Encoding::Utf8}) {
            std::string Copy = Text;
            if (lsp::applyChange(Copy, *Change, Enc))
              Text = Copy;
          }
    if (const llvm::json::Object *Pos = Params->getObject("position")) {
      int64_t Line = Pos->getInteger("line").value_or(0);
      int64_t Character = Pos->getInteger("character").value_or(0);
      for (lsp::Encoding Enc : {lsp::Encoding::Utf16, lsp::Encoding::Utf8}) {
        size_t Offset = lsp::offsetOf(Text, Line, Character, Enc);
        if (Offset > Text.size())
          std::abort();
        (void)lsp::positionOf(Text, Offset, Enc);
      }
    }
  }
  close(Fds[0]);
  return 0;
}
