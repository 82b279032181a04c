//===--- SqlFacts.cpp - What one SQL text contains -------------------------===//
#include "sql/SqlFacts.h"
#include "sql/Normalize.h"
#include "sql/PgQuery.h"
#include "sql/PgTree.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace stresslint {

// libpg_query's tree through the accessors of sql/PgTree.h.
using namespace pgtree;

namespace {

/// A_Const integer zero or NULL (`OFFSET 0`, `OFFSET NULL`).
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
std::string spelledColumn(const Object *Col, llvm::StringRef Text) {
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

/// Equality conjuncts `col = <value>` of a WHERE clause, the columns as
/// spelled in \p Text.
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
    if (!Col || !R || containsNode(*R, "ColumnRef") ||
        containsNode(*R, "SubLink"))
      continue;
    Out.push_back(spelledColumn(Col, Text));
    return;
  }
}

/// The end in \p Original of a construct that ends at byte \p End of
/// \p Stmt. A construct ending in a rewritten placeholder (`$1` for
/// `@skip`, `:name`, `%s`, `{}`) ends where the original placeholder does:
/// its bytes all map to the placeholder's first byte.
uint32_t originalEnd(const MappedText &Stmt, size_t End,
                     llvm::StringRef Original) {
  uint32_t A = Stmt.originOf(End - 1) + 1;
  if (End < Stmt.size()) {
    uint32_t B = Stmt.originOf(End);
    if (B > A && B - A <= 64 && B <= Original.size() &&
        llvm::none_of(Original.slice(A, B), [](char C) {
          return llvm::isSpace(C) || C == ',' || C == ';' || C == '(' ||
                 C == ')' || C == '\'' || C == '"';
        }))
      A = B;
  }
  return std::min<uint32_t>(A, Original.size());
}

