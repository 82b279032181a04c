//===--- LeadingWildcard.cpp - Fact: LIKE pattern starting with % or _ -----===//
#include "sql/Normalize.h"
#include "sql/facts/Holes.h"
#include "sql/facts/Registry.h"
#include "sql/facts/Walk.h"

#include "llvm/ADT/StringExtras.h"

namespace stresslint {
namespace sqlfacts {

using namespace pgtree;

/// Not `%` alone (matches everything), and not a printf or QString marker
/// (`'%s'`, `'%d'`, `'%s%%'`): in a format string that is the caller's
/// value, with at most a trailing wildcard.
bool isLeadingWildcard(llvm::StringRef S) {
  if (S.empty() || (S[0] != '%' && S[0] != '_'))
    return false;
  if (S.find_first_not_of('%') == llvm::StringRef::npos)
    return false;
  // Only the markers that stand for a value in SQL templates: %s, %d, %ld,
  // %lld (`'%x'`, `'%c'`, `'%10'` are searches far more often than hex,
  // character or QString::arg markers).
  size_t Len = formatMarkerLength(S, 0);
  if (Len && !llvm::isDigit(S[1]) && (S[Len - 1] == 's' || S[Len - 1] == 'd')) {
    llvm::StringRef Rest = S.drop_front(Len);
    if (Rest.empty() || Rest[0] == '%')
      return false;
  }
  return true;
}

bool isCaseFolding(llvm::StringRef Name) {
  for (llvm::StringRef F : {"lower", "upper", "lcase", "ucase", "unaccent"})
    if (Name.equals_insensitive(F))
      return true;
  return false;
}

/// The string constant that makes \p V start with a wildcard, if any.
static const Object *leadingWildcard(const Value *V, unsigned Depth) {
  if (!V || Depth > 64)
    return nullptr;
  if (const Object *Cast = asNode(V, "TypeCast"))
    return leadingWildcard(get(Cast, "arg"), Depth + 1);
  // `'%x%' COLLATE utf8mb4_unicode_ci`: the collation keeps the pattern.
  if (const Object *Collate = asNode(V, "CollateClause"))
    return leadingWildcard(get(Collate, "arg"), Depth + 1);
  if (const Object *C = asNode(V, "A_Const")) {
    return isLeadingWildcard(stringField(getObject(C, "sval"), "sval")) ? C : nullptr;
  }
  if (const Object *E = asNode(V, "A_Expr")) {
    if (stringField(E, "kind") == "AEXPR_OP" &&
        lastName(arrayField(E, "name")) == "||") {
      const Value *L = get(E, "lexpr");
      if (const Object *C = asNode(L, "A_Const");
          C &&
          stringField(getObject(C, "sval"), "sval").find_first_not_of('%') ==
              llvm::StringRef::npos &&
          !stringField(getObject(C, "sval"), "sval").empty())
        return C; // '%' || $1
      return leadingWildcard(L, Depth + 1);
    }
    return nullptr;
  }
  if (const Object *F = asNode(V, "FuncCall")) {
    std::string Name = lastName(arrayField(F, "funcname"));
    std::optional<Array> Args = arrayField(F, "args");
    if (!Args || Args->empty())
      return nullptr;
    // Case folding keeps the pattern's first character: `lower(title)
    // LIKE lower('%' || $1 || '%')`.
    if (isCaseFolding(Name) && Args->size() == 1)
      return leadingWildcard(&Args->front(), Depth + 1);
    if (Name == "concat") {
      const Object *C = asNode(&Args->front(), "A_Const");
      llvm::StringRef S = C ? stringField(getObject(C, "sval"), "sval") : "";
      if (!S.empty() && (S[0] == '%' || S[0] == '_') && Args->size() > 1)
        return C;
      return leadingWildcard(&Args->front(), Depth + 1);
    }
  }
  return nullptr;
}

/// Column, ColumnLowered, Table and CandidateTables of a LIKE-family
/// fact whose left operand is \p Lhs: a column, or lower() of one, and
/// the base table(s) it may belong to (qualifier resolved through the
/// FROM list's aliases; an unqualified column belongs to one of the base
/// tables, when the FROM list has nothing else).
static void describeOperand(const FactWalk &W, SqlFact &F, const Value *Lhs) {
  if (const Object *Fn = asNode(Lhs, "FuncCall")) {
    std::optional<Array> Args = arrayField(Fn, "args");
    if (lastName(arrayField(Fn, "funcname")) != "lower" || !Args || Args->size() != 1)
      return;
    F.ColumnLowered = true;
    Lhs = &Args->front();
  }
  std::optional<Array> Fields = arrayField(asNode(Lhs, "ColumnRef"), "fields");
  if (!Fields || Fields->empty() || !asNode(&Fields->back(), "String")) {
    F.ColumnLowered = false;
    return;
  }
  F.Column = lastName(Fields);
  // A hole: the column was written apart (`col + " LIKE '%" + v + "%'"`).
  if (isHoleName(F.Column)) {
    F.Column.clear();
    F.ColumnLowered = false;
    return;
  }
  std::string Qualifier =
      Fields->size() > 1
          ? stringField(asNode(&(*Fields)[Fields->size() - 2], "String"), "sval")
                .lower()
          : "";
  std::vector<FromItem> Items = W.scopeItems();
  bool OnlyTables = true;
  for (const FromItem &I : Items) {
    OnlyTables &= I.Type == "RangeVar";
    if (I.Type != "RangeVar" || (!Qualifier.empty() && I.Name != Qualifier))
      continue;
    F.CandidateTables.push_back(stringField(I.Range, "relname").str());
  }
  if (Qualifier.empty() ? !OnlyTables : F.CandidateTables.size() > 1)
    F.CandidateTables.clear();
  if (F.CandidateTables.size() == 1) {
    F.Table = std::move(F.CandidateTables.front());
    F.CandidateTables.clear();
  }
  // The message names the operand, so that two LIKEs of one statement
  // spliced from one spelled operator (`{{match_type}}` replaced by "LIKE")
  // are told apart, and the column to index is said. A qualifier the
  // caller spliced in (a hole) is not shown.
  std::string Shown =
      (Qualifier.empty() || isHoleName(Qualifier) ? "" : Qualifier + ".") + F.Column;
  F.Detail = (F.ColumnLowered ? "lower(" + Shown + ")" : Shown) + " " + F.Detail;
}

/// A LIKE, ILIKE or SIMILAR TO \p E whose pattern starts with a wildcard.
static void extractLeadingWildcard(FactWalk &W, const Object *E) {
  llvm::StringRef Kind = stringField(E, "kind");
  std::string Op = lastName(arrayField(E, "name"));
  bool IsLike = Kind == "AEXPR_LIKE" || Kind == "AEXPR_ILIKE" ||
                Kind == "AEXPR_SIMILAR" ||
                (Kind == "AEXPR_OP" &&
                 (Op == "~~" || Op == "~~*" || Op == "!~~" || Op == "!~~*"));
  if (!IsLike)
    return;
  const Value *Pattern = get(E, "rexpr");
  if (const Object *Esc = asNode(Pattern, "FuncCall")) {
    std::string F = lastName(arrayField(Esc, "funcname"));
    std::optional<Array> Args = arrayField(Esc, "args");
    if ((F == "like_escape" || F == "similar_to_escape") && Args && !Args->empty())
      Pattern = &Args->front();
  }
  if (const Object *Lit = leadingWildcard(Pattern, 0)) {
    uint32_t Loc = static_cast<uint32_t>(getInteger(Lit, "location").value_or(0));
    SqlFact &F = W.add(SqlFact::LeadingWildcard, Loc, W.tokenEnd(Loc));
    F.Detail = Kind == "AEXPR_ILIKE"     ? "ILIKE"
               : Kind == "AEXPR_SIMILAR" ? "SIMILAR TO"
                                         : "LIKE";
    // A negated match keeps most rows: no index serves it.
    if (!llvm::StringRef(Op).startswith("!"))
      describeOperand(W, F, get(E, "lexpr"));
  }
}

// The A_Expr kinds of LIKE, ILIKE and SIMILAR TO, and the operators of LIKE
// and ILIKE as an A_Expr's name (`"sval":"~~"`), which is how
// `OPERATOR(pg_catalog.~~)` arrives.
static constexpr llvm::StringLiteral Like[] = {"like"};
static constexpr llvm::StringLiteral Similar[] = {"similar"};
static constexpr llvm::StringLiteral Tildes[] = {"~~"};
static constexpr Needle Needles[] = {
    {"AEXPR_LIKE\"", false, Like},
    {"AEXPR_ILIKE\"", false, Like},
    {"AEXPR_SIMILAR\"", false, Similar},
    {"~~\"", false, Tildes},
    {"~~*\"", false, Tildes},
    {"!~~\"", false, Tildes},
    {"!~~*\"", false, Tildes},
};
static constexpr const char *Examples[] = {
    "SELECT id FROM t WHERE name ILIKE '%' || $1 || '%'",
    "SELECT id FROM t WHERE a NOT LIKE '_x' ESCAPE '!'",
    "SELECT id FROM t WHERE a SIMILAR TO '%(b|c)'",
    "SELECT id FROM t WHERE a OPERATOR(pg_catalog.~~) '%x'",
    "SELECT id FROM t WHERE a OPERATOR(pg_catalog.~~*) '%x'",
    "SELECT id FROM t WHERE a LIKE CONCAT('%', $1)",
};
constexpr FactSpec LeadingWildcardFact =
    makeFact(SqlFact::LeadingWildcard, "leading-wildcard", Needles, FactHook::AExpr,
             extractLeadingWildcard, Examples);

} // namespace sqlfacts
} // namespace stresslint
