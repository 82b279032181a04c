//===--- Dialect.h - Which SQL dialect a text is written in ----------------===//
///
/// \file
/// The SQL dialects stresslint normalises before handing a text to the
/// PostgreSQL parser: the sink's API YAML (`dialect:`) or, for `.sql` files,
/// the `stresslint.SqlDialect` check option chooses one.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_DIALECT_H
#define STRESSLINT_SQL_DIALECT_H

#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace stresslint {

/// The global check option (`.clang-tidy` `CheckOptions`) that sets the
/// dialect of `.sql` files.
inline constexpr llvm::StringLiteral SqlDialectOption = "stresslint.SqlDialect";

enum class SqlDialect : unsigned char {
  PostgreSQL, ///< The default: the text is given to libpg_query as it is.
  MySQL,      ///< Also MariaDB.
  SQLite,
  TSql, ///< SQL Server / Sybase, as far as stresslint's rules look.
};

/// The dialect a configuration value names (case-insensitive): `postgresql`
/// (`postgres`, `pg`, `default`, empty), `mysql` (`mariadb`), `sqlite`
/// (`sqlite3`), `tsql` (`t-sql`, `mssql`, `sqlserver`); none for others.
inline std::optional<SqlDialect> parseSqlDialect(llvm::StringRef Name) {
  std::string N = Name.trim().lower();
  if (N.empty() || N == "postgresql" || N == "postgres" || N == "pg" || N == "default")
    return SqlDialect::PostgreSQL;
  if (N == "mysql" || N == "mariadb")
    return SqlDialect::MySQL;
  if (N == "sqlite" || N == "sqlite3")
    return SqlDialect::SQLite;
  if (N == "tsql" || N == "t-sql" || N == "mssql" || N == "sqlserver")
    return SqlDialect::TSql;
  return std::nullopt;
}

inline llvm::StringRef sqlDialectName(SqlDialect D) {
  switch (D) {
  case SqlDialect::PostgreSQL:
    return "postgresql";
  case SqlDialect::MySQL:
    return "mysql";
  case SqlDialect::SQLite:
    return "sqlite";
  case SqlDialect::TSql:
    return "tsql";
  }
  return "postgresql";
}

} // namespace stresslint

#endif
