//===--- LineTable.h - Byte offsets <-> lines and columns ------------------===//
///
/// \file
/// The one conversion between byte offsets in a text and 1-based lines and
/// byte columns, for every place that prints or reads a position (the
/// findings, the text renderer, the reports, the schema's file:line).
///
/// Lines end as Clang's SourceManager ends them, so a position agrees with
/// what clang prints for the same offset: at `\n`, at `\r\n` (one break)
/// and at a lone `\r`. A line's break belongs to that line. The offset just
/// past a final line break (end of file) is line N+1, column 1, as clang
/// reports an end-of-file location; it does not start a line that exists:
/// lineCount() is N and lineText(N+1) is empty.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SUPPORT_LINETABLE_H
#define STRESSLINT_SUPPORT_LINETABLE_H

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace stresslint {

/// Line starts of one text. Refers to the text, which must outlive it.
class LineTable {
public:
  explicit LineTable(llvm::StringRef Text = "");

  /// 1-based line of \p Offset. Offsets past the end count from the last
  /// line start.
  unsigned line(size_t Offset) const;
  /// 1-based line and 1-based byte column of \p Offset.
  std::pair<unsigned, unsigned> position(size_t Offset) const;
  /// The offset of \p Line, \p Column (both 1-based; the column is not
  /// checked against the line's length), or nothing when the line is 0 or
  /// past the end-of-file position.
  std::optional<size_t> offset(unsigned Line, unsigned Column) const;
  /// The offset where \p Line starts; \p Line must be 1..lineStarts().
  size_t lineStart(unsigned Line) const { return Starts[Line - 1]; }
  /// The bytes of \p Line without its line break; "" for a line that does
  /// not exist.
  llvm::StringRef lineText(unsigned Line) const;
  /// The lines the text has: a final line break ends the last line.
  unsigned lineCount() const { return Count; }
  /// Line starts, the end-of-file position after a final break included.
  unsigned lineStarts() const { return static_cast<unsigned>(Starts.size()); }
  llvm::StringRef text() const { return Text; }

private:
  llvm::StringRef Text;
  std::vector<size_t> Starts;
  unsigned Count = 0;
};

/// Files read once, each with its line table.
class FileLines {
public:
  /// Reads through \p FS (an editor's unsaved buffers over the disk), else
  /// from the disk.
  explicit FileLines(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS = nullptr)
      : FS(std::move(FS)) {}

  /// The table of \p Path (read on first use); null when it cannot be read.
  const LineTable *find(llvm::StringRef Path);
  /// The same, an empty table when the file cannot be read.
  const LineTable &get(llvm::StringRef Path);

private:
  struct Entry {
    std::unique_ptr<llvm::MemoryBuffer> Buffer;
    LineTable Lines;
  };
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS;
  llvm::StringMap<Entry> Files;
};

} // namespace stresslint

#endif
