//===--- Classify.cpp - What kind of statement a text is, by its keyword ---===//
#include "sql/facts/Classify.h"
#include "sql/PgQuery.h"
#include "sql/facts/Holes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

namespace stresslint {

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

/// The first keyword of a statement, as written.
static llvm::StringRef firstKeyword(llvm::StringRef S) {
  S = skipToFirstWord(S);
  size_t N = 0;
  while (N < S.size() && llvm::isAlpha(S[N]))
    ++N;
  return S.take_front(N);
}

namespace {
enum StatementClass { Other, Write, Control };
} // namespace

/// What a statement does, by its first keyword. Runs once per statement:
/// the keyword is compared in place, not lower-cased into a string and
/// compared with each word in turn.
static StatementClass classOf(llvm::StringRef Stmt) {
  return llvm::StringSwitch<StatementClass>(firstKeyword(Stmt))
      .CasesLower("insert", "update", "delete", "merge", "upsert", Write)
      .CasesLower("replace", "copy", Write)
      .CasesLower("begin", "start", "commit", "end", "rollback", Control)
      .CasesLower("savepoint", "release", "set", "reset", "show", Control)
      .CasesLower("discard", "deallocate", "prepare", "use", "abort", Control)
      .Default(Other);
}

bool startsWithControlKeyword(llvm::StringRef Sql) { return classOf(Sql) == Control; }

/// Counts \p Stmt as a write or a session-control statement.
void sqlfacts::classifyStatement(llvm::StringRef Stmt, SqlAnalysis &Result) {
  switch (classOf(Stmt)) {
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

bool startsWithSchemaKeyword(llvm::StringRef Sql) {
  return llvm::StringSwitch<bool>(firstKeyword(Sql))
      .CasesLower("create", "alter", "drop", "attach", "detach", true)
      .CasesLower("pragma", "vacuum", "reindex", "grant", "revoke", true)
      .CasesLower("optimize", "analyze", "repair", "cluster", true)
      .CaseLower("comment", true)
      .Default(false);
}

bool startsSchemaStatement(llvm::StringRef Sql) {
  llvm::StringRef S = skipToFirstWord(Sql);
  auto [First, Rest] = S.split(' ');
  llvm::StringRef Second = Rest.ltrim().take_while(llvm::isAlpha);
  // SQLite's `ATTACH DATABASE 'f' AS a`: a connection's setup.
  if (First.equals_insensitive("attach") || First.equals_insensitive("detach"))
    return Second.equals_insensitive("database");
  // MySQL's table maintenance: `OPTIMIZE TABLE t`, `ANALYZE TABLE t`.
  if (llvm::StringSwitch<bool>(First.lower())
          .Cases("optimize", "analyze", "repair", true)
          .Default(false))
    return Second.equals_insensitive("table");
  if (!First.equals_insensitive("create") && !First.equals_insensitive("alter") &&
      !First.equals_insensitive("drop"))
    return false;
  return llvm::StringSwitch<bool>(Second.lower())
      .Cases("table", "index", "unique", "view", "temp", "temporary", true)
      .Cases("trigger", "sequence", "schema", "database", "materialized", true)
      .Cases("type", "extension", "function", "procedure", "virtual", true)
      .Default(false);
}

bool startsWithStatementKeyword(llvm::StringRef Sql) {
  llvm::StringRef S = skipToFirstWord(Sql);
  size_t N = 0;
  while (N < S.size() && llvm::isAlpha(S[N]))
    ++N;
  if (N == S.size() || N == 0 || !llvm::isSpace(S[N]))
    return false;
  std::string Word = S.take_front(N).lower();
  return Word == "select" || Word == "insert" || Word == "update" || Word == "delete" ||
         Word == "with" || Word == "merge";
}

/// Whether the relation \p Name (`schema.table`, quotes kept, a hole in
/// front: `%1.sqlite_master`) is one of a database's own catalogs.
static bool isCatalog(llvm::StringRef Name) {
  llvm::SmallVector<llvm::StringRef, 3> Parts;
  Name.split(Parts, '.');
  auto Clean = [](llvm::StringRef P) { return P.trim("\"`[]").lower(); };
  std::string Table = Clean(Parts.back());
  std::string Schema = Parts.size() > 1 ? Clean(Parts[Parts.size() - 2]) : "";
  return Schema == "information_schema" || Schema == "pg_catalog" ||
         Schema == "mysql" || Schema == "performance_schema" ||
         llvm::StringRef(Table).startswith("pg_") ||
         llvm::StringRef(Table).startswith("sqlite_");
}

/// A keyword that may follow a relation where an alias could stand.
static bool isReservedAfterRelation(llvm::StringRef Word) {
  static const llvm::StringRef Words[] = {
      "where", "join",  "inner", "left",  "right",   "full",   "cross", "on",
      "group", "order", "limit", "union", "natural", "having", "offset"};
  return llvm::any_of(Words,
                      [&](llvm::StringRef W) { return Word.equals_insensitive(W); });
}

bool readsOnlyCatalog(llvm::StringRef Sql) {
  auto IsNameChar = [](char C) { return llvm::isAlnum(C) || C == '_'; };
  std::vector<SqlToken> Tokens;
  scanSql(Sql, Tokens);
  unsigned Relations = 0;
  for (const SqlToken &T : Tokens) {
    llvm::StringRef Keyword = Sql.slice(T.Begin, T.End);
    if (!T.Keyword ||
        !(Keyword.equals_insensitive("from") || Keyword.equals_insensitive("join")))
      continue;
    // The relation: the text written together after the keyword (a hole
    // in front, `%1.sqlite_master`, is no token PostgreSQL scans).
    llvm::StringRef Rest = Sql.substr(T.End).ltrim();
    if (Rest.startswith("(")) // A subquery: its own FROM counts.
      continue;
    size_t End = 0;
    while (End < Rest.size() && !llvm::isSpace(Rest[End]) &&
           !llvm::StringRef(",;()").contains(Rest[End]))
      ++End;
    if (!isCatalog(Rest.take_front(End)))
      return false;
    ++Relations;
    // `FROM sqlite_master m, songs`: a list is not followed further.
    Rest = Rest.drop_front(End).ltrim();
    llvm::StringRef Alias = Rest.take_while(IsNameChar);
    if (Alias.equals_insensitive("as")) {
      Rest = Rest.drop_front(Alias.size()).ltrim();
      Alias = Rest.take_while(IsNameChar);
    }
    if (!isReservedAfterRelation(Alias))
      Rest = Rest.drop_front(Alias.size()).ltrim();
    if (Rest.startswith(","))
      return false;
  }
  return Relations > 0;
}

/// Whether \p Name is only holes: `$1`, `p__2`, `$1$2` (a configured prefix
/// and a spliced name).
static bool onlyHoles(llvm::StringRef Name) {
  if (Name.empty())
    return false;
  while (!Name.empty()) {
    if (!Name.consume_front("$") && !Name.consume_front("p__"))
      return false;
    size_t Digits = 0;
    while (Digits < Name.size() && llvm::isDigit(Name[Digits]))
      ++Digits;
    if (Digits == 0)
      return false;
    Name = Name.drop_front(Digits);
  }
  return true;
}

bool wholeSplicedTable(llvm::StringRef Sql) {
  std::vector<SqlToken> Tokens;
  scanSql(Sql, Tokens);
  auto Word = [&](size_t I) { return Sql.slice(Tokens[I].Begin, Tokens[I].End); };
  // A spliced name: holes, bare or quoted in any dialect's way (`"$1"`,
  // `` `$1$2` ``, `[p__2]`), written together. Returns the end of the name,
  // or 0.
  auto SplicedEnd = [&](size_t I) -> size_t {
    size_t Begin = Tokens[I].Begin, End = Begin;
    while (End < Sql.size() && !llvm::isSpace(Sql[End]) &&
           !llvm::StringRef(",;()").contains(Sql[End]))
      ++End;
    llvm::StringRef Name = Sql.slice(Begin, End);
    if (Name.size() >= 3 && ((Name.front() == '"' && Name.back() == '"') ||
                             (Name.front() == '`' && Name.back() == '`') ||
                             (Name.front() == '[' && Name.back() == ']')))
      Name = Name.drop_front().drop_back();
    return onlyHoles(Name) ? End : 0;
  };
  if (Tokens.empty())
    return false;
  llvm::StringRef First = Word(0);
  bool Update = First.equals_insensitive("update");
  if (!Update && !First.equals_insensitive("select") &&
      !First.equals_insensitive("delete"))
    return false;
  bool Table = false;
  for (size_t I = 1; I < Tokens.size(); ++I) {
    llvm::StringRef W = Word(I);
    if (Tokens[I].Kind == tok::Semicolon)
      return Table && I + 1 == Tokens.size();
    if (W.equals_insensitive("where") || W.equals_insensitive("join") ||
        W.equals_insensitive("using") || W.equals_insensitive("values") ||
        (Tokens[I].Kind == tok::LParen && Word(I - 1).equals_insensitive("from")))
      return false;
    bool After = Update ? I == 1 : Word(I - 1).equals_insensitive("from");
    if (!After)
      continue;
    // One relation: a spliced name, alone in its FROM list.
    size_t End = Table ? 0 : SplicedEnd(I);
    if (End == 0)
      return false;
    while (I + 1 < Tokens.size() && Tokens[I + 1].Begin < End)
      ++I;
    if (I + 1 < Tokens.size() &&
        (Tokens[I + 1].Kind == tok::Comma || Tokens[I + 1].Kind == tok::Dot))
      return false;
    Table = true;
  }
  return Table;
}

} // namespace stresslint
