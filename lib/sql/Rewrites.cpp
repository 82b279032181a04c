//===--- Rewrites.cpp - SQL rewrites the fixes offer -----------------------===//
#include "sql/Rewrites.h"
#include "schema/Schema.h"
#include "sql/Normalize.h"
#include "sql/PgTree.h"
#include "sql/SqlFacts.h"

#include "llvm/ADT/StringExtras.h"

namespace stresslint {

using namespace pgtree;

bool namedLikeAKey(llvm::StringRef, llvm::StringRef Column) {
  return Column.equals_insensitive("id");
}

bool uniqueColumn(const Schema *Db, llvm::StringRef Table, llvm::StringRef Column) {
  // A view has no keys of its own: the guess, as for an unknown table.
  if (const SchemaTable *T = Db ? Db->table(Table) : nullptr; T && !T->View)
    return T->pinnedByKey({Column.str()});
  return namedLikeAKey(Table, Column);
}

namespace {

/// The end of the placeholder that starts at \p I of \p S (`$3`, `?3`,
/// `:name`, `@name`, `$name`, `?`), or \p I when there is none there.
size_t placeholderEnd(llvm::StringRef S, size_t I) {
  if (I >= S.size())
    return I;
  size_t J = I + 1;
  auto Word = [&](size_t K) {
    while (K < S.size() && (llvm::isAlnum(S[K]) || S[K] == '_'))
      ++K;
    return K;
  };
  switch (S[I]) {
  case '?':
    while (J < S.size() && llvm::isDigit(S[J]))
      ++J;
    return J;
  case '$':
  case ':':
  case '@':
    return J < S.size() && (llvm::isAlnum(S[J]) || S[J] == '_') ? Word(J) : I;
  default:
    return I;
  }
}

/// Reads one statement's tokens with their places in the original text.
class Statement {
public:
  Statement(llvm::StringRef Original, const MappedText &M) : Original(Original), M(M) {
    scanSql(M.text(), Tokens);
    llvm::erase_if(Tokens, [](const SqlToken &T) {
      return T.Kind == tok::SqlComment || T.Kind == tok::CComment;
    });
  }

  std::vector<SqlToken> Tokens;

  uint32_t begin(size_t K) const { return M.originOf(Tokens[K].Begin); }
  uint32_t end(size_t K) const {
    if (Tokens[K].Kind == tok::Param) // A rewritten placeholder.
      return static_cast<uint32_t>(placeholderEnd(Original, begin(K)));
    return M.originOf(Tokens[K].End - 1) + 1;
  }
  llvm::StringRef text(size_t K) const { return Original.slice(begin(K), end(K)); }
  /// The token that begins at byte \p Loc of the normalised text.
  size_t at(int64_t Loc) const {
    for (size_t K = 0; K < Tokens.size(); ++K)
      if (Tokens[K].Begin >= Loc)
        return K;
    return Tokens.size();
  }

private:
  llvm::StringRef Original;
  const MappedText &M;
};

unsigned offsetFacts(llvm::StringRef Sql, SqlDialect D, unsigned &Parsed,
                     unsigned &Statements) {
  SqlAnalysis A = analyzeSql(Sql, D, /*AllowTokenFallback=*/false);
  Parsed = A.ParsedStatements;
  Statements = A.Statements;
  return static_cast<unsigned>(
      llvm::count_if(A.Facts, [](const SqlFact &F) { return F.K == SqlFact::Offset; }));
}

/// The statement of \p Sql that holds byte \p At, parsed: its bounds, its
/// normalised text and its top-level SELECT (null when it is none or does
/// not parse).
struct ParsedStatement {
  uint32_t Begin = 0, End = 0;
  MappedText M;
  JsonTree Tree;
  const Object *Select = nullptr;

