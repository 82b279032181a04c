//===--- SchemaGaps.cpp - Names a query uses that the schema does not have -===//
#include "schema/SchemaGaps.h"
#include "schema/Schema.h"
#include "sql/Normalize.h"
#include "sql/PgTree.h"
#include "sql/SqlFacts.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

namespace stresslint {

using namespace pgtree;

namespace {

/// A name as the parser read it, with where it starts in the normalised
/// statement (-1 when the parser gave no location).
struct NameAt {
  std::string Qualifier, Name;
  int64_t Location = -1;
};

/// What one statement's parse tree names, in one walk.
struct Names {
  std::vector<NameAt> Tables;
  std::vector<NameAt> Columns;
  llvm::StringSet<> Ctes;
  /// The one table's alias (`orders o`), when the statement has one table.
  std::string Alias;
  /// Anything that makes a column's table uncertain: a join, a subquery,
  /// a function in FROM, a CTE.
  bool OtherSources = false;

  void walk(const Value &V) {
    if (std::optional<Array> A = asArray(V)) {
      for (const Value &E : *A)
        walk(E);
      return;
    }
    if (!V.IsObject())
      return;
    for (const auto &M : V.GetObject()) {
      llvm::StringRef Key = str(M.name);
      const Object *O = asObject(M.value);
      // A node of a List is wrapped (`{"RangeVar": {...}}`); a statement's
      // target table (`relation` of INSERT, UPDATE, DELETE) is not.
      if (O && (Key == "RangeVar" || (Key == "relation" && get(O, "relname")))) {
        Tables.push_back({stringField(O, "schemaname").str(),
                          stringField(O, "relname").str(),
                          getInteger(O, "location").value_or(-1)});
        if (const Object *A = getObject(O, "alias"))
          Alias = stringField(A, "aliasname").str();
      } else if (Key == "CommonTableExpr" && O) {
        Ctes.insert(stringField(O, "ctename").lower());
        OtherSources = true;
      } else if (Key == "ColumnRef" && O) {
        column(O);
        continue;
      } else if (Key == "RangeSubselect" || Key == "RangeFunction" ||
                 Key == "JoinExpr" || Key == "SubLink" || Key == "RangeTableFunc") {
        OtherSources = true;
      }
      walk(M.value);
    }
  }

