//===--- LineTable.cpp - Byte offsets <-> lines and columns ----------------===//
#include "support/LineTable.h"

#include <algorithm>
#include <cstring>

namespace stresslint {

/// Adds to \p Starts the start after each break of \p Text.
static void addBreaks(llvm::StringRef Text, std::vector<size_t> &Starts) {
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '\r' && I + 1 < Text.size() && Text[I + 1] == '\n')
      ++I;
    else if (Text[I] != '\n' && Text[I] != '\r')
      continue;
    Starts.push_back(I + 1);
  }
}

LineTable::LineTable(llvm::StringRef Text) : Text(Text), Starts{0} {
  // Without a carriage return every break is a `\n`, which memchr finds
  // many bytes at a time.
  if (Text.find('\r') == llvm::StringRef::npos) {
    const char *Begin = Text.data(), *End = Begin + Text.size();
    for (const char *P = Begin;
         P != End && (P = static_cast<const char *>(std::memchr(P, '\n', End - P)));)
      Starts.push_back(++P - Begin);
  } else {
    addBreaks(Text, Starts);
  }
  // A start at the very end follows a final break: the end-of-file
  // position, not a line. An empty text has no line.
  Count = static_cast<unsigned>(Starts.back() == Text.size() ? Starts.size() - 1
                                                             : Starts.size());
}

unsigned LineTable::line(size_t Offset) const {
  return static_cast<unsigned>(std::upper_bound(Starts.begin(), Starts.end(), Offset) -
                               Starts.begin());
}

std::pair<unsigned, unsigned> LineTable::position(size_t Offset) const {
  unsigned Line = line(Offset);
  return {Line, static_cast<unsigned>(Offset - Starts[Line - 1] + 1)};
}

std::optional<size_t> LineTable::offset(unsigned Line, unsigned Column) const {
  if (Line == 0 || Line > Starts.size() || Column == 0)
    return std::nullopt;
  return Starts[Line - 1] + Column - 1;
}

llvm::StringRef LineTable::lineText(unsigned Line) const {
  if (Line == 0 || Line > Count)
    return "";
  return Text.drop_front(Starts[Line - 1]).take_until([](char C) {
    return C == '\n' || C == '\r';
  });
}

const LineTable *FileLines::find(llvm::StringRef Path) {
  auto It = Files.find(Path);
  if (It == Files.end()) {
    Entry E;
    auto Buf = FS ? FS->getBufferForFile(Path) : llvm::MemoryBuffer::getFile(Path);
    if (Buf) {
      E.Buffer = std::move(*Buf);
      E.Lines = LineTable(E.Buffer->getBuffer());
    }
    It = Files.try_emplace(Path, std::move(E)).first;
  }
  return It->second.Buffer ? &It->second.Lines : nullptr;
}

const LineTable &FileLines::get(llvm::StringRef Path) {
  static const LineTable Empty;
  const LineTable *L = find(Path);
  return L ? *L : Empty;
}

} // namespace stresslint
