//===--- Keyset.cpp - OFFSET pagination rewritten to keyset pagination -----===//
#include "sql/Keyset.h"
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
  if (const SchemaTable *T = Db ? Db->table(Table) : nullptr)
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
  Statement(llvm::StringRef Original, const MappedText &M)
      : Original(Original), M(M) {
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
  return static_cast<unsigned>(llvm::count_if(
      A.Facts, [](const SqlFact &F) { return F.K == SqlFact::Offset; }));
}

} // namespace

KeysetRewrite keysetRewrite(llvm::StringRef Sql, SqlDialect Dialect,
                            uint32_t OffsetAt, UniqueColumn IsUnique) {
  KeysetRewrite Out;
  auto No = [&](const std::string &Why) {
    Out.Edits.clear();
    Out.Note = "no keyset fix offered: " + Why;
    return Out;
  };
  if (OffsetAt >= Sql.size() || !Sql.substr(OffsetAt, 6).equals_insensitive("offset"))
    return No("the offset is not written with OFFSET");
  uint32_t SB = 0, SE = static_cast<uint32_t>(Sql.size());
  for (auto [B, E] : splitSql(Sql))
    if (B <= OffsetAt && OffsetAt < E)
      std::tie(SB, SE) = std::pair(B, E);
  llvm::StringRef Original = Sql.slice(SB, SE);
  MappedText M = normalizeSql(Original, Dialect);
  SqlParseError Err;
  std::optional<SqlJson> Json = parseSqlToJson(M.text(), Err);
  JsonTree Tree;
  if (!Json || !Tree.parse(std::move(*Json), Err))
    return No("the statement does not parse");
  std::optional<Array> Stmts = arrayField(&Tree.root(), "stmts");
  if (!Stmts || Stmts->size() != 1)
    return No("the statement does not parse");
  const Object *S = asNode(get(asObject((*Stmts)[0]), "stmt"), "SelectStmt");
  if (!S || get(S, "larg") || get(S, "withClause") || get(S, "distinctClause") ||
      get(S, "groupClause") || get(S, "havingClause") || get(S, "windowClause"))
    return No("only a plain page query (one SELECT, no WITH, DISTINCT, GROUP "
              "BY or set operation) is rewritten");
  std::optional<Array> From = arrayField(S, "fromClause");
  const Object *Rel = From && From->size() == 1 ? asNode(&From->front(), "RangeVar") : nullptr;
  if (!Rel)
    return No("the query reads more than one table");
  std::optional<Array> Sort = arrayField(S, "sortClause");
  const Object *By = Sort && Sort->size() == 1 ? asNode(&Sort->front(), "SortBy") : nullptr;
  const Object *Col = By ? asNode(get(By, "node"), "ColumnRef") : nullptr;
  llvm::StringRef Dir = stringField(By, "sortby_dir");
  if (!Col || Dir == "SORTBY_USING" ||
      !stringField(By, "sortby_nulls").empty() &&
          stringField(By, "sortby_nulls") != "SORTBY_NULLS_DEFAULT")
    return No("the query is not ordered by one column");
  std::string Table = stringField(Rel, "relname").lower();
  std::string Key = lastName(arrayField(Col, "fields"));
  if (!IsUnique(Table, Key))
    return No("the order by '" + Key + "' is not known to be unique, and paging "
              "by a key that repeats would skip or repeat rows");
  if (!get(S, "limitCount") || stringField(S, "limitOption") == "LIMIT_OPTION_WITH_TIES")
    return No("the query has no plain LIMIT");
  const Object *Param = asNode(get(S, "limitOffset"), "ParamRef");
  if (!Param)
    return No("the offset is not a parameter the caller passes");

  Statement St(Original, M);
  const auto &T = St.Tokens;
  size_t P = St.at(getInteger(Param, "location").value_or(-1));
  size_t O = 0;
  while (O < T.size() && !(T[O].Kind == tok::Offset && St.begin(O) + SB == OffsetAt))
    ++O;
  if (O + 1 != P || P >= T.size() || T[P].Kind != tok::Param)
    return No("the offset is not a parameter the caller passes");
  if (P + 1 < T.size() && (St.text(P + 1).equals_insensitive("rows") ||
                           St.text(P + 1).equals_insensitive("row")))
    return No("the query uses OFFSET ... ROWS");
  llvm::StringRef Placeholder = St.text(P);
  if (Placeholder == "?")
    return No("the offset is a positional '?': a key condition before the LIMIT "
              "would change the order of the parameters");
  if (Placeholder.empty() || Placeholder.size() == 1)
    return No("the offset is not a parameter the caller passes");
  Out.PlaceholderBegin = SB + St.begin(P);
  Out.PlaceholderEnd = SB + St.end(P);

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
  size_t KeyEnd = Sorted;
  while (KeyEnd + 2 < T.size() && T[KeyEnd + 1].Kind == tok::Dot)
    KeyEnd += 2;
  std::string KeyText = Original.slice(St.begin(Sorted), St.end(KeyEnd)).str();
  bool Desc = Dir == "SORTBY_DESC";
  std::string Condition = KeyText + (Desc ? " < " : " > ") + Placeholder.str();
  uint32_t Before = St.end(OrderTok - 1);
  if (WhereTok != T.size() && WhereTok + 1 < OrderTok) {
    Out.Edits.push_back({SB + St.begin(WhereTok + 1), SB + St.begin(WhereTok + 1), "("});
    Out.Edits.push_back({SB + Before, SB + Before, ") AND " + Condition});
  } else {
    Out.Edits.push_back({SB + Before, SB + Before, " WHERE " + Condition});
  }
  if (O > Limit) // `LIMIT n OFFSET $3`: from the end of n.
    Out.Edits.push_back({SB + St.end(O - 1), SB + St.end(P), ""});
  else // `OFFSET $3 LIMIT n`: up to LIMIT.
    Out.Edits.push_back({SB + St.begin(O), SB + St.begin(P + 1), ""});
  llvm::sort(Out.Edits, [](const SqlEdit &A, const SqlEdit &B) { return A.Begin < B.Begin; });

  // The rewritten statement must parse and have no OFFSET left (the
  // statement alone: a file may hold many).
  std::string New;
  uint32_t Copied = SB;
  for (const SqlEdit &E : Out.Edits) {
    New += Sql.slice(Copied, E.Begin).str() + E.Text;
    Copied = E.End;
  }
  New += Sql.slice(Copied, SE).str();
  unsigned ParsedOld, StmtsOld, ParsedNew, StmtsNew;
  unsigned Old = offsetFacts(Original, Dialect, ParsedOld, StmtsOld);
  unsigned Now = offsetFacts(New, Dialect, ParsedNew, StmtsNew);
  if (StmtsNew != StmtsOld || ParsedNew < ParsedOld || Now + 1 != Old)
    return No("the rewritten statement does not parse");
  Out.Note = "keyset fix (applied with --fix-notes): pages by '" + KeyText +
             "'; the caller must now pass the last '" + KeyText + "' it saw as " +
             Placeholder.str() + " instead of the offset (on the first page, a value " +
             (Desc ? "above" : "below") + " every key)";
  return Out;
}

} // namespace stresslint