  ParsedStatement(llvm::StringRef Sql, SqlDialect Dialect, uint32_t At)
      : End(static_cast<uint32_t>(Sql.size())) {
    for (auto [B, E] : splitSql(Sql))
      if (B <= At && At < E)
        std::tie(Begin, End) = std::pair(B, E);
    M = normalizeSql(Sql.slice(Begin, End), Dialect);
    SqlParseError Err;
    std::optional<SqlJson> Json = parseSqlToJson(M.text(), Err);
    if (!Json || !Tree.parse(std::move(*Json), Err))
      return;
    std::optional<Array> Stmts = arrayField(&Tree.root(), "stmts");
    if (Stmts && Stmts->size() == 1)
      Select = asNode(get(asObject((*Stmts)[0]), "stmt"), "SelectStmt");
  }
};

/// \p Sql with \p Edits made in bytes [Begin, End).
std::string applyEdits(llvm::StringRef Sql, llvm::ArrayRef<SqlEdit> Edits,
                       uint32_t Begin, uint32_t End) {
  std::string New;
  uint32_t Copied = Begin;
  for (const SqlEdit &E : Edits) {
    New += Sql.slice(Copied, E.Begin).str() + E.Text;
    Copied = E.End;
  }
  return New + Sql.slice(Copied, End).str();
}

} // namespace

bool unknownNullability(llvm::StringRef, llvm::StringRef) { return false; }

bool notNullColumn(const Schema *Db, llvm::StringRef Table, llvm::StringRef Column) {
  const SchemaTable *T = Db ? Db->table(Table) : nullptr;
  const SchemaColumn *C = T ? T->column(Column) : nullptr;
  return C && C->NotNull;
}

KeysetRewrite keysetRewrite(llvm::StringRef Sql, SqlDialect Dialect, uint32_t OffsetAt,
                            ColumnTest IsUnique, ColumnTest IsNotNull) {
  KeysetRewrite Out;
  auto No = [&](const std::string &Why) {
    Out.Edits.clear();
    Out.Note = "no keyset fix offered: " + Why;
    return Out;
  };
  if (OffsetAt >= Sql.size() || !Sql.substr(OffsetAt, 6).equals_insensitive("offset"))
    return No("the offset is not written with OFFSET");
  ParsedStatement P(Sql, Dialect, OffsetAt);
  const uint32_t SB = P.Begin, SE = P.End;
  llvm::StringRef Original = Sql.slice(SB, SE);
  const MappedText &M = P.M;
  const Object *S = P.Select;
  if (!S || get(S, "larg") || get(S, "withClause") || get(S, "distinctClause") ||
      get(S, "groupClause") || get(S, "havingClause") || get(S, "windowClause"))
    return No("only a plain page query (one SELECT, no WITH, DISTINCT, GROUP "
              "BY or set operation) is rewritten");
  std::optional<Array> From = arrayField(S, "fromClause");
  const Object *Rel =
      From && From->size() == 1 ? asNode(&From->front(), "RangeVar") : nullptr;
  if (!Rel)
    return No("the query reads more than one table");
  // ORDER BY columns, all one way, the last one unique (a key, or a
  // tiebreaker after columns that repeat).
  std::optional<Array> Sort = arrayField(S, "sortClause");
  std::vector<const Object *> Cols;
  llvm::StringRef Dir;
  for (const Value &V : Sort ? *Sort : Array()) {
    const Object *By = asNode(&V, "SortBy");
    const Object *Col = By ? asNode(get(By, "node"), "ColumnRef") : nullptr;
    llvm::StringRef Nulls = stringField(By, "sortby_nulls");
    llvm::StringRef D = stringField(By, "sortby_dir");
    if (D == "SORTBY_ASC")
      D = "SORTBY_DEFAULT";
    if (!Col || D == "SORTBY_USING" ||
        (!Nulls.empty() && Nulls != "SORTBY_NULLS_DEFAULT") ||
        (!Cols.empty() && D != Dir) || lastName(arrayField(Col, "fields")).empty())
      return No("the query is not ordered by columns, all ascending or all descending");
    Dir = D;
    Cols.push_back(Col);
  }
  if (Cols.empty())
    return No("the query is not ordered by columns, all ascending or all descending");
  const Object *Col = Cols.front();
  std::string Table = stringField(Rel, "relname").lower();
  std::string Key = lastName(arrayField(Cols.back(), "fields"));
  if (!IsUnique(Table, Key))
    return No("the order by '" + Key +
              "' is not known to be unique, and paging "
              "by a key that repeats would skip or repeat rows");
  for (const Object *C : llvm::ArrayRef(Cols).drop_back())
    if (std::string Name = lastName(arrayField(C, "fields")); !IsNotNull(Table, Name))
      return No("'" + Name +
                "' is not known to be NOT NULL (a schema, docs/schema.md), "
                "and a row comparison would skip the rows where it is NULL");
  if (!get(S, "limitCount") ||
      stringField(S, "limitOption") == "LIMIT_OPTION_WITH_TIES")
    return No("the query has no plain LIMIT");
  const Object *Param = asNode(get(S, "limitOffset"), "ParamRef");
  if (!Param)
    return No("the offset is not a parameter the caller passes");

  Statement St(Original, M);
  const auto &T = St.Tokens;
  size_t Ph = St.at(getInteger(Param, "location").value_or(-1));
  size_t O = 0;
  while (O < T.size() && !(T[O].Kind == tok::Offset && St.begin(O) + SB == OffsetAt))
    ++O;
  if (O + 1 != Ph || Ph >= T.size() || T[Ph].Kind != tok::Param)
    return No("the offset is not a parameter the caller passes");
  if (Ph + 1 < T.size() && (St.text(Ph + 1).equals_insensitive("rows") ||
                            St.text(Ph + 1).equals_insensitive("row")))
    return No("the query uses OFFSET ... ROWS");
  llvm::StringRef Placeholder = St.text(Ph);
  if (Placeholder == "?")
    return No("the offset is a positional '?': a key condition before the LIMIT "
              "would change the order of the parameters");
  if (Placeholder.empty() || Placeholder.size() == 1)
    return No("the offset is not a parameter the caller passes");
  Out.PlaceholderBegin = SB + St.begin(Ph);
  Out.PlaceholderEnd = SB + St.end(Ph);

  // The top-level ORDER BY and WHERE (not those of a subquery).
  size_t Sorted = St.at(getInteger(Col, "location").value_or(-1));
  size_t OrderTok = T.size(), WhereTok = T.size(), Limit = T.size();
  int Depth = 0;
  for (size_t K = 0; K < T.size(); ++K) {
    if (T[K].Kind == tok::LParen)
      ++Depth;
    else if (T[K].Kind == tok::RParen)
      --Depth;
    else if (Depth == 0 && T[K].Kind == tok::Where && K < Sorted)
      WhereTok = K;
    else if (Depth == 0 && T[K].Kind == tok::Order && K < Sorted)
      OrderTok = K;
    else if (Depth == 0 && T[K].Kind == tok::Limit)
      Limit = K;
  }
  if (OrderTok == T.size() || OrderTok == 0 || Limit == T.size() || Sorted >= T.size())
    return No("the statement's clauses could not be told apart");
  // A (qualified) name as written, from its first token.
  auto NameText = [&](int64_t Loc) {
    size_t First = St.at(Loc), Last = First;
    while (Last + 2 < T.size() && T[Last + 1].Kind == tok::Dot)
      Last += 2;
    return Original.slice(St.begin(First), St.end(Last)).str();
  };
  std::string KeyText = NameText(getInteger(Cols.back(), "location").value_or(-1));
  bool Desc = Dir == "SORTBY_DESC";
  const char *Op = Desc ? " < " : " > ";
  std::string Condition = KeyText + Op + Placeholder.str();
  std::string Order = KeyText;
  if (Cols.size() > 1) {
    // The row the caller saw last, found by its key: the parameter stays
    // one value, the last key seen (NULL on the first page).
    std::string Written, Bare;
    for (const Object *C : Cols) {
      Written += (Written.empty() ? "" : ", ") +
                 NameText(getInteger(C, "location").value_or(-1));
      Bare += (Bare.empty() ? "" : ", ") + lastName(arrayField(C, "fields"));
    }
    Order = "(" + Written + ")";
    Condition = "(" + Placeholder.str() + " IS NULL OR " + Order + Op + "(SELECT " +
                Bare + " FROM " + NameText(getInteger(Rel, "location").value_or(-1)) +
                " WHERE " + Key + " = " + Placeholder.str() + "))";
  }
  uint32_t Before = St.end(OrderTok - 1);
  if (WhereTok != T.size() && WhereTok + 1 < OrderTok) {
    Out.Edits.push_back(
        {SB + St.begin(WhereTok + 1), SB + St.begin(WhereTok + 1), "("});
    Out.Edits.push_back({SB + Before, SB + Before, ") AND " + Condition});
  } else {
    Out.Edits.push_back({SB + Before, SB + Before, " WHERE " + Condition});
  }
  if (O > Limit) // `LIMIT n OFFSET $3`: from the end of n.
    Out.Edits.push_back({SB + St.end(O - 1), SB + St.end(Ph), ""});
  else // `OFFSET $3 LIMIT n`: up to LIMIT.
    Out.Edits.push_back({SB + St.begin(O), SB + St.begin(Ph + 1), ""});
  llvm::sort(Out.Edits,
             [](const SqlEdit &A, const SqlEdit &B) { return A.Begin < B.Begin; });

  // The rewritten statement must parse and have no OFFSET left (the
  // statement alone: a file may hold many).
  std::string New = applyEdits(Sql, Out.Edits, SB, SE);
  unsigned ParsedOld, StmtsOld, ParsedNew, StmtsNew;
  unsigned Old = offsetFacts(Original, Dialect, ParsedOld, StmtsOld);
  unsigned Now = offsetFacts(New, Dialect, ParsedNew, StmtsNew);
  if (StmtsNew != StmtsOld || ParsedNew < ParsedOld || Now + 1 != Old)
    return No("the rewritten statement does not parse");
  Out.Note = "keyset fix (applied with --fix-notes): pages by '" + Order +
             "'; the caller must now pass the last '" + KeyText + "' it saw as " +
             Placeholder.str() + " instead of the offset (on the first page, " +
             (Cols.size() > 1 ? std::string("NULL)")
                              : std::string("a value ") + (Desc ? "above" : "below") +
                                    " every key)");
  return Out;
}

SqlRewrite claimRewrite(llvm::StringRef Sql, SqlDialect Dialect, uint32_t LockAt,
                        unsigned Batch) {
  SqlRewrite Out;
  auto No = [&](const std::string &Why) {
    Out.Edits.clear();
    Out.Note = "no batch fix offered: " + Why;
    return Out;
  };
  if (LockAt >= Sql.size() || !Sql.substr(LockAt, 3).equals_insensitive("for"))
    return No("the lock is not written with FOR");
  ParsedStatement P(Sql, Dialect, LockAt);
  const Object *S = P.Select;
  std::optional<Array> Locks = arrayField(S, "lockingClause");
  if (!S || get(S, "larg") || !Locks || Locks->size() != 1 || get(S, "limitCount") ||
      get(S, "limitOffset"))
    return No(
        "only one SELECT with one FOR clause and no LIMIT or OFFSET is rewritten");
  if (!stringField(asNode(&Locks->front(), "LockingClause"), "waitPolicy").empty() &&
      stringField(asNode(&Locks->front(), "LockingClause"), "waitPolicy") !=
          "LockWaitBlock")
    return No("the lock already skips or fails on locked rows");
  llvm::StringRef Original = Sql.slice(P.Begin, P.End);
  Statement St(Original, P.M);
  const auto &T = St.Tokens;
  size_t For = 0;
  while (For < T.size() &&
         !(T[For].Kind == tok::For && St.begin(For) + P.Begin == LockAt))
    ++For;
  // The FOR clause runs to the end of the statement (no LIMIT, no OFFSET).
  size_t Last = T.size();
  while (Last > For + 1 && T[Last - 1].Kind == tok::Semicolon)
    --Last;
  if (For >= T.size() || Last <= For + 1)
    return No("the FOR clause could not be told apart");
  Out.Edits.push_back({LockAt, LockAt, "LIMIT " + std::to_string(Batch) + " "});
  uint32_t End = P.Begin + St.end(Last - 1);
  Out.Edits.push_back({End, End, " SKIP LOCKED"});
  SqlAnalysis A = analyzeSql(applyEdits(Sql, Out.Edits, P.Begin, P.End), Dialect,
                             /*AllowTokenFallback=*/false);
  if (A.Statements != 1 || A.ParsedStatements != 1 ||
      llvm::none_of(A.Facts, [](const SqlFact &F) {
        return F.K == SqlFact::RowLock && F.HasLimit && F.NoWaitOrSkip;
      }))
    return No("the rewritten statement does not parse");
  Out.Note = "claim a batch instead (applied with --fix-notes): 'LIMIT " +
             std::to_string(Batch) + " ... SKIP LOCKED' locks at most " +
             std::to_string(Batch) +
             " rows that no other transaction holds; run it again until it "
             "returns no row";
  return Out;
}

} // namespace stresslint
