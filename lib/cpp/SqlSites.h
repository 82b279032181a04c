//===--- SqlSites.h - Where a translation unit builds and runs SQL ---------===//
///
/// \file
/// One pass over a translation unit finds every place SQL is run (calls to
/// the sinks declared in rules/apis/*.yaml) and every string literal that is
/// plainly a SQL statement, and reconstructs their text. All stress-* checks
/// of the TU share this result (tidy/TUAnalysis.h).
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_CPP_SQLSITES_H
#define STRESSLINT_CPP_SQLSITES_H

#include "cpp/Reconstruct.h"
#include "sql/Dialect.h"
#include "sql/SqlFacts.h"
#include <memory>

namespace clang {
class ASTContext;
class FunctionDecl;
class ValueDecl;
} // namespace clang

namespace stresslint {

class RuleSet;

struct SqlSite {
  ReconstructedSql Sql;
  const clang::Expr *Anchor = nullptr;
  /// True for SQL passed to a known sink; false for a free literal.
  bool FromSink = false;
  std::string SinkName;
  /// The sink prepares the statement; it runs later (exec_prepared, step).
  bool Prepares = false;
  bool InProcess = false; ///< The sink is an embedded database (SQLite).
  SqlDialect Dialect = SqlDialect::PostgreSQL; ///< The sink's API `dialect:`.
  /// A free literal that initialises this variable (any storage).
  const clang::VarDecl *Var = nullptr;
  /// A free literal whose filled template `snprintf(buf, n, "...", ...)`
  /// writes into this buffer; Anchor is that call.
  const clang::VarDecl *Buffer = nullptr;
  /// A sink's statement: what later binds and reads name (the object of
  /// `q.exec(sql)`, sqlite3's `&stmt`, the variable `txn.exec(sql)`
  /// initialises); null when there is none.
  const clang::ValueDecl *Statement = nullptr;
  /// The function whose body holds the sink call.
  const clang::FunctionDecl *Function = nullptr;
  /// A fragment (` AND title LIKE '%...'`): Sql.Text begins with this many
  /// bytes of a neutral statement around it, mapped nowhere; facts there
  /// are not the fragment's and are not reported.
  uint32_t Prefix = 0;

  /// What the SQL contains, read in the sink's dialect (memoised per text):
  /// the one way checks and the call graph analyse a site's text.
  std::shared_ptr<const SqlAnalysis> analysis() const {
    return analyzeSqlCached(Sql.Text, /*AllowTokenFallback=*/FromSink, Dialect);
  }
};

/// A sink call whose SQL is not known here (a parameter, a prepared
/// statement's name, `sql-arg: none`).
struct OpaqueSink {
  const clang::Expr *Call = nullptr;
  std::string SinkName;
  bool InProcess = false;
  /// The SQL argument when it is one expression (`q.exec(sql)`), or null.
  const clang::Expr *Sql = nullptr;
};

struct SqlSites {
  std::vector<SqlSite> Sites;
  /// Other texts a site may have (another branch of a `?:`, another return
  /// of a helper, another call site's argument for the SQL parameter), each
  /// with the site's anchor and sink. Checks analyse them like Sites; the
  /// call graph, which follows calls itself, sees only Sites.
  std::vector<SqlSite> Variants;
  /// SQL fragments that reach no statement we can see (` ORDER BY id
  /// OFFSET ` + n, ` FOR UPDATE` appended to a clause), each inside a
  /// neutral statement (SqlSite::Prefix). Checks analyse them; the call
  /// graph does not (they run nowhere we know).
  std::vector<SqlSite> Fragments;
  std::vector<OpaqueSink> Opaque;
};

/// Finds the SQL sites of the TU of \p Ctx (the checks share them through
/// tidy/TUAnalysis.h).
std::unique_ptr<SqlSites> collectSqlSites(clang::ASTContext &Ctx, const RuleSet &Rules);

} // namespace stresslint

#endif
