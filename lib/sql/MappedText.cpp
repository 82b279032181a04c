//===--- MappedText.cpp ---------------------------------------------------===//
#include "sql/MappedText.h"

namespace stresslint {

MappedText::MappedText(llvm::StringRef Original) {
  appendCopied(Original, 0);
}

void MappedText::appendCopied(llvm::StringRef S, uint32_t OriginBegin) {
  Text.append(S.begin(), S.end());
  size_t Old = Origin.size();
  Origin.resize(Old + S.size());
  for (size_t I = 0; I < S.size(); ++I)
    Origin[Old + I] = OriginBegin + static_cast<uint32_t>(I);
  OriginEnd = OriginBegin + static_cast<uint32_t>(S.size());
}

void MappedText::appendSynthetic(llvm::StringRef S, uint32_t At) {
  Text.append(S.begin(), S.end());
  Origin.insert(Origin.end(), S.size(), At);
  OriginEnd = At;
}

void MappedText::appendSlice(const MappedText &Other, size_t Begin,
                             size_t End) {
  if (End > Other.size())
    End = Other.size();
  if (Begin >= End)
    return;
  Text.append(Other.Text, Begin, End - Begin);
  Origin.insert(Origin.end(), Other.Origin.begin() + Begin,
                Other.Origin.begin() + End);
  OriginEnd = Other.originOf(End);
}

uint32_t MappedText::originOf(size_t Offset) const {
  if (Offset < Origin.size())
    return Origin[Offset];
  if (Origin.empty())
    return OriginEnd;
  return Origin.back() + 1 > OriginEnd ? Origin.back() + 1 : OriginEnd;
}

} // namespace stresslint
