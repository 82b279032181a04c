//===--- MappedText.cpp ---------------------------------------------------===//
#include "sql/MappedText.h"

#include <algorithm>
#include <iterator>

namespace stresslint {

MappedText::MappedText(llvm::StringRef Original) { appendCopied(Original, 0); }

void MappedText::addRun(uint32_t Origin, bool Synthetic) {
  auto At = static_cast<uint32_t>(Text.size());
  if (!Runs.empty()) {
    const Run &Last = Runs.back();
    // The same synthetic origin, or the original's next bytes: the last
    // run goes on.
    if (Last.Synthetic == Synthetic &&
        Origin == (Synthetic ? Last.Origin : Last.Origin + (At - Last.At)))
      return;
  }
  Runs.push_back({At, Origin, Synthetic});
}

void MappedText::appendCopied(llvm::StringRef S, uint32_t OriginBegin) {
  if (!S.empty()) {
    addRun(OriginBegin, /*Synthetic=*/false);
    Text.append(S.begin(), S.end());
  }
  OriginEnd = OriginBegin + static_cast<uint32_t>(S.size());
}

void MappedText::appendSynthetic(llvm::StringRef S, uint32_t At) {
  if (!S.empty()) {
    addRun(At, /*Synthetic=*/true);
    Text.append(S.begin(), S.end());
  }
  OriginEnd = At;
}

void MappedText::appendSlice(const MappedText &Other, size_t Begin, size_t End) {
  if (End > Other.size())
    End = Other.size();
  if (Begin >= End)
    return;
  // The runs of Other that [Begin, End) overlaps, each cut to it.
  auto It = std::prev(
      std::upper_bound(Other.Runs.begin(), Other.Runs.end(), Begin,
                       [](size_t Offset, const Run &R) { return Offset < R.At; }));
  for (; It != Other.Runs.end() && It->At < End; ++It) {
    size_t From = std::max<size_t>(Begin, It->At);
    auto Next = std::next(It);
    size_t To = Next == Other.Runs.end() ? End : std::min<size_t>(End, Next->At);
    addRun(It->Synthetic ? It->Origin
                         : It->Origin + static_cast<uint32_t>(From - It->At),
           It->Synthetic);
    Text.append(Other.Text, From, To - From);
  }
  OriginEnd = Other.originOf(End);
}

uint32_t MappedText::originOf(size_t Offset) const {
  if (Offset < Text.size()) {
    const Run &R = *std::prev(
        std::upper_bound(Runs.begin(), Runs.end(), Offset,
                         [](size_t O, const Run &Later) { return O < Later.At; }));
    return R.Synthetic ? R.Origin : R.Origin + static_cast<uint32_t>(Offset - R.At);
  }
  if (Text.empty())
    return OriginEnd;
  uint32_t Last = originOf(Text.size() - 1);
  return Last + 1 > OriginEnd ? Last + 1 : OriginEnd;
}

} // namespace stresslint
