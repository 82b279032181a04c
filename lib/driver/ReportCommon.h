//===--- ReportCommon.h - What the report writers share -------------------===//
///
/// \file
/// Internal to the report writers (Report.cpp, ReportSarif.cpp,
/// ReportCi.cpp): source lines read once per file, UTF-16 columns,
/// percent-encoded paths and the path a report shows.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_REPORTCOMMON_H
#define STRESSLINT_DRIVER_REPORTCOMMON_H

#include "driver/Report.h"
#include "support/LineTable.h"

#include "llvm/ADT/StringRef.h"
#include <string>

namespace stresslint {
namespace reportdetail {

/// A compiler's diagnostic (`clang-diagnostic-*`), not a rule's finding.
inline bool isCompilerFinding(const Finding &F) {
  return llvm::StringRef(F.Check).startswith("clang-diagnostic-");
}

/// Source files read once, for line text and column conversion.
class SourceFiles {
public:
  /// Line \p Line (1-based) of \p File without its line break, or "".
  llvm::StringRef line(llvm::StringRef File, unsigned Line) {
    return Files.get(File).lineText(Line);
  }

  /// The bytes from (Line, Column) up to (EndLine, EndColumn), exclusive.
  llvm::StringRef range(llvm::StringRef File, unsigned Line, unsigned Column,
                        unsigned EndLine, unsigned EndColumn) {
    const LineTable *L = Files.find(File);
    if (!L || Line == 0 || EndLine < Line || EndLine > L->lineCount())
      return "";
    size_t Begin = L->lineStart(Line) + Column - 1;
    size_t End = L->lineStart(EndLine) + EndColumn - 1;
    return Begin <= End ? L->text().slice(Begin, End) : "";
  }

private:
  FileLines Files;
};

/// Collapses runs of whitespace to one space and trims the ends.
std::string normalizeSpace(llvm::StringRef S);

/// Converts a 1-based byte column of \p LineText to UTF-16 code units (the
/// SARIF default column kind). Bytes past the end of the line count one each.
unsigned utf16Column(llvm::StringRef LineText, unsigned ByteColumn);

/// Percent-encodes everything but RFC 3986 unreserved characters and `/`.
std::string encodeUriPath(llvm::StringRef Path);

/// The path a report shows: relative to the root when under it.
std::string displayPath(llvm::StringRef File, llvm::StringRef Root);

} // namespace reportdetail
} // namespace stresslint

#endif
