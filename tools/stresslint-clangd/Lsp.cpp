//===--- Lsp.cpp - LSP framing, URIs and positions for stresslint-clangd --===//
#include "Lsp.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include <cerrno>
#include <unistd.h>

namespace stresslint::lsp {

/// Messages larger than this are refused (and skipped), not buffered.
static constexpr size_t MaxMessage = 256u << 20;

bool MessageReader::fill() {
  if (Eof)
    return false;
  if (Pos > 0 && Pos == Buf.size()) {
    Buf.clear();
    Pos = 0;
  }
  char Chunk[65536];
  for (;;) {
    ssize_t N = ::read(Fd, Chunk, sizeof(Chunk));
    if (N > 0) {
      Buf.append(Chunk, static_cast<size_t>(N));
      return true;
    }
    if (N < 0 && errno == EINTR)
      continue;
    Eof = true;
    return false;
  }
}

MessageReader::Status MessageReader::read(std::string &Body) {
  // Header: lines up to an empty line.
  size_t End;
  while ((End = Buf.find("\r\n\r\n", Pos)) == std::string::npos) {
    if (Buf.size() - Pos > 65536) {
      // No end of header in 64 KiB: not LSP. Drop what we have.
      Pos = Buf.size();
      return Status::Malformed;
    }
    if (!fill())
      return Status::End;
  }
  llvm::StringRef Header = llvm::StringRef(Buf).slice(Pos, End);
  Pos = End + 4;
  std::optional<size_t> Length;
  bool Bad = false;
  llvm::SmallVector<llvm::StringRef, 4> Lines;
  Header.split(Lines, "\r\n");
  for (llvm::StringRef L : Lines) {
    if (!L.contains(':')) {
      Bad = true;
      continue;
    }
    auto [Name, Value] = L.split(':');
    if (Name.trim().equals_insensitive("Content-Length")) {
      size_t N;
      if (Value.trim().getAsInteger(10, N))
        Bad = true;
      else
        Length = N;
    }
    // Other headers (Content-Type) are ignored, as LSP allows.
  }
  if (!Length)
    return Status::Malformed;
  if (Bad || *Length > MaxMessage) {
    // Skip the body of a bad message without keeping it.
    size_t Left = *Length;
    while (Left > 0) {
      if (Pos == Buf.size() && !fill())
        return Status::End;
      size_t Take = std::min(Left, Buf.size() - Pos);
      Pos += Take;
      Left -= Take;
    }
    return Status::Malformed;
  }
  while (Buf.size() - Pos < *Length)
    if (!fill())
      return Status::End;
  Body.assign(Buf, Pos, *Length);
  Pos += *Length;
  return Status::Message;
}

bool MessageWriter::writeRaw(llvm::StringRef Body) {
  std::string Out = "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n";
  Out += Body;
  std::lock_guard<std::mutex> Lock(Mu);
  const char *P = Out.data();
  size_t Left = Out.size();
  while (Left > 0) {
    ssize_t N = ::write(Fd, P, Left);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    P += N;
    Left -= static_cast<size_t>(N);
  }
  return true;
}

bool MessageWriter::write(const llvm::json::Value &V) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << V;
  return writeRaw(OS.str());
}

llvm::json::Value parseError(llvm::StringRef Detail) {
  return llvm::json::Object{
      {"jsonrpc", "2.0"},
      {"id", nullptr},
      {"error", llvm::json::Object{{"code", -32700},
                                   {"message", ("Parse error: " + Detail).str()}}}};
}

std::optional<std::string> uriToPath(llvm::StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return std::nullopt;
  // An authority other than empty/localhost is another machine.
  if (!Uri.startswith("/")) {
    if (!Uri.consume_front("localhost"))
      return std::nullopt;
  }
  std::string Path;
  for (size_t I = 0; I < Uri.size(); ++I) {
    if (Uri[I] == '%' && I + 2 < Uri.size() && llvm::isHexDigit(Uri[I + 1]) &&
        llvm::isHexDigit(Uri[I + 2])) {
      Path += static_cast<char>(llvm::hexFromNibbles(Uri[I + 1], Uri[I + 2]));
      I += 2;
    } else {
      Path += Uri[I];
    }
  }
  if (Path.empty() || Path.find('\0') != std::string::npos)
    return std::nullopt;
  return Path;
}

std::string pathToUri(llvm::StringRef Path) {
  std::string Uri = "file://";
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-._~").contains(C))
      Uri += static_cast<char>(C);
    else
      Uri += {'%', llvm::hexdigit(C >> 4), llvm::hexdigit(C & 15)};
  }
  return Uri;
}

/// Code units of \p Enc in the UTF-8 bytes \p S.
static size_t units(llvm::StringRef S, Encoding Enc) {
  if (Enc == Encoding::Utf8)
    return S.size();
  size_t N = 0;
  for (unsigned char C : S) {
    if ((C & 0xC0) == 0x80)
      continue;             // continuation byte
    N += C >= 0xF0 ? 2 : 1; // 4-byte sequences are surrogate pairs
  }
  return N;
}

size_t offsetOf(llvm::StringRef Text, int64_t Line, int64_t Character, Encoding Enc) {
  size_t Start = 0;
  for (int64_t L = 0; L < Line; ++L) {
    size_t Nl = Text.find('\n', Start);
    if (Nl == llvm::StringRef::npos)
      return Text.size();
    Start = Nl + 1;
  }
  size_t LineEnd = std::min(Text.find('\n', Start), Text.size());
  size_t Off = Start;
  int64_t Seen = 0;
  while (Off < LineEnd && Seen < Character) {
    unsigned char C = Text[Off];
    size_t Len = C < 0x80 ? 1 : C >= 0xF0 ? 4 : C >= 0xE0 ? 3 : C >= 0xC0 ? 2 : 1;
    Seen += Enc == Encoding::Utf8 ? static_cast<int64_t>(Len) : (Len == 4 ? 2 : 1);
    Off = std::min(Off + Len, LineEnd);
  }
  return Off;
}

llvm::json::Object positionOf(llvm::StringRef Text, size_t Offset, Encoding Enc) {
  Offset = std::min(Offset, Text.size());
  llvm::StringRef Before = Text.take_front(Offset);
  size_t LineStart = Before.rfind('\n');
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  return llvm::json::Object{
      {"line", static_cast<int64_t>(Before.count('\n'))},
      {"character", static_cast<int64_t>(units(Before.drop_front(LineStart), Enc))}};
}

bool applyChange(std::string &Text, const llvm::json::Object &Change, Encoding Enc) {
  std::optional<llvm::StringRef> New = Change.getString("text");
  if (!New)
    return false;
  const llvm::json::Object *Range = Change.getObject("range");
  if (!Range) {
    Text = New->str();
    return true;
  }
  const llvm::json::Object *Start = Range->getObject("start");
  const llvm::json::Object *End = Range->getObject("end");
  if (!Start || !End)
    return false;
  auto Get = [](const llvm::json::Object &P, llvm::StringRef K) {
    return P.getInteger(K).value_or(-1);
  };
  if (Get(*Start, "line") < 0 || Get(*Start, "character") < 0 ||
      Get(*End, "line") < 0 || Get(*End, "character") < 0)
    return false;
  size_t B = offsetOf(Text, Get(*Start, "line"), Get(*Start, "character"), Enc);
  size_t E = offsetOf(Text, Get(*End, "line"), Get(*End, "character"), Enc);
  if (E < B)
    return false;
  Text.replace(B, E - B, New->str());
  return true;
}

} // namespace stresslint::lsp
