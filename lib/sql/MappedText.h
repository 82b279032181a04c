//===--- MappedText.h - Text that remembers where each byte came from -----===//
///
/// \file
/// A string whose bytes each carry the offset of the byte they came from in an
/// original text, so that rewriting SQL (placeholder normalisation, MySQL
/// `LIMIT a, b`) never loses the exact position of a token.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_MAPPEDTEXT_H
#define STRESSLINT_SQL_MAPPEDTEXT_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace stresslint {

class MappedText {
public:
  MappedText() = default;
  /// The identity mapping of \p Original.
  explicit MappedText(llvm::StringRef Original);

  /// Appends \p S, whose first byte came from \p OriginBegin in the original
  /// and whose following bytes are consecutive there.
  void appendCopied(llvm::StringRef S, uint32_t OriginBegin);
  /// Appends text that does not exist in the original; every byte maps to
  /// \p At.
  void appendSynthetic(llvm::StringRef S, uint32_t At);
  /// Appends bytes [Begin, End) of \p Other, keeping their origins.
  void appendSlice(const MappedText &Other, size_t Begin, size_t End);

  const std::string &text() const { return Text; }
  size_t size() const { return Text.size(); }
  /// The original offset of byte \p Offset; one past the end maps to the end.
  uint32_t originOf(size_t Offset) const;

private:
  /// Bytes [At, the next run's At) of the text. Copied bytes come from
  /// consecutive bytes of the original from Origin on; synthetic ones all
  /// map to Origin. Runs, not an origin per byte: normalising a file and
  /// cutting it into statements then copies a few runs, not 4 bytes a byte.
  struct Run {
    uint32_t At;
    uint32_t Origin;
    bool Synthetic;
  };
  /// Starts a run at the end of the text, or lets the last one go on.
  void addRun(uint32_t Origin, bool Synthetic);

  std::string Text;
  std::vector<Run> Runs;
  uint32_t OriginEnd = 0;
};

} // namespace stresslint

#endif