/// The keyset-pagination suggestion for an OFFSET whose query orders by
/// \p Cols (\p Desc: descending; \p Mixed: directions differ) and takes
/// \p Limit rows.
std::string keysetHintText(const std::vector<std::string> &Cols, bool Desc,
                           bool Mixed, const std::string &Limit) {
  if (Cols.empty())
    return "order by a unique key and page with WHERE id > $last_id ORDER "
           "BY id LIMIT " + Limit;
  std::string Order = llvm::join(Cols, Desc ? " DESC, " : ", ") +
                      (Desc ? " DESC" : "");
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

/// True when the LIKE pattern \p S starts with a wildcard and is a search:
/// not `%` alone (matches everything), and not a printf or QString marker
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

class StatementAnalyzer {
public:
  StatementAnalyzer(const MappedText &Stmt, llvm::StringRef Original,
                    std::vector<SqlFact> &Facts)
      : Stmt(Stmt), Original(Original), Facts(Facts) {}

  /// Analyses one parsed statement; returns true if it reads or writes
  /// table data (a SELECT with FROM, INSERT, UPDATE, DELETE, MERGE).
  bool run(const Value &RawStmt) {
    const Value *Wrapped = get(&RawStmt, "stmt");
    auto [Type, Body] = unwrap(Wrapped);
    if (!Body)
      return false;
    Top = Body;
    walk(*Wrapped, 0);
    TopSelect = Type == "SelectStmt" ? Body : nullptr;
    if (Type == "SelectStmt") {
      if (!get(Body, "intoClause"))
        outputStars(Body, {});
    } else if (Type == "InsertStmt" || Type == "UpdateStmt" ||
               Type == "DeleteStmt") {
      returningStars(Body, /*Top=*/true);
    } else if (Type == "DeclareCursorStmt") {
      if (const Object *Q = asNode(get(Body, "query"), "SelectStmt"))
        outputStars(Q, {});
    }
    if (Type == "SelectStmt")
      return get(Body, "fromClause") || get(Body, "larg");
    return Type == "InsertStmt" || Type == "UpdateStmt" ||
           Type == "DeleteStmt" || Type == "MergeStmt";
  }

private:
  using CteMap = std::map<std::string, const Object *>;

  /// The statement's tokens from \p Offset on (at least), which must be
  /// where a token starts, as every location in the tree is: the scanner
  /// starts there in the state it would be in anyway. Scanning costs about
  /// what parsing does, and a fact mostly needs the tokens that follow its
  /// own location, so the scan starts there rather than at the statement's
  /// beginning, and starts again earlier only when asked to.
  const std::vector<SqlToken> &tokensFrom(uint32_t Offset) {
    if (Scanned && Offset >= ScannedFrom)
      return Tokens;
    Offset = std::min<uint32_t>(Offset, Stmt.size());
    Tokens.clear();
    scanSql(llvm::StringRef(Stmt.text()).drop_front(Offset), Tokens);
    for (SqlToken &T : Tokens) {
      T.Begin += Offset;
      T.End += Offset;
    }
    Scanned = true;
    ScannedFrom = Offset;
    return Tokens;
  }

  /// Index of the token starting at \p Offset, or the first after it.
  size_t tokenAt(uint32_t Offset) {
    const auto &T = tokensFrom(Offset);
    return std::lower_bound(T.begin(), T.end(), Offset,
                            [](const SqlToken &A, uint32_t O) {
                              return A.Begin < O;
                            }) -
           T.begin();
  }

  uint32_t tokenEnd(uint32_t Offset) {
    size_t I = tokenAt(Offset);
    return I < Tokens.size() ? Tokens[I].End : Offset + 1;
  }

  /// The end of the operand whose last location is \p Offset, including a
  /// qualified name's further parts (`o.created_at`, `s.t.c`).
  uint32_t operandEnd(uint32_t Offset) {
    size_t I = tokenAt(Offset);
    const auto &T = Tokens;
    if (I >= T.size())
      return Offset + 1;
    while (I + 2 < T.size() && T[I + 1].Kind == tok::Dot && T[I + 1].Begin == T[I].End)
      I += 2;
    return T[I].End;
  }

  /// The end of a call starting at \p Offset: its closing parenthesis.
  uint32_t callEnd(uint32_t Offset) {
    // Parentheses are tokens of their own: up to the closing one, where no
    // quote, dollar or comment could hide one, the bytes say what the
    // tokens would, without a scan (`count(*)`, `max(a + b)`).
    llvm::StringRef Text = Stmt.text();
    int Plain = 0;
    for (size_t I = Offset; I < Text.size(); ++I) {
      char C = Text[I];
      llvm::StringRef Rest = Text.drop_front(I);
      if (C == '\'' || C == '"' || C == '$' || Rest.startswith("--") ||
          Rest.startswith("/*"))
        break;
      if (C == '(')
        ++Plain;
      else if (C == ')' && --Plain == 0)
        return static_cast<uint32_t>(I + 1);
    }
    size_t First = tokenAt(Offset);
    const auto &T = Tokens;
    int Depth = 0;
    for (size_t I = First; I < T.size(); ++I) {
      if (T[I].Kind == tok::LParen)
        ++Depth;
      else if (T[I].Kind == tok::RParen && --Depth == 0)
        return T[I].End;
    }
    return tokenEnd(Offset);
  }

  SqlFact &add(SqlFact::Kind K, uint32_t Begin, uint32_t End) {
    SqlFact F;
    F.K = K;
    F.Begin = Stmt.originOf(Begin);
    F.End = std::max(F.Begin + 1, originalEnd(Stmt, End, Original));
    if (F.End > Original.size())
      F.End = static_cast<uint32_t>(Original.size());
    F.Snippet = Original.slice(F.Begin, F.End).str();
    Facts.push_back(std::move(F));
    return Facts.back();
  }

  std::string text(uint32_t Begin, uint32_t End) const {
    return Stmt.text().substr(Begin, End - Begin);
  }

  // --- Generic walk: OFFSET, locks, LIKE patterns, aggregates -------------

  struct SelectCtx {
    const Object *Select;
    bool Subquery;
  };

  void walk(const Value &V, unsigned Depth) {
    if (Depth > 2000) // The parser itself refuses deeper nesting.
      return;
    if (V.IsArray()) {
      for (const Value &E : V.GetArray())
        walk(E, Depth + 1);
      return;
    }
    if (!V.IsObject())
      return;
    for (const auto &KV : V.GetObject()) {
      llvm::StringRef Key = str(KV.name);
      const Object *Body = asObject(KV.value);
      bool SetOpBranch = (Key == "larg" || Key == "rarg") && Body &&
                         get(Body, "op");
      if (Body && (Key == "SelectStmt" || SetOpBranch)) {
        bool Sub = SetOpBranch ? !Selects.empty() && Selects.back().Subquery
                               : !Selects.empty() || InSublink > 0;
        Selects.push_back({Body, Sub});
        onSelect(Body);
        walk(KV.value, Depth + 1);
        Selects.pop_back();
        continue;
      }
      if (Body && Key == "SubLink") {
        ++InSublink;
        walk(KV.value, Depth + 1);
        --InSublink;
        continue;
      }
      if (Body && Key == "A_Expr")
        onAExpr(Body);
      else if (Body && Key == "FuncCall")
        onFuncCall(Body);
      walk(KV.value, Depth + 1);
    }
  }

  void onSelect(const Object *S) {
    if (const Value *Off = get(S, "limitOffset"); Off && !isZeroOrNull(Off))
      onOffset(S, *Off);
    if (std::optional<Array> Locks = arrayField(S, "lockingClause"); Locks && !Locks->empty())
      onLock(S, *Locks);
  }

  void onOffset(const Object *S, const Value &Off) {
    int Min = INT32_MAX, Max = -1;
    collectLocations(Off, Min, Max);
    if (Max < 0)
      return;
    // The OFFSET keyword is before the value: all the tokens.
    const auto &T = tokensFrom(0);
    size_t I = tokenAt(static_cast<uint32_t>(Min));
    uint32_t Begin = static_cast<uint32_t>(Min);
    while (I-- > 0)
      if (T[I].Kind == tok::Offset) {
        Begin = T[I].Begin;
        break;
      }
    SqlFact &F = add(SqlFact::Offset, Begin, operandEnd(Max));
    F.Detail = keysetHint(S);
  }

  std::string keysetHint(const Object *S) {
    std::string Limit = "$n";
    if (const Value *C = get(S, "limitCount")) {
      int Min = INT32_MAX, Max = -1;
      collectLocations(*C, Min, Max);
      if (Max >= 0)
        Limit = text(Min, operandEnd(Max));
    }
    std::vector<std::string> Cols;
    std::string Dirs;
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
        Cols.push_back(text(Min, operandEnd(Max)));
      }
    }
    return keysetHintText(Cols, Desc, Mixed, Limit);
  }

  void onLock(const Object *S, const Array &Locks) {
    const Object *First = asNode(&Locks.front(), "LockingClause");
    llvm::StringRef Strength = stringField(First, "strength");
    unsigned Words = Strength == "LCS_FORNOKEYUPDATE" ? 4
                     : Strength == "LCS_FORKEYSHARE"  ? 3
                                                      : 2;
    int Min = INT32_MAX, Max = -1;
    for (llvm::StringRef Key : {"targetList", "fromClause", "whereClause",
                                "groupClause", "havingClause", "sortClause",
                                "windowClause", "distinctClause"})
      if (const Value *V = get(S, Key))
        collectLocations(*V, Min, Max);
    size_t I = tokenAt(static_cast<uint32_t>(std::max(Max, 0)));
    const auto &T = Tokens;
    for (; I < T.size(); ++I)
      if (T[I].Kind == tok::For && I + 1 < T.size() &&
          llvm::is_contained({int(tok::Update), int(tok::Share), int(tok::No),
                              int(tok::Key)},
                             T[I + 1].Kind))
        break;
    if (I >= T.size())
      return;
    size_t Last = std::min(I + Words - 1, T.size() - 1);
    SqlFact &F = add(SqlFact::RowLock, T[I].Begin, T[Last].End);
    F.Detail = F.Snippet;
    const Value *Count = get(S, "limitCount");
    F.HasLimit = Count && !isZeroOrNull(Count);
    for (const Value &L : Locks) {
      llvm::StringRef Wait = stringField(asNode(&L, "LockingClause"), "waitPolicy");
      if (Wait == "LockWaitSkip" || Wait == "LockWaitError")
        F.NoWaitOrSkip = true;
    }
    F.HasWhere = get(S, "whereClause") != nullptr;
    collectPinned(get(S, "whereClause"), Stmt.text(), F.PinnedColumns);
    setOnlyTable(S, F);
  }

  /// Table and OnlyTable of \p F, when \p S reads one base table alone.
  static void setOnlyTable(const Object *S, SqlFact &F) {
    std::optional<Array> From = arrayField(S, "fromClause");
    const Object *RV = From && From->size() == 1
                           ? asNode(&From->front(), "RangeVar")
                           : nullptr;
    if (!RV)
      return;
    F.Table = stringField(RV, "relname").str();
    F.OnlyTable = true;
  }

  void onAExpr(const Object *E) {
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
      if ((F == "like_escape" || F == "similar_to_escape") && Args &&
          !Args->empty())
        Pattern = &Args->front();
    }
    if (const Object *Lit = leadingWildcard(Pattern, 0)) {
      uint32_t Loc = static_cast<uint32_t>(getInteger(Lit, "location").value_or(0));
      SqlFact &F = add(SqlFact::LeadingWildcard, Loc, tokenEnd(Loc));
      F.Detail = Kind == "AEXPR_ILIKE"     ? "ILIKE"
                 : Kind == "AEXPR_SIMILAR" ? "SIMILAR TO"
                                           : "LIKE";
      // A negated match keeps most rows: no index serves it.
      if (!llvm::StringRef(Op).startswith("!"))
        describeOperand(F, get(E, "lexpr"));
    }
  }

  /// The string constant that makes \p V start with a wildcard, if any.
  const Object *leadingWildcard(const Value *V, unsigned Depth) {
    if (!V || Depth > 64)
      return nullptr;
    if (const Object *Cast = asNode(V, "TypeCast"))
      return leadingWildcard(get(Cast, "arg"), Depth + 1);
    if (const Object *C = asNode(V, "A_Const")) {
      return isLeadingWildcard(stringField(getObject(C, "sval"), "sval"))
                 ? C
                 : nullptr;
    }
    if (const Object *E = asNode(V, "A_Expr")) {
      if (stringField(E, "kind") == "AEXPR_OP" &&
          lastName(arrayField(E, "name")) == "||") {
        const Value *L = get(E, "lexpr");
        if (const Object *C = asNode(L, "A_Const");
            C && stringField(getObject(C, "sval"), "sval").find_first_not_of('%') ==
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

  void onFuncCall(const Object *F) {
    std::string Name = lastName(arrayField(F, "funcname"));
    if (Name != "count" && Name != "sum" && Name != "avg" && Name != "min" &&
        Name != "max")
      return;
    if (get(F, "over") || Selects.empty())
      return;
    uint32_t Loc = static_cast<uint32_t>(getInteger(F, "location").value_or(0));
    SqlFact &Fact = add(SqlFact::Aggregate, Loc, callEnd(Loc));
    Fact.Detail = Name;
    const Object *S = Selects.back().Select;
    Fact.InSubquery = Selects.back().Subquery || InSublink > 0;
    Fact.HasWhere = get(S, "whereClause") != nullptr;
    Fact.HasGroupBy = get(S, "groupClause") != nullptr;
    Fact.HasLimit = get(S, "limitCount") != nullptr;
    if (std::optional<Array> From = arrayField(S, "fromClause")) {
      Fact.FromTable = llvm::any_of(*From, [](const Value &I) {
        return asNode(&I, "RangeVar") || asNode(&I, "JoinExpr");
      });
      for (const Value &I : *From)
        if (const Object *RV = asNode(&I, "RangeVar")) {
          Fact.Table = stringField(RV, "relname").str();
          break;
        }
    }
    collectPinned(get(S, "whereClause"), Stmt.text(), Fact.PinnedColumns);
    setOnlyTable(S, Fact);
  }

  // --- SELECT * whose rows reach the client --------------------------------

  /// Reports the star column \p Col. \p Table is the one base table of a
  /// statement whose whole output the star is (SqlFact::Narrowable), else
  /// empty.
  void starFact(const Object *Col, bool InReturning, llvm::StringRef Table = "") {
    uint32_t Loc = static_cast<uint32_t>(getInteger(Col, "location").value_or(0));
    if (!StarsSeen.insert(Loc).second)
      return;
    uint32_t End = Loc + 1;
    // A bare `*`: the parser took the token at its location for the star,
    // so that token is the one byte; no scan (most stars are bare).
    if (Loc >= Stmt.size() || Stmt.text()[Loc] != '*') {
      size_t I = tokenAt(Loc);
      const auto &T = Tokens;
      while (I < T.size() && T[I].Kind != tok::Star)
        ++I;
      End = I < T.size() ? T[I].End : Loc + 1;
    }
    SqlFact &F = add(SqlFact::SelectStar, Loc, End);
    F.InReturning = InReturning;
    F.Narrowable = !Table.empty();
    F.Table = Table.str();
  }

  static const Object *starColumn(const Value &Target) {
    const Object *RT = asNode(&Target, "ResTarget");
    const Object *Col = RT ? asNode(get(RT, "val"), "ColumnRef") : nullptr;
    std::optional<Array> Fields = arrayField(Col, "fields");
    if (!Fields || Fields->empty() || !asNode(&Fields->back(), "A_Star"))
      return nullptr;
    return Col;
  }

  void returningStars(const Object *Stmt, bool Top = false) {
    std::optional<Array> Ret = arrayField(Stmt, "returningList");
    if (!Ret)
      return;
    std::string Table;
    if (Top && Ret->size() == 1)
      Table = stringField(getObject(Stmt, "relation"), "relname").lower();
    for (const Value &T : *Ret)
      if (const Object *Col = starColumn(T))
        starFact(Col, /*InReturning=*/true, Table);
  }

  struct FromItem {
    std::string Name; ///< Alias, or relation name.
    const Object *Range = nullptr;
    llvm::StringRef Type;
  };

  static void fromItems(const Value &V, std::vector<FromItem> &Out) {
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

  /// The FROM items the columns of the innermost SELECT (or of the
  /// statement's own UPDATE or DELETE) come from.
  std::vector<FromItem> scopeItems() const {
    std::vector<FromItem> Items;
    const Object *Scope = Selects.empty() ? Top : Selects.back().Select;
    if (const Object *Rel = Selects.empty() ? getObject(Top, "relation")
                                            : nullptr) {
      FromItem I{stringField(getObject(Rel, "alias"), "aliasname").lower(),
                 Rel, "RangeVar"};
      if (I.Name.empty())
        I.Name = stringField(Rel, "relname").lower();
      Items.push_back(std::move(I));
    }
    for (llvm::StringRef Key : {"fromClause", "usingClause"})
      if (std::optional<Array> From = arrayField(Scope, Key))
        for (const Value &V : *From)
          fromItems(V, Items);
    return Items;
  }

  /// Column, ColumnLowered, Table and CandidateTables of a LIKE-family
  /// fact whose left operand is \p Lhs: a column, or lower() of one, and
  /// the base table(s) it may belong to (qualifier resolved through the
  /// FROM list's aliases; an unqualified column belongs to one of the base
  /// tables, when the FROM list has nothing else).
  void describeOperand(SqlFact &F, const Value *Lhs) const {
    if (const Object *Fn = asNode(Lhs, "FuncCall")) {
      std::optional<Array> Args = arrayField(Fn, "args");
      if (lastName(arrayField(Fn, "funcname")) != "lower" || !Args ||
          Args->size() != 1)
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
    std::string Qualifier =
        Fields->size() > 1
            ? stringField(asNode(&(*Fields)[Fields->size() - 2], "String"), "sval")
                  .lower()
            : "";
    std::vector<FromItem> Items = scopeItems();
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
  }

  /// Reports the `*`s over base tables that reach the output of \p Query
  /// (a wrapped node: SelectStmt, or a data-modifying statement's RETURNING).
  void nodeOutputStars(const Value *Query, const CteMap &Ctes) {
    auto [Type, Body] = unwrap(Query);
    if (!Body)
      return;
    if (Type == "SelectStmt")
      outputStars(Body, Ctes);
    else if (Type == "InsertStmt" || Type == "UpdateStmt" || Type == "DeleteStmt")
      returningStars(Body);
  }

  void outputStars(const Object *S, CteMap Ctes) {
    if (++Recursion > 200) {
      --Recursion;
      return;
    }
    if (const Object *With = getObject(S, "withClause"))
      if (std::optional<Array> List = arrayField(With, "ctes"))
        for (const Value &C : *List)
          if (const Object *Cte = asNode(&C, "CommonTableExpr"))
            Ctes[stringField(Cte, "ctename").lower()] = Cte;
    if (stringField(S, "op") != "SETOP_NONE" && get(S, "larg")) {
      outputStars(getObject(S, "larg"), Ctes);
      if (const Object *R = getObject(S, "rarg"))
        outputStars(R, Ctes);
      --Recursion;
      return;
    }
    std::vector<FromItem> Items;
    if (std::optional<Array> From = arrayField(S, "fromClause"))
      for (const Value &F : *From)
        fromItems(F, Items);
    if (std::optional<Array> Targets = arrayField(S, "targetList")) {
      for (const Value &T : *Targets) {
        const Object *Col = starColumn(T);
        if (!Col)
          continue;
        std::optional<Array> Fields = arrayField(Col, "fields");
        std::string Qualifier =
            Fields->size() > 1
                ? stringField(asNode(&(*Fields)[Fields->size() - 2], "String"),
                              "sval")
                      .lower()
                : "";
        bool BaseTable = false, Matched = false;
        for (const FromItem &I : Items) {
          if (!Qualifier.empty() && I.Name != Qualifier)
            continue;
          Matched = true;
          if (I.Type == "RangeVar") {
            std::string Rel = stringField(I.Range, "relname").lower();
            auto It = Ctes.find(Rel);
            if (!get(I.Range, "schemaname") && It != Ctes.end()) {
              const Object *Cte = It->second;
              if (arrayField(Cte, "aliascolnames") || !CtesVisiting.insert(Cte).second)
                continue;
              nodeOutputStars(get(Cte, "ctequery"), Ctes);
              CtesVisiting.erase(Cte);
              continue;
            }
            BaseTable = true;
          } else if (I.Type == "RangeSubselect") {
            nodeOutputStars(get(I.Range, "subquery"), Ctes);
          }
        }
        // The whole output of the statement, one base table, no DISTINCT:
        // naming the columns keeps the rows the statement returns.
        bool Whole = S == TopSelect && BaseTable && Items.size() == 1 &&
                     Targets->size() == 1 && !get(S, "distinctClause");
        if (BaseTable || (!Qualifier.empty() && !Matched && !Items.empty()))
          starFact(Col, /*InReturning=*/false,
                   Whole ? stringField(Items[0].Range, "relname").lower()
                         : std::string());
      }
    }
    --Recursion;
  }

  const MappedText &Stmt;
  llvm::StringRef Original;
  std::vector<SqlFact> &Facts;
  std::vector<SqlToken> Tokens;
  bool Scanned = false;
  uint32_t ScannedFrom = 0; ///< Tokens holds the tokens from here on.
  std::vector<SelectCtx> Selects;
  /// The statement's body (a SelectStmt, UpdateStmt, ...).
  const Object *Top = nullptr;
  int InSublink = 0;
  unsigned Recursion = 0;
  std::set<uint32_t> StarsSeen;
  std::set<const Object *> CtesVisiting;
  /// The statement's own SELECT (not a CTE's, a subquery's or a set
  /// operation's arm: S of `A UNION B` has larg/rarg).
  const Object *TopSelect = nullptr;
};

/// True for a token that stands for an unknown part of the text: a
/// parameter (`$n`, and every foreign placeholder normalised to one) or the
/// identifier Reconstruct writes where C++ spliced in a name (`p__<n>`).
bool isHoleToken(const SqlToken &T, llvm::StringRef Text) {
  if (T.Kind == tok::Param)
    return true;
  return T.Kind == tok::Ident && isHoleName(Text.slice(T.Begin, T.End));
}

/// True when the hole \p I of \p T stands where a clause could be
/// (`FROM t $1 LIMIT`, `id = 1 $2 FOR UPDATE`), not where a value, a name or
/// a condition is expected (`= $1`, `LIMIT $1`, `IN ($1, $2)`, `FROM p__1`,
/// `WHERE $1`): the text may then say less than the query that runs (its
/// LIMIT, its key condition may be in the hole).
bool isClauseHole(const std::vector<SqlToken> &T, size_t I,
                  llvm::StringRef Text) {
  if (I == 0)
    return true;
  auto Word = [&](size_t K, llvm::StringRef W) {
    return Text.slice(T[K].Begin, T[K].End).equals_insensitive(W);
  };
  switch (T[I - 1].Kind) {
  case tok::Equals: case tok::Less: case tok::Greater: case tok::LessEquals:
  case tok::GreaterEquals: case tok::NotEquals: case tok::Op: case tok::Plus:
  case tok::Minus: case tok::Star: case tok::Slash: case tok::Comma:
  case tok::LParen: case tok::Limit: case tok::Offset: case tok::Like:
  case tok::ILike: case tok::In: case tok::Select: case tok::Between:
  case tok::Returning: case tok::By: case tok::Fetch: case tok::From:
  case tok::Into: case tok::Update: case tok::Dot: case tok::As:
  case tok::To: case tok::Distinct: case tok::Not:
  // A condition (`WHERE $1`, `AND $1`) is a filter like any other: the
  // parse reads it as one too.
  case tok::Where: case tok::And: case tok::Or: case tok::Having:
  case tok::On:
    return false;
  default:
    break;
  }
  for (llvm::StringRef W : {"then", "else", "when", "values", "set", "is",
                            "escape", "first", "next", "join", "table",
                            "interval", "case", "any", "all", "some"})
    if (Word(I - 1, W))
      return false;
  return true;
}

/// Token-level facts of a statement the parser rejects (another dialect's
/// syntax, a syntax error elsewhere, unknown parts that no substitution
/// made parse). libpg_query's scanner keeps strings, quoted names and
/// comments whole, so `'OFFSET 5'`, `"offset"`, `offset_ms` and
/// `-- OFFSET 5` are never keywords here. Only constructs the tokens show
/// unambiguously are facts, at the same offsets the parse would give.
class TokenFacts {
public:
  TokenFacts(const MappedText &Stmt, llvm::StringRef Original,
             std::vector<SqlFact> &Facts)
      : Stmt(Stmt), Text(Stmt.text()), Original(Original), Facts(Facts) {}

  void run() {
    std::vector<SqlToken> All;
    scanSql(Text, All);
    for (const SqlToken &Tok : All)
      if (Tok.Kind != tok::SqlComment && Tok.Kind != tok::CComment)
        T.push_back(Tok);
    if (T.empty())
      return;
    Depth.resize(T.size());
    int D = 0;
    for (size_t I = 0; I < T.size(); ++I) {
      if (T[I].Kind == tok::RParen)
        D = std::max(0, D - 1);
      Depth[I] = D;
      if (T[I].Kind == tok::LParen)
        ++D;
    }
    for (size_t I = 0; I < T.size(); ++I)
      if (isHoleToken(T[I], Text) && isClauseHole(T, I, Text))
        ClauseHole = true;
    // A query: SELECT, WITH ... SELECT, (SELECT ...).
    StartsQuery = is(0, tok::Select) || is(0, tok::With) ||
                  (is(0, tok::LParen) && is(1, tok::Select));
    selectStars();
    for (size_t I = 0; I < T.size(); ++I) {
      offset(I);
      like(I);
      lock(I);
    }
  }

private:
  bool is(size_t I, int K) const { return I < T.size() && T[I].Kind == K; }
  llvm::StringRef text(size_t I) const {
    return Text.slice(T[I].Begin, T[I].End);
  }
  bool word(size_t I, llvm::StringRef W) const {
    return I < T.size() && text(I).equals_insensitive(W);
  }
  /// Index of the `)` closing the `(` at \p I, or npos.
  size_t closeParen(size_t I) const {
    for (size_t J = I + 1; J < T.size(); ++J)
      if (T[J].Kind == tok::RParen && Depth[J] == Depth[I])
        return J;
    return llvm::StringRef::npos;
  }
  bool selectBefore(size_t I) const {
    for (size_t K = 0; K < I; ++K)
      if (T[K].Kind == tok::Select)
        return true;
    return false;
  }

  SqlFact &add(SqlFact::Kind K, size_t First, size_t Last) {
    SqlFact F;
    F.K = K;
    F.FromParse = false;
    F.Begin = Stmt.originOf(T[First].Begin);
    F.End = std::max<uint32_t>(F.Begin + 1,
                               originalEnd(Stmt, T[Last].End, Original));
    F.End = std::min<uint32_t>(F.End, Original.size());
    F.Snippet = Original.slice(F.Begin, F.End).str();
    Facts.push_back(std::move(F));
    return Facts.back();
  }

  // --- SELECT * at the top-level target list --------------------------------

  void selectStars() {
    for (size_t I = 0; I < T.size(); ++I) {
      if (T[I].Kind != tok::Select || Depth[I] != 0)
        continue;
      size_t P = I;
      if (P > 0 && (is(P - 1, tok::All) || is(P - 1, tok::Distinct)))
        --P;
      bool Top = I == 0 || (P > 0 && (is(P - 1, tok::Union) ||
                                      is(P - 1, tok::Intersect) ||
                                      is(P - 1, tok::Except)));
      if (Top)
        targetStars(I);
    }
  }

  void targetStars(size_t Select) {
    size_t I = Select + 1;
    if (is(I, tok::Distinct)) {
      ++I;
      if (is(I, tok::On) && is(I + 1, tok::LParen)) {
        size_t Close = closeParen(I + 1);
        if (Close == llvm::StringRef::npos)
          return;
        I = Close + 1;
      }
    } else if (is(I, tok::All)) {
      ++I;
    }
    std::vector<std::pair<size_t, size_t>> Stars;
    auto Item = [&](size_t B, size_t E) {
      if (E == B + 1 && T[B].Kind == tok::Star) {
        Stars.emplace_back(B, B);
        return;
      }
      // name.*, schema.name.*
      if (E < B + 3 || T[E - 1].Kind != tok::Star || T[E - 2].Kind != tok::Dot)
        return;
      for (size_t K = B; K + 2 < E; K += 2)
        if (T[K].Kind != tok::Ident || T[K + 1].Kind != tok::Dot)
          return;
      if ((E - B) % 2 == 1)
        Stars.emplace_back(B, E - 1);
    };
    size_t ItemBegin = I, J = I;
    for (; J < T.size(); ++J) {
      if (Depth[J] != 0)
        continue;
      int K = T[J].Kind;
      if (K == tok::From || K == tok::Into || K == tok::Semicolon ||
          K == tok::Where || K == tok::Union || K == tok::Intersect ||
          K == tok::Except || K == tok::Order || K == tok::Group ||
          K == tok::Limit || K == tok::Offset || K == tok::For)
        break;
      if (K == tok::Comma) {
        Item(ItemBegin, J);
        ItemBegin = J + 1;
      }
    }
    // Rows of a base table reach the client: FROM a name, not a function,
    // a subquery or VALUES; not SELECT ... INTO.
    if (!is(J, tok::From) || !(is(J + 1, tok::Ident) || is(J + 1, '[')) ||
        is(J + 2, tok::LParen))
      return;
    Item(ItemBegin, J);
    for (auto [B, E] : Stars)
      add(SqlFact::SelectStar, B, E);
  }

  // --- OFFSET n, LIMIT a, b -------------------------------------------------

  /// One past the operand starting at \p I (a number, a parameter, a
  /// parenthesised expression, a name or call, with `+ - * /` between
  /// them), or 0.
  size_t operandEnd(size_t I) const {
    auto Simple = [&](size_t J) -> size_t {
      if (J >= T.size())
        return 0;
      int K = T[J].Kind;
      if (K == tok::IConst || K == tok::Param || K == tok::FConst)
        return J + 1;
      if (K == tok::LParen) {
        size_t C = closeParen(J);
        return C == llvm::StringRef::npos ? 0 : C + 1;
      }
      if (K != tok::Ident)
        return 0;
      size_t E = J + 1;
      while (is(E, tok::Dot) && is(E + 1, tok::Ident))
        E += 2;
      if (is(E, tok::LParen)) {
        size_t C = closeParen(E);
        return C == llvm::StringRef::npos ? 0 : C + 1;
      }
      return E;
    };
    size_t E = Simple(I);
    while (E && E < T.size() &&
           (T[E].Kind == tok::Plus || T[E].Kind == tok::Minus ||
            T[E].Kind == tok::Star || T[E].Kind == tok::Slash)) {
      size_t N = Simple(E + 1);
      if (!N)
        break;
      E = N;
    }
    return E;
  }

  bool isZero(size_t I) const {
    return is(I, tok::IConst) &&
           text(I).find_first_not_of('0') == llvm::StringRef::npos;
  }

  /// True when the token before a clause keyword at \p I ends an operand
  /// or a clause (`... id DESC OFFSET`, `LIMIT 10 OFFSET`), not when it
  /// expects one (`SET offset =`, `, offset`, `(offset`).
  bool afterOperand(size_t I) const {
    if (I == 0)
      return false;
    int K = T[I - 1].Kind;
    if (K == tok::IConst || K == tok::FConst || K == tok::SConst ||
        K == tok::Param || K == tok::Ident || K == tok::RParen || K == ']' ||
        K == tok::Asc || K == tok::Desc || K == tok::All)
      return true;
    for (llvm::StringRef W : {"first", "last", "true", "false", "null"})
      if (word(I - 1, W))
        return true;
    return false;
  }

  void offset(size_t I) {
    if (T[I].Kind == tok::Offset) {
      size_t E = operandEnd(I + 1);
      if (!E || (E == I + 2 && isZero(I + 1)) || !afterOperand(I) ||
          !selectBefore(I))
        return;
      add(SqlFact::Offset, I, E - 1).Detail = hint(I);
      return;
    }
    // MySQL's LIMIT offset, count.
    if (T[I].Kind != tok::Limit || !selectBefore(I))
      return;
    auto Single = [&](size_t J) {
      return is(J, tok::IConst) || is(J, tok::Param) ||
             (is(J, tok::Ident) && !is(J + 1, tok::LParen) && !is(J + 1, tok::Dot));
    };
    if (!Single(I + 1) || !is(I + 2, tok::Comma) || !Single(I + 3) ||
        isZero(I + 1))
      return;
    add(SqlFact::Offset, I, I + 1).Detail = hint(I);
  }

  /// The keyset suggestion for the OFFSET (or MySQL LIMIT) at \p At: the
  /// ORDER BY and LIMIT of its own query level, when they are plain.
  std::string hint(size_t At) const {
    int D = Depth[At];
    size_t Begin = 0;
    for (size_t K = At; K-- > 0;)
      if (Depth[K] < D || (Depth[K] == D && T[K].Kind == tok::Select)) {
        Begin = K;
        break;
      }
    std::vector<std::string> Cols;
    bool Desc = false, Mixed = false, Plain = true;
    std::string Limit = "$n";
    for (size_t K = Begin; K < T.size() && Depth[K] >= D; ++K) {
      if (Depth[K] != D)
        continue;
      if (T[K].Kind == tok::Limit) {
        size_t First = K + 1, E = operandEnd(First);
        if (E && is(E, tok::Comma)) // LIMIT a, b: b is the count.
          E = operandEnd(First = E + 1);
        if (E)
          Limit = Text.slice(T[First].Begin, T[E - 1].End).str();
      } else if (T[K].Kind == tok::Fetch) {
        if (size_t E = operandEnd(K + 2))
          Limit = Text.slice(T[K + 2].Begin, T[E - 1].End).str();
      }
      if (T[K].Kind != tok::Order || !is(K + 1, tok::By) || !Cols.empty())
        continue;
      // Plain columns only: `a, b.c DESC NULLS LAST`.
      for (size_t J = K + 2;;) {
        size_t E = J;
        while (is(E, tok::Ident) && is(E + 1, tok::Dot))
          E += 2;
        if (!is(E, tok::Ident) || E == llvm::StringRef::npos) {
          Plain = false;
          break;
        }
        std::string Col = Text.slice(T[J].Begin, T[E].End).str();
        ++E;
        bool ThisDesc = false;
        if (is(E, tok::Desc) || is(E, tok::Asc))
          ThisDesc = T[E++].Kind == tok::Desc;
        if (is(E, tok::Nulls))
          E += 2;
        if (!Cols.empty() && ThisDesc != Desc)
          Mixed = true;
        Desc = ThisDesc;
        Cols.push_back(std::move(Col));
        if (!is(E, tok::Comma))
          break;
        J = E + 1;
      }
      if (!Plain)
        Cols.clear();
    }
    return keysetHintText(Cols, Desc, Mixed, Limit);
  }

  // --- LIKE '%...' ----------------------------------------------------------

  /// The text of a string constant token without its prefix and quotes.
  llvm::StringRef literal(size_t I) const {
    llvm::StringRef S = text(I);
    size_t Q = S.find('\'');
    if (Q > 1) // also npos
      return "";
    S = S.drop_front(Q + 1);
    return S.endswith("'") ? S.drop_back() : S;
  }

  void like(size_t I) {
    int K = T[I].Kind;
    size_t P = I + 1;
    llvm::StringRef Op;
    if (K == tok::Like)
      Op = "LIKE";
    else if (K == tok::ILike)
      Op = "ILIKE";
    else if (K == tok::Similar && is(I + 1, tok::To))
      Op = "SIMILAR TO", P = I + 2;
    else
      return;
    size_t Lit = llvm::StringRef::npos;
    if (is(P, tok::SConst)) {
      llvm::StringRef V = literal(P);
      bool OnlyPercent = !V.empty() &&
                         V.find_first_not_of('%') == llvm::StringRef::npos;
      bool Concatenated = is(P + 1, tok::Op) && text(P + 1) == "||";
      if (isLeadingWildcard(V) || (OnlyPercent && Concatenated)) // '%' || $1
        Lit = P;
    } else if (word(P, "concat") && is(P + 1, tok::LParen) &&
               is(P + 2, tok::SConst) && is(P + 3, tok::Comma)) {
      llvm::StringRef V = literal(P + 2);
      if (!V.empty() && (V[0] == '%' || V[0] == '_'))
        Lit = P + 2;
    }
    if (Lit != llvm::StringRef::npos)
      add(SqlFact::LeadingWildcard, Lit, Lit).Detail = Op.str();
  }

  // --- FOR UPDATE / FOR SHARE -----------------------------------------------

  void lock(size_t I) {
    if (T[I].Kind != tok::For || !StartsQuery)
      return;
    unsigned Words = is(I + 1, tok::Update) || is(I + 1, tok::Share) ? 2
                     : is(I + 1, tok::No) && is(I + 2, tok::Key) &&
                             is(I + 3, tok::Update)
                         ? 4
                     : is(I + 1, tok::Key) && is(I + 2, tok::Share) ? 3
                                                                    : 0;
    if (!Words || !selectBefore(I))
      return;
    SqlFact &F = add(SqlFact::RowLock, I, I + Words - 1);
    F.Detail = F.Snippet;
    for (size_t K = 0; K < T.size(); ++K) {
      if (T[K].Kind == tok::Semicolon && K > I)
        break;
      if (T[K].Kind == tok::Limit ||
          (T[K].Kind == tok::Fetch && (word(K + 1, "first") || word(K + 1, "next"))))
        F.HasLimit = true;
      if (K > I && (T[K].Kind == tok::NoWait ||
                    (T[K].Kind == tok::Skip && is(K + 1, tok::Locked))))
        F.NoWaitOrSkip = true;
    }
    // An unknown clause may be the LIMIT or the key condition.
    F.HasLimit |= ClauseHole;
    size_t Where = llvm::StringRef::npos;
    for (size_t K = 0; K < I; ++K)
      if (T[K].Kind == tok::Where && Depth[K] == Depth[I])
        Where = K;
    if (Where == llvm::StringRef::npos)
      return;
    F.HasWhere = true;
    // Every `col = x` and `x = col` of the WHERE counts as pinning col: more
    // than the parse would count (OR, join conditions), so fewer findings.
    auto IsValue = [&](size_t K) {
      return is(K, tok::Param) || is(K, tok::IConst) || is(K, tok::SConst) ||
             is(K, tok::FConst);
    };
    auto Name = [&](size_t K) {
      llvm::StringRef N = text(K);
      if (N.size() >= 2 && N.front() == '"' && N.back() == '"')
        return N.drop_front().drop_back().str();
      return N.str(); // As spelled: predicates compare ignoring case.
    };
    for (size_t K = Where + 1; K < I; ++K) {
      if (T[K].Kind != tok::Equals)
        continue;
      if (is(K - 1, tok::Ident))
        F.PinnedColumns.push_back(Name(K - 1));
      else if (is(K - 1, ']') && is(K - 2, tok::Ident) && is(K - 3, '['))
        F.PinnedColumns.push_back(Name(K - 2)); // [name] = x
      else if (IsValue(K - 1) && is(K + 1, tok::Ident) && !is(K + 2, tok::Dot))
        F.PinnedColumns.push_back(Name(K + 1));
    }
  }

  const MappedText &Stmt;
  llvm::StringRef Text;
  llvm::StringRef Original;
  std::vector<SqlFact> &Facts;
  std::vector<SqlToken> T;
  std::vector<int> Depth;
  bool ClauseHole = false;
  bool StartsQuery = false;
};

void tokenFallback(const MappedText &Stmt, llvm::StringRef Original,
                   std::vector<SqlFact> &Facts) {
  TokenFacts(Stmt, Original, Facts).run();
}

/// A statement that parses once some of its holes are replaced.
struct RepairedStatement {
  MappedText Text;
  SqlJson Json;
  /// A hole was dropped or read as a condition: one of the statement's
  /// clauses is unknown.
  bool ClauseHole = false;
};

/// Parses allowed per statement to repair its holes.
constexpr unsigned MaxRepairParses = 10;

/// Makes a statement that does not parse because of its holes parse: the
/// hole at (or just before) the parser's error is dropped (`FROM t $1 LIMIT`,
/// where C++ spliced in a WHERE or a JOIN), read as a name (`FROM $1`), or
/// as TRUE; the variant whose error moves furthest is kept, until one
/// parses or nothing moves on. Only texts with holes, only on failure, at
/// most MaxRepairParses parses.
std::optional<RepairedStatement> repairHoles(const MappedText &Stmt,
                                             const SqlParseError &Err) {
  // A hole is a `$n` or a `p__n` token: a text with neither has none and is
  // not scanned (most statements that fail are simply broken).
  if (!llvm::StringRef(Stmt.text()).contains('$') &&
      !llvm::StringRef(Stmt.text()).contains("p__"))
    return std::nullopt;
  std::vector<SqlToken> Toks;
  scanSql(Stmt.text(), Toks);
  llvm::erase_if(Toks, [](const SqlToken &T) {
    return T.Kind == tok::SqlComment || T.Kind == tok::CComment;
  });
  enum Choice : uint8_t { Keep, Drop, Name, True };
  std::vector<Choice> Choices(Toks.size(), Keep);
  bool AnyHole = false;
  for (const SqlToken &T : Toks)
    AnyHole |= isHoleToken(T, Stmt.text());
  if (!AnyHole)
    return std::nullopt;
  auto Build = [&]() {
    MappedText M;
    size_t From = 0;
    for (size_t I = 0; I < Toks.size(); ++I) {
      if (Choices[I] == Keep)
        continue;
      M.appendSlice(Stmt, From, Toks[I].Begin);
      uint32_t At = Stmt.originOf(Toks[I].Begin);
      if (Choices[I] == Name)
        M.appendSynthetic("p__0", At);
      else if (Choices[I] == True)
        M.appendSynthetic("TRUE", At);
      From = Toks[I].End;
    }
    M.appendSlice(Stmt, From, Stmt.size());
    return M;
  };
  // Where, in the original text, the error of variant \p V is.
  auto ErrorOrigin = [](const MappedText &V, const SqlParseError &E) -> int64_t {
    size_t At = cursorByteOffset(V.text(), E.CursorPos);
    if (At == llvm::StringRef::npos)
      return -1;
    return At >= V.size() ? INT64_MAX : V.originOf(At);
  };
  MappedText Current = Build();
  int64_t ErrAt = ErrorOrigin(Current, Err);
  unsigned Parses = 0;
  while (ErrAt >= 0 && Parses < MaxRepairParses) {
    // The hole the error is at, or the one right before the token it is at.
    size_t At = 0;
    while (At < Toks.size() && Stmt.originOf(Toks[At].Begin) < ErrAt)
      ++At;
    size_t Hole = llvm::StringRef::npos;
    for (size_t K : {At, At - 1})
      if (K < Toks.size() && Choices[K] == Keep &&
          isHoleToken(Toks[K], Stmt.text())) {
        Hole = K;
        break;
      }
    if (Hole == llvm::StringRef::npos)
      return std::nullopt;
    Choice Best = Keep;
    int64_t BestAt = ErrAt;
    for (Choice C : {Drop, Name, True}) {
      if (C == Name && Toks[Hole].Kind == tok::Ident)
        continue;
      if (Parses++ >= MaxRepairParses)
        break;
      Choices[Hole] = C;
      MappedText V = Build();
      SqlParseError VErr;
      if (std::optional<SqlJson> Json = parseSqlToJson(V.text(), VErr)) {
        bool Clause = llvm::any_of(
            Choices, [](Choice X) { return X == Drop || X == True; });
        return RepairedStatement{std::move(V), std::move(*Json), Clause};
      }
      if (int64_t E = ErrorOrigin(V, VErr); E > BestAt) {
        Best = C;
        BestAt = E;
      }
    }
    if (Best == Keep)
      return std::nullopt;
    Choices[Hole] = Best;
    ErrAt = BestAt;
  }
  return std::nullopt;
}

/// What a parse tree's JSON text alone says about a statement.
enum class TreeVerdict {
  Analyse,      ///< May hold facts (or its kind is unclear): build the DOM.
  NoFacts,      ///< Cannot hold a fact and reads or writes no table data.
  NoFactsData,  ///< Cannot hold a fact, but reads or writes table data.
};

/// What one pass over a parse tree's JSON text finds (see quickVerdict).
struct JsonScan {
  bool MayHoldFact = false; ///< One of quickVerdict's needles is there.
  unsigned StmtKeys = 0;    ///< `"stmt":` keys: the statements in the tree.
  bool HasFromClause = false;
  bool HasLarg = false; ///< A set operation's left branch.
};

/// The byte after the opening quote of each of scanJson's needles.
constexpr llvm::StringLiteral NeedleLeads = "A~!lfs";

/// Calls \p Visit with the offset of every `"` in \p S that is followed by
/// one of NeedleLeads, in order, until it returns false. The quotes of a
/// parse tree's JSON text are a few bytes apart, so a memchr call per quote
/// costs more than the search itself; SSE2 (every x86-64 has it) compares
/// 16 bytes at a time instead, and the byte after each quote in the same
/// step, so that most keys (`"location"` aside) are never visited. This
/// pass reads every tree libpg_query returns.
template <typename Fn> void forEachQuote(llvm::StringRef S, Fn Visit) {
  size_t I = 0;
#if defined(__SSE2__)
  const __m128i Quote = _mm_set1_epi8('"');
  __m128i Leads[NeedleLeads.size()];
  for (size_t K = 0; K < NeedleLeads.size(); ++K)
    Leads[K] = _mm_set1_epi8(NeedleLeads[K]);
  for (; I + 17 <= S.size(); I += 16) {
    __m128i Chunk =
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(S.data() + I));
    auto Mask =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(Chunk, Quote)));
    if (!Mask)
      continue;
    __m128i Next =
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(S.data() + I + 1));
    __m128i Lead = _mm_setzero_si128();
    for (const __m128i &L : Leads)
      Lead = _mm_or_si128(Lead, _mm_cmpeq_epi8(Next, L));
    Mask &= static_cast<unsigned>(_mm_movemask_epi8(Lead));
    for (; Mask; Mask &= Mask - 1)
      if (!Visit(I + llvm::countTrailingZeros(Mask)))
        return;
  }
#endif
  for (; I + 1 < S.size(); ++I)
    if (S[I] == '"' && NeedleLeads.contains(S[I + 1]) && !Visit(I))
      return;
}

/// Whether \p S starts with the literal \p Lit: the length is known when
/// compiling, so the comparison is a few word loads, not a memcmp call
/// (scanJson tries several needles at each of hundreds of thousands of
/// quotes).
template <size_t N> bool hasPrefix(llvm::StringRef S, const char (&Lit)[N]) {
  return S.size() >= N - 1 && std::memcmp(S.data(), Lit, N - 1) == 0;
}

/// Looks at every quote (keys, and string values such as operator and
/// function names, start with one) once, instead of searching the text once
/// per needle: on a corpus of migrations those searches cost as much as the
/// DOM they avoid. Stops at the first needle.
JsonScan scanJson(llvm::StringRef Json) {
  JsonScan R;
  // Returns false, which stops the scan, once a needle is found.
  auto Fact = [&R] {
    R.MayHoldFact = true;
    return false;
  };
  forEachQuote(Json, [&](size_t I) {
    llvm::StringRef Rest = Json.drop_front(I + 1);
    if (Rest.empty())
      return false;
    switch (Rest[0]) {
    case 'A':
      if (hasPrefix(Rest, "A_Star\"") || hasPrefix(Rest, "AEXPR_LIKE\"") ||
          hasPrefix(Rest, "AEXPR_ILIKE\"") || hasPrefix(Rest, "AEXPR_SIMILAR\""))
        return Fact();
      break;
    case '~':
    case '!':
      // The operators of LIKE and ILIKE, as an A_Expr's name (`"sval":"~~"`),
      // which is how `OPERATOR(pg_catalog.~~)` arrives.
      if (hasPrefix(Rest, "~~\"") || hasPrefix(Rest, "~~*\"") ||
          hasPrefix(Rest, "!~~\"") || hasPrefix(Rest, "!~~*\""))
        return Fact();
      break;
    case 'l':
      if (hasPrefix(Rest, "limitOffset\"") || hasPrefix(Rest, "lockingClause\""))
        return Fact();
      R.HasLarg |= hasPrefix(Rest, "larg\"");
      break;
    case 'f':
      R.HasFromClause |= hasPrefix(Rest, "fromClause\"");
      break;
    case 's': {
      if (hasPrefix(Rest, "stmt\":")) {
        ++R.StmtKeys;
        break;
      }
      // A FuncCall's name, which onFuncCall lower-cases ("COUNT" quoted
      // keeps its case in the tree).
      constexpr llvm::StringLiteral Key = "sval\":\"";
      if (!hasPrefix(Rest, "sval\":\""))
        break;
      llvm::StringRef Value = Rest.drop_front(Key.size());
      static constexpr llvm::StringLiteral Names[] = {"count", "sum", "avg", "min", "max"};
      for (llvm::StringRef Name : Names)
        if (Value.size() > Name.size() && Value[Name.size()] == '"' &&
            Value.take_front(Name.size()).equals_insensitive(Name))
          return Fact();
      break;
    }
    default:
      break;
    }
    return true;
  });
  return R;
}

/// Reads the JSON text of a tree holding one SelectStmt up to the first of
/// the SELECT's own fields that makes it read table data (`fromClause`, or
/// `larg` for a set operation), the question StatementAnalyzer::run answers
/// from the DOM. A SAX pass, stopped at the answer, costs a fraction of the
/// DOM; a SELECT nested in the target list is deeper and does not count.
class TopSelectReadsData
    : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TopSelectReadsData> {
public:
  static bool check(const SqlJson &Json) {
    TopSelectReadsData Handler;
    rapidjson::Reader Reader;
    rapidjson::StringStream In(Json.text().data()); // NUL-terminated
    Reader.Parse<rapidjson::kParseIterativeFlag>(In, Handler);
    return Handler.Found;
  }

  bool StartObject() { return ++Depth, true; }
  bool EndObject(rapidjson::SizeType) { return --Depth, true; }
  bool StartArray() { return ++Depth, true; }
  bool EndArray(rapidjson::SizeType) { return --Depth, true; }
  bool Key(const char *S, rapidjson::SizeType N, bool) {
    if (Depth != BodyDepth)
      return true;
    llvm::StringRef K(S, N);
    Found = K == "fromClause" || K == "larg";
    return !Found; // Stops the parse.
  }

private:
  /// {"stmts": [{"stmt": {"SelectStmt": {<body>}}}]}
  static constexpr int BodyDepth = 5;
  int Depth = 0;
  bool Found = false;
};

/// Decides from libpg_query's JSON text, without building a DOM, whether
/// StatementAnalyzer could find anything. Every fact needs one of the node
/// types or fields below to be in the tree (SelectStar: A_Star; Offset:
/// limitOffset; RowLock: lockingClause; LeadingWildcard: a LIKE-family
/// A_Expr; Aggregate: a FuncCall named count/sum/avg/min/max), so a tree
/// without any of them is skipped.
/// The needles include their quotes: a string constant in the tree has its
/// quotes escaped (\"), so it cannot match. Conservative: any doubt means
/// Analyse. Most DDL and plain DML in migrations is skipped this way, which
/// saves building its DOM and walking it.
TreeVerdict quickVerdict(const SqlJson &Json) {
  llvm::StringRef Text = Json.text();
  JsonScan Scan = scanJson(Text);
  if (Scan.MayHoldFact)
    return TreeVerdict::Analyse;
  // One statement, of a kind read off its wrapper `{"stmt":{"<Kind>":`.
  llvm::StringRef Wrapper = "{\"stmt\":{\"";
  size_t At = Text.find(Wrapper);
  if (At == llvm::StringRef::npos || Scan.StmtKeys != 1)
    return TreeVerdict::Analyse;
  llvm::StringRef Kind = Text.drop_front(At + Wrapper.size());
  Kind = Kind.take_until([](char C) { return C == '"'; });
  if (Kind == "InsertStmt" || Kind == "UpdateStmt" || Kind == "DeleteStmt" ||
      Kind == "MergeStmt")
    return TreeVerdict::NoFactsData;
  if (Kind == "SelectStmt")
    // Data when the top-level SELECT has FROM or is a set operation, which
    // only the SELECT's own fields tell, when the text has either at all.
    return (Scan.HasFromClause || Scan.HasLarg) &&
                   TopSelectReadsData::check(Json)
               ? TreeVerdict::NoFactsData
               : TreeVerdict::NoFacts;
  return TreeVerdict::NoFacts;
}

} // namespace

