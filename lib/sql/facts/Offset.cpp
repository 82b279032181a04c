//===--- Offset.cpp - Fact: OFFSET with a non-zero or unknown value --------===//
#include "sql/facts/Registry.h"
#include "sql/facts/Walk.h"

#include "llvm/ADT/StringExtras.h"

namespace stresslint {
namespace sqlfacts {

using namespace pgtree;

std::string keysetHintText(const std::vector<std::string> &Cols, bool Desc, bool Mixed,
                           const std::string &Limit) {
  if (Cols.empty())
    return "order by a unique key and page with WHERE id > $last_id ORDER "
           "BY id LIMIT " +
           Limit;
  std::string Order = llvm::join(Cols, Desc ? " DESC, " : ", ") + (Desc ? " DESC" : "");
  if (Mixed)
    return "page by key: remember the last row's (" + llvm::join(Cols, ", ") +
           ") and filter past it instead of skipping rows";
  std::string Lhs = Cols.size() == 1 ? Cols[0] : "(" + llvm::join(Cols, ", ") + ")";
  std::string Rhs;
  for (size_t I = 0; I < Cols.size(); ++I)
    Rhs += (I ? ", $last_" : "$last_") + std::to_string(I + 1);
  if (Cols.size() > 1)
    Rhs = "(" + Rhs + ")";
  return "page by key instead: WHERE " + Lhs + (Desc ? " < " : " > ") + Rhs +
         " ORDER BY " + Order + " LIMIT " + Limit;
}

/// The keyset suggestion for the OFFSET of SELECT \p S: its ORDER BY and
/// LIMIT as written.
static std::string keysetHint(FactWalk &W, const Object *S) {
  std::string Limit = "$n";
  if (const Value *C = get(S, "limitCount")) {
    int Min = INT32_MAX, Max = -1;
    collectLocations(*C, Min, Max);
    if (Max >= 0)
      Limit = W.text(Min, W.operandEnd(Max));
  }
  std::vector<std::string> Cols;
  bool Desc = false, Mixed = false;
  if (std::optional<Array> Sort = arrayField(S, "sortClause")) {
    for (const Value &SV : *Sort) {
      const Object *By = asNode(&SV, "SortBy");
      int Min = INT32_MAX, Max = -1;
      if (!By || !get(By, "node"))
        continue;
      collectLocations(*get(By, "node"), Min, Max);
      if (Max < 0)
        continue;
      bool D = stringField(By, "sortby_dir") == "SORTBY_DESC";
      if (!Cols.empty() && D != Desc)
        Mixed = true;
      Desc = D;
      Cols.push_back(W.text(Min, W.operandEnd(Max)));
    }
  }
  return keysetHintText(Cols, Desc, Mixed, Limit);
}

/// The OFFSET of SELECT \p S, unless it is zero or NULL.
static void extractOffset(FactWalk &W, const Object *S) {
  const Value *Off = get(S, "limitOffset");
  if (!Off || isZeroOrNull(Off))
    return;
  int Min = INT32_MAX, Max = -1;
  collectLocations(*Off, Min, Max);
  if (Max < 0)
    return;
  // The OFFSET keyword is before the value: all the tokens.
  const auto &T = W.tokensFrom(0);
  size_t I = W.tokenAt(static_cast<uint32_t>(Min));
  uint32_t Begin = static_cast<uint32_t>(Min);
  while (I-- > 0)
    if (T[I].Kind == tok::Offset) {
      Begin = T[I].Begin;
      break;
    }
  SqlFact &F = W.add(SqlFact::Offset, Begin, W.operandEnd(Max));
  F.Detail = keysetHint(W, S);
}

// `LIMIT a, b` (MySQL) reaches the parser as `LIMIT b OFFSET a`
// (Normalize.h's rewriteMySqlLimit), `OFFSET n ROWS` as limitOffset too.
static constexpr llvm::StringLiteral Words[] = {"offset"};
static constexpr Needle Needles[] = {{"limitOffset\"", false, Words}};
static constexpr const char *Examples[] = {
    "SELECT id FROM t ORDER BY id LIMIT 10 OFFSET $1",
    "SELECT id FROM t OFFSET 20 ROWS FETCH NEXT 10 ROWS ONLY",
    "SELECT id FROM t LIMIT 20, 10",
};
constexpr FactSpec OffsetFact = makeFact(SqlFact::Offset, "offset", Needles,
                                         FactHook::Select, extractOffset, Examples);

} // namespace sqlfacts
} // namespace stresslint
