//===--- SqlFacts.cpp - What one SQL text contains -------------------------===//
#include "sql/SqlFacts.h"
#include "sql/Normalize.h"
#include "sql/PgQuery.h"
#include "sql/RapidJson.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include <map>
#include <mutex>
#include <set>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace stresslint {

// libpg_query's tree as RapidJSON nodes (JsonTree). Every node the analysis
// holds on to is a `const Value *` into the tree; `Object` marks the ones that
// are JSON objects, `Array` is a view of a JSON array's elements.
using Value = JsonTree::Node;
using Object = JsonTree::Node;
using Array = llvm::ArrayRef<Value>;

namespace {

llvm::StringRef str(const Value &V) {
  return llvm::StringRef(V.GetString(), V.GetStringLength());
}

const Object *asObject(const Value &V) { return V.IsObject() ? &V : nullptr; }

std::optional<Array> asArray(const Value &V) {
  if (!V.IsArray())
    return std::nullopt;
  return Array(V.Begin(), V.Size());
}

/// Member \p Key of \p O, or null. A linear search: libpg_query's nodes have
/// a handful of fields, fewer than a hash lookup would pay off for.
const Value *get(const Object *O, llvm::StringRef Key) {
  if (!O || !O->IsObject())
    return nullptr;
  for (const auto &M : O->GetObject())
    if (str(M.name) == Key)
      return &M.value;
  return nullptr;
}

const Object *getObject(const Object *O, llvm::StringRef Key) {
  const Value *V = get(O, Key);
  return V ? asObject(*V) : nullptr;
}

std::optional<int64_t> getInteger(const Object *O, llvm::StringRef Key) {
  const Value *V = get(O, Key);
  if (!V || !V->IsInt64())
    return std::nullopt;
  return V->GetInt64();
}

std::optional<bool> getBoolean(const Object *O, llvm::StringRef Key) {
  const Value *V = get(O, Key);
  if (!V || !V->IsBool())
    return std::nullopt;
  return V->GetBool();
}

/// `{"Type": {...}}` -> the inner object, when the node is of that type.
const Object *asNode(const Value *V, llvm::StringRef Type) {
  if (!V || !V->IsObject() || V->MemberCount() != 1)
    return nullptr;
  const auto &M = *V->MemberBegin();
  return str(M.name) == Type ? asObject(M.value) : nullptr;
}

/// The type name and body of a wrapped node `{"Type": {...}}`.
std::pair<llvm::StringRef, const Object *> unwrap(const Value *V) {
  if (!V || !V->IsObject() || V->MemberCount() != 1)
    return {"", nullptr};
  const auto &M = *V->MemberBegin();
  return {str(M.name), asObject(M.value)};
}

std::optional<Array> arrayField(const Object *O, llvm::StringRef Key) {
  const Value *V = get(O, Key);
  return V ? asArray(*V) : std::nullopt;
}

llvm::StringRef stringField(const Object *O, llvm::StringRef Key) {
  const Value *V = get(O, Key);
  return V && V->IsString() ? str(*V) : "";
}

/// The last name of a `funcname`/`name` list: `pg_catalog.count` -> count.
std::string lastName(std::optional<Array> Names) {
  if (!Names || Names->empty())
    return "";
  return stringField(asNode(&Names->back(), "String"), "sval").lower();
}

void collectLocations(const Value &V, int &Min, int &Max) {
  if (V.IsObject()) {
    for (const auto &KV : V.GetObject()) {
      if (str(KV.name) == "location") {
        if (KV.value.IsInt64() && KV.value.GetInt64() >= 0) {
          Min = std::min<int>(Min, KV.value.GetInt64());
          Max = std::max<int>(Max, KV.value.GetInt64());
        }
        continue;
      }
      collectLocations(KV.value, Min, Max);
    }
  } else if (std::optional<Array> A = asArray(V)) {
    for (const Value &E : *A)
      collectLocations(E, Min, Max);
  }
}

bool containsNode(const Value &V, llvm::StringRef Type) {
  if (V.IsObject()) {
    for (const auto &KV : V.GetObject())
      if (str(KV.name) == Type || containsNode(KV.value, Type))
        return true;
  } else if (std::optional<Array> A = asArray(V)) {
    for (const Value &E : *A)
      if (containsNode(E, Type))
        return true;
  }
  return false;
}

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

/// Equality conjuncts `col = <value>` of a WHERE clause.
void collectPinned(const Value *Where, std::vector<std::string> &Out) {
  if (const Object *B = asNode(Where, "BoolExpr")) {
    if (stringField(B, "boolop") != "AND_EXPR")
      return;
    if (std::optional<Array> Args = arrayField(B, "args"))
      for (const Value &A : *Args)
        collectPinned(&A, Out);
    return;
  }
  const Object *E = asNode(Where, "A_Expr");
  if (!E || stringField(E, "kind") != "AEXPR_OP" ||
      lastName(arrayField(E, "name")) != "=")
    return;
  const Value *L = get(E, "lexpr"), *R = get(E, "rexpr");
  for (int Side = 0; Side < 2; ++Side, std::swap(L, R)) {
    const Object *Col = asNode(L, "ColumnRef");
    if (!Col || !R || containsNode(*R, "ColumnRef") ||
        containsNode(*R, "SubLink"))
      continue;
    Out.push_back(lastName(arrayField(Col, "fields")));
    return;
  }
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
    walk(*Wrapped, 0);
    if (Type == "SelectStmt") {
      if (!get(Body, "intoClause"))
        outputStars(Body, {});
    } else if (Type == "InsertStmt" || Type == "UpdateStmt" ||
               Type == "DeleteStmt") {
      returningStars(Body);
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
    F.End = std::max(F.Begin + 1, Stmt.originOf(End - 1) + 1);
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
    collectPinned(get(S, "whereClause"), F.PinnedColumns);
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
    }
  }