/// \p S without leading whitespace, comments and opening parentheses.
bool isHoleName(llvm::StringRef S) {
  return S.consume_front("p__") && !S.empty() &&
         llvm::all_of(S, [](char C) { return llvm::isDigit(C); });
}

static llvm::StringRef skipToFirstWord(llvm::StringRef S) {
  while (true) {
    S = S.ltrim();
    if (S.startswith("--")) {
      size_t NL = S.find('\n');
      S = NL == llvm::StringRef::npos ? "" : S.substr(NL);
    } else if (S.startswith("/*")) {
      size_t E = S.find("*/");
      S = E == llvm::StringRef::npos ? "" : S.substr(E + 2);
    } else if (S.startswith("(")) {
      S = S.drop_front();
    } else {
      return S;
    }
  }
}

/// The first keyword of a statement, as written.
static llvm::StringRef firstKeyword(llvm::StringRef S) {
  S = skipToFirstWord(S);
  size_t N = 0;
  while (N < S.size() && llvm::isAlpha(S[N]))
    ++N;
  return S.take_front(N);
}

/// Counts \p Stmt as a write or a session-control statement. Runs once per
/// statement: the keyword is compared in place, not lower-cased into a
/// string and compared with each word in turn.
static void classifyStatement(llvm::StringRef Stmt, SqlAnalysis &Result) {
  enum Class { Other, Write, Control };
  switch (llvm::StringSwitch<Class>(firstKeyword(Stmt))
              .CasesLower("insert", "update", "delete", "merge", "upsert", Write)
              .CasesLower("replace", "copy", Write)
              .CasesLower("begin", "start", "commit", "end", "rollback", Control)
              .CasesLower("savepoint", "release", "set", "reset", "show", Control)
              .CasesLower("discard", "deallocate", "prepare", "use", "abort", Control)
              .Default(Other)) {
  case Write:
    ++Result.WriteStatements;
    break;
  case Control:
    ++Result.ControlStatements;
    break;
  case Other:
    break;
  }
}

