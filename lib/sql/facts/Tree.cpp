//===--- Tree.cpp - Parse-tree helpers the facts share ---------------------===//
#include "sql/facts/Tree.h"

#include "llvm/ADT/StringExtras.h"

namespace stresslint {
namespace sqlfacts {

using namespace pgtree;

bool isZeroOrNull(const Value *V) {
  const Object *C = asNode(V, "A_Const");
  if (!C) {
    if (const Object *Cast = asNode(V, "TypeCast"))
      return isZeroOrNull(get(Cast, "arg"));
    return false;
  }
  if (getBoolean(C, "isnull").value_or(false))
    return true;
  if (const Object *I = getObject(C, "ival"))
    return getInteger(I, "ival").value_or(0) == 0;
  return false;
}

/// The column a ColumnRef names, as written in \p Text (`PlanID`, not the
/// parser's folded `planid`): the case tells `PlanID` (a key) from
/// `planid`. The parser's name when the text does not spell it.
static std::string spelledColumn(const Object *Col, llvm::StringRef Text) {
  std::string Folded = lastName(arrayField(Col, "fields"));
  std::optional<int64_t> Loc = getInteger(Col, "location");
  if (!Loc || *Loc < 0 || static_cast<uint64_t>(*Loc) >= Text.size())
    return Folded;
  llvm::StringRef Ref = Text.drop_front(static_cast<size_t>(*Loc));
  Ref = Ref.take_while([](char C) {
    return llvm::isAlnum(C) || C == '_' || C == '$' || C == '.' || C == '"';
  });
  llvm::StringRef Last = Ref.substr(Ref.rfind('.') + 1).trim('"'); // npos + 1 == 0
  return Last.equals_insensitive(Folded) ? Last.str() : Folded;
}

void collectPinned(const Value *Where, llvm::StringRef Text,
                   std::vector<std::string> &Out) {
  if (const Object *B = asNode(Where, "BoolExpr")) {
    if (stringField(B, "boolop") != "AND_EXPR")
      return;
    if (std::optional<Array> Args = arrayField(B, "args"))
      for (const Value &A : *Args)
        collectPinned(&A, Text, Out);
    return;
  }

  // `==` is SQLite's spelling of `=` (PostgreSQL reads it as an operator).
  const Object *E = asNode(Where, "A_Expr");
  std::string Op = E ? lastName(arrayField(E, "name")) : "";
  if (!E || stringField(E, "kind") != "AEXPR_OP" || (Op != "=" && Op != "=="))
    return;
  const Value *L = get(E, "lexpr"), *R = get(E, "rexpr");
  for (int Side = 0; Side < 2; ++Side, std::swap(L, R)) {
    const Object *Col = asNode(L, "ColumnRef");
    if (!Col || !R || containsNode(*R, "ColumnRef") || containsNode(*R, "SubLink"))
      continue;
    Out.push_back(spelledColumn(Col, Text));
    return;
  }
}

void setOnlyTable(const Object *S, SqlFact &F) {
  std::optional<Array> From = arrayField(S, "fromClause");
  const Object *RV =
      From && From->size() == 1 ? asNode(&From->front(), "RangeVar") : nullptr;
  if (!RV)
    return;
  F.Table = stringField(RV, "relname").str();
  F.OnlyTable = true;
}

void fromItems(const Value &V, std::vector<FromItem> &Out) {
  auto [Type, Body] = unwrap(&V);
  if (!Body)
    return;
  if (Type == "JoinExpr") {
    if (const Value *L = get(Body, "larg"))
      fromItems(*L, Out);
    if (const Value *R = get(Body, "rarg"))
      fromItems(*R, Out);
    return;
  }
  FromItem I;
  I.Range = Body;
  I.Type = Type;
  I.Name = stringField(getObject(Body, "alias"), "aliasname").lower();
  if (I.Name.empty())
    I.Name = stringField(Body, "relname").lower();
  Out.push_back(std::move(I));
}

} // namespace sqlfacts
} // namespace stresslint
