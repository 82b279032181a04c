//===--- SchemaDump.cpp - `stresslint schema dump`: a live schema, for offline ===//
#include "SchemaDump.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include <libpq-fe.h>
#include <map>
#include <memory>

namespace stresslint {

namespace {

/// The schemas a snapshot leaves out: PostgreSQL's own.
const char *const UserSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') "
                                "AND n.nspname NOT LIKE 'pg_toast%'";

struct ConnCloser {
  void operator()(PGconn *C) const { PQfinish(C); }
};
struct ResultClearer {
  void operator()(PGresult *R) const { PQclear(R); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

llvm::Error failed(const llvm::Twine &What, PGconn *C) {
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(), "%s: %s", What.str().c_str(),
      llvm::StringRef(PQerrorMessage(C)).trim().str().c_str());
}

llvm::Expected<Result> query(PGconn *C, const std::string &Sql) {
  Result R(PQexec(C, Sql.c_str()));
  if (!R || PQresultStatus(R.get()) != PGRES_TUPLES_OK)
    return failed("cannot read the catalog", C);
  return std::move(R);
}

std::string text(const Result &R, int Row, int Col) {
  return PQgetisnull(R.get(), Row, Col) ? "" : PQgetvalue(R.get(), Row, Col);
}

struct Table {
  llvm::json::Object Head;
  llvm::json::Array Columns, Keys, Indexes;
};

} // namespace

llvm::Expected<std::string> dumpSchema(const std::string &ConnInfo) {
  std::unique_ptr<PGconn, ConnCloser> Conn(PQconnectdb(ConnInfo.c_str()));
  if (!Conn || PQstatus(Conn.get()) != CONNECTION_OK)
    return failed("cannot connect to the database", Conn.get());
  PGconn *C = Conn.get();
  // The catalog as it is now, in one snapshot.
  Result Begin(PQexec(C, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  if (!Begin || PQresultStatus(Begin.get()) != PGRES_COMMAND_OK)
    return failed("cannot start a read-only transaction", C);

  std::map<std::string, Table> Tables;
  auto Columns = query(
      C, llvm::formatv(
             "SELECT c.relname, c.relkind, c.reltuples::float8, a.attname, "
             "format_type(a.atttypid, a.atttypmod), a.attnotnull "
             "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
             "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT "
             "a.attisdropped "
             "WHERE c.relkind IN ('r', 'p', 'm') AND {0} ORDER BY c.relname, a.attnum",
             UserSchemas)
             .str());
  if (!Columns)
    return Columns.takeError();
  for (int I = 0, N = PQntuples(Columns->get()); I < N; ++I) {
    Table &T = Tables[text(*Columns, I, 0)];
    if (T.Head.empty()) {
      T.Head["name"] = text(*Columns, I, 0);
      T.Head["kind"] = text(*Columns, I, 1) == "m" ? "materialized view" : "table";
      double Rows = 0;
      if (!llvm::to_float(text(*Columns, I, 2), Rows))
        Rows = -1;
      // Never analysed: PostgreSQL 14+ says -1; not an estimate.
      if (Rows >= 0)
        T.Head["rows"] = Rows;
    }
    T.Columns.push_back(llvm::json::Object{{"name", text(*Columns, I, 3)},
                                           {"type", text(*Columns, I, 4)},
                                           {"notNull", text(*Columns, I, 5) == "t"}});
  }

  auto Keys = query(
      C,
      llvm::formatv(
          "SELECT c.relname, con.conname, con.contype = 'p', "
          "(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) "
          " WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a "
          " ON a.attrelid = con.conrelid AND a.attnum = k.attnum) "
          "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
          "JOIN pg_namespace n ON n.oid = c.relnamespace "
          "WHERE con.contype IN ('p', 'u') AND {0} ORDER BY c.relname, con.conname",
          UserSchemas)
          .str());
  if (!Keys)
    return Keys.takeError();
  for (int I = 0, N = PQntuples(Keys->get()); I < N; ++I) {
    auto It = Tables.find(text(*Keys, I, 0));
    if (It == Tables.end())
      continue;
    llvm::SmallVector<llvm::StringRef, 4> Cols;
    std::string List = text(*Keys, I, 3);
    llvm::StringRef(List).split(Cols, ',', -1, false);
    llvm::json::Array ColArray;
    for (llvm::StringRef Col : Cols)
      ColArray.push_back(Col.str());
    It->second.Keys.push_back(llvm::json::Object{{"name", text(*Keys, I, 1)},
                                                 {"primary", text(*Keys, I, 2) == "t"},
                                                 {"columns", std::move(ColArray)}});
  }

  // One row per index key (INCLUDE columns are not keys): the column, or
  // the expression as PostgreSQL prints it, and its operator class unless
  // it is the type's default (`gin_trgm_ops` is named, `int8_ops` is not).
  auto Indexes = query(
      C,
      llvm::formatv(
          "SELECT t.relname, i.relname, ix.indisunique, am.amname, ix.indpred IS NOT "
          "NULL, "
          "CASE WHEN k.attnum > 0 THEN a.attname END, "
          "CASE WHEN k.attnum = 0 THEN pg_get_indexdef(ix.indexrelid, k.ord::int, "
          "true) END, "
          "CASE WHEN NOT opc.opcdefault THEN opc.opcname END "
          "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid "
          "JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_am am ON am.oid = i.relam "
          "JOIN pg_namespace n ON n.oid = t.relnamespace "
          "CROSS JOIN LATERAL unnest(ix.indkey::int2[], ix.indclass::oid[]) "
          " WITH ORDINALITY AS k(attnum, opclass, ord) "
          "LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
          "LEFT JOIN pg_opclass opc ON opc.oid = k.opclass "
          "WHERE {0} AND k.ord <= ix.indnkeyatts ORDER BY t.relname, i.relname, k.ord",
          UserSchemas)
          .str());
  if (!Indexes)
    return Indexes.takeError();
  std::map<std::pair<std::string, std::string>, llvm::json::Object> ByIndex;
  std::vector<std::pair<std::string, std::string>> Order;
  for (int I = 0, N = PQntuples(Indexes->get()); I < N; ++I) {
    std::pair<std::string, std::string> Key{text(*Indexes, I, 0), text(*Indexes, I, 1)};
    auto [It, New] = ByIndex.try_emplace(Key);
    if (New) {
      Order.push_back(Key);
      It->second = llvm::json::Object{{"name", Key.second},
                                      {"unique", text(*Indexes, I, 2) == "t"},
                                      {"method", text(*Indexes, I, 3)},
                                      {"partial", text(*Indexes, I, 4) == "t"},
                                      {"keys", llvm::json::Array()}};
    }
    llvm::json::Object K{{"opclass", text(*Indexes, I, 7)}};
    std::string Column = text(*Indexes, I, 5), Expr = text(*Indexes, I, 6);
    if (!Column.empty()) {
      K["column"] = Column;
    } else {
      // `lower(title)`: the one column a one-call expression wraps.
      K["expression"] = Expr;
      llvm::StringRef E(Expr);
      size_t Open = E.find('(');
      if (Open != llvm::StringRef::npos && E.endswith(")")) {
        llvm::StringRef Arg = E.slice(Open + 1, E.size() - 1).trim();
        if (!Arg.empty() &&
            llvm::all_of(Arg, [](char Ch) { return llvm::isAlnum(Ch) || Ch == '_'; })) {
          K["function"] = E.take_front(Open).trim().str();
          K["column"] = Arg.str();
        }
      }
    }
    It->second.getArray("keys")->push_back(std::move(K));
  }
  for (const auto &Key : Order)
    if (auto T = Tables.find(Key.first); T != Tables.end())
      T->second.Indexes.push_back(std::move(ByIndex[Key]));

  llvm::json::Array Out;
  for (auto &[Name, T] : Tables) {
    llvm::json::Object O = std::move(T.Head);
    O["columns"] = std::move(T.Columns);
    O["keys"] = std::move(T.Keys);
    O["indexes"] = std::move(T.Indexes);
    Out.push_back(std::move(O));
  }
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                   {"version", 1}, {"tables", std::move(Out)}}))
     << "\n";
  return OS.str();
}

} // namespace stresslint