/// \p S with every byte that is not part of valid UTF-8 replaced by 'x'.
/// libpg_query hands its tree over as JSON, which must be UTF-8; a Latin-1
/// literal (`'caf\xe9'`) would make the whole statement unparsable. The
/// length is kept, so offsets still point into the original text.
static std::string replaceInvalidUtf8(llvm::StringRef S) {
  std::string Out = S.str();
  size_t From = 0, Bad = 0;
  while (!llvm::json::isUTF8(llvm::StringRef(Out).drop_front(From), &Bad)) {
    Out[From + Bad] = 'x';
    From += Bad + 1;
  }
  return Out;
}

/// Offset of the first thing in \p Gap besides blanks, `;` and comments,
/// or npos.
static size_t contentOffset(llvm::StringRef Gap) {
  llvm::StringRef Rest = Gap;
  while (!Rest.empty()) {
    Rest = Rest.ltrim(" \t\r\n\f\v;");
    if (Rest.startswith("--")) {
      Rest = Rest.drop_until([](char C) { return C == '\n'; });
    } else if (Rest.startswith("/*")) {
      size_t End = Rest.find("*/", 2);
      Rest = End == llvm::StringRef::npos ? llvm::StringRef() : Rest.drop_front(End + 2);
    } else if (!Rest.empty()) {
      return Gap.size() - Rest.size();
    }
  }
  return llvm::StringRef::npos;
}