  void column(const Object *C) {
    std::optional<Array> Fields = arrayField(C, "fields");
    if (!Fields || Fields->empty() || Fields->size() > 2)
      return;
    const Object *Last = asNode(&Fields->back(), "String");
    if (!Last)
      return; // `*`, `t.*`.
    NameAt N;
    N.Name = stringField(Last, "sval").str();
    if (Fields->size() == 2)
      N.Qualifier = stringField(asNode(&Fields->front(), "String"), "sval").str();
    N.Location = getInteger(C, "location").value_or(-1);
    Columns.push_back(std::move(N));
  }
};

/// PostgreSQL's own tables and views, and names the analysis made up.
bool notTheProjects(const NameAt &T) {
  std::string Schema = llvm::StringRef(T.Qualifier).lower();
  return Schema == "pg_catalog" || Schema == "information_schema" ||
         llvm::StringRef(T.Name).startswith_insensitive("pg_") || isHoleName(T.Name) ||
         isHoleName(T.Qualifier);
}

/// Columns every PostgreSQL table has without declaring them.
bool systemColumn(llvm::StringRef Name) {
  static constexpr llvm::StringLiteral System[] = {
      "ctid", "xmin", "xmax", "cmin", "cmax", "tableoid", "oid", "rowid", "_rowid_"};
  return llvm::any_of(System,
                      [&](llvm::StringRef S) { return Name.equals_insensitive(S); });
}

/// The end of the (possibly qualified, possibly quoted) name that starts
/// at \p Begin of \p S.
size_t nameEnd(llvm::StringRef S, size_t Begin) {
  size_t I = Begin;
  while (I < S.size()) {
    if (S[I] == '"') {
      size_t Close = S.find('"', I + 1);
      I = Close == llvm::StringRef::npos ? S.size() : Close + 1;
    } else if (llvm::isAlnum(S[I]) || S[I] == '_' || S[I] == '$' || S[I] == '.' ||
               static_cast<unsigned char>(S[I]) >= 0x80) {
      ++I;
    } else {
      break;
    }
  }
  return I;
}

} // namespace

std::vector<SchemaGap> schemaGaps(const Schema &Db, llvm::StringRef Sql, SqlDialect D,
                                  uint32_t At) {
  std::vector<SchemaGap> Gaps;
  if (Db.empty())
    return Gaps;
  uint32_t Begin = 0, End = static_cast<uint32_t>(Sql.size());
  for (auto [B, E] : splitSql(Sql))
    if (B <= At && At < E)
      std::tie(Begin, End) = std::pair(B, E);
  MappedText M = normalizeSql(Sql.slice(Begin, End), D);
  SqlParseError Err;
  std::optional<SqlJson> Json = parseSqlToJson(M.text(), Err);
  JsonTree Tree;
  if (!Json || !Tree.parse(std::move(*Json), Err))
    return Gaps;
  std::optional<Array> Stmts = arrayField(&Tree.root(), "stmts");
  if (!Stmts || Stmts->size() != 1)
    return Gaps;
  const Value *Stmt = get(asObject((*Stmts)[0]), "stmt");
  if (!Stmt || !Stmt->IsObject() || Stmt->MemberCount() != 1)
    return Gaps;
  llvm::StringRef Type = str(Stmt->MemberBegin()->name);
  const Object *Body = asObject(Stmt->MemberBegin()->value);
  // Data statements only: DDL creates the names it uses.
  if (Type != "SelectStmt" && Type != "InsertStmt" && Type != "UpdateStmt" &&
      Type != "DeleteStmt")
    return Gaps;
  Names N;
  N.walk(*Stmt);

  auto Add = [&](int64_t Loc, std::string Message) {
    if (Loc < 0 || static_cast<size_t>(Loc) >= M.size())
      return;
    size_t E = nameEnd(M.text(), static_cast<size_t>(Loc));
    uint32_t From = M.originOf(static_cast<size_t>(Loc));
    uint32_t To = E > static_cast<size_t>(Loc) ? M.originOf(E - 1) + 1 : From + 1;
    Gaps.push_back({Begin + From, Begin + std::max(To, From + 1), std::move(Message)});
  };
  std::string Learnt =
      "the schema stresslint learnt (" + std::to_string(Db.tables().size()) + " table" +
      (Db.tables().size() == 1 ? "" : "s") + ", see 'stresslint schema show')";
  const SchemaTable *Only = nullptr;
  for (const NameAt &T : N.Tables) {
    if (notTheProjects(T) ||
        (T.Qualifier.empty() && N.Ctes.count(llvm::StringRef(T.Name).lower())))
      continue;
    const SchemaTable *Known = Db.table(T.Name);
    if (!Known) {
      Add(T.Location, "table '" + T.Name + "' is not in " + Learnt +
                          ": its keys, indexes and size are unknown here");
      continue;
    }
    Only = N.Tables.size() == 1 ? Known : nullptr;
  }
  if (!Only || N.OtherSources || !Only->ColumnsKnown || Only->Columns.empty())
    return Gaps;

  // One known table: every column named is one of its columns, an output
  // alias (ORDER BY total), or in ON CONFLICT's `excluded` row.
  llvm::StringSet<> Aliases;
  if (Type == "SelectStmt")
    if (std::optional<Array> Targets = arrayField(Body, "targetList"))
      for (const Value &T : *Targets)
        if (llvm::StringRef Name = stringField(asNode(&T, "ResTarget"), "name");
            !Name.empty())
          Aliases.insert(Name.lower());
  std::string Table = N.Tables.front().Name;
  auto Check = [&](const NameAt &C) {
    if (!C.Qualifier.empty() &&
        !llvm::StringRef(C.Qualifier).equals_insensitive(Table) &&
        !llvm::StringRef(C.Qualifier).equals_insensitive(N.Alias) &&
        !llvm::StringRef(C.Qualifier).equals_insensitive("excluded"))
      return;
    if (Only->column(C.Name) || systemColumn(C.Name) || isHoleName(C.Name) ||
        (C.Qualifier.empty() && Aliases.count(llvm::StringRef(C.Name).lower())))
      return;
    Add(C.Location,
        "column '" + C.Name + "' is not in table '" + Only->Name + "' of " + Learnt);
  };
  for (const NameAt &C : N.Columns)
    Check(C);
  // The columns INSERT lists and UPDATE sets are targets, not references.
  if (Type == "InsertStmt" || Type == "UpdateStmt")
    if (std::optional<Array> Targets =
            arrayField(Body, Type == "InsertStmt" ? "cols" : "targetList"))
      for (const Value &T : *Targets)
        if (const Object *RT = asNode(&T, "ResTarget"))
          Check({"", stringField(RT, "name").str(),
                 getInteger(RT, "location").value_or(-1)});
  return Gaps;
}

} // namespace stresslint