  /// The string constant that makes \p V start with a wildcard, if any.
  const Object *leadingWildcard(const Value *V, unsigned Depth) {
    if (!V || Depth > 64)
      return nullptr;
    if (const Object *Cast = asNode(V, "TypeCast"))
      return leadingWildcard(get(Cast, "arg"), Depth + 1);
    if (const Object *C = asNode(V, "A_Const")) {
      llvm::StringRef S = stringField(getObject(C, "sval"), "sval");
      if (S.empty() || (S[0] != '%' && S[0] != '_'))
        return nullptr;
      if (S.find_first_not_of('%') == llvm::StringRef::npos)
        return nullptr; // '%' alone matches everything: not a search.
      return C;
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
    collectPinned(get(S, "whereClause"), Fact.PinnedColumns);
  }

  // --- SELECT * whose rows reach the client --------------------------------

  void starFact(const Object *Col, bool InReturning) {
    uint32_t Loc = static_cast<uint32_t>(getInteger(Col, "location").value_or(0));
    if (!StarsSeen.insert(Loc).second)
      return;
    size_t I = tokenAt(Loc);
    const auto &T = Tokens;
    while (I < T.size() && T[I].Kind != tok::Star)
      ++I;
    uint32_t End = I < T.size() ? T[I].End : Loc + 1;
    add(SqlFact::SelectStar, Loc, End).InReturning = InReturning;
  }

  static const Object *starColumn(const Value &Target) {
    const Object *RT = asNode(&Target, "ResTarget");
    const Object *Col = RT ? asNode(get(RT, "val"), "ColumnRef") : nullptr;
    std::optional<Array> Fields = arrayField(Col, "fields");
    if (!Fields || Fields->empty() || !asNode(&Fields->back(), "A_Star"))
      return nullptr;
    return Col;
  }

  void returningStars(const Object *Stmt) {
    if (std::optional<Array> Ret = arrayField(Stmt, "returningList"))
      for (const Value &T : *Ret)
        if (const Object *Col = starColumn(T))
          starFact(Col, /*InReturning=*/true);
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
        if (BaseTable || (!Qualifier.empty() && !Matched && !Items.empty()))
          starFact(Col, /*InReturning=*/false);
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
  int InSublink = 0;
  unsigned Recursion = 0;
  std::set<uint32_t> StarsSeen;
  std::set<const Object *> CtesVisiting;
};

/// Token-level detection for SQL the parser rejects (other dialects,
/// fragments): only constructs that are unambiguous in a token stream.
void tokenFallback(const MappedText &Stmt, llvm::StringRef Original,
                   std::vector<SqlFact> &Facts) {
  std::vector<SqlToken> All;
  scanSql(Stmt.text(), All);
  std::vector<SqlToken> T;
  for (const SqlToken &Tok : All)
    if (Tok.Kind != tok::SqlComment && Tok.Kind != tok::CComment)
      T.push_back(Tok);
  auto Add = [&](SqlFact::Kind K, uint32_t B, uint32_t E) {
    SqlFact F;
    F.K = K;
    F.FromParse = false;
    F.Begin = Stmt.originOf(B);
    F.End = std::min<uint32_t>(Stmt.originOf(E - 1) + 1, Original.size());
    F.Snippet = Original.slice(F.Begin, F.End).str();
    Facts.push_back(std::move(F));
  };
  auto Text = [&](const SqlToken &Tok) {
    return llvm::StringRef(Stmt.text()).slice(Tok.Begin, Tok.End);
  };
  if (!T.empty() && T[0].Kind == tok::Select) {
    size_t I = 1;
    while (I < T.size() && (T[I].Kind == tok::Distinct || T[I].Kind == tok::All))
      ++I;
    if (I < T.size() && T[I].Kind == tok::Star)
      Add(SqlFact::SelectStar, T[I].Begin, T[I].End);
    else if (I + 2 < T.size() && T[I].Kind == tok::Ident &&
             T[I + 1].Kind == tok::Dot && T[I + 2].Kind == tok::Star)
      Add(SqlFact::SelectStar, T[I].Begin, T[I + 2].End);
  }
  for (size_t I = 0; I + 1 < T.size(); ++I) {
    const SqlToken &Next = T[I + 1];
    if (T[I].Kind == tok::Offset &&
        (Next.Kind == tok::IConst || Next.Kind == tok::Param ||
         Next.Kind == tok::Ident || Next.Kind == tok::LParen) &&
        !(Next.Kind == tok::IConst && Text(Next).find_first_not_of('0') ==
                                          llvm::StringRef::npos)) {
      Add(SqlFact::Offset, T[I].Begin, Next.End);
      Facts.back().Detail = "page by key instead: WHERE id > $last_id ORDER "
                            "BY id LIMIT $n";
    }
    if ((T[I].Kind == tok::Like || T[I].Kind == tok::ILike) &&
        Next.Kind == tok::SConst) {
      llvm::StringRef Lit = Text(Next).drop_front(Text(Next).startswith("E'") ? 2 : 1);
      Lit = Lit.drop_back(1);
      if (!Lit.empty() && (Lit[0] == '%' || Lit[0] == '_') &&
          Lit.find_first_not_of('%') != llvm::StringRef::npos) {
        Add(SqlFact::LeadingWildcard, Next.Begin, Next.End);
        Facts.back().Detail = T[I].Kind == tok::ILike ? "ILIKE" : "LIKE";
      }
    }
  }
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

/// Calls \p Visit with the offset of every `"` in \p S, in order, until it
/// returns false. The quotes of a parse tree's JSON text are a few bytes
/// apart, so a memchr call per quote costs more than the search itself;
/// SSE2 (every x86-64 has it) compares 16 bytes at a time instead. This
/// pass reads every tree libpg_query returns.
template <typename Fn> void forEachQuote(llvm::StringRef S, Fn Visit) {
  size_t I = 0;
#if defined(__SSE2__)
  const __m128i Quote = _mm_set1_epi8('"');
  for (; I + 16 <= S.size(); I += 16) {
    __m128i Chunk =
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(S.data() + I));
    unsigned Mask =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(Chunk, Quote)));
    for (; Mask; Mask &= Mask - 1)
      if (!Visit(I + llvm::countTrailingZeros(Mask)))
        return;
  }
#endif
  for (; I < S.size(); ++I)
    if (S[I] == '"' && !Visit(I))
      return;
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
      if (Rest.startswith("A_Star\"") || Rest.startswith("AEXPR_LIKE\"") ||
          Rest.startswith("AEXPR_ILIKE\"") || Rest.startswith("AEXPR_SIMILAR\""))
        return Fact();
      break;
    case '~':
    case '!':
      // The operators of LIKE and ILIKE, as an A_Expr's name (`"sval":"~~"`),
      // which is how `OPERATOR(pg_catalog.~~)` arrives.
      if (Rest.startswith("~~\"") || Rest.startswith("~~*\"") ||
          Rest.startswith("!~~\"") || Rest.startswith("!~~*\""))
        return Fact();
      break;
    case 'l':
      if (Rest.startswith("limitOffset\"") || Rest.startswith("lockingClause\""))
        return Fact();
      R.HasLarg |= Rest.startswith("larg\"");
      break;
    case 'f':
      R.HasFromClause |= Rest.startswith("fromClause\"");
      break;
    case 's': {
      if (Rest.startswith("stmt\":")) {
        ++R.StmtKeys;
        break;
      }
      // A FuncCall's name, which onFuncCall lower-cases ("COUNT" quoted
      // keeps its case in the tree).
      llvm::StringRef Key = "sval\":\"";
      if (!Rest.startswith(Key))
        break;
      llvm::StringRef Value = Rest.drop_front(Key.size());
      for (llvm::StringRef Name : {"count", "sum", "avg", "min", "max"})
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

/// The first keyword of a statement, lower-case.
static std::string firstKeyword(llvm::StringRef S) {
  S = skipToFirstWord(S);
  size_t N = 0;
  while (N < S.size() && llvm::isAlpha(S[N]))
    ++N;
  return S.take_front(N).lower();
}

/// Counts \p Stmt as a write or a session-control statement.
static void classifyStatement(llvm::StringRef Stmt, SqlAnalysis &Result) {
  std::string K = firstKeyword(Stmt);
  if (K == "insert" || K == "update" || K == "delete" || K == "merge" ||
      K == "upsert" || K == "replace" || K == "copy")
    ++Result.WriteStatements;
  else if (K == "begin" || K == "start" || K == "commit" || K == "end" ||
           K == "rollback" || K == "savepoint" || K == "release" ||
           K == "set" || K == "reset" || K == "show" || K == "discard" ||
           K == "deallocate" || K == "prepare" || K == "use" || K == "abort")
    ++Result.ControlStatements;
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
  SqlAnalysis Result;
  // Facts quote the original bytes; only the parser sees the repaired text.
  llvm::StringRef Sql = Original;
  std::string Repaired;
  if (!llvm::json::isUTF8(Original)) {
    Repaired = replaceInvalidUtf8(Original);
    Sql = Repaired;
  }
  MappedText Norm = normalizePlaceholders(Sql);
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
  for (auto [Begin, End] : splitSql(Norm.text())) {
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
    if (std::optional<Array> Stmts = arrayField(&Tree.root(), "stmts"))
      for (const Value &S : *Stmts)
        if (StatementAnalyzer(Stmt, Original, Result.Facts).run(S))
          ++Result.DataStatements;
  }
  CheckGap(Covered, static_cast<uint32_t>(Norm.text().size()));
  return Result;
}

std::shared_ptr<const SqlAnalysis> analyzeSqlCached(llvm::StringRef Sql,
                                                    bool AllowTokenFallback) {
  static std::mutex Mu;
  static llvm::StringMap<std::shared_ptr<const SqlAnalysis>> Cache[2];
  auto &C = Cache[AllowTokenFallback];
  {
    std::lock_guard<std::mutex> Lock(Mu);
    auto It = C.find(Sql);
    if (It != C.end())
      return It->second;
  }
  auto A = std::make_shared<const SqlAnalysis>(analyzeSql(Sql, AllowTokenFallback));
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