/// Statements longer than this are not given to libpg_query: the JSON tree
/// of a multi-megabyte statement (a 50 MB IN list) needs gigabytes, and past
/// 1 GB libpg_query terminates the whole process ("FATAL error").
constexpr uint32_t MaxStatementBytes = 1u << 20;

SqlAnalysis analyzeSql(llvm::StringRef Original, bool AllowTokenFallback,
                       bool SkipFactFreeTrees) {
  return analyzeSql(Original, SqlDialect::PostgreSQL, AllowTokenFallback,
                    SkipFactFreeTrees);
}

SqlAnalysis analyzeSql(llvm::StringRef Original, SqlDialect Dialect,
                       bool AllowTokenFallback, bool SkipFactFreeTrees) {
  SqlAnalysis Result;
  // Facts quote the original bytes; only the parser sees the repaired text.
  llvm::StringRef Sql = Original;
  std::string Repaired;
  if (!llvm::json::isUTF8(Original)) {
    Repaired = replaceInvalidUtf8(Original);
    Sql = Repaired;
  }
  MappedText Norm = normalizeSql(Sql, Dialect);
  uint32_t Covered = 0;
  // One DOM for the whole text: each statement's tree replaces the previous
  // one in the same memory.
  JsonTree Tree;
  auto NoteProblem = [&](uint32_t NormOffset) {
    if (Result.FirstProblemOffset == UINT32_MAX)
      Result.FirstProblemOffset = Norm.originOf(NormOffset);
  };
  auto CheckGap = [&](uint32_t From, uint32_t To) {
    if (From >= To)
      return;
    size_t At = contentOffset(llvm::StringRef(Norm.text()).slice(From, To));
    if (At == llvm::StringRef::npos)
      return;
    ++Result.Unrecognized;
    NoteProblem(From + static_cast<uint32_t>(At));
    SqlParseError Err;
    if (Result.FirstError.empty() &&
        !sqlParses(llvm::StringRef(Norm.text()).slice(From + At, To), Err))
      Result.FirstError = Err.Message;
  };
  std::vector<std::pair<uint32_t, uint32_t>> Split = splitSql(Norm.text());
  for (auto [Begin, End] : Split) {
    CheckGap(Covered, Begin);
    Covered = std::max(Covered, End);
    if (End - Begin > MaxStatementBytes) {
      ++Result.Statements;
      NoteProblem(Begin);
      if (Result.FirstError.empty())
        Result.FirstError = "statement larger than 1 MiB, not parsed";
      continue;
    }
    MappedText Stmt;
    Stmt.appendSlice(Norm, Begin, End);
    if (llvm::StringRef(Stmt.text()).trim().empty())
      continue;
    ++Result.Statements;
    classifyStatement(Stmt.text(), Result);
    SqlParseError Err;
    std::optional<SqlJson> Json = parseSqlToJson(Stmt.text(), Err);
    if (!Json && llvm::StringRef(Err.Message).contains("LIMIT #,#")) {
      MappedText Rewritten;
      if (rewriteMySqlLimit(Stmt, Rewritten)) {
        Stmt = std::move(Rewritten);
        Json = parseSqlToJson(Stmt.text(), Err);
      }
    }
    bool ClauseHole = false;
    if (!Json) {
      if (std::optional<RepairedStatement> R = repairHoles(Stmt, Err)) {
        Stmt = std::move(R->Text);
        Json = std::move(R->Json);
        ClauseHole = R->ClauseHole;
        ++Result.RepairedStatements;
      }
    }
    TreeVerdict Verdict =
        Json && SkipFactFreeTrees ? quickVerdict(*Json) : TreeVerdict::Analyse;
    bool TreeOk = Json && Verdict == TreeVerdict::Analyse &&
                  Tree.parse(std::move(*Json), Err);
    if (!Json || (Verdict == TreeVerdict::Analyse && !TreeOk)) {
      NoteProblem(Begin);
      if (Result.FirstError.empty())
        Result.FirstError = Err.Message;
      if (AllowTokenFallback)
        tokenFallback(Stmt, Original, Result.Facts);
      continue;
    }
    ++Result.ParsedStatements;
    if (Verdict != TreeVerdict::Analyse) {
      Result.DataStatements += Verdict == TreeVerdict::NoFactsData;
      continue;
    }
    size_t FirstFact = Result.Facts.size();
    if (std::optional<Array> Stmts = arrayField(&Tree.root(), "stmts"))
      for (const Value &S : *Stmts)
        if (StatementAnalyzer(Stmt, Original, Result.Facts).run(S))
          ++Result.DataStatements;
    // A hole stood where a clause is: it may be the LIMIT that bounds a
    // lock or the condition that picks one group.
    if (ClauseHole)
      for (size_t I = FirstFact; I < Result.Facts.size(); ++I) {
        SqlFact &F = Result.Facts[I];
        if (F.K == SqlFact::RowLock)
          F.HasLimit = true;
        else if (F.K == SqlFact::Aggregate)
          F.HasGroupBy = true;
      }
  }
  CheckGap(Covered, static_cast<uint32_t>(Norm.text().size()));
  if (llvm::StringRef(Norm.text()) == Original)
    Result.OriginalStatements = std::move(Split);
  return Result;
}

std::shared_ptr<const SqlAnalysis> analyzeSqlCached(llvm::StringRef Sql,
                                                    bool AllowTokenFallback,
                                                    SqlDialect Dialect) {
  static std::mutex Mu;
  // One cache per (fallback, dialect): the same text reads differently.
  constexpr size_t Dialects = static_cast<size_t>(SqlDialect::TSql) + 1;
  static llvm::StringMap<std::shared_ptr<const SqlAnalysis>> Cache[2][Dialects];
  auto &C = Cache[AllowTokenFallback][static_cast<size_t>(Dialect)];
  {
    std::lock_guard<std::mutex> Lock(Mu);
    auto It = C.find(Sql);
    if (It != C.end())
      return It->second;
  }
  auto A = std::make_shared<const SqlAnalysis>(
      analyzeSql(Sql, Dialect, AllowTokenFallback));
  std::lock_guard<std::mutex> Lock(Mu);
  return C.try_emplace(Sql, std::move(A)).first->second;
}

bool startsWithStatementKeyword(llvm::StringRef Sql) {
  llvm::StringRef S = skipToFirstWord(Sql);
  size_t N = 0;
  while (N < S.size() && llvm::isAlpha(S[N]))
    ++N;
  if (N == S.size() || N == 0 || !llvm::isSpace(S[N]))
    return false;
  std::string Word = S.take_front(N).lower();
  return Word == "select" || Word == "insert" || Word == "update" ||
         Word == "delete" || Word == "with" || Word == "merge";
}

} // namespace stresslint
